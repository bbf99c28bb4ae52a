import type { NewtonDatafit } from "../core/datafit.js";
import { DiagonalModel } from "./diagonal.js";

/**
 * The Cox proportional-hazards datafit with Breslow's ties, as glmnet 4.1's coxnet: with ŵ the
 * observation weights normalized to sum 1, δ the event indicators and the risk sums
 * S(t) = Σ_{j: tⱼ ≥ t} ŵⱼ e^{ηⱼ},
 *
 *     f(η) = −Σᵢ ŵᵢ δᵢ ( ηᵢ − log S(tᵢ) ),
 *
 * −(1/n)·log partial likelihood for unit weights, up to a constant. No intercept (the partial
 * likelihood ignores a shift of η). −∂f/∂ηₖ = ŵₖδₖ − ŵₖe^{ηₖ}Aₖ with Aₖ = Σ_{i: tᵢ ≤ tₖ} ŵᵢδᵢ/S(tᵢ);
 * the model Hessian is the diagonal of the true one, hₖ = ŵₖe^{ηₖ}Aₖ − (ŵₖe^{ηₖ})²Bₖ with
 * Bₖ = Σ_{i: tᵢ ≤ tₖ} ŵᵢδᵢ/S(tᵢ)² (glmnet's approximation; the gradient is exact, so the
 * proximal-Newton fixed point is the exact optimum). Observations are visited in time order (sorted
 * once); tied times share one risk sum. Deviance 2(f − f_sat) with f_sat = Σ_g d_g log d_g over the
 * distinct event times g (d_g their weighted deaths): glmnet's saturated Breslow likelihood.
 */
export class CoxDatafit extends DiagonalModel implements NewtonDatafit {
  readonly nullDeviance: number;
  /** Observations in increasing time, and where each one's tie group ends (exclusive). */
  private readonly order: Int32Array;
  private readonly groupEnd: Int32Array;
  private readonly saturated: number;
  private readonly e: Float64Array;
  /** Sorted positions where the tie groups start. */
  private readonly starts: Int32Array;

  constructor(
    private readonly time: Float64Array,
    private readonly status: Float64Array,
    private readonly w: Float64Array,
    private readonly offset: Float64Array,
  ) {
    super(time.length);
    const n = this.n;
    this.e = new Float64Array(n);
    this.order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
    this.groupEnd = new Int32Array(n);
    for (let q = n - 1; q >= 0; q--)
      this.groupEnd[q] =
        q + 1 < n && time[this.order[q + 1]] === time[this.order[q]] ? this.groupEnd[q + 1] : q + 1;
    const starts: number[] = [];
    for (let q = 0; q < n; q = this.groupEnd[q]) starts.push(q);
    this.starts = Int32Array.from(starts);
    let sat = 0;
    for (let q = 0; q < n;) {
      const end = this.groupEnd[q];
      let d = 0;
      for (let t = q; t < end; t++) d += w[this.order[t]] * status[this.order[t]];
      if (d > 0) sat += d * Math.log(d);
      q = end;
    }
    this.saturated = sat;
    this.nullDeviance = this.deviance(this.lossAt(offset, null, 0));
  }

  /** f at η + t·dir (dir null: at η); with `keep`, r and h there. */
  private lossAt(eta: Float64Array, dir: Float64Array | null, t: number, keep = false): number {
    const { n, order, groupEnd, w, status, e } = this;
    let shift = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = dir ? eta[i] + t * dir[i] : eta[i];
      if (w[i] > 0 && v > shift) shift = v;
    }
    if (!Number.isFinite(shift)) shift = 0;
    let f = 0;
    for (let i = 0; i < n; i++) {
      const v = dir ? eta[i] + t * dir[i] : eta[i];
      e[i] = w[i] * Math.exp(v - shift);
      if (status[i] !== 0) f -= w[i] * status[i] * v;
    }
    // Risk sums from the latest time back; each tie group's deaths then use its sum.
    const S = this.riskSums();
    for (let q = 0; q < n;) {
      const end = groupEnd[q];
      let d = 0;
      for (let t2 = q; t2 < end; t2++) d += w[order[t2]] * status[order[t2]];
      if (d > 0) f += d * (Math.log(S[q]) + shift);
      q = end;
    }
    if (keep) {
      // A and B accumulate forward in time over the groups' deaths.
      const { r, h } = this;
      let A = 0;
      let B = 0;
      for (let q = 0; q < n;) {
        const end = groupEnd[q];
        let d = 0;
        for (let t2 = q; t2 < end; t2++) d += w[order[t2]] * status[order[t2]];
        if (d > 0) {
          A += d / S[q];
          B += d / (S[q] * S[q]);
        }
        for (let t2 = q; t2 < end; t2++) {
          const i = order[t2];
          r[i] = w[i] * status[i] - e[i] * A;
          h[i] = Math.max(e[i] * A - e[i] * e[i] * B, 0);
        }
        q = end;
      }
    }
    return f;
  }

  private sums = new Float64Array(0);

  /** S at each sorted position's tie group (from the current e), stored at the group's start. */
  private riskSums(): Float64Array {
    const { n, order, groupEnd, e } = this;
    if (this.sums.length !== n) this.sums = new Float64Array(n);
    const S = this.sums;
    const starts = this.starts;
    let acc = 0;
    for (let g = starts.length - 1; g >= 0; g--) {
      const q = starts[g];
      for (let t = q; t < groupEnd[q]; t++) acc += e[order[t]];
      S[q] = acc;
    }
    return S;
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
