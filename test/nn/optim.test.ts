import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  proxSgdOptimizer,
  addDecayedWeights,
  scaleByLearningRate,
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  proxAdam,
  rmsprop,
  scaleByAdam,
  sgd,
  type Params,
  type Transform,
} from "../../src/index.js";
import { readFixture } from "../helpers/fixtures.js";

interface Fixture {
  meta: { torch: string };
  init: number[][];
  targets: number[][];
  weights: number[][];
  cases: {
    name: string;
    optimizer: string;
    options: Record<string, number | boolean | number[]>;
    clip: number | null;
    steps: number[][][];
  }[];
}
const fx = readFixture<Fixture>("torch-optim.json");

/** ∇ of Σ a(p − t)² + 0.1Σp⁴, computed here (PyTorch used autograd). */
function gradient(params: Params, out: Params) {
  params.forEach((p, k) => {
    for (let i = 0; i < p.length; i++)
      out[k][i] = 2 * fx.weights[k][i] * (p[i] - fx.targets[k][i]) + 0.4 * p[i] ** 3;
  });
}

function optimizerFor(c: Fixture["cases"][number]): Transform<unknown> {
  const o = c.options as Record<string, number & boolean & number[]>;
  const lr = o.lr;
  let opt: Transform<unknown>;
  switch (c.optimizer) {
    case "sgd":
      opt = sgd({
        lr,
        momentum: o.momentum,
        dampening: o.dampening,
        nesterov: o.nesterov,
        weightDecay: o.weight_decay,
      });
      break;
    case "adam":
      opt = adam({
        lr,
        b1: o.betas?.[0],
        b2: o.betas?.[1],
        eps: o.eps,
        weightDecay: o.weight_decay,
      });
      break;
    case "adamw":
      opt = adamw({
        lr,
        b1: o.betas?.[0],
        b2: o.betas?.[1],
        eps: o.eps,
        weightDecay: o.weight_decay ?? 0.01,
      });
      break;
    case "rmsprop":
      opt = rmsprop({
        lr,
        alpha: o.alpha,
        eps: o.eps,
        momentum: o.momentum,
        weightDecay: o.weight_decay,
      });
      break;
    case "adagrad":
      opt = adagrad({ lr });
      break;
    default:
      throw new Error(c.optimizer);
  }
  return c.clip !== null ? chain(clipByGlobalNorm(c.clip), opt) : opt;
}

describe(`optimizers match PyTorch ${fx.meta.torch} step by step (fixtures/torch-optim.json)`, () => {
  for (const c of fx.cases)
    it(`${c.name}: the same parameters after each of 20 steps (1e-10)`, () => {
      const params = fx.init.map((v) => Float64Array.from(v));
      const grads = params.map((p) => new Float64Array(p.length));
      const opt = optimizerFor(c);
      const state = opt.init(params);
      let worst = 0;
      for (let s = 0; s < 20; s++) {
        gradient(params, grads);
        opt.update(grads, state, params);
        applyUpdates(params, grads);
        params.forEach((p, k) =>
          p.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - c.steps[s][k][i])))),
        );
      }
      assert.ok(worst < 1e-10, `largest difference ${worst}`);
    });
});

