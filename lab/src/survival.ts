import { coefAt, coxBaseline, denseMatrix, fit, kaplanMeier, survivalAt } from "regularize";
import { loadCsv } from "./data.js";
import { axes, COLORS, el, fmtNum, linear, extent } from "./svg.js";

/**
 * Panel 9 — survival: the Cox lasso path on the lung-cancer trial (time to death, censored
 * rows), Harrell's C by 10-fold cross-validation in a worker, and at the slider's λ the
 * Kaplan–Meier curves of the patients split into thirds by the model's risk score, each beside
 * the model's own predicted survival for the same patients (the Breslow baseline hazard).
 */

const TERTILES = [
  { label: "lowest risk third", colour: "#2ca02c" },
  { label: "middle third", colour: "#ff7f0e" },
  { label: "highest risk third", colour: "#c0392b" },
];

/** lung.csv: time, status (1 death, 0 censored), then seven features; loadCsv reads its last column as a target. */
function lungDesign() {
  const d = loadCsv("lung");
  const n = d.n;
  const cols = [...d.names, d.target];
  const column = (name: string) => {
    const j = d.names.indexOf(name);
    return j >= 0 ? d.x.subarray(j * n, j * n + n) : d.y;
  };
  const names = cols.filter((c) => c !== "time" && c !== "status");
  const p = names.length;
  const x = new Float64Array(n * p);
  names.forEach((name, j) => {
    const v = column(name);
    let m = 0;
    for (let i = 0; i < n; i++) m += v[i] / n;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += (v[i] - m) ** 2 / n;
    const s = Math.sqrt(s2);
    for (let i = 0; i < n; i++) x[j * n + i] = (v[i] - m) / s;
  });
  return {
    n,
    p,
    x,
    names,
    time: Float64Array.from(column("time")),
    status: Float64Array.from(column("status")),
  };
}

