import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cvPath } from "../../src/cv/cvPath.js";
import { denseMatrix, fit } from "../../src/index.js";
import { Random } from "../../src/random.js";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-families-"));
function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A data file with two Gaussian responses, a count and a positive cost.
const rng = new Random(11);
const n = 160;
const cols: Record<string, number[]> = { a: [], b: [], c: [], y1: [], y2: [], count: [], cost: [] };
for (let i = 0; i < n; i++) {
  const [a, b, c] = [rng.normal(), rng.normal(), rng.normal()].map(
    (v) => Math.round(v * 1e4) / 1e4,
  );
  cols.a.push(a);
  cols.b.push(b);
  cols.c.push(c);
  cols.y1.push(Math.round((a - b + rng.normal()) * 1e4) / 1e4);
  cols.y2.push(Math.round((2 * a + rng.normal()) * 1e4) / 1e4);
  cols.count.push(Math.floor(Math.exp(0.5 + 0.5 * a) * 2 * rng.uniform()));
  cols.cost.push(Math.round(Math.exp(1 + 0.4 * b) * (0.2 + 1.6 * rng.uniform()) * 1e4) / 1e4);
}
const names = Object.keys(cols);
const FILE = join(tmp, "families.csv");
writeFileSync(
  FILE,
  [names.join(","), ...cols.a.map((_, i) => names.map((k) => cols[k][i]).join(","))].join("\n") +
    "\n",
);
const design = (features: string[]) =>
  denseMatrix(n, features.length, Float64Array.from(features.flatMap((f) => cols[f])));

describe("regularize path / cv with mgaussian and families by link", () => {
  it("path --family mgaussian --target y1,y2: the library's path, one set per response", () => {
    const out = join(tmp, "mg.json");
    const r = run(["path", FILE, "--family", "mgaussian", "--target", "y1,y2", "--json", out]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(doc.responses, ["y1", "y2"]);
    const features = ["a", "b", "c", "count", "cost"];
    assert.deepEqual(doc.features, features);
    const Y = denseMatrix(n, 2, Float64Array.from([...cols.y1, ...cols.y2]));
    const lib = fit(design(features), Y, { family: "mgaussian" });
    assert.deepEqual(doc.lambda, Array.from(lib.lambda));
    assert.equal(doc.intercept[5].length, 2);
    assert.deepEqual(
      doc.coefficients.at(-1)[1].value,
      Array.from(lib.coefficients.at(-1)![1].value),
    );
  });

  it("cv --family gamma --link log: the library's cross-validation", async () => {
    const out = join(tmp, "gamma.json");
    const r = run([
      "cv",
      FILE,
      "--family",
      "gamma",
      "--target",
      "cost",
      "--link",
      "log",
      "--folds",
      "5",
      "--json",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.link, "log");
    const features = ["a", "b", "c", "y1", "y2", "count"];
    const lib = await cvPath(design(features), cols.cost, {
      family: "gamma",
      link: "log",
      foldId: doc.cv.foldId,
    });
    assert.deepEqual(doc.cv.cvm, Array.from(lib.cvm));
    assert.equal(doc.cv.lambdaMin, lib.lambdaMin);
  });

  it("negative binomial with --theta, binomial --link probit on a 0/1 column", () => {
    const nb = run([
      "path",
      FILE,
      "--family",
      "negative-binomial",
      "--target",
      "count",
      "--theta",
      "1.5",
    ]);
    assert.equal(nb.code, 0, nb.err);
    assert.match(nb.out, /Df\s+%Dev\s+Lambda/);
  });

  it("fit --save then predict: mgaussian one column per response, gamma the mean e^η", () => {
    const mg = join(tmp, "mg-model.json");
    const r = run(["fit", FILE, "--family", "mgaussian", "--target", "y1,y2", "--save", mg]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^lasso \(mgaussian\) on .*: targets 'y1', 'y2', \d+ rows/);
    const m = JSON.parse(readFileSync(mg, "utf8"));
    assert.deepEqual(m.responses, ["y1", "y2"]);
    const p = run(["predict", mg, FILE]);
    assert.equal(p.code, 0, p.err);
    const lines = p.out.trim().split("\n");
    assert.equal(lines[0], "prediction_y1,prediction_y2");
    // Row 1 by hand from the saved coefficients.
    const features: string[] = m.features;
    for (let c = 0; c < 2; c++) {
      let e = m.intercept[c];
      features.forEach((f, j) => (e += m.coefficients[c][j] * cols[f][0]));
      assert.ok(Math.abs(Number(lines[1].split(",")[c]) - e) <= 1e-12 * (1 + Math.abs(e)));
    }
    const gm = join(tmp, "gamma-model.json");
    const g = run([
      "fit",
      FILE,
      "--family",
      "gamma",
      "--link",
      "log",
      "--target",
      "cost",
      "--save",
      gm,
    ]);
    assert.equal(g.code, 0, g.err);
    const q = run(["predict", gm, FILE]);
    assert.equal(q.code, 0, q.err);
    const [mean, link] = q.out.trim().split("\n")[1].split(",").map(Number);
    assert.ok(Math.abs(mean - Math.exp(link)) <= 1e-12 * mean);
    assert.equal(JSON.parse(readFileSync(gm, "utf8")).link, "log");
  });

  it("bad family options: one line naming the flag, exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["--family", "mgaussian", "--target", "y1"], /needs two or more response columns/],
      [["--family", "gamma", "--target", "y1"], /row 1, column 'y1': gamma needs values > 0/],
      [
        ["--family", "negative-binomial", "--target", "count"],
        /'--theta': --family negative-binomial needs θ/,
      ],
      [
        ["--family", "gamma", "--target", "cost", "--link", "logit"],
        /gamma takes inverse, identity, log/,
      ],
      [
        ["--family", "poisson", "--target", "count", "--theta", "2"],
        /'--theta': only for --family negative-binomial \(not poisson\)/,
      ],
      [["--target", "y1,y2"], /several targets \(y1, y2\) are for --family mgaussian/],
      [["--family", "multinomial", "--target", "count", "--link", "log"], /no choice of link/],
      [["--target", "y1", "--threads", "0"], /'--threads'.*1/],
      [["--family", "gamma", "--target", "cost", "--engine", "duckdb"], /gamma runs in memory/],
      [
        ["--family", "binomial", "--target", "y1", "--link", "probit", "--engine", "duckdb"],
        /probit link is fitted in memory/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = run(["path", FILE, ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  });
});
