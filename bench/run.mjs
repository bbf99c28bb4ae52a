// npm run bench [-- --quick] [--cells 1000x100_0,100x5000_0.5] [--reps 3] [--no-sklearn]
//
// The Friedman, Hastie & Tibshirani (2010, JSS, §5.1) simulation: n × p Gaussian features with
// every pair correlated ρ, β_j = (−1)^j exp(−2(j−1)/20), noise scaled for signal-to-noise 3. Each
// cell fits the whole default lasso path with regularize (in process), glmnet (R) and
// scikit-learn's lasso_path (at glmnet's λ), on the same data, in the same run. Each tool's
// objective is recomputed here from its own coefficients at every common λ.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix, elasticNetPath, Random } from "../dist/index.js";
import { fhtFeatures } from "./simulate.mjs";
import { batch, ensureReferences } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const SIZES = flag("--quick")
  ? [
      [1000, 100],
      [100, 1000],
      [100, 5000],
    ]
  : [
      [1000, 100],
      [5000, 100],
      [100, 1000],
      [100, 5000],
      [100, 20000],
      [100, 50000],
    ];
const RHOS = flag("--quick") ? [0, 0.5, 0.95] : [0, 0.1, 0.2, 0.5, 0.9, 0.95];
const REPS = Number(value("--reps", "3"));
// scikit-learn takes seconds to minutes per correlated wide cell: one run by default.
const SK_REPS = Number(value("--sklearn-reps", "1"));
let cells = SIZES.flatMap(([n, p]) => RHOS.map((r) => `${n}x${p}_${r}`));
if (value("--cells")) cells = value("--cells").split(",");

function simulate(n, p, rho, seed) {
  const rng = new Random(seed);
  const { x, beta, eta } = fhtFeatures(n, p, rho, rng);
  // Var(xᵀβ) = (1−ρ)‖β‖² + ρ(Σβ)²; noise sd k = sqrt(that) / 3.
  let ss = 0;
  let s = 0;
  for (const v of beta) {
    ss += v * v;
    s += v;
  }
  const k = Math.sqrt((1 - rho) * ss + rho * s * s) / 3;
  const y = Float64Array.from(eta, (e) => e + k * rng.normal());
  return { x, y };
}

/** (1/2n)‖y − a0 − Xβ‖² + λ Σ s_j|β_j|, s_j the population sd (glmnet's standardization). */
function objectives(x, y, n, sd, fit, count) {
  const res = [];
  const eta = new Float64Array(n);
  for (let k = 0; k < count; k++) {
    eta.fill(fit.intercept[k]);
    let pen = 0;
    const { index, value } = fit.coefficients[k];
    for (let t = 0; t < index.length; t++) {
      const j = index[t];
      const v = value[t];
      pen += sd[j] * Math.abs(v);
      for (let i = 0; i < n; i++) eta[i] += v * x[j * n + i];
    }
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (y[i] - eta[i]) ** 2;
    res.push(rss / (2 * n) + fit.lambda[k] * pen);
  }
  return res;
}

const median = (a) => [...a].sort((u, v) => u - v)[Math.floor(a.length / 2)];
const geomean = (a) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);

ensureReferences(flag("--no-sklearn"));
// Warm V8 up on small problems of both shapes, so that both solvers' code is optimized before
// the first timed fit (R and Python load their compiled code at start-up too).
for (const [n, p] of [
  [300, 60],
  [60, 600],
]) {
  const { x, y } = simulate(n, p, 0.5, 1);
  for (let r = 0; r < 20; r++)
    elasticNetPath(denseMatrix(n, p, x), y, { thresh: r % 2 ? 1e-7 : 1e-9 });
}

const data = new Map();
const ours = new Map();
for (const [c, cell] of cells.entries()) {
  const [dims, rhoText] = cell.split("_");
  const [n, p] = dims.split("x").map(Number);
  const { x, y } = simulate(n, p, Number(rhoText), 1000 + c);
  writeFileSync(join(OUT, `${cell}.x.bin`), Buffer.from(x.buffer));
  writeFileSync(join(OUT, `${cell}.y.bin`), Buffer.from(y.buffer));
  const m = denseMatrix(n, p, x);
  const run = (opts) => {
    const t = [];
    let fit;
    // Each rep is a batch of fits lasting >= 0.2 s (glmnet's side is timed the same way: R's
    // clock counts milliseconds and many of these paths take a few).
    for (let r = 0; r < REPS; r++) t.push(batch(() => (fit = elasticNetPath(m, y, opts)), 200));
    return {
      seconds: t,
      lambda: fit.lambda,
      intercept: fit.intercept,
      coefficients: fit.beta,
      kktMax: fit.kktMax,
    };
  };
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i];
    mu /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2;
    sd[j] = Math.sqrt(v / n);
  }
  data.set(cell, { n, p, rho: Number(rhoText), x, y, sd });
  // One untimed batch first, as bench:ridge, bench:multiclass and bench:cox: a new shape's first
  // calls include the compiler's warm-up and the first touch of the pooled memories' pages (about
  // 12 µs a page on 2026-12-01's machine); glmnet is compiled code.
  batch(() => elasticNetPath(m, y), 200);
  // The tools run back to back on each cell, so that all of a cell's timings come from the same
  // few seconds: this machine's speed drifts by tens of percent over minutes.
  ours.set(cell, { def: run({}), same: run({ thresh: 1e-7 }) });
  console.log(cell, "regularize", median(ours.get(cell).def.seconds).toFixed(4));
  execFileSync("Rscript", [join(HERE, "glmnet.R"), OUT, String(REPS), cell], { stdio: "inherit" });
  if (!flag("--no-sklearn")) {
    execFileSync("/usr/bin/python3", [join(HERE, "sklearn_path.py"), OUT, String(SK_REPS), cell], {
      stdio: "inherit",
    });
  }
}

