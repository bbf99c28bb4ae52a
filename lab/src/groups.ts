import { denseMatrix, elasticNetPath, groupLassoPath } from "regularize";
import { loadCsv } from "./data.js";
import { axes, el, fmtNum, linear, extent } from "./svg.js";

/**
 * Panel 7 — groups: on the wine data (alcohol from the other measurements and the cultivar as a
 * one-hot factor), the lasso, the group lasso and the sparse group lasso paths side by side with
 * each feature coloured by its group; the group norms ‖β_g‖₂ against λ; and at the slider's λ,
 * per group, the KKT condition that keeps it at zero: ‖∇_g f‖₂ ≤ λ·w_g (w_g = √|g|).
 */

/** The groups of the wine features: chemistry families, and the one-hot cultivar. */
const GROUPS: { name: string; colour: string; members: string[] }[] = [
  { name: "acidity", colour: "#1f77b4", members: ["malic_acid", "ash", "alcalinity_of_ash"] },
  {
    name: "phenols",
    colour: "#2ca02c",
    members: ["total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins"],
  },
  {
    name: "colour",
    colour: "#d62728",
    members: ["color_intensity", "hue", "od280/od315_of_diluted_wines"],
  },
  { name: "minerals", colour: "#9467bd", members: ["magnesium", "proline"] },
  {
    name: "cultivar (one-hot)",
    colour: "#ff7f0e",
    members: ["cultivar=1", "cultivar=2", "cultivar=3"],
  },
];

/** The wine design: standardized features in GROUPS order (one-hot cultivar, coded 0–2 in the file), y = alcohol. */
function wineDesign() {
  const d = loadCsv("wine");
  const col = (name: string) => d.names.indexOf(name);
  const n = d.n;
  const names = GROUPS.flatMap((g) => g.members);
  const p = names.length;
  const raw = new Float64Array(n * p);
  const cultivar = d.y; // the file's last column, which loadCsv reads as its target
  names.forEach((name, j) => {
    for (let i = 0; i < n; i++)
      raw[j * n + i] = name.startsWith("cultivar=")
        ? Number(cultivar[i] + 1 === Number(name.slice(9)))
        : d.x[col(name) * n + i];
  });
  // Standardize (population sd) so that coefficients, gradients and thresholds share one scale.
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += raw[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (raw[j * n + i] - m) ** 2 / n;
    const s = Math.sqrt(v);
    for (let i = 0; i < n; i++) x[j * n + i] = (raw[j * n + i] - m) / s;
  }
  const y = d.x.subarray(col("alcohol") * n, col("alcohol") * n + n);
  const groupOf = GROUPS.flatMap((g, k) => g.members.map(() => k));
  return { n, p, x, y: Float64Array.from(y), names, groupOf };
}

