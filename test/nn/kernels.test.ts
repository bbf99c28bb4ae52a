import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matMem } from "../../src/nn/kernels.js";
import { Random } from "../../src/index.js";

describe("MLP matrix kernels (WebAssembly SIMD) against plain loops", () => {
  for (const dtype of ["float64", "float32"] as const)
    it(`${dtype}: x Wᵀ + b, A B and Aᵀ B agree on every blocking remainder`, () => {
      const rng = new Random(3);
      for (const [M, N, K] of [
        [1, 1, 1],
        [2, 4, 2],
        [3, 5, 7],
        [4, 3, 1],
        [7, 9, 6],
        [33, 10, 65],
        [32, 256, 64],
        [5, 13, 11],
        [6, 7, 3],
      ]) {
        const len = 3 * (M * K + N * K + N + M * N) + 8;
        const a = matMem(len, true, dtype);
        const b = matMem(len, false, dtype);
        // float32 sums differ by rounding: compare at float32's precision
        for (let i = 0; i < len; i++) b.data[i] = a.data[i] = rng.normal();
        const x = 1;
        const w = x + M * K;
        const bias = w + N * K;
        const y = bias + N;
        const c = y + M * N;
        const tol = (dtype === "float32" ? 2e-6 : 1e-12) * K;
        const close = () => {
          for (let i = 0; i < len; i++)
            assert.ok(Math.abs(a.data[i] - b.data[i]) <= tol, `${M}×${N}×${K} at ${i}`);
        };
        a.nt(x, w, bias, y, M, N, K);
        b.nt(x, w, bias, y, M, N, K);
        close();
        // c (M × N) = x (M × K) · W' where W' = the K × N block at w
        for (const acc of [false, true]) {
          a.nn(x, K, 1, w, c, M, N, K, acc);
          b.nn(x, K, 1, w, c, M, N, K, acc);
          close();
        }
        // c += xᵀ-style access: a[m + k·M]
        a.nn(x, 1, M, w, c, M, N, K, true);
        b.nn(x, 1, M, w, c, M, N, K, true);
        close();
        // and against a direct sum, for one entry
        let s = b.data[bias + N - 1];
        for (let k = 0; k < K; k++) s += b.data[x + (M - 1) * K + k] * b.data[w + (N - 1) * K + k];
        b.nt(x, w, bias, y, M, N, K);
        assert.ok(Math.abs(b.data[y + M * N - 1] - s) <= tol * 4);
      }
    });
});

describe("the packed matrix product (MatMem.gemm) against plain loops", () => {
  it("A B, Aᵀ B, A Bᵀ and Aᵀ Bᵀ, written and accumulated, across every block edge", () => {
    const rng = new Random(11);
    // 130 × 515 × 260 crosses the 128-row, 512-column and 256-deep blocks; the others leave
    // remainders of the 4 × 4 register tile in every direction.
    for (const [M, N, K] of [
      [1, 1, 1],
      [3, 5, 2],
      [4, 4, 4],
      [9, 7, 13],
      [130, 515, 260],
    ]) {
      const len = 2 * M * K + 2 * K * N + M * N + 5;
      const a = matMem(len, true, "float64", true);
      const b = matMem(len, false, "float64", true);
      assert.ok(a.gemm && b.gemm);
      for (let i = 0; i < len; i++) b.data[i] = a.data[i] = rng.normal();
      const A = 3;
      const B = A + M * K;
      const C = B + K * N;
      // [sam, sak, sbk, sbn]: A row-major (M × K) or transposed, B row-major (K × N) or transposed
      for (const [sam, sak, sbk, sbn] of [
        [K, 1, N, 1],
        [1, M, N, 1],
        [K, 1, 1, K],
        [1, M, 1, K],
      ])
        for (const acc of [false, true]) {
          a.gemm(A, sam, sak, B, sbk, sbn, C, M, N, K, acc);
          b.gemm(A, sam, sak, B, sbk, sbn, C, M, N, K, acc);
          for (let i = 0; i < len; i++)
            assert.ok(
              Math.abs(a.data[i] - b.data[i]) <= 1e-13 * K,
              `${M}×${N}×${K} strides ${[sam, sak, sbk, sbn]} at ${i}`,
            );
        }
      // one entry against its sum written out (A Bᵀ, written)
      a.gemm(A, K, 1, B, 1, K, C, M, N, K, false);
      let s = 0;
      for (let k = 0; k < K; k++) s += a.data[A + (M - 1) * K + k] * a.data[B + (N - 1) * K + k];
      assert.ok(Math.abs(a.data[C + M * N - 1] - s) <= 1e-13 * K);
      a.release?.();
    }
  });
});

