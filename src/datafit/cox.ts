import type { NewtonDatafit } from "../core/datafit.js";
import { weightedCross } from "../wasm/gram.js";
import { DiagonalModel } from "./diagonal.js";

/** The risk-set quantities at one point: e, the groups' risk sums, Σ_g d_gπ_{g,i}, column means. */
interface CoxState {
  e: Float64Array;
  Sg: Float64Array;
  diag: Float64Array;
  means: Map<number, Float64Array>;
}

/**
 * The Cox proportional-hazards datafit with Breslow's ties, as glmnet 4.1's coxnet: with ŵ the
 * observation weights normalized to sum 1, δ the event indicators and the risk sums
 * S(t) = Σ_{j: tⱼ ≥ t} ŵⱼ e^{ηⱼ},
 *
 *     f(η) = −Σᵢ ŵᵢ δᵢ ( ηᵢ − log S(tᵢ) ),
 *
 * −(1/n)·log partial likelihood for unit weights, up to a constant. No intercept (the partial
 * likelihood ignores a shift of η). −∂f/∂ηₖ = ŵₖδₖ − ŵₖe^{ηₖ}Aₖ with Aₖ = Σ_{i: tᵢ ≤ tₖ} ŵᵢδᵢ/S(tᵢ);
 * the compact solve's Hessian blocks are exact (`exactBlock`: the risk sets' weighted covariance
 * terms included), the coordinate route's per-row curvatures the diagonal of the true Hessian,
 * hₖ = ŵₖe^{ηₖ}Aₖ − (ŵₖe^{ηₖ})²Bₖ with Bₖ = Σ_{i: tᵢ ≤ tₖ} ŵᵢδᵢ/S(tᵢ)² (glmnet's approximation;
 * with the exact gradient the proximal-Newton fixed point is the exact optimum either way). Observations are visited in time order (sorted
 * once); tied times share one risk sum. Deviance 2(f − f_sat) with f_sat = Σ_g d_g log d_g over the
 * distinct event times g (d_g their weighted deaths): glmnet's saturated Breslow likelihood.
 */
export class CoxDatafit extends DiagonalModel implements NewtonDatafit {
  readonly nullDeviance: number;
  /** Observations in increasing time; the weights and weighted events in that order. */
  private readonly order: Int32Array;
  private readonly ws: Float64Array;
  private readonly wd: Float64Array;
  /** Sorted positions where the tie groups start (and n at the end), and each group's deaths. */
  private readonly starts: Int32Array;
  private readonly dg: Float64Array;
  private readonly saturated: number;
  /** Scratch in time order: η and ŵe^{η − shift}; the groups' risk sums. */
  private readonly v: Float64Array;
  private readonly e: Float64Array;
  private readonly Sg: Float64Array;
  /** At the last evaluate, and at the reference: e, the risk sums, and Σ_g d_gπ_{g,i} by row. */
  private readonly at: CoxState;
  private readonly ref: CoxState;