describe("AdamW against Adam + L2: where the decay is divided by √v", () => {
  it("with a zero loss gradient, AdamW shrinks p by the factor 1 − lr·wd; Adam+L2 moves it by lr (sign-like)", () => {
    const p0 = Float64Array.of(10, -0.001);
    const run = (opt: Transform<unknown>) => {
      const params = [Float64Array.from(p0)];
      const state = opt.init(params);
      const u = [new Float64Array(2)]; // the loss gradient is zero
      opt.update(u, state, params);
      applyUpdates(params, u);
      return params[0];
    };
    const lr = 0.01;
    const wd = 0.1;
    const w = run(adamw({ lr, weightDecay: wd }));
    // Decoupled: p ← p − lr·wd·p, whatever the size of p.
    assert.ok(Math.abs(w[0] - 10 * (1 - lr * wd)) < 1e-12);
    assert.ok(Math.abs(w[1] + 0.001 * (1 - lr * wd)) < 1e-15);
    const l2 = run(adam({ lr, weightDecay: wd }));
    // Coupled: the decay wd·p is the gradient Adam normalizes by √v = |wd·p| at step 1, so every
    // weight moves by lr (up to ε), large or small: 10 → 9.99, −0.001 → +0.009.
    assert.ok(Math.abs(l2[0] - (10 - lr)) < 1e-9);
    assert.ok(Math.abs(l2[1] - (-0.001 + lr)) < 1e-6);
  });

  it("the chain order is the whole difference: decay before or after scaleByAdam", () => {
    const p = [Float64Array.of(3, -2)];
    const g = () => [Float64Array.of(0.5, 0.25)];
    const step = (opt: Transform<unknown>) => {
      const params = [Float64Array.from(p[0])];
      const s = opt.init(params);
      for (let t = 0; t < 5; t++) {
        const u = g();
        opt.update(u, s, params);
        applyUpdates(params, u);
      }
      return params[0];
    };
    const lr = 0.1;
    const decoupled = chain(scaleByAdam(), addDecayedWeights(0.2), scaleByLearningRate(lr));
    const coupled = chain(addDecayedWeights(0.2), scaleByAdam(), scaleByLearningRate(lr));
    assert.deepEqual(step(decoupled), step(adamw({ lr, weightDecay: 0.2 })));
    assert.deepEqual(step(coupled), step(adam({ lr, weightDecay: 0.2 })));
    assert.notDeepEqual(step(decoupled), step(coupled));
  });
});

describe("proximal Adam: exact zeros", () => {
  it("soft-thresholding after each Adam step leaves small weights exactly at zero; plain Adam does not", () => {
    // Loss ½Σ(p − t)² with small targets: the L1 prox holds the small ones at 0.
    const t = Float64Array.of(2, 0.01, -0.02, -3, 0.005);
    const run = (opt: Transform<unknown>) => {
      const params = [new Float64Array(5).fill(0.5)];
      const state = opt.init(params);
      const g = [new Float64Array(5)];
      for (let s = 0; s < 2000; s++) {
        for (let i = 0; i < 5; i++) g[0][i] = params[0][i] - t[i] + 0.1 * Math.sign(params[0][i]);
        opt.update(g, state, params);
        applyUpdates(params, g);
      }
      return params[0];
    };
    const prox = (() => {
      const params = [new Float64Array(5).fill(0.5)];
      const opt = proxAdam({ lr: 0.01, l1: 0.1 });
      const state = opt.init(params);
      const g = [new Float64Array(5)];
      for (let s = 0; s < 2000; s++) {
        for (let i = 0; i < 5; i++) g[0][i] = params[0][i] - t[i];
        opt.update(g, state, params);
        applyUpdates(params, g);
      }
      return params[0];
    })();
    assert.deepEqual([prox[1], prox[2], prox[4]], [0, 0, 0]);
    assert.ok(prox[0] > 1.5 && prox[3] < -2.5);
    const plain = run(adam({ lr: 0.01 }));
    assert.ok(
      Array.from(plain).every((v) => v !== 0),
      "Adam with L1 in the loss has no exact zero",
    );
  });

  it("proximal SGD with the group prox zeroes whole neurons (rows of a weight matrix)", () => {
    // Two neurons × three inputs; the loss pulls row 0 towards large targets, row 1 towards tiny ones.
    const target = Float64Array.of(2, -1, 1.5, 0.02, -0.01, 0.03);
    const params = [new Float64Array(6).fill(0.3)];
    const opt = proxSgdOptimizer({ lr: 0.1, group: 0.1, groupRows: [2] });
    const state = opt.init(params);
    const g = [new Float64Array(6)];
    for (let s = 0; s < 500; s++) {
      for (let i = 0; i < 6; i++) g[0][i] = params[0][i] - target[i];
      opt.update(g, state, params);
      applyUpdates(params, g);
    }
    assert.deepEqual(Array.from(params[0].subarray(3)), [0, 0, 0]);
    assert.ok(params[0].subarray(0, 3).every((v) => v !== 0));
  });
});
