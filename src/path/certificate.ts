import { enetConjugate, enetSubdiffDistance, enetValue } from "../penalty/elasticNet.js";

export interface Certificate {
  /** Primal objective ½‖ỹ − X̃b‖² + Σ pen_j(b_j). */
  primal: number;
  /** max_j dist(g_j, ∂pen_j(b_j)): zero exactly at the optimum. */
  kktMax: number;
  /**
   * Primal minus the dual objective at the rescaled residual; an upper bound on the distance to
   * the optimal value. NaN when an unpenalized, unbounded feature makes the dual point infeasible.
   */
  dualityGap: number;
}

/** Scratch: features that may contribute to the conjugate sum. */
let special = new Int32Array(0);

/**
 * Optimality certificate of the standardized elastic-net problem at b, from g = X̃ᵀr,
 * ỹᵀr and ‖r‖². The dual (Fenchel) objective is
 *
 *     D(θ) = ỹᵀθ − ½‖θ‖² − Σ_j pen_j*(x̃_jᵀθ),
 *
 * evaluated at θ = s·r with s ≤ 1 the largest scale keeping |x̃_jᵀθ| ≤ λα·pf_j for the
 * features whose conjugate is an indicator (μ_j = 0, unbounded) — the standard dual point of
 * lasso solvers (El Ghaoui et al. 2012; Massias et al. 2018).
 */
export function certificate(
  b: Float64Array,
  g: Float64Array,
  yTr: number,
  rss: number,
  include: Uint8Array,
  pf: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  lambda: number,
  alpha: number,
  fresh: Uint8Array,
): Certificate {
  const p = b.length;
  if (special.length < p) special = new Int32Array(p);
  let ns = 0;
  let pen = 0;
  let kktMax = 0;
  let s = 1;
  let certifiable = true;
  const ka = lambda * alpha;
  const mu1 = lambda * (1 - alpha);
  for (let j = 0; j < p; j++) {
    // Features without a fresh gradient are zero with |g_j| ≤ κ_j proven by the solver's safe
    // bound: they add nothing to the penalty, the KKT violation or the conjugate.
    if (!include[j] || !fresh[j]) continue;
    const kappa = ka * pf[j];
    const mu = mu1 * pf[j];
    const a = Math.abs(g[j]);
    if (b[j] === 0 && lower[j] < 0 && upper[j] > 0) {
      // Fast path for the common case (a zero strictly inside its box): violation (|g| − κ)₊.
      if (a > kappa) {
        special[ns++] = j;
        if (a - kappa > kktMax) kktMax = a - kappa;
        if (mu === 0) {
          if (kappa === 0) certifiable = false;
          else if (kappa < s * a) s = kappa / a;
        }
      }
      continue;
    }
    special[ns++] = j;
    pen += enetValue(b[j], kappa, mu);
    const v = enetSubdiffDistance(b[j], g[j], kappa, mu, lower[j], upper[j]);
    if (v > kktMax) kktMax = v;
    if (mu === 0) {
      const bound = g[j] > 0 ? upper[j] : lower[j];
      if (a > kappa && !Number.isFinite(bound)) {
        if (kappa === 0) certifiable = false;
        else s = Math.min(s, kappa / a);
      }
    }
  }
  const primal = 0.5 * rss + pen;
  let dualityGap = NaN;
  if (certifiable) {
    // Only the features listed above can contribute: a zero strictly inside its box with
    // |g_j| ≤ κ_j has |z| ≤ κ_j and a zero conjugate.
    let conj = 0;
    for (let t = 0; t < ns; t++) {
      const j = special[t];
      const kappa = ka * pf[j];
      const mu = mu1 * pf[j];
      let z = s * g[j];
      const az = Math.abs(z);
      // A zero inside its box contributes (|z| − κ)₊² / (2μ) (0 when μ = 0, since |z| ≤ κ then).
      if (b[j] === 0 && lower[j] < 0 && upper[j] > 0 && (az <= kappa || mu > 0)) {
        if (az > kappa) conj += ((az - kappa) * (az - kappa)) / (2 * mu);
        continue;
      }
      // s was chosen so that |z| ≤ κ where that constraint binds; remove the rounding excess.
      if (pf[j] > 0 && alpha === 1) z = z > kappa ? kappa : z < -kappa ? -kappa : z;
      conj += enetConjugate(z, kappa, mu, lower[j], upper[j]);
    }
    const dual = s * yTr - 0.5 * s * s * rss - conj;
    dualityGap = Math.max(0, primal - dual);
  }
  return { primal, kktMax, dualityGap };
}
