import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DenseDesign, makeDesign } from "../../src/data/design.js";
import { denseMatrix, Random } from "../../src/index.js";

describe("a dense design's Gram columns", () => {
  it("equal x̃_kᵀx̃_j summed out, before and after the design forms its whole Gram matrix", () => {
    const rng = new Random(21);
    const n = 37;
    const p = 30;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
    const s = w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) w[i] /= s;
    const include = new Uint8Array(p).fill(1);
    include[4] = 0; // an excluded feature's entry stays untouched
    const design = makeDesign(denseMatrix(n, p, x), w, true, true, include);
    const col = new Float64Array(n);
    const cols = Array.from({ length: p }, (_, j) => {
      design.column(j, col);
      return col.slice();
    });
    const out = new Float64Array(p);
    // More columns than max(8, p/16): the later ones come from the whole matrix.
    for (let j = 0; j < p; j++) {
      if (!include[j]) continue;
      out.fill(-7);
      design.gramColumn(j, include, out, 0);
      for (let k = 0; k < p; k++) {
        if (!include[k]) {
          assert.equal(out[k], -7);
          continue;
        }
        let want = 0;
        for (let i = 0; i < n; i++) want += cols[k][i] * cols[j][i];
        assert.ok(Math.abs(out[k] - want) <= 1e-13, `column ${j}, entry ${k}: ${out[k]} vs ${want}`);
      }
    }
    design.release();
  });
});

describe("a dense design's standardized copy", () => {
  it("is √w·(x − c)/s with glmnet's moments, on WebAssembly and in JavaScript alike", () => {
    const rng = new Random(5);
    for (const n of [1, 2, 5, 37, 64]) {
      const p = 6;
      const x = Float64Array.from({ length: n * p }, () => rng.normal() * 3 + 2);
      for (let i = 0; i < n; i++) {
        x[1 * n + i] = 4; // constant
        x[2 * n + i] = 1e6 + 1e-6 * rng.normal(); // constant up to rounding: dropped
      }
      const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
      const s = w.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) w[i] /= s;
      for (const intercept of [true, false])
        for (const standardize of [true, false])
          for (const kernels of ["wasm", "js"] as const) {
            const include = new Uint8Array(p).fill(1);
            include[3] = 0; // excluded by the caller
            const d = new DenseDesign(denseMatrix(n, p, x), w, intercept, standardize, include, kernels);
            const col = new Float64Array(n);
            for (let j = 0; j < p; j++) {
              let m = 0;
              for (let i = 0; i < n; i++) m += w[i] * x[j * n + i];
              let v = 0;
              for (let i = 0; i < n; i++) v += w[i] * (x[j * n + i] - m) ** 2;
              const constant = j === 1 || j === 2 || n === 1;
              const what = `n ${n}, column ${j}, intercept ${intercept}, standardize ${standardize}, ${kernels}`;
              assert.equal(include[j], constant || j === 3 ? 0 : 1, what);
              const c = intercept ? m : 0;
              assert.ok(Math.abs(d.center[j] - c) <= 1e-14 * (1 + Math.abs(c)), what);
              const sc = standardize ? (constant ? 0 : Math.sqrt(v)) : 1;
              assert.ok(Math.abs(d.scale[j] - sc) <= 1e-13 * sc, `${what}: scale ${d.scale[j]} vs ${sc}`);
              d.column(j, col);
              let ss = 0;
              for (let i = 0; i < n; i++) {
                const want = include[j] ? (Math.sqrt(w[i]) * (x[j * n + i] - c)) / sc : 0;
                ss += want * want;
                assert.ok(Math.abs(col[i] - want) <= 1e-13 * (1 + Math.abs(want)), `${what}, row ${i}`);
              }
              assert.ok(Math.abs(d.xv[j] - ss) <= 1e-13 * (1 + ss), `${what}: xv`);
            }
            d.release();
          }
    }
  });
});

