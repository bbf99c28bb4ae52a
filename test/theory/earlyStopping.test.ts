import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, earlyStoppingVsRidge } from "../../src/index.js";
import { dataset } from "../helpers/fixtures.js";

describe("early stopping as implicit L2 (gradient descent from zero against the ridge path)", () => {
  it("breast cancer: after T steps the iterate is near the ridge solution at λ ≈ 1/(ηT)", () => {
    const { x, y, n, p } = dataset("breast_cancer");
    const r = earlyStoppingVsRidge(denseMatrix(n, p, x), y, [10, 30, 100, 300, 1000, 3000, 10000]);
    let last = Infinity;
    for (const q of r.points) {
      const ratio = q.effectiveLambda / q.heuristicLambda;
      assert.ok(ratio > 0.25 && ratio < 1.5, `T = ${q.steps}: λ_eff / (1/ηT) = ${ratio}`);
      assert.ok(q.relativeDistance < 0.2, `T = ${q.steps}: distance ${q.relativeDistance}`);
      assert.ok(q.effectiveLambda < last, "more steps, less regularization");
      last = q.effectiveLambda;
    }
  });

  it("diabetes: the correspondence holds until gradient descent has reached least squares", () => {
    const { x, y, n, p } = dataset("diabetes");
    const r = earlyStoppingVsRidge(denseMatrix(n, p, x), y, [3, 10, 30, 100, 300, 30000]);
    for (const q of r.points.slice(0, 5)) {
      const ratio = q.effectiveLambda / q.heuristicLambda;
      assert.ok(ratio > 0.25 && ratio < 1.5, `T = ${q.steps}: ratio ${ratio}`);
    }
    // Past 1/(ηT) ≪ the smallest eigenvalue every direction has passed: the iterate is OLS.
    assert.ok(r.points[5].effectiveLambda < 1e-6 * r.points[5].heuristicLambda);
    assert.ok(r.points[5].relativeDistance < 1e-6);
  });

  it("refuses a step that diverges, naming the option", () => {
    const { x, y, n, p } = dataset("diabetes");
    assert.throws(
      () => earlyStoppingVsRidge(denseMatrix(n, p, x), y, [10], { step: 100 }),
      /'step'/,
    );
  });
});
