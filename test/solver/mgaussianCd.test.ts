import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/index.js";
import { groupPenalty } from "../../src/penalty/groupLasso.js";
import { denseColumns, MGaussianCd } from "../../src/solver/mgaussianCd.js";
import { createHeap } from "../../src/wasm/heap.js";

/** A small problem: n × p columns and a column of ones in a heap, K responses, weights 1/n. */
function problem(n: number, p: number, K: number, seed: number) {
  const rng = new Random(seed);
  const cols = new Float64Array(n * (p + 1));
  for (let t = 0; t < n * p; t++) cols[t] = rng.normal();
  cols.fill(1, n * p);
  const y = new Float64Array(K * n);
  for (let k = 0; k < K; k++)
    for (let i = 0; i < n; i++)
      y[k * n + i] = (k + 1) * cols[i] - cols[2 * n + i] + 0.5 * k + rng.normal();
  const w = new Float64Array(n).fill(1 / n);
  return { cols, y, w };
}

function solver(
  n: number,
  p: number,
  K: number,
  alpha: number,
  pf: Float64Array,
  kernels: "wasm" | "js",
  seed: number,
) {
  const { cols, y, w } = problem(n, p, K, seed);
  // The columns' heap on WebAssembly for both: the Gram columns are then the same, and `kernels`
  // picks only how the passes run.
  const heap = createHeap(n * (p + 1) + n + p + 1);
  heap.f64.set(cols);
  const penalty = groupPenalty(
    Array.from({ length: p }, (_, j) => Int32Array.of(j)),
    new Float64Array(p),
    Float64Array.from(pf, (v) => alpha * v),
    Float64Array.from(pf, (v) => (1 - alpha) * v),
  );
  const s = new MGaussianCd({
    columns: denseColumns(heap, n, p),
    n,
    p,
    y,
    K,
    w,
    alpha,
    pf,
    penalty,
    include: new Uint8Array(p).fill(1),
    intercept: true,
    kktTol: 1e-9,
    maxPasses: 100000,
    kernels,
  });
  return { s, cols, y, w, penalty };
}

describe("MGaussianCd (mgaussian block descent with covariance updates)", () => {
  for (const [K, alpha] of [
    [1, 1],
    [3, 1],
    [4, 0.5],
    [5, 0.2],
  ]) {
    it(`K = ${K}, α = ${alpha}: WebAssembly and plain loops agree bit for bit; KKT from the residuals`, () => {
      const n = 60;
      const p = 9;
      const pf = Float64Array.from({ length: p }, (_, j) => (j === 4 ? 0 : j === 5 ? 2 : 1));
      const a = solver(n, p, K, alpha, pf, "wasm", 3);
      const b = solver(n, p, K, alpha, pf, "js", 3);
      a.s.setIntercepts(new Float64Array(K));
      b.s.setIntercepts(new Float64Array(K));
      for (const lam of [Infinity, 0.8, 0.3, 0.1, 0.02, 0.001]) {
        assert.equal(a.s.solve(lam, lam), "ok");
        assert.equal(b.s.solve(lam, lam), "ok");
        assert.deepEqual(a.s.beta, b.s.beta, `λ ${lam}`);
        // The negative gradient from the residuals, not from the Gram columns the solver keeps.
        const { cols, y, w, penalty } = a;
        const r = new Float64Array(K * n);
        for (let k = 0; k < K; k++)
          for (let i = 0; i < n; i++) {
            let eta = 0;
            for (let j = 0; j <= p; j++) eta += cols[j * n + i] * a.s.beta[j * K + k];
            r[k * n + i] = w[i] * (y[k * n + i] - eta);
          }
        let kkt = 0;
        let loss = 0;
        for (let k = 0; k < K; k++)
          for (let i = 0; i < n; i++) loss += (0.5 * r[k * n + i] ** 2) / w[i];
        for (let j = 0; j <= p; j++) {
          const g = new Float64Array(K);
          for (let k = 0; k < K; k++)
            for (let i = 0; i < n; i++) g[k] += cols[j * n + i] * r[k * n + i];
          const bj = a.s.beta.subarray(j * K, j * K + K);
          const d =
            j === p || pf[j] === 0 || !Number.isFinite(lam)
              ? j === p || pf[j] === 0
                ? Math.hypot(...g)
                : 0
              : penalty.subdiffDistance(bj, g, j, lam);
          kkt = Math.max(kkt, d);
        }
        const tol = 1e-9 * (Number.isFinite(lam) ? lam : 1);
        assert.ok(kkt <= 1.01 * tol + 1e-13, `λ ${lam}: KKT ${kkt} above ${tol}`);
        assert.ok(
          Math.abs(a.s.loss - loss) <= 1e-12 * loss,
          `λ ${lam}: loss ${a.s.loss} vs ${loss}`,
        );
        // the unpenalized feature and the intercepts are never zero; everything else is at λ = ∞
        if (!Number.isFinite(lam))
          for (let j = 0; j < p; j++)
            assert.equal(
              a.s.beta.subarray(j * K, j * K + K).some((v) => v !== 0),
              j === 4,
            );
      }
      a.s.release();
      b.s.release();
    });
  }
});
