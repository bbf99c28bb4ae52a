/**
 * A Cholesky factor M_SS = L Lᵀ of a symmetric positive-definite matrix restricted to an ordered
 * set S of indices, kept up to date as indices join (one forward substitution, O(k²)) and leave
 * (Givens rotations on the trailing block, O(k²)) — the updates of active-set methods
 * (Golub & Van Loan, Matrix Computations, §6.5). L is row-major lower triangular with row
 * stride `cap`; `order[i]` is the index of S held by row i.
 */
export class UpdatableCholesky {
  /** Number of indices in S. */
  k = 0;
  order: Int32Array;
  private cap: number;
  private l: Float64Array;

  constructor(capacity: number) {
    this.cap = Math.max(1, capacity);
    this.l = new Float64Array(this.cap * this.cap);
    this.order = new Int32Array(this.cap);
  }

  reset(): void {
    this.k = 0;
  }

  private grow(): void {
    const cap = 2 * this.cap;
    const l = new Float64Array(cap * cap);
    for (let r = 0; r < this.k; r++)
      l.set(this.l.subarray(r * this.cap, r * this.cap + r + 1), r * cap);
    const order = new Int32Array(cap);
    order.set(this.order);
    this.cap = cap;
    this.l = l;
    this.order = order;
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
    let ss = 0;
    for (let r = 0; r < k; r++) {
      const off = r * cap;
      let s = col[r];
      for (let c = 0; c < r; c++) s -= l[off + c] * l[row + c];
      const v = s / l[off + r];
      l[row + r] = v;
      ss += v * v;
    }
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

  /** Solves L Lᵀ x = v in place (v[i] belongs to order[i]). */
  solve(v: Float64Array): void {
    const { l, cap, k } = this;
    for (let r = 0; r < k; r++) {
      const off = r * cap;
      let s = v[r];
      for (let c = 0; c < r; c++) s -= l[off + c] * v[c];
      v[r] = s / l[off + r];
    }
    for (let r = k - 1; r >= 0; r--) {
      const off = r * cap;
      const x = v[r] / l[off + r];
      v[r] = x;
      for (let c = 0; c < r; c++) v[c] -= l[off + c] * x;
    }
  }
}
