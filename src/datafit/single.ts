import type { NewtonDatafit } from "../core/datafit.js";
import { weightedCross, weightedGram } from "../wasm/gram.js";
import type { GlmFamily } from "./family.js";
import { interceptStart, nullModelDeviance } from "./intercept.js";

/** Smallest IRLS weight relative to the observation weight (keeps the model well posed). */
const VMIN = 1e-10;

/**
 * A datafit of one linear predictor (K = 1): Gaussian, ½Σŵ(y − η)², or a GLM family's
 * Σŵℓ(y, η) (binomial, Poisson: canonical links, so r = ŵ(y − μ) and Hᵢ = ŵᵢV(μᵢ)). The model
 * keeps the step z; [Hz]ᵢ = hᵢzᵢ.
 */
export class SingleDatafit implements NewtonDatafit {
  readonly K = 1;
  readonly n: number;
  readonly r: Float64Array;
  readonly step: Float64Array;
  readonly nullDeviance: number;
  private readonly h: Float64Array;
  private readonly mu: Float64Array;
  private readonly saturated: number;

  constructor(
    private readonly family: GlmFamily | null,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
    private readonly offset: Float64Array,
    intercept: boolean,
  ) {
    const n = (this.n = y.length);
    this.r = new Float64Array(n);
    this.step = new Float64Array(n);
    this.h = new Float64Array(n);
    this.mu = new Float64Array(n);
    if (!family) {
      this.saturated = 0;
      let mean = 0;
      if (intercept) for (let i = 0; i < n; i++) mean += w[i] * (y[i] - offset[i]);
      let d = 0;
      for (let i = 0; i < n; i++) d += w[i] * (y[i] - offset[i] - mean) ** 2;
      this.nullDeviance = d;
      return;
    }
    // The saturated loss, from the identity loss − ½·deviance at any η.
    const eta = Float64Array.from(offset);
    const f = this.evaluateRaw(eta);
    let dev = 0;
    for (let i = 0; i < n; i++) dev += w[i] * family.deviance(y[i], this.mu[i]);
    this.saturated = f - dev / 2;
    this.nullDeviance = nullModelDeviance(family, y, w, offset, intercept);
  }

  private evaluateRaw(eta: Float64Array): number {
    const { family, y, w, r, h, mu, n } = this;
    if (!family) {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const e = y[i] - eta[i];
        r[i] = w[i] * e;
        h[i] = w[i];
        f += w[i] * e * e;
      }
      return f / 2;
    }
    const f = family.evaluate(y, w, eta, mu, r);
    for (let i = 0; i < n; i++) h[i] = w[i] * Math.max(family.variance(mu[i]), VMIN);
    return f;
  }

  evaluate(eta: Float64Array): number {
    return this.evaluateRaw(eta);
  }

  lossAlong(eta: Float64Array, t: number): number {
    const { family, y, w, step, n } = this;
    let f = 0;
    if (!family) {
      for (let i = 0; i < n; i++) f += w[i] * (y[i] - eta[i] - t * step[i]) ** 2;
      return f / 2;
    }
    for (let i = 0; i < n; i++) if (w[i] !== 0) f += w[i] * family.loss(y[i], eta[i] + t * step[i]);
    return f;
  }

  acceptAlong(): number | null {
    return null;
  }

  curvature(xs: Float64Array, off: number): number {
    const { n, h } = this;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[off + i];
      s += x * x * h[i];
    }
    return s;
  }

  modelGradient(xs: Float64Array, off: number): number {
    const { n, r, h, step } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[off + i] * (r[i] - h[i] * step[i]);
    return s;
  }

  move(xs: Float64Array, off: number, _c: number, delta: number): void {
    const { n, step } = this;
    for (let i = 0; i < n; i++) step[i] += delta * xs[off + i];
  }

  stepSet(): void {
    // The step is all the model keeps.
  }

  stepCurvature(): number {
    const { n, h, step } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += h[i] * step[i] * step[i];
    return s / 2;
  }

  resetStep(): void {
    this.step.fill(0);
  }

  entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    _cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    this.blockHessian(xs, offs, m, out);
  }

  private refH: Float64Array | null = null;

  setReference(): void {
    (this.refH ??= new Float64Array(this.n)).set(this.h);
  }

  entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    _clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    _clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    weightedCross(xs, offsA, mA, offsB, mB, this.n, this.refH as Float64Array, out);
  }

  blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void {
    weightedGram(xs, offs, m, this.n, this.h, out);
  }

  deviance(loss: number): number {
    return 2 * (loss - this.saturated);
  }

  interceptStart(): Float64Array {
    const { family, y, w, offset } = this;
    if (!family) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += w[i] * (y[i] - offset[i]);
      return Float64Array.of(s);
    }
    return Float64Array.of(interceptStart(family, y, w, offset));
  }
}
