import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  coefAt,
  coefSetsAt,
  denseMatrix,
  denseToCsc,
  elasticNetPath,
  fit as fitPath,
  groupLassoPath,
  multinomialPath,
  nonconvexPath,
  predict,
  predictSets,
  Random,
  type PathCoefficients,
} from "../../src/index.js";
import { diabetes, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  lambda: number[];
  a0: number[];
  beta: number[][];
  interp: { s: number[]; a0: number[]; beta: number[][]; predict: number[][] };
}
const c = readFixture<{ cases: Case[] }>("glmnet-gaussian.json").cases[0];
const d = diabetes();

/** glmnet's own path as a PathCoefficients, so the interpolation rule is tested in isolation. */
const glmnetPath: PathCoefficients = {
  nFeatures: d.p,
  lambda: c.lambda,
  intercept: c.a0,
  beta: c.beta.map((b) => {
    const index = b.flatMap((v, j) => (v !== 0 ? [j] : []));
    return { index: Int32Array.from(index), value: Float64Array.from(index, (j) => b[j]) };
  }),
};

describe("coefAt and predict", () => {
  it("coefAt interpolates in λ exactly as glmnet's coef(fit, s, exact = FALSE)", () => {
    c.interp.s.forEach((s, k) => {
      const got = coefAt(glmnetPath, s);
      assert.ok(
        Math.abs(got.intercept - c.interp.a0[k]) <= 1e-9 * Math.abs(c.interp.a0[k]) + 1e-12,
        `s=${s}`,
      );
      for (let j = 0; j < d.p; j++)
        assert.ok(Math.abs(got.beta[j] - c.interp.beta[k][j]) <= 1e-9, `s=${s} j=${j}`);
    });
  });

  it("predict matches glmnet's predict(fit, newx, s) on new rows, dense and sparse", () => {
    const rows = 5;
    const x = new Float64Array(rows * d.p);
    for (let j = 0; j < d.p; j++) for (let i = 0; i < rows; i++) x[j * rows + i] = d.x[j * d.n + i];
    for (const m of [denseMatrix(rows, d.p, x), denseToCsc(denseMatrix(rows, d.p, x))]) {
      const pred = predict(glmnetPath, m, c.interp.s);
      // R returns the rows × s matrix column-major.
      c.interp.s.forEach((_, k) => {
        for (let i = 0; i < rows; i++) {
          const theirs = c.interp.predict[i][k];
          assert.ok(Math.abs(pred[k][i] - theirs) <= 1e-9 * Math.abs(theirs));
        }
      });
    }
  });

  it("at a path λ, predict gives that point's fitted values", () => {
    const fit = elasticNetPath(denseMatrix(d.n, d.p, d.x), d.y, { nLambda: 10 });
    const [eta] = predict(fit, denseMatrix(d.n, d.p, d.x), [fit.lambda[6]]);
    const { intercept, beta } = coefAt(fit, fit.lambda[6]);
    let e0 = intercept;
    for (let j = 0; j < d.p; j++) e0 += beta[j] * d.x[j * d.n];
    assert.ok(Math.abs(eta[0] - e0) < 1e-9);
    const r2 =
      1 -
      eta.reduce((s, v, i) => s + (d.y[i] - v) ** 2, 0) /
        d.y.reduce((s, v) => s + (v - 152.133) ** 2, 0);
    assert.ok(Math.abs(r2 - fit.devRatio[6]) < 1e-4);
  });

  it("refuses new data with the wrong number of columns", () => {
    assert.throws(() => predict(glmnetPath, denseMatrix(1, 3, new Float64Array(3))), /3 columns/);
  });
});

