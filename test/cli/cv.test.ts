import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT, readFixture } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const data = (name: string) => join(ROOT, "data", `${name}.csv`);
const tmp = mkdtempSync(join(tmpdir(), "regularize-cv-"));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface CvCase {
  name: string;
  data: string;
  family: string;
  measure: string;
  foldid: number[];
  cvm: number[];
  lambdaMin: number;
  lambda1se: number;
}
const { cv } = readFixture<{ cv: CvCase[] }>("glmnet-glm.json");

describe("regularize cv (spawned as a user would)", () => {
  it("--foldid and --json give cv.glmnet's λ_min and λ_1se, with the path document and a cv object", () => {
    const c = cv.find((k) => k.family === "binomial" && k.measure === "auc")!;
    const folds = join(tmp, "folds.txt");
    writeFileSync(folds, c.foldid.join("\n") + "\n");
    const out = join(tmp, "cv.json");
    const r = run(
      "cv",
      data(c.data),
      "--family",
      "binomial",
      "--measure",
      "auc",
      "--foldid",
      folds,
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.family, "binomial");
    assert.equal(doc.features.length, 30);
    assert.equal(doc.cv.measure, "auc");
    assert.deepEqual(Object.keys(doc.cv).slice(0, 6), [
      "measure",
      "lambda",
      "cvm",
      "cvsd",
      "cvup",
      "cvlo",
    ]);
    assert.ok(Math.abs(doc.cv.lambdaMin - c.lambdaMin) < 1e-12 * c.lambdaMin);
    assert.ok(Math.abs(doc.cv.lambda1se - c.lambda1se) < 1e-12 * c.lambda1se);
    assert.equal(doc.cv.cvm.length, doc.lambda.length);
  });

  it("fit --foldid takes the same fold file: cv.glmnet's λ_min and λ_1se again, the folds named", () => {
    const c = cv.find((k) => k.family === "binomial" && k.measure === "auc")!;
    const folds = join(tmp, "fit-folds.txt");
    writeFileSync(folds, c.foldid.join("\n") + "\n");
    const out = join(tmp, "fit-foldid.json");
    const args = ["--family", "binomial", "--measure", "auc", "--foldid", folds, "--select", "min"];
    const r = run("fit", data(c.data), ...args, "--json", out);
    assert.equal(r.code, 0, r.err);
    const nFolds = new Set(c.foldid).size;
    assert.match(
      r.out,
      new RegExp(`^${nFolds}-fold cross-validation \\(auc, folds from --foldid `, "m"),
    );
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.cv.folds, nFolds);
    assert.deepEqual(doc.cv.foldId, c.foldid);
    assert.ok(Math.abs(doc.cv.lambdaMin - c.lambdaMin) < 1e-12 * c.lambdaMin);
    assert.ok(Math.abs(doc.cv.lambda1se - c.lambda1se) < 1e-12 * c.lambda1se);
    assert.equal(doc.selected.lambda, doc.cv.lambdaMin);
    // the same check of the file as cv's, and no engine: its folds follow the row's position
    const short = join(tmp, "fit-short.txt");
    writeFileSync(short, "1\n2\n3\n");
    for (const [extra, msg] of [
      [["--foldid", short], /fit-short\.txt: has 3 fold ids but the data have 569 rows/],
      [["--foldid", folds, "--engine", "duckdb"], /option '--foldid': with --engine duckdb/],
      [["--foldid", folds, "--fold-column", "x"], /'--foldid' and '--fold-column' both/],
    ] as const) {
      const e = run("fit", data(c.data), "--family", "binomial", ...extra);
      assert.equal(e.code, 2, e.err);
      assert.match(e.err, msg);
      assert.equal(e.err.trim().split("\n").length, 1, e.err);
    }
  });

  it("prints the curve with λ_min and λ_1se marked; the same seed gives the same folds", () => {
    const a = run("cv", data("diabetes"), "--folds", "5", "--seed", "4");
    const b = run("cv", data("diabetes"), "--folds", "5", "--seed", "4");
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    assert.match(a.out, /Lambda\s+Df\s+mse\s+SE/);
    assert.match(a.out, /\bmin\b/);
    assert.match(a.out, /lambda\.1se = /);
  });

  it("--workers 2 runs the folds on worker threads with the same curve; --threads the same", () => {
    const base = run(
      "cv",
      data("diabetes"),
      "--folds",
      "5",
      "--seed",
      "4",
      "--json",
      join(tmp, "w1.json"),
    );
    const pool = run(
      "cv",
      data("diabetes"),
      "--folds",
      "5",
      "--seed",
      "4",
      "--workers",
      "2",
      "--threads",
      "1",
      "--json",
      join(tmp, "w2.json"),
    );
    assert.equal(base.code, 0, base.err);
    assert.equal(pool.code, 0, pool.err);
    assert.equal(pool.out, base.out);
    const [a, b] = ["w1", "w2"].map((f) =>
      JSON.parse(readFileSync(join(tmp, `${f}.json`), "utf8")),
    );
    assert.deepEqual(b.cv, a.cv);
  });

  it("a binomial target with two labels is coded 0/1 (--positive picks the 1)", () => {
    const f = join(tmp, "labels.csv");
    const rows = readFileSync(data("breast_cancer"), "utf8").trim().split(/\r?\n/);
    // Labels 7 (malignant) and 2 (benign) instead of 1 and 0.
    const numeric = rows.map((l, i) =>
      i === 0 ? l : l.replace(/,(0|1)$/, (_m, v) => (v === "1" ? ",7" : ",2")),
    );
    writeFileSync(f, numeric.join("\n") + "\n");
    const a = run("path", f, "--family", "binomial", "--json", join(tmp, "a.json"));
    const b = run(
      "path",
      data("breast_cancer"),
      "--family",
      "binomial",
      "--json",
      join(tmp, "b.json"),
    );
    assert.equal(b.code, 0, b.err);
    const c = run(
      "path",
      f,
      "--family",
      "binomial",
      "--positive",
      "2",
      "--json",
      join(tmp, "c.json"),
    );
    assert.equal(a.code, 0, a.err);
    assert.equal(c.code, 0, c.err);
    const ja = JSON.parse(readFileSync(join(tmp, "a.json"), "utf8"));
    const jb = JSON.parse(readFileSync(join(tmp, "b.json"), "utf8"));
    const jc = JSON.parse(readFileSync(join(tmp, "c.json"), "utf8"));
    assert.deepEqual(ja.coefficients, jb.coefficients);
    // Swapping the positive class flips every coefficient's sign, to the accuracy both fits
    // certify (KKT violation ≤ 1e-7·λ; their paths of Newton steps need not mirror each other).
    for (const k of [5, 10, 40]) {
      assert.deepEqual(jc.coefficients[k].index, ja.coefficients[k].index);
      jc.coefficients[k].value.forEach((v: number, t: number) =>
        assert.ok(
          Math.abs(v + ja.coefficients[k].value[t]) < 1e-6 * (1 + Math.abs(v)),
          `λ #${k + 1}`,
        ),
      );
    }
  });

  it("path --family multinomial writes one coefficient set per class, matching the library", () => {
    const out = join(tmp, "wine.json");
    const r = run("path", data("wine"), "--family", "multinomial", "--json", out);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.family, "multinomial");
    assert.deepEqual(doc.classes, [0, 1, 2]);
    assert.equal(doc.coefficients[30].length, 3);
    assert.equal(doc.intercept[30].length, 3);
    assert.ok(Math.abs(doc.intercept[30].reduce((u: number, v: number) => u + v, 0)) < 1e-9);
    const table = run("path", data("wine"), "--family", "multinomial");
    assert.match(table.out, /Df\s+%Dev\s+Lambda/);
    const cvOut = join(tmp, "wine-cv.json");
    const cvRun = run(
      "cv",
      data("wine"),
      "--family",
      "multinomial",
      "--measure",
      "class",
      "--folds",
      "3",
      "--json",
      cvOut,
    );
    assert.equal(cvRun.code, 0, cvRun.err);
    const cvDoc = JSON.parse(readFileSync(cvOut, "utf8"));
    assert.equal(cvDoc.cv.measure, "class");
    assert.equal(cvDoc.coefficients[10].length, 3);
  });

  it("--grouped fits glmnet's grouped multinomial: each feature in every class or none", () => {
    const out = join(tmp, "wine-grouped.json");
    const r = run(
      "cv",
      data("wine"),
      "--family",
      "multinomial",
      "--grouped",
      "--folds",
      "3",
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    for (const perClass of doc.coefficients as { index: number[] }[][]) {
      const first = JSON.stringify(perClass[0].index);
      for (const b of perClass) assert.equal(JSON.stringify(b.index), first);
    }
    assert.ok(doc.df.at(-1) >= 10);
  });

  it("refuses bad input with one line naming the problem, exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["cv", data("diabetes"), "--family", "binomial"], /progression.*distinct values.*binomial/],
      [["cv", data("diabetes"), "--measure", "auc"], /'--measure'.*auc.*gaussian/],
      [["cv", data("diabetes"), "--folds", "1"], /--folds/],
      [["cv", data("diabetes"), "--stratified"], /--stratified/],
      [["cv", data("diabetes"), "--family", "nope"], /--family.*nope/],
      [["path", data("diabetes"), "--family", "multinomial"], /214 distinct values.*multinomial/],
      [["path", data("diabetes"), "--grouped"], /'--grouped'.*multinomial/],
      [["cv", data("diabetes"), "--foldid", join(tmp, "missing.txt")], /--foldid.*missing\.txt/],
    ];
    const short = join(tmp, "short.txt");
    writeFileSync(short, "1\n2\n3\n");
    cases.push([["cv", data("diabetes"), "--foldid", short], /3 fold ids.*442 rows/]);
    const bad = join(tmp, "bad.txt");
    writeFileSync(
      bad,
      Array.from({ length: 442 }, (_, i) => (i === 9 ? "x" : String((i % 5) + 1))).join("\n"),
    );
    cases.push([["cv", data("diabetes"), "--foldid", bad], /bad\.txt: line 10/]);
    const neg = join(tmp, "neg.csv");
    writeFileSync(neg, "a,b,y\n1,2,3\n2,1,-1\n3,3,2\n");
    cases.push([["path", neg, "--family", "poisson"], /row 2, column 'y'.*≥ 0/]);
    for (const [args, pattern] of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
      assert.doesNotMatch(r.err, /at .*\.js/);
    }
  });
});
