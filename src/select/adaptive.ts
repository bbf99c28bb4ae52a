import type { Matrix } from "../data/matrix.js";
import { fitFamily } from "../cv/foldJob.js";
import type { Family } from "../cv/measures.js";
import { InputError } from "../errors.js";
import type { PathFit } from "../path/elasticNetPath.js";
import type { GlmOptions } from "../path/glmPath.js";
import { coefAt } from "../path/predict.js";

export interface AdaptiveOptions extends GlmOptions {
  family?: Family;
  /** The initial fit: ridge (α = 0) or lasso (α = 1). Default "ridge". */
  initial?: "ridge" | "lasso";
  /** λ of the initial fit; default the smallest λ of its path. */
  initialLambda?: number;
  /** Exponent γ of the weights 1/|β̂ⱼ|^γ. Default 1. */
  gamma?: number;
}

/**
 * The adaptive lasso (Zou 2006): a lasso path whose penalty factors are 1/|β̂ⱼ|^γ, β̂ from an
 * initial ridge or lasso fit on the standardized scale (sⱼβ̂ⱼ, so the weights do not depend on the
 * features' units). A feature the initial fit sets to zero gets an infinite factor (excluded).
 * Returns the path with `penaltyFactor` used, so the fit is reproducible with `elasticNetPath` /
 * `glmPath`.
 *
 * @example
 * ```ts
 * const fit = adaptiveLasso(x, y, { gamma: 1 }); // penalty factors 1/|β̃ⱼ| from an initial ridge fit
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table
 * adaptiveLasso(d.x, d.y);
 * ```
 */
export function adaptiveLasso(
  x: Matrix,
  y: ArrayLike<number>,
  options: AdaptiveOptions = {},
): PathFit & { penaltyFactor: Float64Array } {
  const { family = "gaussian", initial = "ridge", initialLambda, gamma = 1, ...rest } = options;
  if (!(gamma > 0))
    throw new InputError(`option 'gamma': must be > 0, got ${gamma}`, { option: "gamma" });
  if (initial !== "ridge" && initial !== "lasso")
    throw new InputError(`option 'initial': ridge or lasso, got '${String(initial)}'`, {
      option: "initial",
    });
  const init = fitFamily(family, x, y, { ...rest, alpha: initial === "ridge" ? 0 : 1 });
  const s = initialLambda ?? init.lambda[init.lambda.length - 1];
  const { beta } = coefAt(init, s);
  const pf = Float64Array.from(beta, (b, j) => {
    const a = Math.abs(b * init.scale[j]);
    return a > 0 ? Math.pow(a, -gamma) : Infinity;
  });
  if (pf.every((v) => v === Infinity))
    throw new InputError("adaptive lasso: the initial fit has no non-zero coefficient");
  const fit = fitFamily(family, x, y, { ...rest, alpha: 1, penaltyFactor: pf });
  return { ...fit, penaltyFactor: pf };
}
