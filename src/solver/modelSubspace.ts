import type { SparseColumns } from "../data/glmDesign.js";
import { choleskySolveInPlace } from "../linalg/cholesky.js";
import { enetValue } from "../penalty/elasticNet.js";

/**
 * A Newton step's quadratic model on a sparse design, as SparseGlmCd's coordinate descent holds it:
 * the IRLS weights v, the strong features (`active`, per position t) with their centering and
 * 1/scale (per feature), Σ v x_j (uncentered, per position) and elastic-net weights (per position).
 * Its state is the coefficients b[0 .. na), the working residual without its scalar part q' (n),
 * Σ q', D and the intercept b0, with q = q' − v·D the model's working residual; its objective (up
 * to a constant) is ½ Σ qᵢ²/vᵢ + Σ_t κ_t|b_t| + ½ λ2_t b_t².
 */
export interface SubspaceModel {
  sp: SparseColumns;
  n: number;
  v: Float64Array;
  active: Int32Array;
  center: Float64Array;
  inv: Float64Array;
  vx: Float64Array;
  kap: Float64Array;
  l2: Float64Array;
  /**
   * The Gaussian's objective instead (GaussianCd on a sparse design): ½ Σ qᵢ² + the elastic net,
   * q = q' − v·D being its residual itself (v = √ŵ).
   */
  unit?: boolean;
}

/** The model's objective (up to a constant) at b[0 .. na), q' and D (see SubspaceModel). */
export function modelValue(
  m: SubspaceModel,
  b: Float64Array,
  q: Float64Array,
  d: number,
  na: number,
): number {
  const { v, kap, l2 } = m;
  let f = 0;
  if (m.unit)
    for (let i = 0; i < m.n; i++) {
      const r = q[i] - v[i] * d;
      f += r * r;
    }
  else
    for (let i = 0; i < m.n; i++) {
      const vi = v[i];
      if (vi > 0) {
        const r = q[i] - vi * d;
        f += (r * r) / vi;
      }
    }
  f *= 0.5;
  for (let t = 0; t < na; t++) f += enetValue(b[t], kap[t], l2[t]);
  return f;
}

/**
 * Subspace acceleration of the coordinate descent that solves a Newton step's model: after K + 1
 * recorded passes with iterates x_0 … x_K, the model is minimized over their affine span
 * x_K + Σ_a s_a (x_{a+1} − x_a). On the text bench's deep points the passes shrink the largest
 * move by only a third each (many coordinates drifting together along a few slow directions);
 * this step takes those directions at once. It is Anderson's extrapolation (Bertrand & Massias
 * 2021, as in skglm) with the model's own objective, not the fixed-point residual, choosing s:
 * Anderson's point raised the model's objective in 29 of 34 tries there.
 *
 * The coefficients, q', Σ q', D and b0 are all affine in the coefficients, so one s moves them
 * together without a read of the design. The model's smooth part is quadratic in s (its Gram
 * matrix from the differences of q); its penalty is linear in s where no coefficient changes sign,
 * so a coefficient whose sign (or zero) differs among the iterates is held at its last value (its
 * part of the differences taken out: a read of its column), and one the solution would carry
 * across zero is set to zero (a read of its column). The point is taken only where it lowers the
 * model's objective by more than its rounding; the passes that follow start from it and keep
 * their stopping rule.
 */
export class ModelSubspace {
  private hist = new Float64Array(0);
  private count = 0;
  private dq = new Float64Array(0);
  private u = new Float64Array(0);
  private out = new Float64Array(0);
  private readonly scalars: Float64Array;
  private readonly gram: Float64Array;
  private readonly rhs: Float64Array;
  private readonly s: Float64Array;
  private readonly tmp: Float64Array;

  constructor(readonly K = 2) {
    this.scalars = new Float64Array(3 * K);
    this.gram = new Float64Array(K * K);
    this.rhs = new Float64Array(K);
    this.s = new Float64Array(K);
    this.tmp = new Float64Array(K);
  }

  /** Forgets the recorded iterates (a new model). */
  reset(): void {
    this.count = 0;
  }

  /**
   * Records the state b[0 .. na), q'[0 .. n), Σ q' = st[0], D = st[1] and b0; true once K + 1
   * iterates are held (then `step`; the next record starts a new sequence).
   */
  record(b: Float64Array, q: Float64Array, st: Float64Array, b0: number, na: number, n: number) {
    const w = na + n + 3;
    const K = this.K;
    if (this.hist.length < (K + 1) * w) this.hist = new Float64Array(2 * (K + 1) * w);
    if (this.count === K + 1) this.count = 0;
    const h = this.hist;
    const off = this.count * w;
    h.set(b.subarray(0, na), off);
    h.set(q.subarray(0, n), off + na);
    h[off + na + n] = st[0];
    h[off + na + n + 1] = st[1];
    h[off + na + n + 2] = b0;
    return ++this.count === K + 1;
  }

