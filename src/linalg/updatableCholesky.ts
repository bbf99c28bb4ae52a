import { createHeap, passKernel, type Heap, type PassKernel } from "../wasm/heap.js";

/**
 * A Cholesky factor M_SS = L Lᵀ of a symmetric positive-definite matrix restricted to an ordered
 * set S of indices, kept up to date as indices join (one forward substitution, O(k²)) and leave
 * (Givens rotations on the trailing block, O(k²)) — the updates of active-set methods
 * (Golub & Van Loan, Matrix Computations, §6.5). L is row-major lower triangular with rows `cap`
 * apart, in a heap laid out [rhs (cap) | L (cap×cap)] so that the triangular solves run as
 * WebAssembly SIMD kernels (kernels.wat fsub / bsub) where available; `order[i]` is the index of
 * S held by row i.
 */
export class UpdatableCholesky {
  /** Number of indices in S. */
  k = 0;
  order: Int32Array;
  /** Right-hand side for `solveRhs` (length ≥ k). */
  rhs: Float64Array;
  private cap: number;
  private heap: Heap;
  private kernel: PassKernel | null;
  private l: Float64Array;

  constructor(capacity: number) {
    this.cap = Math.max(1, capacity);
    this.heap = createHeap(this.cap + this.cap * this.cap);
    this.kernel = passKernel(this.heap);
    this.rhs = this.heap.f64.subarray(0, this.cap);
    this.l = this.heap.f64.subarray(this.cap, this.cap + this.cap * this.cap);
    this.order = new Int32Array(this.cap);
  }

  reset(): void {
    this.k = 0;
  }

  private grow(): void {
    const cap = 2 * this.cap;
    const heap = createHeap(cap + cap * cap);
    const l = heap.f64.subarray(cap, cap + cap * cap);
    for (let r = 0; r < this.k; r++)
      l.set(this.l.subarray(r * this.cap, r * this.cap + r + 1), r * cap);
    const order = new Int32Array(cap);
    order.set(this.order);
    this.heap.release();
    this.heap = heap;
    this.kernel = passKernel(heap);
    this.cap = cap;
    this.l = l;
    this.rhs = heap.f64.subarray(0, cap);
    this.order = order;
  }

  /** v ← L⁻¹v for v at heap offset `at` (L's row k when adding). */
  private forward(at: number, k: number): void {
    const cap = this.cap;
    if (this.kernel) return this.kernel.fsub(cap, at, k, cap);
    const f = this.heap.f64;
    for (let r = 0; r < k; r++) {
      const off = cap + r * cap;
      let s = f[at + r];
      for (let c = 0; c < r; c++) s -= f[off + c] * f[at + c];
      f[at + r] = s / f[off + r];
    }
  }

  /**
   * Appends index `idx`, given `col[i]` = M(order[i], idx) for i < k and `diag` = M(idx, idx).
   * Returns false (and leaves the factor unchanged) when the enlarged matrix is not numerically
   * positive definite: the new pivot is at most `tol`·diag.
   */
  add(idx: number, col: Float64Array, diag: number, tol = 1e-10): boolean {
    if (this.k === this.cap) this.grow();
    const { l, cap } = this;
    const k = this.k;
    const row = k * cap;
    l.set(col.subarray(0, k), row);
    this.forward(cap + row, k);
    let ss = 0;
    for (let r = 0; r < k; r++) ss += l[row + r] * l[row + r];
    const d2 = diag - ss;
    if (!(d2 > tol * diag)) return false;
    l[row + k] = Math.sqrt(d2);
    this.order[k] = idx;
    this.k = k + 1;
    return true;
  }

  /** Removes the index at row `pos`, restoring triangularity by Givens rotations. */
  remove(pos: number): void {
    const { l, cap } = this;
    const k = this.k;
    for (let c = pos + 1; c < k; c++) {
      const a = l[c * cap + c - 1];
      const b = l[c * cap + c];
      const h = Math.hypot(a, b);
      const cs = a / h;
      const sn = b / h;
      for (let r = c; r < k; r++) {
        const off = r * cap;
        const x = l[off + c - 1];
        const y = l[off + c];
        l[off + c - 1] = cs * x + sn * y;
        l[off + c] = cs * y - sn * x;
      }
      l[c * cap + c] = 0;
    }
    for (let r = pos + 1; r < k; r++) {
      l.copyWithin((r - 1) * cap, r * cap, r * cap + r);
      this.order[r - 1] = this.order[r];
    }
    this.k = k - 1;
  }

  /** Solves L Lᵀ x = rhs in place (rhs[i] belongs to order[i]). */
  solveRhs(): void {
    const { cap, k } = this;
    this.forward(0, k);
    if (this.kernel) return this.kernel.bsub(cap, 0, k, cap);
    const { l, rhs: v } = this;
    for (let r = k - 1; r >= 0; r--) {
      const off = r * cap;
      const x = v[r] / l[off + r];
      v[r] = x;
      for (let c = 0; c < r; c++) v[c] -= l[off + c] * x;
    }
  }

  /** Solves L Lᵀ x = v in place (v[i] belongs to order[i]). */
  solve(v: Float64Array): void {
    this.rhs.set(v.subarray(0, this.k));
    this.solveRhs();
    v.set(this.rhs.subarray(0, this.k));
  }

  release(): void {
    this.heap.release();
  }
}