describe("the packed product's lower triangle (MatMem.gemm with lower)", () => {
  it("every entry on and below the diagonal as the full product, across block edges", () => {
    const rng = new Random(13);
    // 600 × 600 crosses the 128-row and 512-column blocks; 130 × 515 is wider than tall
    for (const [M, N, K] of [
      [1, 1, 3],
      [5, 5, 3],
      [9, 6, 7],
      [130, 515, 40],
      [600, 600, 33],
    ]) {
      const len = M * K + K * N + 2 * M * N;
      const a = matMem(len, true, "float64", true);
      for (let i = 0; i < len; i++) a.data[i] = rng.normal();
      const A = 0;
      const B = M * K;
      const full = B + K * N;
      const low = full + M * N;
      a.gemm!(A, K, 1, B, N, 1, full, M, N, K, false);
      a.gemm!(A, K, 1, B, N, 1, low, M, N, K, false, N, true);
      for (let m = 0; m < M; m++)
        for (let n = 0; n <= Math.min(m, N - 1); n++)
          assert.equal(a.data[low + m * N + n], a.data[full + m * N + n], `${M}×${N} (${m}, ${n})`);
      a.release?.();
    }
  });
});

describe("the hat-diagonal kernel (MatMem.ldlHat) against dense solves", () => {
  it("u_iᵀ (T + λI)⁻¹ u_i for every column and two λs in one call, on every chunk remainder", () => {
    const rng = new Random(5);
    for (const [q, n] of [
      [1, 1],
      [3, 2],
      [5, 9],
      [17, 11],
      [40, 23],
    ]) {
      // T + λI from a random tridiagonal T made diagonally dominant, factored as L D Lᵀ
      const d = Float64Array.from({ length: q }, () => 3 + rng.uniform());
      const e = Float64Array.from({ length: q }, (_, k) => (k === 0 ? 0 : rng.normal()));
      const lams = [0, 0.7];
      const len = q * n + 4 * q + 2 * n;
      const mems = [matMem(len, true, "float64", true), matMem(len, false, "float64", true)];
      const U = 0;
      const lo = q * n; // factor set j: l at lo + 2q·j, 1 / D at lo + 2q·j + q
      const h = lo + 4 * q; // λ j's results at h + n·j
      const u = Float64Array.from({ length: q * n }, () => rng.normal());
      for (const mem of mems) {
        const f = mem.data;
        f.set(u, U);
        lams.forEach((lam, j) => {
          const l = lo + 2 * q * j;
          const id = l + q;
          let piv = d[0] + lam;
          f[l] = 0;
          f[id] = 1 / piv;
          for (let k = 1; k < q; k++) {
            f[l + k] = e[k] / piv;
            piv = d[k] + lam - f[l + k] * e[k];
            f[id + k] = 1 / piv;
          }
        });
        mem.ldlHat!(U, n, q, lo, lo + q, h, 2, 2 * q);
      }
      // brute force: solve (T + λI) v = u_i by dense Gaussian elimination, then u_iᵀ v
      for (const [j, lam] of lams.entries())
        for (let i = 0; i < n; i++) {
          const a = new Float64Array(q * q);
          for (let k = 0; k < q; k++) {
            a[k * q + k] = d[k] + lam;
            if (k > 0) a[k * q + k - 1] = a[(k - 1) * q + k] = e[k];
          }
          const v = Float64Array.from({ length: q }, (_, k) => u[k * n + i]);
          for (let c = 0; c < q; c++)
            for (let r = c + 1; r < q; r++) {
              const m = a[r * q + c] / a[c * q + c];
              for (let k = c; k < q; k++) a[r * q + k] -= m * a[c * q + k];
              v[r] -= m * v[c];
            }
          for (let r = q - 1; r >= 0; r--) {
            let s = v[r];
            for (let k = r + 1; k < q; k++) s -= a[r * q + k] * v[k];
            v[r] = s / a[r * q + r];
          }
          let want = 0;
          for (let k = 0; k < q; k++) want += u[k * n + i] * v[k];
          for (const mem of mems)
            assert.ok(
              Math.abs(mem.data[h + n * j + i] - want) <= 1e-12 * Math.abs(want),
              `${q}×${n} λ ${lam} at ${i}`,
            );
        }
    }
  });
});

