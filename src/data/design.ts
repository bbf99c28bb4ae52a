import { matMem } from "../nn/kernels.js";
import { defaultThreads } from "../wasm/threads.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";
import { sparseDot, type CscMatrix, type DenseMatrix, type Matrix } from "./matrix.js";

/**
 * A standardized, weighted view of a design matrix, as glmnet prepares it (Friedman, Hastie &
 * Tibshirani 2010, §2.2 and §2.5). With normalized weights ŵ (Σŵ = 1) and v = √ŵ, column j is
 *
 *     x̃_j = v ∘ (x_j − c_j) / s_j
 *
 * where c_j is the weighted mean when there is an intercept (else 0) and s_j the weighted
 * standard deviation (population form) when standardizing (else 1). The loss becomes
 * ½‖ỹ − X̃b‖² with ỹ = v ∘ (y − ȳ) and b_j = s_j β_j.
 *
 * The view owns a residual r = ỹ − X̃b for the naive (residual-updating) solver.
 * Constructing a view clears `include[j]` for every constant column.
 */
export interface Design {
  readonly n: number;
  readonly p: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** xv_j = ‖x̃_j‖² (1 when standardized with an intercept). */
  readonly xv: Float64Array;
  /** Sets r = ỹ (b = 0). */
  resetResidual(yTilde: Float64Array): void;
  /** x̃_jᵀ r. */
  gradient(j: number): number;
  /** r ← r − d·x̃_j (after b_j increased by d). */
  update(j: number, d: number): void;
  /** update(list[t], d[t]) for t < count, in order. */
  updates(list: ArrayLike<number>, d: ArrayLike<number>, count: number): void;
  /** ‖r‖². */
  residualNormSq(): number;
  /** Copies r into `out` (length n). */
  residualInto(out: Float64Array): void;
  /** ‖r − ref‖². */
  residualDistanceSq(ref: Float64Array): number;
  /** Writes the standardized column x̃_j (length n) into `out`. */
  column(j: number, out: Float64Array): void;
  /** out[t] = x̃_kᵀu for k = list[t], t < count (a column's non-zeros only, for a sparse design). */
  dotsWith(u: Float64Array, list: ArrayLike<number>, count: number, out: Float64Array): void;
  /** out[k] = x̃_kᵀ x̃_j for every k with include[k] = 1 (others untouched). */
  gramColumn(j: number, include: Uint8Array, out: Float64Array, offset: number): void;
  /** Releases pooled memory; the view must not be used afterwards. */
  release(): void;
  /**
   * Places the solver's state next to the data so that whole coordinate-descent passes run in
   * one kernel call (dense designs on WebAssembly); null when unavailable.
   */
  fused(pf: Float64Array, lower: Float64Array, upper: Float64Array): FusedPass | null;
  /**
   * A sparse design's residual state for ModelSubspace (GaussianCd's subspace steps): the raw
   * columns, v = √ŵ, Σŵx_j, the centers and 1/scale, and the live residual rr (r = rr + shift·v)
   * and st = [shift, Σ v·rr]; absent on a dense design.
   */
  subspaceState?(): SparseResidualState;
}

/** See Design.subspaceState. */
export interface SparseResidualState {
  sp: { colPtr: Int32Array; rowIndex: Int32Array; values: Float64Array };
  v: Float64Array;
  wsum: Float64Array;
  center: Float64Array;
  inv: Float64Array;
  rr: Float64Array;
  st: Float64Array;
}

/**
 * Solver state living in a design's heap. `b` and `g` are the solver's coefficient and gradient
 * arrays; `lists` holds three lists of feature indices, at [0, p), [p, 2p) and [2p, 3p).
 */
export interface FusedPass {
  readonly b: Float64Array;
  readonly g: Float64Array;
  readonly lists: Int32Array;
  /**
   * One pass over lists[start .. start+count): g_k ← x̃_kᵀr, b_k ← prox update (as enetProx1d
   * with κ = ab·pf_k, μ = dem·pf_k and the box), r ← r − Δb_k·x̃_k. Returns max xv_k·Δb_k².
   */
  pass(start: number, count: number, ab: number, dem: number): number;
  /** g_k ← x̃_kᵀr for the features in lists[start .. start+count). */
  gradients(start: number, count: number): void;
  /** NaiveCd's KKT screen in one kernel call, where the design offers it. */
  readonly kkt?: KktScreen;
  /**
   * One MCP (scad false) or SCAD pass over lists[start .. start+count): g_k ← x̃_kᵀr, b_k ← the
   * coordinate minimizer (nonconvexUpdate), r follows. Returns max xv_k·Δb_k².
   */
  ncPass(start: number, count: number, lambda: number, gamma: number, scad: boolean): number;
}

