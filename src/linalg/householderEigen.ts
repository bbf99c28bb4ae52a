import { matMem, type MatMem } from "../nn/kernels.js";
import { createHeap, type Heap } from "../wasm/heap.js";

/**
 * Eigen-decomposition A = V diag(values) Vᵀ of a symmetric m×m matrix for m in the thousands:
 * Householder reduction to tridiagonal form with the transformations accumulated, then the
 * implicit QL method with Wilkinson-type shifts on the tridiagonal matrix (Golub & Van Loan,
 * "Matrix Computations", §8.3; the algorithms of EISPACK's tred2 and tql2, Wilkinson & Reinsch,
 * Handbook for Automatic Computation II, 1971). About 9·m³ flops in all, against Jacobi's
 * 1.5·m³ per sweep times 6–10 sweeps (`symmetricEigen`, which stays the choice for small blocks).
 *
 * The work is laid out column by column (entry (i, j) of the working matrix at w[j·m + i]), so
 * that every inner loop runs over contiguous memory. Returns the eigenvalues in increasing order
 * and the eigenvectors as the columns of `vectors` (row-major m×m, as `symmetricEigen`), unless
 * `columnMajor` is set, in which case eigenvector k is vectors[k·m .. k·m + m); `kernels: "js"`
 * forces the plain-loop kernels (same results up to summation order). Reads only the
 * lower triangle of `a` (row-major; symmetric, so either triangle) and does not modify it.
 *
 * @example
 * ```ts
 * const { values } = householderEigen(Float64Array.of(2, 1, 1, 2), 2); // [1, 3]
 * ```
 */
export function householderEigen(
  a: Float64Array,
  m: number,
  options: { columnMajor?: boolean; kernels?: "wasm" | "js" } = {},
): { values: Float64Array; vectors: Float64Array } {
  // The working matrix W, column-major (W(i, j) = w[j·m + i]), made symmetric from a's lower
  // triangle, then d and e, in one heap whose dot / axpy / rank-2 / rotation kernels run on WebAssembly
  // SIMD where available.
  const heap = createHeap(m * m + 6 * m, options.kernels ?? "wasm");
  const w = heap.f64;
  if (m > 0) {
    // The reduction on a MatMem (`reduce`), then Q formed and the QL iterations on the heap
    const mem = matMem(m * m + REDUCE_WORK * m, options.kernels !== "js", "float64", true);
    symmetricInto(mem.data, 0, a, m, false);
    reduce(mem, 0, m);
    w.set(mem.data.subarray(0, m * m + 2 * m));
    mem.release?.();
    accumulate(heap, m);
    tridiagonalQl(heap, m);
  }
  const D = m * m;
  // Sort eigenvalues (and vectors) increasingly: QL leaves them nearly sorted.
  const order = Array.from({ length: m }, (_, k) => k).sort((u, v) => w[D + u] - w[D + v]);
  const values = Float64Array.from(order, (k) => w[D + k]);
  const vectors = new Float64Array(m * m);
  if (options.columnMajor) {
    for (let t = 0; t < m; t++) vectors.set(w.subarray(order[t] * m, order[t] * m + m), t * m);
  } else {
    for (let t = 0; t < m; t++) {
      const src = order[t] * m;
      for (let i = 0; i < m; i++) vectors[i * m + t] = w[src + i];
    }
  }
  heap.release();
  return { values, vectors };
}

/** The reduction A = Q T Qᵀ of `householderReflectors`, Q kept as its reflectors. */
export interface Reflectors {
  readonly m: number;
  /** T's diagonal. */
  readonly d: Float64Array;
  /** T's subdiagonal: e[k] = T(k, k − 1) for k ≥ 1, e[0] = 0. */
  readonly e: Float64Array;
  /** Row s (m × m, row-major) holds u_s on [0, s), zeros after; row 0 is zero. */
  readonly v: Float64Array;
  /** τ_s = 1 / h_s (0 where the reflector is the identity): P_s = I − τ_s u_s u_sᵀ. */
  readonly tau: Float64Array;
}

/**
 * The Householder reduction A = Q T Qᵀ of a symmetric m×m matrix (row-major, lower triangle read;
 * both triangles with `full`) to tridiagonal T, with Q = P_{m−1} ⋯ P_1 left as its reflectors
 * (`householderEigen` before it forms Q and runs its QL iterations); BlockReflectors applies Q or
 * Qᵀ. The reflectors are written into `options.v` when given (its first m² entries), else into a
 * new array. `options.work` places the working matrix in a packed MatMem at element `at`
 * (m² + REDUCE_WORK·m doubles, see `reduce`), whose threads then share each step's columns;
 * else it gets a MatMem of its own.
 */
