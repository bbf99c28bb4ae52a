import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BlockReflectors } from "../../src/linalg/blockReflectors.js";
import { householderEigen, householderReflectors } from "../../src/linalg/householderEigen.js";
import { matMem } from "../../src/nn/kernels.js";
import { symmetricEigen } from "../../src/linalg/symmetricEigen.js";
import { Random } from "../../src/index.js";

// The Householder + implicit QL eigensolver against two independent truths: the identities any
// eigen-decomposition satisfies (A V = V Λ, VᵀV = I, reconstruction) and the cyclic Jacobi
// solver, whose eigenvalues are accurate to working precision by a different route.

/** Largest |entry| of A − V diag(λ) Vᵀ, of VᵀV − I, and the largest |λ|. */
function defects(a: Float64Array, m: number, values: Float64Array, vectors: Float64Array) {
  let recon = 0;
  let orth = 0;
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < m; k++) {
        s += vectors[i * m + k] * values[k] * vectors[j * m + k];
        o += vectors[k * m + i] * vectors[k * m + j];
      }
      recon = Math.max(recon, Math.abs(s - a[i * m + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  return { recon, orth, scale };
}

function randomSymmetric(m: number, rng: Random, scale = 1): Float64Array {
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) a[i * m + j] = a[j * m + i] = scale * rng.normal();
  return a;
}

/** XᵀX for an n × m X of rank r (a Gram matrix with m − r zero eigenvalues). */
function lowRankGram(m: number, r: number, rng: Random): Float64Array {
  const n = 3 * m;
  const u = Float64Array.from({ length: n * r }, () => rng.normal());
  const c = Float64Array.from({ length: r * m }, () => rng.normal());
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += u[i * r + k] * c[k * m + j];
      x[i * m + j] = s;
    }
  const g = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * m + a] * x[i * m + b];
      g[a * m + b] = s;
    }
  return g;
}

describe("householderEigen (Householder tridiagonalization + implicit QL)", () => {
  const rng = new Random(2024);
  const cases: [string, Float64Array, number][] = [
    ["1 × 1", Float64Array.of(-3.5), 1],
    ["2 × 2", Float64Array.of(2, 1, 1, 2), 2],
    ["random 7 × 7", randomSymmetric(7, rng), 7],
    ["random 120 × 120", randomSymmetric(120, rng), 120],
    ["tiny entries (1e-150)", randomSymmetric(30, rng, 1e-150), 30],
    ["huge entries (1e150)", randomSymmetric(30, rng, 1e150), 30],
    ["rank-5 Gram 60 × 60", lowRankGram(60, 5, rng), 60],
    [
      "diagonal with repeats",
      Float64Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? [3, 3, 1, 3, 0, 1][k / 7] : 0)),
      6,
    ],
    ["zero matrix", new Float64Array(25), 5],
    [
      "tridiagonal with a zero off-diagonal (splits)",
      (() => {
        const a = new Float64Array(64);
        for (let i = 0; i < 8; i++) a[i * 8 + i] = i - 3;
        for (let i = 0; i < 7; i++) if (i !== 3) a[i * 8 + i + 1] = a[(i + 1) * 8 + i] = 0.5;
        return a;
      })(),
      8,
    ],
  ];
  for (const [name, a, m] of cases) {
    it(`${name}: A = VΛVᵀ, VᵀV = I to 1e-12, eigenvalues as Jacobi's, both kernel sets`, () => {
      const jac = Array.from(symmetricEigen(a, m).values).sort((u, v) => u - v);
      for (const kernels of ["wasm", "js"] as const) {
        const { values, vectors } = householderEigen(a, m, { kernels });
        for (let k = 1; k < m; k++) assert.ok(values[k - 1] <= values[k], "increasing order");
        const { recon, orth, scale } = defects(a, m, values, vectors);
        const unit = scale || 1;
        assert.ok(recon <= 1e-12 * unit, `${kernels}: reconstruction ${recon / unit}`);
        assert.ok(orth <= 1e-12, `${kernels}: orthogonality ${orth}`);
        for (let k = 0; k < m; k++)
          assert.ok(Math.abs(values[k] - jac[k]) <= 1e-12 * unit, `${kernels}: λ${k}`);
      }
    });
  }

  it("column-major output holds the same vectors as the row-major one", () => {
    const m = 9;
    const a = randomSymmetric(m, rng);
    const row = householderEigen(a, m);
    const col = householderEigen(a, m, { columnMajor: true });
    for (let k = 0; k < m; k++)
      for (let i = 0; i < m; i++) assert.equal(col.vectors[k * m + i], row.vectors[i * m + k]);
    assert.deepEqual(col.values, row.values);
  });

  it("handles 0 × 0 and does not modify its input", () => {
    assert.equal(householderEigen(new Float64Array(0), 0).values.length, 0);
    const a = randomSymmetric(5, rng);
    const copy = Float64Array.from(a);
    householderEigen(a, 5);
    assert.deepEqual(a, copy);
  });
});

