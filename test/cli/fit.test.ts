import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { ROOT } from "../helpers/fixtures.js";
import { rareFeatureRows } from "../helpers/rare.js";
import { denseMatrix, elasticNetPath, Random, ridgePath } from "../../src/index.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const data = (name: string) => join(ROOT, "data", `${name}.csv`);
const tmp = mkdtempSync(join(tmpdir(), "regularize-fit-"));

function run(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const write = (name: string, text: string) => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
const diabetesLines = readFileSync(data("diabetes"), "utf8").trim().split(/\r?\n/);

describe("regularize demo and fit: the main job", () => {
  it("demo prints the diabetes table and writes a self-contained report with every chart", () => {
    const dir = join(tmp, "demo");
    mkdirSync(dir);
    const r = run(["demo"], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    assert.match(r.out, /diabetes data/);
    assert.match(r.out, /λ_min = .*λ_1se = /);
    assert.match(r.out, /feature\s+coefficient\s+sel\. prob\.\s+why/);
    for (const f of ["s5", "bmi", "bp"])
      assert.match(r.out, new RegExp(`^\\s*${f}\\s+\\S+\\s+[01]\\.\\d\\d \\*`, "m")); // stable
    assert.match(r.out, /dead zone, margin/);
    const html = readFileSync(join(dir, "regularize-diabetes.html"), "utf8");
    for (const id of ["selected", "paths", "cv", "stability", "deadzone"])
      assert.match(html, new RegExp(`data-chart="${id}"><svg`));
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/); // no scripts, nothing fetched
  });

  it("fit --save then predict: binomial on breast cancer, columns matched by name", () => {
    const model = join(tmp, "bc.json");
    const doc = join(tmp, "bc-fit.json");
    const r = run([
      "fit",
      data("breast_cancer"),
      "--family",
      "binomial",
      "--select",
      "min",
      "--save",
      model,
      "--json",
      doc,
    ]);
    assert.equal(r.code, 0, r.err);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    assert.equal(saved.format, "regularize-model");
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.classes, [0, 1]);
    const fit = JSON.parse(readFileSync(doc, "utf8"));
    assert.equal(fit.selected.lambda, fit.cv.lambdaMin);
    assert.ok(fit.kktMax.every((v: number) => v < 1e-6));
    // reorder the columns: predict must match them by name
    const lines = readFileSync(data("breast_cancer"), "utf8").trim().split(/\r?\n/);
    const cells = lines.map((l) => l.split(","));
    const reordered = write(
      "bc-reordered.csv",
      cells.map((c) => [...c].reverse().join(",")).join("\n") + "\n",
    );
    const out = join(tmp, "pred.csv");
    const p = run(["predict", model, reordered, "--out", out]);
    assert.equal(p.code, 0, p.err);
    const pred = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(pred[0], "class,probability_1");
    assert.equal(pred.length, lines.length);
    const truth = cells.slice(1).map((c) => c[c.length - 1]);
    const correct = pred.slice(1).filter((l, i) => l.split(",")[0] === truth[i]).length;
    assert.ok(correct / truth.length > 0.95, `training accuracy ${correct / truth.length}`);
    // a missing column is an input error
    const short = write("bc-short.csv", cells.map((c) => c.slice(1).join(",")).join("\n") + "\n");
    const bad = run(["predict", model, short]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /missing column 'mean_radius'/);
  });

  it("ridge on a wide table: the exact path, with leave-one-out and GCV next to K-fold CV", () => {
    const n = 40;
    const p = 30;
    const rng = new Random(12);
    const x = new Float64Array(n * p);
    for (let k = 0; k < x.length; k++) x[k] = Number(rng.normal().toFixed(6));
    const y = Float64Array.from({ length: n }, (_, i) =>
      Number((x[i] - 0.5 * x[n + i] + 0.7 * rng.normal()).toFixed(6)),
    );
    const lines = [["y", ...Array.from({ length: p }, (_, j) => `x${j + 1}`)].join(",")];
    for (let i = 0; i < n; i++)
      lines.push([y[i], ...Array.from({ length: p }, (_, j) => x[j * n + i])].join(","));
    const file = write("wide-ridge.csv", lines.join("\n") + "\n");
    const j = join(tmp, "wide-ridge.json");
    const html = join(tmp, "wide-ridge.html");
    const r = run([
      "fit",
      file,
      "--target",
      "y",
      "--penalty",
      "ridge",
      "--folds",
      "5",
      "--json",
      j,
      "--report",
      html,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /exact ridge path \(one tridiagonalization\): leave-one-out λ = \S+ \(mse \S+\), GCV λ = /,
    );
    const doc = JSON.parse(readFileSync(j, "utf8"));
    // The library's exact path at the same λ gives the same leave-one-out and GCV curves.
    const lib = ridgePath(denseMatrix(n, p, x), y, { lambda: doc.cv.lambda });
    assert.equal(doc.exactRidge.loo.length, doc.cv.lambda.length);
    for (let k = 0; k < doc.cv.lambda.length; k++) {
      assert.ok(Math.abs(doc.exactRidge.loo[k] - lib.cv.loo[k]) <= 1e-12 * lib.cv.loo[k]);
      assert.ok(Math.abs(doc.exactRidge.gcv[k] - lib.cv.gcv[k]) <= 1e-12 * lib.cv.gcv[k]);
    }
    assert.equal(doc.exactRidge.lambdaLoo, lib.cv.lambdaLoo);
    assert.equal(doc.exactRidge.lambdaGcv, lib.cv.lambdaGcv);
    const page = readFileSync(html, "utf8");
    assert.ok(page.includes("leave-one-out (exact)") && page.includes("GCV (exact)"));
  });

  it("every penalty runs: ridge, elastic net, group (groups file), MCP, SCAD", () => {
    const groups = write(
      "groups.csv",
      "feature,group\nage,1\nsex,1\nbmi,2\nbp,2\ns1,3\ns2,3\ns3,3\ns4,3\ns5,3\ns6,3\n",
    );
    for (const args of [
      ["--penalty", "ridge"],
      ["--penalty", "elastic-net", "--alpha", "0.3"],
      ["--penalty", "group", "--groups", groups],
      ["--penalty", "mcp"],
      ["--penalty", "scad", "--select", "min"],
    ]) {
      const j = join(tmp, `pen-${args[1]}.json`);
      const r = run(["fit", data("diabetes"), ...args, "--folds", "5", "--json", j]);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
      const doc = JSON.parse(readFileSync(j, "utf8"));
      assert.equal(doc.penalty, args[1]);
      assert.ok(doc.cv.cvm.every((v: number) => v > 0 && Number.isFinite(v)));
      const b = doc.selected.coefficients as number[];
      if (args[1] === "ridge") {
        assert.ok(b.every((v) => v !== 0));
        // 442 rows for 10 features: coordinate descent is the faster solver, no exact curves.
        assert.equal(doc.exactRidge, undefined);
      }
      if (args[1] === "group") {
        // whole groups in or out
        const g = [1, 1, 2, 2, 3, 3, 3, 3, 3, 3];
        for (const id of [1, 2, 3]) {
          const members = b.filter((_, j2) => g[j2] === id);
          assert.ok(members.every((v) => v === 0) || members.every((v) => v !== 0), `group ${id}`);
        }
      }
    }
  });

  it("--gamma sets MCP / SCAD's concavity (in the JSON, in the path), checked before any work", () => {
    const fitWith = (extra: string[]) => {
      const j = join(tmp, `gamma-${extra.join("")}.json`);
      const r = run([
        "fit",
        data("diabetes"),
        "--penalty",
        "mcp",
        "--folds",
        "3",
        "--json",
        j,
        ...extra,
      ]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(readFileSync(j, "utf8"));
    };
    const def = fitWith([]);
    const wide = fitWith(["--gamma", "1e6"]);
    assert.equal(def.gamma, 3);
    assert.equal(wide.gamma, 1e6);
    // γ → ∞ shrinks like the lasso: the selected coefficients differ from γ = 3's.
    assert.notDeepEqual(wide.selected.coefficients, def.selected.coefficients);
    for (const [args, message] of [
      [["--penalty", "scad", "--gamma", "1.5"], /--gamma.*scad needs γ > 2, got 1\.5/],
      [["--penalty", "mcp", "--gamma", "1"], /--gamma.*outside its range/],
      [["--gamma", "4"], /--gamma': needs --penalty mcp or scad/],
    ] as const) {
      const r = run(["fit", data("diabetes"), ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, message);
      assert.equal(r.err.trim().split("\n").length, 1);
    }
  });
});

describe("every penalty for every family through regularize fit --folds", () => {
  it("poisson, binomial and multinomial × MCP, SCAD and group: fitted, cross-validated, certified", () => {
    // A Poisson count and a binary class derived from the diabetes data; multinomial on wine.
    const rows = diabetesLines.slice(1).map((l) => l.split(",").map(Number));
    const names = diabetesLines[0].split(",");
    const counts = rows.map((r) => Math.round(r[r.length - 1] / 50));
    const binary = rows.map((r) => (r[r.length - 1] > 140 ? 1 : 0));
    const csv = (target: number[]) =>
      [
        [...names.slice(0, -1), "y"].join(","),
        ...rows.map((r, i) => [...r.slice(0, -1), target[i]].join(",")),
      ].join("\n") + "\n";
    const files = {
      poisson: write("counts.csv", csv(counts)),
      binomial: write("binary.csv", csv(binary)),
      multinomial: data("wine"),
    };
    const groupsFor = (family: string) =>
      family === "multinomial"
        ? write(
            "wine-groups.txt",
            Array.from({ length: 13 }, (_, j) => String(Math.floor(j / 3))).join("\n") + "\n",
          )
        : write("dia-groups.txt", "1\n1\n2\n2\n3\n3\n3\n3\n3\n3\n");
    for (const family of ["poisson", "binomial", "multinomial"] as const)
      for (const penalty of ["mcp", "scad", "group"]) {
        const j = join(tmp, `fam-${family}-${penalty}.json`);
        const extra = penalty === "group" ? ["--groups", groupsFor(family)] : [];
        const r = run([
          "fit",
          files[family],
          "--family",
          family,
          "--penalty",
          penalty,
          ...extra,
          "--folds",
          "3",
          "--json",
          j,
        ]);
        assert.equal(r.code, 0, `${family} ${penalty}: ${r.err}`);
        const doc = JSON.parse(readFileSync(j, "utf8"));
        assert.equal(doc.penalty, penalty);
        assert.ok(
          doc.cv.cvm.every((v: number) => Number.isFinite(v)),
          `${family} ${penalty}`,
        );
        // Certified: no path warnings, and every point's KKT violation within the tolerance.
        assert.deepEqual(doc.warnings, [], `${family} ${penalty}`);
        const floor = doc.lambda[0] / 100;
        doc.kktMax.forEach((v: number, k: number) =>
          assert.ok(v <= 1e-4 * Math.max(doc.lambda[k], floor), `${family} ${penalty} λ #${k + 1}`),
        );
      }
  });

  it("names the points the solver could not certify, on stderr, in --json and in --report", () => {
    // A rare feature present only in rows of class 0: once MCP's flat part holds it, the loss
    // keeps falling as its coefficient grows, so the small-λ points have no minimizer. The user
    // must hear of it (these warnings were dropped silently before).
    const rows = rareFeatureRows().map((r) => [r.a, r.b, r.c, r.y]);
    const f = write("rare.csv", ["a,b,c,y", ...rows.map((r) => r.join(","))].join("\n") + "\n");
    const j = join(tmp, "rare.json");
    const html = join(tmp, "rare.html");
    const r = run([
      "fit",
      f,
      "--family",
      "binomial",
      "--penalty",
      "mcp",
      "--folds",
      "3",
      "--json",
      j,
      "--report",
      html,
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(j, "utf8"));
    assert.ok(doc.warnings.length > 0);
    assert.ok(
      doc.warnings.every((w: string) => /^λ #\d+ \(/.test(w)),
      doc.warnings.join("\n"),
    );
    // The diagnosis names the feature by its column (the library says "feature 2").
    assert.ok(
      doc.warnings.some((w: string) => /feature 'c' grows without bound/.test(w)),
      doc.warnings.join("\n"),
    );
    // Each warning (or, past three, the first three and a count) on stderr, one line each.
    const shown = doc.warnings.length <= 4 ? doc.warnings : doc.warnings.slice(0, 3);
    for (const w of shown) assert.ok(r.err.includes(`regularize: warning: ${w}\n`), r.err);
    if (doc.warnings.length > 4)
      assert.match(
        r.err,
        new RegExp(`and ${doc.warnings.length - 3} more \\(${doc.warnings.length} in all`),
      );
    const page = readFileSync(html, "utf8");
    assert.match(page, /Path warnings/);
    assert.equal((page.match(/<li>λ #/g) ?? []).length, doc.warnings.length);
  });
});

describe("glmnet's fit arguments through regularize fit", () => {
  it("penalty factors, limits, standardize, intercept, thresh and an explicit λ give the library's path", () => {
    const rows = diabetesLines.slice(1).map((l) => l.split(",").map(Number));
    const n = rows.length;
    const p = rows[0].length - 1;
    const x = new Float64Array(n * p);
    rows.forEach((r, i) => r.slice(0, p).forEach((v, j) => (x[j * n + i] = v)));
    const y = Float64Array.from(rows, (r) => r[p]);
    const pf = [0, ...Array(p - 1).fill(1)];
    const j = join(tmp, "shape.json");
    const r = run([
      "fit",
      data("diabetes"),
      "--lambda",
      "5,2,1,0.5",
      "--penalty-factor",
      pf.join(","),
      "--lower-limits",
      "-1",
      "--no-standardize",
      "--no-intercept",
      "--thresh",
      "1e-12",
      "--json",
      j,
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(j, "utf8"));
    assert.deepEqual(doc.lambda, [5, 2, 1, 0.5]);
    const lib = elasticNetPath(denseMatrix(n, p, x), y, {
      lambda: [5, 2, 1, 0.5],
      penaltyFactor: pf,
      lowerLimits: -1,
      standardize: false,
      intercept: false,
      thresh: 1e-12,
    });
    const k = doc.selected.index;
    const b = new Float64Array(p);
    lib.beta[k].index.forEach((f, t) => (b[f] = lib.beta[k].value[t]));
    const got = doc.selected.coefficients as number[];
    got.forEach((v, f) =>
      assert.ok(Math.abs(v - b[f]) <= 1e-12 * Math.max(1, Math.abs(b[f])), `feature ${f}`),
    );
    assert.ok(
      got.every((v) => v >= -1),
      "the lower limit holds",
    );
    assert.ok(
      got.some((v) => v === -1),
      "and binds",
    );
    assert.equal(doc.selected.intercept, 0);
    assert.notEqual(got[0], 0, "the unpenalized feature is in");
  });

  it("each is checked before the fit, naming its flag", () => {
    const cases: [string[], RegExp][] = [
      [["--penalty-factor", "1,2"], /option '--penalty-factor': needs 1 or 10 values/],
      [
        ["--lower-limits", "0", "--penalty", "mcp"],
        /option '--lower-limits': not available for the mcp penalty/,
      ],
      [["--lambda", "1,-2"], /option '--lambda'/],
      [["--thresh", "0"], /option '--thresh'/],
    ];
    for (const [args, msg] of cases) {
      const r = run(["fit", data("diabetes"), ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  });
});

describe("input formats and policies", () => {
  it("Parquet, Arrow IPC and TSV with quoted fields give the CSV's model", () => {
    const names = diabetesLines[0].split(",");
    const rows = diabetesLines.slice(1).map((l) => l.split(",").map(Number));
    const cols = Object.fromEntries(
      names.map((nm, c) => [nm, Float64Array.from(rows, (r) => r[c])]),
    );
    const table = tableFromArrays(cols);
    const arrowFile = join(tmp, "diabetes.arrow");
    writeFileSync(arrowFile, tableToIPC(table, "file"));
    const require = createRequire(import.meta.url);
    const pq = require("parquet-wasm/node");
    const parquetFile = join(tmp, "diabetes.parquet");
    writeFileSync(
      parquetFile,
      pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, "stream"))),
    );
    const tsv = write(
      "diabetes.tsv",
      [
        names.map((nm) => `"${nm}"`).join("\t"),
        ...diabetesLines.slice(1).map((l) => l.split(",").join("\t")),
      ].join("\n") + "\n",
    );
    const coef = (file: string) => {
      const j = join(tmp, `fmt-${file.split(".").pop()}.json`);
      const r = run(["fit", file, "--folds", "5", "--json", j]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(readFileSync(j, "utf8")).selected.coefficients as number[];
    };
    const ref = coef(data("diabetes"));
    for (const f of [arrowFile, parquetFile, tsv]) assert.deepEqual(coef(f), ref, f);
  });

  it("--missing drop / mean, and one-hot encoding with --categorical auto (applied again by predict)", () => {
    const lines = [...diabetesLines];
    lines[3] = lines[3].replace(/^[^,]*,/, ","); // row 3: age missing
    const withMissing = write("missing.csv", lines.join("\n") + "\n");
    const refused = run(["fit", withMissing]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.err,
      /row 3, column 'age': missing value \(choose --missing drop or --missing mean\)/,
    );
    const jd = join(tmp, "drop.json");
    assert.equal(
      run(["fit", withMissing, "--missing", "drop", "--folds", "5", "--json", jd]).code,
      0,
    );
    assert.deepEqual(JSON.parse(readFileSync(jd, "utf8")).droppedRows, [3]);
    const jm = join(tmp, "mean.json");
    assert.equal(
      run(["fit", withMissing, "--missing", "mean", "--folds", "5", "--json", jm]).code,
      0,
    );
    const imp = JSON.parse(readFileSync(jm, "utf8")).imputed;
    assert.equal(imp[0].column, "age");
    assert.equal(imp[0].count, 1);
    // a text column
    const regions = ["north", "south", "east"];
    const cat = write(
      "cat.csv",
      [
        `region,${diabetesLines[0]}`,
        ...diabetesLines.slice(1).map((l, i) => `${regions[i % 3]},${l}`),
      ].join("\n") + "\n",
    );
    const refusedText = run(["fit", cat]);
    assert.equal(refusedText.code, 2);
    assert.match(
      refusedText.err,
      /row 1, column 'region': value 'north' is not numeric \(--categorical auto/,
    );
    const model = join(tmp, "cat-model.json");
    const r = run([
      "fit",
      cat,
      "--categorical",
      "auto",
      "--penalty",
      "ridge",
      "--folds",
      "5",
      "--save",
      model,
    ]);
    assert.equal(r.code, 0, r.err);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    assert.deepEqual(saved.encodings[0].names, ["region=east", "region=north", "region=south"]);
    const p = run(["predict", model, cat]);
    assert.equal(p.code, 0, p.err);
    assert.equal(p.out.trim().split("\n").length, diabetesLines.length);
    const unseen = write(
      "cat-unseen.csv",
      readFileSync(cat, "utf8").replace("\nnorth,", "\nwest,"),
    );
    const u = run(["predict", model, unseen]);
    assert.equal(u.code, 2);
    assert.match(u.err, /column 'region' has the value 'west', which the model never saw/);
  });
});

describe("malformed input: exit 2 and one line, for every command", () => {
  const header = diabetesLines[0];
  const files: Record<string, [string, RegExp]> = {
    empty: [write("empty.csv", ""), /the file is empty/],
    headerOnly: [write("header.csv", header + "\n"), /header row but no data rows/],
    ragged: [
      write("ragged.csv", [header, diabetesLines[1], "1,2,3", diabetesLines[3]].join("\n")),
      /line 3: 3 fields where the header has 11\n/,
    ],
    nonNumeric: [
      write(
        "text.csv",
        [header, diabetesLines[1].replace(/^[^,]*/, "abc"), ...diabetesLines.slice(2)].join("\n"),
      ),
      /row 1, column 'age': value 'abc' is not numeric/,
    ],
    nan: [
      write(
        "nan.csv",
        [header, diabetesLines[1].replace(/^[^,]*/, "NaN"), ...diabetesLines.slice(2)].join("\n"),
      ),
      /row 1, column 'age': value 'NaN' is not a finite number/,
    ],
    inf: [
      write(
        "inf.csv",
        [
          header,
          ...diabetesLines.slice(1, 5),
          diabetesLines[5].replace(/^[^,]*/, "Inf"),
          ...diabetesLines.slice(6),
        ].join("\n"),
      ),
      /row 5, column 'age': value 'Inf' is not a finite number/,
    ],
    duplicateName: [
      write(
        "dupname.csv",
        [`age,${header}`, ...diabetesLines.slice(1).map((l) => `1,${l}`)].join("\n"),
      ),
      /column name 'age' appears twice/,
    ],
    oneValueTarget: [
      write(
        "onevalue.csv",
        [header, ...diabetesLines.slice(1).map((l) => l.replace(/[^,]*$/, "5"))].join("\n"),
      ),
      /target column 'progression' has a single value \(5\)/,
    ],
  };
  const commands: string[][] = [
    ["fit"],
    ["path"],
    ["cv"],
    ["explain", "--lambda", "1"],
    ["train", "--epochs", "1"],
  ];
  for (const cmd of commands)
    it(`regularize ${cmd[0]}`, () => {
      for (const [name, [file, re]] of Object.entries(files)) {
        const r = run([cmd[0], file, ...cmd.slice(1)]);
        assert.equal(r.code, 2, `${cmd[0]} ${name}: exit ${r.code} ${r.err}`);
        assert.match(r.err, re, `${cmd[0]} ${name}`);
        assert.equal(r.err.trim().split("\n").length, 1, `${cmd[0]} ${name}: ${r.err}`);
        assert.doesNotMatch(r.err, /at .*\.js:\d+/); // no stack trace
      }
      const u = run([cmd[0], data("diabetes"), "--no-such-option"]);
      assert.equal(u.code, 2);
      assert.match(u.err, /unknown option '--no-such-option'/);
    });

  it("regularize predict and demo: malformed models, missing files, unknown datasets", () => {
    const good = join(tmp, "good-model.json");
    assert.equal(run(["fit", data("diabetes"), "--folds", "3", "--save", good]).code, 0);
    const m = JSON.parse(readFileSync(good, "utf8"));
    const cases: [string, RegExp][] = [
      [write("m1.json", "{not json"), /not a JSON file/],
      [write("m2.json", JSON.stringify({ ...m, format: "other" })), /not a regularize model/],
      [
        write("m3.json", JSON.stringify({ ...m, coefficients: m.coefficients.slice(1) })),
        /field 'coefficients' has 9 values, expected 10/,
      ],
      [write("m4.json", JSON.stringify({ ...m, family: "tweedie" })), /field 'family'/],
      [write("m5.json", JSON.stringify({ ...m, version: 99 })), /newer than this regularize reads/],
      [join(tmp, "no-such-model.json"), /cannot read the model file/],
    ];
    for (const [file, re] of cases) {
      const r = run(["predict", file, data("diabetes")]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split("\n").length, 1);
    }
    const d = run(["demo", "--dataset", "iris"]);
    assert.equal(d.code, 2);
    assert.match(
      d.err,
      /'--dataset': unknown value 'iris' \(one of: diabetes, breast_cancer, wine, digits, lung\)/,
    );
    const f = run(["fit", data("diabetes"), "--report", join(tmp, "no", "dir", "r.html")]);
    assert.equal(f.code, 2);
    assert.match(f.err, /option '--report': cannot write/);
    assert.ok(!existsSync(join(tmp, "no")));
  });
});

describe("one flag per concept, the version from package.json", () => {
  const diabetes = join(ROOT, "data", "diabetes.csv");
  it("fit takes --folds as cv does; --cv is its old name and gives the same model; both at once is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "regularize-folds-"));
    const a = run(["fit", diabetes, "--folds", "4", "--save", join(dir, "a.json")], dir);
    const b = run(["fit", diabetes, "--cv", "4", "--save", join(dir, "b.json")], dir);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const [ma, mb] = ["a.json", "b.json"].map((f) =>
      JSON.parse(readFileSync(join(dir, f), "utf8")),
    );
    assert.deepEqual(ma.coefficients, mb.coefficients);
    assert.equal(ma.lambda, mb.lambda);
    const both = run(["fit", diabetes, "--folds", "4", "--cv", "5"], dir);
    assert.equal(both.code, 2);
    assert.match(both.err, /options '--folds' and '--cv' are one option/);
    for (const cmd of ["fit", "cv"]) {
      const two = run([cmd, diabetes, "--folds", "2"], dir);
      assert.equal(two.code, 2, cmd);
      assert.match(two.err, /option '--folds': expected an integer ≥ 3, got '2'/);
    }
  });

  it("--version prints package.json's version, and saved models carry it", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const v = run(["--version"], tmpdir());
    assert.equal(v.code, 0);
    assert.equal(v.out.trim(), pkg.version);
    const dir = mkdtempSync(join(tmpdir(), "regularize-version-"));
    assert.equal(run(["fit", diabetes, "--save", join(dir, "m.json")], dir).code, 0);
    assert.equal(
      JSON.parse(readFileSync(join(dir, "m.json"), "utf8")).createdBy,
      `regularize ${pkg.version}`,
    );
  });
});
