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

/** Scratch: features that may contribute to the conjugate sum; the fresh included features. */
let special = new Int32Array(0);
let live = new Int32Array(0);

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
  if (special.length < p) {
    special = new Int32Array(p);
    live = new Int32Array(p);
  }
  // Features without a fresh gradient are zero with |g_j| ≤ κ_j proven by the solver's safe
  // bound: they add nothing to the penalty, the KKT violation or the conjugate. The others are
  // listed first without branches (which of them are fresh is data: branches mispredict).
  let nl = 0;
  for (let j = 0; j < p; j++) {
    live[nl] = j;
    nl += include[j] & fresh[j];
  }
  let ns = 0;
  let pen = 0;
  let kktMax = 0;
  let s = 1;
  let certifiable = true;
  const ka = lambda * alpha;
  const mu1 = lambda * (1 - alpha);
  for (let t = 0; t < nl; t++) {
    const j = live[t];
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

/**
 * `certificate` at α = 0 without box limits (the exact ridge path), in one pass over the
 * penalized features J: pen_j(b) = ½λ·pf_j·b², KKT violation |g_j − λ·pf_j·b_j|, and every
 * conjugate finite (θ = r, no rescaling): pen_j*(g) = g²/(2λ·pf_j). The same formulas as
 * `certificate`'s (a test compares the two), without its branches for zeros and box limits: on
 * the exact path every coefficient is non-zero.
 */
export function ridgeCertificate(
  b: Float64Array,
  g: Float64Array,
  yTr: number,
  rss: number,
  J: Int32Array,
  pf: Float64Array,
  lambda: number,
): Certificate {
  let pen = 0;
  let kktMax = 0;
  let conj = 0;
  for (let t = 0; t < J.length; t++) {
    const j = J[t];
    const mu = lambda * pf[j];
    const bj = b[j];
    const gj = g[j];
    pen += 0.5 * mu * bj * bj;
    const v = Math.abs(gj - mu * bj);
    if (v > kktMax) kktMax = v;
    const c = gj / mu;
    conj += gj * c - 0.5 * mu * c * c;
  }
  const primal = 0.5 * rss + pen;
  const dual = yTr - 0.5 * rss - conj;
  return { primal, kktMax, dualityGap: Math.max(0, primal - dual) };
}

/**
 * Duality gap of a binomial or Poisson elastic-net point on the standardized problem
 *
 *     P(b0, b) = Σᵢ ŵᵢ ℓ(yᵢ, ηᵢ) + Σⱼ penⱼ(bⱼ),
 *     D(θ) = −Σᵢ ŵᵢ ℓ*(yᵢ; −θᵢ/ŵᵢ) − Σⱼ penⱼ*(x̃ⱼᵀθ)   (Σθ = 0 with an intercept),
 *
 * where ℓ*(y; u) = H(y + u) with H(v) = v log v + (1−v) log(1−v) (logistic) or v log v − v
 * (Poisson), and −Σθᵢoᵢ more with an offset o. The dual point is the rescaled residual θ = s·(r − ŵ·Σr), r = ŵ(y − μ) (centered so
 * that Σθ = 0; the standardized columns are ŵ-centered, so x̃ⱼᵀθ = s·gⱼ), with s ≤ 1 the largest
 * scale keeping |s·gⱼ| ≤ κⱼ where penⱼ* is an indicator — then y − θ/ŵ stays a convex mixture of
 * y and μ, inside H's domain. NaN when no such point exists (an unpenalized feature with a
 * non-zero gradient, or a mixture leaving the domain by rounding). `entropy(s, shift)`, when
 * given (binomial), is Σᵢ ŵᵢH(vᵢ) at that mixture computed elsewhere (GlmCd's SIMD kernel).
 * `candidates`, when given, lists every included feature except zeros strictly inside their box
 * with |gⱼ| ≤ κⱼ — which contribute nothing (s ≤ 1 keeps |s·gⱼ| ≤ κⱼ, where the conjugate is 0) —
 * and only those are visited.
 */
export function glmDualityGap(
  family: "binomial" | "poisson",
  y: Float64Array,
  w: Float64Array,
  mu: Float64Array,
  g: Float64Array,
  g0: number,
  b: Float64Array,
  include: Uint8Array,
  pf: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  lambda: number,
  alpha: number,
  intercept: boolean,
  offset: Float64Array,
  primal: number,
  entropy?: ((s: number, shift: number) => number) | null,
  candidates?: Int32Array,
): number {
  const list = candidates ?? Int32Array.from(include.keys()).filter((j) => include[j]);
  const ka = lambda * alpha;
  const mu1 = lambda * (1 - alpha);
  let s = 1;
  for (const j of list) {
    const kappa = ka * pf[j];
    const m = mu1 * pf[j];
    const a = Math.abs(g[j]);
    if (m > 0 || a <= kappa) continue;
    const bound = g[j] > 0 ? upper[j] : lower[j];
    if (Number.isFinite(bound)) continue; // a finite bound keeps the conjugate finite
    if (kappa === 0) return NaN;
    s = Math.min(s, kappa / a);
  }
  const shift = intercept ? g0 : 0;
  // Σ ŵH(v) over the observations: in one SIMD pass when given, else here.
  let hSum = 0;
  if (entropy) hSum = entropy(s, shift);
  else
    for (let i = 0; i < y.length; i++) {
      if (w[i] === 0) continue;
      const v = (1 - s) * y[i] + s * (mu[i] + shift);
      if (family === "binomial") {
        if (!(v >= 0 && v <= 1)) return NaN;
        hSum += w[i] * ((v > 0 ? v * Math.log(v) : 0) + (v < 1 ? (1 - v) * Math.log(1 - v) : 0));
      } else {
        if (!(v >= 0)) return NaN;
        hSum += w[i] * ((v > 0 ? v * Math.log(v) : 0) - v);
      }
    }
  if (!Number.isFinite(hSum)) return NaN;
  let dual = -hSum;
  // With an offset o, ℓ(y, η + o) has conjugate ℓ*(u) − u·o: the dual gains −Σθᵢoᵢ.
  for (let i = 0; i < y.length; i++)
    if (offset[i] !== 0) dual -= s * w[i] * (y[i] - mu[i] - shift) * offset[i];
  for (const j of list) {
    const kappa = ka * pf[j];
    let z = s * g[j];
    // Most features: |z| ≤ κ with 0 in the box, where the conjugate is exactly 0.
    if (Math.abs(z) <= kappa && lower[j] <= 0 && upper[j] >= 0) continue;
    const m = mu1 * pf[j];
    if (m === 0 && pf[j] > 0) z = z > kappa ? kappa : z < -kappa ? -kappa : z;
    const c = enetConjugate(z, kappa, m, lower[j], upper[j]);
    if (!Number.isFinite(c)) return NaN;
    dual -= c;
  }
  return Math.max(0, primal - dual);
}
