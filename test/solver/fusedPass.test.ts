import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DenseDesign } from "../../src/data/design.js";
import { denseMatrix, elasticNetPath, Random } from "../../src/index.js";

function data(n: number, p: number, rho: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  const shared = Float64Array.from({ length: n }, () => rng.normal());
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++)
      x[j * n + i] = Math.sqrt(1 - rho) * rng.normal() + Math.sqrt(rho) * shared[i];
  }
  const y = Float64Array.from(
    { length: n },
    (_, i) => x[i] - x[n + i] + 0.5 * x[2 * n + i] + rng.normal(),
  );
  return { m: denseMatrix(n, p, x), y };
}

describe("the fused WebAssembly pass", () => {
  for (const [rho, alpha, limits] of [
    [0, 1, false],
    [0.9, 0.5, false],
    [0.5, 1, true],
  ] as const) {
    it(`gives the same path, bit for bit, as the per-coordinate loop (ρ = ${rho}, α = ${alpha}${limits ? ", limits" : ""})`, () => {
      const { m, y } = data(60, 300, rho, 5);
      const opts = {
        alpha,
        type: "naive" as const,
        ...(limits ? { lowerLimits: -0.2, upperLimits: 0.5 } : {}),
      };
      const fused = elasticNetPath(m, y, opts);
      const original = DenseDesign.prototype.fused;
      DenseDesign.prototype.fused = () => null;
      try {
        const plain = elasticNetPath(m, y, opts);
        assert.deepEqual(Array.from(fused.lambda), Array.from(plain.lambda));
        for (let k = 0; k < fused.lambda.length; k++) {
          assert.deepEqual(Array.from(fused.beta[k].index), Array.from(plain.beta[k].index));
          assert.deepEqual(Array.from(fused.beta[k].value), Array.from(plain.beta[k].value));
        }
      } finally {
        DenseDesign.prototype.fused = original;
      }
    });
  }
});

describe("the compact covariance pass (kernels.wat cpass)", () => {
  for (const newton of [false, true]) {
    it(`gives the same path, bit for bit, as its plain-JS twin (ρ = 0.9, α = 0.7, limits, ${newton ? "Newton steps" : "coordinate descent only"})`, async () => {
      const { CompactActiveSet } = await import("../../src/solver/compactActiveSet.js");
      const { m, y } = data(400, 40, 0.9, 8);
      const opts = {
        alpha: 0.7,
        type: "covariance" as const,
        lowerLimits: -0.5,
        upperLimits: 0.8,
        newton,
      };
      const wasm = elasticNetPath(m, y, opts);
      const proto = CompactActiveSet.prototype as unknown as {
        grow(na: number, row: unknown): void;
      };
      const grow = proto.grow;
      let hooked = 0;
      proto.grow = function (this: { kernel: unknown }, na: number, row: unknown) {
        grow.call(this, na, row);
        this.kernel = null;
        hooked++;
      };
      try {
        const plain = elasticNetPath(m, y, opts);
        assert.ok(hooked > 0, "the plain-JS pass was not exercised");
        assert.ok(plain.passes > (newton ? 20 : 100));
        for (let k = 0; k < wasm.lambda.length; k++) {
          assert.deepEqual(Array.from(wasm.beta[k].value), Array.from(plain.beta[k].value));
        }
      } finally {
        proto.grow = grow;
      }
    });
  }
});
