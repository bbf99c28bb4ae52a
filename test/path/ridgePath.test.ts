import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc, elasticNetPath, Random, ridgePath } from "../../src/index.js";
import { dense, diabetes, objective, readFixture } from "../helpers/fixtures.js";

const d = diabetes();
const X = denseMatrix(d.n, d.p, d.x);

function simulated(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i] - x[n + i] + rng.normal());
  return { x, y };
}

describe("ridgePath (exact, one eigen-decomposition)", () => {
  it("equals coordinate descent at α = 0 on diabetes (p ≤ n, Gram route)", () => {
    const pf = [1, 2, 1, 0.5, 1, 1, 3, 1, 1, 1];
    const ridge = ridgePath(X, d.y, { penaltyFactor: pf });
    const cd = elasticNetPath(X, d.y, {
      alpha: 0,
      penaltyFactor: pf,
      lambda: ridge.lambda,
      thresh: 1e-15,
    });
    for (let k = 0; k < ridge.lambda.length; k++) {
      assert.ok(
        Math.abs(ridge.objective[k] - cd.objective[k]) <= 1e-9 * cd.objective[k],
        `#${k + 1}`,
      );
      assert.ok(ridge.objective[k] <= cd.objective[k] * (1 + 1e-12));
    }
  });

  it("equals coordinate descent at α = 0 when p > n (kernel route), dense and sparse alike", () => {
    const n = 40;
    const p = 90;
    const { x, y } = simulated(n, p, 3);
    const ridge = ridgePath(denseMatrix(n, p, x), y, { nLambda: 30 });
    const sparse = ridgePath(denseToCsc(denseMatrix(n, p, x)), y, { nLambda: 30 });
    const cd = elasticNetPath(denseMatrix(n, p, x), y, {
      alpha: 0,
      lambda: ridge.lambda,
      thresh: 1e-15,
    });
    for (let k = 0; k < ridge.lambda.length; k++) {
      assert.ok(
        Math.abs(ridge.objective[k] - cd.objective[k]) <= 1e-9 * cd.objective[k],
        `#${k + 1}`,
      );
      assert.ok(Math.abs(ridge.objective[k] - sparse.objective[k]) <= 1e-10 * ridge.objective[k]);
      assert.ok(ridge.kktMax[k] <= 1e-9 * ridge.lambda[0]);
    }
  });

  it("is at least as good as glmnet's ridge path (fixture, standardized y)", () => {
    const { cases } = readFixture<{
      cases: { name: string; y: number[]; lambda: number[]; a0: number[]; beta: number[][] }[];
    }>("glmnet-gaussian.json");
    const c = cases.find((k) => k.name.startsWith("diabetes ridge"))!;
    const fit = ridgePath(X, c.y, { lambda: c.lambda });
    for (let k = 0; k < c.lambda.length; k++) {
      const ours = objective(
        d.x,
        c.y,
        d.n,
        d.p,
        { alpha: 0 },
        c.lambda[k],
        fit.intercept[k],
        dense(d.p, fit.beta[k]),
      );
      const theirs = objective(d.x, c.y, d.n, d.p, { alpha: 0 }, c.lambda[k], c.a0[k], c.beta[k]);
      assert.ok(ours <= theirs * (1 + 1e-7), `#${k + 1}: ${ours} vs ${theirs}`);
    }
  });

  it("leave-one-out error equals brute-force refits without each row", () => {
    const n = 25;
    const p = 6;
    const { x, y } = simulated(n, p, 11);
    const m = denseMatrix(n, p, x);
    const fit = ridgePath(m, y, { standardize: false, nLambda: 8 });
    for (const k of [1, 4, 7]) {
      const lam = fit.lambda[k];
      let loo = 0;
      for (let i = 0; i < n; i++) {
        const w = new Float64Array(n).fill(1);
        w[i] = 0;
        // Dropping a row turns the 1/n loss weight into 1/(n−1): rescale λ to keep the problem.
        const f = elasticNetPath(m, y, {
          alpha: 0,
          standardize: false,
          weights: w,
          lambda: [(lam * n) / (n - 1)],
          thresh: 1e-16,
        });
        let pred = f.intercept[0];
        const b = dense(p, f.beta[0]);
        for (let j = 0; j < p; j++) pred += x[j * n + i] * b[j];
        loo += (y[i] - pred) ** 2 / n;
      }
      assert.ok(
        Math.abs(fit.cv.loo[k] - loo) <= 1e-7 * loo,
        `λ #${k + 1}: ${fit.cv.loo[k]} vs ${loo}`,
      );
    }
  });

  it("degrees of freedom fall from rank + 1 toward 1 and λ choices lie on the grid", () => {
    const fit = ridgePath(X, d.y, { lambda: [1e6, 1e3, 1, 1e-3, 1e-9] });
    assert.ok(Math.abs(fit.cv.dof[fit.lambda.length - 1] - (d.p + 1)) < 1e-3);
    assert.ok(fit.cv.dof[0] < 1.1);
    assert.ok(fit.lambda.includes(fit.cv.lambdaLoo));
    assert.ok(fit.lambda.includes(fit.cv.lambdaGcv));
  });

  it("refuses what it cannot solve exactly", () => {
    assert.throws(
      () => ridgePath(X, d.y, { penaltyFactor: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] }),
      /factors > 0/,
    );
    assert.throws(() => ridgePath(X, d.y, { lambda: [1, 0] }), /λ > 0/);
  });
});
