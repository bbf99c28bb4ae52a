import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SparseDesign } from "../../src/data/design.js";
import { denseMatrix, denseToCsc } from "../../src/data/matrix.js";
import { NaiveCd } from "../../src/solver/gaussianCd.js";
import { Random } from "../../src/random.js";

// The sparse Gaussian design's fused pass on the WebAssembly kernels (kernels.wat spgpass,
// spggrads) against its JavaScript gradient and update: the same operations in the same order,
// so coordinate descent must give the same coefficients bit for bit along a path.

function solvers(newton: boolean) {
  const n = 257;
  const p = 380;
  const rng = new Random(11);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++)
      if (j !== 9 && (j === 1 || rng.uniform() < 0.05)) x[j * n + i] = rng.normal() + 2;
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  let sw = 0;
  for (const v of w) sw += v;
  for (let i = 0; i < n; i++) w[i] /= sw;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i] - 0.7 * x[3 * n + i] + 0.5 * x[8 * n + i] + rng.normal();
  let ym = 0;
  for (let i = 0; i < n; i++) ym += w[i] * y[i];
  const yTilde = Float64Array.from(y, (v, i) => Math.sqrt(w[i]) * (v - ym));
  const csc = denseToCsc(denseMatrix(n, p, x));
  const make = (kernels: "wasm" | "js") => {
    const include = new Uint8Array(p).fill(1);
    const design = new SparseDesign(csc, w, true, true, include, kernels);
    design.resetResidual(yTilde);
    return {
      design,
      cd: new NaiveCd({
        design,
        include,
        pf: Float64Array.from({ length: p }, (_, j) => (j === 5 ? 0 : 1)),
        lower: new Float64Array(p).fill(-0.8),
        upper: new Float64Array(p).fill(Infinity),
        alpha: 0.9,
        yTilde,
        thr: 1e-13,
        maxPasses: 100000,
        pMax: p,
        newton,
      }),
    };
  };
  return [make("js"), make("wasm")];
}

describe("the sparse Gaussian design's WebAssembly pass", () => {
  for (const newton of [false, true])
    it(`equals its JavaScript loops bit for bit along a path (${newton ? "with" : "without"} Newton steps)`, () => {
      const [js, wasm] = solvers(newton);
      js.cd.solve(Infinity, Infinity);
      wasm.cd.solve(Infinity, Infinity);
      let lamMax = 0;
      for (const g of js.cd.g) lamMax = Math.max(lamMax, Math.abs(g) / 0.9);
      let prev = lamMax;
      let nonzero = 0;
      for (let k = 1; k <= 30; k++) {
        const lam = lamMax * 0.82 ** k;
        assert.equal(wasm.cd.solve(lam, prev), js.cd.solve(lam, prev));
        prev = lam;
        assert.deepEqual(wasm.cd.b, js.cd.b, `λ #${k}`);
        assert.equal(wasm.cd.passes, js.cd.passes);
        nonzero = js.cd.b.filter((v) => v !== 0).length;
      }
      assert.ok(nonzero > 30, `${nonzero} non-zero coefficients at the end`);
      js.design.release();
      wasm.design.release();
    });
});
