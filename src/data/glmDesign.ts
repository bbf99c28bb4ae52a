import type { Matrix } from "./matrix.js";
import { moments, standardizeDense, standardizeScratch } from "./design.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";
import { standardizedSquare, type SparseColumns } from "./standardizedCsc.js";

export type { SparseColumns };

/**
 * The design of a GLM path, standardized once with the observation weights as glmnet does,
 *
 *     x̃_j = (x_j − c_j) / s_j,
 *
 * (c_j the weighted mean with an intercept, else 0; s_j the weighted population standard
 * deviation when standardizing, else 1) and left unweighted: the IRLS weights change with every
 * Newton step and enter the products below. Dense input is copied standardized; sparse (CSC)
 * input is never densified — centering and scaling are applied inside each product.
 * Constructing it clears `include[j]` for every constant column.
 */
export class GlmDesign {
  readonly n: number;
  readonly p: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  private readonly xs: Float64Array | null;
  private readonly sp: SparseColumns | null = null;
  private readonly heap: Heap | null = null;

  constructor(
    x: Matrix,
    w: Float64Array,
    intercept: boolean,
    standardize: boolean,
    include: Uint8Array,
  ) {
    const n = (this.n = x.nRows);
    const p = (this.p = x.nCols);
    if (x.kind === "dense") {
      // [X̃ (n·p) | one vector slot (n) | p results | p column indices (i32) | standardizeDense's
      // scratch] in a heap with SIMD dot products.
      const scratch = n * p + n + p + Math.ceil(p / 2) + 1;
      this.heap = createHeap(scratch + standardizeScratch(n, p));
      const xs = (this.xs = this.heap.f64.subarray(0, n * p));
      const st = standardizeDense(this.heap, x, w, false, intercept, standardize, include, scratch);
      if (st) {
        this.center = st.center;
        this.scale = st.scale;
        return;
      }
      const mo = moments(x, w, intercept, standardize, include);
      this.center = mo.center;
      this.scale = mo.scale;
      for (let j = 0; j < p; j++) {
        if (!include[j]) continue;
        const c = this.center[j];
        const s = 1 / this.scale[j];
        const off = j * n;
        for (let i = 0; i < n; i++) xs[off + i] = (x.data[off + i] - c) * s;
      }
    } else {
      const mo = moments(x, w, intercept, standardize, include);
      this.center = mo.center;
      this.scale = mo.scale;
      this.xs = null;
      // (Copies by slice: TypedArray.from walks its source as an iterable, 13 ms of a 1M
      // non-zero path's 0.65 s.)
      this.sp = {
        colPtr: x.colPtr.slice(),
        rowIndex: x.rowIndex.slice(),
        values: x.values.slice(),
      };
    }
  }

  /**
   * out[t] = Σᵢ vᵢ x̃_ij for j = cols[t], t < count (a negative j gives Σᵢ vᵢ), given Σᵢ vᵢ as
   * `sumV`. Dense designs run these on the WebAssembly SIMD dot kernel.
   */
  dots(cols: Int32Array, count: number, v: Float64Array, sumV: number, out: Float64Array): void {
    const heap = this.heap;
    if (heap) {
      const n = this.n;
      const p = this.p;
      const slot = n * p;
      heap.f64.set(v, slot);
      const kernel = passKernel(heap);
      if (kernel) {
        // One call for all columns (kernels.wat grads4): results land at resOff + j.
        const resOff = slot + n;
        const listOff = 2 * (resOff + p);
        let m = 0;
        for (let t = 0; t < count; t++) if (cols[t] >= 0) kernel.i32[listOff + m++] = cols[t];
        kernel.grads4(listOff, m, 0, n, slot, resOff);
        for (let t = 0; t < count; t++) {
          const j = cols[t];
          out[t] = j < 0 ? sumV : heap.f64[resOff + j];
        }
        return;
      }
      for (let t = 0; t < count; t++) {
        const j = cols[t];
        out[t] = j < 0 ? sumV : heap.dot(j * n, slot, n);
      }
      return;
    }
    for (let t = 0; t < count; t++) out[t] = cols[t] < 0 ? sumV : this.dot(cols[t], v, sumV);
  }

