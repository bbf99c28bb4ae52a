import {
  denseMatrix,
  symmetricEigen,
  Random,
  polynomialBiasVariance,
  earlyStoppingVsRidge,
} from "regularize";
import { loadCsv } from "./data.js";
import { COLORS, axes, el, fmtNum, linear } from "./svg.js";

/**
 * Panel 6 — early stopping ≈ L2, and bias–variance. Gradient descent on the diabetes least
 * squares from zero, its iterates against the ridge path (both plotted against their norm), with
 * the effective λ of each T next to 1/(ηT). Then the degree-20 polynomial through 15 noisy points:
 * one sample's ridge fit at the chosen λ, and bias², variance and noise over λ.
 */

/** Solves the symmetric positive definite system A x = b (Cholesky), A m × m row-major. */
function spdSolve(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      L[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * m + j];
    }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * m + k] * z[k];
    z[i] = s / L[i * m + i];
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < m; k++) s -= L[k * m + i] * x[k];
    x[i] = s / L[i * m + i];
  }
  return x;
}

export function mountTheory(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Early stopping is implicit L2; the bias–variance trade-off</h2>
  <p class="explain">Gradient descent on least squares from β = 0 with step η, stopped after T steps, filters each eigen-direction of
  XᵀX/n by <span class="formula">1 − (1 − ηd)ᵀ</span>; ridge filters it by <span class="formula">d/(d + λ)</span>. Both keep large directions and damp small ones,
  and they roughly agree at <span class="formula">λ ≈ 1/(ηT)</span>. Dots: gradient-descent iterates; lines: the ridge path (diabetes data, standardized).</p>
  <div class="row">
    <svg id="es" viewBox="0 0 600 340" width="600" height="340" role="img" aria-label="Gradient descent iterates against the ridge path"></svg>
    <div class="controls"><table class="feat" id="es-table"></table></div>
  </div>
  <h3>A degree-20 polynomial through 15 noisy points</h3>
  <p class="explain">Without a penalty the polynomial chases the noise (huge variance); a large λ flattens it (bias). The expected test error is
  <span class="formula">bias² + variance + noise</span>, smallest in between.</p>
  <div class="row">
    <svg id="bv-fit" viewBox="0 0 420 320" width="420" height="320" role="img" aria-label="One sample's polynomial fit"></svg>
    <svg id="bv" viewBox="0 0 520 320" width="520" height="320" role="img" aria-label="Bias squared, variance and noise over lambda"></svg>
    <div class="controls">
      <label for="bv-lambda">log₁₀ λ: <span id="bv-lambda-v"></span></label>
      <input id="bv-lambda" type="range" min="-8" max="1" step="0.25" value="-3" />
      <button id="bv-resample" type="button">New sample</button>
      <div class="readout" id="bv-readout" data-testid="bv-readout"></div>
    </div>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;

  // ---- early stopping vs ridge on diabetes ----
  const d = loadCsv("diabetes");
  const X = denseMatrix(d.n, d.p, d.standardized);
  const checkpoints = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
  const es = earlyStoppingVsRidge(X, d.y, checkpoints);
  // ridge path in the eigenbasis: β(λ) = V diag(1/(dₖ + λ)) Vᵀ Xᵀỹ/n
  const p = d.p;
  const G = new Float64Array(p * p);
  const c = new Float64Array(p);
  const ybar = d.y.reduce((a, b) => a + b, 0) / d.n;
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < d.n; i++) c[j] += (d.standardized[j * d.n + i] * (d.y[i] - ybar)) / d.n;
    for (let k = 0; k <= j; k++) {
      let s = 0;
      for (let i = 0; i < d.n; i++) s += d.standardized[j * d.n + i] * d.standardized[k * d.n + i];
      G[j * p + k] = G[k * p + j] = s / d.n;
    }
  }
  const { values, vectors } = symmetricEigen(G, p);
  const ridge = (lambda: number) => {
    const b = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let proj = 0;
      for (let j = 0; j < p; j++) proj += vectors[j * p + k] * c[j];
      for (let j = 0; j < p; j++) b[j] += (vectors[j * p + k] * proj) / (values[k] + lambda);
    }
    return b;
  };
  const norm = (b: Float64Array) => Math.sqrt(b.reduce((a, v) => a + v * v, 0));
  const path = Array.from({ length: 80 }, (_, k) => ridge(10 ** (3 - (k * 8) / 79)));
  const maxNorm = Math.max(...path.map(norm), ...es.points.map((q) => q.norm));
  let lo = 0;
  let hi = 0;
  for (const b of path)
    for (const v of b) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const ex = linear([0, maxNorm], [70, 580]);
  const ey = linear([lo * 1.05, hi * 1.05], [300, 20]);
  const g = el("g", {}, $<SVGSVGElement>("es"));
  axes(g, ex, ey, { x0: 70, x1: 580, y0: 20, y1: 300 }, "‖β‖₂ (standardized scale)", "Coefficient");
  for (let j = 0; j < p; j++) {
    el(
      "polyline",
      {
        points: path.map((b) => `${ex(norm(b))},${ey(b[j])}`).join(" "),
        fill: "none",
        stroke: COLORS[j],
        "stroke-width": 1.5,
      },
      g,
    );
    for (const q of es.points)
      el("circle", { cx: ex(q.norm), cy: ey(q.beta[j]), r: 3, fill: COLORS[j] }, g);
  }
  $("es-table").innerHTML =
    `<tr><th>T</th><th>1/(ηT)</th><th>λ_eff</th><th>λ_eff·ηT</th></tr>` +
    es.points
      .map(
        (q) =>
          `<tr><td>${q.steps}</td><td>${fmtNum(q.heuristicLambda)}</td><td>${fmtNum(q.effectiveLambda)}</td><td>${(q.effectiveLambda / q.heuristicLambda).toFixed(2)}</td></tr>`,
      )
      .join("");

  // ---- bias–variance ----
  const grid = Array.from({ length: 37 }, (_, k) => -8 + k * 0.25);
  const bv = polynomialBiasVariance({ lambdas: grid.map((v) => 10 ** v), reps: 150, seed: 3 });
  const bx = linear([-8, 1], [60, 500]);
  const top = Math.min(Math.max(...bv.map((q) => q.expected)), 3);
  const by = linear([0, top], [280, 20]);
  let sampleSeed = 1;

  function drawBv(): void {
    const lv = Number($<HTMLInputElement>("bv-lambda").value);
    $("bv-lambda-v").textContent = lv.toFixed(2);
    const svg = $<SVGSVGElement>("bv");
    svg.innerHTML = "";
    const gb = el("g", {}, svg);
    axes(gb, bx, by, { x0: 60, x1: 500, y0: 20, y1: 280 }, "log₁₀ λ", "Squared error");
    const series: [keyof (typeof bv)[number], string, string][] = [
      ["bias2", "#c0392b", "bias²"],
      ["variance", "#2e86c1", "variance"],
      ["noise", "#7f8c8d", "noise σ²"],
      ["expected", "#1e8449", "bias² + variance + noise"],
    ];
    series.forEach(([key, color, label], s) => {
      el(
        "polyline",
        {
          points: bv
            .map((q, k) => `${bx(grid[k])},${by(Math.min(q[key] as number, top))}`)
            .join(" "),
          fill: "none",
          stroke: color,
          "stroke-width": 2,
        },
        gb,
      );
      el("text", { x: 380, y: 36 + 14 * s, "font-size": 12, fill: color }, gb).textContent = label;
    });
    el(
      "line",
      { x1: bx(lv), x2: bx(lv), y1: 20, y2: 280, stroke: "#333", "stroke-dasharray": "4 3" },
      gb,
    );
    const k = grid.findIndex((v) => Math.abs(v - lv) < 1e-9);
    const q = bv[Math.max(0, k)];
    $("bv-readout").innerHTML =
      `at λ = ${fmtNum(10 ** lv)}: bias² ${q.bias2.toFixed(3)}, variance ${fmtNum(q.variance)}, noise ${q.noise.toFixed(3)}`;
    // one sample and its fit: ridge on centered powers 1..20 (as the library)
    const rng = new Random(sampleSeed);
    const n = 15;
    const deg = 20;
    const xs = Array.from({ length: n }, () => 2 * rng.uniform() - 1);
    const ys = xs.map((v) => Math.sin(Math.PI * v) + 0.3 * rng.normal());
    const P = (v: number) => Array.from({ length: deg }, (_, j) => v ** (j + 1));
    const rows = xs.map(P);
    const mu = Array.from({ length: deg }, (_, j) => rows.reduce((a, r) => a + r[j], 0) / n);
    const ym = ys.reduce((a, b) => a + b, 0) / n;
    const A = new Float64Array(deg * deg);
    const bvec = new Float64Array(deg);
    const lam = 10 ** lv;
    for (let i = 0; i < deg; i++) {
      for (let j = 0; j < deg; j++)
        A[i * deg + j] =
          rows.reduce((a, r) => a + (r[i] - mu[i]) * (r[j] - mu[j]), 0) / n + (i === j ? lam : 0);
      bvec[i] = rows.reduce((a, r, t) => a + (r[i] - mu[i]) * (ys[t] - ym), 0) / n;
    }
    const beta = spdSolve(A, bvec, deg);
    const f = (v: number) => ym + P(v).reduce((a, pw, j) => a + beta[j] * (pw - mu[j]), 0);
    const fs = $<SVGSVGElement>("bv-fit");
    fs.innerHTML = "";
    const gf = el("g", {}, fs);
    const fx = linear([-1, 1], [50, 400]);
    const fy = linear([-2, 2], [280, 20]);
    axes(gf, fx, fy, { x0: 50, x1: 400, y0: 20, y1: 280 }, "x", "y");
    const line = (fn: (v: number) => number, color: string, w: number) =>
      el(
        "polyline",
        {
          points: Array.from({ length: 201 }, (_, k) => -1 + k / 100)
            .map((v) => `${fx(v)},${fy(Math.max(-2.5, Math.min(2.5, fn(v))))}`)
            .join(" "),
          fill: "none",
          stroke: color,
          "stroke-width": w,
        },
        gf,
      );
    line((v) => Math.sin(Math.PI * v), "#7f8c8d", 1.5);
    line(f, "#c0392b", 2);
    xs.forEach((v, t) => el("circle", { cx: fx(v), cy: fy(ys[t]), r: 3.5, fill: "#2e86c1" }, gf));
    el("text", { x: 60, y: 34, "font-size": 12, fill: "#c0392b" }, gf).textContent =
      "ridge fit (degree 20)";
    el("text", { x: 60, y: 48, "font-size": 12, fill: "#7f8c8d" }, gf).textContent =
      "truth sin(πx)";
  }
  $("bv-lambda").addEventListener("input", drawBv);
  $("bv-resample").addEventListener("click", () => {
    sampleSeed++;
    drawBv();
  });
  drawBv();
}
