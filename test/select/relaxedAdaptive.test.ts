import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adaptiveLasso, denseMatrix, elasticNetPath, relaxedFit } from "../../src/index.js";
import { dataset } from "../helpers/fixtures.js";
import { ols } from "../helpers/ols.js";

describe("relaxedFit and adaptiveLasso", () => {
  const { x, y, n, p } = dataset("diabetes");
  const m = denseMatrix(n, p, x);
  const fit = elasticNetPath(m, y);

  it("relaxed γ = 1 is the lasso and γ = 0 the least-squares refit on each active set", () => {
    const r = relaxedFit(fit, m, y, { gamma: [0, 0.5, 1] });
    for (const k of [5, 20, 40, fit.lambda.length - 1]) {
      assert.deepEqual(Array.from(r.beta[2][k].value), Array.from(fit.beta[k].value));
      const truth = ols(x, y, n, Array.from(fit.beta[k].index));
      assert.ok(Math.abs(r.intercept[0][k] - truth[0]) < 1e-8 * Math.abs(truth[0]));
      r.beta[0][k].value.forEach((v, t) =>
        assert.ok(Math.abs(v - truth[t + 1]) < 1e-8 * (1 + Math.abs(truth[t + 1])), `λ #${k}`),
      );
      r.beta[1][k].value.forEach((v, t) =>
        assert.ok(Math.abs(v - 0.5 * (fit.beta[k].value[t] + r.beta[0][k].value[t])) < 1e-12),
      );
    }
  });

  it("the adaptive lasso is the lasso with factors 1/|s_j β̂_j|^γ from the initial ridge fit", () => {
    const a = adaptiveLasso(m, y, { gamma: 1 });
    const ridge = elasticNetPath(m, y, { alpha: 0 });
    const last = ridge.beta[ridge.lambda.length - 1];
    for (let t = 0; t < last.index.length; t++) {
      const j = last.index[t];
      const want = 1 / Math.abs(last.value[t] * ridge.scale[j]);
      assert.ok(Math.abs(a.penaltyFactor[j] - want) < 1e-9 * want);
    }
    const same = elasticNetPath(m, y, { penaltyFactor: a.penaltyFactor });
    assert.deepEqual(Array.from(same.lambda), Array.from(a.lambda));
    assert.deepEqual(Array.from(same.beta[30].value), Array.from(a.beta[30].value));
    // Weak initial coefficients are penalized more: the smallest-|β̂| feature enters last.
    const order = [...a.penaltyFactor.keys()].sort(
      (u, v) => a.penaltyFactor[u] - a.penaltyFactor[v],
    );
    const entry = (j: number) => a.beta.findIndex((b) => Array.from(b.index).includes(j));
    assert.ok(entry(order[0]) <= entry(order[order.length - 1]));
  });
});