export function householderReflectors(
  a: Float64Array,
  m: number,
  options: {
    kernels?: "wasm" | "js";
    v?: Float64Array;
    full?: boolean;
    work?: { mem: MatMem<"float64">; at: number };
  } = {},
): Reflectors {
  const own = options.work
    ? null
    : matMem(m * m + REDUCE_WORK * m, options.kernels !== "js", "float64", true);
  const { mem, at } = options.work ?? { mem: own!, at: 0 };
  const w = mem.data;
  symmetricInto(w, at, a, m, options.full ?? false);
  reduce(mem, at, m);
  const D = at + m * m;
  // `v` may be given (m² long, for instance a view of the memory the reflectors are applied in)
  const v = options.v ? options.v.fill(0, 0, m * m) : new Float64Array(m * m);
  const tau = new Float64Array(m);
  for (let s = 1; s < m; s++) {
    const h = w[D + s];
    if (h === 0) continue;
    tau[s] = 1 / h;
    v.set(w.subarray(at + s * m, at + s * m + s), s * m);
  }
  const out = {
    m,
    d: Float64Array.from({ length: m }, (_, j) => w[at + j * m + j]),
    e: w.slice(D + m, D + 2 * m),
    v,
    tau,
  };
  if (m > 0) out.e[0] = 0;
  own?.release?.();
  return out;
}

/**
 * The symmetric m × m matrix a (row-major; its lower triangle, or all of it with `full`) written
 * whole at w[at ..).
 */
function symmetricInto(
  w: Float64Array,
  at: number,
  a: Float64Array,
  m: number,
  full: boolean,
): void {
  if (full) w.set(a.subarray(0, m * m), at);
  else
    for (let i = 0; i < m; i++)
      for (let j = 0; j <= i; j++) w[at + j * m + i] = w[at + i * m + j] = a[i * m + j];
}

/** Doubles `reduce` needs after the working matrix, per unit of m. */
export const REDUCE_WORK = 7;

/**
 * The Householder reduction of the symmetric matrix W (column-major m × m at w[at ..) of a
 * packed MatMem) to tridiagonal form T = QᵀWQ, without forming Q: on return W(j, j) holds T's
 * diagonal, e = w[at + m² + m ..) its subdiagonal at e[1..m) (e[0] = 0), and reflector
 * s = 1 … m − 1 is P_s = I − u uᵀ/h with u = W(0 .. s − 1, s) and h = w[at + m² + s] (h = 0:
 * P_s = I); Q = P_{m−1} ⋯ P_1. Needs REDUCE_WORK·m doubles after W (d, e, the vectors and a
 * second accumulator).
 *
 * Rows are reduced from the last (EISPACK's tred2). Step i needs the product of the leading
 * i × i block with its vector u_i, then updates that block by the rank-2 correction
 * −u eᵀ − e uᵀ. Here the update of step i and the product of step i − 1 share one pass, column
 * by column (gemm.wat r2step): row i − 1 (the next vector) is updated first (r2row), then each
 * column is updated and at once multiplied into the next product — one pass over the lower
 * triangle per step. The columns of a step are cut in two shares of equal work, [0, js) and
 * [js, i − 1), whose products accumulate apart and are added after (MatMem.r2Split): the second
 * share, and its columns' entries of the next row (MatMem.r2Row), run on a helper thread when
 * the MatMem has one, with the same bits either way. 1000 × 1000: 157 ms
 * with two passes per step, 112 ms fused (2026-12-01).
 */
function reduce(mem: MatMem<"float64">, at: number, m: number): void {
  const w = mem.data;
  const D = at + m * m;
  const E = D + m;
  if (m < 2) return;
  // u and e of the current step, and of the next; the second share's accumulator
  let uc = D + 2 * m;
  let ec = D + 3 * m;
  let un = D + 4 * m;
  let en = D + 5 * m;
  const eb = D + 6 * m;
  const top = m - 1;
  for (let j = 0; j < top; j++) w[uc + j] = w[at + j * m + top];
  let h = reflector(w, at, m, top, uc, E);
  w.fill(0, ec, ec + top);
  if (h !== 0) {
    for (let j = 0; j < top; j++) {
      const cj = at + j * m;
      const f = w[uc + j];
      let g = w[ec + j] + w[cj + j] * f;
      for (let t = j + 1; t < top; t++) {
        g += w[cj + t] * w[uc + t];
        w[ec + t] += f * w[cj + t];
      }
      w[ec + j] = g;
    }
    finishProduct(w, uc, ec, h, top);
  }
  w[D + top] = h;
  try {
    for (let i = top; i > 1; i--) {
      // Step i's u and e are at uc and ec (zero when P_i = I). Row i − 1 after step i's update:
      // the next step's vector.
      const r = i - 1;
      const ur = w[uc + r];
      const er = w[ec + r];
      // the shares: columns [0, js) and [js, r) hold about half the triangle each; each share's
      // thread updates its columns' entry of row r too (their cache lines stay in its cache)
      const js = Math.floor(r * (1 - Math.SQRT1_2));
      mem.r2Row!(at, m, r, uc, ec, un, ur, er, js);
      h = reflector(w, at, m, r, un, E);
      w.fill(0, en, en + r);
      w.fill(0, eb + js, eb + r);
      mem.r2Split!(at, m, i, uc, ec, un, en, eb, js);
      for (let j = js; j < r; j++) w[en + j] += w[eb + j];
      const cr = at + r * m;
      w[cr + r] -= ur * er + er * ur;
      w[cr + i] = 0;
      if (h !== 0) finishProduct(w, un, en, h, r);
      else w.fill(0, en, en + r);
      w[D + r] = h;
      [uc, un] = [un, uc];
      [ec, en] = [en, ec];
    }
  } finally {
    mem.r2End!(); // the helper leaves the series even if a step threw
  }
  // Step 1's update: column 0's diagonal
  w[at] -= w[uc] * w[ec] + w[ec] * w[uc];
  w[at + 1] = 0;
}

