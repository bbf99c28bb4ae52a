import { InputError } from "../errors.js";

/**
 * A dense design matrix stored column-major: entry (i, j) is `data[j * nRows + i]`.
 * Column-major matches coordinate descent, which walks one feature (column) at a time.
 */
export interface DenseMatrix {
  readonly kind: "dense";
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float64Array;
}

/**
 * A sparse matrix in compressed sparse column (CSC) form: the non-zeros of column j are
 * `values[colPtr[j] .. colPtr[j+1])` at rows `rowIndex[...]` (0-based, strictly increasing).
 * Solvers never densify it: centering and scaling are applied implicitly.
 */
export interface CscMatrix {
  readonly kind: "csc";
  readonly nRows: number;
  readonly nCols: number;
  readonly colPtr: Int32Array;
  readonly rowIndex: Int32Array;
  readonly values: Float64Array;
}

export type Matrix = DenseMatrix | CscMatrix;

/** Wraps column-major data as a DenseMatrix after checking its size and finiteness.
 *
 * @example
 * ```ts
 * const m = denseMatrix(3, 2, Float64Array.of(1, 3, 5, 2, 4, 6)); // columns (1,3,5) and (2,4,6)
 * ```
 */
export function denseMatrix(nRows: number, nCols: number, data: Float64Array): DenseMatrix {
  if (data.length !== nRows * nCols) {
    throw new InputError(`dense matrix: data has ${data.length} entries, expected ${nRows}×${nCols}`);
  }
  return { kind: "dense", nRows, nCols, data };
}

/** Builds a column-major DenseMatrix from an array of rows.
 *
 * @example
 * ```ts
 * const m = denseFromRows([
 *   [1, 2],
 *   [3, 4],
 *   [5, 6],
 * ]); // 3 × 2, stored column-major
 * ```
 */
export function denseFromRows(rows: ArrayLike<ArrayLike<number>>): DenseMatrix {
  const n = rows.length;
  const p = n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== p) {
      throw new InputError(`row ${i + 1} has ${row.length} values, expected ${p}`, { row: i + 1 });
    }
    for (let j = 0; j < p; j++) data[j * n + i] = row[j];
  }
  return { kind: "dense", nRows: n, nCols: p, data };
}

/** Checks a CSC matrix's structure (pointers, sorted in-range row indices) and wraps it.
 *
 * @example
 * ```ts
 * const m = cscMatrix(3, 2, Int32Array.of(0, 1, 3), Int32Array.of(2, 0, 1), Float64Array.of(5, 1, 2));
 * ```
 */
export function cscMatrix(
  nRows: number,
  nCols: number,
  colPtr: Int32Array,
  rowIndex: Int32Array,
  values: Float64Array,
): CscMatrix {
  if (colPtr.length !== nCols + 1 || colPtr[0] !== 0 || colPtr[nCols] !== values.length) {
    throw new InputError("sparse matrix: colPtr must have nCols+1 entries from 0 to nnz");
  }
  if (rowIndex.length !== values.length) {
    throw new InputError("sparse matrix: rowIndex and values must have the same length");
  }
  for (let j = 0; j < nCols; j++) {
    if (colPtr[j + 1] < colPtr[j]) throw new InputError(`sparse matrix: colPtr decreases at column ${j}`);
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
      const i = rowIndex[k];
      if (i < 0 || i >= nRows || (k > colPtr[j] && i <= rowIndex[k - 1])) {
        throw new InputError(`sparse matrix: row indices of column ${j} must be increasing and in [0, ${nRows})`);
      }
    }
  }
  return { kind: "csc", nRows, nCols, colPtr, rowIndex, values };
}

/**
 * A sparse matrix given in compressed sparse row (CSR) form — what row-by-row builders such as
 * text vectorizers produce (scipy's `indptr`, `indices`, `data`) — checked and stored as CSC (one
 * O(nnz) transposition; the fitting code reads columns). Column indices within a row may come in
 * any order but not twice.
 *
 * @example
 * ```ts
 * const x = csrMatrix(2, 3, Int32Array.of(0, 2, 3), Int32Array.of(2, 0, 1), Float64Array.of(1, 4, 5));
 * // rows: [4, 0, 1] and [0, 5, 0]
 * ```
 */