describe("a dense design's KKT screen (kernels.wat kktscan)", () => {
  it("lists, copies and marks as the plain loop does, in each mode", () => {
    const rng = new Random(8);
    const n = 7;
    const p = 53;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const w = new Float64Array(n).fill(1 / n);
    const include = new Uint8Array(p).fill(1);
    const design = new DenseDesign(denseMatrix(n, p, x), w, true, true, include);
    const pf = Float64Array.from({ length: p }, () => 0.5 + rng.uniform());
    const fused = design.fused(pf, new Float64Array(p).fill(-Infinity), new Float64Array(p).fill(Infinity));
    const kkt = fused?.kkt;
    assert.ok(fused && kkt, "WebAssembly available");
    for (const mode of [0, 1, 2] as const) {
      const inc = Uint8Array.from({ length: p }, () => (rng.uniform() < 0.9 ? 1 : 0));
      const inWs = Uint8Array.from(inc, (v) => (v && rng.uniform() < 0.2 ? 1 : 0));
      const fresh = Uint8Array.from({ length: p }, () => (rng.uniform() < 0.5 ? 1 : 0));
      const gRef = Float64Array.from({ length: p }, () => rng.normal());
      const norm = Float64Array.from({ length: p }, () => rng.uniform());
      const g = Float64Array.from({ length: p }, () => rng.normal());
      kkt.include.set(inc);
      kkt.inWs.set(inWs);
      kkt.fresh.set(fresh);
      kkt.gRef.set(gRef);
      kkt.norm.set(norm);
      fused.g.set(g);
      const delta = 0.3;
      const ab = 1.1;
      const got = kkt.scan(delta, ab, mode);
      // The plain loop (NaiveCd.kktCheck without a kernel).
      const list: number[] = [];
      let computed = 0;
      let outside = 0;
      for (let k = 0; k < p; k++) {
        if (!inc[k]) continue;
        if (mode === 1) {
          if (!fresh[k]) list.push(k);
          continue;
        }
        if (!inWs[k]) {
          outside++;
          if (mode === 0 && Math.abs(gRef[k]) + norm[k] * delta <= ab * pf[k]) {
            g[k] = gRef[k];
            fresh[k] = 0;
            continue;
          }
          computed++;
        }
        list.push(k);
      }
      assert.deepEqual(Array.from(fused.lists.subarray(2 * p, 2 * p + got.count)), list, `mode ${mode}`);
      if (mode !== 1) {
        assert.deepEqual([got.computed, got.outside], [computed, outside], `mode ${mode}`);
        assert.deepEqual(Array.from(fused.g), Array.from(g), `mode ${mode}: g`);
        assert.deepEqual(Array.from(kkt.fresh), Array.from(fresh), `mode ${mode}: fresh`);
      }
      if (mode === 0) assert.ok(computed > 0 && computed < outside, "some bounds hold and some fail");
    }
    design.release();
  });
});

describe("a non-finite value in X", () => {
  it("is refused before any work, naming its row and column, dense and sparse alike", async () => {
    const { elasticNetPath, glmPath, cscMatrix } = await import("../../src/index.js");
    const n = 5;
    const p = 3;
    const x = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k));
    const y = Float64Array.from({ length: n }, (_, i) => i % 2);
    for (const bad of [NaN, Infinity, -Infinity]) {
      x[2 * n + 3] = bad; // row 4, column 3
      const want = new RegExp(`X has a non-finite value \\(${bad}\\) at row 4, column 3`);
      assert.throws(() => elasticNetPath(denseMatrix(n, p, x), y), want);
      assert.throws(() => glmPath("binomial", denseMatrix(n, p, x), y), want);
      const colPtr = Int32Array.from({ length: p + 1 }, (_, j) => j * n);
      const rowIndex = Int32Array.from({ length: n * p }, (_, k) => k % n);
      assert.throws(() => elasticNetPath(cscMatrix(n, p, colPtr, rowIndex, x), y), want);
    }
    // A dense matrix built by hand with the wrong number of values.
    const short = { kind: "dense" as const, nRows: n, nCols: p, data: new Float64Array(n * p - 1) };
    assert.throws(() => elasticNetPath(short, y), /X's data has 14 values where 5 × 3 needs 15/);
  });
});
