import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-sparse-cli-"));
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

// The breast-cancer table written three ways: CSV, svmlight (zeros left out) and Matrix Market
// with a labels file. Values are written with all their digits, so the three hold the same numbers.
const csv = readFileSync(join(ROOT, "data", "breast_cancer.csv"), "utf8")
  .trim()
  .split("\n");
const header = csv[0].split(",");
const p = header.length - 1;
const body = csv.slice(1).map((l) => l.split(",").map(Number));
const n = body.length;
const CSV = join(tmp, "bc.csv");
const SVM = join(tmp, "bc.svm");
const MTX = join(tmp, "bc.mtx");
const LABELS = join(tmp, "bc.labels");
writeFileSync(CSV, csv.join("\n") + "\n");
writeFileSync(
  SVM,
  body
    .map((r) =>
      [
        r[p] === 1 ? "+1" : "-1",
        ...r.slice(0, p).flatMap((v, j) => (v === 0 ? [] : [`${j + 1}:${v}`])),
      ].join(" "),
    )
    .join("\n") + "\n",
);
const entries = body.flatMap((r, i) =>
  r.slice(0, p).flatMap((v, j) => (v === 0 ? [] : [`${i + 1} ${j + 1} ${v}`])),
);
// Entries in column order (Matrix Market files need not be row-ordered).
entries.sort((a, b) => Number(a.split(" ")[1]) - Number(b.split(" ")[1]));
writeFileSync(
  MTX,
  `%%MatrixMarket matrix coordinate real general\n${n} ${p} ${entries.length}\n${entries.join("\n")}\n`,
);
writeFileSync(LABELS, body.map((r) => (r[p] === 1 ? "malignant" : "benign")).join("\n") + "\n");

describe("regularize on sparse files (svmlight, Matrix Market)", () => {
  it("path: the same λ sequence and fit as from the CSV (objective within 1e-12, features named by index)", () => {
    const a = run(["path", CSV, "--family", "binomial", "--json", "csv.json"]);
    const b = run(["path", SVM, "--family", "binomial", "--json", "svm.json"]);
    const c = run(["path", MTX, "--labels", LABELS, "--family", "binomial", "--json", "mtx.json"]);
    for (const r of [a, b, c]) assert.equal(r.code, 0, r.err);
    const [jc, js, jm] = ["csv.json", "svm.json", "mtx.json"].map((f) =>
      JSON.parse(readFileSync(join(tmp, f), "utf8")),
    );
    assert.deepEqual(
      js.features,
      Array.from({ length: p }, (_, j) => String(j + 1)),
    );
    assert.equal(js.lambda.length, jc.lambda.length);
    for (let k = 0; k < jc.lambda.length; k++) {
      assert.ok(Math.abs(js.lambda[k] - jc.lambda[k]) <= 1e-12 * jc.lambda[k]);
      const excess = (js.objective[k] - jc.objective[k]) / Math.abs(jc.objective[k]);
      // 569 × 30 is small enough to hold dense (denseIsBetter): the sparse solver stops at the
      // dense solver's KKT ≤ 1e-7·λ, not the large-design 1e-3·λ, which left up to 6e-7 of
      // objective here (and coefficients printed differently from the CSV's: −90.00 / −89.98).
      assert.ok(Math.abs(excess) <= 1e-12, `λ #${k + 1}: excess ${excess}`);
      assert.ok(js.kktMax[k] <= 1.0001e-7 * js.lambda[k], `λ #${k + 1}: KKT ${js.kktMax[k]}`);
    }
    // svmlight and Matrix Market hold the same matrix: the same fit, to the last digit.
    assert.deepEqual(jm.objective, js.objective);
    assert.deepEqual(jm.lambda, js.lambda);
  });

  it("fit --folds --save, then predict and assess from svmlight and Matrix Market", () => {
    const model = join(tmp, "m.json");
    const f = run([
      "fit",
      SVM,
      "--family",
      "binomial",
      "--folds",
      "3",
      "--save",
      model,
      "--report",
      "r.html",
    ]);
    assert.equal(f.code, 0, f.err);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    assert.equal(saved.features.length, p);
    const ps = run(["predict", model, SVM, "--keep", "label"]);
    const pm = run(["predict", model, MTX]);
    assert.equal(ps.code, 0, ps.err);
    assert.equal(pm.code, 0, pm.err);
    const probs = (out: string, col: number) =>
      out
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => Number(l.split(",")[col]));
    // By hand: the model's coefficients on the file's rows.
    const b = saved.coefficients as number[];
    const byHand = body.map(
      (r) =>
        1 / (1 + Math.exp(-(saved.intercept + r.slice(0, p).reduce((s, v, j) => s + v * b[j], 0)))),
    );
    const fromSvm = probs(ps.out, 2);
    const fromMtx = probs(pm.out, 1);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(fromSvm[i] - byHand[i]) <= 1e-12, `row ${i + 1}`);
      assert.equal(fromMtx[i], fromSvm[i]);
    }
    const a = run(["assess", model, SVM, "--json", "a.json"]);
    assert.equal(a.code, 0, a.err);
    assert.ok(JSON.parse(readFileSync(join(tmp, "a.json"), "utf8")).measures.auc > 0.95);
  });

  it("refuses options a sparse file cannot take, in one line, before any work", () => {
    const cases: [string[], RegExp][] = [
      [["path", SVM, "--weights", "w"], /option '--weights': svmlight files have no named columns/],
      [["fit", SVM, "--target", "y"], /option '--target': svmlight files have no named columns/],
      [
        ["path", MTX, "--family", "binomial"],
        /option '--labels': .*bc\.mtx is a Matrix Market file/,
      ],
      [
        ["path", CSV, "--labels", LABELS],
        /option '--labels': for Matrix Market \(.mtx\) input only/,
      ],
      [["path", SVM, "--labels", LABELS], /svmlight files carry their labels/],
      [["path", SVM, "--categorical", "auto"], /svmlight files hold numbers only/],
      [["train", SVM], /sparse input .* is not supported by train/],
      [["path", SVM, "--engine", "duckdb"], /option '--engine': .*bc\.svm is a sparse file/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
    writeFileSync(join(tmp, "bad.svm"), "+1 1:0.5 2:1\n-1 3:1 2:4\n");
    const bad = run(["path", "bad.svm"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.svm: line 2: index 2 comes after 3/);
  });
});
