import { denseMatrix, explainSparsity, elasticNetPath, glmPath } from "regularize";
import { loadCsv } from "./data.js";
import { COLORS, axes, el, fmtNum, linear, extent } from "./svg.js";

/**
 * Panel 3 — paths on real data: the lasso path on the diabetes (Gaussian) or breast-cancer
 * (logistic) data, a λ slider, the non-zero coefficients at that λ, cross-validation in a web
 * worker with λ_min / λ_1se, and per feature its dead-zone margin or balance condition.
 */

export function mountPaths(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Regularization paths on real data</h2>
  <p class="explain">Each line is a coefficient as the penalty λ weakens (left to right). Move λ: features enter one by one.
  A zero coefficient stays zero while its gradient |∂f/∂βⱼ| is inside the dead zone λ; a non-zero one balances the penalty:
  <span class="formula">∂f/∂βⱼ = −λ·sign(βⱼ)</span>. Cross-validation (10 folds, in a web worker) picks λ_min and λ_1se.</p>
  <div class="row">
    <svg id="paths" viewBox="0 0 640 380" width="640" height="380" role="img" aria-label="Coefficient paths"></svg>
    <div class="controls">
      <label for="paths-data">Data</label>
      <select id="paths-data"><option value="diabetes">diabetes (Gaussian lasso)</option><option value="breast_cancer">breast cancer (logistic lasso)</option></select>
      <label for="paths-lambda">λ (path index; weaker to the right): <span id="paths-lambda-v"></span></label>
      <input id="paths-lambda" type="range" min="0" max="99" step="1" value="30" />
      <div class="readout">non-zero coefficients: <b data-testid="nonzero" id="paths-nz"></b></div>
      <div class="readout" id="paths-cv">cross-validation: running…</div>
      <table class="feat" id="paths-table"></table>
    </div>
  </div>
  <svg id="paths-cvplot" viewBox="0 0 640 260" width="640" height="260" role="img" aria-label="Cross-validation curve"></svg>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  let worker: Worker | null = null;

  function load(): void {
    const name = $<HTMLSelectElement>("paths-data").value;
    const d = loadCsv(name);
    const family = name === "diabetes" ? "gaussian" : "binomial";
    const X = denseMatrix(d.n, d.p, d.standardized);
    const fit = family === "gaussian" ? elasticNetPath(X, d.y) : glmPath("binomial", X, d.y);
    const L = fit.lambda.length;
    const slider = $<HTMLInputElement>("paths-lambda");
    slider.max = String(L - 1);
    if (Number(slider.value) > L - 1) slider.value = String(L - 1);
    const coef = (k: number) => {
      const b = new Float64Array(d.p);
      fit.beta[k].index.forEach((j, t) => (b[j] = fit.beta[k].value[t]));
      return b;
    };
    const all = Array.from({ length: L }, (_, k) => coef(k));
    const [lo, hi] = extent(all);
    const lx = linear([Math.log10(fit.lambda[0]), Math.log10(fit.lambda[L - 1])], [70, 600]);
    const ly = linear([lo * 1.05, hi * 1.05], [340, 20]);
    let cv: { cvm: number[]; cvsd: number[] } | null = null;

    function draw(): void {
      const k = Number(slider.value);
      const svg = $<SVGSVGElement>("paths");
      svg.innerHTML = "";
      const g = el("g", {}, svg);
      axes(
        g,
        lx,
        ly,
        { x0: 70, x1: 600, y0: 20, y1: 340 },
        "log₁₀ λ (weaker to the right)",
        "Coefficient (standardized features)",
      );
      for (let j = 0; j < d.p; j++)
        el(
          "polyline",
          {
            points: all.map((b, kk) => `${lx(Math.log10(fit.lambda[kk]))},${ly(b[j])}`).join(" "),
            fill: "none",
            stroke: COLORS[j % 10],
            "stroke-width": 1.6,
          },
          g,
        );
      el(
        "line",
        {
          x1: lx(Math.log10(fit.lambda[k])),
          x2: lx(Math.log10(fit.lambda[k])),
          y1: 20,
          y2: 340,
          stroke: "#333",
          "stroke-dasharray": "4 3",
        },
        g,
      );
      const b = all[k];
      const nz = b.filter((v) => v !== 0).length;
      $("paths-lambda-v").textContent = fmtNum(fit.lambda[k]);
      $("paths-nz").textContent = `${nz} of ${d.p}`;
      // why each weight is zero or not, at this λ
      const why = explainSparsity(family, X, d.y, fit.lambda[k]);
      const rows = why.features
        .map((e) => ({ e, name: d.names[e.index] }))
        .sort((a, c) => Math.abs(c.e.coefficient) - Math.abs(a.e.coefficient));
      $("paths-table").innerHTML =
        "<tr><th>feature</th><th>β</th><th>why</th></tr>" +
        rows
          .slice(0, 12)
          .map(
            ({ e, name }) =>
              `<tr title="|∂f/∂β| = ${fmtNum(Math.abs(e.gradient))}, threshold λ = ${fmtNum(e.threshold)}"><td style="color:${COLORS[e.index % 10]}">${name}</td><td>${e.coefficient === 0 ? '<span class="zero">0</span>' : fmtNum(e.coefficient)}</td><td>${e.status === "active" ? "balances the penalty" : `dead zone, margin ${fmtNum(e.margin ?? 0)}`}</td></tr>`,
          )
          .join("");
      if (cv) drawCv();
    }

    function drawCv(): void {
      const svg = $<SVGSVGElement>("paths-cvplot");
      svg.innerHTML = "";
      const g = el("g", {}, svg);
      const c = cv!;
      const up = c.cvm.map((m, k) => m + c.cvsd[k]);
      const dn = c.cvm.map((m, k) => m - c.cvsd[k]);
      const cy = linear([Math.min(...dn), Math.max(...up)], [220, 20]);
      axes(
        g,
        lx,
        cy,
        { x0: 70, x1: 600, y0: 20, y1: 220 },
        "log₁₀ λ",
        family === "gaussian" ? "CV mean-squared error" : "CV deviance",
      );
      c.cvm.forEach((m, k) => {
        const px = lx(Math.log10(fit.lambda[k]));
        el("line", { x1: px, x2: px, y1: cy(dn[k]), y2: cy(up[k]), stroke: "#aab" }, g);
        el("circle", { cx: px, cy: cy(m), r: 2.5, fill: "#c0392b" }, g);
      });
      let iMin = 0;
      c.cvm.forEach((m, k) => m < c.cvm[iMin] && (iMin = k));
      const i1se = c.cvm.findIndex((m) => m <= c.cvm[iMin] + c.cvsd[iMin]);
      for (const [i, label] of [
        [iMin, "λ_min"],
        [i1se, "λ_1se"],
      ] as [number, string][]) {
        const px = lx(Math.log10(fit.lambda[i]));
        el(
          "line",
          { x1: px, x2: px, y1: 20, y2: 220, stroke: "#333", "stroke-dasharray": "5 4" },
          g,
        );
        el("text", { x: px + 4, y: 32, "font-size": 12 }, g).textContent = label;
      }
      $("paths-cv").innerHTML =
        `cross-validation: λ_min = ${fmtNum(fit.lambda[iMin])}, λ_1se = ${fmtNum(fit.lambda[i1se])}`;
    }

    slider.oninput = draw;
    draw();
    worker?.terminate();
    worker = new Worker(new URL("./cv.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (ev) => {
      if (ev.data.progress !== undefined) {
        $("paths-cv").textContent = `cross-validation: ${Math.round(ev.data.progress * 100)}%`;
        return;
      }
      cv = ev.data;
      drawCv();
    };
    worker.postMessage({
      x: d.standardized,
      y: d.y,
      n: d.n,
      p: d.p,
      lambda: Array.from(fit.lambda),
      family,
    });
  }
  $("paths-data").addEventListener("change", load);
  load();
}
