// npm run bench -- [--quick] [--reps 5] [--no-sklearn]   (run after bench/run.mjs by `npm run bench`)
//
// The binomial lasso path and 10-fold cross-validation on the Friedman, Hastie & Tibshirani (2010)
// simulation (features as in bench/run.mjs, y ~ Bernoulli(logistic(xᵀβ))): regularize's glmPath and
// cvPath (both cores) against glmnet and cv.glmnet given the same fold ids, in the same run; each
// tool's objective recomputed here from its coefficients at every common λ. scikit-learn's L1
// LogisticRegression (saga warm-started, liblinear) fits the same λ path (C = 1/(nλ)) on the
// quick cells.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { cvPath, denseMatrix, glmPath, Random } from "../dist/index.js";
import { fhtFeatures } from "./simulate.mjs";
import { batch, geomean, median } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const QUICK = flag("--quick");
const SIZES = QUICK
  ? [
      [1000, 100],
      [100, 1000],
    ]
  : [
      [1000, 100],
      [5000, 100],
      [100, 1000],
      [100, 5000],
    ];
const RHOS = QUICK ? [0, 0.5] : [0, 0.5, 0.9];
const REPS = Number(value("--reps", "5"));
const cells = SIZES.flatMap(([n, p]) => RHOS.map((r) => `${n}x${p}_${r}`));

function simulate(n, p, rho, seed) {
  const rng = new Random(seed);
  const { x, eta } = fhtFeatures(n, p, rho, rng);
  const y = Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
  const folds = Int32Array.from({ length: n }, (_, i) => (i % 10) + 1);
  for (let t = n - 1; t > 0; t--) {
    const u = Math.floor(rng.uniform() * (t + 1));
    [folds[t], folds[u]] = [folds[u], folds[t]];
  }
  return { x, y, folds };
}

/** Σ (1/n)[log(1 + e^η) − yη] + λ Σ s_j|β_j| at each λ (glmnet's objective, unit weights). */
function objectives(x, y, n, sd, fit, count) {
  const res = [];
  const eta = new Float64Array(n);
  for (let k = 0; k < count; k++) {
    eta.fill(fit.intercept[k]);
    let pen = 0;
    const { index, value: val } = fit.coefficients[k];
    for (let t = 0; t < index.length; t++) {
      pen += sd[index[t]] * Math.abs(val[t]);
      for (let i = 0; i < n; i++) eta[i] += val[t] * x[index[t] * n + i];
    }
    let f = 0;
    for (let i = 0; i < n; i++)
      f += (Math.max(eta[i], 0) + Math.log1p(Math.exp(-Math.abs(eta[i]))) - y[i] * eta[i]) / n;
    res.push(f + fit.lambda[k] * pen);
  }
  return res;
}

