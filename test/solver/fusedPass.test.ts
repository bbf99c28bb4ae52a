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

describe("the naive solver's f32 KKT screen (kernels.wat demote, grads32)", () => {
  it("estimates each gradient within its stated bound", async () => {
    const { createHeap, passKernel } = await import("../../src/wasm/heap.js");
    const rng = new Random(4);
    const n = 37;
    const p = 9;
    const h = createHeap(n * p + Math.ceil((n * p) / 2) + n + p + p);
    const k = passKernel(h);
    assert.ok(k, "WebAssembly available");
    const f = h.f64;
    for (let i = 0; i < n * p; i++) f[i] = rng.normal() * 10 ** Math.floor(4 * rng.uniform() - 2);
    const r = n * p + Math.ceil((n * p) / 2);
    for (let i = 0; i < n; i++) f[r + i] = rng.normal();
    const g = r + n;
    const list = 2 * (g + p);
    for (let j = 0; j < p; j++) k.i32[list + j] = p - 1 - j;
    k.demote(0, 8 * n * p, n * p);
    const x32 = new Float32Array(f.buffer, 8 * n * p, n * p);
    for (let i = 0; i < n * p; i++) assert.equal(x32[i], Math.fround(f[i]));
    k.grads32(list, p, 8 * n * p, n, r, g);
    let rr = 0;
    for (let i = 0; i < n; i++) rr += f[r + i] ** 2;
    let widened = 0;
    for (let j = 0; j < p; j++) {
      let exact = 0;
      let xx = 0;
      for (let i = 0; i < n; i++) {
        exact += f[j * n + i] * f[r + i];
        xx += f[j * n + i] ** 2;
      }
      const bound = (2 ** -24 + n * 2 ** -52) * Math.sqrt(xx * rr);
      const err = Math.abs(f[g + j] - exact);
      assert.ok(err <= bound, `column ${j}: error ${err} above ${bound}`);
      if (err > 0) widened++;
    }
    assert.ok(widened > p / 2, `only ${widened} of ${p} estimates differ from the f64 sums`);
    h.release();
  });

  it("leaves the path as the f64 screen gives it, bit for bit, certificates included", () => {
    const { m, y } = data(100, 10_000, 0.3, 6);
    // Few, far apart λs: the working set misses features, so KKT checks find violators.
    const opts = { type: "naive" as const, lambda: [0.5, 0.2, 0.1, 0.05, 0.02] };
    let used = 0;
    const original = DenseDesign.prototype.fused;
    DenseDesign.prototype.fused = function (this: DenseDesign, ...a: Parameters<typeof original>) {
      const fp = original.apply(this, a);
      const kkt = fp?.kkt;
      if (!kkt?.grads32) return fp;
      const g32 = kkt.grads32;
      return { ...fp!, kkt: { ...kkt, grads32: (s: number, c: number) => (used++, g32(s, c)) } };
    };
    let f32: ReturnType<typeof elasticNetPath>;
    try {
      f32 = elasticNetPath(m, y, opts);
    } finally {
      DenseDesign.prototype.fused = original;
    }
    assert.ok(used >= 5, `the f32 screen ran ${used} times`);
    DenseDesign.prototype.fused = function (this: DenseDesign, ...a: Parameters<typeof original>) {
      const fp = original.apply(this, a);
      return fp?.kkt ? { ...fp, kkt: { ...fp.kkt, grads32: null } } : fp;
    };
    try {
      const exact = elasticNetPath(m, y, opts);
      assert.deepEqual(Array.from(f32.lambda), Array.from(exact.lambda));
      assert.deepEqual(Array.from(f32.kktMax), Array.from(exact.kktMax));
      assert.deepEqual(Array.from(f32.dualityGap), Array.from(exact.dualityGap));
      for (let k = 0; k < exact.lambda.length; k++)
        assert.deepEqual(Array.from(f32.beta[k].value), Array.from(exact.beta[k].value));
    } finally {
      DenseDesign.prototype.fused = original;
    }
  });
});
