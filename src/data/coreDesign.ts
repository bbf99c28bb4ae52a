import { InputError } from "../errors.js";
import { createHeap, type Heap } from "../wasm/heap.js";
import type { CscMatrix, Matrix } from "./matrix.js";
import { standardizedColumn, standardizedDot } from "./standardizedCsc.js";

/**
 * The largest number of values the model core holds as dense standardized columns: 2 GiB of
 * doubles (the whole design for dense input; the columns asked for so far for sparse input).
 */
export const CORE_DENSE_LIMIT = 2 ** 28;

/**
 * A sparse design's strong set outgrew the dense columns the model core holds (CORE_DENSE_LIMIT):
 * the path driver ends the path there, with the points so far and a warning.
 */
export class DesignFull extends InputError {
  constructor(message: string) {
    super(message, { option: "lambdaMinRatio" });
  }
}

/**
 * The model core's standardized design x̃ⱼ = (xⱼ − cⱼ)/sⱼ in a WebAssembly heap, column-major, n
 * apart, with a column of ones for the intercepts (feature p), then room for the solver's
 * kernels: one n-vector, one result per slot, and one index per slot.
 *
 * Dense input: every column, feature j in slot j (offset j·n). Sparse (CSC) input: only the
 * columns the solver has asked for (`ensure`, the strong set's features: densified on demand,
 * keeping their slots when the heap grows), so a design of n × p is held as n × (columns used);
 * the gradients of the other features are read from the sparse columns with the centering and
 * scaling applied implicitly (`sparseDot`), never densified.
 */
export class CoreDesign {
  heap: Heap;
  /** The heap's values (replaced when the heap grows: read it after `ensure`, not before). */
  xs: Float64Array;
  /** Slots the heap has room for, and slots filled. */
  cap: number;
  count: number;
  /** Slot of feature j (p: the ones), −1 while absent. */
  readonly slotOf: Int32Array;
  /** The sparse design, or null for dense input (every column present). */
  readonly sparse: CscMatrix | null;
  readonly n: number;
  /** The n-vectors at `vector` (1, or the classes rounded up to even). */
  readonly vectors: number;

  constructor(
    x: Matrix,
    readonly center: Float64Array,
    readonly scale: Float64Array,
    include: Uint8Array,
    /** The most values held dense (for sparse input). */
    private readonly limit = CORE_DENSE_LIMIT,
    /**
     * The classes whose gradients the kernels take at once (the multinomial's K; gradsk): room
     * for that many n-vectors (rounded up to even) and their results.
     */
    classes = 1,
  ) {
    this.vectors = classes > 1 ? classes + (classes & 1) : 1;
    const n = (this.n = x.nRows);
    const p = x.nCols;
    this.slotOf = new Int32Array(p + 1).fill(-1);
    if (x.kind === "dense") {
      this.sparse = null;
      this.cap = p + 1;
      this.heap = createHeap(CoreDesign.size(n, this.cap, this.vectors));
      this.xs = this.heap.f64;
      const xs = this.xs;
      for (let j = 0; j < p; j++) {
        this.slotOf[j] = j;
        if (!include[j]) continue;
        const c = center[j];
        const s = 1 / scale[j];
        const off = j * n;
        for (let i = 0; i < n; i++) xs[off + i] = (x.data[off + i] - c) * s;
      }
      this.slotOf[p] = p;
      xs.fill(1, p * n, (p + 1) * n);
      this.count = p + 1;
      return;
    }
    this.sparse = x;
    this.cap = Math.max(1, Math.min(p + 1, 32, Math.floor(limit / n)));
    this.heap = createHeap(CoreDesign.size(n, this.cap, this.vectors));
    this.xs = this.heap.f64;
    this.count = 0;
    this.slotOf[p] = this.count++;
    this.xs.fill(1, 0, n);
  }

  /**
   * Heap values for `cap` slots: the columns, `vectors` n-vectors, the results (one per slot and
   * vector) and the 32-bit indices (one per slot), slots rounded up to 4 (gradsk's blocks).
   */
  private static size(n: number, cap: number, vectors: number): number {
    const slots = cap + 3 - ((cap + 3) % 4);
    return cap * n + vectors * n + slots * vectors + Math.ceil(slots / 2) + 1;
  }

  /** Offset in xs of feature j's column (p: the ones); the column must be present. */
  off(j: number): number {
    return this.slotOf[j] * this.n;
  }

  /** Whether feature j's column is in the heap. */
  has(j: number): boolean {
    return this.slotOf[j] >= 0;
  }

  /** Where the kernels' n-vectors, results (one per slot and vector) and indices (i32) start. */
  get vector(): number {
    return this.cap * this.n;
  }
  get results(): number {
    return this.vector + this.vectors * this.n;
  }
  get indices(): number {
    return 2 * (this.results + (this.cap + 3 - ((this.cap + 3) % 4)) * this.vectors);
  }

  /**
   * Makes the columns of the features list[0..count) present (sparse input; dense input has all).
   * Returns whether the heap was replaced (xs and every offset-free view of it are then new).
   */
  ensure(list: ArrayLike<number>, count: number): boolean {
    const x = this.sparse;
    if (!x) return false;
    const n = x.nRows;
    let need = this.count;
    for (let t = 0; t < count; t++) if (this.slotOf[list[t]] < 0) need++;
    if (need === this.count) return false;
    let grew = false;
    if (need > this.cap) {
      const most = Math.min(x.nCols + 1, Math.floor(this.limit / n));
      if (need > most)
        throw new DesignFull(
          `the strong set needs ${need - 1} columns of the sparse design dense at once (${((need * n * 8) / 2 ** 30).toFixed(1)} GiB), more than the model core holds (${most - 1}, ${((this.limit * 8) / 2 ** 30).toFixed(1)} GiB)`,
        );
      let cap = this.cap;
      while (cap < need) cap *= 2;
      cap = Math.min(cap, most);
      const heap = createHeap(CoreDesign.size(n, cap, this.vectors));
      heap.f64.set(this.xs.subarray(0, this.count * n), 0);
      this.heap.release();
      this.heap = heap;
      this.xs = heap.f64;
      this.cap = cap;
      grew = true;
    }
    const xs = this.xs;
    for (let t = 0; t < count; t++) {
      const j = list[t];
      if (this.slotOf[j] >= 0) continue;
      const slot = this.count++;
      this.slotOf[j] = slot;
      standardizedColumn(x, j, this.center[j], this.scale[j], n, xs, slot * n);
    }
    return grew;
  }

  /**
   * x̃ⱼᵀu for an absent feature of the sparse design (u n long, Σu as `sumU`), read from its
   * non-zeros: the dense column's product up to rounding.
   */
  sparseDot(j: number, u: Float64Array, sumU: number): number {
    return standardizedDot(this.sparse as CscMatrix, j, u, sumU, this.center[j], this.scale[j]);
  }

  release(): void {
    this.heap.release();
  }
}