// Warm both code paths up: the fit, and the CV worker threads (pooled across calls; a fresh
// worker compiles the solvers cold, which would otherwise land in the first cell's CV times).
{
  const { x, y, folds } = simulate(300, 40, 0.5, 1);
  for (let r = 0; r < 10; r++) glmPath("binomial", denseMatrix(300, 40, x), y);
  for (let r = 0; r < 5; r++)
    await cvPath(denseMatrix(300, 40, x), y, { family: "binomial", foldId: folds, workers: 2 });
}
const rows = [];
for (const [c, cell] of cells.entries()) {
  const [dims, rhoText] = cell.split("_");
  const [n, p] = dims.split("x").map(Number);
  const { x, y, folds } = simulate(n, p, Number(rhoText), 2000 + c);
  writeFileSync(join(OUT, `${cell}.x.bin`), Buffer.from(x.buffer));
  writeFileSync(join(OUT, `${cell}.y.bin`), Buffer.from(y.buffer));
  writeFileSync(join(OUT, `${cell}.folds.bin`), Buffer.from(folds.buffer));
  const m = denseMatrix(n, p, x);
  const pathT = [];
  let fit;
  for (let r = 0; r < REPS; r++) pathT.push(batch(() => (fit = glmPath("binomial", m, y))));
  // The same at glmnet's default thresh (1e-7): our points then stop at KKT ≤ 1e-5·λ.
  const looseT = [];
  let loose;
  for (let r = 0; r < REPS; r++)
    looseT.push(batch(() => (loose = glmPath("binomial", m, y, { thresh: 1e-7 }))));
  const cvT = [];
  let cv;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    cv = await cvPath(m, y, { family: "binomial", foldId: folds, workers: 2 });
    cvT.push((performance.now() - t0) / 1000);
  }
  execFileSync("Rscript", [join(HERE, "glmnet-binomial.R"), OUT, String(REPS), cell], {
    stdio: "inherit",
  });
  const g = JSON.parse(readFileSync(join(OUT, `${cell}.glmnet-binomial.json`), "utf8"));
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2 / n;
    sd[j] = Math.sqrt(v);
  }
  const L = Math.min(fit.lambda.length, loose.lambda.length, g.lambda.length);
  const ours = objectives(x, y, n, sd, { ...fit, coefficients: fit.beta }, L);
  const oursLoose = objectives(x, y, n, sd, { ...loose, coefficients: loose.beta }, L);
  const theirs = objectives(x, y, n, sd, g, L);
  const theirsTight = objectives(
    x,
    y,
    n,
    sd,
    { lambda: g.lambda, intercept: g.tightIntercept, coefficients: g.tightCoefficients },
    L,
  );
  const excess = Math.max(...ours.map((v, k) => (v - theirs[k]) / theirs[k]));
  // Each fit's largest excess over the best objective any of the four reached, per λ.
  const best = ours.map((v, k) => Math.min(v, oursLoose[k], theirs[k], theirsTight[k]));
  const overBest = (o) => Math.max(...o.map((v, k) => (v - best[k]) / best[k]));
  const row = {
    cell,
    path: { regularize: median(pathT), glmnet: median(g.pathSeconds) },
    matched: {
      regularizeLoose: median(looseT),
      glmnetTight: median(g.tightSeconds),
      overBest: {
        regularize: overBest(ours),
        regularizeLoose: overBest(oursLoose),
        glmnet: overBest(theirs),
        glmnetTight: overBest(theirsTight),
      },
    },
    cv: { regularize: median(cvT), glmnet: median(g.cvSeconds) },
    points: { regularize: fit.lambda.length, glmnet: g.lambda.length },
    objectiveExcessVsGlmnet: excess,
    lambdaMin: { regularize: cv.lambdaMin, glmnet: Number(g.lambdaMin) },
  };
  if (QUICK && !flag("--no-sklearn")) {
    writeFileSync(join(OUT, `${cell}.lambda.json`), JSON.stringify(Array.from(g.lambda)));
    execFileSync("/usr/bin/python3", [join(HERE, "sklearn_logistic.py"), OUT, cell], {
      stdio: "inherit",
    });
    const s = JSON.parse(readFileSync(join(OUT, `${cell}.sklearn-logistic.json`), "utf8"));
    row.sklearn = {};
    for (const solver of ["saga", "liblinear"]) {
      // scikit-learn fitted standardized columns: back to the original scale for the objective.
      const fits = s[solver].fits.map((f) => {
        const index = [];
        const val = [];
        let a0 = f.intercept;
        f.coef.forEach((v, j) => {
          if (v === 0) return;
          let mu = 0;
          for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
          index.push(j);
          val.push(v / sd[j]);
          a0 -= (v / sd[j]) * mu;
        });
        return { index, value: val, a0 };
      });
      const obj = objectives(
        x,
        y,
        n,
        sd,
        { lambda: g.lambda, intercept: fits.map((f) => f.a0), coefficients: fits },
        L,
      );
      row.sklearn[solver] = {
        seconds: s[solver].seconds,
        ratio: row.path.regularize / s[solver].seconds,
        excessVsGlmnet: Math.max(...obj.map((v, k) => (v - theirs[k]) / theirs[k])),
      };
    }
  }
  row.ratio = {
    path: row.path.regularize / row.path.glmnet,
    cv: row.cv.regularize / row.cv.glmnet,
  };
  rows.push(row);
  console.log(cell, "path", row.path, "cv", row.cv);
}
const lines = [
  "| n × p | ρ | path s (ours / glmnet) | path ratio | 10-fold CV s (ours, 2 workers / cv.glmnet) | CV ratio | points (ours / glmnet) | obj. excess vs glmnet | λ_min (ours / cv.glmnet) |",
  "|---|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const [d, rho] = r.cell.split("_");
    return `| ${d.replace("x", "×")} | ${rho} | ${r.path.regularize.toFixed(4)} / ${r.path.glmnet.toFixed(4)} | ${r.ratio.path.toFixed(2)} | ${r.cv.regularize.toFixed(3)} / ${r.cv.glmnet.toFixed(3)} | ${r.ratio.cv.toFixed(2)} | ${r.points.regularize} / ${r.points.glmnet} | ${r.objectiveExcessVsGlmnet.toExponential(1)} | ${r.lambdaMin.regularize.toPrecision(4)} / ${r.lambdaMin.glmnet.toPrecision(4)} |`;
  }),
];
lines.push(
  "",
  "Matched accuracy — each fit's largest objective excess over the best of the four, and times:",
  "",
  "| n × p | ρ | ours s (excess) | ours at thresh 1e-7 s (excess) | glmnet s (excess) | glmnet at thresh 1e-11 s (excess) | ours@1e-7 / glmnet | ours / glmnet@1e-11 |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const [d, rho] = r.cell.split("_");
    const e = r.matched.overBest;
    const c = (t, x) => `${t.toFixed(4)} (${x.toExponential(1)})`;
    return `| ${d.replace("x", "×")} | ${rho} | ${c(r.path.regularize, e.regularize)} | ${c(r.matched.regularizeLoose, e.regularizeLoose)} | ${c(r.path.glmnet, e.glmnet)} | ${c(r.matched.glmnetTight, e.glmnetTight)} | ${(r.matched.regularizeLoose / r.path.glmnet).toFixed(2)} | ${(r.path.regularize / r.matched.glmnetTight).toFixed(2)} |`;
  }),
);
const skRows = rows.filter((r) => r.sklearn);
if (skRows.length)
  lines.push(
    "",
    "| n × p | ρ | scikit-learn saga s (ratio ours/saga, obj. excess vs glmnet) | liblinear s (ratio, excess) |",
    "|---|---|---|---|",
    ...skRows.map((r) => {
      const [d, rho] = r.cell.split("_");
      const f = (s) =>
        `${s.seconds.toFixed(3)} (${s.ratio.toFixed(3)}, ${s.excessVsGlmnet.toExponential(1)})`;
      return `| ${d.replace("x", "×")} | ${rho} | ${f(r.sklearn.saga)} | ${f(r.sklearn.liblinear)} |`;
    }),
  );
