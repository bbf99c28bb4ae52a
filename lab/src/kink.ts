import { denseMatrix, l1, glmDatafit, proximalGradient, subgradientDescent } from "regularize";
import { loadCsv } from "./data.js";
import { axes, el, linear } from "./svg.js";

/**
 * Panel 2 — optimizers at the kink. A 2-D lasso problem: subgradient descent (steps λ·sign(w),
 * diminishing), proximal gradient (soft-thresholding) and coordinate descent from the same start,
 * step by step. Then the lasso on the diabetes data (10 standardized features): the count of
 * exact zeros over the iterations for subgradient descent and for proximal gradient (FISTA).
 */
const soft = (z: number, t: number) => (z > t ? z - t : z < -t ? z + t : 0);

function trajectories(lambda: number, steps: number) {
  const A = [
    [2, 0.8],
    [0.8, 1],
  ];
  const c = [1.6, 0.25];
  const grad = (w: number[]) => [
    A[0][0] * (w[0] - c[0]) + A[0][1] * (w[1] - c[1]),
    A[1][0] * (w[0] - c[0]) + A[1][1] * (w[1] - c[1]),
  ];
  const L = 2.5;
  const start = [-1.5, 1.8];
  const sub = [start];
  const prox = [start];
  const cd = [start];
  for (let k = 1; k <= steps; k++) {
    let w = sub[k - 1];
    let g = grad(w);
    const eta = 0.4 / Math.sqrt(k);
    sub.push([
      w[0] - eta * (g[0] + lambda * Math.sign(w[0])),
      w[1] - eta * (g[1] + lambda * Math.sign(w[1])),
    ]);
    w = prox[k - 1];
    g = grad(w);
    prox.push([soft(w[0] - g[0] / L, lambda / L), soft(w[1] - g[1] / L, lambda / L)]);
    // coordinate descent: one coordinate per step, exactly minimized
    w = [...cd[k - 1]];
    const j = (k - 1) % 2;
    const o = 1 - j;
    const r = A[j][j] * c[j] - A[j][o] * (w[o] - c[o]);
    w[j] = soft(r, lambda) / A[j][j];
    cd.push(w);
  }
  return { A, c, sub, prox, cd };
}

