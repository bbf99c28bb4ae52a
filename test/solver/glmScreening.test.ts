import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, glmPath, Random } from "../../src/index.js";

/**
 * The GLM solver skips the gradient products of features a safe bound clears (GlmCd `bound`), so
 * the certificate it reports rests on that bound. Checked here against the truth: the gradient of
 * every feature recomputed from the returned coefficients and the raw data.
 */
describe("safe screening of the binomial KKT check", () => {
  for (const [alpha, rho] of [
    [1, 0],
    [1, 0.9],
    [0.5, 0.5],
  ]) {
    it(`the reported KKT violation is the true one, from every feature's exact gradient (n = 60, p = 800, α = ${alpha}, ρ = ${rho})`, () => {
      const n = 60;
      const p = 800;
      const rng = new Random(31);
      const shared = Float64Array.from({ length: n }, () => rng.normal());
      const x = new Float64Array(n * p);
      for (let j = 0; j < p; j++)
        for (let i = 0; i < n; i++)
          x[j * n + i] = Math.sqrt(1 - rho) * rng.normal() + Math.sqrt(rho) * shared[i];
      const y = Float64Array.from({ length: n }, (_, i) => {
        let e = 0;
        for (let j = 0; j < 8; j++) e += ((j % 2 ? 1 : -1) * x[j * n + i]) / 2;
        return rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
      });
      const fit = glmPath("binomial", denseMatrix(n, p, x), y, { alpha });
      // Column means and population standard deviations (glmnet's standardization).
      const mean = new Float64Array(p);
      const sd = new Float64Array(p);
      for (let j = 0; j < p; j++) {
        for (let i = 0; i < n; i++) mean[j] += x[j * n + i] / n;
        for (let i = 0; i < n; i++) sd[j] += (x[j * n + i] - mean[j]) ** 2 / n;
        sd[j] = Math.sqrt(sd[j]);
      }
      const eta = new Float64Array(n);
      for (let k = 0; k < fit.lambda.length; k++) {
        eta.fill(fit.intercept[k]);
        const b = new Float64Array(p);
        fit.beta[k].index.forEach((j, t) => (b[j] = fit.beta[k].value[t]));
        for (let j = 0; j < p; j++)
          if (b[j] !== 0) for (let i = 0; i < n; i++) eta[i] += b[j] * x[j * n + i];
        const r = Float64Array.from(eta, (e, i) => (y[i] - 1 / (1 + Math.exp(-e))) / n);
        const lam = fit.lambda[k];
        let kkt = Math.abs(r.reduce((a, v) => a + v, 0)); // the intercept's
        for (let j = 0; j < p; j++) {
          // gradient of the standardized feature; subgradient distance of the elastic net
          let g = 0;
          for (let i = 0; i < n; i++) g += ((x[j * n + i] - mean[j]) / sd[j]) * r[i];
          const bs = b[j] * sd[j];
          const v =
            bs === 0
              ? Math.max(Math.abs(g) - lam * alpha, 0)
              : Math.abs(g - Math.sign(bs) * lam * alpha - lam * (1 - alpha) * bs);
          kkt = Math.max(kkt, v);
        }
        assert.ok(kkt <= 1e-6 * lam, `λ #${k + 1}: true KKT violation ${kkt / lam}·λ`);
        assert.ok(
          Math.abs(kkt - fit.kktMax[k]) <= 1e-12,
          `λ #${k + 1}: reported ${fit.kktMax[k]} vs true ${kkt}`,
        );
        const gap = fit.dualityGap[k];
        assert.ok(gap >= 0 && gap < 1e-7 * fit.objective[k], `λ #${k + 1}: duality gap ${gap}`);
      }
    });
  }
});
