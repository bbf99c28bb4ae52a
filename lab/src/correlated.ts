import { denseMatrix, elasticNetPath, Random } from "regularize";
import { el, linear } from "./svg.js";

/**
 * Panel 4 — correlated features: the seeds' design (10 informative features, 20 correlated with
 * them at r ≈ 0.8 — two per informative one — and 70 noise features). Lasso, ridge and elastic
 * net side by side at λ chosen as a fraction of each one's λ_max; resampling shows the lasso
 * picking arbitrarily within correlated groups while the elastic net keeps them together; the
 * selection frequencies over 20 half-samples.
 */
const N = 200;
const P = 100;
const KIND = (j: number) => (j < 10 ? "informative" : j < 30 ? "correlated" : "noise");
const COLOR: Record<string, string> = {
  informative: "#c0392b",
  correlated: "#e67e22",
  noise: "#95a5a6",
};

function simulate(seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(N * P);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: 10 }, () => rng.normal());
    for (let k = 0; k < 10; k++) {
      x[k * N + i] = z[k];
      for (let m = 0; m < 2; m++) x[(10 + 2 * k + m) * N + i] = 0.8 * z[k] + 0.6 * rng.normal();
    }
    for (let j = 30; j < P; j++) x[j * N + i] = rng.normal();
    y[i] = z.reduce((a, v) => a + v, 0) + 1.5 * rng.normal();
  }
  return { x, y };
}

function fitAt(x: Float64Array, y: Float64Array, n: number, alpha: number, fraction: number) {
  const X = denseMatrix(n, P, x);
  const first = elasticNetPath(X, y, {
    alpha: Math.max(alpha, 1e-3),
    nLambda: 2,
    lambdaMinRatio: 0.5,
  });
  const fit = elasticNetPath(X, y, { alpha, lambda: [first.lambda[0] * fraction] });
  const b = new Float64Array(P);
  fit.beta[0].index.forEach((j, t) => (b[j] = fit.beta[0].value[t]));
  return b;
}

export function mountCorrelated(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Correlated features: lasso, ridge and elastic net</h2>
  <p class="explain">Ten informative features (red), each with two near-copies at correlation 0.8 (orange), and seventy noise features (grey).
  The lasso keeps one member of a correlated group and drops the others, and which one changes from sample to sample; ridge keeps everything,
  shrunk; the elastic net (<span class="formula">α‖β‖₁ + (1−α)/2‖β‖²</span>) drops the noise and keeps groups together.</p>
  <div class="controls" style="max-width:none">
    <label for="cor-frac">λ as a fraction of λ_max: <span id="cor-frac-v"></span></label>
    <input id="cor-frac" type="range" min="0.05" max="0.6" step="0.01" value="0.15" style="max-width:360px" />
    <button id="cor-resample" type="button">Resample the data</button>
    <span class="readout" id="cor-summary" data-testid="cor-summary"></span>
  </div>
  <div class="row" id="cor-charts"></div>
  <h3>Selection frequency over 20 half-samples</h3>
  <div class="row" id="cor-freq"></div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  let seed = 1;

  const bars = (
    title: string,
    values: Float64Array | number[],
    yTitle: string,
    symmetric: boolean,
  ) => {
    const svg = el("svg", {
      viewBox: "0 0 380 200",
      width: 380,
      height: 200,
      role: "img",
      "aria-label": title,
    });
    const g = el("g", {}, svg);
    let m = 0;
    for (const v of values) m = Math.max(m, Math.abs(v));
    m = m || 1;
    const y = linear(symmetric ? [-m, m] : [0, m], [170, 24]);
    const x = linear([0, P], [40, 370]);
    el("text", { x: 40, y: 15, "font-size": 13, "font-weight": "bold" }, g).textContent = title;
    el("line", { x1: 40, x2: 370, y1: y(0), y2: y(0), stroke: "#888" }, g);
    values.forEach((v, j) =>
      el(
        "rect",
        {
          x: x(j),
          y: Math.min(y(0), y(v)),
          width: 2.6,
          height: Math.abs(y(v) - y(0)),
          fill: COLOR[KIND(j)],
        },
        g,
      ),
    );
    el("text", { x: 205, y: 192, "font-size": 11, "text-anchor": "middle" }, g).textContent =
      `feature (1–10 informative, 11–30 correlated, 31–100 noise) · ${yTitle}`;
    return svg;
  };

  function draw(): void {
    const frac = Number($<HTMLInputElement>("cor-frac").value);
    $("cor-frac-v").textContent = frac.toFixed(2);
    const { x, y } = simulate(seed);
    const fits: [string, number][] = [
      ["Lasso (α = 1)", 1],
      ["Elastic net (α = 0.3)", 0.3],
      ["Ridge (α = 0)", 0],
    ];
    const charts = $("cor-charts");
    charts.innerHTML = "";
    const sel: Record<string, number[]> = {};
    for (const [name, alpha] of fits) {
      const b = fitAt(x, y, N, alpha, alpha === 0 ? frac * 0.01 : frac);
      charts.appendChild(bars(name, b, "coefficient", true));
      sel[name] = [0, 10, 30].map(
        (s, k) => b.slice(s, [10, 30, 100][k]).filter((v) => v !== 0).length,
      );
    }
    $("cor-summary").textContent =
      `non-zero (informative / correlated / noise) — lasso: ${sel["Lasso (α = 1)"].join(" / ")}; elastic net: ${sel["Elastic net (α = 0.3)"].join(" / ")}; ridge: ${sel["Ridge (α = 0)"].join(" / ")}`;
    // selection frequencies over half-samples
    const rng = new Random(1000 + seed);
    const B = 20;
    const freq: Record<string, number[]> = {
      lasso: new Array(P).fill(0),
      enet: new Array(P).fill(0),
    };
    for (let b = 0; b < B; b++) {
      const idx = Array.from({ length: N }, (_, i) => i);
      for (let i = N - 1; i > 0; i--) {
        const u = Math.floor(rng.uniform() * (i + 1));
        [idx[i], idx[u]] = [idx[u], idx[i]];
      }
      const half = idx.slice(0, N / 2);
      const xs = new Float64Array((N / 2) * P);
      for (let j = 0; j < P; j++) half.forEach((i, t) => (xs[j * (N / 2) + t] = x[j * N + i]));
      const ys = Float64Array.from(half, (i) => y[i]);
      for (const [key, alpha] of [
        ["lasso", 1],
        ["enet", 0.3],
      ] as [string, number][]) {
        const beta = fitAt(xs, ys, N / 2, alpha, frac);
        beta.forEach((v, j) => v !== 0 && (freq[key][j] += 1 / B));
      }
    }
    const fr = $("cor-freq");
    fr.innerHTML = "";
    fr.appendChild(bars("Lasso: selection frequency", freq.lasso, "frequency", false));
    fr.appendChild(bars("Elastic net: selection frequency", freq.enet, "frequency", false));
  }
  $("cor-frac").addEventListener("change", draw);
  $("cor-resample").addEventListener("click", () => {
    seed++;
    draw();
  });
  draw();
}