/**
 * The KKT check's state in a design's heap: the gradients at the last snapshot and the column
 * norms (f64), and per feature whether it is included, in the working set and fresh (u8).
 */
export interface KktScreen {
  readonly gRef: Float64Array;
  readonly norm: Float64Array;
  readonly include: Uint8Array;
  readonly inWs: Uint8Array;
  /** 1 where g_k is exact at the current residual, 0 where a safe bound proves its KKT instead. */
  readonly fresh: Uint8Array;
  /**
   * g_k for the features in lists[start .. start+count) from the f32 copy of X̃, each within
   * 2⁻²⁴·√xv_k·‖r‖ (plus the sum's rounding) of the exact value; null without the copy.
   */
  readonly grads32: ((start: number, count: number) => void) | null;
  /**
   * The screen (kernels.wat kktscan) into the gradient list, lists[2p ..): mode 0 with the safe
   * bound at ‖r − r_ref‖ = delta and threshold ab·pf, mode 2 without (λ = ∞), mode 1 the
   * features whose fresh byte is 0. Returns the list's length and how many outside features it
   * holds of how many.
   */
  scan(delta: number, ab: number, mode: 0 | 1 | 2): { count: number; computed: number; outside: number };
}

/** Smallest design (n·p values) that keeps an f32 copy for the naive solver's KKT screen. */
export const F32_SCREEN_MIN = 1_000_000;

/** Largest p for which a dense design forms its whole Gram matrix (p² doubles: 32 MB at 2048). */
const FULL_GRAM_MAX_P = 2048;
/**
 * Multiply-adds of the whole Gram matrix from which it is formed on the cores (MatMem threads):
 * the covariance path of 10 000 × 200 took 37.3 → 31.1 ms, 20 000 × 300 158 → 129 ms and
 * 100 000 × 200 399 → 326 ms on this machine's two (2026-12-02, best of 5, interleaved); 5000 × 100
 * (2.5·10⁷) stays on one, where a helper did not pay (9.3 → 9.9 ms).
 */
const GRAM_THREADS_MACS = 2 ** 26;

/** The largest heap of a sparse design's fused pass (bytes); past it, the JavaScript loops. */
const SPARSE_FUSED_BYTES = 2 ** 31 - 2 ** 20;

/** Weighted column moments; a column with zero variance gets scale 0 and is excluded. */
export function moments(
  x: Matrix,
  w: Float64Array,
  intercept: boolean,
  standardize: boolean,
  include: Uint8Array,
): { center: Float64Array; scale: Float64Array; mean: Float64Array; variance: Float64Array } {
  const p = x.nCols;
  const n = x.nRows;
  const mean = new Float64Array(p);
  const variance = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    let v = 0;
    let s2 = 0;
    if (x.kind === "dense") {
      const d = x.data;
      const off = j * n;
      for (let i = 0; i < n; i++) m += w[i] * d[off + i];
      for (let i = 0; i < n; i++) {
        const t = d[off + i] - m;
        v += w[i] * t * t;
        s2 += w[i] * d[off + i] * d[off + i];
      }
    } else {
      for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) {
        const wx = w[x.rowIndex[k]] * x.values[k];
        m += wx;
        s2 += wx * x.values[k];
      }
      v = Math.max(0, s2 - m * m);
    }
    mean[j] = m;
    // A column constant up to rounding has no information (glmnet's chkvars drops it).
    variance[j] = v <= 1e-13 * s2 ? 0 : v;
  }
  const center = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (variance[j] === 0) include[j] = 0;
    center[j] = intercept ? mean[j] : 0;
    scale[j] = standardize ? Math.sqrt(variance[j]) : 1;
  }
  return { center, scale, mean, variance };
}

/** Doubles of heap scratch that `standardizeDense` needs for an n × p design. */
export function standardizeScratch(n: number, p: number): number {
  return 2 * n + 3 * p + Math.ceil(p / 2);
}

