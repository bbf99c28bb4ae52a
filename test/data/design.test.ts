import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeDesign } from "../../src/data/design.js";
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
