import { loadCsv } from "./data.js";
import { axes, COLORS, el, fmtNum, linear } from "./svg.js";

/**
 * Panel 8 — the Bayesian view: a penalty is a negative log prior (L2 a Gaussian N(0, 1/λ), L1 a
 * Laplace of rate λ) and the penalized fit is the posterior's mode (MAP). The mode of a Laplace
 * posterior sits exactly at zero when the data are weak; its mean and median never do. Shown on
 * a 1-D and a 2-D problem (closed-form likelihoods), on the diabetes data by the Bayesian lasso's
 * Gibbs sampler against the lasso at the matching λ, and for dropout by Monte Carlo dropout's
 * predictive spread (Gal & Ghahramani 2016). The sampler and the network run in a web worker.
 */

const LAPLACE = "#c0392b";
const GAUSS = "#2e86c1";

/** The data's estimate ŵ of the 1-D problem and of the 2-D one, and the 2-D features' correlation. */
const W1 = 0.15;
const W2: [number, number] = [0.25, 0.08];
const RHO = 0.6;

export function mountBayes(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Regularization as a prior</h2>
  <p class="explain">With Gaussian noise, penalized least squares is the posterior's mode (MAP):
  the penalty is the negative log prior. Ridge's <span class="formula">λw²/2</span> is a Gaussian prior N(0, 1/λ);
  the lasso's <span class="formula">λ|w|</span> a Laplace prior of rate λ, whose kink at zero makes the mode exactly 0 when
  the data say little. The posterior itself is never a spike: its mean and median are not zero.</p>
  <div class="row">
    <svg id="bayes-prior" viewBox="0 0 420 250" width="420" height="250" role="img" aria-label="Prior densities"></svg>
    <svg id="bayes-penalty" viewBox="0 0 420 250" width="420" height="250" role="img" aria-label="Penalties"></svg>
    <div class="controls">
      <label for="bayes-lambda">prior strength λ = <span id="bayes-lambda-v"></span></label>
      <input id="bayes-lambda" type="range" min="-1" max="1" step="0.05" value="0" />
      <label for="bayes-n">observations n (data strength) = <span id="bayes-n-v"></span></label>
      <input id="bayes-n" type="range" min="1" max="100" step="1" value="4" />
      <div class="readout" id="bayes-readout"></div>
    </div>
  </div>
  <h3>One weight: likelihood N(ŵ = ${W1}, 1/n) times the prior</h3>
  <div class="row">
    <svg id="bayes-post1" viewBox="0 0 640 280" width="640" height="280" role="img" aria-label="One-dimensional posteriors"></svg>
    <div class="controls legend"><span><i style="background:${LAPLACE}"></i>Laplace prior (lasso)</span><br />
      <span><i style="background:${GAUSS}"></i>Gaussian prior (ridge)</span><br />
      ▲ MAP (the penalized fit) · │ median · ○ mean</div>
  </div>
  <h3>Two correlated weights (ρ = ${RHO}), Laplace prior: the posterior density, its contours and its mode</h3>
  <div class="row">
    <svg id="bayes-post2" viewBox="0 0 340 340" width="340" height="340" role="img" aria-label="Two-dimensional posterior with its MAP"></svg>
    <div class="controls readout" id="bayes-readout2"></div>
  </div>
  <h3>Diabetes: the Bayesian lasso's posterior beside the lasso at the matching λ</h3>
  <div class="row">
    <svg id="bayes-lasso" viewBox="0 0 640 330" width="640" height="330" role="img" aria-label="Posterior intervals and lasso coefficients"></svg>
    <svg id="bayes-lassopath" viewBox="0 0 420 330" width="420" height="330" role="img" aria-label="The lasso path with the matching λ"></svg>
    <div class="controls">
      <label for="bayes-nonzero">lasso λ where this many features are in</label>
      <select id="bayes-nonzero"><option>2</option><option selected>4</option><option>6</option><option>8</option></select>
      <div class="readout" id="bayes-lasso-status">Gibbs sampler: running in a worker…</div>
    </div>
  </div>
  <h3>Dropout as approximate Bayesian inference: Monte Carlo dropout's predictive spread</h3>
  <div class="row">
    <svg id="bayes-dropout" viewBox="0 0 640 300" width="640" height="300" role="img" aria-label="Monte Carlo dropout predictions"></svg>
    <div class="controls">
      <label for="bayes-rate">dropout rate</label>
      <select id="bayes-rate"><option>0.05</option><option selected>0.1</option><option>0.2</option><option>0.3</option><option>0.5</option></select>
      <div class="readout" id="bayes-dropout-status">training in a worker…</div>
    </div>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  const lambdaOf = () => 10 ** Number($<HTMLInputElement>("bayes-lambda").value);
  const nOf = () => Number($<HTMLInputElement>("bayes-n").value);

  function priors(): void {
    const lam = lambdaOf();
    const ws = Array.from({ length: 241 }, (_, k) => -3 + k / 40);
    const gauss = (w: number) => Math.sqrt(lam / (2 * Math.PI)) * Math.exp((-lam * w * w) / 2);
    const laplace = (w: number) => (lam / 2) * Math.exp(-lam * Math.abs(w));
    const x = linear([-3, 3], [60, 400]);
    const top = Math.max(gauss(0), laplace(0));
    const y = linear([0, top * 1.08], [210, 20]);
    let svg = $<SVGSVGElement>("bayes-prior");
    svg.innerHTML = "";
    let g = el("g", {}, svg);
    axes(g, x, y, { x0: 60, x1: 400, y0: 20, y1: 210 }, "w", "prior density");
    for (const [f, c] of [
      [gauss, GAUSS],
      [laplace, LAPLACE],
    ] as const)
      el(
        "polyline",
        {
          points: ws.map((w) => `${x(w)},${y(f(w))}`).join(" "),
          fill: "none",
          stroke: c,
          "stroke-width": 2,
        },
        g,
      );
    svg = $<SVGSVGElement>("bayes-penalty");
    svg.innerHTML = "";
    g = el("g", {}, svg);
    const py = linear([0, Math.max(lam * 4.5, lam * 3) * 1.05], [210, 20]);
    axes(g, x, py, { x0: 60, x1: 400, y0: 20, y1: 210 }, "w", "penalty = −log prior + c");
    el(
      "polyline",
      {
        points: ws.map((w) => `${x(w)},${py((lam * w * w) / 2)}`).join(" "),
        fill: "none",
        stroke: GAUSS,
        "stroke-width": 2,
      },
      g,
    );
    el(
      "polyline",
      {
        points: ws.map((w) => `${x(w)},${py(lam * Math.abs(w))}`).join(" "),
        fill: "none",
        stroke: LAPLACE,
        "stroke-width": 2,
      },
      g,
    );
    $("bayes-lambda-v").textContent = fmtNum(lam);
  }

  /** Posterior summaries on a grid: density (normalized), mean, median. */
  function summarize(ws: number[], logp: (w: number) => number) {
    const lp = ws.map(logp);
    const mx = Math.max(...lp);
    const dens = lp.map((v) => Math.exp(v - mx));
    const z = dens.reduce((s, v) => s + v, 0);
    const pdf = dens.map((v) => v / z);
    const mean = pdf.reduce((s, v, k) => s + v * ws[k], 0);
    let c = 0;
    let median = ws[ws.length - 1];
    for (let k = 0; k < ws.length; k++) {
      if (c + pdf[k] >= 0.5) {
        // Linear interpolation inside the cell whose mass crosses one half.
        median = ws[k] - (ws[1] - ws[0]) * (1 - (0.5 - c) / pdf[k]);
        break;
      }
      c += pdf[k];
    }
    return { pdf, mean, median };
  }

  function posterior1d(): void {
    const lam = lambdaOf();
    const n = nOf();
    $("bayes-n-v").textContent = String(n);
    const ws = Array.from({ length: 3001 }, (_, k) => -1.5 + k / 1000);
    const lap = summarize(ws, (w) => (-n * (w - W1) ** 2) / 2 - lam * Math.abs(w));
    const gau = summarize(ws, (w) => (-n * (w - W1) ** 2) / 2 - (lam * w * w) / 2);
    // The modes in closed form: soft thresholding (Laplace), shrinkage (Gaussian).
    const mapL = Math.sign(W1) * Math.max(Math.abs(W1) - lam / n, 0);
    const mapG = (n * W1) / (n + lam);
    const svg = $<SVGSVGElement>("bayes-post1");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const x = linear([-1, 1], [60, 620]);
    const top = Math.max(...lap.pdf, ...gau.pdf);
    const y = linear([0, top * 1.15], [240, 20]);
    axes(g, x, y, { x0: 60, x1: 620, y0: 20, y1: 240 }, "w", "posterior density (per 0.001)");
    el(
      "line",
      { x1: x(0), x2: x(0), y1: 20, y2: 240, stroke: "#bbb", "stroke-dasharray": "3 3" },
      g,
    );
    for (const [s, map, c] of [
      [gau, mapG, GAUSS],
      [lap, mapL, LAPLACE],
    ] as const) {
      const pts = ws.filter((w) => w >= -1 && w <= 1);
      const off = ws.indexOf(pts[0]);
      el(
        "polyline",
        {
          points: pts.map((w, k) => `${x(w)},${y(s.pdf[off + k])}`).join(" "),
          fill: "none",
          stroke: c,
          "stroke-width": 2,
        },
        g,
      );
      el(
        "path",
        { d: `M${x(map)},${y(0) - 2} l-6,10 h12 z`, fill: c, transform: "translate(0,-12)" },
        g,
      );
      el(
        "line",
        { x1: x(s.median), x2: x(s.median), y1: y(0), y2: y(0) - 22, stroke: c, "stroke-width": 2 },
        g,
      );
      el(
        "circle",
        { cx: x(s.mean), cy: y(0) - 30, r: 4, fill: "none", stroke: c, "stroke-width": 2 },
        g,
      );
    }
    const out = $<HTMLElement>("bayes-readout");
    out.dataset.map = String(mapL);
    out.dataset.median = String(lap.median);
    out.dataset.mean = String(lap.mean);
    out.innerHTML = `Laplace (lasso): MAP <b>${mapL === 0 ? '<span class="zero">0 exactly</span>' : fmtNum(mapL)}</b>, median ${fmtNum(lap.median)}, mean ${fmtNum(lap.mean)}<br>Gaussian (ridge): MAP = median = mean ${fmtNum(mapG)}`;
  }

  function posterior2d(): void {
    const lam = lambdaOf();
    const n = nOf();
    // Data precision A = n·[[1, ρ], [ρ, 1]] (two standardized features), centred at ŵ.
    const A = [n, n * RHO, n * RHO, n];
    const logp = (u: number, v: number) => {
      const d0 = u - W2[0];
      const d1 = v - W2[1];
      return (
        -(A[0] * d0 * d0 + 2 * A[1] * d0 * d1 + A[3] * d1 * d1) / 2 -
        lam * (Math.abs(u) + Math.abs(v))
      );
    };
    // The MAP: the 2-D lasso by coordinate descent (exact zeros by soft thresholding).
    const b = [0, 0];
    const Aw = [A[0] * W2[0] + A[1] * W2[1], A[1] * W2[0] + A[3] * W2[1]];
    for (let it = 0; it < 500; it++)
      for (let j = 0; j < 2; j++) {
        const z = Aw[j] - A[1] * b[1 - j];
        b[j] = (Math.sign(z) * Math.max(Math.abs(z) - lam, 0)) / A[0];
      }
    const G = 61;
    const lo = -0.6;
    const step = 1.2 / (G - 1);
    const cells: number[] = [];
    let mx = -Infinity;
    for (let a = 0; a < G; a++)
      for (let c = 0; c < G; c++) {
        const v = logp(lo + a * step, lo + c * step);
        cells.push(v);
        mx = Math.max(mx, v);
      }
    let z = 0;
    let m0 = 0;
    let m1 = 0;
    for (let a = 0; a < G; a++)
      for (let c = 0; c < G; c++) {
        const d = Math.exp(cells[a * G + c] - mx);
        z += d;
        m0 += d * (lo + a * step);
        m1 += d * (lo + c * step);
      }
    const svg = $<SVGSVGElement>("bayes-post2");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const x = linear([lo, -lo], [50, 320]);
    const y = linear([lo, -lo], [290, 20]);
    const w = (x(step) - x(0)) * 1.02;
    for (let a = 0; a < G; a++)
      for (let c = 0; c < G; c++) {
        const d = Math.exp(cells[a * G + c] - mx);
        if (d < 0.01) continue;
        el(
          "rect",
          {
            x: x(lo + a * step) - w / 2,
            y: y(lo + c * step) - w / 2,
            width: w,
            height: w,
            fill: LAPLACE,
            "fill-opacity": (0.85 * d).toFixed(3),
          },
          g,
        );
      }
    axes(g, x, y, { x0: 50, x1: 320, y0: 20, y1: 290 }, "w₁", "w₂");
    // Contours of the posterior density at 80, 50, 20 and 5 % of its peak (marching squares).
    const dens = (a: number, c: number) => Math.exp(cells[a * G + c] - mx);
    for (const level of [0.8, 0.5, 0.2, 0.05]) {
      let dPath = "";
      for (let a = 0; a + 1 < G; a++)
        for (let c = 0; c + 1 < G; c++) {
          const corners: [number, number][] = [
            [a, c],
            [a + 1, c],
            [a + 1, c + 1],
            [a, c + 1],
          ];
          const pts: [number, number][] = [];
          for (let e = 0; e < 4; e++) {
            const [a0, c0] = corners[e];
            const [a1, c1] = corners[(e + 1) % 4];
            const v0 = dens(a0, c0);
            const v1 = dens(a1, c1);
            if (v0 >= level === v1 >= level) continue;
            const t = (level - v0) / (v1 - v0);
            pts.push([lo + (a0 + t * (a1 - a0)) * step, lo + (c0 + t * (c1 - c0)) * step]);
          }
          for (let q = 0; q + 1 < pts.length; q += 2)
            dPath += `M${x(pts[q][0])},${y(pts[q][1])}L${x(pts[q + 1][0])},${y(pts[q + 1][1])}`;
        }
      el("path", { d: dPath, fill: "none", stroke: "#7b241c", "stroke-width": 1.2 }, g);
    }
    el(
      "line",
      { x1: x(0), x2: x(0), y1: 20, y2: 290, stroke: "#888", "stroke-dasharray": "3 3" },
      g,
    );
    el(
      "line",
      { x1: 50, x2: 320, y1: y(0), y2: y(0), stroke: "#888", "stroke-dasharray": "3 3" },
      g,
    );
    el(
      "path",
      {
        d: `M${x(b[0]) - 6},${y(b[1]) - 6} l12,12 m0,-12 l-12,12`,
        stroke: "#111",
        "stroke-width": 2.5,
      },
      g,
    );
    el(
      "circle",
      { cx: x(m0 / z), cy: y(m1 / z), r: 4.5, fill: "none", stroke: "#111", "stroke-width": 2 },
      g,
    );
    el("circle", { cx: x(W2[0]), cy: y(W2[1]), r: 3, fill: "#555" }, g);
    const out = $<HTMLElement>("bayes-readout2");
    out.dataset.map = b.join(",");
    out.dataset.mean = `${m0 / z},${m1 / z}`;
    const axis = b[0] === 0 || b[1] === 0;
    out.innerHTML = `× MAP (w₁, w₂) = (${fmtNum(b[0])}, ${fmtNum(b[1])})${axis ? ' — <span class="zero">on an axis</span>' : ""}<br>○ posterior mean (${fmtNum(m0 / z)}, ${fmtNum(m1 / z)}) — never on one<br>● the data's estimate ŵ = (${W2[0]}, ${W2[1]})`;
  }

  function update(): void {
    priors();
    posterior1d();
    posterior2d();
  }
  $("bayes-lambda").addEventListener("input", update);
  $("bayes-n").addEventListener("input", update);
  update();

  // The worker: the Bayesian lasso on the diabetes data, and MC dropout.
  const d = loadCsv("diabetes");
  const worker = new Worker(new URL("./bayes.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (ev) => {
    if (ev.data.kind === "lasso") drawLasso(ev.data);
    else drawDropout(ev.data);
  };
  const yc = Float64Array.from(d.y);
  const askLasso = () => {
    $("bayes-lasso-status").textContent = "Gibbs sampler: running in a worker…";
    const nonzero = Number($<HTMLSelectElement>("bayes-nonzero").value);
    worker.postMessage({
      kind: "lasso",
      x: d.standardized,
      y: yc,
      n: d.n,
      p: d.p,
      draws: 3000,
      nonzero,
    });
  };
  $("bayes-nonzero").addEventListener("change", askLasso);
  askLasso();
  const askDropout = () => {
    $("bayes-dropout-status").textContent = "training in a worker…";
    worker.postMessage({ kind: "dropout", rate: Number($<HTMLSelectElement>("bayes-rate").value) });
  };
  $("bayes-rate").addEventListener("change", askDropout);
  askDropout();

  function drawLasso(r: {
    median: Float64Array;
    lower: Float64Array;
    upper: Float64Array;
    mean: Float64Array;
    lambdaB: number;
    lambda: number;
    lasso: Float64Array;
    pathLambda: number[];
    pathBeta: number[][];
    k: number;
  }): void {
    drawLassoPath(r.pathLambda, r.pathBeta, r.k);
    const svg = $<SVGSVGElement>("bayes-lasso");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const lo = Math.min(...r.lower, ...r.lasso);
    const hi = Math.max(...r.upper, ...r.lasso);
    const x = linear([lo * 1.05, hi * 1.05], [110, 620]);
    const rowH = 26;
    const y = (j: number) => 30 + j * rowH;
    axes(
      g,
      x,
      linear([0, 1], [30 + d.p * rowH, 30 + d.p * rowH]),
      { x0: 110, x1: 620, y0: 20, y1: 20 + d.p * rowH },
      "coefficient (standardized features)",
      "",
    );
    el(
      "line",
      {
        x1: x(0),
        x2: x(0),
        y1: 20,
        y2: 20 + d.p * rowH,
        stroke: "#bbb",
        "stroke-dasharray": "3 3",
      },
      g,
    );
    for (let j = 0; j < d.p; j++) {
      el("text", { x: 100, y: y(j) + 4, "text-anchor": "end", "font-size": 12 }, g).textContent =
        d.names[j];
      el(
        "line",
        {
          x1: x(r.lower[j]),
          x2: x(r.upper[j]),
          y1: y(j),
          y2: y(j),
          stroke: COLORS[0],
          "stroke-width": 3,
          "stroke-opacity": 0.5,
        },
        g,
      );
      el("circle", { cx: x(r.median[j]), cy: y(j), r: 4, fill: COLORS[0] }, g);
      el(
        "path",
        {
          d: `M${x(r.lasso[j])},${y(j) - 7} l6,7 l-6,7 l-6,-7 z`,
          fill: r.lasso[j] === 0 ? "white" : LAPLACE,
          stroke: LAPLACE,
          "stroke-width": 1.5,
        },
        g,
      );
    }
    const zeros = Array.from(r.lasso).filter((v) => v === 0).length;
    const status = $<HTMLElement>("bayes-lasso-status");
    status.dataset.lassoZeros = String(zeros);
    status.dataset.medianZeros = String(Array.from(r.median).filter((v) => v === 0).length);
    const medianZeros = Array.from(r.median).filter((v) => v === 0).length;
    status.innerHTML = `Gibbs sampler (3000 draws) with λ_B = ${fmtNum(r.lambdaB)}, whose posterior mode (σ fixed) is the lasso at λ = λ_B·σ/n = ${fmtNum(r.lambda)}.<br>
      ● posterior median with its 95% interval · ◆ lasso (hollow: exactly 0).<br>
      The lasso sets <b>${zeros}</b> of ${d.p} coefficients to exactly zero; ${medianZeros} posterior medians are zero — the posterior shrinks them, and their intervals straddle 0, but never makes them exactly 0.`;
  }

  /** The lasso path (standardized coefficients) with the λ that matches the sampler marked. */
  function drawLassoPath(lambda: number[], B: number[][], k: number): void {
    const svg = $<SVGSVGElement>("bayes-lassopath");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const L = lambda.length;
    const x = linear([Math.log10(lambda[0]), Math.log10(lambda[L - 1])], [60, 400]);
    const flat = B.flat();
    const y = linear([Math.min(0, ...flat) * 1.05, Math.max(0, ...flat) * 1.05], [280, 20]);
    axes(g, x, y, { x0: 60, x1: 400, y0: 20, y1: 280 }, "log₁₀ λ (lasso path)", "coefficient");
    for (let j = 0; j < d.p; j++)
      el(
        "polyline",
        {
          points: B.map((b, kk) => `${x(Math.log10(lambda[kk]))},${y(b[j])}`).join(" "),
          fill: "none",
          stroke: COLORS[j % 10],
          "stroke-width": 1.5,
        },
        g,
      );
    const px = x(Math.log10(lambda[k]));
    el("line", { x1: px, x2: px, y1: 20, y2: 280, stroke: LAPLACE, "stroke-width": 2 }, g);
    el("text", { x: px + 4, y: 34, "font-size": 12, fill: LAPLACE }, g).textContent = "matching λ";
  }

  function drawDropout(r: {
    rate: number;
    x: number[];
    y: number[];
    grid: number[];
    mean: number[];
    sd: number[];
  }): void {
    const svg = $<SVGSVGElement>("bayes-dropout");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const x = linear([-6, 6], [60, 620]);
    const y = linear([-3, 3], [260, 20]);
    axes(g, x, y, { x0: 60, x1: 620, y0: 20, y1: 260 }, "x (data only in [−3, 3])", "y");
    const band = [
      ...r.grid.map((v, k) => `${x(v)},${y(Math.max(-3, r.mean[k] - 2 * r.sd[k]))}`),
      ...r.grid.map((v, k) => `${x(v)},${y(Math.min(3, r.mean[k] + 2 * r.sd[k]))}`).reverse(),
    ].join(" ");
    el("polygon", { points: band, fill: COLORS[0], "fill-opacity": 0.2 }, g);
    r.x.forEach((v, k) => el("circle", { cx: x(v), cy: y(r.y[k]), r: 2.2, fill: "#555" }, g));
    el(
      "polyline",
      {
        points: r.grid
          .map((v, k) => `${x(v)},${y(Math.max(-3, Math.min(3, r.mean[k])))}`)
          .join(" "),
        fill: "none",
        stroke: COLORS[0],
        "stroke-width": 2,
      },
      g,
    );
    const inside = r.sd.filter((_, k) => Math.abs(r.grid[k]) <= 3);
    const outside = r.sd.filter((_, k) => Math.abs(r.grid[k]) >= 4.5);
    const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const status = $<HTMLElement>("bayes-dropout-status");
    status.dataset.inside = String(avg(inside));
    status.dataset.outside = String(avg(outside));
    status.innerHTML = `dropout ${r.rate}: 100 stochastic passes, mean ± 2 sd (a 64-64 tanh network).<br>predictive sd inside the data ${fmtNum(avg(inside))}, far outside ${fmtNum(avg(outside))}. More dropout, more spread.`;
  }
}