/**
 * The dense design x standardized into the heap's first n·p doubles in one WebAssembly call
 * (kernels.wat colprep): column j becomes u ∘ (x_j − c_j) / s_j with `moments`' center and scale,
 * u = √w when `weighted`, else 1; a constant column (its `include` entry cleared) or an excluded
 * one becomes zeros. Needs `standardizeScratch(n, p)` doubles from f64 offset `scratch`. Returns
 * the centers, scales and squared column norms, or null when the heap runs plain JavaScript.
 */
export function standardizeDense(
  heap: Heap,
  x: DenseMatrix,
  w: Float64Array,
  weighted: boolean,
  intercept: boolean,
  standardize: boolean,
  include: Uint8Array,
  scratch: number,
): { center: Float64Array; scale: Float64Array; xv: Float64Array } | null {
  const kernel = passKernel(heap);
  if (!kernel) return null;
  const n = x.nRows;
  const p = x.nCols;
  const f = heap.f64;
  f.set(x.data.subarray(0, n * p));
  const at = { center: scratch + 2 * n, scale: scratch + 2 * n + p, xv: scratch + 2 * n + 2 * p };
  const inc = 2 * (at.xv + p);
  f.set(w, scratch);
  if (weighted) for (let i = 0; i < n; i++) f[scratch + n + i] = Math.sqrt(w[i]);
  else f.fill(1, scratch + n, scratch + 2 * n);
  kernel.i32.set(include, inc);
  kernel.colprep(0, scratch, scratch + n, n, p, inc, at, intercept, standardize);
  for (let j = 0; j < p; j++) include[j] = kernel.i32[inc + j];
  return {
    center: f.slice(at.center, at.center + p),
    scale: f.slice(at.scale, at.scale + p),
    xv: f.slice(at.xv, at.xv + p),
  };
}

/**
 * Dense view: keeps a standardized, weighted column-major copy (as glmnet overwrites x) in a
 * heap whose dot / axpy kernels run on WebAssembly SIMD where available.
 */
export class DenseDesign implements Design {
  readonly n: number;
  readonly p: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly xv: Float64Array;
  private readonly heap: Heap;
  /** Heap offset of the residual; column j starts at j·n. */
  private readonly rOff: number;
  /** Heap offset of scratch (standardizeDense's, then updates'). */
  private readonly scratch: number;
  /** Whether the heap holds an f32 copy of X̃ (at byte 8·n·p). */
  private readonly f32: boolean = false;

