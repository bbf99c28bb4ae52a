import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/index.js";
import { createHeap, passKernel } from "../../src/wasm/heap.js";

describe("dense kernels (WebAssembly SIMD and plain JS)", () => {
  const rng = new Random(42);
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 31, 100, 1001]) {
    it(`dot and axpy agree with a direct loop for n = ${n}`, () => {
      const wasm = createHeap(3 * n + 3, "wasm");
      const js = createHeap(3 * n + 3, "js");
      for (let i = 0; i < wasm.f64.length; i++) wasm.f64[i] = js.f64[i] = rng.normal();
      // offsets 1 and n + 2 exercise unaligned-to-16-bytes starts
      const a = 1;
      const b = n + 2;
      let direct = 0;
      for (let i = 0; i < n; i++) direct += wasm.f64[a + i] * wasm.f64[b + i];
      const tol = 1e-13 * (n + 1);
      assert.ok(Math.abs(wasm.dot(a, b, n) - direct) <= tol);
      assert.ok(Math.abs(js.dot(a, b, n) - direct) <= tol);
      const expect = Array.from({ length: n }, (_, i) => wasm.f64[b + i] - 0.37 * wasm.f64[a + i]);
      wasm.axpy(a, b, 0.37, n);
      js.axpy(a, b, 0.37, n);
      for (let i = 0; i < n; i++) {
        assert.equal(wasm.f64[b + i], expect[i]);
        assert.equal(js.f64[b + i], expect[i]);
      }
      // nothing past the end is touched
      assert.equal(wasm.f64[b + n], js.f64[b + n]);
    });
  }

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [8, 4],
    [9, 7],
    [100, 13],
    [0, 3],
  ]) {
    it(`rowdots (one vector against ${count} columns of length ${n}) agrees with dot`, () => {
      const heap = createHeap(n * (count + 1) + count + 2, "wasm");
      const kernel = passKernel(heap)!;
      for (let i = 0; i < n * (count + 1); i++) heap.f64[i] = rng.normal();
      const out = n * (count + 1) + 1;
      heap.f64[out + count] = 12345;
      kernel.rowdots(0, n, count, n, out);
      for (let k = 0; k < count; k++) {
        let direct = 0;
        for (let i = 0; i < n; i++) direct += heap.f64[i] * heap.f64[n + k * n + i];
        assert.ok(Math.abs(heap.f64[out + k] - direct) <= 1e-13 * (n + 1), `column ${k}`);
      }
      assert.equal(heap.f64[out + count], 12345, "nothing past the end is written");
    });
  }

  it("uses WebAssembly on this runtime", () => {
    assert.equal(createHeap(4).constructor.name, "WasmHeap");
  });
});
