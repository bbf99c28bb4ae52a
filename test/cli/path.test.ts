import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT, readFixture } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const DIABETES = join(ROOT, "data", "diabetes.csv");
const tmp = mkdtempSync(join(tmpdir(), "regularize-cli-"));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

describe("regularize path (spawned as a user would)", () => {
  it("prints glmnet's table (Df, %Dev, Lambda) for the diabetes lasso", () => {
    const r = run("path", DIABETES);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split("\n");
    assert.match(lines[0], /Df\s+%Dev\s+Lambda/);
    assert.match(lines[1], /^\s*1\s+0\s+0\.00\s+45\.16$/);
    assert.ok(lines.length > 80);
  });

  it("--json writes the documented document, one fitSeconds per --repeat", () => {
    const out = join(tmp, "path.json");
    const r = run(
      "path",
      DIABETES,
      "--alpha",
      "0.5",
      "--nlambda",
      "30",
      "--repeat",
      "3",
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, "");
    const j = JSON.parse(readFileSync(out, "utf8"));
    for (const key of [
      "family",
      "alpha",
      "features",
      "lambda",
      "intercept",
      "coefficients",
      "df",
      "devRatio",
      "kktMax",
      "fitSeconds",
    ]) {
      assert.ok(key in j, key);
    }
    assert.equal(j.family, "gaussian");
    assert.equal(j.alpha, 0.5);
    assert.equal(j.features.length, 10);
    assert.equal(j.fitSeconds.length, 3);
    assert.equal(j.lambda.length, j.coefficients.length);
    assert.deepEqual(j.coefficients[0], { index: [], value: [] });
    const last = j.coefficients.at(-1);
    assert.equal(last.index.length, j.df.at(-1));
  });

  it("--lambda, --penalty-factor and limits reach the solver (matches glmnet's non-negative fit)", () => {
    const fx = readFixture<{ cases: { name: string; lambda: number[]; beta: number[][] }[] }>(
      "glmnet-gaussian.json",
    );
    const c = fx.cases.find((k) => k.name === "diabetes non-negative")!;
    const out = join(tmp, "nn.json");
    const lam = c.lambda.slice(0, 40);
    const r = run(
      "path",
      DIABETES,
      "--lower-limits",
      "0",
      "--lambda",
      lam.join(","),
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(readFileSync(out, "utf8"));
    for (const co of j.coefficients) for (const v of co.value) assert.ok(v >= 0);
    // supports agree with glmnet's at its λ (λ #1 is λmax rounded to 15 digits: borderline)
    for (let k = 1; k < lam.length; k++) {
      const theirs = c.beta[k].map((v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0);
      assert.deepEqual(j.coefficients[k].index, theirs, `λ #${k + 1}`);
    }
  });

  it("--target picks another column; the target leaves the features", () => {
    const out = join(tmp, "t.json");
    const r = run("path", DIABETES, "--target", "bmi", "--json", out);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(readFileSync(out, "utf8"));
    assert.ok(!j.features.includes("bmi"));
    assert.ok(j.features.includes("progression"));
  });

  it("accepts quoted header names", () => {
    const f = file("quoted.csv", '"a, first",b,"y"\n1,2,3\n2,1,5\n3,3,4\n4,1,9\n');
    const r = run("path", f, "--nlambda", "5");
    assert.equal(r.code, 0, r.err);
  });

  const bad: [string, string[], RegExp][] = [
    ["a missing file", ["path", join(tmp, "nope.csv")], /nope\.csv: cannot read/],
    ["an empty file", ["path", file("empty.csv", "")], /empty/],
    ["a header only", ["path", file("header.csv", "a,b,y\n")], /no data rows/],
    [
      "a ragged row",
      ["path", file("ragged.csv", "a,b,y\n1,2,3\n4,5\n")],
      /line 3: 2 fields where the header has 3\n/,
    ],
    [
      "a non-numeric cell",
      ["path", file("text.csv", "a,b,y\n1,2,3\n4,abc,6\n7,8,9\n")],
      /row 2, column 'b': value 'abc' is not numeric/,
    ],
    [
      "a NaN cell",
      ["path", file("nan.csv", "a,b,y\n1,2,3\n4,NaN,6\n7,8,9\n")],
      /row 2, column 'b'.*not a finite number/,
    ],
    [
      "an Inf cell",
      ["path", file("inf.csv", "a,b,y\n1,2,3\n4,5,Inf\n7,8,9\n")],
      /row 2, column 'y'/,
    ],
    [
      "a missing cell",
      ["path", file("miss.csv", "a,b,y\n1,2,3\n4,,6\n7,8,9\n")],
      /row 2, column 'b': missing value/,
    ],
    ["one data row", ["path", file("one.csv", "a,b,y\n1,2,3\n")], /at least 2 data rows/],
    [
      "a constant target",
      ["path", file("const.csv", "a,b,y\n1,2,3\n4,5,3\n7,8,3\n")],
      /single value/,
    ],
    [
      "a duplicate column name",
      ["path", file("dup.csv", "a,a,y\n1,2,3\n4,5,6\n")],
      /appears twice/,
    ],
    ["an unknown column", ["path", DIABETES, "--target", "zzz"], /no column named 'zzz'/],
    ["an unknown option", ["path", DIABETES, "--bogus"], /unknown option '--bogus'/],
    ["a bad alpha", ["path", DIABETES, "--alpha", "x"], /'--alpha': 'x' is not a number/],
    ["alpha out of range", ["path", DIABETES, "--alpha", "1.5"], /'--alpha'/],
    ["a negative λ", ["path", DIABETES, "--lambda", "1,-1"], /'--lambda'/],
    [
      "wrong penalty-factor count",
      ["path", DIABETES, "--penalty-factor", "1,2"],
      /needs 1 or 10 values/,
    ],
    ["a positive lower limit", ["path", DIABETES, "--lower-limits", "1"], /'--lower-limits'/],
    ["an unsupported family", ["path", DIABETES, "--family", "tweedie"], /'--family'/],
    ["a bad --repeat", ["path", DIABETES, "--repeat", "0"], /'--repeat'/],
  ];
  for (const [what, args, message] of bad) {
    it(`${what}: exit 2 and a one-line message`, () => {
      const r = run(...args);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
  }
});