  /**
   * The subspace step from the K + 1 recorded iterates, the last of which is the current state
   * (b, q, st, b0): where it lowers the model's objective, b, q' and st are overwritten and the new
   * b0 returned; otherwise (or where its system is singular) null and nothing changes.
   */
  step(m: SubspaceModel, b: Float64Array, q: Float64Array, st: Float64Array, na: number) {
    const { n, v, kap, l2, active, vx, inv, center } = m;
    const { colPtr, rowIndex, values } = m.sp;
    const K = this.K;
    const w = na + n + 3;
    const h = this.hist;
    const last = K * w;
    if (this.dq.length < K * n) this.dq = new Float64Array(K * n);
    if (this.u.length < K * na) this.u = new Float64Array(2 * K * na);
    if (this.out.length < w) this.out = new Float64Array(2 * w);
    const { dq, u: U, out, scalars: dsc, gram: M, rhs: r, s, tmp } = this;
    // The differences of q' and of (Σ q', D, b0).
    for (let a = 0; a < K; a++) {
      const o0 = a * w + na;
      const o1 = o0 + w;
      for (let i = 0; i < n; i++) dq[a * n + i] = h[o1 + i] - h[o0 + i];
      for (let c = 0; c < 3; c++) dsc[3 * a + c] = h[o1 + n + c] - h[o0 + n + c];
    }
    // The coefficients' differences; one whose sign is not the same in every iterate is held.
    for (let t = 0; t < na; t++) {
      const bK = h[last + t];
      let mixed = false;
      for (let a = 0; a < K; a++) {
        const x = h[a * w + t];
        if (x > 0 ? !(bK > 0) : x < 0 ? !(bK < 0) : bK !== 0) mixed = true;
        U[a * na + t] = h[(a + 1) * w + t] - x;
      }
      if (!mixed) continue;
      const j = active[t];
      for (let a = 0; a < K; a++) {
        const ua = U[a * na + t];
        if (ua === 0) continue;
        U[a * na + t] = 0;
        // Its move took v·x_j·ua/s_j from q', vx·ua/s_j from Σ q' and c_j·ua/s_j from D.
        const c = ua * inv[j];
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
          const i = rowIndex[k];
          dq[a * n + i] += v[i] * values[k] * c;
        }
        dsc[3 * a] += vx[t] * c;
        dsc[3 * a + 1] += center[j] * c;
      }
    }
    // The model along x_K + Σ s_a U_a: r = its gradient in s at 0, M its Hessian.
    M.fill(0);
    r.fill(0);
    const dK = h[last + na + n + 1];
    const unit = m.unit === true;
    for (let i = 0; i < n; i++) {
      const vi = v[i];
      if (!unit && !(vi > 0)) continue;
      const qK = h[last + na + i] - vi * dK;
      for (let a = 0; a < K; a++) tmp[a] = dq[a * n + i] - vi * dsc[3 * a + 1];
      for (let a = 0; a < K; a++) {
        const da = unit ? tmp[a] : tmp[a] / vi;
        r[a] += qK * da;
        for (let c = a; c < K; c++) M[a * K + c] += da * tmp[c];
      }
    }
    for (let t = 0; t < na; t++) {
      const bK = h[last + t];
      const lin = (bK > 0 ? kap[t] : bK < 0 ? -kap[t] : 0) + l2[t] * bK;
      const q2 = l2[t];
      for (let a = 0; a < K; a++) {
        const ua = U[a * na + t];
        r[a] += lin * ua;
        if (q2 !== 0) for (let c = a; c < K; c++) M[a * K + c] += q2 * ua * U[c * na + t];
      }
    }
    // s = −M⁻¹r (M positive semidefinite: a Gram matrix; null where it is zero or singular).
    for (let a = 0; a < K; a++) {
      s[a] = -r[a];
      for (let c = 0; c < a; c++) M[a * K + c] = M[c * K + a];
    }
    if (!(M[0] > 0 || M[K * K - 1] > 0)) return null;
    try {
      choleskySolveInPlace(M, K, s, 1e-12);
    } catch {
      return null;
    }
    for (let a = 0; a < K; a++) if (!Number.isFinite(s[a])) return null;
    for (let t = 0; t < na; t++) {
      let x = h[last + t];
      for (let a = 0; a < K; a++) x += s[a] * U[a * na + t];
      out[t] = x;
    }
    for (let i = 0; i < n; i++) {
      let x = h[last + na + i];
      for (let a = 0; a < K; a++) x += s[a] * dq[a * n + i];
      out[na + i] = x;
    }
    for (let c = 0; c < 3; c++) {
      let x = h[last + na + n + c];
      for (let a = 0; a < K; a++) x += s[a] * dsc[3 * a + c];
      out[na + n + c] = x;
    }
    // A coefficient carried across zero goes to zero.
    for (let t = 0; t < na; t++) {
      const bK = h[last + t];
      const x = out[t];
      if (bK === 0 || x > 0 === bK > 0) continue;
      const j = active[t];
      const c = -x * inv[j];
      out[t] = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
        const i = rowIndex[k];
        out[na + i] -= v[i] * values[k] * c;
      }
      out[na + n] -= vx[t] * c;
      out[na + n + 1] -= center[j] * c;
    }
    const before = modelValue(m, b, q, st[1], na);
    const after = modelValue(m, out, out.subarray(na, na + n), out[na + n + 1], na);
    // A decrease within rounding proves nothing: the combination's rounding grows with Σ|s_a|
    // (nearly parallel differences, at a tight tolerance, give s in the 10⁵), and a step on such
    // a decrease moves q' off the coefficients by more than the passes' tolerance, which then
    // never stop (a test at thresh 1e-14 ran 3.5 million passes).
    let size = 1;
    for (let a = 0; a < K; a++) size += Math.abs(s[a]);
    if (!(after < before - 1e-13 * size * Math.abs(before))) return null;
    b.set(out.subarray(0, na));
    q.set(out.subarray(na, na + n));
    st[0] = out[na + n];
    st[1] = out[na + n + 1];
    return out[na + n + 2];
  }
}
