import { DiagonalModel } from "./diagonal.js";
import { LINKS, type Link, type LinkName } from "./links.js";
import type { NewtonDatafit } from "../core/datafit.js";

/** The GLM families with a choice of link (glmnet 4's `family = <family object>`). */
export const LINK_FAMILIES = [
  "gaussian",
  "binomial",
  "poisson",
  "gamma",
  "inverse-gaussian",
  "negative-binomial",
] as const;
export type LinkFamilyName = (typeof LINK_FAMILIES)[number];

/**
 * The canonical link of the families that have a datafit of their own (null: the family is
 * fitted through its link whatever the link).
 */
export const CANONICAL_LINK: Record<LinkFamilyName, "identity" | "logit" | "log" | null> = {
  gaussian: "identity",
  binomial: "logit",
  poisson: "log",
  gamma: null,
  "inverse-gaussian": null,
  "negative-binomial": null,
};

/**
 * An exponential-family distribution as R's family objects describe it: the variance function
 * V(μ), the unit deviance d(y, μ), which means and responses it takes, its links (the first is
 * R's default) and the canonical one.
 */
export interface Distribution {
  readonly name: LinkFamilyName;
  readonly links: LinkName[];
  readonly canonical: LinkName;
  variance(mu: number): number;
  /** V'(μ). */
  dVariance(mu: number): number;
  deviance(y: number, mu: number): number;
  validMu(mu: number): boolean;
  /** A message for a response outside the family's support (row 1-based), or null. */
  checkResponse(y: ArrayLike<number>): string | null;
}

const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));
const positive = (mu: number) => mu > 0 && Number.isFinite(mu);
const check =
  (ok: (y: number) => boolean, what: string, family: string) =>
  (y: ArrayLike<number>): string | null => {
    for (let i = 0; i < y.length; i++)
      if (!ok(y[i])) return `${family} response must be ${what}, got ${y[i]} at row ${i + 1}`;
    return null;
  };

/** The distributions, with θ for the negative binomial (V = μ + μ²/θ, as MASS::negative.binomial). */
export function distribution(name: LinkFamilyName, theta = NaN): Distribution {
  switch (name) {
    case "gaussian":
      return {
        name,
        links: ["identity", "log", "inverse"],
        canonical: "identity",
        variance: () => 1,
        dVariance: () => 0,
        deviance: (y, mu) => (y - mu) ** 2,
        validMu: Number.isFinite,
        checkResponse: check(Number.isFinite, "a finite number", name),
      };
    case "binomial":
      return {
        name,
        links: ["logit", "probit", "cloglog", "log"],
        canonical: "logit",
        variance: (mu) => mu * (1 - mu),
        dVariance: (mu) => 1 - 2 * mu,
        deviance: (y, mu) => 2 * (xlogy(y, y / mu) + xlogy(1 - y, (1 - y) / (1 - mu))),
        validMu: (mu) => mu > 0 && mu < 1,
        checkResponse: check((y) => y >= 0 && y <= 1, "0 or 1 (or a proportion in [0, 1])", name),
      };
    case "poisson":
      return {
        name,
        links: ["log", "identity", "sqrt"],
        canonical: "log",
        variance: (mu) => mu,
        dVariance: () => 1,
        deviance: (y, mu) => 2 * (xlogy(y, y / mu) - (y - mu)),
        validMu: positive,
        checkResponse: check((y) => y >= 0, "≥ 0 (a count)", name),
      };
    case "gamma":
      return {
        name,
        links: ["inverse", "identity", "log"],
        canonical: "inverse",
        variance: (mu) => mu * mu,
        dVariance: (mu) => 2 * mu,
        deviance: (y, mu) => -2 * (Math.log(y / mu) - (y - mu) / mu),
        validMu: positive,
        checkResponse: check((y) => y > 0, "> 0", name),
      };
    case "inverse-gaussian":
      return {
        name,
        links: ["inverse-squared", "inverse", "identity", "log"],
        canonical: "inverse-squared",
        variance: (mu) => mu * mu * mu,
        dVariance: (mu) => 3 * mu * mu,
        deviance: (y, mu) => (y - mu) ** 2 / (y * mu * mu),
        validMu: positive,
        checkResponse: check((y) => y > 0, "> 0", name),
      };
    case "negative-binomial":
      if (!(theta > 0) || !Number.isFinite(theta))
        throw new RangeError("the negative binomial needs θ > 0");
      return {
        name,
        links: ["log", "sqrt", "identity"],
        canonical: "log",
        variance: (mu) => mu + (mu * mu) / theta,
        dVariance: (mu) => 1 + (2 * mu) / theta,
        deviance: (y, mu) =>
          2 * (xlogy(y, y / mu) - (y + theta) * Math.log((y + theta) / (mu + theta))),
        validMu: positive,
        checkResponse: check((y) => y >= 0, "≥ 0 (a count)", name),
      };
  }
}

