import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bayesianLasso,
  denseMatrix,
  elasticNetPath,
  gammaDraw,
  inverseGaussian,
  logPosterior,
  priorScale,
  Random,
} from "../../src/index.js";
import { dataset } from "../helpers/fixtures.js";
import { ols } from "../helpers/ols.js";

describe("Bayesian views of the lasso", () => {
  const { x, y, n, p } = dataset("diabetes");
  const X = denseMatrix(n, p, x);

  it("samplers: Gamma and inverse-Gaussian draws have their distributions' means and variances", () => {
    const rng = new Random(3);
    for (const [shape, rate] of [
      [0.5, 2],
      [3, 0.7],
    ]) {
      const v = Array.from({ length: 200000 }, () => gammaDraw(rng, shape, rate));
      const m = v.reduce((s, t) => s + t, 0) / v.length;
      const varr = v.reduce((s, t) => s + (t - m) ** 2, 0) / v.length;
      assert.ok(
        Math.abs(m - shape / rate) <
          0.01 * (shape / rate) + 4 * Math.sqrt(shape / rate ** 2 / v.length),
      );
      assert.ok(Math.abs(varr / (shape / rate ** 2) - 1) < 0.03);
    }
    for (const [mu, lam] of [
      [1, 2],
      [1e6, 3],
    ]) {
      const v = Array.from({ length: 200000 }, () => inverseGaussian(rng, mu, lam));
      assert.ok(v.every((t) => t > 0 && Number.isFinite(t)));
      const m = v.reduce((s, t) => s + t, 0) / v.length;
      // Var = μ³/λ: at μ = 1e6 the mean is too noisy to test; the draws must still be valid.
      if (mu === 1) assert.ok(Math.abs(m - mu) < 4 * Math.sqrt(mu ** 3 / lam / v.length));
    }
  });

  it("with a vanishing prior (λ_B → 0) the posterior mean is least squares", () => {
    const r = bayesianLasso(X, y, { lambda: 1e-4, draws: 20000, burnIn: 500, seed: 7 });
    const b = ols(
      x,
      y,
      n,
      Array.from({ length: p }, (_, j) => j),
    );
    for (let j = 0; j < p; j++)
      assert.ok(
        Math.abs(r.mean[j] - b[j + 1]) < 5 * r.mcse[j] + 1e-3 * r.sd[j],
        `β${j}: ${r.mean[j]} vs ${b[j + 1]} (mcse ${r.mcse[j]})`,
      );
  });

  it("posterior means match a long reference run within Monte Carlo error", () => {
    const reference = bayesianLasso(X, y, { draws: 60000, burnIn: 2000, seed: 101 });
    const short = bayesianLasso(X, y, { draws: 10000, burnIn: 1000, seed: 5 });
    for (let j = 0; j < p; j++) {
      const err = Math.hypot(reference.mcse[j], short.mcse[j]);
      assert.ok(
        Math.abs(reference.mean[j] - short.mean[j]) < 5 * err,
        `β${j}: ${short.mean[j]} vs ${reference.mean[j]} (MC error ${err})`,
      );
      assert.ok(
        reference.lower95[j] < reference.median[j] && reference.median[j] < reference.upper95[j],
      );
    }
    // The Bayesian lasso shrinks: its posterior means lie between 0 and least squares on average.
    const b = ols(
      x,
      y,
      n,
      Array.from({ length: p }, (_, j) => j),
    );
    const shrink =
      reference.mean.reduce((s, v) => s + Math.abs(v), 0) /
      b.slice(1).reduce((s, v) => s + Math.abs(v), 0);
    assert.ok(shrink < 1, `‖mean‖₁ / ‖OLS‖₁ = ${shrink}`);
  });

  it("the lasso is the posterior mode under a Laplace prior of scale b = σ²/(nλ)", () => {
    const lam = 0.5;
    const fit = elasticNetPath(X, y, { lambda: [lam], standardize: false });
    const beta = new Float64Array(p);
    fit.beta[0].index.forEach((j, t) => (beta[j] = fit.beta[0].value[t]));
    const sigma2 = 3000;
    const b = priorScale("laplace", lam, sigma2, n);
    const at = (a0: number, bb: Float64Array) => logPosterior("laplace", X, y, a0, bb, sigma2, b);
    const best = at(fit.intercept[0], beta);
    const rng = new Random(9);
    for (let t = 0; t < 300; t++) {
      const moved = Float64Array.from(beta);
      const j = t % p;
      moved[j] += (rng.uniform() - 0.5) * 0.2;
      assert.ok(at(fit.intercept[0], moved) <= best + 1e-9 * Math.abs(best), `move of β${j}`);
    }
    assert.ok(at(fit.intercept[0] + 0.05, beta) < best);
  });
});