describe("householderReflectors and BlockReflectors (A = Q T Qᵀ, Q kept as reflectors)", () => {
  const rng = new Random(77);
  for (const [name, a, m] of [
    ["1 × 1", Float64Array.of(4), 1],
    ["random 9 × 9", randomSymmetric(9, rng), 9],
    ["random 70 × 70 (three blocks of reflectors)", randomSymmetric(70, rng), 70],
    ["rank-3 Gram 40 × 40", lowRankGram(40, 3, rng), 40],
  ] as [string, Float64Array, number][])
    it(`${name}: Q T Qᵀ = A, QᵀQ = I and Qᵀ(Q X) = X to 1e-12, both kernel sets`, () => {
      let scale = 0;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      for (const kernels of ["wasm", "js"] as const) {
        const r = householderReflectors(a, m, { kernels });
        assert.equal(r.e[0], 0);
        const cols = 5;
        const at = m * m + m * cols;
        const mem = matMem(
          at + BlockReflectors.scratch(m, Math.max(m, cols)),
          kernels === "wasm",
          "float64",
          true,
        );
        const f = mem.data;
        const refl = new BlockReflectors(mem, r, at, Math.max(m, cols));
        // Q = Q I, row-major at 0
        for (let i = 0; i < m; i++) f[i * m + i] = 1;
        refl.applyQ(0, m);
        const q = (i: number, j: number) => f[i * m + j];
        // T's entry (k, l)
        const t = (k: number, l: number) =>
          k === l ? r.d[k] : k === l + 1 ? r.e[k] : l === k + 1 ? r.e[l] : 0;
        for (let i = 0; i < m; i++)
          for (let j = 0; j < m; j++) {
            let s = 0;
            let o = 0;
            for (let k = 0; k < m; k++) {
              o += q(k, i) * q(k, j);
              for (let l = Math.max(0, k - 1); l <= Math.min(m - 1, k + 1); l++)
                s += q(i, k) * t(k, l) * q(j, l);
            }
            assert.ok(Math.abs(s - a[i * m + j]) <= 1e-12 * scale, `${kernels}: A(${i}, ${j})`);
            assert.ok(Math.abs(o - (i === j ? 1 : 0)) <= 1e-12, `${kernels}: QᵀQ(${i}, ${j})`);
          }
        // Qᵀ(Q X) = X for an m × 5 X at m²
        const x = Float64Array.from({ length: m * cols }, () => rng.normal());
        f.set(x, m * m);
        refl.applyQ(m * m, cols);
        refl.applyQt(m * m, cols);
        for (let i = 0; i < m * cols; i++)
          assert.ok(Math.abs(f[m * m + i] - x[i]) <= 1e-12, `${kernels}: Qᵀ(QX) at ${i}`);
        mem.release?.();
      }
    });
});