export function csrMatrix(
  nRows: number,
  nCols: number,
  rowPtr: Int32Array,
  colIndex: Int32Array,
  values: Float64Array,
): CscMatrix {
  if (rowPtr.length !== nRows + 1 || rowPtr[0] !== 0 || rowPtr[nRows] !== values.length)
    throw new InputError("sparse matrix: rowPtr must have nRows+1 entries from 0 to nnz");
  if (colIndex.length !== values.length)
    throw new InputError("sparse matrix: colIndex and values must have the same length");
  const colPtr = new Int32Array(nCols + 1);
  const seen = new Int32Array(nCols).fill(-1);
  for (let i = 0; i < nRows; i++) {
    if (rowPtr[i + 1] < rowPtr[i]) throw new InputError(`sparse matrix: rowPtr decreases at row ${i}`);
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      const j = colIndex[k];
      if (!(j >= 0 && j < nCols))
        throw new InputError(`sparse matrix: column index ${j} of row ${i} is not in [0, ${nCols})`);
      if (seen[j] === i)
        throw new InputError(`sparse matrix: row ${i} has column ${j} twice`);
      seen[j] = i;
      colPtr[j + 1]++;
    }
  }
  for (let j = 0; j < nCols; j++) colPtr[j + 1] += colPtr[j];
  const next = colPtr.slice(0, nCols);
  const rowIndex = new Int32Array(values.length);
  const out = new Float64Array(values.length);
  for (let i = 0; i < nRows; i++)
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      const at = next[colIndex[k]]++;
      rowIndex[at] = i;
      out[at] = values[k];
    }
  return { kind: "csc", nRows, nCols, colPtr, rowIndex, values: out };
}

/** Converts a dense matrix to CSC, keeping only non-zero entries.
 *
 * @example
 * ```ts
 * const sparse = denseToCsc(denseFromRows([[0, 1], [2, 0]]));
 * ```
 */
export function denseToCsc(m: DenseMatrix): CscMatrix {
  const { nRows: n, nCols: p, data } = m;
  let nnz = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) nnz++;
  const colPtr = new Int32Array(p + 1);
  const rowIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let t = 0;
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      const v = data[j * n + i];
      if (v !== 0) {
        rowIndex[t] = i;
        values[t++] = v;
      }
    }
    colPtr[j + 1] = t;
  }
  return { kind: "csc", nRows: n, nCols: p, colPtr, rowIndex, values };
}

/** Converts a CSC matrix to a dense (column-major) one.
 *
 * @example
 * ```ts
 * cscToDense(denseToCsc(denseFromRows([[0, 1], [2, 0]]))).data; // [0, 2, 1, 0]
 * ```
 */
export function cscToDense(x: CscMatrix): DenseMatrix {
  const { nRows: n, nCols: p, colPtr, rowIndex, values } = x;
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) data[j * n + rowIndex[k]] = values[k];
  return denseMatrix(n, p, data);
}

/**
 * Whether a sparse design is better served as a dense one: small (at most 4M values, 32 MB
 * dense) or at least 25 % filled. The multinomial path then runs on the model core; the
 * binomial and Poisson sparse solver certifies it as tightly as the dense solver would.
 *
 * @example
 * ```ts
 * denseIsBetter(denseToCsc(denseMatrix(569, 30, new Float64Array(569 * 30)))); // true: 17 070 values
 * ```
 */
export function denseIsBetter(x: CscMatrix): boolean {
  const size = x.nRows * x.nCols;
  return size <= 2 ** 22 || x.values.length >= 0.25 * size;
}

/** Returns the index of the first non-finite entry of `a`, or -1.
 *
 * @example
 * ```ts
 * firstNonFinite([1, NaN, 3]); // 1 (the index of the first bad value; −1 if none)
 * ```
 */
export function firstNonFinite(a: ArrayLike<number>): number {
  if (!(a instanceof Float64Array) && !(a instanceof Float32Array)) {
    // A plain array can hold null, strings or undefined, which the test below lets through.
    for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) return k;
    return -1;
  }
  // x − x is 0 for every finite double and NaN for ±∞ and NaN: blocks whose sum is 0 are clean.
  const n = a.length;
  for (let s = 0; s < n; s += 4096) {
    const e = Math.min(n, s + 4096);
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    let k = s;
    for (; k + 3 < e; k += 4) {
      z0 += a[k] - a[k];
      z1 += a[k + 1] - a[k + 1];
      z2 += a[k + 2] - a[k + 2];
      z3 += a[k + 3] - a[k + 3];
    }
    for (; k < e; k++) z0 += a[k] - a[k];
    if (z0 + z1 + z2 + z3 !== 0) for (k = s; k < e; k++) if (!Number.isFinite(a[k])) return k;
  }
  return -1;
}

/** Computes η = X β (β dense, length nCols) into `out` (length nRows).
 *
 * @example
 * ```ts
 * const eta = matVec(x, beta, new Float64Array(x.nRows)); // Xβ
 * ```
 */
export function matVec(x: Matrix, beta: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = x.nRows;
  out.fill(0);
  if (x.kind === "dense") {
    const d = x.data;
    for (let j = 0; j < x.nCols; j++) {
      const b = beta[j];
      if (b === 0) continue;
      const off = j * n;
      for (let i = 0; i < n; i++) out[i] += b * d[off + i];
    }
  } else {
    for (let j = 0; j < x.nCols; j++) {
      const b = beta[j];
      if (b === 0) continue;
      for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) out[x.rowIndex[k]] += b * x.values[k];
    }
  }
  return out;
}

/** The rows `rows` (0-based, in that order) of x, as a new matrix of the same kind.
 *
 * @example
 * ```ts
 * const train = subsetRows(x, [0, 2, 4, 6]);
 * ```
 */
