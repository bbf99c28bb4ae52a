import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addL1Subgradient,
  applyUpdates,
  chain,
  cosineSchedule,
  keepPruned,
  linearWarmup,
  proxElasticNet,
  scaleByLayerwiseDecay,
  scaleByLearningRate,
  sgd,
  stepSchedule,
} from "../../src/index.js";

const close = (a: number, b: number, tol = 1e-15) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("schedules", () => {
  it("stepSchedule is PyTorch's StepLR: value·γ^⌊t/size⌋", () => {
    const s = stepSchedule(0.1, 3, 0.5);
    assert.deepEqual([0, 1, 2, 3, 5, 6].map(s), [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it("cosineSchedule runs from value to minValue over totalSteps and stays there", () => {
    const s = cosineSchedule(1, 10, 0.1);
    close(s(0), 1);
    close(s(5), 0.55);
    close(s(10), 0.1);
    close(s(25), 0.1);
  });
  it("linearWarmup ramps (t+1)/W then follows the inner schedule", () => {
    const s = linearWarmup(stepSchedule(1, 100, 0.1), 4);
    assert.deepEqual([0, 1, 2, 3, 4, 100].map(s), [0.25, 0.5, 0.75, 1, 1, 0.1]);
  });
  it("a schedule drives sgd's step: the same trajectory as the hand-written update", () => {
    const lr = cosineSchedule(0.2, 5);
    const p = [Float64Array.from([1, -2])];
    const opt = sgd({ lr });
    const st = opt.init(p);
    let w = [1, -2];
    for (let t = 0; t < 7; t++) {
      const g = [Float64Array.from(p[0], (v) => 2 * v)]; // ∇ of ‖w‖²
      opt.update(g, st, p);
      applyUpdates(p, g);
      w = w.map((v) => v - lr(t) * 2 * v);
    }
    close(p[0][0], w[0]);
    close(p[0][1], w[1]);
  });
});

describe("more transforms", () => {
  it("scaleByLayerwiseDecay scales each parameter's step by decay^(top − depth)", () => {
    const u = [Float64Array.from([1, 1]), Float64Array.from([1]), Float64Array.from([1])];
    const t = scaleByLayerwiseDecay(0.5, [1, 2, 3]);
    t.update(u, t.init(u), u);
    assert.deepEqual(
      u.map((a) => a[0]),
      [0.25, 0.5, 1],
    );
  });
  it("proxElasticNet is soft-thresholding then shrinkage by 1/(1 + lr·l2)", () => {
    const p = [Float64Array.from([1, -0.05, 0.3])];
    const u = [Float64Array.from([0, 0, 0])];
    const t = chain(scaleByLearningRate(0.1), proxElasticNet(1, 2, 0.1));
    t.update(u, t.init(p), p);
    applyUpdates(p, u);
    // threshold 0.1, shrink 1/1.2
    close(p[0][0], 0.9 / 1.2);
    assert.equal(p[0][1], 0);
    close(p[0][2], 0.2 / 1.2, 1e-15);
  });
  it("addL1Subgradient adds λ·sign(p) (0 at 0) on the masked parameters", () => {
    const p = [Float64Array.from([2, -3, 0]), Float64Array.from([5])];
    const u = [new Float64Array(3), new Float64Array(1)];
    const t = addL1Subgradient(0.5, [true, false]);
    t.update(u, t.init(p), p);
    assert.deepEqual(Array.from(u[0]), [0.5, -0.5, 0]);
    assert.deepEqual(Array.from(u[1]), [0]);
  });
  it("keepPruned holds pruned entries at exactly zero whatever the update", () => {
    const p = [Float64Array.from([0, 1, 0])];
    const u = [Float64Array.from([0.3, 0.3, -0.2])];
    const t = keepPruned([Uint8Array.from([0, 1, 0])]);
    t.update(u, t.init(p), p);
    applyUpdates(p, u);
    assert.deepEqual(Array.from(p[0]), [0, 1.3, 0]);
  });
});
