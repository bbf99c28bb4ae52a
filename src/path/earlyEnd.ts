import type { FitFamily } from "./fit.js";

/** glmnet's deviance-stall threshold (fdev); a limit at exactly 0 turns the stall rule off. */
export const FDEV = 1e-5;
/** The path ends once the deviance ratio passes this. */
const DEV_MAX = 0.999;
/** The rules apply from this point on. */
const MIN_POINTS = 5;

/**
 * glmnet 4.1's early end of an automatic path after point k (glmnetpp's elnet_path and lognet):
 * more than dfMax features, the deviance ratio past 0.999 (`devMax`), or stalled — Gaussian: a rise below
 * fdev of itself since the previous point; binomial and multinomial: a rise below fdev; Poisson:
 * below 10·fdev of itself over the last four points; Cox: below 100·fdev of itself over the last
 * four points (inferred from glmnet 4.1's output, not its source: it ends the lung lasso and
 * elastic-net paths and a tied-times simulation at exactly glmnet's point, fixtures/glmnet-cox.json,
 * where neither the one-step absolute nor relative rule does); multi-response Gaussian: a fall of
 * the residual deviance below fdev of itself (rise < fdev·(1 − ratio); also inferred, from the
 * three paths of fixtures/glmnet-mgaussian.json). Never before the 5th point.
 *
 * @example
 * ```ts
 * earlyEnd("binomial", Float64Array.of(0, 0.3, 0.5, 0.6, 0.600001), 4, 100, 3, 50); // true: stalled
 * ```
 */
export function earlyEnd(
  family: FitFamily,
  devRatio: ArrayLike<number>,
  k: number,
  L: number,
  df: number,
  dfMax: number,
  fdev = FDEV,
  devMax = DEV_MAX,
): boolean {
  if (k + 1 < Math.min(MIN_POINTS, L)) return false;
  const dev = devRatio[k];
  if (df > dfMax || dev > devMax) return true;
  const prev = k > 0 ? devRatio[k - 1] : 0;
  if (family === "gaussian") return dev - prev < fdev * dev;
  if (family === "mgaussian") return dev - prev < fdev * (1 - dev);
  if (family === "cox") return dev - devRatio[k - MIN_POINTS + 1] < 100 * fdev * dev;
  if (family === "poisson") return dev - devRatio[k - MIN_POINTS + 1] < 10 * fdev * dev;
  return dev - prev < fdev;
}

/**
 * The stall threshold for a path with these limits: glmnet's fdev, or 0 (the rule off) when some
 * limit is exactly 0, where the path plateaus.
 */
export function stallThreshold(o: {
  lowerLimits: ArrayLike<number>;
  upperLimits: ArrayLike<number>;
}): number {
  for (let j = 0; j < o.lowerLimits.length; j++)
    if (o.lowerLimits[j] === 0 || o.upperLimits[j] === 0) return 0;
  return FDEV;
}