export function mountKink(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Optimizers at the kink: who lands exactly on zero?</h2>
  <p class="explain">At w = 0 the subdifferential of λ|w| is the whole interval [−λ, λ] — a dead zone. A <b>proximal</b> step
  (soft-thresholding, <span class="formula">w ← S(w − η∇f, ηλ)</span>) and <b>coordinate descent</b> land exactly on 0 when the
  gradient falls in the dead zone; a <b>subgradient</b> step <span class="formula">w ← w − η(∇f + λ·sign(w))</span> jumps over 0 and keeps oscillating around it.</p>
  <div class="row">
    <svg id="kink" viewBox="0 0 440 440" width="440" height="440" role="img" aria-label="Trajectories of three methods on a 2-D lasso problem"></svg>
    <div class="controls">
      <label for="kink-step">Iteration: <span id="kink-step-v"></span></label>
      <input id="kink-step" type="range" min="0" max="60" step="1" value="60" />
      <button id="kink-play" type="button">Animate</button>
      <div class="legend"><span><i style="background:#e67e22"></i>subgradient</span><span><i style="background:#2e86c1"></i>proximal gradient</span><span><i style="background:#1e8449"></i>coordinate descent</span></div>
      <div class="readout" id="kink-w"></div>
    </div>
  </div>
  <h3>The same on real data: lasso on the diabetes data (λ = 0.05·λ_max)</h3>
  <div class="row">
    <svg id="kink-zeros" viewBox="0 0 520 300" width="520" height="300" role="img" aria-label="Exact zeros over iterations"></svg>
    <div class="controls">
      <div class="readout">exact zeros — subgradient: <b data-testid="zeros-subgradient" id="kz-sub"></b></div>
      <div class="readout">exact zeros — proximal (FISTA): <b data-testid="zeros-proximal" id="kz-prox"></b></div>
      <p class="explain">Subgradient descent ends with many tiny weights but no exact zeros; the proximal method finds the lasso's exact support.</p>
      <svg id="kink-weights" viewBox="0 0 360 220" width="360" height="220" role="img" aria-label="Final weights, log scale"></svg>
    </div>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  const svg = $<SVGSVGElement>("kink");
  const lambda = 0.6;
  const T = trajectories(lambda, 60);
  const x = linear([-2, 2.2], [20, 420]);
  const y = linear([-1.2, 2.2], [420, 20]);

  function draw(k: number): void {
    $("kink-step-v").textContent = String(k);
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    el("line", { x1: x(-2), x2: x(2.2), y1: y(0), y2: y(0), stroke: "#999" }, g);
    el("line", { x1: x(0), x2: x(0), y1: y(-1.2), y2: y(2.2), stroke: "#999" }, g);
    el("text", { x: x(2.1), y: y(0) - 6, "font-size": 13, "text-anchor": "end" }, g).textContent =
      "w₁";
    el("text", { x: x(0) + 6, y: y(2.1), "font-size": 13 }, g).textContent = "w₂";
    // contours of the lasso objective on a grid (marching squares would be overkill: dots)
    const F = (a: number, b: number) => {
      const d0 = a - T.c[0];
      const d1 = b - T.c[1];
      return (
        0.5 * (T.A[0][0] * d0 * d0 + 2 * T.A[0][1] * d0 * d1 + T.A[1][1] * d1 * d1) +
        lambda * (Math.abs(a) + Math.abs(b))
      );
    };
    for (let i = 0; i <= 42; i++)
      for (let j = 0; j <= 34; j++) {
        const a = -2 + (i / 42) * 4.2;
        const b = -1.2 + (j / 34) * 3.4;
        const v = F(a, b);
        el(
          "circle",
          {
            cx: x(a),
            cy: y(b),
            r: 1.6,
            fill: `hsl(210, 40%, ${Math.min(95, 45 + 18 * Math.log1p(v))}%)`,
          },
          g,
        );
      }
    const line = (pts: number[][], color: string) => {
      el(
        "polyline",
        {
          points: pts
            .slice(0, k + 1)
            .map((p) => `${x(p[0])},${y(p[1])}`)
            .join(" "),
          fill: "none",
          stroke: color,
          "stroke-width": 2,
        },
        g,
      );
      const p = pts[k];
      el("circle", { cx: x(p[0]), cy: y(p[1]), r: 5, fill: color }, g);
    };
    line(T.sub, "#e67e22");
    line(T.prox, "#2e86c1");
    line(T.cd, "#1e8449");
    const fmt = (v: number) =>
      v === 0 ? '<span class="zero">0 (exact)</span>' : v.toExponential(2);
    $("kink-w").innerHTML =
      `w₂ after ${k} steps — subgradient: ${fmt(T.sub[k][1])}<br>proximal: ${fmt(T.prox[k][1])}<br>coordinate descent: ${fmt(T.cd[k][1])}`;
  }
  const slider = $<HTMLInputElement>("kink-step");
  slider.addEventListener("input", () => draw(Number(slider.value)));
  $("kink-play").addEventListener("click", () => {
    let k = 0;
    const tick = () => {
      slider.value = String(k);
      draw(k);
      if (k++ < 60) setTimeout(tick, 60);
    };
    tick();
  });
  draw(60);

  // diabetes: zeros over iterations
  const d = loadCsv("diabetes");
  const X = denseMatrix(d.n, d.p, d.standardized);
  const f = glmDatafit("squared", X, d.y, { intercept: true });
  const g0 = new Float64Array(d.p + 1);
  const w0 = new Float64Array(d.p + 1);
  w0[d.p] = d.y.reduce((a, b) => a + b, 0) / d.n;
  f.gradient(w0, g0);
  let lmax = 0;
  for (let j = 0; j < d.p; j++) lmax = Math.max(lmax, Math.abs(g0[j]));
  const pen = l1(0.05 * lmax, { weights: [...new Array(d.p).fill(1), 0] });
  const iters = 400;
  const sub = subgradientDescent(f, pen, { maxIter: iters, trace: true, tol: 0 });
  const prox = proximalGradient(f, pen, { maxIter: iters, trace: true, tol: 0 });
  const zs = sub.trace!.zeros;
  const zp = prox.trace!.zeros;
  $("kz-sub").textContent = String(zs[zs.length - 1]);
  $("kz-prox").textContent = String(zp[zp.length - 1]);
  const zsvg = $<SVGSVGElement>("kink-zeros");
  const gx = linear([0, Math.max(zs.length, zp.length)], [60, 500]);
  const gy = linear([0, d.p], [250, 20]);
  const gz = el("g", {}, zsvg);
  axes(gz, gx, gy, { x0: 60, x1: 500, y0: 20, y1: 250 }, "Iteration", "Exact zeros (of 10)");
  // the final weights, |wⱼ| on a log scale: exact zeros drawn as a red "0" at the floor
  const wsvg = $<SVGSVGElement>("kink-weights");
  const gw = el("g", {}, wsvg);
  const wx = linear([0, d.p], [50, 350]);
  const wy = linear([-16, 3], [180, 20]);
  axes(gw, wx, wy, { x0: 50, x1: 350, y0: 20, y1: 180 }, "feature", "log₁₀ |wⱼ|");
  for (let j = 0; j < d.p; j++)
    for (const [w, color, dx] of [
      [sub.w[j], "#e67e22", 4],
      [prox.w[j], "#2e86c1", 14],
    ] as [number, string, number][]) {
      const px = wx(j) + dx;
      if (w === 0) {
        el(
          "text",
          {
            x: px + 4,
            y: 176,
            "font-size": 11,
            "text-anchor": "middle",
            fill: "#c0392b",
            "font-weight": "bold",
          },
          gw,
        ).textContent = "0";
        continue;
      }
      const v = Math.max(-16, Math.log10(Math.abs(w)));
      el("rect", { x: px, y: wy(v), width: 8, height: Math.max(1, 180 - wy(v)), fill: color }, gw);
    }
  for (const [series, color] of [
    [zs, "#e67e22"],
    [zp, "#2e86c1"],
  ] as [number[], string][])
    el(
      "polyline",
      {
        points: series.map((v, i) => `${gx(i)},${gy(v)}`).join(" "),
        fill: "none",
        stroke: color,
        "stroke-width": 2,
      },
      gz,
    );
}