export function mountGroups(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Groups: whole sets of features in or out</h2>
  <p class="explain">The wine data: alcohol content from twelve measurements, in four chemical families, and the
  cultivar as a one-hot factor (three 0/1 columns). The lasso picks single columns — one level of a factor, one
  phenol. The group lasso penalizes each group's norm, <span class="formula">λ Σ_g √|g| ‖β_g‖₂</span>, so a group
  enters whole or not at all; the sparse group lasso adds an ℓ₁ term and also zeroes inside the groups it keeps.
  A group stays at zero while <span class="formula">‖∇_g f‖₂ ≤ λ√|g|</span> — the group version of the lasso's dead zone.</p>
  <div class="legend" id="groups-legend"></div>
  <div class="row" id="groups-plots"></div>
  <div class="row">
    <svg id="groups-norms" viewBox="0 0 420 260" width="420" height="260" role="img" aria-label="Group norms along the group-lasso path"></svg>
    <div class="controls">
      <label for="groups-alpha">sparse group lasso: ℓ₁ share α = <span id="groups-alpha-v"></span></label>
      <input id="groups-alpha" type="range" min="0.1" max="0.9" step="0.1" value="0.5" />
      <label for="groups-lambda">λ (path index; weaker to the right): <span id="groups-lambda-v"></span></label>
      <input id="groups-lambda" type="range" min="0" max="59" step="1" value="15" />
      <div class="readout">non-zero groups (group lasso): <b data-testid="groups-active" id="groups-active"></b></div>
      <table class="feat" id="groups-kkt" aria-label="Why each group is zero or not"></table>
    </div>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  const d = wineDesign();
  const X = denseMatrix(d.n, d.p, d.x);
  const groups = d.groupOf.map((g) => g + 1);
  const weights = GROUPS.map((g) => Math.sqrt(g.members.length));

  $("groups-legend").innerHTML = GROUPS.map(
    (g) => `<span><i style="background:${g.colour}"></i>${g.name}</span>`,
  ).join("");

  // One λ grid for all three paths: from the largest of their λ_max down by 10⁻³, 60 points.
  const lmax = Math.max(
    groupLassoPath(X, d.y, { groups, nLambda: 1 }).lambda[0],
    elasticNetPath(X, d.y, { nLambda: 1 }).lambda[0],
  );
  const L = 60;
  const grid = Array.from({ length: L }, (_, k) => lmax * 10 ** ((-3 * k) / (L - 1)));
  const lasso = elasticNetPath(X, d.y, { lambda: grid });
  const group = groupLassoPath(X, d.y, { groups, lambda: grid });
  const coefs = (fit: { beta: { index: Int32Array; value: Float64Array }[] }) =>
    fit.beta.map((b) => {
      const v = new Float64Array(d.p);
      b.index.forEach((j, t) => (v[j] = b.value[t]));
      return v;
    });
  const lassoB = coefs(lasso);
  const groupB = coefs(group);
  let sparseB: Float64Array[] = [];

  const lx = linear([Math.log10(grid[0]), Math.log10(grid[L - 1])], [56, 300]);
  /** Path index at which each feature first becomes non-zero (L if never). */
  const entries = (B: Float64Array[]) =>
    Array.from({ length: d.p }, (_, j) => {
      const k = B.findIndex((b) => b[j] !== 0);
      return k < 0 ? B.length : k;
    });

  function pathPlot(title: string, B: Float64Array[], k: number, id: string): void {
    let svg = root.querySelector<SVGSVGElement>(`#${id}`);
    if (!svg) {
      svg = el("svg", {
        id,
        viewBox: "0 0 320 250",
        width: 320,
        height: 250,
        role: "img",
        "aria-label": `${title} path`,
      });
      $("groups-plots").appendChild(svg);
    }
    svg.innerHTML = "";
    svg.dataset.entries = entries(B).join(",");
    const [lo, hi] = extent(B);
    const ly = linear([lo * 1.05, hi * 1.05], [200, 24]);
    const g = el("g", {}, svg);
    axes(g, lx, ly, { x0: 56, x1: 300, y0: 24, y1: 200 }, "log₁₀ λ", "coefficient");
    el(
      "text",
      { x: 178, y: 16, "text-anchor": "middle", "font-size": 13, "font-weight": "bold" },
      g,
    ).textContent = title;
    for (let j = 0; j < d.p; j++)
      el(
        "polyline",
        {
          points: B.map((b, kk) => `${lx(Math.log10(grid[kk]))},${ly(b[j])}`).join(" "),
          fill: "none",
          stroke: GROUPS[d.groupOf[j]].colour,
          "stroke-width": 1.5,
        },
        g,
      ).appendChild(el("title")).textContent = `${d.names[j]} (${GROUPS[d.groupOf[j]].name})`;
    const px = lx(Math.log10(grid[k]));
    el("line", { x1: px, x2: px, y1: 24, y2: 200, stroke: "#333", "stroke-dasharray": "4 3" }, g);
  }

  function normsPlot(k: number): void {
    const svg = $<SVGSVGElement>("groups-norms");
    svg.innerHTML = "";
    const norms = groupB.map((b) =>
      GROUPS.map((_, gi) => Math.hypot(...Array.from(b).filter((_, j) => d.groupOf[j] === gi))),
    );
    const top = Math.max(...norms.flat());
    const ly = linear([0, top * 1.05], [210, 20]);
    const nx = linear(lx.domain, [60, 400]);
    const g = el("g", {}, svg);
    axes(g, nx, ly, { x0: 60, x1: 400, y0: 20, y1: 210 }, "log₁₀ λ (group lasso)", "‖β_g‖₂");
    GROUPS.forEach((grp, gi) => {
      el(
        "polyline",
        {
          points: norms.map((nm, kk) => `${nx(Math.log10(grid[kk]))},${ly(nm[gi])}`).join(" "),
          fill: "none",
          stroke: grp.colour,
          "stroke-width": 2,
        },
        g,
      );
    });
    const px = nx(Math.log10(grid[k]));
    el("line", { x1: px, x2: px, y1: 20, y2: 210, stroke: "#333", "stroke-dasharray": "4 3" }, g);
  }

  /** ‖∇_g f‖₂ at point k of the group-lasso path, f = (1/2n)‖y − β₀ − Xβ‖². */
  function groupGradients(k: number): number[] {
    const b = groupB[k];
    const r = new Float64Array(d.n);
    for (let i = 0; i < d.n; i++) r[i] = d.y[i] - group.intercept[k];
    for (let j = 0; j < d.p; j++) {
      if (b[j] === 0) continue;
      for (let i = 0; i < d.n; i++) r[i] -= d.x[j * d.n + i] * b[j];
    }
    const sq = GROUPS.map(() => 0);
    for (let j = 0; j < d.p; j++) {
      let s = 0;
      for (let i = 0; i < d.n; i++) s += d.x[j * d.n + i] * r[i];
      sq[d.groupOf[j]] += (s / d.n) ** 2;
    }
    return sq.map(Math.sqrt);
  }

  function draw(): void {
    const k = Number($<HTMLInputElement>("groups-lambda").value);
    $("groups-lambda-v").textContent = fmtNum(grid[k]);
    $("groups-alpha-v").textContent = $<HTMLInputElement>("groups-alpha").value;
    pathPlot("lasso", lassoB, k, "groups-lasso");
    pathPlot("group lasso", groupB, k, "groups-group");
    pathPlot(
      `sparse group lasso (α = ${$<HTMLInputElement>("groups-alpha").value})`,
      sparseB,
      k,
      "groups-sparse",
    );
    normsPlot(k);
    const grad = groupGradients(k);
    let active = 0;
    const rows = GROUPS.map((grp, gi) => {
      const zero = d.groupOf.every((g, j) => g !== gi || groupB[k][j] === 0);
      if (!zero) active++;
      const threshold = grid[k] * weights[gi];
      const why = zero
        ? `zero: ‖∇_g‖ = ${fmtNum(grad[gi])} ≤ λ√|g| = ${fmtNum(threshold)}, margin ${fmtNum(threshold - grad[gi])}`
        : `in: ‖∇_g‖ = λ√|g| = ${fmtNum(threshold)}`;
      return `<tr data-group="${gi}" data-zero="${zero}" data-gradient="${grad[gi]}" data-threshold="${threshold}"><td style="color:${grp.colour}">${grp.name}</td><td>${zero ? '<span class="zero">0</span>' : "≠ 0"}</td><td>${why}</td></tr>`;
    });
    $("groups-kkt").innerHTML = "<tr><th>group</th><th>β_g</th><th>why</th></tr>" + rows.join("");
    $("groups-active").textContent = `${active} of ${GROUPS.length}`;
  }

  function fitSparse(): void {
    const alpha = Number($<HTMLInputElement>("groups-alpha").value);
    sparseB = coefs(groupLassoPath(X, d.y, { groups, alpha, lambda: grid }));
    draw();
  }
  $("groups-lambda").addEventListener("input", draw);
  $("groups-alpha").addEventListener("input", fitSparse);
  fitSparse();
}
