import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { launchChromium } from "../helpers/chromium.js";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-report-"));
const SHOTS = join(ROOT, "build", "screenshots");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tmp });
  assert.equal(r.status, 0, r.stderr);
}

/** Opens a report in headless Chromium: charts present, sized, labelled, apart; a screenshot. */
async function inspect(file: string, name: string, charts: string[], labels: string[]) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("request", (r) => !r.url().startsWith("file:") && problems.push(`fetched ${r.url()}`));
    await page.goto(`file://${file}`);
    const found = await page.$$eval("figure[data-chart]", (fs) =>
      fs.map((f) => {
        const svg = f.querySelector("svg")!.getBoundingClientRect();
        const box = f.getBoundingClientRect();
        return {
          id: (f as HTMLElement).dataset.chart!,
          w: svg.width,
          h: svg.height,
          top: box.top + window.scrollY,
          bottom: box.bottom + window.scrollY,
          text: f.textContent ?? "",
        };
      }),
    );
    assert.deepEqual(
      found.map((f) => f.id),
      charts,
    );
    for (const f of found) {
      assert.ok(f.w > 300 && f.h > 100, `${f.id}: ${f.w}×${f.h}`);
      assert.ok(f.text.length > 40, `${f.id} has titles and labels`);
    }
    for (let k = 1; k < found.length; k++)
      assert.ok(
        found[k].top >= found[k - 1].bottom - 1,
        `${found[k].id} overlaps ${found[k - 1].id}`,
      );
    const all = found.map((f) => f.text).join(" ");
    for (const l of labels) assert.ok(all.includes(l), `a chart says '${l}'`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
}

describe("HTML reports in headless Chromium", () => {
  it("regularize demo: every chart of the main job, labelled, no overlap, nothing fetched", async () => {
    run(["demo", "--report", join(tmp, "diabetes.html")]);
    await inspect(
      join(tmp, "diabetes.html"),
      "report-diabetes",
      ["selected", "paths", "cv", "stability", "deadzone"],
      [
        "Coefficient paths",
        "log₁₀ λ",
        "Mean-squared error (cross-validated)",
        "λ_min",
        "λ_1se",
        "Selection probability",
        "bmi",
        "s5",
        "dead-zone",
      ],
    );
    const html = readFileSync(join(tmp, "diabetes.html"), "utf8");
    assert.ok(html.length < 2_000_000);
  });

  it("regularize fit on a multinomial problem (wine): paths as norms across classes", async () => {
    run([
      "fit",
      join(ROOT, "data", "wine.csv"),
      "--family",
      "multinomial",
      "--folds",
      "5",
      "--report",
      join(tmp, "wine.html"),
    ]);
    await inspect(
      join(tmp, "wine.html"),
      "report-wine",
      ["selected", "paths", "cv"],
      ["‖coefficients across classes‖₂", "Deviance (cross-validated)"],
    );
  });

  it("regularize train: loss curves, zero fraction per layer, weight histograms", async () => {
    run([
      "train",
      join(ROOT, "data", "digits.csv"),
      "--drop-redundant",
      "--hidden",
      "64,32",
      "--optimizer",
      "proxadam",
      "--l1",
      "0.002",
      "--epochs",
      "4",
      "--validation-split",
      "0.2",
      "--report",
      join(tmp, "train.html"),
    ]);
    await inspect(
      join(tmp, "train.html"),
      "report-train",
      ["loss", "accuracy", "zeros", "histograms"],
      ["Epoch", "Fraction of weights exactly 0", "Dense 1", "Weight value"],
    );
  });
});
