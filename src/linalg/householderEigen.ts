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
  const heap = createHeap(m * m + 2 * m, options.kernels ?? "wasm");
  const w = heap.f64;
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) w[j * m + i] = w[i * m + j] = a[i * m + j];
  if (m > 0) {
    tridiagonalize(heap, m);
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
 * The Householder reduction A = Q T Qᵀ of a symmetric m×m matrix (row-major, lower triangle read)
 * to tridiagonal T, with Q = P_{m−1} ⋯ P_1 left as its reflectors (`householderEigen` before it
 * forms Q and runs its QL iterations); BlockReflectors applies Q or Qᵀ. The reflectors are written
 * into `options.v` when given (its first m² entries), else into a new array.
 */
export function householderReflectors(
  a: Float64Array,
  m: number,
  options: { kernels?: "wasm" | "js"; v?: Float64Array } = {},
): Reflectors {
  const heap = createHeap(m * m + 2 * m, options.kernels ?? "wasm");
  const w = heap.f64;
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) w[j * m + i] = w[i * m + j] = a[i * m + j];
  reduce(heap, m);
  const D = m * m;
  // `v` may be given (m² long, for instance a view of the memory the reflectors are applied in)
  const v = options.v ? options.v.fill(0, 0, m * m) : new Float64Array(m * m);
  const tau = new Float64Array(m);
  for (let s = 1; s < m; s++) {
    const h = w[D + s];
    if (h === 0) continue;
    tau[s] = 1 / h;
    v.set(w.subarray(s * m, s * m + s), s * m);
  }
  const out = {
    m,
    d: Float64Array.from({ length: m }, (_, j) => w[j * m + j]),
    e: w.slice(m * m + m, m * m + 2 * m),
    v,
    tau,
  };
  if (m > 0) out.e[0] = 0;
  heap.release();
  return out;
}

/**
 * Householder reduction of the symmetric matrix W (column-major at the heap's start) to
 * tridiagonal form T = QᵀWQ: on return d = f64[m² ..) holds T's diagonal, e = f64[m² + m ..) its
 * subdiagonal at e[1..m) (e[0] = 0), and W holds Q. Rows are reduced from the last, each
 * reflector scaled by the row's 1-norm against underflow.
 */
function tridiagonalize(heap: Heap, m: number): void {
  reduce(heap, m);
  accumulate(heap, m);
}

/**
 * The reduction of `tridiagonalize` without forming Q: on return W(j, j) holds T's diagonal, e
 * its subdiagonal, and reflector s = 1 … m − 1 is P_s = I − u uᵀ/h with u = W(0 .. s − 1, s) and
 * h = d[s] (h = 0: P_s = I); Q = P_{m−1} ⋯ P_1.
 */
function reduce(heap: Heap, m: number): void {
  const w = heap.f64;
  const D = m * m;
  const E = D + m;
  // W(i, j) = w[j·m + i]. d holds the row being reduced, e the product W·u.
  for (let j = 0; j < m; j++) w[D + j] = w[j * m + m - 1];
  for (let i = m - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(w[D + k]);
    if (scale === 0) {
      w[E + i] = w[D + i - 1];
      for (let j = 0; j < i; j++) {
        w[D + j] = w[j * m + i - 1];
        w[j * m + i] = 0;
        w[i * m + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        const v = w[D + k] / scale;
        w[D + k] = v;
        h += v * v;
      }
      let f = w[D + i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      w[E + i] = scale * g;
      h -= f * g;
      w[D + i - 1] = f - g;
      for (let j = 0; j < i; j++) w[E + j] = 0;
      // e = W u over the leading i×i block, reading only its lower triangle (column j).
      for (let j = 0; j < i; j++) {
        const cj = j * m;
        f = w[D + j];
        w[i * m + j] = f;
        g = w[E + j] + w[cj + j] * f;
        const len = i - j - 1;
        if (len > 0) g += heap.dotAxpy(cj + j + 1, D + j + 1, E + j + 1, f, len);
        w[E + j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        w[E + j] /= h;
        f += w[E + j] * w[D + j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) w[E + j] -= hh * w[D + j];
      // Rank-2 update W ← W − u eᵀ − e uᵀ on the lower triangle.
      for (let j = 0; j < i; j++) {
        const cj = j * m;
        heap.rank2(cj + j, E + j, D + j, w[D + j], w[E + j], i - j);
        w[D + j] = w[cj + i - 1];
        w[cj + i] = 0;
      }
    }
    w[D + i] = h;
  }
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
