import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { concordance } from "../../src/cv/survival.js";
import { denseMatrix, fit } from "../../src/index.js";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const LUNG = join(ROOT, "data", "lung.csv");
const tmp = mkdtempSync(join(tmpdir(), "regularize-cox-"));
function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/** The lung data parsed here, independently of the CLI's reader. */
const lines = readFileSync(LUNG, "utf8").trim().split(/\r?\n/);
const header = lines[0].split(",").map((h) => h.replace(/"/g, ""));
const rows = lines.slice(1).map((l) => l.split(",").map(Number));
const n = rows.length;
const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
const features = header.filter((h) => h !== "time" && h !== "status");
const X = Float64Array.from(features.flatMap((f) => col(f)));
const cox = ["--family", "cox", "--time", "time", "--status", "status"];
const edit = (name: string, change: (cells: string[], r: number) => void) => {
  const f = join(tmp, name);
  writeFileSync(
    f,
    [
      lines[0],
      ...lines.slice(1).map((l, r) => {
        const cells = l.split(",");
        change(cells, r);
        return cells.join(",");
      }),
    ].join("\n") + "\n",
  );
  return f;
};

describe("regularize path / cv / fit / predict with --family cox", () => {
  it("path --json is the library's Cox path (status and time never features, intercept 0)", () => {
    const out = join(tmp, "path.json");
    const r = run(["path", LUNG, ...cox, "--json", out]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(doc.features, features);
    const lib = fit(denseMatrix(n, features.length, X), col("time"), {
      family: "cox",
      status: col("status"),
    });
    assert.deepEqual(doc.lambda, Array.from(lib.lambda));
    assert.deepEqual(
      doc.intercept,
      doc.lambda.map(() => 0),
    );
    assert.deepEqual(doc.coefficients.at(-1).value, Array.from(lib.coefficients.at(-1)![0].value));
  });

  it("cv --measure C: λ_min maximizes the concordance; strata and efron are passed on", () => {
    const out = join(tmp, "cv.json");
    const r = run(["cv", LUNG, ...cox, "--measure", "C", "--folds", "5", "--json", out]);
    assert.equal(r.code, 0, r.err);
    const { cv } = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(cv.measure, "C");
    assert.equal(cv.lambdaMin, cv.lambda[cv.cvm.indexOf(Math.max(...cv.cvm))]);
    const s = run(["cv", LUNG, ...cox, "--strata", "sex", "--ties", "efron", "--json", out]);
    assert.equal(s.code, 0, s.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.ties, "efron");
    assert.ok(!doc.features.includes("sex"), "the strata column is not a feature");
  });

  it("fit --save, predict --times: S(t|x) decreasing in t, relative risk e^η, C-index in the report", () => {
    const model = join(tmp, "cox.json");
    const report = join(tmp, "cox.html");
    const r = run(["fit", LUNG, ...cox, "--select", "min", "--save", model, "--report", report]);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(readFileSync(model, "utf8"));
    assert.equal(m.family, "cox");
    assert.equal(m.intercept, 0);
    assert.equal(m.survival.time, "time");
    const p = run(["predict", model, LUNG, "--times", "100,365,700"]);
    assert.equal(p.code, 0, p.err);
    const out = p.out.trim().split("\n");
    assert.equal(out[0], "link,relative_risk,survival_100,survival_365,survival_700");
    const eta: number[] = [];
    for (const line of out.slice(1)) {
      const [link, rr, s1, s2, s3] = line.split(",").map(Number);
      eta.push(link);
      assert.ok(Math.abs(rr - Math.exp(link)) <= 1e-12 * rr);
      assert.ok(1 >= s1 && s1 >= s2 && s2 >= s3 && s3 >= 0);
    }
    // The risk scores rank the patients as the report says.
    const html = readFileSync(report, "utf8");
    assert.match(html, /data-chart="survival"><svg/);
    const c = concordance(
      eta,
      { time: col("time"), status: col("status") },
      eta.map(() => 1),
      eta.map((_, i) => i),
    );
    assert.match(html, new RegExp(`Harrell's C[^<]*<b>${c.toFixed(3)}</b>`));
    assert.ok(c > 0.6);
  });

  it("bad survival input: one line naming the row and column, exit 2, before any work", () => {
    const cases: [string[], RegExp][] = [
      [["path", LUNG, "--family", "cox", "--time", "time"], /--status': --family cox needs/],
      [
        ["path", edit("s2.csv", (c, r) => r === 2 && (c[1] = "2")), ...cox],
        /row 3, column 'status' \(--status\): '2' is not 1/,
      ],
      [
        ["path", edit("neg.csv", (c, r) => r === 4 && (c[0] = "-5")), ...cox],
        /row 5, column 'time': survival time -5 must be/,
      ],
      [["path", edit("none.csv", (c) => (c[1] = "0")), ...cox], /no events \(every status is 0\)/],
      [["path", LUNG, ...cox, "--start", "age"], /row \d+: start time \d+ must be below the stop/],
      [
        [
          "path",
          edit("one.csv", (c, r) => (c[3] = r === 7 ? "9" : c[3])),
          ...cox,
          "--strata",
          "sex",
        ],
        /stratum '9' \(--strata\) has a single row/,
      ],
      [
        ["path", LUNG, ...cox, "--ties", "exact"],
        /--ties': unknown value 'exact' \(one of: breslow, efron\)/,
      ],
      [["cv", LUNG, ...cox, "--measure", "auc"], /'auc' is not available for family cox/],
      [["path", LUNG, "--status", "status"], /--status': only for --family cox/],
      [["fit", LUNG, ...cox, "--stability", "20"], /--stability/],
    ];
    for (const [args, msg] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  });
});