  constructor(
    x: DenseMatrix,
    w: Float64Array,
    intercept: boolean,
    standardize: boolean,
    include: Uint8Array,
    kernels: "wasm" | "js" = "wasm",
    /** Keep an f32 copy of X̃ for the naive solver's KKT screen (half the memory traffic). */
    f32 = false,
  ) {
    const n = (this.n = x.nRows);
    const p = (this.p = x.nCols);
    // Worth it once X̃ outgrows the caches (measured: 100 × 20 000 and 100 × 50 000 paths 0.90
    // and 0.84 × the time, 100 × 1000 and 100 × 5000 no faster).
    const x32 =
      f32 && n * p >= F32_SCREEN_MIN && 12 * n * p < 2 ** 31 - 2 ** 26 ? Math.ceil((n * p) / 2) : 0;
    this.rOff = n * p + x32;
    // [X̃ (n·p) | its f32 copy (n·p f32s, when kept) | r (n) | b, g, xv, pf, lo, hi (p each) |
    //  three i32 feature lists (in 2p slots) | gRef, norm (p each) | include, inWs, fresh (p bytes
    //  each) | two i32 counters | standardizeDense's scratch]
    const prep = this.rOff + n + 10 * p + Math.ceil((3 * p) / 8) + 1;
    // X̃ and its copy are written whole before they are read: not zeroed.
    this.heap = createHeap(prep + standardizeScratch(n, p), kernels, this.rOff);
    const xs = this.heap.f64;
    this.scratch = prep;
    const st = standardizeDense(this.heap, x, w, true, intercept, standardize, include, prep);
    if (st && x32 > 0) {
      passKernel(this.heap)!.demote(0, 8 * n * p, n * p);
      this.f32 = true;
    }
    if (st) {
      ({ center: this.center, scale: this.scale, xv: this.xv } = st);
      return;
    }
    const mo = moments(x, w, intercept, standardize, include);
    this.center = mo.center;
    this.scale = mo.scale;
    this.xv = new Float64Array(p);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = Math.sqrt(w[i]);
    const d = x.data;
    for (let j = 0; j < p; j++) {
      if (!include[j]) continue;
      const c = this.center[j];
      const s = 1 / this.scale[j];
      const off = j * n;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const t = v[i] * (d[off + i] - c) * s;
        xs[off + i] = t;
        ss += t * t;
      }
      this.xv[j] = ss;
    }
  }

  resetResidual(yTilde: Float64Array): void {
    this.heap.f64.set(yTilde, this.rOff);
  }

  release(): void {
    this.heap.release();
  }

  fused(pf: Float64Array, lower: Float64Array, upper: Float64Array): FusedPass | null {
    const kernel = passKernel(this.heap);
    if (!kernel) return null;
    const { n, p } = this;
    const f64 = this.heap.f64;
    const at = (k: number) => this.rOff + n + k * p;
    const st = { b: at(0), g: at(1), xv: at(2), pf: at(3), lo: at(4), hi: at(5) };
    f64.set(this.xv, st.xv);
    f64.set(pf, st.pf);
    f64.set(lower, st.lo);
    f64.set(upper, st.hi);
    const listStart = 2 * at(6);
    const rOff = this.rOff;
    const kkt = { gRef: at(8), norm: at(9), pf: st.pf, g: st.g };
    const byte0 = 8 * at(10);
    const bytes = { inc: byte0, inWs: byte0 + p, fresh: byte0 + 2 * p };
    const counters = 2 * (at(10) + Math.ceil((3 * p) / 8));
    const u8 = new Uint8Array(f64.buffer, byte0, 3 * p);
    return {
      b: f64.subarray(st.b, st.b + p),
      g: f64.subarray(st.g, st.g + p),
      kkt: {
        gRef: f64.subarray(kkt.gRef, kkt.gRef + p),
        norm: f64.subarray(kkt.norm, kkt.norm + p),
        include: u8.subarray(0, p),
        inWs: u8.subarray(p, 2 * p),
        fresh: u8.subarray(2 * p, 3 * p),
        grads32: this.f32
          ? (start, count) =>
              kernel.grads32(listStart + start, count, 8 * n * p, n, rOff, st.g)
          : null,
        scan: (delta, ab, mode) => {
          const count = kernel.kktscan(bytes, kkt, listStart + 2 * p, p, delta, ab, mode, counters);
          return { count, computed: kernel.i32[counters], outside: kernel.i32[counters + 1] };
        },
      },
      lists: kernel.i32.subarray(listStart, listStart + 3 * p),
      pass: (start, count, ab, dem) =>
        kernel.pass(listStart + start, count, 0, n, rOff, st, ab, dem),
      gradients: (start, count) => kernel.grads(listStart + start, count, 0, n, rOff, st.g),
      ncPass: (start, count, lambda, gamma, scad) =>
        kernel.ncpass(listStart + start, count, 0, n, rOff, st, lambda, gamma, scad),
    };
  }

  gradient(j: number): number {
    return this.heap.dot(j * this.n, this.rOff, this.n);
  }

  update(j: number, d: number): void {
    this.heap.axpy(j * this.n, this.rOff, d, this.n);
  }

  updates(list: ArrayLike<number>, d: ArrayLike<number>, count: number): void {
    const kernel = passKernel(this.heap);
    if (!kernel || count < 2) {
      for (let t = 0; t < count; t++) this.update(list[t], d[t]);
      return;
    }
    // One call (kernels.wat axpys, bit for bit the axpys in order), its list and amounts in the
    // standardization scratch, free after construction.
    const f = this.heap.f64;
    const at = this.scratch;
    const li = 2 * (at + this.p);
    for (let t = 0; t < count; t++) {
      f[at + t] = d[t];
      kernel.i32[li + t] = list[t];
    }
    kernel.axpys(li, at, count, 0, this.n, this.rOff);
  }

  residualNormSq(): number {
    return this.heap.dot(this.rOff, this.rOff, this.n);
  }

  residualInto(out: Float64Array): void {
    out.set(this.heap.f64.subarray(this.rOff, this.rOff + this.n));
  }

  residualDistanceSq(ref: Float64Array): number {
    const h = this.heap.f64;
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const t = h[this.rOff + i] - ref[i];
      s += t * t;
    }
    return s;
  }

  gramColumn(j: number, include: Uint8Array, out: Float64Array, offset: number): void {
    const { n, p } = this;
    const g = this.gram;
    if (g) {
      for (let k = 0; k < p; k++) if (include[k]) out[offset + k] = g[j * p + k];
      return;
    }
    let count = 0;
    for (let k = 0; k < p; k++)
      if (include[k]) {
        out[offset + k] = this.heap.dot(k * n, j * n, n);
        count++;
      }
    this.gramDots += count;
    if (this.gramDots > (p * p) / 16 && p <= FULL_GRAM_MAX_P && passKernel(this.heap))
      this.gram = this.wholeGram();
  }

  /** Entries of X̃ᵀX̃ computed so far as dot products, before the whole matrix. */
  private gramDots = 0;
  /** X̃ᵀX̃ (p × p), formed once the dot products asked for pass p²/16. */
  private gram: Float64Array | null = null;

  /**
   * The whole Gram matrix X̃ᵀX̃ on the packed matrix product (its lower triangle, mirrored):
   * p²n/2 multiply-adds at the product's speed, against n per entry on the dot kernel. Formed
   * once the entries asked for one at a time pass p²/16 (covariance coordinate descent asks for
   * whole columns: after about p/16 of them; the naive solver's active blocks rarely get there).
   */
  private wholeGram(): Float64Array {
    const { n, p } = this;
    // on the cores when the product is large enough to gain (the same bits on any number)
    const threads = (n * p * p) / 2 >= GRAM_THREADS_MACS ? defaultThreads() : 1;
    const mem = matMem(n * p + p * p, true, "float64", true, n * p, threads);
    mem.data.set(this.heap.f64.subarray(0, n * p));
    mem.gemm!(0, n, 1, 0, 1, n, n * p, p, p, n, false, p, true);
    const g = mem.data.slice(n * p, n * p + p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[b * p + a] = g[a * p + b];
    mem.release?.();
    return g;
  }

  column(j: number, out: Float64Array): void {
    out.set(this.heap.f64.subarray(j * this.n, (j + 1) * this.n));
  }

  dotsWith(u: Float64Array, list: ArrayLike<number>, count: number, out: Float64Array): void {
    const f = this.heap.f64;
    const n = this.n;
    for (let t = 0; t < count; t++) {
      const off = list[t] * n;
      let s0 = 0;
      let s1 = 0;
      let i = 0;
      for (; i + 1 < n; i += 2) {
        s0 += f[off + i] * u[i];
        s1 += f[off + i + 1] * u[i + 1];
      }
      if (i < n) s0 += f[off + i] * u[i];
      out[t] = s0 + s1;
    }
  }
}

