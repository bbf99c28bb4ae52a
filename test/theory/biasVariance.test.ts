import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { polynomialBiasVariance } from "../../src/index.js";

describe("bias–variance over λ: a degree-20 polynomial through 15 noisy points", () => {
  const lambdas = [0, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];
  const r = polynomialBiasVariance({ lambdas, reps: 400, seed: 4 });

  it("bias² + variance + σ² is the measured error on fresh noisy points (within 3%)", () => {
    for (const q of r)
      assert.ok(
        Math.abs(q.expected - q.measuredTestError) < 0.03 * q.measuredTestError,
        `λ = ${q.lambda}: ${q.expected} vs ${q.measuredTestError}`,
      );
  });

  it("without ridge the variance explodes; ridge trades it for bias; the best λ is in between", () => {
    const at = (l: number) => r[lambdas.indexOf(l)];
    assert.ok(at(0).variance > 1e4 * at(0.01).variance, "interpolating fit: huge variance");
    // (Below λ = 1e-3 the bias² estimate is swamped by the variance of the mean over 400 fits.)
    for (let k = 4; k < r.length; k++)
      assert.ok(r[k].bias2 > r[k - 1].bias2, `bias² rises at λ = ${lambdas[k]}`);
    const best = r.reduce((b, q) => (q.expected < b.expected ? q : b));
    assert.ok(best.lambda > 0 && best.lambda < 10, `best λ ${best.lambda}`);
    assert.ok(best.expected < 3 * best.noise, "within a small factor of the noise floor");
  });
});
