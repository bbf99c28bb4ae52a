import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const BC = join(ROOT, "data", "breast_cancer.csv");
const tmp = mkdtempSync(join(tmpdir(), "regularize-assess-"));
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("regularize assess", () => {
  it("binomial: the measures of the predictions predict writes, and the confusion matrix", () => {
    const model = join(tmp, "bc.json");
    assert.equal(run(["fit", BC, "--family", "binomial", "--save", model]).code, 0);
    const out = join(tmp, "bc-assess.json");
    const r = run(["assess", model, BC, "--json", out]);
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(readFileSync(out, "utf8"));
    // By hand from predict's probabilities and the file's labels.
    const p = run(["predict", model, BC])
      .out.trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[1]));
    const y = readFileSync(BC, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",").at(-1)));
    const n = y.length;
    let dev = 0;
    let wrong = 0;
    let mse = 0;
    for (let i = 0; i < n; i++) {
      const q = Math.min(Math.max(p[i], 1e-5), 1 - 1e-5);
      dev += -2 * (y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
      wrong += +((p[i] > 0.5 ? 1 : 0) !== y[i]);
      mse += 2 * (y[i] - p[i]) ** 2;
    }
    assert.ok(Math.abs(a.measures.deviance - dev / n) <= 1e-9 * (dev / n));
    assert.equal(a.measures.class, wrong / n);
    assert.ok(Math.abs(a.measures.mse - mse / n) <= 1e-9);
    assert.equal(a.confusion.counts[0][1] + a.confusion.counts[1][0], wrong);
    assert.equal(a.roc.fpr.at(-1), 1);
    const t = run(["assess", model, BC]);
    assert.match(t.out, /deviance\s+\S+\n\s+class/);
    assert.match(t.out, /confusion \(rows: predicted, columns: true\)/);
  });

  it("refuses data without the model's target, or with a label the model never saw, in one line", () => {
    const model = join(tmp, "bc.json");
    const lines = readFileSync(BC, "utf8").trim().split(/\r?\n/);
    const noTarget = join(tmp, "no-target.csv");
    writeFileSync(
      noTarget,
      lines.map((l) => l.split(",").slice(0, -1).join(",")).join("\n") + "\n",
    );
    const a = run(["assess", model, noTarget]);
    assert.equal(a.code, 2);
    assert.equal(a.err.trim().split("\n").length, 1, a.err);
    const bad = join(tmp, "bad-label.csv");
    writeFileSync(
      bad,
      [lines[0], ...lines.slice(1).map((l, i) => (i === 3 ? l.replace(/,[01]$/, ",7") : l))].join(
        "\n",
      ) + "\n",
    );
    const b = run(["assess", model, bad]);
    assert.equal(b.code, 2);
    assert.match(b.err, /row 4, column '.*': '7' is not a class of the model/);
  });
});

describe("the assessment in fit's report and JSON", () => {
  it("equals regularize assess of the saved model on the training file; the report shows it with the ROC curve", () => {
    const model = join(tmp, "bc-fit.json");
    const doc = join(tmp, "bc-fit-doc.json");
    const report = join(tmp, "bc-fit.html");
    const f = run([
      "fit",
      BC,
      "--family",
      "binomial",
      "--save",
      model,
      "--json",
      doc,
      "--report",
      report,
    ]);
    assert.equal(f.code, 0, f.err);
    const a = run(["assess", model, BC, "--json", join(tmp, "bc-fit-assess.json")]);
    assert.equal(a.code, 0, a.err);
    const fromFit = JSON.parse(readFileSync(doc, "utf8")).assessment;
    const fromAssess = JSON.parse(readFileSync(join(tmp, "bc-fit-assess.json"), "utf8"));
    for (const [k, v] of Object.entries(fromAssess.measures as Record<string, number>))
      assert.ok(Math.abs(fromFit.measures[k] - v) <= 1e-12 * Math.max(1, Math.abs(v)), k);
    assert.deepEqual(fromFit.confusion, fromAssess.confusion);
    const html = readFileSync(report, "utf8");
    assert.match(html, /Assessment on the training rows/);
    assert.match(html, /ROC curve \(AUC 0\.9\d\d\)/);
  });
});
