import type { GroupPenalty } from "../core/penalty.js";
import { at } from "./elasticNet.js";

/**
 * The sparse-group-lasso penalty of one group g (Simon, Friedman, Hastie & Tibshirani 2013):
 *
 *     pen_g(b) = κ‖b‖₁ + τ‖b‖₂,    κ = λα,  τ = λ(1 − α)·w_g,
 *
 * with w_g the group's weight (default √|g|). α = 0 is the group lasso (Yuan & Lin 2006), whose
 * ‖b‖₂ term sets whole groups exactly to zero; α > 0 adds sparsity within groups.
 *
 * @example
 * ```ts
 * groupValue(Float64Array.of(3, 4), 0, 2, 0, 1); // κ = 0, τ = 1: 1·‖(3, 4)‖₂ = 5
 * ```
 */
export function groupValue(
  b: Float64Array,
  off: number,
  size: number,
  kappa: number,
  tau: number,
): number {
  let l1 = 0;
  let l2 = 0;
  for (let t = 0; t < size; t++) {
    l1 += Math.abs(b[off + t]);
    l2 += b[off + t] * b[off + t];
  }
  return kappa * l1 + tau * Math.sqrt(l2);
}

/**
 * The prox of step·pen_g at u (in place on u[off .. off+size)): soft-thresholding by step·κ, then
 * group soft-thresholding by step·τ — u ← (1 − step·τ/‖S(u)‖)₊ S(u). Returns ‖result‖₂.
 *
 * @example
 * ```ts
 * const u = Float64Array.of(3, 4, 1);
 * groupProx(u, 0, 2, 0, 2.5); // τ = 2.5: u[0..2) ← (1 − 2.5/5)₊·(3, 4) = (1.5, 2)
 * ```
 */
export function groupProx(
  u: Float64Array,
  off: number,
  size: number,
  kappa: number,
  tau: number,
): number {
  let ss = 0;
  for (let t = 0; t < size; t++) {
    const v = u[off + t];
    const s = v > kappa ? v - kappa : v < -kappa ? v + kappa : 0;
    u[off + t] = s;
    ss += s * s;
  }
  const norm = Math.sqrt(ss);
  if (norm <= tau) {
    for (let t = 0; t < size; t++) u[off + t] = 0;
    return 0;
  }
  const scale = 1 - tau / norm;
  for (let t = 0; t < size; t++) u[off + t] *= scale;
  return norm * scale;
}

/**
 * Distance of g (the negative gradient of the smooth part, on the group) to ∂pen_g(b): the KKT
 * violation of the group. At b = 0 it is (‖S(g, κ)‖₂ − τ)₊ — the dead zone of the group lasso is
 * the ball ‖S(g, κ)‖ ≤ τ; otherwise the distance of g to κ∂‖b‖₁ + τ b/‖b‖₂, coordinate by coordinate.
 *
 * @example
 * ```ts
 * const dist = groupSubdiffDistance(Float64Array.of(0, 0), Float64Array.of(0.3, 0.4), 0, 2, 0, 1); // 0: ‖g‖ = 0.5 ≤ τ = 1
 * ```
 */
export function groupSubdiffDistance(
  b: Float64Array,
  g: Float64Array,
  off: number,
  size: number,
  kappa: number,
  tau: number,
): number {
  let nb = 0;
  for (let t = 0; t < size; t++) nb += b[off + t] * b[off + t];
  nb = Math.sqrt(nb);
  let ss = 0;
  if (nb === 0) {
    for (let t = 0; t < size; t++) {
      const v = Math.max(Math.abs(g[off + t]) - kappa, 0);
      ss += v * v;
    }
    return Math.max(Math.sqrt(ss) - tau, 0);
  }
  for (let t = 0; t < size; t++) {
    const bt = b[off + t];
    const r = g[off + t] - (tau * bt) / nb;
    const d = bt > 0 ? r - kappa : bt < 0 ? r + kappa : Math.max(Math.abs(r) - kappa, 0);
    ss += d * d;
  }
  return Math.sqrt(ss);
}

/** Per-size scratch vectors of the block solve (three per size: a call allocates nothing). */
const scratchBySize = new Map<number, Float64Array[]>();
function scratch(m: number, which: number): Float64Array {
  let s = scratchBySize.get(m);
  if (!s)
    scratchBySize.set(m, (s = [new Float64Array(m), new Float64Array(m), new Float64Array(m)]));
  return s[which];
}

