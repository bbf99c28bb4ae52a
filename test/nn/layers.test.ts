import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Activation,
  BatchNorm,
  bceWithLogitsLoss,
  Dense,
  Dropout,
  LayerNorm,
  mseLoss,
  Random,
  Sequential,
  softmaxCrossEntropyLoss,
} from "../../src/index.js";
import { readFixture } from "../helpers/fixtures.js";

interface Fixture {
  meta: { torch: string };
  batch: number;
  inputs: number;
  classes: number;
  labels: number[];
  params: number[][];
  steps: {
    x: number[];
    out: number[];
    loss: number;
    grads: number[][];
    runningMean: number[];
    runningVar: number[];
  }[];
  eval: { x: number[]; out: number[] };
  mse: { pred: number[]; target: number[]; loss: number; grad: number[] };
  bce: { logits: number[]; target: number[]; loss: number; grad: number[] };
}
const fx = readFixture<Fixture>("torch-layers.json");
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe(`layers and losses match PyTorch ${fx.meta.torch} (fixtures/torch-layers.json, Float64)`, () => {
  const rng = new Random(1);
  const model = new Sequential([
    new Dense(5, 8, rng),
    new BatchNorm(8),
    new Activation("gelu", 8),
    new Dense(8, 6, rng),
    new LayerNorm(6),
    new Activation("tanh", 6),
    new Dense(6, 4, rng),
    new Activation("sigmoid", 4),
    new Dense(4, 3, rng),
  ]);
  model.params.forEach((p, k) => p.set(fx.params[k]));
  const bn = model.layers[1] as BatchNorm;

  it("training mode: outputs, label-smoothed loss, every gradient and the running statistics, 3 steps", () => {
    const grad = new Float64Array(fx.batch * fx.classes);
    for (const s of fx.steps) {
      model.zeroGrad();
      const out = model.forward(Float64Array.from(s.x), fx.batch, true);
      assert.ok(maxDiff(out, s.out) < 1e-12, `outputs ${maxDiff(out, s.out)}`);
      const loss = softmaxCrossEntropyLoss(out, fx.labels, fx.classes, grad, 0.1);
      assert.ok(Math.abs(loss - s.loss) < 1e-13, `loss ${loss} vs ${s.loss}`);
      model.backward(grad, fx.batch);
      model.grads.forEach((g, k) =>
        assert.ok(maxDiff(g, s.grads[k]) < 1e-12, `gradient ${k}: ${maxDiff(g, s.grads[k])}`),
      );
      assert.ok(maxDiff(bn.runningMean, s.runningMean) < 1e-13);
      assert.ok(maxDiff(bn.runningVar, s.runningVar) < 1e-13, "unbiased running variance");
    }
  });

  it("Float32 layers with the same parameters agree with PyTorch's Float64 values to float32 precision", () => {
    const r = new Random(1);
    const m32 = new Sequential([
      new Dense(5, 8, r, "torch", 512, "float32"),
      new BatchNorm(8, 0.1, 1e-5, "float32"),
      new Activation("gelu", 8, "float32"),
      new Dense(8, 6, r, "torch", 512, "float32"),
      new LayerNorm(6, 1e-5, "float32"),
      new Activation("tanh", 6, "float32"),
      new Dense(6, 4, r, "torch", 512, "float32"),
      new Activation("sigmoid", 4, "float32"),
      new Dense(4, 3, r, "torch", 512, "float32"),
    ]);
    m32.params.forEach((p, k) => {
      assert.ok(p instanceof Float32Array);
      p.set(fx.params[k]);
    });
    const s = fx.steps[0];
    m32.zeroGrad();
    const out = m32.forward(Float32Array.from(s.x), fx.batch, true);
    assert.ok(out instanceof Float32Array);
    assert.ok(maxDiff(out, s.out) < 1e-5, `outputs ${maxDiff(out, s.out)}`);
    const grad = new Float32Array(fx.batch * fx.classes);
    softmaxCrossEntropyLoss(out, fx.labels, fx.classes, grad, 0.1);
    m32.backward(grad, fx.batch);
    m32.grads.forEach((g, k) => {
      const scale = Math.max(1, ...s.grads[k].map(Math.abs));
      assert.ok(maxDiff(g, s.grads[k]) < 1e-5 * scale, `gradient ${k}: ${maxDiff(g, s.grads[k])}`);
    });
  });

  it("evaluation mode: batch norm uses its running statistics", () => {
    const out = model.forward(Float64Array.from(fx.eval.x), fx.batch, false);
    assert.ok(maxDiff(out, fx.eval.out) < 1e-12, `${maxDiff(out, fx.eval.out)}`);
  });

  it("MSE and BCE-with-logits: values and gradients", () => {
    const g = new Float64Array(fx.mse.pred.length);
    assert.ok(
      Math.abs(mseLoss(Float64Array.from(fx.mse.pred), fx.mse.target, g) - fx.mse.loss) < 1e-14,
    );
    assert.ok(maxDiff(g, fx.mse.grad) < 1e-15);
    const gb = new Float64Array(fx.bce.logits.length);
    assert.ok(
      Math.abs(
        bceWithLogitsLoss(Float64Array.from(fx.bce.logits), fx.bce.target, gb) - fx.bce.loss,
      ) < 1e-14,
    );
    assert.ok(maxDiff(gb, fx.bce.grad) < 1e-15);
  });
});

describe("dropout", () => {
  it("inverted and standard dropout have the training expectation of evaluation", () => {
    const n = 200000;
    const x = new Float64Array(n).fill(2);
    for (const mode of ["inverted", "standard"] as const) {
      const d = new Dropout(0.3, 1, new Random(5), mode);
      // (A copy: layers reuse their output buffers.)
      const train = Float64Array.from(d.forward(x, n, true));
      const mean = train.reduce((s, v) => s + v, 0) / n;
      const evalOut = d.forward(x, n, false)[0];
      // Expected training output: 2 (inverted: kept × 1/0.7) or 1.4 (standard); evaluation gives
      // the same: identity (inverted) or ×0.7 (standard).
      assert.ok(
        Math.abs(mean - evalOut) <
          4 * Math.sqrt(((0.3 / 0.7) * 4) / n) * (mode === "inverted" ? 1 : 0.7),
      );
      // Inverted: kept units are scaled by exactly 1/(1 − p); standard: left as they are.
      const kept = Array.from(train).filter((v) => v !== 0);
      const expect = mode === "inverted" ? 2 / 0.7 : 2;
      assert.ok(kept.every((v) => Math.abs(v - expect) < 1e-15 * expect));
      assert.ok(Math.abs(kept.length / n - 0.7) < 0.01);
    }
  });
});
