import type { GlmFamily } from "./family.js";

/**
 * Poisson regression with the log link: y ≥ 0 (counts), μ = e^η, ℓ(y, η) = e^η − yη,
 * variance μ, deviance 2[y log(y/μ) − (y − μ)] (y log y = 0 at y = 0). An offset carries the log
 * of the exposure.
 */
export const poisson: GlmFamily = {
  name: "poisson",
  loss(y, eta) {
    return Math.exp(eta) - y * eta;
  },
  mean(eta) {
    return Math.exp(eta);
  },
  evaluate(y, w, eta, mu, res) {
    let f = 0;
    for (let i = 0; i < eta.length; i++) {
      const m = Math.exp(eta[i]);
      mu[i] = m;
      res[i] = w[i] * (y[i] - m);
      f += w[i] * (m - y[i] * eta[i]);
    }
    return f;
  },
  variance(mu) {
    return mu;
  },
  deviance(y, mu) {
    return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  },
  link(mu) {
    return Math.log(mu);
  },
  checkResponse(y) {
    for (let i = 0; i < y.length; i++) {
      if (!(y[i] >= 0))
        return `poisson response must be ≥ 0 (a count), got ${y[i]} at row ${i + 1}`;
    }
    return null;
  },
};
