import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/chromium.js";
import { build } from "vite";
import { ROOT } from "../helpers/fixtures.js";

const DIST = join(ROOT, "lab", "dist");
const SHOTS = join(ROOT, "build", "screenshots");
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};
let server: Server;
let browser: Browser;
let base = "";

before(async () => {
  // npm run lab:build, then any static file server: here a minimal one.
  await build({
    root: join(ROOT, "lab"),
    logLevel: "error",
    configFile: join(ROOT, "lab", "vite.config.ts"),
  });
  server = createServer((req, res) => {
    const asked = normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^\/+/, "");
    const path = asked === "" ? "index.html" : asked;
    try {
      const body = readFileSync(join(DIST, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}/`;
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function open(panel: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}#${panel}`);
  await page.waitForSelector(`main[data-panel="${panel}"]`);
  return { page, errors };
}

describe("the lab in headless Chromium (lab/dist served as static files)", () => {
  it("geometry: moving the optimum across the diamond's edge makes w₂ exactly 0 on screen", async () => {
    const { page, errors } = await open("geometry");
    await page.selectOption("#geo-norm", "l1");
    await page.fill("#geo-rot", "0");
    await page.dispatchEvent("#geo-rot", "input");
    const before = await page.textContent("[data-testid=w2]");
    assert.doesNotMatch(before!, /exactly/);
    await page.focus("#geo");
    let hit = false;
    for (let k = 0; k < 40 && !hit; k++) {
      await page.keyboard.press("ArrowDown");
      hit = /w₂ = 0 \(exactly\)/.test((await page.textContent("[data-testid=w2]"))!);
    }
    assert.ok(hit, "w₂ became exactly 0");
    assert.match((await page.textContent("#geo-corner"))!, /corner is hit/);
    await page.screenshot({ path: join(SHOTS, "lab-geometry.png"), fullPage: true });
    // the penalty side: a λ sets t to the norm of the penalized solution, and back
    const t0 = await page.inputValue("#geo-t");
    await page.fill("#geo-lambda", "-0.5");
    await page.dispatchEvent("#geo-lambda", "input");
    assert.notEqual(await page.inputValue("#geo-t"), t0);
    const back = Number((await page.textContent("#geo-lambda-v"))!);
    assert.ok(Math.abs(back - -0.5) < 0.02, `λ round trip: ${back}`);
    // the circle has no corners: the same optimum under L2 keeps both weights
    await page.selectOption("#geo-norm", "l2");
    assert.doesNotMatch((await page.textContent("[data-testid=w2]"))!, /exactly/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("optimizers at the kink: subgradient descent shows fewer exact zeros than the proximal method", async () => {
    const { page, errors } = await open("kink");
    const sub = Number(await page.textContent("[data-testid=zeros-subgradient]"));
    const prox = Number(await page.textContent("[data-testid=zeros-proximal]"));
    assert.ok(sub < prox, `subgradient ${sub}, proximal ${prox}`);
    assert.ok(prox >= 2);
    await page.screenshot({ path: join(SHOTS, "lab-kink.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("paths: the λ slider changes the number of non-zero coefficients; CV runs in a worker", async () => {
    const { page, errors } = await open("paths");
    const count = async (k: number) => {
      await page.fill("#paths-lambda", String(k));
      await page.dispatchEvent("#paths-lambda", "input");
      return Number((await page.textContent("[data-testid=nonzero]"))!.split(" ")[0]);
    };
    const few = await count(3);
    const many = await count(80);
    assert.ok(few < many, `${few} then ${many}`);
    await page.waitForFunction(
      () => /λ_min = /.test(document.querySelector("#paths-cv")!.textContent ?? ""),
      null,
      { timeout: 30000 },
    );
    await page.screenshot({ path: join(SHOTS, "lab-paths.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("neural networks: training in the worker improves validation accuracy while the page stays responsive", async () => {
    const { page, errors } = await open("nn");
    await page.fill("#nn-epochs", "8");
    await page.dispatchEvent("#nn-epochs", "input");
    // watch the frame loop while the worker trains: the longest gap between animation frames
    await page.evaluate(() => {
      const w = window as unknown as { maxGap: number; last: number; stop: boolean };
      w.maxGap = 0;
      w.last = performance.now();
      w.stop = false;
      const tick = (t: number) => {
        w.maxGap = Math.max(w.maxGap, t - w.last);
        w.last = t;
        if (!w.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.click("#nn-train");
    await page.waitForFunction(
      () => document.querySelector("#nn-status")!.textContent === "done",
      null,
      { timeout: 120000 },
    );
    const maxGap = await page.evaluate(() => {
      const w = window as unknown as { maxGap: number; stop: boolean };
      w.stop = true;
      return w.maxGap;
    });
    const acc = (await page.getAttribute("#nn-status", "data-accuracies"))!.split(",").map(Number);
    assert.equal(acc.length, 8);
    assert.ok(acc[acc.length - 1] > acc[0], `validation accuracy ${acc.join(" → ")}`);
    assert.ok(Math.max(...acc) > 0.9);
    assert.ok(maxGap < 250, `longest frame gap ${maxGap.toFixed(0)} ms`);
    assert.match((await page.textContent("[data-testid=nn-val]"))!, /test accuracy 0\.9/);
    await page.screenshot({ path: join(SHOTS, "lab-nn.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("correlated features and early stopping / bias–variance panels load, react and are labelled", async () => {
    const c = await open("correlated");
    const summary = (await c.page.textContent("[data-testid=cor-summary]"))!;
    const m =
      /lasso: (\d+) \/ (\d+) \/ (\d+); elastic net: (\d+) \/ (\d+) \/ (\d+); ridge: (\d+) \/ (\d+) \/ (\d+)/.exec(
        summary,
      )!;
    const [, , lCor, , , eCor, , rInf, rCor, rNoise] = m.map(Number);
    assert.deepEqual([rInf, rCor, rNoise], [10, 20, 70]); // ridge keeps everything
    assert.ok(eCor > lCor, `elastic net keeps more of the correlated groups (${eCor} vs ${lCor})`);
    await c.page.click("#cor-resample");
    assert.notEqual(await c.page.textContent("[data-testid=cor-summary]"), summary);
    await c.page.screenshot({ path: join(SHOTS, "lab-correlated.png"), fullPage: true });
    assert.deepEqual(c.errors, []);
    await c.page.close();
    const t = await open("theory");
    const before = await t.page.textContent("[data-testid=bv-readout]");
    await t.page.fill("#bv-lambda", "-7");
    await t.page.dispatchEvent("#bv-lambda", "input");
    const after = (await t.page.textContent("[data-testid=bv-readout]"))!;
    assert.notEqual(after, before);
    const table = (await t.page.textContent("#es-table"))!;
    assert.match(table, /λ_eff·ηT/);
    await t.page.screenshot({ path: join(SHOTS, "lab-theory.png"), fullPage: true });
    assert.deepEqual(t.errors, []);
    await t.page.close();
  });

  it("groups: a group's coefficients leave zero together under the group lasso, not under the lasso; the KKT table holds", async () => {
    const { page, errors } = await open("groups");
    await page.waitForSelector("#groups-sparse");
    // Path index at which each feature first leaves zero, per method, and each feature's group.
    const entries = async (id: string) =>
      (await page.getAttribute(`#${id}`, "data-entries"))!.split(",").map(Number);
    const groupOf = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4];
    const together = (e: number[]) =>
      [0, 1, 2, 3, 4].map((g) => new Set(e.filter((_, j) => groupOf[j] === g)).size === 1);
    const group = await entries("groups-group");
    const lasso = await entries("groups-lasso");
    assert.deepEqual(together(group), [true, true, true, true, true], `group lasso ${group}`);
    assert.ok(together(lasso).includes(false), `the lasso enters within groups apart: ${lasso}`);
    // The one-hot factor: the lasso keeps a level at zero long after another one entered.
    assert.ok(Math.max(...lasso.slice(12)) > Math.min(...lasso.slice(12)) + 5, `${lasso}`);
    // Why each group is zero or not: ‖∇_g f‖ ≤ λ√|g| for zero groups, = for the others.
    const check = async (k: number) => {
      await page.fill("#groups-lambda", String(k));
      await page.dispatchEvent("#groups-lambda", "input");
      const rows = await page.$$eval("#groups-kkt tr[data-group]", (trs) =>
        trs.map((tr) => ({
          zero: tr.getAttribute("data-zero") === "true",
          g: Number(tr.getAttribute("data-gradient")),
          t: Number(tr.getAttribute("data-threshold")),
        })),
      );
      for (const r of rows)
        if (r.zero) assert.ok(r.g <= r.t * (1 + 1e-9), `zero group: ${r.g} > ${r.t}`);
        else assert.ok(Math.abs(r.g - r.t) <= 1e-4 * r.t, `active group: ${r.g} vs ${r.t}`);
      return rows.filter((r) => !r.zero).length;
    };
    const few = await check(8);
    const many = await check(50);
    assert.ok(few < many && many === 5, `${few} then ${many} active groups`);
    await page.screenshot({ path: join(SHOTS, "lab-groups.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("the Bayesian view: the Laplace MAP is exactly zero while the posterior median is not; MC dropout's spread grows with the rate", async () => {
    const { page, errors } = await open("bayes");
    const readout = async () => ({
      map: Number(await page.getAttribute("#bayes-readout", "data-map")),
      median: Number(await page.getAttribute("#bayes-readout", "data-median")),
      mean: Number(await page.getAttribute("#bayes-readout", "data-mean")),
    });
    // Weak data (n = 4, ŵ = 0.15, λ = 1): the mode is soft-thresholded to exactly 0.
    const weak = await readout();
    assert.equal(weak.map, 0);
    assert.ok(weak.median > 0.01 && weak.mean > weak.median, JSON.stringify(weak));
    const [m1, m2] = (await page.getAttribute("#bayes-readout2", "data-map"))!
      .split(",")
      .map(Number);
    const [a1, a2] = (await page.getAttribute("#bayes-readout2", "data-mean"))!
      .split(",")
      .map(Number);
    assert.ok((m1 === 0) !== (m2 === 0), `2-D MAP on one axis: ${m1}, ${m2}`);
    assert.ok(a1 !== 0 && a2 !== 0);
    // Strong data: the mode leaves zero.
    await page.fill("#bayes-n", "60");
    await page.dispatchEvent("#bayes-n", "input");
    assert.ok((await readout()).map > 0);
    // Diabetes: the lasso's exact zeros against the Gibbs sampler's medians (none exactly 0).
    await page.waitForSelector("#bayes-lasso-status[data-lasso-zeros]", { timeout: 60000 });
    const lassoZeros = Number(await page.getAttribute("#bayes-lasso-status", "data-lasso-zeros"));
    const medianZeros = Number(await page.getAttribute("#bayes-lasso-status", "data-median-zeros"));
    assert.ok(
      lassoZeros >= 3 && medianZeros === 0,
      `${lassoZeros} lasso zeros, ${medianZeros} median zeros`,
    );
    // MC dropout: more dropout, a wider predictive spread over the data.
    await page.waitForSelector("#bayes-dropout-status[data-inside]", { timeout: 60000 });
    const low = Number(await page.getAttribute("#bayes-dropout-status", "data-inside"));
    await page.selectOption("#bayes-rate", "0.5");
    await page.waitForFunction(
      () => /dropout 0\.5/.test(document.querySelector("#bayes-dropout-status")!.textContent ?? ""),
      null,
      { timeout: 60000 },
    );
    const high = Number(await page.getAttribute("#bayes-dropout-status", "data-inside"));
    assert.ok(high > low, `sd ${low} at 0.1, ${high} at 0.5`);
    await page.screenshot({ path: join(SHOTS, "lab-bayes.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("survival: the top risk third's Kaplan–Meier curve lies below the bottom third's; C cross-validated in a worker", async () => {
    const { page, errors } = await open("survival");
    await page.waitForSelector("#surv-km[data-km365]");
    const km365 = async () =>
      (await page.getAttribute("#surv-km", "data-km365"))!.split(",").map(Number);
    const [low, , high] = await km365();
    assert.ok(high < low - 0.1, `alive at one year: low risk ${low}, high risk ${high}`);
    const count = async (k: number) => {
      await page.fill("#surv-lambda", String(k));
      await page.dispatchEvent("#surv-lambda", "input");
      return Number((await page.textContent("[data-testid=surv-nz]"))!.split(" ")[0]);
    };
    const few = await count(2);
    const many = await count(60);
    assert.ok(few < many, `${few} then ${many} non-zero coefficients`);
    const [low60, , high60] = await km365();
    assert.ok(high60 < low60, `at λ #61: low risk ${low60}, high risk ${high60}`);
    await page.waitForSelector("#surv-cv[data-best]", { timeout: 60000 });
    const best = Number(await page.getAttribute("#surv-cv", "data-best"));
    assert.ok(best > 0.55 && best < 1, `cross-validated C ${best}`);
    await page.screenshot({ path: join(SHOTS, "lab-survival.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("works on a phone-sized screen: no horizontal overflow", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}#geometry`);
    await page.waitForSelector("#geo");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 1, `overflow ${overflow}px`);
    for (const panel of ["groups", "bayes", "survival"]) {
      await page.goto(`${base}#${panel}`);
      await page.waitForSelector(`main[data-panel="${panel}"] svg`);
      const o = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(o <= 1, `#${panel}: overflow ${o}px`);
    }
    await page.screenshot({ path: join(SHOTS, "lab-phone.png"), fullPage: true });
    await page.close();
  });
});