describe("coefAt, coefSetsAt, predict and predictSets on every kind of fitted path", () => {
  const rng = new Random(3);
  const n = 120;
  const p = 5;
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const m = denseMatrix(n, p, x);
  const labels = Float64Array.from({ length: n }, (_, i) =>
    x[i] + 0.5 * rng.normal() > 0.4 ? 2 : x[n + i] > 0 ? 1 : 0,
  );
  const yg = Float64Array.from({ length: n }, (_, i) => x[i] - 2 * x[2 * n + i] + rng.normal());
  /** β₀ + Xβ of row i, from dense coefficients. */
  const lin = (a0: number, beta: Float64Array, i: number) =>
    beta.reduce((u, b, j) => u + b * x[j * n + i], a0);

  it("one-set paths of every solver (MCP, group lasso, fit's ModelPath) take coefAt and predict", () => {
    const paths = [
      nonconvexPath(m, yg, { penalty: "mcp", nLambda: 12 }),
      groupLassoPath(m, yg, { groups: [0, 0, 1, 1, 2], nLambda: 12 }),
      fitPath(m, yg, { family: "gaussian", penalty: "scad", nLambda: 12 }),
    ];
    for (const path of paths) {
      const k = 7;
      const at = coefAt(path, path.lambda[k]);
      const [eta] = predict(path, m, [path.lambda[k]]);
      for (const i of [0, 17, 99])
        assert.ok(Math.abs(eta[i] - lin(at.intercept, at.beta, i)) < 1e-12);
      // At a path point, the point itself (no interpolation).
      const point =
        "coefficients" in path
          ? { a0: path.intercepts[k][0], b: path.coefficients[k][0] }
          : { a0: path.intercept[k], b: path.beta[k] };
      assert.equal(at.intercept, point.a0);
      point.b.index.forEach((j, t) => assert.equal(at.beta[j], point.b.value[t]));
    }
  });

  it("the multinomial's sets: coefSetsAt interpolates each class in λ, predictSets gives each class's scores", () => {
    const mp = multinomialPath(m, labels, { nLambda: 15 });
    const viaFit = fitPath(m, labels, { family: "multinomial", nLambda: 15 });
    const k = 9;
    const s = 0.3 * mp.lambda[k] + 0.7 * mp.lambda[k + 1];
    const frac = (mp.lambda[k] - s) / (mp.lambda[k] - mp.lambda[k + 1]);
    const at = coefSetsAt(mp, s);
    assert.equal(at.coefficients.length, 3);
    for (let c = 0; c < 3; c++) {
      const dense = (q: number) => {
        const b = new Float64Array(p);
        mp.beta[q][c].index.forEach((j, t) => (b[j] = mp.beta[q][c].value[t]));
        return b;
      };
      const lo = dense(k);
      const hi = dense(k + 1);
      for (let j = 0; j < p; j++)
        assert.ok(Math.abs(at.coefficients[c][j] - ((1 - frac) * lo[j] + frac * hi[j])) < 1e-15);
      const a0 = (1 - frac) * mp.intercept[k][c] + frac * mp.intercept[k + 1][c];
      assert.ok(Math.abs(at.intercepts[c] - a0) < 1e-15);
    }
    const [scores] = predictSets(mp, m, [s]);
    for (let c = 0; c < 3; c++)
      for (const i of [0, 50, 119])
        assert.ok(Math.abs(scores[c][i] - lin(at.intercepts[c], at.coefficients[c], i)) < 1e-12);
    // fit's ModelPath of the same problem gives the same sets.
    const other = coefSetsAt(viaFit, s);
    for (let c = 0; c < 3; c++)
      for (let j = 0; j < p; j++)
        assert.ok(Math.abs(other.coefficients[c][j] - at.coefficients[c][j]) < 1e-9);
  });

  it("coefAt and predict refuse a path of several sets, naming the functions that take it", () => {
    const mp = multinomialPath(m, labels, { nLambda: 5 });
    assert.throws(() => coefAt(mp, mp.lambda[2]), /3 coefficient sets.*coefSetsAt/);
    assert.throws(() => predict(mp, m), /3 coefficient sets.*predictSets/);
  });
});