const summary = [
  `geometric-mean time ratio, binomial path regularize / glmnet: ${geomean(rows.map((r) => r.ratio.path)).toFixed(3)}`,
  `geometric-mean time ratio, 10-fold CV regularize (2 workers) / cv.glmnet: ${geomean(rows.map((r) => r.ratio.cv)).toFixed(3)}`,
  `largest objective excess of regularize over glmnet: ${Math.max(...rows.map((r) => r.objectiveExcessVsGlmnet)).toExponential(2)}`,
  `geometric-mean time ratio at glmnet's thresh (1e-7), regularize / glmnet: ${geomean(rows.map((r) => r.matched.regularizeLoose / r.path.glmnet)).toFixed(3)}`,
  `geometric-mean time ratio, regularize (default) / glmnet at thresh 1e-11: ${geomean(rows.map((r) => r.path.regularize / r.matched.glmnetTight)).toFixed(3)}`,
];
const report = [
  `Binomial benchmark (median of ${REPS} repeats; a path time is the time per fit of a batch lasting ≥ 0.1 s, both tools; ${new Date().toISOString()})`,
  "",
  ...lines,
  "",
  ...summary,
].join("\n");
writeFileSync(join(OUT, "binomial.md"), report + "\n");
writeFileSync(join(OUT, "binomial.json"), JSON.stringify({ rows, summary }, null, 1));
console.log("\n" + report);