const rows = [];
for (const cell of cells) {
  const d = data.get(cell);
  const o = ours.get(cell);
  const g = JSON.parse(readFileSync(join(OUT, `${cell}.glmnet.json`), "utf8"));
  const s =
    existsSync(join(OUT, `${cell}.sklearn.json`)) && !flag("--no-sklearn")
      ? JSON.parse(readFileSync(join(OUT, `${cell}.sklearn.json`), "utf8"))
      : null;
  const L = Math.min(o.def.lambda.length, o.same.lambda.length, g.lambda.length);
  let lamDiff = 0;
  for (let k = 0; k < L; k++)
    lamDiff = Math.max(lamDiff, Math.abs(o.def.lambda[k] - g.lambda[k]) / g.lambda[k]);
  const objG = objectives(d.x, d.y, d.n, d.sd, g, L);
  const excess = (fit) => {
    const ob = objectives(d.x, d.y, d.n, d.sd, fit, L);
    return Math.max(...ob.map((v, k) => (v - objG[k]) / objG[k]));
  };
  const row = {
    cell,
    n: d.n,
    p: d.p,
    rho: d.rho,
    nLambda: { regularize: o.def.lambda.length, glmnet: g.lambda.length },
    lambdaMaxRelDiff: lamDiff,
    seconds: {
      regularize: median(o.def.seconds),
      regularizeThresh1e7: median(o.same.seconds),
      glmnet: median(g.seconds),
      sklearn: s ? median(s.seconds) : null,
    },
    objectiveExcessVsGlmnet: {
      regularize: excess(o.def),
      regularizeThresh1e7: excess(o.same),
      sklearn: s ? excess(s) : null,
    },
  };
  row.ratio = {
    regularizeOverGlmnet: row.seconds.regularize / row.seconds.glmnet,
    thresh1e7OverGlmnet: row.seconds.regularizeThresh1e7 / row.seconds.glmnet,
    regularizeOverSklearn: s ? row.seconds.regularize / row.seconds.sklearn : null,
  };
  rows.push(row);
}

const fmt = (v, d = 4) => (v === null ? "—" : v.toFixed(d));
const exp = (v) => (v === null ? "—" : v.toExponential(1));
const lines = [
  "| n × p | ρ | regularize s | glmnet s | sklearn s | ratio vs glmnet | ratio vs sklearn | same-rule (1e-7) ratio | obj. excess vs glmnet: ours / ours@1e-7 / sklearn |",
  "|---|---|---|---|---|---|---|---|---|",
];
for (const r of rows) {
  lines.push(
    `| ${r.n}×${r.p} | ${r.rho} | ${fmt(r.seconds.regularize)} | ${fmt(r.seconds.glmnet)} | ${fmt(r.seconds.sklearn)} | ${fmt(r.ratio.regularizeOverGlmnet, 2)} | ${fmt(r.ratio.regularizeOverSklearn, 2)} | ${fmt(r.ratio.thresh1e7OverGlmnet, 2)} | ${exp(r.objectiveExcessVsGlmnet.regularize)} / ${exp(r.objectiveExcessVsGlmnet.regularizeThresh1e7)} / ${exp(r.objectiveExcessVsGlmnet.sklearn)} |`,
  );
}
const gm = geomean(rows.map((r) => r.ratio.regularizeOverGlmnet));
const gm7 = geomean(rows.map((r) => r.ratio.thresh1e7OverGlmnet));
const worst = rows.reduce((a, r) =>
  r.ratio.regularizeOverGlmnet > a.ratio.regularizeOverGlmnet ? r : a,
);
const sk = rows.filter((r) => r.ratio.regularizeOverSklearn !== null);
const summary = [
  `geometric-mean time ratio regularize / glmnet: ${gm.toFixed(3)} (default thresh 1e-9); ${gm7.toFixed(3)} at glmnet's thresh 1e-7`,
  `worst cell: ${worst.cell} at ${worst.ratio.regularizeOverGlmnet.toFixed(2)}×`,
  sk.length
    ? `geometric-mean time ratio regularize / scikit-learn lasso_path: ${geomean(sk.map((r) => r.ratio.regularizeOverSklearn)).toFixed(3)}`
    : "",
  `largest objective excess of regularize over glmnet (relative, any λ, any cell): ${Math.max(...rows.map((r) => r.objectiveExcessVsGlmnet.regularize)).toExponential(2)}`,
].filter(Boolean);
const report = [
  `Lasso path benchmark (median of ${REPS} runs; ${new Date().toISOString()})`,
  "",
  ...lines,
  "",
  ...summary,
].join("\n");
writeFileSync(join(OUT, "results.json"), JSON.stringify({ reps: REPS, rows, summary }, null, 1));
writeFileSync(join(OUT, "results.md"), report + "\n");
console.log("\n" + report);
