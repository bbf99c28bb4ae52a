import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cvPath,
  denseMatrix,
  elasticNetPath,
  gaussianStats,
  gaussianStatsCv,
  gaussianStatsPath,
  Random,
  type PathFit,
} from "../../src/index.js";
import { dense, diabetes } from "../helpers/fixtures.js";

const d = diabetes();
const X = denseMatrix(d.n, d.p, d.x);

/** Largest relative objective difference and coefficient difference, point by point. */
function agree(a: PathFit, b: PathFit, p: number) {
  assert.equal(a.lambda.length, b.lambda.length);
  let obj = 0;
  let coef = 0;
  for (let k = 0; k < a.lambda.length; k++) {
    assert.ok(Math.abs(a.lambda[k] - b.lambda[k]) <= 1e-12 * a.lambda[k]);
    obj = Math.max(obj, Math.abs(a.objective[k] - b.objective[k]) / b.objective[k]);
    const x = dense(p, a.beta[k]);
    const y = dense(p, b.beta[k]);
    for (let j = 0; j < p; j++) coef = Math.max(coef, Math.abs(x[j] - y[j]) / (1 + Math.abs(y[j])));
    assert.equal(a.df[k], b.df[k], `df at ${k}`);
  }
  return { obj, coef };
}

describe("the Gaussian path from sufficient statistics", () => {
  it("equals elasticNetPath on the rows: same λ grid, objective within 1e-9, same supports", () => {
    for (const options of [
      {},
      { alpha: 0.5 },
      { alpha: 1, intercept: false },
      { standardize: false },
    ]) {
      const rows = elasticNetPath(X, d.y, options);
      const stats = gaussianStatsPath(gaussianStats(X, d.y), options);
      const { obj, coef } = agree(stats, rows, d.p);
      assert.ok(obj < 1e-9, `objective ${obj} ${JSON.stringify(options)}`);
      assert.ok(coef < 1e-6, `coefficients ${coef}`);
      for (let k = 0; k < stats.lambda.length; k++)
        assert.ok(stats.kktMax[k] <= 1e-7 * stats.lambda[k] + 1e-12);
    }
  });

  it("columns of mean 10⁶ and sd 1 agree with the in-memory fit (shifted sums do not cancel)", () => {
    const rng = new Random(3);
    const n = 2000;
    const p = 5;
    const data = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) data[j * n + i] = 1e6 + rng.normal();
      y[i] = 1e6 + (data[i] - 1e6) - 0.5 * (data[n + i] - 1e6) + rng.normal();
    }
    const x = denseMatrix(n, p, data);
    const rows = elasticNetPath(x, y);
    // the shift is the first row, far from exact means: still exact
    const stats = gaussianStatsPath(gaussianStats(x, y));
    const { obj } = agree(stats, rows, p);
    assert.ok(obj < 1e-9, `objective ${obj}`);
  });

  it("exact K-fold CV from per-fold statistics equals cvPath with the same folds", async () => {
    const K = 5;
    const foldId = Int32Array.from({ length: d.n }, (_, i) => (i % K) + 1);
    const folds = Array.from({ length: K }, (_, f) =>
      gaussianStats(X, d.y, (i) => foldId[i] === f + 1, {
        x: X.data.filter((_, t) => t % d.n === 0),
        y: d.y[0],
      }),
    );
    const cv = gaussianStatsCv(folds);
    const ref = await cvPath(X, d.y, { family: "gaussian", foldId, workers: 0 });
    assert.equal(cv.lambda.length, ref.lambda.length);
    cv.lambda.forEach((l, k) => assert.ok(Math.abs(l - ref.lambda[k]) <= 1e-12 * l));
    for (let k = 0; k < cv.lambda.length; k++) {
      assert.ok(Math.abs(cv.cvm[k] - ref.cvm[k]) <= 1e-8 * ref.cvm[k], `cvm ${k}`);
      assert.ok(Math.abs(cv.cvsd[k] - ref.cvsd[k]) <= 1e-6 * ref.cvsd[k] + 1e-9, `cvsd ${k}`);
    }
    assert.equal(cv.indexMin, ref.indexMin);
    assert.equal(cv.index1se, ref.index1se);
  });
});