  /** Σᵢ vᵢ x̃_ij, given Σᵢ vᵢ as `sumV` (used by sparse columns for the centering). */
  dot(j: number, v: Float64Array, sumV: number): number {
    const xs = this.xs;
    if (xs) {
      const n = this.n;
      const off = j * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[off + i] * v[i];
      return s;
    }
    const { colPtr, rowIndex, values } = this.sp as SparseColumns;
    let s = 0;
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) s += values[k] * v[rowIndex[k]];
    return (s - this.center[j] * sumV) / this.scale[j];
  }

  /**
   * Σᵢ wᵢrᵢ x̃_ij, given Σᵢ wᵢrᵢ as `sumWr`; for a sparse design r may be held as `r + shift`
   * on every row (see axpyLazy).
   */
  weightedDot(j: number, w: Float64Array, r: Float64Array, sumWr: number, shift = 0): number {
    const xs = this.xs;
    if (xs) {
      const n = this.n;
      const off = j * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * r[i] * xs[off + i];
      return s;
    }
    const { colPtr, rowIndex, values } = this.sp as SparseColumns;
    let s = 0;
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
      const i = rowIndex[k];
      s += w[i] * (r[i] + shift) * values[k];
    }
    return (s - this.center[j] * sumWr) / this.scale[j];
  }

  /** Σᵢ wᵢ x̃_ij², given Σᵢ wᵢ as `sumW`. */
  weightedSquare(j: number, w: Float64Array, sumW: number): number {
    const xs = this.xs;
    if (xs) {
      const n = this.n;
      const off = j * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * xs[off + i] * xs[off + i];
      return s;
    }
    return standardizedSquare(
      this.sp as SparseColumns,
      j,
      w,
      sumW,
      this.center[j],
      this.scale[j],
    );
  }

  /** Hands pooled memory back; the design must not be used afterwards. */
  release(): void {
    this.heap?.release();
  }

  /** The CSC columns of a sparse design (uncentered, unscaled), else null. */
  sparse(): SparseColumns | null {
    return this.sp;
  }

  /** Column j of X̃ (a view; dense designs only, else null). */
  column(j: number): Float64Array | null {
    return this.xs ? this.xs.subarray(j * this.n, (j + 1) * this.n) : null;
  }

  /** out[offset + i] = vᵢ·x̃_ij for every row i. */
  scaledColumn(j: number, v: Float64Array, out: Float64Array, offset: number): void {
    const xs = this.xs;
    const n = this.n;
    if (xs) {
      const off = j * n;
      for (let i = 0; i < n; i++) out[offset + i] = v[i] * xs[off + i];
      return;
    }
    const { colPtr, rowIndex, values } = this.sp as SparseColumns;
    const s = 1 / this.scale[j];
    const shift = this.center[j] * s;
    for (let i = 0; i < n; i++) out[offset + i] = -shift * v[i];
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
      const i = rowIndex[k];
      out[offset + i] += v[i] * values[k] * s;
    }
  }

  /**
   * v ← v + Σ_t d[t]·x̃_{cols[t]} for t < count: a whole step's change of the linear predictor
   * (on the WebAssembly SIMD axpy kernel for dense designs).
   */
  axpyMany(cols: Int32Array, d: Float64Array, count: number, v: Float64Array): void {
    const heap = this.heap;
    if (!heap) {
      for (let t = 0; t < count; t++) this.axpy(cols[t], d[t], v);
      return;
    }
    const n = this.n;
    const p = this.p;
    const slot = n * p;
    heap.f64.set(v, slot);
    const kernel = passKernel(heap);
    if (kernel) {
      // One call (kernels.wat axpys, y ← y − Σ αx): the list and −d in the results' room.
      const resOff = slot + n;
      const listOff = 2 * (resOff + p);
      for (let t = 0; t < count; t++) {
        kernel.i32[listOff + t] = cols[t];
        heap.f64[resOff + t] = -d[t];
      }
      kernel.axpys(listOff, resOff, count, 0, n, slot);
    } else for (let t = 0; t < count; t++) heap.axpy(cols[t] * n, slot, -d[t], n); // y ← y − αx
    v.set(heap.f64.subarray(slot, slot + n));
  }

  /**
   * v ← v + d·x̃_j, except, for a sparse design, the constant −d·c_j/s_j every row would get:
   * that is returned for the caller to carry (0 for a dense design, done in full), so that an
   * update costs the column's non-zeros rather than n.
   */
  axpyLazy(j: number, d: number, v: Float64Array): number {
    if (this.xs) {
      this.axpy(j, d, v);
      return 0;
    }
    const { colPtr, rowIndex, values } = this.sp as SparseColumns;
    const ds = d / this.scale[j];
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) v[rowIndex[k]] += ds * values[k];
    return -ds * this.center[j];
  }

  /** v ← v + d·x̃_j. */
  axpy(j: number, d: number, v: Float64Array): void {
    const xs = this.xs;
    const n = this.n;
    if (xs) {
      const off = j * n;
      for (let i = 0; i < n; i++) v[i] += d * xs[off + i];
      return;
    }
    const { colPtr, rowIndex, values } = this.sp as SparseColumns;
    const ds = d / this.scale[j];
    const shift = ds * this.center[j];
    if (shift !== 0) for (let i = 0; i < n; i++) v[i] -= shift;
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) v[rowIndex[k]] += ds * values[k];
  }
}