/**
 * Exact minimizer of the block problem ½bᵀHb − cᵀb + κ‖b‖₁ + τ‖b‖₂ (H ⪰ 0, m×m), written into b.
 * Group lasso (κ = 0): b = 0 if ‖c‖ ≤ τ, else b = (H + νI)⁻¹c with ν = τ/‖b‖, the root of
 * ν‖(Λ + ν)⁻¹Qᵀc‖ = τ in the eigenbasis H = QΛQᵀ (monotone in ν: bisection on a log scale, then
 * Newton). Sparse group lasso (κ > 0): the zero test uses S(c, κ); otherwise accelerated
 * proximal gradient (FISTA with restart) on the block, which touches no data — only H.
 * `values`/`vectors` are H's eigen-decomposition (vectors as columns, row-major).
 *
 * @example
 * ```ts
 * groupBlockSolve(h, values, vectors, m, c, kappa, tau, b); // b ← the exact minimizer of one group's quadratic model
 * ```
 */
export function groupBlockSolve(
  h: Float64Array,
  values: Float64Array,
  vectors: Float64Array,
  m: number,
  c: Float64Array,
  kappa: number,
  tau: number,
  b: Float64Array,
): void {
  const sc = scratch(m, 0);
  let ss = 0;
  for (let t = 0; t < m; t++) {
    const v = Math.abs(c[t]) - kappa;
    sc[t] = v > 0 ? (c[t] > 0 ? v : -v) : 0;
    ss += sc[t] * sc[t];
  }
  if (Math.sqrt(ss) <= tau) {
    b.fill(0, 0, m);
    return;
  }
  if (kappa === 0) {
    // ct = Qᵀc; find ν > 0 with φ(ν) = ν²Σ ct_i²/(λ_i + ν)² = τ² (φ increases from 0 to ‖c‖²).
    const ct = scratch(m, 2);
    ct.fill(0, 0, m);
    for (let t = 0; t < m; t++) {
      const ctt = c[t];
      const row = t * m;
      for (let i = 0; i < m; i++) ct[i] += vectors[row + i] * ctt;
    }
    const phi = (nu: number) => {
      let s = 0;
      for (let i = 0; i < m; i++) s += (ct[i] * ct[i] * nu * nu) / (values[i] + nu) ** 2;
      return s - tau * tau;
    };
    if (tau === 0) {
      // Unpenalized block: the least-squares solution (pseudo-inverse on H's range).
      solveInBasis(values, vectors, m, ct, 0, b);
      return;
    }
    let lo = 0;
    let hi = 1;
    while (phi(hi) < 0) hi *= 2;
    // Safeguarded Newton on g(ν) = 1/s(ν) − ν/τ, s(ν)² = Σ ct_i²/(λ_i + ν)² (nearly linear in ν,
    // as the trust-region secular equation of Moré & Sorensen 1983), inside the bracket [lo, hi]
    // kept by φ's sign; a step leaving the bracket is replaced by bisection.
    let nu = hi;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < m; i++) {
        const d = values[i] + nu;
        const q = (ct[i] * ct[i]) / (d * d);
        s2 += q;
        s3 += q / d;
      }
      const sn = Math.sqrt(s2);
      const g = 1 / sn - nu / tau;
      if (g > 0) lo = nu;
      else if (g < 0) hi = nu;
      else break;
      // g'(ν) = s3/s³ − 1/τ.
      const slope = s3 / (s2 * sn) - 1 / tau;
      let next = slope < 0 ? nu - g / slope : NaN;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const done = Math.abs(next - nu) <= 1e-15 * nu;
      nu = next;
      if (done) break;
    }
    solveInBasis(values, vectors, m, ct, nu, b);
    return;
  }
  // Sparse group lasso: FISTA on the block (step 1/λ_max(H)), restarted when it stops descending.
  let L = 0;
  for (let i = 0; i < m; i++) L = Math.max(L, values[i]);
  if (!(L > 0)) L = 1;
  const x = Float64Array.from(b.subarray(0, m));
  const z = Float64Array.from(x);
  const prev = new Float64Array(m);
  const u = new Float64Array(m);
  let t = 1;
  for (let it = 0; it < 20000; it++) {
    prev.set(x);
    for (let a = 0; a < m; a++) {
      let hz = 0;
      for (let q = 0; q < m; q++) hz += h[a * m + q] * z[q];
      u[a] = z[a] - (hz - c[a]) / L;
    }
    groupProx(u, 0, m, kappa / L, tau / L);
    x.set(u);
    let move = 0;
    let scale = 0;
    let dot = 0;
    for (let a = 0; a < m; a++) {
      move += (x[a] - prev[a]) ** 2;
      scale += x[a] * x[a];
      dot += (z[a] - x[a]) * (x[a] - prev[a]);
    }
    if (move <= 1e-30 * Math.max(scale, 1e-300) || move === 0) break;
    if (dot > 0) {
      // Adaptive restart (O'Donoghue & Candès 2015).
      t = 1;
      z.set(x);
      continue;
    }
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    for (let a = 0; a < m; a++) z[a] = x[a] + ((t - 1) / tn) * (x[a] - prev[a]);
    t = tn;
  }
  b.set(x);
}

