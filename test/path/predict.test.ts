import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  coefAt,
  denseMatrix,
  denseToCsc,
  elasticNetPath,
  predict,
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