/**
 * Householder vector of step i from the row at u[0 .. i) (overwritten by the vector, also
 * stored as W(0 .. i − 1, i)), T's subdiagonal entry e[i] at E + i; returns h (0: P_i = I,
 * the row already reduced). The row is scaled by its 1-norm against underflow.
 */
function reflector(
  w: Float64Array,
  at: number,
  m: number,
  i: number,
  u: number,
  E: number,
): number {
  let scale = 0;
  for (let k = 0; k < i; k++) scale += Math.abs(w[u + k]);
  if (scale === 0) {
    w[E + i] = w[u + i - 1];
    w.fill(0, at + i * m, at + i * m + i);
    return 0;
  }
  let h = 0;
  for (let k = 0; k < i; k++) {
    const v = w[u + k] / scale;
    w[u + k] = v;
    h += v * v;
  }
  const f = w[u + i - 1];
  let g = Math.sqrt(h);
  if (f > 0) g = -g;
  w[E + i] = scale * g;
  h -= f * g;
  w[u + i - 1] = f - g;
  for (let j = 0; j < i; j++) w[at + i * m + j] = w[u + j];
  return h;
}

/** e ← p − (uᵀp / 2h)·u with p = e/h: the vector of step i's rank-2 update, from e = W u. */
function finishProduct(w: Float64Array, u: number, e: number, h: number, i: number): void {
  let f = 0;
  for (let j = 0; j < i; j++) {
    w[e + j] /= h;
    f += w[e + j] * w[u + j];
  }
  const hh = f / (h + h);
  for (let j = 0; j < i; j++) w[e + j] -= hh * w[u + j];
}

/** Forms Q from `reduce`'s reflectors in W, one reflector at a time; d, e as `tridiagonalize`. */
function accumulate(heap: Heap, m: number): void {
  const w = heap.f64;
  const D = m * m;
  const E = D + m;
  for (let i = 0; i < m - 1; i++) {
    const ci = i * m;
    const c1 = (i + 1) * m;
    w[ci + m - 1] = w[ci + i];
    w[ci + i] = 1;
    const h = w[D + i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) w[D + k] = w[c1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * m;
        heap.axpy(D, cj, heap.dot(c1, cj, i + 1), i + 1);
      }
    }
    for (let k = 0; k <= i; k++) w[c1 + k] = 0;
  }
  for (let j = 0; j < m; j++) {
    w[D + j] = w[j * m + m - 1];
    w[j * m + m - 1] = 0;
  }
  w[(m - 1) * m + m - 1] = 1;
  w[E] = 0;
}

/**
 * Implicit QL iterations with shifts on the tridiagonal matrix (d, e from `tridiagonalize`),
 * applying every plane rotation to the columns of W: on return d holds the eigenvalues and W's
 * columns the eigenvectors of the original matrix.
 */
function tridiagonalQl(heap: Heap, m: number): void {
  const w = heap.f64;
  const d = w.subarray(m * m, m * m + m);
  const e = w.subarray(m * m + m, m * m + 2 * m);
  for (let i = 1; i < m; i++) e[i - 1] = e[i];
  e[m - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < m; l++) {
    // Find a negligible subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let mm = l;
    while (mm < m - 1 && Math.abs(e[mm]) > eps * tst1) mm++;
    if (mm > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error("householderEigen: the QL iterations did not converge");
        // Shift from the leading 2×2 block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < m; i++) d[i] -= h;
        f += h;
        // Implicit QL transformation.
        p = d[mm];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = mm - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Rotate columns i and i+1 of the accumulated vectors.
          heap.rot(i * m, i * m + m, c, s, m);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
