import type { NewtonDatafit } from "../core/datafit.js";
import { DiagonalModel } from "./diagonal.js";
import type { GlmFamily } from "./family.js";
import { interceptStart, nullModelDeviance } from "./intercept.js";

/** Smallest IRLS weight relative to the observation weight (keeps the model well posed). */
const VMIN = 1e-10;

/**
 * A datafit of one linear predictor (K = 1): Gaussian, ½Σŵ(y − η)², or a GLM family's
 * Σŵℓ(y, η) (binomial, Poisson: canonical links, so r = ŵ(y − μ) and Hᵢ = ŵᵢV(μᵢ)), on the
 * diagonal model (diagonal.ts).
 */
export class SingleDatafit extends DiagonalModel implements NewtonDatafit {
  readonly nullDeviance: number;
  private readonly mu: Float64Array;
  private readonly saturated: number;

  constructor(
    private readonly family: GlmFamily | null,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
    private readonly offset: Float64Array,
    intercept: boolean,
  ) {
    super(y.length);
    const n = this.n;
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
