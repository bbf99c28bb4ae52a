import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc } from "../../src/data/matrix.js";
import { GlmDesign } from "../../src/data/glmDesign.js";
import { binomial } from "../../src/datafit/binomial.js";
import { poisson } from "../../src/datafit/poisson.js";
import { glmSetup } from "../../src/path/glmPath.js";
import { resolveOptions } from "../../src/path/options.js";
import { Random } from "../../src/random.js";
import { SparseGlmCd, SparseHeap } from "../../src/solver/sparseGlmCd.js";

// The sparse GLM solver's WebAssembly kernels (kernels.wat spgrads, spweights, spnewton, spsweep, spmove)
// against its JavaScript loops: the same operations in the same order, so the two must agree bit
// for bit along a path — coefficients, intercept, gradient and the number of passes.

function problem(family: "binomial" | "poisson", seed: number) {
  const n = 301;
  const p = 420;
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) {
      if (j === 7) continue; // an all-zero column
      if (j === 2 || rng.uniform() < 0.04) x[j * n + i] = 1 + Math.floor(4 * rng.uniform());
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = -0.4 + 0.5 * x[i] - 0.6 * x[n + i] + 0.3 * x[5 * n + i] + 0.4 * x[11 * n + i];
    y[i] =
      family === "binomial"
        ? rng.uniform() < 1 / (1 + Math.exp(-e))
          ? 1
          : 0
        : Math.floor(Math.exp(0.4 * e) * 2 * rng.uniform());
  }
  const weights = Array.from({ length: n }, () => 0.5 + rng.uniform());
  const penaltyFactor = Array.from({ length: p }, (_, j) => (j === 4 ? 0 : 0.5 + rng.uniform()));
  const o = resolveOptions(
    { weights, penaltyFactor, alpha: 0.8, lowerLimits: -0.7, upperLimits: 2 },
    n,
    p,
  );
  const csc = denseToCsc(denseMatrix(n, p, x));
  const design = new GlmDesign(csc, o.weights, o.intercept, o.standardize, o.include);
  const offset = Float64Array.from({ length: n }, () => 0.1 * rng.normal());
  const setup = () =>
    glmSetup(o, design, {
      family: family === "binomial" ? binomial : poisson,
      y,
      offset: offset.slice(),
      thr: 1e-9,
      kktTol: 1e-7,
      pMax: p,
    });
  return { n, p, csc, design, setup };
}

describe("the sparse GLM solver's WebAssembly kernels", () => {
  for (const family of ["binomial", "poisson"] as const)
    it(`${family}: equal to its JavaScript loops bit for bit along a path (alone and in a shared heap)`, () => {
      const { n, p, csc, setup } = problem(family, family === "binomial" ? 3 : 4);
      const heap = SparseHeap.create(csc, n, p, 2);
      assert.ok(heap, "the kernels run here");
      const solvers = [
        new SparseGlmCd(setup(), null), // JavaScript loops
        new SparseGlmCd(setup()), // its own heap
        new SparseGlmCd(setup(), heap), // two solvers in one heap
        new SparseGlmCd(setup(), heap),
      ];
      for (const s of solvers) s.solve(Infinity, Infinity);
      let lamMax = 0;
      for (let j = 0; j < p; j++) lamMax = Math.max(lamMax, Math.abs(solvers[0].g[j]));
      let prev = lamMax;
      let moved = 0;
      for (let k = 1; k <= 25; k++) {
        const lam = lamMax * 0.8 ** k;
        const status = solvers.map((s) => s.solve(lam, prev));
        prev = lam;
        const [ref, ...others] = solvers;
        for (const [t, s] of others.entries()) {
          assert.equal(status[t + 1], status[0]);
          assert.deepEqual(s.b, ref.b, `λ #${k}: coefficients`);
          assert.equal(s.b0, ref.b0);
          assert.deepEqual(s.g, ref.g);
          assert.deepEqual(s.eta, ref.eta);
          assert.equal(s.passes, ref.passes);
        }
        moved = ref.b.filter((v) => v !== 0).length;
      }
      assert.ok(moved > 20, `${moved} non-zero coefficients at the end`);
      for (const s of solvers) s.release();
      heap!.release();
    });
});
