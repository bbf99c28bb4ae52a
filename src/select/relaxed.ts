import type { Matrix } from "../data/matrix.js";
import { subsetColumns } from "../data/matrix.js";
import { fitFamily } from "../cv/foldJob.js";
import type { Family } from "../cv/measures.js";
import { InputError } from "../errors.js";
import type { PathFit, SparseVector } from "../path/elasticNetPath.js";
import type { GlmOptions } from "../path/glmPath.js";

/** The relaxed lasso (glmnet's relax): per λ the unpenalized refit on the active set, blended with the lasso fit by γ. */
export interface RelaxedFit {
  gamma: number[];
  lambda: Float64Array;
  /** intercept[g][k] and beta[g][k]: the blend for gamma[g] at λ_k. */
  intercept: Float64Array[];
  beta: SparseVector[][];
  /** The unpenalized refit on each λ's active set (γ = 0). */
  refit: { intercept: Float64Array; beta: SparseVector[] };
}

/**
 * The relaxed lasso (Meinshausen 2007; glmnet's `relax = TRUE`, Hastie, Tibshirani & Tibshirani
 * 2020): at each λ of a fitted path, refit the model without penalty on the features the path
 * selected there, and blend, β(γ) = γ·β_lasso + (1 − γ)·β_refit (intercepts likewise). γ = 1 is
 * the lasso; γ = 0 the refit, which removes the lasso's shrinkage of large coefficients. Refits
 * are cached by active set. The other options (weights, offset, standardize, intercept) must be
 * those of the path.
 *
 * @example
 * ```ts
 * const relaxed = relaxedFit(fit, x, y, { gamma: [0, 0.5, 1] }); // glmnet's relax = TRUE
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table
 * relaxedFit(elasticNetPath(d.x, d.y), d.x, d.y);
 * ```
 */
export function relaxedFit(
  fit: PathFit,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions & { family?: Family; gamma?: number[] } = {},
): RelaxedFit {
  const { family = fit.family, gamma = [0, 0.25, 0.5, 0.75, 1], ...fitOptions } = options;
  for (const g of gamma)
    if (!(g >= 0 && g <= 1))
      throw new InputError(`option 'gamma': values must be in [0, 1], got ${g}`, {
        option: "gamma",
      });
  const L = fit.lambda.length;
  const cache = new Map<string, { a0: number; beta: SparseVector }>();
  const refitA0 = new Float64Array(L);
  const refitBeta: SparseVector[] = [];
  for (let k = 0; k < L; k++) {
    const active = fit.beta[k].index;
    const key = Array.from(active).join(",");
    let r = cache.get(key);
    if (!r) {
      if (active.length === 0) {
        r = {
          a0: fit.intercept[0],
          beta: { index: new Int32Array(0), value: new Float64Array(0) },
        };
      } else {
        // λ = 0 on the selected columns: the unpenalized maximum-likelihood fit.
        const sub = fitFamily(family, subsetColumns(x, active), y, {
          ...fitOptions,
          alpha: 1,
          lambda: [0],
          penaltyFactor: undefined,
          exclude: undefined,
          lowerLimits: undefined,
          upperLimits: undefined,
        });
        const dense = new Float64Array(active.length);
        sub.beta[0].index.forEach((t, q) => (dense[t] = sub.beta[0].value[q]));
        r = { a0: sub.intercept[0], beta: { index: Int32Array.from(active), value: dense } };
      }
      cache.set(key, r);
    }
    refitA0[k] = r.a0;
    refitBeta.push(r.beta);
  }
  const intercept: Float64Array[] = [];
  const beta: SparseVector[][] = [];
  for (const g of gamma) {
    intercept.push(
      Float64Array.from({ length: L }, (_, k) => g * fit.intercept[k] + (1 - g) * refitA0[k]),
    );
    beta.push(
      fit.beta.map((b, k) => ({
        index: Int32Array.from(b.index),
        value: Float64Array.from(b.value, (v, t) => g * v + (1 - g) * refitBeta[k].value[t]),
      })),
    );
  }
  return {
    gamma,
    lambda: fit.lambda,
    intercept,
    beta,
    refit: { intercept: refitA0, beta: refitBeta },
  };
}
