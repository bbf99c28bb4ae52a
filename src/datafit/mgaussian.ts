import type { NewtonDatafit } from "../core/datafit.js";
import { weightedCross, weightedGram } from "../wasm/gram.js";

/**
 * The multi-response Gaussian datafit (glmnet's "mgaussian"): K responses, each with its own
 * linear predictor, f(η) = ½ Σᵢ ŵᵢ ‖yᵢ − ηᵢ‖² (ŵ the weights normalized to sum 1; y and η
 * class-major, K·n). Its Hessian is Hᵢ = ŵᵢ·I_K: the responses decouple in the datafit, and only
 * the penalty (each feature's K coefficients as one group, glmnet's) ties them. The quadratic
 * model is exact. Deviance Σᵢ ŵᵢ‖yᵢ − ηᵢ‖² (the saturated loss is 0).
 */
export class MGaussianDatafit implements NewtonDatafit {
  readonly K: number;
  readonly n: number;
  readonly r: Float64Array;
  readonly step: Float64Array;
  readonly nullDeviance: number;
  /** The responses, class-major (K·n). */
  readonly y: Float64Array;
  private readonly w: Float64Array;

  /** y class-major (K·n), w the normalized weights; the null model has the weighted means. */
  constructor(y: Float64Array, K: number, w: Float64Array, intercept: boolean) {
    const n = w.length;
    this.K = K;
    this.n = n;
    this.y = y;
    this.w = w;
    this.r = new Float64Array(K * n);
    this.step = new Float64Array(K * n);
    let d = 0;
    for (let c = 0; c < K; c++) {
      let mean = 0;
      if (intercept) for (let i = 0; i < n; i++) mean += w[i] * y[c * n + i];
      for (let i = 0; i < n; i++) d += w[i] * (y[c * n + i] - mean) ** 2;
    }
    this.nullDeviance = d;
  }

  evaluate(eta: Float64Array): number {
    const { K, n, y, w, r } = this;
    let f = 0;
    for (let c = 0; c < K; c++)
      for (let i = 0; i < n; i++) {
        const e = y[c * n + i] - eta[c * n + i];
        r[c * n + i] = w[i] * e;
        f += w[i] * e * e;
      }
    return f / 2;
  }

  lossAlong(eta: Float64Array, t: number): number {
    const { K, n, y, w, step } = this;
    let f = 0;
    for (let c = 0; c < K; c++)
      for (let i = 0; i < n; i++) {
        const e = y[c * n + i] - eta[c * n + i] - t * step[c * n + i];
        f += w[i] * e * e;
      }
    return f / 2;
  }

  acceptAlong(): number | null {
    return null;
  }

  curvature(xs: Float64Array, off: number): number {
    const { n, w } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i] * xs[off + i] * xs[off + i];
    return s;
  }

  modelGradient(xs: Float64Array, off: number, c: number): number {
    const { n, w, r, step } = this;
    const base = c * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[off + i] * (r[base + i] - w[i] * step[base + i]);
    return s;
  }

  move(xs: Float64Array, off: number, c: number, delta: number): void {
    const { n, step } = this;
    const base = c * n;
    for (let i = 0; i < n; i++) step[base + i] += delta * xs[off + i];
  }

  stepSet(): void {
    // The step is all the model keeps.
  }

  stepCurvature(): number {
    const { K, n, w, step } = this;
    let s = 0;
    for (let c = 0; c < K; c++)
      for (let i = 0; i < n; i++) s += w[i] * step[c * n + i] * step[c * n + i];
    return s / 2;
  }

  resetStep(): void {
    this.step.fill(0);
  }

  /** Entry ((a, c), (b, d)) = δ_cd Σᵢ ŵᵢ x_ia x_ib: one weighted Gram, placed on each class. */
  blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void {
    const { K, n, w } = this;
    const G = new Float64Array(m * m);
    weightedGram(xs, offs, m, n, w, G);
    const mK = m * K;
    out.fill(0, 0, mK * mK);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++)
        for (let c = 0; c < K; c++) out[(a * K + c) * mK + b * K + c] = G[a * m + b];
  }

  entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    this.entryBlock(xs, offs, cls, m, offs, cls, m, out);
  }

  setReference(): void {
    // The Hessian does not depend on η.
  }

  /**
   * Entries (column, response) against entries: Σᵢ ŵᵢ x_ia x_ib where the responses agree, else 0.
   * The weighted cross product runs once per distinct column (a feature's K entries share it),
   * K² times less work than over the entries.
   */
  entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    const distinct = (offs: Int32Array, m: number) => {
      const index = new Map<number, number>();
      const at = new Int32Array(m);
      for (let a = 0; a < m; a++) {
        let k = index.get(offs[a]);
        if (k === undefined) index.set(offs[a], (k = index.size));
        at[a] = k;
      }
      return { cols: Int32Array.from(index.keys()), at };
    };
    const A = distinct(offsA, mA);
    const B = offsB === offsA && mB === mA ? A : distinct(offsB, mB);
    const uA = A.cols.length;
    const uB = B.cols.length;
    const G = new Float64Array(uA * uB);
    weightedCross(xs, A.cols, uA, B.cols, uB, this.n, this.w, G);
    for (let a = 0; a < mA; a++) {
      const row = A.at[a] * uB;
      for (let b = 0; b < mB; b++) out[a * mB + b] = clsA[a] === clsB[b] ? G[row + B.at[b]] : 0;
    }
  }

  deviance(loss: number): number {
    return 2 * loss;
  }

  interceptStart(): Float64Array {
    const { K, n, y, w } = this;
    return Float64Array.from({ length: K }, (_, c) => {
      let m = 0;
      for (let i = 0; i < n; i++) m += w[i] * y[c * n + i];
      return m;
    });
  }
}
