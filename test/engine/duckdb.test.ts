import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { cvPath, denseMatrix, elasticNetPath, Random } from "../../src/index.js";
import { foldOf } from "../../src/engine/sql.js";
import { ROOT } from "../helpers/fixtures.js";
import { xyOfCsv } from "../helpers/rows.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-engine-"));
const diabetes = join(ROOT, "data", "diabetes.csv");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (f: string) => JSON.parse(readFileSync(f, "utf8"));
function maxRel(a: number[], b: number[]) {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]) / Math.abs(b[k])));
}
/** A DuckDB statement on a fresh in-memory database (to write test files). */
async function duck(sql: string[]) {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  for (const s of sql) await c.run(s);
}

describe("--engine duckdb: the Gaussian path and CV from SQL sums equal the in-memory fit", () => {
  it("path: same λ grid, objective within 1e-9, same supports (CSV and Parquet)", async () => {
    const parquet = join(tmp, "diabetes.parquet");
    await duck([`COPY (SELECT * FROM read_csv('${diabetes}')) TO '${parquet}' (FORMAT parquet)`]);
    for (const [file, extra] of [
      [diabetes, []],
      [parquet, []],
      [diabetes, ["--alpha", "0.5"]],
      [parquet, ["--no-standardize", "--penalty-factor", "1,1,0.5,1,1,1,1,1,2,1"]],
      [diabetes, ["--lower-limits", "0", "--alpha", "0.8"]],
    ] as [string, string[]][]) {
      const a = join(tmp, "mem.json");
      const b = join(tmp, "eng.json");
      assert.equal(run(["path", file, ...extra, "--json", a]).code, 0);
      const r = run(["path", file, ...extra, "--engine", "duckdb", "--json", b]);
      assert.equal(r.code, 0, r.err);
      const m = json(a);
      const e = json(b);
      assert.ok(maxRel(e.lambda, m.lambda) < 1e-12);
      assert.ok(maxRel(e.objective, m.objective) < 1e-9, `${file} ${extra.join(" ")}`);
      assert.deepEqual(e.df, m.df);
      assert.deepEqual(e.features, m.features);
      e.kktMax.forEach((v: number, k: number) => assert.ok(v <= 1e-7 * e.lambda[k] + 1e-12));
    }
  });

  it("a glob of Parquet files is one table (files in name order)", async () => {
    const dir = join(tmp, "parts");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    await duck([
      `CREATE TABLE d AS SELECT *, row_number() OVER () AS r FROM read_csv('${diabetes}')`,
      `COPY (SELECT * EXCLUDE (r) FROM d WHERE r <= 200) TO '${join(dir, "a.parquet")}' (FORMAT parquet)`,
      `COPY (SELECT * EXCLUDE (r) FROM d WHERE r > 200) TO '${join(dir, "b.parquet")}' (FORMAT parquet)`,
    ]);
    const a = join(tmp, "glob.json");
    const m = join(tmp, "glob-mem.json");
    const r = run(["path", join(dir, "*.parquet"), "--engine", "duckdb", "--json", a]);
    assert.equal(r.code, 0, r.err);
    assert.equal(run(["path", diabetes, "--json", m]).code, 0);
    assert.ok(maxRel(json(a).objective, json(m).objective) < 1e-9);
  });

  it("cv: exact K-fold CV by position equals cvPath with the same fold ids", async () => {
    const b = join(tmp, "cv-eng.json");
    const r = run([
      "cv",
      diabetes,
      "--engine",
      "duckdb",
      "--folds",
      "5",
      "--seed",
      "7",
      "--json",
      b,
    ]);
    assert.equal(r.code, 0, r.err);
    const e = json(b);
    const { x, y, n } = xyOfCsv(diabetes);
    const foldId = Int32Array.from({ length: n }, (_, i) => foldOf(i, 5, 7));
    const ref = await cvPath(x, y, { family: "gaussian", foldId, workers: 0 });
    assert.ok(maxRel(e.cv.cvm, Array.from(ref.cvm)) < 1e-8);
    assert.equal(e.cv.lambdaMin, e.lambda[ref.indexMin]);
    assert.equal(e.cv.lambda1se, e.lambda[ref.index1se]);
    assert.deepEqual(
      e.cv.foldSizes,
      [1, 2, 3, 4, 5].map((f) => foldId.filter((v) => v === f).length),
    );
  });

  it("columns of mean 10⁶ and sd 1 through DuckDB agree with the in-memory fit", () => {
    const rng = new Random(11);
    const lines = ["a,b,c,y"];
    const n = 3000;
    const xs: number[][] = [];
    for (let i = 0; i < n; i++) {
      const r = [1e6 + rng.normal(), 1e6 + rng.normal(), 5 + rng.normal()];
      xs.push(r);
      lines.push([...r, 1e6 + (r[0] - 1e6) - 0.3 * (r[2] - 5) + rng.normal()].join(","));
    }
    const f = join(tmp, "big-mean.csv");
    writeFileSync(f, lines.join("\n") + "\n");
    const b = join(tmp, "big-mean.json");
    assert.equal(run(["path", f, "--engine", "duckdb", "--json", b]).code, 0);
    const e = json(b);
    const x = denseMatrix(
      n,
      3,
      Float64Array.from({ length: 3 * n }, (_, t) => xs[t % n][Math.floor(t / n)]),
    );
    const y = Float64Array.from(lines.slice(1), (l) => Number(l.split(",")[3]));
    const m = elasticNetPath(x, y);
    assert.ok(maxRel(e.objective, Array.from(m.objective)) < 1e-9);
  });

  it("a DuckDB database table, --missing drop, and the automatic move past the memory budget", async () => {
    const dbFile = join(tmp, "d.duckdb");
    const db = await DuckDBInstance.create(dbFile);
    const c = await db.connect();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${diabetes}')`);
    c.closeSync();
    db.closeSync();
    const a = join(tmp, "db.json");
    const r = run(["path", `duckdb:${dbFile}/t`, "--engine", "duckdb", "--json", a]);
    assert.equal(r.code, 0, r.err);
    const m = join(tmp, "mem2.json");
    assert.equal(run(["path", diabetes, "--json", m]).code, 0);
    assert.ok(maxRel(json(a).objective, json(m).objective) < 1e-9);
    // missing cells: left out, as --missing drop in memory
    const lines = readFileSync(diabetes, "utf8").trim().split(/\r?\n/);
    const holes = join(tmp, "holes.csv");
    writeFileSync(
      holes,
      lines.map((l, i) => (i % 50 === 7 ? l.replace(/^[^,]*/, "") : l)).join("\n") + "\n",
    );
    const d1 = join(tmp, "drop-mem.json");
    const d2 = join(tmp, "drop-eng.json");
    assert.equal(run(["path", holes, "--missing", "drop", "--json", d1]).code, 0);
    const re = run(["path", holes, "--missing", "drop", "--engine", "duckdb", "--json", d2]);
    assert.equal(re.code, 0, re.err);
    assert.match(re.err, /9 rows with missing values left out/);
    assert.ok(maxRel(json(d2).objective, json(d1).objective) < 1e-9);
    const refused = run(["path", holes, "--engine", "duckdb"]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /column 'age' has 9 missing values \(choose --missing drop\)/);
    // past the memory budget: one line, then the engine
    const auto = join(tmp, "auto.json");
    const ra = run(["path", diabetes, "--memory-budget", "10k", "--json", auto]);
    assert.equal(ra.code, 0, ra.err);
    assert.match(
      ra.err,
      /does not fit the memory budget; fitting from SQL sums with --engine duckdb/,
    );
    assert.ok(maxRel(json(auto).objective, json(m).objective) < 1e-9);
  });

  it("fit --engine duckdb: the path and CV of cv --engine duckdb, a saved model predict uses, a report", () => {
    const j = join(tmp, "fit-eng.json");
    const model = join(tmp, "fit-eng-model.json");
    const report = join(tmp, "fit-eng.html");
    const r = run([
      "fit",
      diabetes,
      "--engine",
      "duckdb",
      "--folds",
      "5",
      "--seed",
      "3",
      "--json",
      j,
      "--save",
      model,
      "--report",
      report,
    ]);
    assert.equal(r.code, 0, r.err);
    const cv = join(tmp, "fit-eng-cv.json");
    assert.equal(
      run(["cv", diabetes, "--engine", "duckdb", "--folds", "5", "--seed", "3", "--json", cv]).code,
      0,
    );
    const f = json(j);
    const c = json(cv);
    assert.deepEqual(f.lambda, c.lambda);
    assert.equal(f.selected.lambda, c.cv.lambda1se);
    assert.ok(maxRel(f.cv.cvm, c.cv.cvm) < 1e-12);
    // the saved model's standardization is the data's
    const m = json(model);
    const ages = readFileSync(diabetes, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => Number(l.split(",")[0]));
    const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
    assert.ok(Math.abs(m.standardization.mean[0] - mean) < 1e-9 * mean);
    const p = run(["predict", model, diabetes]);
    assert.equal(p.code, 0, p.err);
    assert.equal(p.out.trim().split("\n").length, 443);
    assert.match(readFileSync(report, "utf8"), /<svg/);
    const stab = run(["fit", diabetes, "--engine", "duckdb", "--stability", "20"]);
    assert.equal(stab.code, 2);
    assert.match(stab.err, /'--stability': needs the rows in memory/);
  });

  it("binomial and Poisson paths by IRLS scans: glmPath's objective within 1e-8, passes per λ reported", () => {
    const bc = join(ROOT, "data", "breast_cancer.csv");
    const lines = readFileSync(diabetes, "utf8").trim().split(/\r?\n/);
    const counts = join(tmp, "counts.csv");
    writeFileSync(
      counts,
      [
        lines[0],
        ...lines
          .slice(1)
          .map((l) => l.replace(/[^,]*$/, (v) => String(Math.floor(Number(v) / 25)))),
      ].join("\n") + "\n",
    );
    for (const [file, family] of [
      [bc, "binomial"],
      [counts, "poisson"],
    ]) {
      const a = join(tmp, `${family}-mem.json`);
      const b = join(tmp, `${family}-eng.json`);
      assert.equal(run(["path", file, "--family", family, "--json", a]).code, 0);
      const r = run(["path", file, "--family", family, "--engine", "duckdb", "--json", b]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /scans of the table \(\d+ with the weighted Gram\).*per λ/);
      const m = json(a);
      const e = json(b);
      assert.ok(maxRel(e.lambda, m.lambda) < 1e-12);
      assert.ok(maxRel(e.objective, m.objective) < 1e-8, `${family} objective`);
      assert.equal(e.passesPerLambda.length, e.lambda.length);
      e.kktMax.forEach((v: number, k: number) => assert.ok(v <= 1e-5 * e.lambda[k]));
    }
    const model = join(tmp, "bc-engine-model.json");
    const f = run([
      "fit",
      counts,
      "--family",
      "poisson",
      "--engine",
      "duckdb",
      "--folds",
      "3",
      "--nlambda",
      "15",
      "--save",
      model,
    ]);
    assert.equal(f.code, 0, f.err);
    const m = json(model);
    assert.equal(m.family, "poisson");
    assert.equal(m.features.length, 10);
    assert.equal(run(["predict", model, counts]).code, 0);
  });

  it("binomial CV through the engine: held-out deviance scored in SQL, equal to cvPath with the same folds", async () => {
    const bc = join(ROOT, "data", "breast_cancer.csv");
    const parquet = join(tmp, "bc.parquet");
    await duck([`COPY (SELECT * FROM read_csv('${bc}')) TO '${parquet}' (FORMAT parquet)`]);
    const b = join(tmp, "bc-cv.json");
    const r = run([
      "cv",
      parquet,
      "--family",
      "binomial",
      "--engine",
      "duckdb",
      "--folds",
      "3",
      "--seed",
      "5",
      "--nlambda",
      "20",
      "--json",
      b,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /scans of the table \(path and 3 folds\)/);
    const e = json(b);
    const { x, y, n } = xyOfCsv(bc);
    const foldId = Int32Array.from({ length: n }, (_, i) => foldOf(i, 3, 5));
    const ref = await cvPath(x, y, { family: "binomial", foldId, nLambda: 20, workers: 0 });
    assert.equal(e.cv.measure, "deviance");
    assert.ok(maxRel(e.cv.cvm, Array.from(ref.cvm)) < 1e-4);
    assert.equal(e.cv.lambdaMin, e.lambda[ref.indexMin]);
    assert.equal(e.cv.lambda1se, e.lambda[ref.index1se]);
  });

  it("--fold-column: the folds a column gives, in memory and through the engine alike", () => {
    const lines = readFileSync(diabetes, "utf8").trim().split(/\r?\n/);
    const ids = Array.from({ length: lines.length - 1 }, (_, i) => ((i * 7) % 4) + 1);
    const withFolds = join(tmp, "with-folds.csv");
    writeFileSync(
      withFolds,
      [`fold,${lines[0]}`, ...lines.slice(1).map((l, i) => `${ids[i]},${l}`)].join("\n") + "\n",
    );
    const foldFile = join(tmp, "ids.txt");
    writeFileSync(foldFile, ids.join("\n") + "\n");
    const a = join(tmp, "fc-mem.json");
    const b = join(tmp, "fc-eng.json");
    const c = join(tmp, "fc-file.json");
    assert.equal(run(["cv", withFolds, "--fold-column", "fold", "--json", a]).code, 0);
    const r = run(["cv", withFolds, "--fold-column", "fold", "--engine", "duckdb", "--json", b]);
    assert.equal(r.code, 0, r.err);
    assert.equal(run(["cv", diabetes, "--foldid", foldFile, "--json", c]).code, 0);
    const m = json(a);
    const e = json(b);
    const f = json(c);
    assert.deepEqual(m.features, f.features); // the fold column is not a feature
    assert.deepEqual(e.features, f.features);
    assert.ok(maxRel(m.cv.cvm, f.cv.cvm) < 1e-12);
    assert.ok(maxRel(e.cv.cvm, f.cv.cvm) < 1e-8);
    assert.equal(e.cv.lambda1se, e.lambda[f.lambda.indexOf(f.cv.lambda1se)]);
    assert.equal(e.cv.foldRule, "fold = column 'fold'");
    const bad = join(tmp, "bad-folds.csv");
    writeFileSync(bad, readFileSync(withFolds, "utf8").replace(/\n3,/, "\nx,"));
    const rb = run(["cv", bad, "--fold-column", "fold"]);
    assert.equal(rb.code, 2);
    assert.match(rb.err, /column 'fold': 'x' is not a fold number/);
  });

  it("--weights and --offset: columns apart from the features, the same fits in memory and through the engine", () => {
    const lines = readFileSync(diabetes, "utf8").trim().split(/\r?\n/);
    const file = join(tmp, "weighted.csv");
    writeFileSync(
      file,
      [
        `w,expo,${lines[0]},fold`,
        ...lines.slice(1).map((l, i) => {
          const y = Number(l.split(",").pop());
          const counts = l.replace(/[^,]*$/, String(Math.floor(y / 25)));
          return `${0.5 + ((i * 13) % 7) / 4},${(((i * 5) % 9) - 4) / 10},${counts},${(i % 4) + 1}`;
        }),
      ].join("\n") + "\n",
    );
    const cases: [string, string[]][] = [
      ["gaussian", ["--weights", "w", "--target", "progression"]],
      ["poisson", ["--weights", "w", "--offset", "expo", "--target", "progression"]],
    ];
    for (const [family, extra] of cases) {
      const a = join(tmp, `w-${family}-mem.json`);
      const b = join(tmp, `w-${family}-eng.json`);
      const args = [
        "cv",
        file,
        "--family",
        family,
        "--fold-column",
        "fold",
        "--nlambda",
        "30",
        ...extra,
      ];
      const rm = run([...args, "--json", a]);
      assert.equal(rm.code, 0, rm.err);
      const re = run([...args, "--engine", "duckdb", "--json", b]);
      assert.equal(re.code, 0, re.err);
      const m = json(a);
      const e = json(b);
      // the weights, the fold and (when it is one) the offset column are not features
      const names = lines[0].split(",").slice(0, -1);
      assert.deepEqual(m.features, family === "gaussian" ? ["expo", ...names] : names);
      assert.deepEqual(e.features, m.features);
      assert.ok(maxRel(e.objective, m.objective) < 1e-8, `${family} objective`);
      assert.ok(
        maxRel(e.cv.cvm, m.cv.cvm) < (family === "gaussian" ? 1e-8 : 1e-4),
        `${family} cvm`,
      );
      assert.equal(e.lambda.indexOf(e.cv.lambda1se), m.lambda.indexOf(m.cv.lambda1se));
      assert.equal(e.lambda.indexOf(e.cv.lambdaMin), m.lambda.indexOf(m.cv.lambdaMin));
    }
    // weights change the fit; an offset is refused for the gaussian family
    const plain = join(tmp, "w-plain.json");
    assert.equal(run(["path", file, "--target", "progression", "--json", plain]).code, 0);
    const weighted = json(join(tmp, "w-gaussian-mem.json"));
    assert.notDeepEqual(json(plain).lambda, weighted.lambda);
    const off = run(["path", file, "--target", "progression", "--offset", "expo"]);
    assert.equal(off.code, 2);
    assert.match(off.err, /'--offset': only for --family binomial, poisson or cox/);
    const neg = join(tmp, "neg-w.csv");
    writeFileSync(neg, readFileSync(file, "utf8").replace(/\n0\.5,/, "\n-1,"));
    const rn = run(["path", neg, "--target", "progression", "--weights", "w"]);
    assert.equal(rn.code, 2);
    assert.match(rn.err, /column 'w' \(--weights\): '-1' is not a number ≥ 0/);
  });

  it("bad sources and what the engine does not do: one line, exit 2", async () => {
    const text = join(tmp, "text.csv");
    writeFileSync(text, "a,b,y\n1,x,3\n2,y,4\n3,z,6\n");
    const nan = join(tmp, "nan.parquet");
    await duck([
      `COPY (SELECT 1.0 AS a, 'nan'::DOUBLE AS b, 2.0 AS y UNION ALL SELECT 2.0, 1.0, 3.0) TO '${nan}' (FORMAT parquet)`,
    ]);
    const cases: [string[], RegExp][] = [
      [
        ["path", join(tmp, "none.parquet"), "--engine", "duckdb"],
        /none\.parquet: cannot read the file/,
      ],
      [["path", diabetes, "--engine", "duckdb", "--target", "nope"], /no column named 'nope'/],
      [["path", text, "--engine", "duckdb"], /column 'b' has type VARCHAR/],
      [["path", nan, "--engine", "duckdb"], /column 'b' has 1 non-finite values/],
      [["path", diabetes, "--engine", "duckdb", "--family", "binomial"], /values outside \[0, 1\]/],
      [
        ["path", diabetes, "--engine", "duckdb", "--family", "multinomial"],
        /multinomial runs in memory/,
      ],
      [["path", diabetes, "--engine", "spark"], /'--engine': unknown value 'spark'/],
      [["cv", diabetes, "--engine", "duckdb", "--measure", "mae"], /cross-validates by mse/],
      [["path", `duckdb:${join(tmp, "no.duckdb")}/t`, "--engine", "duckdb"], /no DuckDB database/],
      [
        ["path", diabetes, "--engine", "duckdb", "--missing", "mean"],
        /mean needs the rows in memory/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  });
});
