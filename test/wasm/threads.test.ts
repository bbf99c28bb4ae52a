import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/index.js";
import { matMem } from "../../src/nn/kernels.js";
import { InputError, ridgePath, denseMatrix } from "../../src/index.js";
import {
  BLOCKS_AT,
  defaultThreads,
  productHelpers,
  runShare,
  setThreads,
  SHARE_ARGS,
  sharedBoard,
  splitCost,
  type ProductHelper,
} from "../../src/wasm/threads.js";

// src/index.js registers Node's platform: products of a MatMem made with threads > 1 are split
// across worker threads (src/platform/nodeThreads.ts) and must give the same bits as one thread.

describe("products split across threads (MatMem with threads)", () => {
  it("Node's main thread starts helper threads", () => {
    assert.equal(productHelpers(3).length, 2);
  });

  for (const threads of [2, 3])
    it(`gemm on ${threads} threads: every entry the same bits as on one, in every shape and mode`, () => {
      const rng = new Random(17 + threads);
      // each above the size split across threads (2²² multiply-adds): wider than tall, taller
      // than wide, across the 128 / 512 / 256 blocks; plus one too small to split
      for (const [M, N, K] of [
        [130, 515, 260],
        [700, 40, 200],
        [40, 700, 200],
        [20, 30, 40],
      ]) {
        const len = 2 * M * K + 2 * K * N + M * N + 5;
        const one = matMem(len, true, "float64", true);
        const many = matMem(len, true, "float64", true, 0, threads);
        for (let i = 0; i < len; i++) many.data[i] = one.data[i] = rng.normal();
        const A = 3;
        const B = A + M * K;
        const C = B + K * N;
        for (const [sam, sak, sbk, sbn] of [
          [K, 1, N, 1],
          [1, M, N, 1],
          [K, 1, 1, K],
          [1, M, 1, K],
        ])
          for (const acc of [false, true]) {
            one.gemm!(A, sam, sak, B, sbk, sbn, C, M, N, K, acc);
            many.gemm!(A, sam, sak, B, sbk, sbn, C, M, N, K, acc);
            for (let i = 0; i < len; i++)
              assert.equal(
                many.data[i],
                one.data[i],
                `${M}×${N}×${K} ${[sam, sak, sbk, sbn]} at ${i}`,
              );
          }
        one.release?.();
        many.release?.();
      }
    });

  it("a symmetric product's lower triangle on 2 threads: the same bits as on one", () => {
    const rng = new Random(23);
    for (const [M, K] of [
      [600, 33],
      [1001, 7],
    ]) {
      const len = M * K + 2 * M * M;
      const one = matMem(len, true, "float64", true);
      const many = matMem(len, true, "float64", true, 0, 2);
      for (let i = 0; i < M * K; i++) many.data[i] = one.data[i] = rng.normal();
      // X Xᵀ of the M × K matrix X, lower triangle (the Gram matrix of ridgePath)
      one.gemm!(0, K, 1, 0, 1, K, M * K, M, M, K, false, M, true);
      many.gemm!(0, K, 1, 0, 1, K, M * K, M, M, K, false, M, true);
      for (let m = 0; m < M; m++)
        for (let n = 0; n <= m; n++)
          assert.equal(many.data[M * K + m * M + n], one.data[M * K + m * M + n], `(${m}, ${n})`);
      one.release?.();
      many.release?.();
    }
  });

  it("the hat-diagonal kernel on 2 threads: the same bits as on one", () => {
    const rng = new Random(29);
    const q = 300;
    const n = 1001; // odd: the blocks of columns meet the kernel's scalar remainder
    const count = 16;
    const len = q * n + 2 * q * count + n * count;
    const one = matMem(len, true, "float64", true);
    const many = matMem(len, true, "float64", true, 0, 2);
    for (let i = 0; i < q * n; i++) many.data[i] = one.data[i] = rng.normal();
    const lo = q * n;
    for (let j = 0; j < count; j++)
      for (let k = 0; k < q; k++) {
        const l = k === 0 ? 0 : 0.3 * rng.normal();
        const id = 1 / (1 + Math.abs(rng.normal()));
        for (const mem of [one, many]) {
          mem.data[lo + 2 * q * j + k] = l;
          mem.data[lo + 2 * q * j + q + k] = id;
        }
      }
    const h = lo + 2 * q * count;
    one.ldlHat!(0, n, q, lo, lo + q, h, count, 2 * q);
    many.ldlHat!(0, n, q, lo, lo + q, h, count, 2 * q);
    for (let i = 0; i < n * count; i++) assert.equal(many.data[h + i], one.data[h + i], `at ${i}`);
    assert.ok(one.data[h] > 0);
    one.release?.();
    many.release?.();
  });

  it("keeps working after the pool lets shared memories go (the helpers forget them)", () => {
    const rng = new Random(31);
    const [M, N, K] = [64, 600, 128];
    for (let round = 0; round < 7; round++) {
      // growing sizes, so that every round takes a new memory and the pool evicts old ones
      const len = M * K + K * N + M * N + 1000 * round;
      const one = matMem(len, true, "float64", true);
      const many = matMem(len, true, "float64", true, 0, 2);
      for (let i = 0; i < M * K + K * N; i++) many.data[i] = one.data[i] = rng.normal();
      one.gemm!(0, K, 1, M * K, N, 1, M * K + K * N, M, N, K, false);
      many.gemm!(0, K, 1, M * K, N, 1, M * K + K * N, M, N, K, false);
      for (let i = 0; i < M * N; i++)
        assert.equal(many.data[M * K + K * N + i], one.data[M * K + K * N + i]);
      one.release?.();
      many.release?.();
    }
  });
});

