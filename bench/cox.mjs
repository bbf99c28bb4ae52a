// npm run bench:cox -- [--reps 3]   (also run by `npm run bench`)
// Cox proportional-hazards default paths (Breslow ties) of glmnet 4.1 and regularize on the same
// cells in the same run: the lung data and simulated 4000 x 100 and 500 x 2000 survival data
// (written by bench/glmnet-cox.R). Both timed over batches lasting >= 0.2 s; the objective of both
// recomputed here from their coefficients at every common λ (−(1/n)·log partial likelihood +
// λ·Σ sⱼ|βⱼ|, sⱼ the population standard deviation).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix, fit } from "../dist/index.js";
import { batch, median, repsArg, warmUp } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });
const REPS = repsArg();
execFileSync("Rscript", [join(HERE, "glmnet-cox.R"), OUT, String(REPS)], { stdio: "inherit" });

/** The Cox objective by sorting once (Breslow), independent of the library's datafit. */
function objective(x, n, p, time, status, beta, lambda, sd) {
  const eta = new Float64Array(n);
  for (let j = 0; j < p; j++)
    if (beta[j] !== 0) for (let i = 0; i < n; i++) eta[i] += x[j * n + i] * beta[j];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
  let f = 0;
  let S = 0;
  for (let q = 0; q < n;) {
    let r = q;
    while (r < n && time[order[r]] === time[order[q]]) S += Math.exp(eta[order[r++]]) / n;
    for (let t = q; t < r; t++) if (status[order[t]]) f -= (eta[order[t]] - Math.log(S)) / n;
    q = r;
  }
  let pen = 0;
  for (let j = 0; j < p; j++) pen += sd[j] * Math.abs(beta[j]);
  return f + lambda * pen;
}

const rows = [];
for (const name of ["lung", "cox4000x100", "cox500x2000"]) {
  const g = JSON.parse(readFileSync(join(OUT, `${name}.glmnet-cox.json`), "utf8"));
  const { n, p, time, status } = g;
  const x = new Float64Array(readFileSync(join(OUT, `${name}.x.bin`)).buffer.slice(0));
  const m = denseMatrix(n, p, x);
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
    for (let i = 0; i < n; i++) sd[j] += (x[j * n + i] - mu) ** 2 / n;
    sd[j] = Math.sqrt(sd[j]);
  }
  let f;
  const times = [];
  warmUp(() => fit(m, time, { family: "cox", status }));
  for (let r = 0; r < REPS; r++)
    times.push(batch(() => (f = fit(m, time, { family: "cox", status })), 200));
  let worst = -Infinity;
  const L = Math.min(f.lambda.length, g.lambda.length);
  for (let k = 0; k < L; k++) {
    const b = new Float64Array(p);
    f.coefficients[k][0].index.forEach((j, q) => (b[j] = f.coefficients[k][0].value[q]));
    const ours = objective(x, n, p, time, status, b, g.lambda[k], sd);
    const theirs = objective(x, n, p, time, status, g.beta[k], g.lambda[k], sd);
    worst = Math.max(worst, (ours - theirs) / Math.abs(theirs));
  }
  const row = {
    cell: name,
    regularize: median(times),
    glmnet: median(g.seconds),
    ratio: median(times) / median(g.seconds),
    points: { regularize: f.lambda.length, glmnet: g.lambda.length },
    objectiveExcessVsGlmnet: worst,
    lambdaGap: Math.abs(f.lambda[0] - g.lambda[0]) / g.lambda[0],
    warnings: f.warnings.length,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync(join(OUT, "cox.json"), JSON.stringify(rows, null, 2));
console.log("\n| cell | glmnet | regularize | ratio | points (ours/glmnet) | objective excess |");
console.log("|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.cell} | ${r.glmnet.toFixed(4)} s | ${r.regularize.toFixed(4)} s | ${r.ratio.toFixed(2)} × | ${r.points.regularize}/${r.points.glmnet} | ${r.objectiveExcessVsGlmnet.toExponential(1)} |`,
  );
