import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-train-"));

// The digits data have constant pixels, which every command refuses unless told to drop them.
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, "--drop-redundant"], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The digits data split as the PyTorch fixture script splits it: test = data rows with index % 5 == 0.
const lines = readFileSync(join(ROOT, "data", "digits.csv"), "utf8")
  .trim()
  .split("\n");
const trainCsv = join(tmp, "train.csv");
const testCsv = join(tmp, "test.csv");
writeFileSync(trainCsv, [lines[0], ...lines.slice(1).filter((_, i) => i % 5 !== 0)].join("\n"));
writeFileSync(testCsv, [lines[0], ...lines.slice(1).filter((_, i) => i % 5 === 0)].join("\n"));

describe("regularize train (spawned as a user would)", () => {
  it("trains the issue's digits recipe and writes the JSON contract", () => {
    const out = join(tmp, "run.json");
    const r = run(
      "train",
      trainCsv,
      "--hidden",
      "256,256",
      "--dropout",
      "0.3",
      "--optimizer",
      "adamw",
      "--label-smoothing",
      "0.1",
      "--early-stopping",
      "3",
      "--epochs",
      "15",
      "--test",
      testCsv,
      "--seed",
      "3",
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, ""); // not a TTY: no progress bar, no chatter
    assert.match(r.out, /Classification \(10 classes\)/);
    assert.match(r.out, /test \(.*360 rows\): loss [\d.]+, accuracy 0\.9/);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.ok(Array.isArray(doc.history) && doc.history.length >= 4);
    for (const h of doc.history)
      for (const k of ["epoch", "trainLoss", "valLoss", "valAccuracy", "zeroFraction"])
        assert.ok(k in h, k);
    assert.ok(doc.bestEpoch >= 1 && doc.bestEpoch <= doc.history.length);
    const best = Math.min(...doc.history.map((h: { valLoss: number }) => h.valLoss));
    assert.equal(doc.history[doc.bestEpoch - 1].valLoss, best);
    assert.ok(doc.test.accuracy > 0.95 && doc.test.loss > 0);
  });

  it("--optimizer proxadam --l1 reports exact zeros; regression reports rmse", () => {
    const out = join(tmp, "prox.json");
    const r = run(
      "train",
      trainCsv,
      "--hidden",
      "64",
      "--optimizer",
      "proxadam",
      "--l1",
      "0.005",
      "--epochs",
      "3",
      "--json",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.ok(doc.history[2].zeroFraction > 0.3);
    const reg = join(tmp, "reg.json");
    const d = join(ROOT, "data", "diabetes.csv");
    const g = run(
      "train",
      d,
      "--task",
      "regression",
      "--hidden",
      "32",
      "--epochs",
      "30",
      "--test",
      d,
      "--json",
      reg,
    );
    assert.equal(g.code, 0, g.err);
    const rd = JSON.parse(readFileSync(reg, "utf8"));
    assert.ok(rd.test.rmse > 30 && rd.test.rmse < 70, String(rd.test.rmse)); // the target's sd is 77
    assert.equal(rd.test.accuracy, undefined);
  });

  it("refuses bad input with exit 2 and a one-line message naming the problem", () => {
    const headerOnly = join(tmp, "header.csv");
    writeFileSync(headerOnly, lines[0] + "\n");
    const missing = join(tmp, "missing.csv");
    const drop = lines[0].split(",").indexOf("pixel_3_3");
    const without = (l: string) =>
      l
        .split(",")
        .filter((_, c) => c !== drop)
        .join(",");
    writeFileSync(missing, [lines[0], lines[1], lines[2]].map(without).join("\n") + "\n");
    const cases: [string[], RegExp][] = [
      [[trainCsv, "--dropout", "1.5"], /--dropout/],
      [[trainCsv, "--hidden", "64,abc"], /--hidden/],
      [[trainCsv, "--optimizer", "nadam"], /'--optimizer': unknown value 'nadam'/],
      [[trainCsv, "--json", join(tmp, "no", "such", "dir.json")], /--json.*no such directory/],
      [[trainCsv, "--test", missing], /missing feature column 'pixel_3_3'/],
      [[trainCsv, "--mixup", "0.2", "--cutmix", "1"], /'--mixup' and '--cutmix'/],
      [[trainCsv, "--group", "0.1"], /'--group'.*proxsgd or proxadam/],
      [[trainCsv, "--task", "ranking"], /--task/],
      [[trainCsv, "--bogus"], /unknown option '--bogus'/],
      [[headerOnly], /header\.csv/],
    ];
    for (const [args, re] of cases) {
      const r = run("train", ...args, "--epochs", "1");
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  });
});