/**
 * Sparse view: never densifies. The residual is kept as r = rr + shift·v where rr changes only on
 * the non-zeros of updated columns and `shift` carries the centering of all columns at once.
 */
export class SparseDesign implements Design {
  readonly n: number;
  readonly p: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly xv: Float64Array;
  private readonly x: CscMatrix;
  /** v_i·x_ij for each stored non-zero. */
  private readonly vx: Float64Array;
  /** Σ_i ŵ_i x_ij. */
  private readonly wsum: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private rr: Float64Array;
  private readonly work: Float64Array;
  /** shift and Σ v·rr (in the kernels' heap once a fused pass exists). */
  private st: Float64Array = new Float64Array(2);
  private heap: Heap | null = null;
  /** The fused heap's batch update (spgmove) and its list and amounts (set by fused()). */
  private moveMany: ((count: number) => void) | null = null;
  private moveList: Int32Array = new Int32Array(0);
  private moveBy: Float64Array = new Float64Array(0);

  constructor(
    x: CscMatrix,
    w: Float64Array,
    intercept: boolean,
    standardize: boolean,
    include: Uint8Array,
    private readonly kernels: "wasm" | "js" = "wasm",
  ) {
    this.x = x;
    const n = (this.n = x.nRows);
    const p = (this.p = x.nCols);
    const mo = moments(x, w, intercept, standardize, include);
    this.center = mo.center;
    this.scale = mo.scale;
    this.wsum = mo.mean;
    this.w = w;
    this.v = new Float64Array(n);
    for (let i = 0; i < n; i++) this.v[i] = Math.sqrt(w[i]);
    this.vx = new Float64Array(x.values.length);
    for (let k = 0; k < x.values.length; k++) this.vx[k] = this.v[x.rowIndex[k]] * x.values[k];
    this.xv = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      if (!include[j]) continue;
      const c = this.center[j];
      // Σŵ(x − c)² = Σŵx² − 2cΣŵx + c²
      let s2 = 0;
      for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) s2 += this.vx[k] * this.vx[k];
      const s = this.scale[j];
      this.xv[j] = Math.max(0, s2 - 2 * c * this.wsum[j] + c * c) / (s * s);
    }
    this.rr = new Float64Array(n);
    this.work = new Float64Array(n);
  }

  release(): void {
    this.heap?.release();
    this.heap = null;
    this.moveMany = null;
  }

  /**
   * The design and the solver's state in one heap, so that whole passes (and gradient lists) run
   * on the WebAssembly kernels (kernels.wat spgpass, spggrads: this class's gradient and update,
   * operation for operation); null where the kernels do not run or the heap would be too large.
   */
  fused(pf: Float64Array, lower: Float64Array, upper: Float64Array): FusedPass | null {
    const { n, p, x } = this;
    if (this.kernels === "js") return null;
    const nnz = x.values.length;
    const total =
      nnz + Math.ceil(nnz / 2) + Math.ceil((p + 1) / 2) + n + 10 * p + 4 + Math.ceil((4 * p) / 2) + 2;
    if (total * 8 > SPARSE_FUSED_BYTES) return null;
    const heap = createHeap(total);
    const kernel = passKernel(heap);
    if (!kernel) {
      heap.release();
      return null;
    }
    this.heap = heap;
    const f64 = heap.f64;
    let o = 0;
    const put = (src: Float64Array | null, len: number) => {
      const at = o;
      if (src) f64.set(src, at);
      o += len;
      return at;
    };
    const vxAt = put(this.vx, nnz);
    const riAt = o;
    kernel.i32.set(x.rowIndex, 2 * o);
    o += Math.ceil(nnz / 2);
    const cpAt = o;
    kernel.i32.set(x.colPtr, 2 * o);
    o += Math.ceil((p + 1) / 2);
    const rrAt = put(this.rr, n);
    const wsumAt = put(this.wsum, p);
    const centerAt = put(this.center, p);
    const scaleAt = put(this.scale, p);
    const xvAt = put(this.xv, p);
    const pfAt = put(pf, p);
    const loAt = put(lower, p);
    const hiAt = put(upper, p);
    const bAt = put(null, p);
    const gAt = put(null, p);
    const stAt = put(this.st, 4);
    const byAt = put(null, p);
    const listAt = 2 * o;
    const moveAt = listAt + 3 * p;
    // The residual and its scalars now live in the heap: the methods above read the same state.
    this.rr = f64.subarray(rrAt, rrAt + n);
    this.st = f64.subarray(stAt, stAt + 2);
    const sk = kernel.sparse;
    const B = (k: number) => 8 * k;
    this.moveList = kernel.i32.subarray(moveAt, moveAt + p);
    this.moveBy = f64.subarray(byAt, byAt + p);
    this.moveMany = (count) =>
      sk.spgmove(
        B(cpAt),
        B(riAt),
        B(vxAt),
        B(rrAt),
        B(wsumAt),
        B(centerAt),
        B(scaleAt),
        B(stAt),
        4 * moveAt,
        B(byAt),
        count,
      );
    return {
      b: f64.subarray(bAt, bAt + p),
      g: f64.subarray(gAt, gAt + p),
      lists: kernel.i32.subarray(listAt, listAt + 3 * p),
      pass: (start, count, ab, dem) =>
        sk.spgpass(
          B(cpAt), B(riAt), B(vxAt), B(rrAt), B(wsumAt), B(centerAt), B(scaleAt), B(stAt),
          B(xvAt), B(pfAt), B(loAt), B(hiAt), B(bAt), B(gAt), 4 * (listAt + start), count, ab, dem,
        ),
      gradients: (start, count) =>
        sk.spggrads(
          B(cpAt), B(riAt), B(vxAt), B(rrAt), B(wsumAt), B(centerAt), B(scaleAt), B(stAt),
          B(gAt), 4 * (listAt + start), count,
        ),
      ncPass: (start, count, lambda, gamma, scad) =>
        sk.spncpass(
          B(cpAt), B(riAt), B(vxAt), B(rrAt), B(wsumAt), B(centerAt), B(scaleAt), B(stAt),
          B(xvAt), B(bAt), B(gAt), 4 * (listAt + start), count, lambda, gamma, scad ? 1 : 0,
        ),
    };
  }

  subspaceState(): SparseResidualState {
    if (!this.inv) this.inv = Float64Array.from(this.scale, (s) => 1 / s);
    const { x, v, wsum, center, inv, rr, st } = this;
    return { sp: x, v, wsum, center, inv, rr, st };
  }
  private inv: Float64Array | null = null;

  resetResidual(yTilde: Float64Array): void {
    this.rr.set(yTilde);
    this.st[0] = 0;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.v[i] * yTilde[i];
    this.st[1] = s;
  }

  gradient(j: number): number {
    const { colPtr, rowIndex } = this.x;
    const s = sparseDot(this.rr, rowIndex, this.vx, colPtr[j], colPtr[j + 1]);
    const c = this.center[j];
    const shift = this.st[0];
    return (s + shift * this.wsum[j] - c * this.st[1] - c * shift) / this.scale[j];
  }

  update(j: number, d: number): void {
    const { colPtr, rowIndex } = this.x;
    const vx = this.vx;
    const rr = this.rr;
    const ds = d / this.scale[j];
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) rr[rowIndex[k]] -= ds * vx[k];
    this.st[0] += ds * this.center[j];
    this.st[1] -= ds * this.wsum[j];
  }
  updates(list: ArrayLike<number>, d: ArrayLike<number>, count: number): void {
    if (this.moveMany) {
      for (let t = 0; t < count; t++) {
        this.moveList[t] = list[t];
        this.moveBy[t] = d[t];
      }
      this.moveMany(count);
    } else for (let t = 0; t < count; t++) this.update(list[t], d[t]);
  }


  residualNormSq(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.rr[i] * this.rr[i];
    const shift = this.st[0];
    return s + 2 * shift * this.st[1] + shift * shift;
  }

  residualInto(out: Float64Array): void {
    const shift = this.st[0];
    for (let i = 0; i < this.n; i++) out[i] = this.rr[i] + shift * this.v[i];
  }

  residualDistanceSq(ref: Float64Array): number {
    let s = 0;
    const shift = this.st[0];
    for (let i = 0; i < this.n; i++) {
      const t = this.rr[i] + shift * this.v[i] - ref[i];
      s += t * t;
    }
    return s;
  }

  column(j: number, out: Float64Array): void {
    const { colPtr, rowIndex } = this.x;
    const c = this.center[j];
    const s = 1 / this.scale[j];
    for (let i = 0; i < this.n; i++) out[i] = -this.v[i] * c * s;
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) out[rowIndex[k]] += this.vx[k] * s;
  }

  dotsWith(u: Float64Array, list: ArrayLike<number>, count: number, out: Float64Array): void {
    // x̃_kᵀu = (Σ v_i x_ik u_i − c_k Σ v_i u_i) / s_k.
    const { colPtr, rowIndex } = this.x;
    let vu = 0;
    for (let i = 0; i < this.n; i++) vu += this.v[i] * u[i];
    for (let t = 0; t < count; t++) {
      const k = list[t];
      const s = sparseDot(u, rowIndex, this.vx, colPtr[k], colPtr[k + 1]);
      out[t] = (s - this.center[k] * vu) / this.scale[k];
    }
  }

  gramColumn(j: number, include: Uint8Array, out: Float64Array, offset: number): void {
    const { colPtr, rowIndex, values } = this.x;
    const t = this.work;
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) t[rowIndex[k]] = this.w[rowIndex[k]] * values[k];
    const cj = this.center[j];
    const sj = this.scale[j];
    for (let q = 0; q < this.p; q++) {
      if (!include[q]) continue;
      const s = sparseDot(t, rowIndex, values, colPtr[q], colPtr[q + 1]);
      const cq = this.center[q];
      out[offset + q] = (s - cq * this.wsum[j] - cj * this.wsum[q] + cj * cq) / (sj * this.scale[q]);
    }
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) t[rowIndex[k]] = 0;
  }
}

export function makeDesign(
  x: Matrix,
  w: Float64Array,
  intercept: boolean,
  standardize: boolean,
  include: Uint8Array,
  /** For the naive solver: a dense design keeps an f32 copy for its KKT screen. */
  naive = false,
): Design {
  return x.kind === "dense"
    ? new DenseDesign(x, w, intercept, standardize, include, "wasm", naive)
    : new SparseDesign(x, w, intercept, standardize, include);
}
