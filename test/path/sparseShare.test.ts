import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cscMatrix, glmPath, multinomialPath, Random, type CscMatrix } from "../../src/index.js";
import { sparseShares } from "../../src/solver/sparseGlmCd.js";
import { defaultThreads, setThreads } from "../../src/wasm/threads.js";

// A large sparse design's reads (the Newton step's statistics of the strong columns, the
// gradients of the others) are split with a helper thread where Node has one (SparseHeap.share):
// each part writes its own outputs, so the path must be the bits of one thread's.

/** A text-like design above the size whose reads are shared: 2 % non-zeros, log counts. */
function design(seed: number): { x: CscMatrix; eta: Float64Array; rng: Random } {
  const rng = new Random(seed);
  const n = 2000;
  const p = 5000;
  const colPtr = [0];
  const rowIndex: number[] = [];
  const values: number[] = [];
  const eta = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const effect = j < 40 ? rng.normal() : 0;
    for (let i = 0; i < n; i++)
      if (rng.uniform() < 0.02) {
        const v = Math.log1p(1 + Math.floor(3 * rng.uniform()));
        rowIndex.push(i);
        values.push(v);
        eta[i] += effect * v;
      }
    colPtr.push(rowIndex.length);
  }
  const x = cscMatrix(
    n,
    p,
    Int32Array.from(colPtr),
    Int32Array.from(rowIndex),
    Float64Array.from(values),
  );
  return { x, eta, rng };
}

/** Runs `fit` until a helper has taken a share (it boots while the first paths run alone). */
function shared<T>(fit: () => T): T {
  const before = sparseShares.reads;
  const start = Date.now();
  for (;;) {
    const f = fit();
    if (sparseShares.reads > before) return f;
    assert.ok(Date.now() - start < 30_000, "no read was shared with a helper thread in 30 s");
  }
}

function alone<T>(fit: () => T): T {
  try {
    setThreads(1);
    return fit();
  } finally {
    setThreads(Infinity);
  }
}

const oneCore = defaultThreads() < 2 ? "one core: no helper thread" : false;

describe("a sparse GLM path's reads shared with a helper thread", () => {
  it(
    "binomial and Poisson paths: the same bits as on one thread",
    { skip: oneCore, timeout: 120_000 },
    () => {
      const { x, eta, rng } = design(41);
      const yb = Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
      const yp = Float64Array.from(eta, (e) => Math.floor(Math.exp(0.3 * e) * 2 * rng.uniform()));
      // Penalty factors that differ by position (each part must read its own positions' weights).
      const penaltyFactor = Array.from({ length: x.nCols }, (_, j) => 0.5 + (j % 7) / 4);
      for (const [family, y] of [
        ["binomial", yb],
        ["poisson", yp],
      ] as const) {
        const one = alone(() => glmPath(family, x, y, { penaltyFactor }));
        const two = shared(() => glmPath(family, x, y, { penaltyFactor }));
        assert.ok(one.lambda.length > 20, `${family}: ${one.lambda.length} points`);
        assert.deepEqual(two, one, family);
      }
    },
  );

  it(
    "a multinomial path (its class solvers share one heap): the same bits",
    { skip: oneCore, timeout: 120_000 },
    () => {
      const { x, eta, rng } = design(43);
      const y = Float64Array.from(eta, (e) => {
        const u = rng.uniform();
        return u < 1 / (1 + Math.exp(-e)) ? 0 : u < 0.8 ? 1 : 2;
      });
      const opts = { nLambda: 30 };
      const one = alone(() => multinomialPath(x, y, opts));
      const two = shared(() => multinomialPath(x, y, opts));
      assert.deepEqual(two, one);
    },
  );
});
