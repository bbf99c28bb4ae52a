import type { GlmFamily } from "./family.js";

/** Fitted probabilities are kept in [PMIN, 1 − PMIN], as glmnet does (its `pmin`, 1e-9). */
const PMIN = 1e-9;

/**
 * Logistic regression: y ∈ {0, 1}, μ = 1 / (1 + e^−η), ℓ(y, η) = log(1 + e^η) − yη
 * (computed without overflow), variance μ(1 − μ), deviance −2[y log μ + (1 − y) log(1 − μ)].
 */
export const binomial: GlmFamily = {
  name: "binomial",
  loss(y, eta) {
    // log(1 + e^η) = max(η, 0) + log(1 + e^−|η|)
    return Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - y * eta;
  },
  mean(eta) {
    const mu = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
    return mu < PMIN ? PMIN : mu > 1 - PMIN ? 1 - PMIN : mu;
  },
  evaluate(y, w, eta, mu, res) {
    let f = 0;
    for (let i = 0; i < eta.length; i++) {
      const e = eta[i];
      const t = Math.exp(-Math.abs(e));
      let m = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      m = m < PMIN ? PMIN : m > 1 - PMIN ? 1 - PMIN : m;
      mu[i] = m;
      res[i] = w[i] * (y[i] - m);
      f += w[i] * (Math.max(e, 0) + Math.log1p(t) - y[i] * e);
    }
    return f;
  },
  variance(mu) {
    return mu * (1 - mu);
  },
  deviance(y, mu) {
    let d = 0;
    if (y > 0) d -= y * Math.log(mu);
    if (y < 1) d -= (1 - y) * Math.log(1 - mu);
    return 2 * d;
  },
  link(mu) {
    return Math.log(mu / (1 - mu));
  },
  checkResponse(y) {
    for (let i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && y[i] <= 1)) {
        return `binomial response must be 0 or 1 (or a proportion in [0, 1]), got ${y[i]} at row ${i + 1}`;
      }
    }
    return null;
  },
};