/** Smallest IRLS weight relative to the observation weight (keeps the model well posed). */
const VMIN = 1e-10;

/**
 * A GLM datafit for any distribution and link (glmnet 4's family objects): half the weighted
 * deviance, f(η) = ½ Σᵢ ŵᵢ d(yᵢ, g⁻¹(ηᵢ + oᵢ)) — glmnet's (1/2n)·deviance — with the exact
 * gradient −∂f/∂ηᵢ = ŵᵢ(yᵢ − μᵢ)μ'(ηᵢ)/V(μᵢ) and Fisher scoring's curvature ŵᵢμ'(ηᵢ)²/V(μᵢ)
 * (the IRLS weights; exact for canonical links). The proximal-Newton fixed point is the exact
 * optimum either way. Linear predictors outside the link's domain, or means outside the
 * family's, have an infinite loss, so the line search steps back from them.
 */
export class LinkDatafit extends DiagonalModel implements NewtonDatafit {
  readonly nullDeviance: number;
  private readonly link: Link;

  constructor(
    private readonly dist: Distribution,
    linkName: LinkName,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
    private readonly offset: Float64Array,
    intercept: boolean,
  ) {
    super(y.length);
    this.link = LINKS[linkName];
    this.nullDeviance = 2 * this.lossAt(this.nullEta(intercept), null, 0);
  }

  /** η of the intercept-only model (offsets kept): μ = the weighted mean without offsets. */
  private nullEta(intercept: boolean): Float64Array {
    const { n, y, w, offset, link } = this;
    const eta = Float64Array.from(offset);
    if (!intercept) return eta;
    let b0 = link.link(this.weightedMean());
    for (let it = 0; it < 100; it++) {
      // Fisher scoring on b0 alone.
      let g = 0;
      let h = 0;
      for (let i = 0; i < n; i++) {
        const e = b0 + offset[i];
        const mu = link.inverse(e);
        const d = link.derivative(e);
        const v = Math.max(this.dist.variance(mu), VMIN);
        g += (w[i] * (y[i] - mu) * d) / v;
        h += (w[i] * d * d) / v;
      }
      const step = g / h;
      b0 += step;
      if (!(Math.abs(step) > 1e-14 * (1 + Math.abs(b0)))) break;
    }
    for (let i = 0; i < n; i++) eta[i] += b0;
    return eta;
  }

  private weightedMean(): number {
    let m = 0;
    for (let i = 0; i < this.n; i++) m += this.w[i] * this.y[i];
    return m;
  }

  /** f at η + t·dir (dir null: at η), with r and h there when `keep`. */
  private lossAt(eta: Float64Array, dir: Float64Array | null, t: number, keep = false): number {
    const { n, y, w, link, dist, r, h } = this;
    let f = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) {
        if (keep) r[i] = h[i] = 0;
        continue;
      }
      const e = dir ? eta[i] + t * dir[i] : eta[i];
      const mu = link.inverse(e);
      if (!link.validEta(e) || !dist.validMu(mu)) return Infinity;
      f += w[i] * dist.deviance(y[i], mu);
      if (keep) {
        // The exact curvature μ'²/V − (y − μ)(μ''/V − μ'²V'/V²) where it is at least a tenth
        // of Fisher's μ'²/V (quadratic convergence where the loss is convex enough), else that
        // tenth (the loss of a non-canonical link need not be convex in η).
        const d = link.derivative(e);
        const v = Math.max(dist.variance(mu), VMIN);
        const fisher = (d * d) / v;
        const exact =
          fisher - (y[i] - mu) * (link.second(e) / v - (fisher * dist.dVariance(mu)) / v);
        r[i] = (w[i] * (y[i] - mu) * d) / v;
        h[i] = w[i] * Math.max(exact, 0.1 * fisher);
      }
    }
    return f / 2;
  }

  evaluate(eta: Float64Array): number {
    return this.lossAt(eta, null, 0, true);
  }

  lossAlong(eta: Float64Array, t: number): number {
    return this.lossAt(eta, this.step, t);
  }

  deviance(loss: number): number {
    return 2 * loss;
  }

  interceptStart(): Float64Array {
    const { n, offset } = this;
    let om = 0;
    for (let i = 0; i < n; i++) om += this.w[i] * offset[i];
    return Float64Array.of(this.link.link(this.weightedMean()) - om);
  }
}
