import type { PathFit } from "../path/elasticNetPath.js";

/**
 * The constrained form of a lasso path: t_k = ‖β̃(λ_k)‖₁ on the standardized scale (Σⱼ sⱼ|βⱼ|),
 * the radius at which min f(β) subject to ‖β̃‖₁ ≤ t has the same solution as the penalized
 * problem at λ_k — and λ_k is that constraint's multiplier (l1BallMultiplier). t grows as λ falls.
 *
 * @example
 * ```ts
 * const t = constraintPath(fit); // t_k = ‖β(λ_k)‖₁ (standardized): the matching constraint sizes
 * ```
 */
export function constraintPath(fit: PathFit): Float64Array {
  return Float64Array.from(fit.beta, (b) => {
    let t = 0;
    for (let q = 0; q < b.index.length; q++) t += Math.abs(b.value[q]) * fit.scale[b.index[q]];
    return t;
  });
}