export function mountSurvival(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Survival: a penalized Cox model</h2>
  <p class="explain">The NCCTG lung-cancer trial: 168 patients, days to death or to the end of follow-up (censored).
  The Cox model's hazard is <span class="formula">h(t | x) = h₀(t)·exp(xᵀβ)</span>; the lasso penalizes β as for any
  other family, so features leave the model as λ grows. Cross-validation scores each λ by Harrell's C, the share of
  comparable pairs the risk score orders correctly (0.5 is chance). Below, the patients are split into thirds by
  their risk score at the chosen λ: the Kaplan–Meier curves of the thirds (steps) beside the model's predicted
  survival for the same patients (dashed).</p>
  <div class="row">
    <svg id="surv-paths" viewBox="0 0 520 300" width="520" height="300" role="img" aria-label="Cox lasso coefficient paths"></svg>
    <div class="controls">
      <label for="surv-lambda">λ (path index; weaker to the right): <span id="surv-lambda-v"></span></label>
      <input id="surv-lambda" type="range" min="0" max="99" step="1" value="20" />
      <div class="readout">non-zero coefficients: <b id="surv-nz" data-testid="surv-nz"></b></div>
      <div class="readout" id="surv-c">Harrell's C on the training rows: </div>
      <div class="readout" id="surv-cv">cross-validation: running in a worker…</div>
      <div class="legend" id="surv-legend"></div>
    </div>
  </div>
  <div class="row">
    <svg id="surv-km" viewBox="0 0 520 300" width="520" height="300" role="img" aria-label="Kaplan–Meier curves of the risk thirds"></svg>
    <svg id="surv-cvplot" viewBox="0 0 520 300" width="520" height="300" role="img" aria-label="Cross-validated concordance"></svg>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  const d = lungDesign();
  const X = denseMatrix(d.n, d.p, d.x);
  const surv = { time: d.time, status: d.status };
  const path = fit(X, d.time, { family: "cox", status: d.status });
  const L = path.lambda.length;
  const slider = $<HTMLInputElement>("surv-lambda");
  slider.max = String(L - 1);
  const coefs = Array.from({ length: L }, (_, k) => coefAt(path, path.lambda[k]).beta);
  const lx = linear([Math.log10(path.lambda[0]), Math.log10(path.lambda[L - 1])], [60, 500]);
  $("surv-legend").innerHTML = d.names
    .map((name, j) => `<span><i style="background:${COLORS[j % 10]}"></i>${name}</span>`)
    .join("");
  let cv: {
    lambda: number[];
    cvm: number[];
    cvsd: number[];
    indexMin: number;
    index1se: number;
  } | null = null;

  function drawPaths(k: number): void {
    const svg = $<SVGSVGElement>("surv-paths");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const [lo, hi] = extent(coefs);
    const ly = linear([lo * 1.08, hi * 1.08], [250, 20]);
    axes(
      g,
      lx,
      ly,
      { x0: 60, x1: 500, y0: 20, y1: 250 },
      "log₁₀ λ (weaker to the right)",
      "coefficient (standardized)",
    );
    for (let j = 0; j < d.p; j++)
      el(
        "polyline",
        {
          points: coefs.map((b, kk) => `${lx(Math.log10(path.lambda[kk]))},${ly(b[j])}`).join(" "),
          fill: "none",
          stroke: COLORS[j % 10],
          "stroke-width": 1.8,
        },
        g,
      );
    const px = lx(Math.log10(path.lambda[k]));
    el("line", { x1: px, x2: px, y1: 20, y2: 250, stroke: "#333", "stroke-dasharray": "4 3" }, g);
  }

  /** Risk thirds at point k: Kaplan–Meier of each, the model's mean predicted survival, C. */
  function drawKm(k: number): void {
    const beta = coefs[k];
    const eta = new Float64Array(d.n);
    for (let j = 0; j < d.p; j++)
      for (let i = 0; i < d.n; i++) eta[i] += d.x[j * d.n + i] * beta[j];
    const base = coxBaseline(X, beta, surv);
    const order = Array.from({ length: d.n }, (_, i) => i).sort((a, b) => eta[a] - eta[b] || a - b);
    const tmax = Math.max(...d.time);
    const x = linear([0, tmax], [60, 500]);
    const y = linear([0, 1], [250, 20]);
    const svg = $<SVGSVGElement>("surv-km");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    axes(g, x, y, { x0: 60, x1: 500, y0: 20, y1: 250 }, "days", "survival probability");
    const at365: number[] = [];
    TERTILES.forEach((t, gi) => {
      const rows = order.slice(Math.floor((gi * d.n) / 3), Math.floor(((gi + 1) * d.n) / 3));
      const km = kaplanMeier(surv, undefined, rows);
      // Steps: S(t) is 1 before the first event and km.surv[k] from km.times[k] on.
      let pts = `${x(0)},${y(1)}`;
      let s = 1;
      km.times.forEach((tt, kk) => {
        pts += ` ${x(tt)},${y(s)} ${x(tt)},${y(km.surv[kk])}`;
        s = km.surv[kk];
      });
      const last = rows.reduce((m, i) => Math.max(m, d.time[i]), 0);
      pts += ` ${x(last)},${y(s)}`;
      el("polyline", { points: pts, fill: "none", stroke: t.colour, "stroke-width": 2 }, g);
      const grid = Array.from({ length: 60 }, (_, q) => (last * q) / 59);
      const S = survivalAt(
        base,
        rows.map((i) => eta[i]),
        grid,
      );
      const mean = grid.map((_, q) => S.reduce((a, r) => a + r[q], 0) / S.length);
      el(
        "polyline",
        {
          points: grid.map((tt, q) => `${x(tt)},${y(mean[q])}`).join(" "),
          fill: "none",
          stroke: t.colour,
          "stroke-width": 1.5,
          "stroke-dasharray": "5 4",
        },
        g,
      );
      let k365 = -1;
      km.times.forEach((tt, kk) => tt <= 365 && (k365 = kk));
      at365.push(k365 < 0 ? 1 : km.surv[k365]);
      el(
        "text",
        { x: 505 - 150, y: 40 + gi * 16, "font-size": 12, fill: t.colour },
        g,
      ).textContent = t.label;
    });
    svg.dataset.km365 = at365.join(",");
    // Harrell's C of the risk score on the training rows (ties in η count one half).
    let conc = 0;
    let pairs = 0;
    for (let i = 0; i < d.n; i++) {
      if (!d.status[i]) continue;
      for (let j = 0; j < d.n; j++) {
        if (d.time[j] <= d.time[i]) continue;
        pairs++;
        conc += eta[i] > eta[j] ? 1 : eta[i] === eta[j] ? 0.5 : 0;
      }
    }
    $("surv-c").textContent =
      `Harrell's C on the training rows: ${(conc / pairs).toFixed(3)}; alive at one year (Kaplan–Meier): ${at365.map((v) => v.toFixed(2)).join(" / ")} (low / middle / high risk)`;
  }

  function drawCv(k: number): void {
    if (!cv) return;
    const c = cv;
    const svg = $<SVGSVGElement>("surv-cvplot");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const up = c.cvm.map((m, q) => m + c.cvsd[q]);
    const dn = c.cvm.map((m, q) => m - c.cvsd[q]);
    const cy = linear([Math.min(0.5, ...dn), Math.max(...up)], [250, 20]);
    const cx = linear(lx.domain, [60, 500]);
    axes(g, cx, cy, { x0: 60, x1: 500, y0: 20, y1: 250 }, "log₁₀ λ", "cross-validated C");
    el(
      "line",
      { x1: 60, x2: 500, y1: cy(0.5), y2: cy(0.5), stroke: "#bbb", "stroke-dasharray": "3 3" },
      g,
    );
    c.cvm.forEach((m, q) => {
      const px = cx(Math.log10(c.lambda[q]));
      el("line", { x1: px, x2: px, y1: cy(dn[q]), y2: cy(up[q]), stroke: "#aab" }, g);
      el("circle", { cx: px, cy: cy(m), r: 2.5, fill: "#c0392b" }, g);
    });
    for (const [q, label] of [
      [c.indexMin, "λ_max C"],
      [c.index1se, "λ_1se"],
    ] as [number, string][]) {
      const px = cx(Math.log10(c.lambda[q]));
      el("line", { x1: px, x2: px, y1: 20, y2: 250, stroke: "#333", "stroke-dasharray": "5 4" }, g);
      el("text", { x: px + 4, y: 34, "font-size": 12 }, g).textContent = label;
    }
    const pk = cx(Math.log10(path.lambda[k]));
    el("line", { x1: pk, x2: pk, y1: 20, y2: 250, stroke: "#2e86c1", "stroke-width": 1.5 }, g);
    const out = $<HTMLElement>("surv-cv");
    out.dataset.best = String(c.cvm[c.indexMin]);
    out.textContent = `cross-validation (10 folds): best C = ${c.cvm[c.indexMin].toFixed(3)} at λ = ${fmtNum(c.lambda[c.indexMin])}, λ_1se = ${fmtNum(c.lambda[c.index1se])}`;
  }

  function draw(): void {
    const k = Number(slider.value);
    $("surv-lambda-v").textContent = fmtNum(path.lambda[k]);
    $("surv-nz").textContent = `${coefs[k].filter((v) => v !== 0).length} of ${d.p}`;
    drawPaths(k);
    drawKm(k);
    drawCv(k);
  }
  slider.addEventListener("input", draw);
  draw();

  const worker = new Worker(new URL("./survival.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (ev) => {
    if (ev.data.progress !== undefined) {
      $("surv-cv").textContent = `cross-validation: ${Math.round(ev.data.progress * 100)}%`;
      return;
    }
    cv = ev.data;
    drawCv(Number(slider.value));
  };
  worker.postMessage({ x: d.x, n: d.n, p: d.p, time: d.time, status: d.status });
}
