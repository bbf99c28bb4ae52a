import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/random.js";
import { cscMatrix, elasticNetPath } from "../../src/index.js";
import { NEWTON_MAX_ACTIVE } from "../../src/solver/gaussianCd.js";

// A sparse Gaussian lasso path whose active set outgrows the compact Newton form (text-sized
// paths reach thousands of active features; the compact Gram and its factor grow as na² and na³,
// and such a path once ran for an hour). Past NEWTON_MAX_ACTIVE the naive solver converges the
// active set by coordinate descent; every point is checked here by brute force: the stationarity
// conditions of ½n⁻¹‖y − a₀ − Xβ‖² + λ‖β‖₁ computed from the stored non-zeros.

describe("sparse Gaussian path with a large active set", () => {
  it("passes NEWTON_MAX_ACTIVE active features and satisfies KKT at every point", () => {
    const n = 1300;
    const p = 2500;
    const rng = new Random(7);
    const colPtr = new Int32Array(p + 1);
    const rows: number[] = [];
    const vals: number[] = [];
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < n; i++)
        if (rng.uniform() < 0.02) {
          rows.push(i);
          vals.push(1 + Math.floor(3 * rng.uniform()));
        }
      colPtr[j + 1] = rows.length;
    }
    const x = cscMatrix(n, p, colPtr, Int32Array.from(rows), Float64Array.from(vals));
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = rng.normal();
    for (let k = colPtr[0]; k < colPtr[1]; k++) y[rows[k]] += vals[k];

    const fit = elasticNetPath(x, y, { standardize: false, thresh: 1e-13 });
    assert.deepEqual(fit.warnings, []);
    const maxDf = Math.max(...fit.df);
    assert.ok(maxDf > NEWTON_MAX_ACTIVE, `largest active set ${maxDf}`);

    const r = new Float64Array(n);
    for (const m of [0, 20, 60, fit.lambda.length - 1]) {
      const lam = fit.lambda[m];
      const beta = new Float64Array(p);
      const { index, value } = fit.beta[m];
      for (let t = 0; t < index.length; t++) beta[index[t]] = value[t];
      for (let i = 0; i < n; i++) r[i] = y[i] - fit.intercept[m];
      for (let j = 0; j < p; j++)
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) r[rows[k]] -= vals[k] * beta[j];
      let meanR = 0;
      for (let i = 0; i < n; i++) meanR += r[i] / n;
      assert.ok(Math.abs(meanR) < 1e-10 * lam, `intercept condition at λ #${m + 1}: ${meanR}`);
      let worst = 0;
      for (let j = 0; j < p; j++) {
        let g = 0;
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) g += vals[k] * r[rows[k]];
        g /= n;
        const v =
          beta[j] === 0 ? Math.max(0, Math.abs(g) - lam) : Math.abs(g - lam * Math.sign(beta[j]));
        worst = Math.max(worst, v);
      }
      // Past the compact form, points are as exact as glmnet's rule on coordinate moves
      // (xv·Δb² < thresh × null deviance) makes them; the certificate must say so truthfully.
      assert.ok(worst < 1e-3 * lam, `KKT at λ #${m + 1}: ${worst / lam}·λ`);
      assert.ok(Math.abs(fit.kktMax[m] - worst) < 1e-9 * lam, `certificate at λ #${m + 1}`);
    }
  });
});