  constructor(time: Float64Array, status: Float64Array, w: Float64Array, offset: Float64Array) {
    super(time.length);
    const n = this.n;
    const order = (this.order = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => time[a] - time[b],
    ));
    this.ws = Float64Array.from(order, (i) => w[i]);
    this.wd = Float64Array.from(order, (i) => w[i] * status[i]);
    const starts: number[] = [];
    for (let q = 0; q < n; q++)
      if (q === 0 || time[order[q]] !== time[order[q - 1]]) starts.push(q);
    const G = starts.length;
    starts.push(n);
    this.starts = Int32Array.from(starts);
    this.dg = new Float64Array(G);
    let sat = 0;
    for (let g = 0; g < G; g++) {
      let d = 0;
      for (let q = starts[g]; q < starts[g + 1]; q++) d += this.wd[q];
      this.dg[g] = d;
      if (d > 0) sat += d * Math.log(d);
    }
    this.saturated = sat;
    this.v = new Float64Array(n);
    this.e = new Float64Array(n);
    this.Sg = new Float64Array(G);
    const state = (): CoxState => ({
      e: new Float64Array(n),
      Sg: new Float64Array(G),
      diag: new Float64Array(n),
      means: new Map(),
    });
    this.at = state();
    this.ref = state();
    this.nullDeviance = this.deviance(this.lossAt(offset, null, 0));
  }

  /** f at η + t·dir (dir null: at η); with `keep`, r and h there. All loops in time order. */
  private lossAt(eta: Float64Array, dir: Float64Array | null, t: number, keep = false): number {
    const { n, order, ws, wd, starts, dg, e, v, Sg } = this;
    if (dir)
      for (let q = 0; q < n; q++) {
        const i = order[q];
        v[q] = eta[i] + t * dir[i];
      }
    else for (let q = 0; q < n; q++) v[q] = eta[order[q]];
    let shift = -Infinity;
    for (let q = 0; q < n; q++) if (ws[q] > 0 && v[q] > shift) shift = v[q];
    if (!Number.isFinite(shift)) shift = 0;
    let f = 0;
    for (let q = 0; q < n; q++) {
      e[q] = ws[q] * Math.exp(v[q] - shift);
      f -= wd[q] * v[q];
    }
    // Risk sums from the latest time back; each tie group's deaths use its group's sum.
    const G = dg.length;
    let acc = 0;
    for (let g = G - 1; g >= 0; g--) {
      for (let q = starts[g]; q < starts[g + 1]; q++) acc += e[q];
      Sg[g] = acc;
      if (dg[g] > 0) f += dg[g] * (Math.log(acc) + shift);
    }
    if (keep) {
      // A and B accumulate forward in time over the groups' deaths.
      const { r, h } = this;
      const diag = this.at.diag;
      this.at.e.set(e);
      this.at.Sg.set(Sg);
      this.at.means.clear();
      let A = 0;
      let B = 0;
      for (let g = 0; g < G; g++) {
        const d = dg[g];
        if (d > 0) {
          A += d / Sg[g];
          B += d / (Sg[g] * Sg[g]);
        }
        for (let q = starts[g]; q < starts[g + 1]; q++) {
          const i = order[q];
          const eq = e[q];
          r[i] = wd[q] - eq * A;
          diag[i] = eq * A;
          h[i] = Math.max(eq * A - eq * eq * B, 0);
        }
      }
    }
    return f;
  }

  /**
   * The exact Hessian of f between columns A and B: Σ_g d_g [X_Aᵀdiag(π_g)X_B − m_{gA}m_{gB}ᵀ]
   * with π_g = e∘1[t ≥ t_g]/S_g and m_{ga} = x_aᵀπ_g (the risk set's weighted mean of column a):
   * the first term is one weighted cross product (weights Σ_g d_gπ_{g,i}), the second needs each
   * column's backward cumulative sums over the groups — O(n·m + G·m_A·m_B). The compact solve
   * then takes exact Newton steps (glmnet's coordinate descent keeps the diagonal only).
   */
  private exactBlock(
    xs: Float64Array,
    offsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    mB: number,
    out: Float64Array,
    st: CoxState,
  ): void {
    const { n, order, starts, dg } = this;
    const { e, Sg, diag } = st;
    weightedCross(xs, offsA, mA, offsB, mB, n, diag, out);
    const G = dg.length;
    // Risk-set means, column-major (G long each): A's columns, then B's (when B differs).
    const same = offsB === offsA;
    const M = new Float64Array(G * (same ? mA : mA + mB));
    // Each column's means are kept for the state (the compact solve extends the same slots).
    const fill = (offs: Int32Array, m: number, at: number) => {
      for (let a = 0; a < m; a++) {
        const off = offs[a];
        let col = st.means.get(off);
        if (!col) {
          col = new Float64Array(G);
          let acc = 0;
          for (let g = G - 1; g >= 0; g--) {
            for (let q = starts[g]; q < starts[g + 1]; q++) acc += e[q] * xs[off + order[q]];
            col[g] = acc / Sg[g];
          }
          st.means.set(off, col);
        }
        M.set(col, (at + a) * G);
      }
    };
    fill(offsA, mA, 0);
    if (!same) fill(offsB, mB, mA);
    // Σ_g d_g m_{ga}m_{gb}: a weighted cross product over the groups, on the row-dot kernel.
    const second = new Float64Array(mA * mB);
    weightedCross(
      M,
      Int32Array.from({ length: mA }, (_, a) => a * G),
      mA,
      Int32Array.from({ length: mB }, (_, b) => (same ? b : mA + b) * G),
      mB,
      G,
      dg,
      second,
    );
    for (let k = 0; k < mA * mB; k++) out[k] -= second[k];
  }

  override blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void {
    this.exactBlock(xs, offs, m, offs, m, out, this.at);
  }

  override setReference(): void {
    this.ref.e.set(this.at.e);
    this.ref.Sg.set(this.at.Sg);
    this.ref.diag.set(this.at.diag);
    this.ref.means = new Map(this.at.means);
  }

  override entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    _clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    _clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    this.exactBlock(xs, offsA, mA, offsB, mB, out, this.ref);
  }

  evaluate(eta: Float64Array): number {
    return this.lossAt(eta, null, 0, true);
  }

  lossAlong(eta: Float64Array, t: number): number {
    return this.lossAt(eta, this.step, t);
  }

  deviance(loss: number): number {
    return 2 * (loss - this.saturated);
  }

  interceptStart(): Float64Array {
    return Float64Array.of(0);
  }
}

/**
 * Checks survival data before any work: times finite and > 0 (or ≥ 0), status 0 or 1, at least
 * one event. Returns the message naming the first bad row (1-based), or null.
 */
export function checkSurvival(time: ArrayLike<number>, status: ArrayLike<number>): string | null {
  if (status.length !== time.length)
    return `option 'status': needs ${time.length} values (one per row), got ${status.length}`;
  let events = 0;
  for (let i = 0; i < time.length; i++) {
    if (!(Number.isFinite(time[i]) && time[i] >= 0))
      return `survival time ${time[i]} at row ${i + 1} must be a finite number ≥ 0`;
    if (status[i] !== 0 && status[i] !== 1)
      return `status ${status[i]} at row ${i + 1} must be 1 (event) or 0 (censored)`;
    events += status[i];
  }
  if (events === 0) return "no events (every status is 0): there is nothing to fit";
  return null;
}