/** b = Q (Λ + ν)⁻¹ ct (directions with λ_i + ν = 0 dropped). */
function solveInBasis(
  values: Float64Array,
  vectors: Float64Array,
  m: number,
  ct: Float64Array,
  nu: number,
  b: Float64Array,
): void {
  let top = -Infinity;
  for (let i = 0; i < m; i++) if (values[i] > top) top = values[i];
  const w = scratch(m, 1);
  for (let i = 0; i < m; i++) {
    const d = values[i] + nu;
    w[i] = d > 1e-14 * top ? ct[i] / d : 0;
  }
  for (let t = 0; t < m; t++) {
    let s = 0;
    const row = t * m;
    for (let i = 0; i < m; i++) s += vectors[row + i] * w[i];
    b[t] = s;
  }
}

/**
 * A group penalty as an object for the model core:
 *
 *     pen_g(b) = λ ( l1_g‖b‖₁ + l2_g‖b‖₂ + ridge_g/2 ‖b‖₂² )
 *
 * over each group's coefficients (its features × all K columns): the group lasso (l1 = 0), the
 * sparse group lasso (both), glmnet's grouped multinomial (single-feature groups, l2 = α·pfⱼ,
 * ridge = (1−α)·pfⱼ). A group with all three weights 0 is unpenalized.
 *
 * @example
 * ```ts
 * const pen = groupPenalty([Int32Array.of(0, 1), Int32Array.of(2)], Float64Array.of(0, 0), Float64Array.of(Math.SQRT2, 1), Float64Array.of(0, 0));
 * pen.zeroLambda(Float64Array.of(0.3, 0.4), 0); // ‖g‖/√2: the λ below which group 0 enters
 * ```
 */
export function groupPenalty(
  groups: Int32Array[],
  l1: Float64Array,
  l2: Float64Array,
  ridge: Float64Array,
): GroupPenalty {
  return {
    kind: "group",
    groups,
    penalized: (g) => l1[g] > 0 || l2[g] > 0 || ridge[g] > 0,
    value: (b, g, lam) => {
      let a = 0;
      let s = 0;
      for (let t = 0; t < b.length; t++) {
        a += Math.abs(b[t]);
        s += b[t] * b[t];
      }
      return at(lam, l1[g]) * a + at(lam, l2[g]) * Math.sqrt(s) + 0.5 * at(lam, ridge[g]) * s;
    },
    update: (h, values, vectors, u, g, lam, out) => {
      const m = u.length;
      const mu = at(lam, ridge[g]);
      let hh = h;
      let vals = values;
      if (mu > 0) {
        hh = Float64Array.from(h);
        for (let a = 0; a < m; a++) hh[a * m + a] += mu;
        vals = values.map((v) => v + mu);
      }
      groupBlockSolve(hh, vals, vectors, m, u, at(lam, l1[g]), at(lam, l2[g]), out);
    },
    subdiffDistance: (b, gr, g, lam) => {
      const mu = at(lam, ridge[g]);
      const gg = mu > 0 ? gr.map((v, t) => v - mu * b[t]) : gr;
      return groupSubdiffDistance(b, gg, 0, b.length, at(lam, l1[g]), at(lam, l2[g]));
    },
    zeroLambda: (gr, g) => {
      let norm = 0;
      let top = 0;
      for (let t = 0; t < gr.length; t++) {
        norm += gr[t] * gr[t];
        top = Math.max(top, Math.abs(gr[t]));
      }
      norm = Math.sqrt(norm);
      if (l1[g] === 0) return l2[g] > 0 ? norm / l2[g] : norm > 0 ? Infinity : 0;
      if (l2[g] === 0) return top / l1[g];
      // ‖S(g, λ·l1)‖ − λ·l2 decreases in λ: bisection between 0 and top/l1.
      let lo = 0;
      let hi = top / l1[g];
      for (let it = 0; it < 100; it++) {
        const mid = (lo + hi) / 2;
        let s = 0;
        for (let t = 0; t < gr.length; t++) s += Math.max(Math.abs(gr[t]) - mid * l1[g], 0) ** 2;
        if (Math.sqrt(s) > mid * l2[g]) lo = mid;
        else hi = mid;
      }
      return hi;
    },
  };
}
