import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc, elasticNetPath, Random, type PathFit } from "../../src/index.js";
import { dense, diabetes, objective } from "../helpers/fixtures.js";

const d = diabetes();
const X = denseMatrix(d.n, d.p, d.x);

function maxCoefDiff(a: PathFit, b: PathFit, p: number): number {
  let m = 0;
  for (let k = 0; k < a.lambda.length; k++) {
    const x = dense(p, a.beta[k]);
    const y = dense(p, b.beta[k]);
    for (let j = 0; j < p; j++) m = Math.max(m, Math.abs(x[j] - y[j]));
    m = Math.max(m, Math.abs(a.intercept[k] - b.intercept[k]));
  }
  return m;
}

describe("elasticNetPath identities", () => {
  it("λ ≥ λmax gives all coefficients exactly zero and the intercept ȳ", () => {
    const fit = elasticNetPath(X, d.y);
    const lmax = fit.lambda[0];
    const at = elasticNetPath(X, d.y, { lambda: [lmax * 1.5, lmax, lmax * (1 - 1e-9)] });
    assert.equal(at.df[0], 0);
    assert.equal(at.df[1], 0);
    const ybar = d.y.reduce((a, b) => a + b, 0) / d.n;
    assert.ok(Math.abs(at.intercept[0] - ybar) < 1e-9);
    // just below λmax exactly one feature enters
    assert.equal(at.df[2], 1);
  });

  it("α = 1 (elastic net code path) equals the lasso given by default", () => {
    const lasso = elasticNetPath(X, d.y);
    const enet = elasticNetPath(X, d.y, { alpha: 1, lambda: lasso.lambda });
    assert.equal(maxCoefDiff(lasso, enet, d.p), 0);
  });

  it("sparse (CSC) and dense inputs give the same path", () => {
    const rng = new Random(7);
    const rnd = () => rng.normal();
    const n = 150;
    const p = 60;
    const x = new Float64Array(n * p);
    for (let k = 0; k < x.length; k++) x[k] = Math.abs(rnd()) > 1.2 ? rnd() : 0;
    const y = Float64Array.from({ length: n }, (_, i) => x[i] - 2 * x[3 * n + i] + rnd());
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3));
    for (const intercept of [true, false]) {
      for (const type of ["naive", "covariance"] as const) {
        const opts = { alpha: 0.7, weights: w, intercept, type, thresh: 1e-14 };
        const a = elasticNetPath(denseMatrix(n, p, x), y, opts);
        const b = elasticNetPath(denseToCsc(denseMatrix(n, p, x)), y, {
          ...opts,
          lambda: a.lambda,
        });
        assert.ok(maxCoefDiff(a, b, p) < 1e-8, `intercept=${intercept} ${type}`);
      }
    }
  });

  it("covariance and naive updates reach the same objective", () => {
    const a = elasticNetPath(X, d.y, { type: "covariance", alpha: 0.5, thresh: 1e-14 });
    const b = elasticNetPath(X, d.y, {
      type: "naive",
      alpha: 0.5,
      lambda: a.lambda,
      thresh: 1e-14,
    });
    for (let k = 0; k < a.lambda.length; k++) {
      assert.ok(Math.abs(a.objective[k] - b.objective[k]) <= 1e-11 * a.objective[k]);
    }
  });

  it("each point reports its KKT violation and duality gap, both small at a tight threshold", () => {
    const fit = elasticNetPath(X, d.y, { thresh: 1e-14 });
    for (let k = 0; k < fit.lambda.length; k++) {
      assert.ok(fit.kktMax[k] <= 1e-6 * fit.lambda[0], `kkt ${fit.kktMax[k]} at #${k + 1}`);
      assert.ok(
        fit.dualityGap[k] <= 1e-6 * fit.objective[k],
        `gap ${fit.dualityGap[k]} at #${k + 1}`,
      );
    }
  });

  it("the duality gap bounds the distance to a far more accurate solution", () => {
    const loose = elasticNetPath(X, d.y, { thresh: 1e-5 });
    const tight = elasticNetPath(X, d.y, { thresh: 1e-15, lambda: loose.lambda });
    for (let k = 0; k < loose.lambda.length; k++) {
      const sub = loose.objective[k] - tight.objective[k];
      assert.ok(sub <= loose.dualityGap[k] + 1e-9 * tight.objective[k], `#${k + 1}`);
    }
  });

  it("the reported objective is the documented objective (with weights, no standardization)", () => {
    const w = Float64Array.from({ length: d.n }, (_, i) => 1 + (i % 5));
    const fit = elasticNetPath(X, d.y, { alpha: 0.3, weights: w, standardize: false, nLambda: 20 });
    for (let k = 0; k < fit.lambda.length; k++) {
      const f = objective(
        d.x,
        d.y,
        d.n,
        d.p,
        { alpha: 0.3, weights: w, standardize: false },
        fit.lambda[k],
        fit.intercept[k],
        dense(d.p, fit.beta[k]),
      );
      assert.ok(Math.abs(f - fit.objective[k]) <= 1e-9 * f);
    }
  });

  it("constant columns are dropped and get coefficient zero", () => {
    const x = new Float64Array(d.x.length + d.n);
    x.set(d.x);
    x.fill(3.5, d.x.length);
    const fit = elasticNetPath(denseMatrix(d.n, d.p + 1, x), d.y);
    for (const b of fit.beta) assert.ok(!Array.from(b.index).includes(d.p));
  });

  it("dfMax ends the path once more features than allowed are non-zero", () => {
    const fit = elasticNetPath(X, d.y, { dfMax: 3 });
    assert.ok(fit.df[fit.df.length - 1] > 3);
    assert.ok(fit.df[fit.df.length - 2] <= 3);
  });

  it("bad inputs are refused before any work, naming the problem", () => {
    assert.throws(() => elasticNetPath(X, d.y, { alpha: 1.5 }), /option 'alpha'/);
    assert.throws(() => elasticNetPath(X, d.y.slice(1)), /y has 441 values/);
    assert.throws(() => elasticNetPath(X, d.y, { weights: [1, 2] }), /option 'weights'/);
    assert.throws(() => elasticNetPath(X, d.y, { penaltyFactor: [1, 2, 3] }), /penaltyFactor/);
    assert.throws(() => elasticNetPath(X, d.y, { lowerLimits: 1 }), /lowerLimits/);
    assert.throws(() => elasticNetPath(X, new Float64Array(d.n).fill(2)), /y is constant/);
    const y = Float64Array.from(d.y);
    y[5] = NaN;
    assert.throws(() => elasticNetPath(X, y), /row 6/);
  });
});
