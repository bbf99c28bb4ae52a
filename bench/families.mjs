// npm run bench:families -- [--reps 3]   (also run by `npm run bench`)
// The families beyond the GLM paths against glmnet 4.1's default paths on the same cells in the
// same run (written by bench/glmnet-families.R): mgaussian, Gamma (log link), negative binomial
// (theta 2), binomial probit, and Cox with strata and with (start, stop] data. Both sides timed
// over batches lasting >= 0.2 s; the deviance ratio at glmnet's last common λ is compared (our
// objective against glmnet's own is checked by the unit tests' fixtures).
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
execFileSync("Rscript", [join(HERE, "glmnet-families.R"), OUT, String(REPS)], { stdio: "inherit" });

const rows = [];
for (const name of ["mgaussian", "gammaLog", "negbin", "probit", "coxStrata", "coxStartStop"]) {
  const g = JSON.parse(readFileSync(join(OUT, `${name}.glmnet-families.json`), "utf8"));
  const { n, p } = g;
  const x = denseMatrix(
    n,
    p,
    new Float64Array(readFileSync(join(OUT, `${name}.x.bin`)).buffer.slice(0)),
  );
  const cox = g.family === "cox";
  const y = cox ? g.time : g.k > 1 ? denseMatrix(n, g.k, Float64Array.from(g.y)) : g.y;
  const options = {
    family: g.family,
    ...(g.link ? { link: g.link } : {}),
    ...(g.theta ? { theta: g.theta } : {}),
    ...(cox
      ? { status: g.status, start: g.start ?? undefined, strata: g.strata ?? undefined }
      : {}),
  };
  let f;
  const times = [];
  warmUp(() => fit(x, y, options));
  for (let r = 0; r < REPS; r++) times.push(batch(() => (f = fit(x, y, options)), 200));
  const L = Math.min(f.lambda.length, g.lambda.length);
  const row = {
    cell: name,
    regularize: median(times),
    glmnet: median(g.seconds),
    ratio: median(times) / median(g.seconds),
    points: { regularize: f.lambda.length, glmnet: g.lambda.length },
    lambdaGap: Math.abs(f.lambda[0] - g.lambda[0]) / g.lambda[0],
    devRatioGap: Math.abs(f.devRatio[L - 1] - g.devRatio[L - 1]),
    warnings: f.warnings.length,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync(join(OUT, "families.json"), JSON.stringify(rows, null, 2));
console.log(
  "\n| cell | glmnet | regularize | ratio | points (ours/glmnet) | deviance ratio gap at the last common λ |",
);
console.log("|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.cell} | ${r.glmnet.toFixed(4)} s | ${r.regularize.toFixed(4)} s | ${r.ratio.toFixed(2)} × | ${r.points.regularize}/${r.points.glmnet} | ${r.devRatioGap.toExponential(1)} |`,
  );
