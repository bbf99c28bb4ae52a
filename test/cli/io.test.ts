import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { readTable } from "../../src/io/table.js";
import { fuzz } from "../helpers/fuzz.js";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const data = (name: string) => join(ROOT, "data", `${name}.csv`);
const tmp = mkdtempSync(join(tmpdir(), "regularize-io-"));

function run(args: string[], opts: { stdout?: number | "pipe" } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: tmp,
    stdio: ["ignore", opts.stdout ?? "pipe", "pipe"],
  });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr };
}
const write = (name: string, text: string) => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
/** One line on stderr, no stack trace. */
function oneLine(err: string) {
  assert.equal(err.trim().split("\n").length, 1, err);
  assert.doesNotMatch(err, /at .*\.js:\d+|internal error/);
}
const bc = readFileSync(data("breast_cancer"), "utf8").trim().split(/\r?\n/);
// breast cancer with an id column first and a yes/no target
const bcText = write(
  "bc-text.csv",
  [
    `id,${bc[0]}`,
    ...bc.slice(1).map((l, i) => `p${i},${l.replace(/,1$/, ",yes").replace(/,0$/, ",no")}`),
  ].join("\n") + "\n",
);
const bcTextNoId = write(
  "bc-text-noid.csv",
  readFileSync(bcText, "utf8")
    .split("\n")
    .map((l) => l.replace(/^[^,]*,/, ""))
    .join("\n"),
);

describe("data in: one reader for every command", () => {
  it("CSV, TSV, Parquet-free JSON lines and Arrow give the same table, rows and names", async () => {
    const csv = await readTable(data("diabetes"), { lastIsTarget: true });
    const lines = readFileSync(data("diabetes"), "utf8").trim().split(/\r?\n/);
    const names = lines[0].split(",");
    const jsonl = write(
      "diabetes.jsonl",
      lines
        .slice(1)
        .map((l) => JSON.stringify(Object.fromEntries(l.split(",").map((v, j) => [names[j], +v]))))
        .join("\n"),
    );
    const tsv = write("diabetes.tsv", lines.map((l) => l.replace(/,/g, "\t")).join("\n"));
    const arrow = join(tmp, "diabetes.arrow");
    writeFileSync(
      arrow,
      tableToIPC(
        tableFromArrays(Object.fromEntries(names.map((nm, j) => [nm, csv.columns[j]]))),
        "file",
      ),
    );
    for (const f of [jsonl, tsv, arrow]) {
      const t = await readTable(f, { lastIsTarget: true });
      assert.deepEqual(t.names, csv.names, f);
      assert.equal(t.nRows, 442);
      t.columns.forEach((c, j) => assert.deepEqual(c, csv.columns[j], `${f} ${names[j]}`));
    }
    assert.equal(csv.target, "progression");
    // the features are one contiguous column-major block, the target last
    assert.equal(csv.featureData.length, 442 * 10);
    assert.equal(csv.featureData[442], csv.columns[1][0]);
  });

  it("a bad cell past DuckDB's type sample is still found, by row and column", () => {
    const rows = ["a,b,y"];
    for (let i = 1; i <= 30000; i++) rows.push(`${i},${i % 7},${i % 3}`);
    rows.push("1,abc,2");
    const f = write("late.csv", rows.join("\n") + "\n");
    const r = run(["path", f]);
    assert.equal(r.code, 2);
    assert.match(r.err, /row 30001, column 'b': value 'abc' is not numeric/);
    oneLine(r.err);
  });

  it("a file DuckDB's sniffer refuses: --engine duckdb says so in one line, the in-memory reader names the line", () => {
    // A carriage return inside a row (a column appended to a CRLF file's lines).
    const f = write("cr.csv", "a,b,y\r,1\n1,2\r,0\n3,4\r,1\n5,6\r,0\n");
    const viaEngine = run(["fit", f, "--target", "y", "--engine", "duckdb"]);
    assert.equal(viaEngine.code, 2);
    assert.match(viaEngine.err, /cr\.csv: DuckDB cannot detect the CSV layout .*without --engine/);
    assert.doesNotMatch(viaEngine.err, /Error when sniffing/);
    oneLine(viaEngine.err);
    const inMemory = run(["fit", f, "--target", "y"]);
    assert.equal(inMemory.code, 2);
    assert.match(inMemory.err, /cr\.csv: line \d+/);
    oneLine(inMemory.err);
  });

  it("an error about a cell quotes at most about 60 characters of it, on one line", () => {
    const f = write("long.csv", `a,b,y\n1,2,3\n4,"${"z".repeat(500)}\nq",6\n7,8,9\n`);
    const r = run(["path", f]);
    assert.equal(r.code, 2);
    const quoted = /value '([^']*)'/.exec(r.err)![1];
    assert.ok(quoted.length <= 60, quoted);
    oneLine(r.err);
  });
});

