/**
 * One penalty, one set of flags: --penalty, --alpha, --gamma and --groups mean the same in
 * `regularize fit`, `path` and `cv` (cli/penalty.ts), and reach the library's fit / cvPath.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cvPath } from "../../src/cv/cvPath.js";
import { denseMatrix, fit, type FitOptions } from "../../src/index.js";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-penalty-"));
function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const data = (name: string) => join(ROOT, "data", `${name}.csv`);

/** A numeric CSV of data/ as the library's column-major x and the last column as y. */
function load(name: string) {
  const lines = readFileSync(data(name), "utf8").trim().split(/\r?\n/);
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  const n = rows.length;
  const p = rows[0].length - 1;
  const x = new Float64Array(n * p);
  rows.forEach((r, i) => r.slice(0, p).forEach((v, j) => (x[j * n + i] = v)));
  return {
    x: denseMatrix(n, p, x),
    y: Float64Array.from(rows, (r) => r[p]),
    features: lines[0].split(",").slice(0, p),
    n,
  };
}

const diabetes = load("diabetes");
const wine = load("wine");
const groupsFile = join(tmp, "groups.csv");
writeFileSync(
  groupsFile,
  "feature,group\nage,1\nsex,1\nbmi,2\nbp,2\ns1,3\ns2,3\ns3,3\ns4,3\ns5,3\ns6,3\n",
);
const GROUPS = [1, 1, 2, 2, 3, 3, 3, 3, 3, 3];

/** Coefficient set c at point k of a path document as a dense array. */
function denseAt(doc: { coefficients: unknown[] }, k: number, c: number | null, p: number) {
  const at = doc.coefficients[k] as { index: number[]; value: number[] }[];
  const set = (c === null ? at : at[c]) as unknown as { index: number[]; value: number[] };
  const b = new Float64Array(p);
  set.index.forEach((j, t) => (b[j] = set.value[t]));
  return b;
}

describe("--penalty, --gamma and --groups in regularize path", () => {
  const cases: {
    name: string;
    args: string[];
    set: typeof diabetes;
    lib: FitOptions;
  }[] = [
    {
      name: "gaussian MCP, γ = 2.5",
      args: [data("diabetes"), "--penalty", "mcp", "--gamma", "2.5"],
      set: diabetes,
      lib: { penalty: "mcp", gamma: 2.5 },
    },
    {
      name: "gaussian group lasso (groups file)",
      args: [data("diabetes"), "--penalty", "group", "--groups", groupsFile],
      set: diabetes,
      lib: { penalty: "group", groups: GROUPS, alpha: 0 },
    },
    {
      name: "poisson sparse group lasso",
      args: [
        data("diabetes"),
        "--family",
        "poisson",
        "--penalty",
        "group",
        "--groups",
        groupsFile,
        "--alpha",
        "0.4",
      ],
      set: diabetes,
      lib: { family: "poisson", penalty: "group", groups: GROUPS, alpha: 0.4 },
    },
    {
      name: "multinomial SCAD",
      args: [data("wine"), "--family", "multinomial", "--penalty", "scad", "--nlambda", "20"],
      set: wine,
      lib: { family: "multinomial", penalty: "scad", nLambda: 20 },
    },
  ];
  for (const c of cases)
    it(`${c.name}: the library's fit(), point for point`, () => {
      const j = join(tmp, `path-${c.name.replace(/\W+/g, "-")}.json`);
      const r = run(["path", ...c.args, "--json", j]);
      assert.equal(r.code, 0, r.err);
      const doc = JSON.parse(readFileSync(j, "utf8"));
      const lib = fit(c.set.x, c.set.y, c.lib);
      assert.equal(doc.penalty, lib.penalty);
      assert.deepEqual(doc.lambda, Array.from(lib.lambda));
      const p = c.set.features.length;
      const sets = lib.classes.length || 1;
      assert.equal(doc.classes !== undefined, lib.classes.length > 0);
      for (let k = 0; k < lib.lambda.length; k++)
        for (let s = 0; s < sets; s++) {
          const got = denseAt(doc, k, lib.classes.length ? s : null, p);
          const want = new Float64Array(p);
          const v = lib.coefficients[k][s];
          v.index.forEach((f, t) => (want[f] = v.value[t]));
          got.forEach((g, f) =>
            assert.ok(
              Math.abs(g - want[f]) <= 1e-12 * Math.max(1, Math.abs(want[f])),
              `λ #${k + 1}, set ${s}, feature ${f}: ${g} vs ${want[f]}`,
            ),
          );
        }
      assert.deepEqual(doc.kktMax, Array.from(lib.kktMax));
      if (c.lib.penalty === "group" && c.lib.alpha === 0) {
        // the group lasso: whole groups in or out at every point
        for (let k = 0; k < lib.lambda.length; k++) {
          const b = denseAt(doc, k, null, p);
          for (const g of [1, 2, 3]) {
            const m = Array.from(b).filter((_, f) => GROUPS[f] === g);
            assert.ok(
              m.every((v) => v === 0) || m.every((v) => v !== 0),
              `λ #${k + 1}, group ${g}`,
            );
          }
        }
      }
    });
});