export function subsetRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const m = rows.length;
  const p = x.nCols;
  if (x.kind === "dense") {
    const n = x.nRows;
    const data = new Float64Array(m * p);
    for (let j = 0; j < p; j++) {
      const off = j * n;
      const to = j * m;
      for (let t = 0; t < m; t++) data[to + t] = x.data[off + rows[t]];
    }
    return { kind: "dense", nRows: m, nCols: p, data };
  }
  // Position of each kept row in the subset (−1: dropped); rows must be increasing for CSC order.
  const where = new Int32Array(x.nRows).fill(-1);
  for (let t = 0; t < m; t++) where[rows[t]] = t;
  const colPtr = new Int32Array(p + 1);
  let nnz = 0;
  for (let j = 0; j < p; j++) {
    for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) if (where[x.rowIndex[k]] >= 0) nnz++;
    colPtr[j + 1] = nnz;
  }
  const rowIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let t = 0;
  for (let j = 0; j < p; j++) {
    const start = t;
    for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) {
      const r = where[x.rowIndex[k]];
      if (r < 0) continue;
      rowIndex[t] = r;
      values[t++] = x.values[k];
    }
    // Keep row indices increasing even if `rows` was not sorted.
    if (t - start > 1) {
      const order = Array.from({ length: t - start }, (_, q) => start + q).sort(
        (a, b) => rowIndex[a] - rowIndex[b],
      );
      const ri = order.map((q) => rowIndex[q]);
      const va = order.map((q) => values[q]);
      rowIndex.set(ri, start);
      values.set(va, start);
    }
  }
  return { kind: "csc", nRows: m, nCols: p, colPtr, rowIndex, values };
}

/** The columns `cols` (0-based, in that order) of x, as a new matrix of the same kind.
 *
 * @example
 * ```ts
 * const firstThree = subsetColumns(x, [0, 1, 2]);
 * ```
 */
export function subsetColumns(x: Matrix, cols: ArrayLike<number>): Matrix {
  const n = x.nRows;
  const q = cols.length;
  if (x.kind === "dense") {
    const data = new Float64Array(n * q);
    for (let t = 0; t < q; t++) data.set(x.data.subarray(cols[t] * n, (cols[t] + 1) * n), t * n);
    return { kind: "dense", nRows: n, nCols: q, data };
  }
  const colPtr = new Int32Array(q + 1);
  for (let t = 0; t < q; t++) colPtr[t + 1] = colPtr[t] + x.colPtr[cols[t] + 1] - x.colPtr[cols[t]];
  const rowIndex = new Int32Array(colPtr[q]);
  const values = new Float64Array(colPtr[q]);
  for (let t = 0; t < q; t++) {
    const a = x.colPtr[cols[t]];
    const b = x.colPtr[cols[t] + 1];
    rowIndex.set(x.rowIndex.subarray(a, b), colPtr[t]);
    values.set(x.values.subarray(a, b), colPtr[t]);
  }
  return { kind: "csc", nRows: n, nCols: q, colPtr, rowIndex, values };
}

/**
 * The mean and population standard deviation of column j, dense or sparse (a CSC column's zeros
 * counted without being stored).
 *
 * @example
 * ```ts
 * columnMoments(denseFromRows([[1], [3]]), 0); // { m: 2, s: 1 }
 * ```
 */
export function columnMoments(x: Matrix, j: number): { m: number; s: number } {
  const n = x.nRows;
  let sum = 0;
  let sq = 0;
  if (x.kind === "dense") {
    const col = x.data.subarray(j * n, (j + 1) * n);
    for (const v of col) sum += v;
    const m = sum / n;
    for (const v of col) sq += (v - m) ** 2;
    return { m, s: Math.sqrt(sq / n) };
  }
  const a = x.colPtr[j];
  const b = x.colPtr[j + 1];
  for (let k = a; k < b; k++) sum += x.values[k];
  const m = sum / n;
  for (let k = a; k < b; k++) sq += (x.values[k] - m) ** 2;
  sq += (n - (b - a)) * m * m;
  return { m, s: Math.sqrt(sq / n) };
}

/**
 * Σ_k u[rowIndex[k]]·values[k] over k0 ≤ k < k1, in four independent sums: a single running sum
 * waits on each addition's latency, and this dot product is most of a sweep's time.
 */
export function sparseDot(
  u: Float64Array,
  rowIndex: Int32Array,
  values: Float64Array,
  k0: number,
  k1: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = k0;
  for (; k + 3 < k1; k += 4) {
    s0 += u[rowIndex[k]] * values[k];
    s1 += u[rowIndex[k + 1]] * values[k + 1];
    s2 += u[rowIndex[k + 2]] * values[k + 2];
    s3 += u[rowIndex[k + 3]] * values[k + 3];
  }
  for (; k < k1; k++) s0 += u[rowIndex[k]] * values[k];
  return s0 + s1 + (s2 + s3);
}