describe("a Householder reduction step (MatMem.r2Row and r2Split) against plain loops", () => {
  it("the update the same bits, the products to rounding, on both shares and every remainder", () => {
    const rng = new Random(37);
    for (const [m, i, js] of [
      [9, 8, 2],
      [40, 37, 11],
      [130, 129, 37],
      [130, 60, 0],
    ]) {
      const r = i - 1;
      // W (m × m, column-major) at 1 (odd: unaligned), then uc, ec, un, en, enB (m each)
      const len = 1 + m * m + 5 * m;
      const [W, uc, ec, un, en, eb] = [
        1,
        1 + m * m,
        1 + m * m + m,
        1 + m * m + 2 * m,
        1 + m * m + 3 * m,
        1 + m * m + 4 * m,
      ];
      const a = matMem(len, true, "float64", true);
      const b = matMem(len, false, "float64", true);
      for (let t = 0; t < len; t++) b.data[t] = a.data[t] = rng.normal();
      for (const mem of [a, b]) {
        mem.data.fill(0, en, en + r);
        mem.data.fill(0, eb + js, eb + r);
        mem.r2Row!(W, m, r, uc, ec, un, 0.7, -0.4, js);
        mem.r2Split!(W, m, i, uc, ec, un, en, eb, js);
        mem.r2End!();
      }
      for (let t = 0; t < uc; t++) assert.equal(a.data[t], b.data[t], `${m}, ${i}: W at ${t}`);
      for (let t = 0; t < r; t++) assert.equal(a.data[un + t], b.data[un + t], `un[${t}]`);
      for (const acc of [en, eb])
        for (let t = acc === eb ? js : 0; t < r; t++)
          assert.ok(
            Math.abs(a.data[acc + t] - b.data[acc + t]) <= 1e-13 * m,
            `${m}, ${i}: product at ${t}`,
          );
      // one entry of the plain loop against its definition: W(r, 0) after the row update
      assert.ok(Math.abs(b.data[un] - b.data[W + r]) === 0);
      a.release?.();
    }
  });
});

describe("released matrix memories", () => {
  it("come back zeroed, and their products still right, in a later matMem", () => {
    const a = matMem(64);
    a.data.fill(7);
    a.release?.();
    const b = matMem(48);
    assert.ok(
      b.data.every((v) => v === 0),
      "a reused memory is not zeroed",
    );
    // 2×3 times (2×3)ᵀ with a zero bias: [[1,2,3],[4,5,6]]·[[1,2,3],[4,5,6]]ᵀ.
    b.data.set([1, 2, 3, 4, 5, 6], 0);
    b.nt(0, 0, 20, 10, 2, 2, 3);
    assert.deepEqual(Array.from(b.data.subarray(10, 14)), [14, 32, 32, 77]);
    b.release?.();
  });
});
