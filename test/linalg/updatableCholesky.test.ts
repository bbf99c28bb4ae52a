import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UpdatableCholesky } from "../../src/linalg/updatableCholesky.js";
import { Random } from "../../src/index.js";

/** A = BᵀB + 0.1·I for a random 12×n B: symmetric positive definite, dense. */
function spd(n: number, rng: Random): Float64Array {
  const m = 12;
  const b = Float64Array.from({ length: m * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let r = 0; r < m; r++) s += b[r * n + i] * b[r * n + j];
      a[i * n + j] = s;
    }
  return a;
}

/** Solves A_SS x = v by Gaussian elimination with partial pivoting (the brute-force truth). */
function denseSolve(a: Float64Array, n: number, set: number[], v: number[]): number[] {
  const k = set.length;
  const m = set.map((i) => [...set.map((j) => a[i * n + j]), v[set.indexOf(i)]]);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < k; r++) {
      const f = m[r][c] / m[c][c];
      for (let q = c; q <= k; q++) m[r][q] -= f * m[c][q];
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = m[r][k];
    for (let q = r + 1; q < k; q++) s -= m[r][q] * x[q];
    x[r] = s / m[r][r];
  }
  return x;
}

describe("UpdatableCholesky", () => {
  it("solves M_SS x = v like dense elimination through any sequence of joins and leaves", () => {
    const rng = new Random(3);
    const n = 20;
    const a = spd(n, rng);
    const chol = new UpdatableCholesky(2); // starts small: growth is exercised too
    const set: number[] = [];
    for (let step = 0; step < 200; step++) {
      const out = Array.from({ length: n }, (_, i) => i).filter((i) => !set.includes(i));
      const join = set.length < 3 || (out.length > 0 && rng.uniform() < 0.6);
      if (join) {
        const idx = out[Math.floor(rng.uniform() * out.length)];
        const col = Float64Array.from(set, (i) => a[i * n + idx]);
        assert.ok(chol.add(idx, col, a[idx * n + idx]));
        set.push(idx);
      } else {
        const pos = Math.floor(rng.uniform() * set.length);
        chol.remove(pos);
        set.splice(pos, 1);
      }
      assert.deepEqual(Array.from(chol.order.subarray(0, chol.k)), set);
      const v = set.map(() => rng.normal());
      const x = Float64Array.from(v);
      chol.solve(x);
      const truth = denseSolve(a, n, set, v);
      for (let i = 0; i < set.length; i++)
        assert.ok(Math.abs(x[i] - truth[i]) < 1e-9 * (1 + Math.abs(truth[i])));
    }
  });

  it("refuses an index that makes the matrix singular, and stays usable", () => {
    // Columns 0 and 1 are identical: M = [[1, 1, 0], [1, 1, 0], [0, 0, 2]].
    const chol = new UpdatableCholesky(3);
    assert.ok(chol.add(0, new Float64Array(0), 1));
    assert.equal(chol.add(1, Float64Array.of(1), 1), false);
    assert.equal(chol.k, 1);
    assert.ok(chol.add(2, Float64Array.of(0), 2));
    const x = Float64Array.of(3, 4);
    chol.solve(x);
    assert.ok(Math.abs(x[0] - 3) < 1e-15 && Math.abs(x[1] - 2) < 1e-15, `${x[0]}, ${x[1]}`);
  });
});