describe("labels and encodings that are always right", () => {
  it("a text target is never a feature, with or without --categorical auto", () => {
    for (const extra of [[], ["--categorical", "auto"]]) {
      const j = join(tmp, `bc-${extra.length}.json`);
      const r = run(["path", bcTextNoId, "--family", "binomial", "--json", j, ...extra]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /'yes' is the event \(coded 1\), 'no' is 0/);
      const doc = JSON.parse(readFileSync(j, "utf8"));
      assert.equal(doc.features.length, 30);
      assert.ok(!doc.features.some((f: string) => f.startsWith("malignant")));
    }
    // the same fit as the 0/1 file
    const a = JSON.parse(readFileSync(join(tmp, "bc-0.json"), "utf8"));
    const ref = join(tmp, "bc-ref.json");
    assert.equal(
      run(["path", data("breast_cancer"), "--family", "binomial", "--json", ref]).code,
      0,
    );
    assert.deepEqual(a.lambda, JSON.parse(readFileSync(ref, "utf8")).lambda);
    // --positive picks the event
    const jp = join(tmp, "bc-pos.json");
    const p = run(["path", bcTextNoId, "--family", "binomial", "--positive", "no", "--json", jp]);
    assert.equal(p.code, 0, p.err);
    const flipped = JSON.parse(readFileSync(jp, "utf8"));
    assert.ok(Math.abs(flipped.intercept[5] + a.intercept[5]) < 1e-6);
    const bad = run(["path", bcTextNoId, "--family", "binomial", "--positive", "maybe"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /'--positive': 'maybe' is not a value of column 'malignant' \(no, yes\)/);
  });

  it("multinomial takes text classes; gaussian refuses them in one line", () => {
    const w = readFileSync(data("wine"), "utf8").trim().split(/\r?\n/);
    const names = ["barolo", "grignolino", "barbera"];
    const f = write(
      "wine-text.csv",
      [w[0], ...w.slice(1).map((l) => l.replace(/,(\d)$/, (_, k: string) => `,${names[+k]}`))].join(
        "\n",
      ),
    );
    const model = join(tmp, "wine-model.json");
    const r = run(["fit", f, "--family", "multinomial", "--folds", "3", "--save", model]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(readFileSync(model, "utf8")).classes, [...names].sort());
    const g = run(["path", f]);
    assert.equal(g.code, 2);
    assert.match(g.err, /holds text labels.*gaussian needs numbers/);
    oneLine(g.err);
  });

  it("constant and duplicate columns: kept with one warning and a zero coefficient, or dropped", () => {
    const d = readFileSync(data("diabetes"), "utf8").trim().split(/\r?\n/);
    const f = write(
      "const-dup.csv",
      [`k,age2,${d[0]}`, ...d.slice(1).map((l) => `7,${l.split(",")[0]},${l}`)].join("\n") + "\n",
    );
    for (const cmd of [
      ["fit", "--folds", "3"],
      ["cv", "--folds", "3"],
      ["path"],
      ["train", "--epochs", "1", "--hidden", "4"],
    ]) {
      const j = join(tmp, `cd-${cmd[0]}.json`);
      const r = run([cmd[0], f, ...cmd.slice(1), "--json", j]);
      assert.equal(r.code, 0, `${cmd[0]}: ${r.err}`);
      assert.match(r.err, /warning: constant column k: coefficient 0 at every λ/);
      assert.match(r.err, /warning: duplicate column 'age' \(= 'age2'\)/);
      const doc = JSON.parse(readFileSync(j, "utf8"));
      assert.equal(doc.features[0], "k");
      if (cmd[0] === "fit") assert.equal(doc.selected.coefficients[0], 0);
      if (cmd[0] === "path" || cmd[0] === "cv")
        for (const b of doc.coefficients) assert.ok(!b.index.includes(0), "k is never non-zero");
    }
    // the saved model carries the constant column with coefficient exactly 0; predict uses it
    const model = join(tmp, "cd-model.json");
    assert.equal(run(["fit", f, "--folds", "3", "--save", model]).code, 0);
    const m = JSON.parse(readFileSync(model, "utf8"));
    assert.equal(m.coefficients[m.features.indexOf("k")], 0);
    assert.equal(run(["predict", model, f]).code, 0);
    // --drop-redundant removes both kinds
    const jd = join(tmp, "cd-drop.json");
    const r = run(["path", f, "--drop-redundant", "--json", jd]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /warning/);
    assert.deepEqual(JSON.parse(readFileSync(jd, "utf8")).features.slice(0, 2), ["age2", "sex"]);
  });

  it("predict reads the columns the model needs by name, ignores an id column, --keep copies it", () => {
    const model = join(tmp, "bc-model.json");
    assert.equal(
      run(["fit", bcTextNoId, "--family", "binomial", "--folds", "3", "--save", model]).code,
      0,
    );
    const r = run(["predict", model, bcText, "--keep", "id"]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split("\n");
    assert.equal(lines[0], "id,class,probability_yes");
    assert.equal(lines.length, bc.length);
    assert.match(lines[1], /^p0,(yes|no),0\.\d+|^p0,(yes|no),1/);
    // a needed column holding text is refused
    const mistyped = write(
      "bc-mistyped.csv",
      readFileSync(bcText, "utf8").replace(/\np3,[^,]*,/, "\np3,big,"),
    );
    const m = run(["predict", model, mistyped]);
    assert.equal(m.code, 2);
    assert.match(m.err, /row 4, column 'mean_radius': value 'big' is not numeric/);
    oneLine(m.err);
  });
});

describe("choosing the feature columns: --features and --ignore", () => {
  // The diabetes rows with an id (text) and a second outcome in front: neither may be a feature.
  const lines = readFileSync(data("diabetes"), "utf8").trim().split(/\r?\n/);
  const withExtra = write(
    "extra.csv",
    [
      `id,other,${lines[0]}`,
      ...lines.slice(1).map((l, i) => `p${i + 1},${(i * 7) % 13},${l}`),
    ].join("\n") + "\n",
  );
  const pathDoc = (file: string, args: string[], name: string) => {
    const j = join(tmp, `${name}.json`);
    const r = run(["path", file, "--target", "progression", ...args, "--json", j]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(readFileSync(j, "utf8"));
  };

  it("--ignore leaves an id and another outcome out; --features keeps only those named", () => {
    const plain = pathDoc(data("diabetes"), [], "plain");
    const ignored = pathDoc(withExtra, ["--ignore", "id,other"], "ignored");
    assert.deepEqual(ignored.features, plain.features);
    assert.deepEqual(ignored.lambda, plain.lambda);
    assert.deepEqual(ignored.coefficients, plain.coefficients);
    const some = pathDoc(withExtra, ["--features", "bmi,bp,s5"], "some");
    assert.deepEqual(some.features, ["bmi", "bp", "s5"]);
    // the same as a file holding only those columns
    const names = lines[0].split(",");
    const keep = ["bmi", "bp", "s5", "progression"].map((c) => names.indexOf(c));
    const only = write(
      "only.csv",
      lines.map((l) => keep.map((c) => l.split(",")[c]).join(",")).join("\n") + "\n",
    );
    assert.deepEqual(pathDoc(only, [], "only").coefficients, some.coefficients);
  });

  it("fit records them: the JSON's features and ignored, a row of the report", () => {
    const j = join(tmp, "fit-ignore.json");
    const html = join(tmp, "fit-ignore.html");
    const r = run([
      "fit",
      withExtra,
      "--target",
      "progression",
      "--ignore",
      "id,other",
      "--json",
      j,
      "--report",
      html,
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(j, "utf8"));
    assert.deepEqual(doc.ignored, ["id", "other"]);
    assert.equal(doc.features.length, 10);
    assert.match(readFileSync(html, "utf8"), /columns left out \(--ignore\)<\/td><td>id,other/);
  });

  it("the DuckDB engine takes them too (a text id column it could not read is left out)", () => {
    const mem = pathDoc(withExtra, ["--ignore", "id,other"], "mem");
    const eng = pathDoc(withExtra, ["--ignore", "id,other", "--engine", "duckdb"], "eng");
    assert.deepEqual(eng.features, mem.features);
    const last = mem.coefficients.length - 1;
    eng.coefficients[last].value.forEach((v: number, t: number) =>
      assert.ok(Math.abs(v - mem.coefficients[last].value[t]) <= 1e-8 * Math.max(1, Math.abs(v))),
    );
    const some = pathDoc(withExtra, ["--features", "bmi,s5", "--engine", "duckdb"], "engsome");
    assert.deepEqual(some.features, ["bmi", "s5"]);
    const r = run(["path", withExtra, "--target", "progression", "--engine", "duckdb"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /column 'id' has type VARCHAR.*--ignore/);
  });

  it("a sparse file's features are its indices: --ignore 2 is --features 1,3, and predict follows", () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const a = ((i * 37) % 17) / 17;
      const b = ((i * 11) % 13) / 13;
      const c = ((i * 7) % 5) / 5;
      lines.push(`${a + 0.5 * c + ((i * 3) % 7) / 14 > 0.8 ? 1 : 0} 1:${a} 2:${b} 3:${c}`);
    }
    const svm = write("three.svm", lines.join("\n") + "\n");
    const doc = (args: string[], name: string) => {
      const j = join(tmp, `${name}.json`);
      const r = run(["path", svm, "--family", "binomial", ...args, "--json", j]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(readFileSync(j, "utf8"));
    };
    const ignored = doc(["--ignore", "2"], "svm-ignore");
    const chosen = doc(["--features", "1,3"], "svm-features");
    assert.deepEqual(ignored.features, ["1", "3"]);
    assert.deepEqual(ignored.coefficients, chosen.coefficients);
    assert.notDeepEqual(doc([], "svm-all").features, ignored.features);
    const model = join(tmp, "svm-model.json");
    const f = run([
      "fit",
      svm,
      "--family",
      "binomial",
      "--ignore",
      "2",
      "--folds",
      "3",
      "--save",
      model,
    ]);
    assert.equal(f.code, 0, f.err);
    const out = join(tmp, "svm-pred.csv");
    const p = run(["predict", model, svm, "--out", out]);
    assert.equal(p.code, 0, p.err);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 61);
  });

  it("bad choices are one line naming the flag, in every reader", () => {
    const cases: [string[], RegExp][] = [
      [["--features", "bmi,nope"], /no column named 'nope' \(--features\)/],
      [["--ignore", "nope"], /no column named 'nope' \(--ignore\)/],
      [["--ignore", "progression"], /option '--ignore': 'progression' is the target/],
      [["--features", "bmi,,bp"], /option '--features': an empty column name/],
      [["--features", "bmi", "--ignore", "bmi"], /'--features' and '--ignore' both name 'bmi'/],
      [["--features", "bmi,age", "--weights", "age"], /'age' is the --weights column/],
    ];
    for (const engine of ["memory", "duckdb"])
      for (const [args, msg] of cases) {
        const r = run(["path", withExtra, "--target", "progression", ...args, "--engine", engine]);
        assert.equal(r.code, 2, `${engine} ${args.join(" ")}: ${r.err}`);
        assert.match(r.err, msg, `${engine} ${args.join(" ")}`);
        oneLine(r.err);
      }
    const svm = write("few.svm", "1 1:0.5 2:1\n0 2:0.25\n1 1:1\n0 1:0.1 2:0.3\n");
    const r = run(["path", svm, "--features", "1,7"]);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /no feature '7' \(--features\): a svmlight file's features are its indices 1 … 2/,
    );
    oneLine(r.err);
    const t = run(["path", withExtra, "--target", "progression"]);
    assert.match(t.err, /value 'p1' is not numeric .*--ignore leaves a column out/);
  });
});

describe("row numbers mean the same in every command", () => {
  it("--foldid has one id per data row of the file; a row dropped for a missing cell drops its id", () => {
    const d = readFileSync(data("diabetes"), "utf8").trim().split(/\r?\n/);
    const missing = write(
      "d-missing.csv",
      [d[0], ...d.slice(1).map((l, i) => (i === 2 ? l.replace(/^[^,]*/, "") : l))].join("\n") +
        "\n",
    );
    const ids = Array.from({ length: 442 }, (_, i) => (i % 5) + 1);
    const folds = write("d-folds.txt", ids.join("\n") + "\n");
    const j = join(tmp, "d-cv.json");
    const r = run(["cv", missing, "--missing", "drop", "--foldid", folds, "--json", j]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(j, "utf8"));
    assert.deepEqual(doc.cv.foldId, [...ids.slice(0, 2), ...ids.slice(3)]);
    // the error names data row 3 (the first data row is row 1) in every command
    for (const cmd of ["path", "cv", "fit", "train"]) {
      const e = run([cmd, missing]);
      assert.equal(e.code, 2);
      assert.match(e.err, /row 3, column 'age': missing value/);
    }
  });
});

describe("outputs that never lose data", () => {
  it("refuses, before any work: output = input, two outputs on one path, a missing folder, a directory", () => {
    const cases: [string[], RegExp][] = [
      [["fit", bcTextNoId, "--save", bcTextNoId], /'--save'.*is the input file/],
      [["fit", data("diabetes"), "--save", "x.out", "--report", "x.out"], /both write 'x\.out'/],
      [["path", data("diabetes"), "--json", "no/such/dir/p.json"], /no such directory/],
      [["cv", data("diabetes"), "--json", "no/p.json"], /no such directory/],
      [["explain", data("diabetes"), "--lambda", "1", "--json", "no/p.json"], /no such directory/],
      [["train", data("diabetes"), "--json", tmp], /is a directory/],
      [["predict", "m.json", data("diabetes"), "--out", data("diabetes")], /is the input file/],
    ];
    for (const [args, re] of cases) {
      const t0 = Date.now();
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      oneLine(r.err);
      assert.ok(Date.now() - t0 < 5000);
    }
  });

  it("a full disk: one line, exit 1, and none of the other outputs written", () => {
    const json = join(tmp, "full.json");
    const save = join(tmp, "full-model.json");
    const r = run([
      "fit",
      data("diabetes"),
      "--folds",
      "3",
      "--json",
      json,
      "--save",
      save,
      "--report",
      "/dev/full",
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /cannot write '\/dev\/full' \(--report\): no space left on device \(ENOSPC\)/,
    );
    oneLine(r.err);
    assert.ok(!existsSync(json) && !existsSync(save));
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.endsWith(".tmp")),
      [],
    );
    // stdout on a full device
    const full = spawnSync(process.execPath, [BIN, "path", data("diabetes")], {
      encoding: "utf8",
      stdio: ["ignore", openSync("/dev/full", "w"), "pipe"],
    });
    assert.equal(full.status, 1);
    assert.match(full.stderr, /cannot write to standard output: no space left on device/);
    oneLine(full.stderr);
    const out = join(tmp, "pred.csv");
    const model = join(tmp, "d-model.json");
    assert.equal(run(["fit", data("diabetes"), "--folds", "3", "--save", model]).code, 0);
    const p = spawnSync(process.execPath, [BIN, "predict", model, data("diabetes"), "--out", out], {
      encoding: "utf8",
      stdio: ["ignore", openSync("/dev/full", "w"), "pipe"],
    });
    assert.equal(p.status, 1);
    assert.ok(!existsSync(out), "no predictions file when the command failed");
  });

  it("sizes that cannot work are input errors before any work; no arguments prints the usage", () => {
    const cases: [string[], RegExp][] = [
      [["path", data("diabetes"), "--nlambda", "1e12"], /'--nlambda': 1e12 is too large/],
      [["fit", data("diabetes"), "--nlambda", "1e12"], /'--nlambda'/],
      [["train", data("diabetes"), "--hidden", "100000,100000"], /'--hidden'.*memory budget/],
      [
        ["train", data("diabetes"), "--batch-size", "1000000000"],
        /'--batch-size'.*442 training rows/,
      ],
      [
        ["train", data("diabetes"), "--early-stopping", "5", "--validation-split", "0"],
        /--early-stopping/,
      ],
      [
        ["path", data("diabetes"), "--memory-budget", "1k", "--engine", "memory"],
        /memory budget of 1 KiB/,
      ],
      [
        ["path", data("wine"), "--family", "multinomial", "--memory-budget", "1k"],
        /memory budget of 1 KiB.*--engine duckdb/,
      ],
    ];
    const ids = write(
      "folds.txt",
      ["99999999999", ...Array.from({ length: 441 }, (_, i) => String((i % 5) + 1))].join("\n"),
    );
    cases.push([
      ["cv", data("diabetes"), "--foldid", ids],
      /fold 99999999999 is larger than the number of data rows/,
    ]);
    for (const [args, re] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      oneLine(r.err);
    }
    const u = run([]);
    assert.equal(u.code, 2);
    assert.match(u.err, /Usage: regularize/);
  });

  it("malformed models: version 0 or −1, duplicate or non-scalar classes, unknown encoded features, NaN, a raw newline", () => {
    const model = join(tmp, "bc-m.json");
    assert.equal(
      run(["fit", data("breast_cancer"), "--family", "binomial", "--folds", "3", "--save", model])
        .code,
      0,
    );
    const m = JSON.parse(readFileSync(model, "utf8"));
    const text = readFileSync(model, "utf8");
    const cases: [string, RegExp][] = [
      [JSON.stringify({ ...m, version: 0 }), /field 'version' must be an integer ≥ 1/],
      [JSON.stringify({ ...m, version: -1 }), /field 'version'/],
      [JSON.stringify({ ...m, classes: [1, 1] }), /field 'classes' repeats a label/],
      [JSON.stringify({ ...m, classes: [0, [1]] }), /field 'classes' must hold numbers or strings/],
      [
        JSON.stringify({ ...m, encodings: [{ column: "c", levels: ["a"], names: ["c=a"] }] }),
        /encodings\[0\]\.names.*not one of the model's features/,
      ],
      [text.replace(/"lambda": [^,]*/, '"lambda": NaN'), /not a JSON file \(a syntax error/],
      [text.replace('"binomial"', '"bino\nmial"'), /not a JSON file/],
    ];
    for (const [doc, re] of cases) {
      const f = write("bad-model.json", doc);
      const r = run(["predict", f, data("breast_cancer")]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
      oneLine(r.err);
    }
  });
});

describe("fuzzing the readers and the model loader (seeded)", () => {
  it("every malformed input is read or refused with one line, never a stack trace", async () => {
    const saved = join(tmp, "fuzz-model.json");
    assert.equal(run(["fit", data("diabetes"), "--folds", "3", "--save", saved]).code, 0);
    const model = JSON.parse(readFileSync(saved, "utf8"));
    const dir = mkdtempSync(join(tmpdir(), "regularize-fuzz-"));
    const r = await fuzz(15, 2500, dir, model);
    assert.deepEqual(r.failures.slice(0, 3), []);
    assert.ok(r.ok > 100 && r.refused > 500, JSON.stringify({ ok: r.ok, refused: r.refused }));
  });

  it("spawned: malformed files end in exit 0 or 2 with one line", () => {
    const files = [
      "\u0000\u0001binary",
      'a,b\n"x',
      "a,b,y\n1,2,3\n1,2\n",
      "a,a\n1,2\n",
      ",b\n1,2\n",
      "a\tb\n1\t2\n",
      "a,b,y\n" + "1,2,3\n".repeat(3) + "x,,\n",
    ];
    files.forEach((text, k) => {
      const f = write(`spawn-${k}.csv`, text);
      for (const cmd of [["path"], ["fit", "--folds", "3"], ["train", "--epochs", "1"]]) {
        const r = run([cmd[0], f, ...cmd.slice(1)]);
        assert.ok(
          r.code === 0 || r.code === 2,
          `${cmd[0]} ${JSON.stringify(text)}: ${r.code} ${r.err}`,
        );
        if (r.code === 2) oneLine(r.err);
      }
    });
  });
});