describe("--penalty in regularize cv", () => {
  it("binomial SCAD with fold ids: cvPath's curve, λ_min and λ_1se", () => {
    const ids = Array.from({ length: wine.n }, (_, i) => (i % 4) + 1);
    const foldFile = join(tmp, "folds.txt");
    writeFileSync(foldFile, ids.join("\n") + "\n");
    // the wine's class 1 against the rest (--positive 1: the other two labels are 0)
    const y01 = Float64Array.from(wine.y, (v) => (v === 1 ? 1 : 0));
    const binFile = join(tmp, "wine01.csv");
    const lines = readFileSync(data("wine"), "utf8").trim().split(/\r?\n/);
    writeFileSync(
      binFile,
      [lines[0], ...lines.slice(1).map((l, i) => l.replace(/,[^,]*$/, `,${y01[i]}`))].join("\n"),
    );
    const j = join(tmp, "cv-scad.json");
    const r = run([
      "cv",
      binFile,
      "--family",
      "binomial",
      "--penalty",
      "scad",
      "--foldid",
      foldFile,
      "--nlambda",
      "30",
      "--json",
      j,
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(j, "utf8"));
    assert.equal(doc.penalty, "scad");
    assert.equal(doc.gamma, 3.7);
    return cvPath(wine.x, y01, {
      family: "binomial",
      penalty: "scad",
      nLambda: 30,
      foldId: ids,
      workers: 1,
    }).then((lib) => {
      assert.deepEqual(doc.cv.lambda, Array.from(lib.lambda));
      doc.cv.cvm.forEach((v: number, k: number) =>
        assert.ok(Math.abs(v - lib.cvm[k]) <= 1e-12 * Math.abs(lib.cvm[k]), `cvm at λ #${k + 1}`),
      );
      assert.equal(doc.cv.lambdaMin, lib.lambdaMin);
      assert.equal(doc.cv.lambda1se, lib.lambda1se);
    });
  });
});

describe("the same penalty flags mean the same in fit, path and cv", () => {
  it("--alpha without --penalty is glmnet's alpha in every command (0.5: the elastic net)", () => {
    const jf = join(tmp, "fit-a.json");
    const jp = join(tmp, "path-a.json");
    const jq = join(tmp, "path-en.json");
    assert.equal(run(["fit", data("diabetes"), "--alpha", "0.5", "--json", jf]).code, 0);
    assert.equal(run(["path", data("diabetes"), "--alpha", "0.5", "--json", jp]).code, 0);
    const r = run(["path", data("diabetes"), "--penalty", "elastic-net", "--json", jq]);
    assert.equal(r.code, 0, r.err);
    const f = JSON.parse(readFileSync(jf, "utf8"));
    const p = JSON.parse(readFileSync(jp, "utf8"));
    const q = JSON.parse(readFileSync(jq, "utf8"));
    assert.equal(f.penalty, "elastic-net");
    assert.equal(f.alpha, 0.5);
    // --penalty elastic-net's default α is 0.5: the same path
    assert.deepEqual(q.coefficients, p.coefficients);
    const k = f.selected.index;
    const b = denseAt(p, k, null, diabetes.features.length);
    (f.selected.coefficients as number[]).forEach((v, j) => assert.equal(v, b[j], `feature ${j}`));
  });

  it("each command refuses the same contradictions, in one line naming the flag, before any work", () => {
    const cases: [string[], RegExp][] = [
      [["--penalty", "lasso", "--alpha", "0.5"], /option '--alpha': the lasso has α = 1/],
      [["--penalty", "ridge", "--alpha", "0.5"], /option '--alpha': ridge has α = 0/],
      [["--penalty", "mcp", "--alpha", "0.5"], /option '--alpha': mcp takes no α/],
      [["--gamma", "4"], /option '--gamma': needs --penalty mcp or scad/],
      [["--penalty", "scad", "--gamma", "1.5"], /option '--gamma': scad needs γ > 2/],
      [["--groups", groupsFile], /option '--groups': needs --penalty group/],
      [["--penalty", "group"], /option '--groups' is required with --penalty group/],
      [
        ["--penalty", "group", "--groups", join(tmp, "absent.csv")],
        /option '--groups': cannot read file/,
      ],
      [["--penalty", "mcp", "--engine", "duckdb"], /option '--engine': duckdb fits the lasso/],
    ];
    for (const cmd of ["fit", "path", "cv"])
      for (const [args, msg] of cases) {
        const r = run([cmd, data("diabetes"), ...args]);
        assert.equal(r.code, 2, `${cmd} ${args.join(" ")}: ${r.err}`);
        assert.match(r.err, msg, `${cmd} ${args.join(" ")}`);
        assert.equal(r.err.trim().split("\n").length, 1, r.err);
      }
    const bad = join(tmp, "bad-groups.csv");
    writeFileSync(bad, "feature,group\nage,1\n\nsex,1\nbmj,2\n");
    const r = run(["path", data("diabetes"), "--penalty", "group", "--groups", bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /bad-groups\.csv: line 5: 'bmj' is not a feature of the data/);
    const s = run(["path", data("diabetes"), "--penalty", "mcp", "--solver", "fista"]);
    assert.equal(s.code, 2);
    assert.match(s.err, /option '--solver': the mcp penalty is fitted by the model core/);
  });
});
