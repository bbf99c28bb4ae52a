import { addStats, GramDesign, residualSumOfSquares, subtractStats } from "../data/gramDesign.js";
import type { GaussianStats } from "../data/gramDesign.js";
import { InputError } from "../errors.js";
import { gaussianPathOn, type PathFit } from "./elasticNetPath.js";
import { resolveOptions, type ElasticNetOptions } from "./options.js";
import { coefAt } from "./predict.js";

/**
 * The Gaussian lasso / elastic-net path from sufficient statistics (sums over the rows, wherever
 * they live: a database, a cluster) instead of the rows: the covariance solver needs only X̃ᵀX̃,
 * X̃ᵀỹ and ỹᵀỹ, so the path — λ grid, coefficients, certificates — equals `elasticNetPath` on
 * the same rows. Unit weights; no `weights` option.
 *
 * @example
 * ```ts
 * const fit = gaussianStatsPath(stats, { alpha: 1 }); // stats: sums from one scan of the rows
 * fit.kktMax[10]; // the same certificate as elasticNetPath's
 * ```
 */
export function gaussianStatsPath(stats: GaussianStats, options: ElasticNetOptions = {}): PathFit {
  if (options.type === "naive")
    throw new InputError(
      "option 'type': a fit from sufficient statistics uses covariance updates",
      {
        option: "type",
      },
    );
  if (!(stats.n >= 2)) throw new InputError(`need at least 2 observations, got ${stats.n}`);
  const p = stats.sx.length;
  const o = resolveOptions({ ...options, type: "covariance" }, stats.n, p, false);
  const design = new GramDesign(stats, o.intercept, o.standardize, o.include);
  return gaussianPathOn(
    design,
    { ym: design.ym, yTilde: Float64Array.of(Math.sqrt(design.yy)), nullDeviance: design.yy },
    o,
  );
}

/** Exact K-fold cross-validation of the Gaussian path from per-fold statistics. */
export interface StatsCvResult {
  fit: PathFit;
  lambda: Float64Array;
  /** Mean squared error at each λ (cv.glmnet's cvm), its standard error, and their band. */
  cvm: Float64Array;
  cvsd: Float64Array;
  cvup: Float64Array;
  cvlo: Float64Array;
  nzero: Int32Array;
  lambdaMin: number;
  lambda1se: number;
  indexMin: number;
  index1se: number;
  /** Rows in each fold. */
  foldSizes: number[];
}

/**
 * cv.glmnet's K-fold CV (measure mse) from statistics: `folds[f]` sums the rows of fold f + 1.
 * Each fold's training fit is the full statistics minus the fold's, along its own λ grid; its
 * held-out squared error at each λ of the full fit (glmnet's linear interpolation of the
 * coefficients) comes from the fold's own sums. cvm, cvsd, λ_min and λ_1se as `cvPath`.
 *
 * @example
 * ```ts
 * const cv = gaussianStatsCv(foldStats, { alpha: 1 }); // one statistics object per fold
 * cv.lambdaMin; cv.lambda1se;
 * ```
 */
export function gaussianStatsCv(
  folds: GaussianStats[],
  options: ElasticNetOptions = {},
): StatsCvResult {
  const K = folds.length;
  if (K < 2) throw new InputError("option 'nFolds': needs at least 2 folds", { option: "nFolds" });
  const empty = folds.findIndex((s) => !(s.n > 0));
  if (empty >= 0)
    throw new InputError(`fold ${empty + 1} of 1..${K} has no rows`, { option: "foldId" });
  const total = addStats(folds);
  const fit = gaussianStatsPath(total, options);
  const lambda = fit.lambda;
  const L = lambda.length;
  const foldMean = folds.map((held) => {
    const train = gaussianStatsPath(subtractStats(total, held), options);
    const mean = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      const c = coefAt(train, lambda[k]);
      mean[k] = residualSumOfSquares(held, c.intercept, c.beta) / held.n;
    }
    return mean;
  });
  return {
    fit,
    nzero: Int32Array.from(fit.df),
    ...cvSummary(
      lambda,
      foldMean,
      folds.map((s) => s.n),
    ),
  };
}

/**
 * cv.glmnet's summary of per-fold mean errors (`foldMean[f][k]` at λ_k, fold weights `foldW`):
 * cvm the weighted mean, cvsd the weighted standard error, λ_min the largest λ of least cvm,
 * λ_1se the largest λ within one standard error of it.
 */
export function cvSummary(
  lambda: Float64Array,
  foldMean: Float64Array[],
  foldW: number[],
): Omit<StatsCvResult, "fit" | "nzero"> {
  const K = foldMean.length;
  const L = lambda.length;
  const sw = foldW.reduce((a, b) => a + b, 0);
  const cvm = new Float64Array(L);
  const cvsd = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    let s = 0;
    for (let f = 0; f < K; f++) s += foldW[f] * foldMean[f][k];
    cvm[k] = s / sw;
    let ss = 0;
    for (let f = 0; f < K; f++) ss += foldW[f] * (foldMean[f][k] - cvm[k]) ** 2;
    cvsd[k] = Math.sqrt(ss / sw / (K - 1));
  }
  let best = Infinity;
  for (let k = 0; k < L; k++) if (cvm[k] < best) best = cvm[k];
  let indexMin = -1;
  for (let k = 0; k < L; k++)
    if (cvm[k] <= best && (indexMin < 0 || lambda[k] > lambda[indexMin])) indexMin = k;
  const bound = cvm[indexMin] + cvsd[indexMin];
  let index1se = -1;
  for (let k = 0; k < L; k++)
    if (cvm[k] <= bound && (index1se < 0 || lambda[k] > lambda[index1se])) index1se = k;
  return {
    lambda,
    cvm,
    cvsd,
    cvup: cvm.map((v, k) => v + cvsd[k]),
    cvlo: cvm.map((v, k) => v - cvsd[k]),
    lambdaMin: lambda[indexMin],
    lambda1se: lambda[index1se],
    indexMin,
    index1se,
    foldSizes: foldW,
  };
}