describe("setThreads", () => {
  it("caps the default threads, and refuses what is not a whole number ≥ 1", () => {
    const cores = defaultThreads();
    try {
      setThreads(1);
      assert.equal(defaultThreads(), 1);
      setThreads(64);
      assert.equal(defaultThreads(), cores);
      assert.throws(() => setThreads(0), InputError);
      assert.throws(() => setThreads(1.5), InputError);
    } finally {
      setThreads(Infinity);
    }
    assert.equal(defaultThreads(), cores);
    assert.ok(cores >= 1);
    // ridgePath's own option is checked the same way
    const x = denseMatrix(3, 2, Float64Array.of(1, 2, 3, 2, 1, 5));
    assert.throws(() => ridgePath(x, [1, 2, 3], { threads: -1 }), /option 'threads'/);
  });
});

describe("splitCost", () => {
  it("cuts [0, total) at aligned boundaries into parts of the given shares of the cost", () => {
    const tri = (m: number) => m * 1000 - (m * (m - 1)) / 2; // a lower triangle's columns
    const b = splitCost(1000, [3, 2, 1], 4, tri);
    assert.equal(b.length, 4);
    assert.equal(b[0], 0);
    assert.equal(b[3], 1000);
    for (let t = 0; t < 3; t++) {
      assert.ok(b[t + 1] >= b[t]);
      assert.equal(b[t] % 4, 0);
      const share = (tri(b[t + 1]) - tri(b[t])) / tri(1000);
      assert.ok(Math.abs(share - [3, 2, 1][t] / 6) < 0.01, `part ${t}: ${share}`);
    }
    // fewer units than parts: some parts empty, the boundaries still within [0, total]
    const few = splitCost(3, [1, 1, 1, 1], 4, (m) => m);
    assert.equal(few.length, 5);
    assert.equal(few[4], 3);
    for (let t = 0; t < 4; t++) assert.ok(few[t] <= few[t + 1] && few[t + 1] <= 3, `${few}`);
  });
});

describe("runShare (a sparse read split with a helper)", () => {
  /** A stand-in helper: records what it was asked, fails where told. */
  function fake(fail: "start" | "join" | null) {
    const calls: string[] = [];
    const h: ProductHelper = {
      ready: () => true,
      start: (_m, op) => {
        calls.push(`start ${op}`);
        if (fail === "start") throw new Error("cannot start");
      },
      join: () => {
        calls.push("join");
        if (fail === "join") throw new Error("failed");
      },
      forget: () => {},
      failed: () => fail !== null,
    };
    return { h, calls };
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });

  it("puts the share's arguments on the board, runs this thread's part, waits for the helper", () => {
    const { h, calls } = fake(null);
    let mine = 0;
    const args = Array.from({ length: 23 }, (_, i) => i + 0.5);
    assert.equal(
      runShare(memory, h, args, () => mine++),
      true,
    );
    assert.equal(mine, 1);
    assert.deepEqual(calls, ["start 6", "join"]);
    assert.deepEqual(
      Array.from(new Float64Array(sharedBoard(), BLOCKS_AT, SHARE_ARGS).subarray(0, 23)),
      args,
    );
  });

  for (const fail of ["start", "join"] as const)
    it(`a helper that fails to ${fail}: false, and this thread's part ran once`, () => {
      const { h } = fake(fail);
      let mine = 0;
      assert.equal(
        runShare(memory, h, [1], () => mine++),
        false,
      );
      assert.equal(mine, 1);
    });
});
