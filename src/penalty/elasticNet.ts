import type { CoordinatePenalty } from "../core/penalty.js";

/**
 * The per-coordinate elastic-net penalty with a box constraint, in the form the solvers use:
 *
 *     pen_j(b) = κ_j |b| + (μ_j / 2) b²  +  indicator(lo_j ≤ b ≤ hi_j)
 *
 * with κ_j = λ·α·pf_j and μ_j = λ·(1−α)·pf_j (glmnet's parametrisation; Friedman, Hastie &
 * Tibshirani 2010, eq. 1). The smooth part enters through its curvature `xv` (the squared norm of
 * the standardized column), so every formula here is a one-dimensional closed form.
 */

/** Soft-thresholding S(u, κ) = sign(u)·max(|u| − κ, 0): the prox of κ|·|.
 *
 * @example
 * ```ts
 * softThreshold(2.5, 1); // 1.5; softThreshold(0.7, 1) is exactly 0
 * ```
 */
export function softThreshold(u: number, kappa: number): number {
  if (u > kappa) return u - kappa;
  if (u < -kappa) return u + kappa;
  return 0;
}

/**
 * The coordinate-descent update: argmin_b (xv/2) b² − u·b + pen(b), i.e.
 * clip(S(u, κ) / (xv + μ), lo, hi). With xv = 1/step this is the proximal operator of
 * step·pen at u·step.
 *
 * @example
 * ```ts
 * const b = enetProx1d(2.5, 1, 0.5, 0, -Infinity, Infinity); // argmin ½b² − 2.5b + 0.5|b| = 2
 * ```
 */
export function enetProx1d(
  u: number,
  xv: number,
  kappa: number,
  mu: number,
  lo: number,
  hi: number,
): number {
  const v = Math.abs(u) - kappa;
  if (v <= 0) return 0;
  const b = (u > 0 ? v : -v) / (xv + mu);
  return b < lo ? lo : b > hi ? hi : b;
}

/**
 * Distance of `g` (the negative gradient of the smooth part at b) to the subdifferential
 * ∂pen(b) = κ·∂|b| + μb + N_[lo,hi](b). Zero exactly at a coordinate-wise optimum: this is the
 * KKT violation. At b = 0 the subdifferential of κ|b| is the whole interval [−κ, κ]: the dead
 * zone that keeps a weight exactly at zero.
 *
 * @example
 * ```ts
 * const d = enetSubdiffDistance(0, 0.3, 0.5, 0, -Infinity, Infinity); // 0: |0.3| is inside the dead zone [−0.5, 0.5]
 * ```
 */
export function enetSubdiffDistance(
  b: number,
  g: number,
  kappa: number,
  mu: number,
  lo: number,
  hi: number,
): number {
  let left: number;
  let right: number;
  if (b > 0) left = right = kappa + mu * b;
  else if (b < 0) left = right = -kappa + mu * b;
  else {
    left = -kappa;
    right = kappa;
  }
  if (b <= lo) left = -Infinity;
  if (b >= hi) right = Infinity;
  return g < left ? left - g : g > right ? g - right : 0;
}

/** Value of pen(b) without the box indicator.
 *
 * @example
 * ```ts
 * const v = enetValue(2, 0.5, 0.1); // 0.5·|2| + 0.1/2·2²
 * ```
 */
export function enetValue(b: number, kappa: number, mu: number): number {
  return kappa * Math.abs(b) + 0.5 * mu * b * b;
}

/**
 * Convex conjugate pen*(z) = sup_{lo ≤ b ≤ hi} z·b − κ|b| − (μ/2)b², used for the dual
 * objective. Returns +Infinity when the supremum is unbounded (μ = 0, |z| > κ, infinite bound).
 *
 * @example
 * ```ts
 * const c = enetConjugate(0.05, 0.1, 0, -Infinity, Infinity); // 0: |z| ≤ κ (at |z| > κ with μ = 0 it is +∞)
 * ```
 */
export function enetConjugate(
  z: number,
  kappa: number,
  mu: number,
  lo: number,
  hi: number,
): number {
  let b: number;
  if (mu > 0) {
    b = softThreshold(z, kappa) / mu;
    b = b < lo ? lo : b > hi ? hi : b;
  } else if (Math.abs(z) <= kappa) {
    b = 0;
  } else {
    b = z > 0 ? hi : lo;
    if (!Number.isFinite(b)) return Infinity;
  }
  return b === 0 ? 0 : z * b - kappa * Math.abs(b) - 0.5 * mu * b * b;
}

/**
 * The elastic-net penalty as an object for the model core: pen_j(b) = λ·pfⱼ(α|b| + (1−α)/2·b²)
 * with box limits [lowerⱼ, upperⱼ] (standardized scale) and `include[j] = 0` for features held
 * at zero.
 *
 * @example
 * ```ts
 * const pen = elasticNetPenalty(0.5, Float64Array.of(1, 1), Float64Array.of(-Infinity, 0), Float64Array.of(Infinity, Infinity));
 * pen.update(2, 1, 0, 1); // argmin ½b² − 2b + 0.5|b| + 0.25b² = 1.5 / 1.5 = 1
 * ```
 */
/**
 * λ·w, and 0 where the weight w is 0 whatever λ: an unpenalized entry stays unpenalized at
 * λ = ∞ (the solvers' first solve, which fits the unpenalized entries only) instead of NaN.
 */
export function at(lam: number, w: number): number {
  return w === 0 ? 0 : lam * w;
}

export function elasticNetPenalty(
  alpha: number,
  pf: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): CoordinatePenalty {
  const floor = Math.max(alpha, 1e-3);
  return {
    kind: "coordinate",
    penalized: (j) => pf[j] > 0,
    value: (b, j, lam) =>
      b < lower[j] || b > upper[j]
        ? Infinity
        : enetValue(b, at(lam, alpha * pf[j]), at(lam, (1 - alpha) * pf[j])),
    update: (u, h, j, lam) =>
      enetProx1d(u, h, at(lam, alpha * pf[j]), at(lam, (1 - alpha) * pf[j]), lower[j], upper[j]),
    subdiffDistance: (b, g, j, lam) =>
      enetSubdiffDistance(
        b,
        g,
        at(lam, alpha * pf[j]),
        at(lam, (1 - alpha) * pf[j]),
        lower[j],
        upper[j],
      ),
    local: (b, j, lam) => {
      if (b <= lower[j] || b >= upper[j]) return null;
      const mu = at(lam, (1 - alpha) * pf[j]);
      return { slope: at(lam, alpha * pf[j]) * Math.sign(b) + mu * b, curv: mu };
    },
    enet: (j, lam) => ({
      kappa: at(lam, alpha * pf[j]),
      mu: at(lam, (1 - alpha) * pf[j]),
      lo: lower[j],
      hi: upper[j],
    }),
    zeroLambda: (g, j) => {
      // One-sided limits: a zero at the bound only needs the gradient pointing out of the box.
      const v = lower[j] === 0 ? Math.max(g, 0) : upper[j] === 0 ? Math.max(-g, 0) : Math.abs(g);
      return pf[j] > 0 ? v / (pf[j] * floor) : v > 0 ? Infinity : 0;
    },
  };
}
