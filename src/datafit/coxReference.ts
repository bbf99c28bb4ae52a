import { createHeap, passKernel, type Heap, type PassKernel } from "../wasm/heap.js";

/** Largest heap (doubles) kept for the reference Hessian's columns (2^25: 256 MB). */
const REF_CACHE = 2 ** 25;

/**
 * The Cox datafit's exact Hessian blocks at the reference (the compact solve's lagged Hessian),
 * from a heap kept for the path: the slots' columns (X, n each, in the compact solve's
 * append-only slot order — its B is always that list) and their second-term rows at the
 * reference (M, R each, formed anew after each new reference by `riskRow`). A row a of a block is
 * then two row-dot kernel calls against B, with no copy of B:
 *
 *     H_aB = (π∘x_a)ᵀX_B − (w2∘M_a)ᵀM_B,
 *
 * π the rows' first-order weights and w2 the second-term rows' weights at the reference.
 */
export class CoxReferenceBlocks {
  private heap: Heap | null = null;
  private kernel: PassKernel | null = null;
  private cap = 0;
  private xCount = 0;
  private mCount = 0;
  private offs = new Int32Array(0);
  private xs: Float64Array | null = null;

  /**
   * n rows, R second-term rows; `riskRow(xs, off, dst, at)` writes column off's R second-term
   * values at the reference into dst[at …].
   */
  constructor(
    private readonly n: number,
    private readonly R: number,
    private readonly riskRow: (
      xs: Float64Array,
      off: number,
      dst: Float64Array,
      at: number,
    ) => void,
  ) {}

  /** A new reference: the second-term rows are formed again as they are asked for. */
  renew(): void {
    this.mCount = 0;
  }

  /** Hands the heap back (a later block starts a new one). */
  release(): void {
    this.heap?.release();
    this.heap = this.kernel = this.xs = null;
    this.cap = this.xCount = this.mCount = 0;
  }

  /**
   * out[a·mB + b] = H_ab for columns A (rows) against the slot list B at the reference (diag =
   * π, w2 its weights). False where it does not apply (B not an extension of the kept slot list,
   * no kernels, past REF_CACHE doubles): the caller's general route runs.
   */
  block(
    xs: Float64Array,
    offsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    mB: number,
    diag: Float64Array,
    w2: Float64Array,
    out: Float64Array,
  ): boolean {
    const { n, R } = this;
    if (this.xs !== xs) {
      this.release();
      this.xs = xs;
    }
    for (let b = 0; b < Math.min(this.xCount, mB); b++) if (this.offs[b] !== offsB[b]) return false;
    if (!this.heap || this.cap < mB) if (!this.grow(mB)) return false;
    const { cap } = this;
    const f = (this.heap as Heap).f64;
    const kernel = this.kernel as PassKernel;
    const MB = cap * n;
    const U = cap * (n + R);
    const V = U + n;
    const res = V + R;
    const res2 = res + cap;
    for (let b = this.xCount; b < mB; b++) {
      f.set(xs.subarray(offsB[b], offsB[b] + n), b * n);
      this.offs[b] = offsB[b];
    }
    this.xCount = Math.max(this.xCount, mB);
    for (let b = this.mCount; b < mB; b++) this.riskRow(xs, offsB[b], f, MB + b * R);
    this.mCount = Math.max(this.mCount, mB);
    const same = offsA === offsB;
    for (let a = 0; a < mA; a++) {
      const off = offsA[a];
      for (let i = 0; i < n; i++) f[U + i] = diag[i] * xs[off + i];
      // A's second-term row: its slot's if it has one (A is the slots just added), else formed.
      let slot = -1;
      for (let b = mB - 1; b >= 0 && slot < 0; b--) if (this.offs[b] === off) slot = b;
      if (slot >= 0) for (let k = 0; k < R; k++) f[V + k] = w2[k] * f[MB + slot * R + k];
      else {
        this.riskRow(xs, off, f, V);
        for (let k = 0; k < R; k++) f[V + k] *= w2[k];
      }
      const count = same ? a + 1 : mB;
      kernel.rowdots(U, 0, count, n, res);
      kernel.rowdots(V, MB, count, R, res2);
      for (let b = 0; b < count; b++) out[a * mB + b] = f[res + b] - f[res2 + b];
    }
    if (same)
      for (let a = 0; a < mA; a++) for (let b = 0; b < a; b++) out[b * mA + a] = out[a * mA + b];
    return true;
  }

  /** Room for mB columns (twice that, at least 16), keeping what is filled; false past the cap. */
  private grow(mB: number): boolean {
    const { n, R } = this;
    const cap = Math.max(2 * mB, 16);
    const len = cap * (n + R) + 2 * (n + R) + 2 * cap;
    if (len > REF_CACHE) return false;
    const heap = createHeap(len);
    const kernel = passKernel(heap);
    if (!kernel) {
      heap.release();
      return false;
    }
    const old = this.heap;
    if (old) {
      const f = old.f64;
      heap.f64.set(f.subarray(0, this.xCount * n), 0);
      heap.f64.set(f.subarray(this.cap * n, this.cap * n + this.mCount * R), cap * n);
      old.release();
    }
    const offs = new Int32Array(cap);
    offs.set(this.offs.subarray(0, this.xCount));
    this.offs = offs;
    this.heap = heap;
    this.kernel = kernel;
    this.cap = cap;
    return true;
  }
}
