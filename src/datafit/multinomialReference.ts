import { matMem, type MatMem } from "../nn/kernels.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";
import { defaultThreads } from "../wasm/threads.js";

/**
 * The multinomial datafit's lagged Hessian at a reference point (MultinomialDatafit.setReference):
 * for entries a = (column x_a, class c_a),
 *
 *     H_ab = Σᵢ x_ia x_ib ŵᵢ pᵢ_{c_a} (δ(c_a = c_b) − pᵢ_{c_b})
 *
 * with p and ŵp kept from the reference. A store keeps the slots' columns scaled at the reference,
 * so that the rows of slots added later (entryBlock) reuse them. Two stores, by size: RowDotStore
 * on the row-dot kernels (no copies, no packing: small problems), ProductStore on the packed
 * matrix product and the cores (many slots).
 */
export interface ReferenceStore {
  /** Takes the reference's p and ŵp (K·n, class-major) and ŵ; forgets the columns made before. */
  reset(prob: Float64Array, wp: Float64Array, w: Float64Array): void;
  /** The whole Hessian over m slots, row-major into out (m × m). */
  hessian(xs: Float64Array, offs: Int32Array, cls: Int32Array, m: number, out: Float64Array): void;
  /**
   * Rows A against the slots B (whose columns are made only where new since the last call: the
   * compact solve extends the same slot list): out[a·mB + b].
   */
  block(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void;
  release(): void;
}

/**
 * The store on the row-dot kernels: with u_a = ŵp_{c_a}∘x_a and t_b = p_{c_b}∘x_b,
 * H_ab = δ(c_a = c_b)·u_aᵀx_b − u_aᵀt_b. The slots' columns [T | X] (in slot order) stay in one
 * heap, with two rows U, four result rows, the reference's p and ŵp and per class a list of its
 * slots (i32); it grows by doubling.
 */
export class RowDotStore implements ReferenceStore {
  private heap: Heap;
  private cap = 16;
  private count = 0;
  private offs = new Int32Array(16);
  private cls = new Int32Array(16);
  private at: ReturnType<typeof rowDotLayout>;

  constructor(
    private readonly n: number,
    private readonly K: number,
    private readonly kernels: "wasm" | "js",
  ) {
    this.at = rowDotLayout(n, K, this.cap);
    this.heap = createHeap(this.at.size, kernels);
  }

  reset(prob: Float64Array, wp: Float64Array): void {
    this.count = 0;
    this.heap.f64.set(prob, this.at.P);
    this.heap.f64.set(wp, this.at.WP);
  }

  private grow(m: number): void {
    if (this.cap >= m) return;
    const { n, K } = this;
    const cap = Math.max(2 * m, 16);
    const at = rowDotLayout(n, K, cap);
    const heap = createHeap(at.size, this.kernels);
    const offs = new Int32Array(cap);
    const cls = new Int32Array(cap);
    const count = this.count;
    const old = this.heap.f64;
    heap.f64.set(old.subarray(0, count * n), 0);
    heap.f64.set(old.subarray(this.at.X, this.at.X + count * n), at.X);
    heap.f64.set(old.subarray(this.at.P, this.at.WP + n * K), at.P);
    offs.set(this.offs.subarray(0, count));
    cls.set(this.cls.subarray(0, count));
    this.heap.release();
    Object.assign(this, { heap, cap, offs, cls, at });
  }

  /** Fills the columns of B's entries not yet there. */
  private columns(xs: Float64Array, offsB: Int32Array, clsB: Int32Array, mB: number): void {
    const { n } = this;
    this.grow(mB);
    let known = Math.min(this.count, mB);
    for (let q = 0; q < known; q++)
      if (this.offs[q] !== offsB[q] || this.cls[q] !== clsB[q]) {
        known = q;
        break;
      }
    const { heap, at } = this;
    const f = heap.f64;
    for (let q = known; q < mB; q++) {
      const col = at.X + q * n;
      f.set(xs.subarray(offsB[q], offsB[q] + n), col);
      f.copyWithin(q * n, col, col + n);
      scaleBy(heap, q * n, at.P + clsB[q] * n, n);
      this.offs[q] = offsB[q];
      this.cls[q] = clsB[q];
    }
    this.count = mB;
  }

  /** U row r ← ŵp_c∘x for the column of xs at `off`, class c. */
  private row(r: number, xs: Float64Array, off: number, c: number): number {
    const { n, heap, at } = this;
    const u = at.U + r * n;
    heap.f64.set(xs.subarray(off, off + n), u);
    scaleBy(heap, u, at.WP + c * n, n);
    return u;
  }

  /**
   * The cross term u_aᵀt_b for b ≤ a on the row-dot kernel (two rows per sweep), the same-class
   * term u_aᵀx_b on the gradient kernel over the class's slots so far: n·m²/2 + n·Σ_c m_c²/2
   * multiply-adds.
   */
  hessian(xs: Float64Array, offs: Int32Array, cls: Int32Array, m: number, out: Float64Array): void {
    const { n, K } = this;
    this.columns(xs, offs, cls, m);
    const { heap, cap, at } = this;
    const f = heap.f64;
    const kernel = passKernel(heap);
    const i32 = kernel ? kernel.i32 : new Int32Array(K * cap);
    const lists = kernel ? at.lists * 2 : 0;
    const filled = new Int32Array(K);
    for (let a = 0; a < m; a += 2) {
      const rows = a + 1 < m ? 2 : 1;
      for (let r = 0; r < rows; r++) this.row(r, xs, offs[a + r], cls[a + r]);
      if (kernel && rows === 2) kernel.rowdots2(at.U, at.U + n, 0, a + 2, n, at.res, at.res + cap);
      else if (kernel) kernel.rowdots(at.U, 0, a + 1, n, at.res);
      else
        for (let r = 0; r < rows; r++)
          for (let b = 0; b <= a + r; b++)
            f[at.res + r * cap + b] = heap.dot(at.U + r * n, b * n, n);
      for (let r = 0; r < rows; r++) {
        const q = a + r;
        const c = cls[q];
        const list = lists + c * cap;
        i32[list + filled[c]++] = q;
        const u = at.U + r * n;
        const same = at.res + (2 + r) * cap;
        if (kernel) kernel.grads4(list, filled[c], at.X, n, u, same);
        else
          for (let t = 0; t < filled[c]; t++)
            f[same + i32[list + t]] = heap.dot(at.X + i32[list + t] * n, u, n);
        const cross = at.res + r * cap;
        const row = q * m;
        for (let b = 0; b <= q; b++) out[row + b] = (cls[b] === c ? f[same + b] : 0) - f[cross + b];
      }
    }
    mirrorLower(out, m);
  }

  /** Each row pair takes two row-dot kernel calls (rowdots2) against all of B. */
  block(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    this.columns(xs, offsB, clsB, mB);
    const { heap, at, n } = this;
    const f = heap.f64;
    const res = at.res;
    const kernel = passKernel(heap);
    const rowOut = (a: number, cross: number, same: number) => {
      const row = a * mB;
      const ca = clsA[a];
      for (let b = 0; b < mB; b++) out[row + b] = (clsB[b] === ca ? f[same + b] : 0) - f[cross + b];
    };
    for (let a = 0; a < mA; a += 2) {
      const pair = a + 1 < mA;
      for (let r = 0; r < (pair ? 2 : 1); r++) this.row(r, xs, offsA[a + r], clsA[a + r]);
      // res: [cross row a | cross row a+1 | X products row a | X products row a+1].
      if (kernel && pair) {
        kernel.rowdots2(at.U, at.U + n, 0, mB, n, res, res + mB);
        kernel.rowdots2(at.U, at.U + n, at.X, mB, n, res + 2 * mB, res + 3 * mB);
        rowOut(a, res, res + 2 * mB);
        rowOut(a + 1, res + mB, res + 3 * mB);
        continue;
      }
      for (let r = 0; r < (pair ? 2 : 1); r++) {
        const u = at.U + r * n;
        const dots = (base: number, into: number) => {
          if (kernel) kernel.rowdots(u, base, mB, n, into);
          else for (let b = 0; b < mB; b++) f[into + b] = heap.dot(u, base + b * n, n);
        };
        dots(0, res);
        dots(at.X, res + mB);
        rowOut(a + r, res, res + mB);
      }
    }
  }

  release(): void {
    this.heap.release();
  }
}

/** The row-dot store's heap regions (f64 offsets; `lists` holds K·cap int32). */
function rowDotLayout(n: number, K: number, cap: number) {
  const X = cap * n;
  const U = 2 * cap * n;
  const res = U + 2 * n;
  const P = res + 4 * cap;
  const WP = P + n * K;
  const lists = WP + n * K;
  return { X, U, res, P, WP, lists, size: lists + Math.ceil((K * cap) / 2) + 1 };
}

/** x ← x∘v over n entries of the heap, on the kernel where there is one. */
function scaleBy(heap: Heap, x: number, v: number, n: number): void {
  const kernel = passKernel(heap);
  if (kernel) return kernel.scale(x, v, n);
  const f = heap.f64;
  for (let i = 0; i < n; i++) f[x + i] *= f[v + i];
}

/**
 * The store on the packed matrix product: with v_a = √ŵ∘p_{c_a}∘x_a and w_a = √(ŵp_{c_a})∘x_a,
 *
 *     H_ab = δ(c_a = c_b)·w_aᵀw_b − v_aᵀv_b:
 *
 * the whole Hessian is VᵀV over every slot (n·m²/2 multiply-adds) and W_cᵀW_c over each class's
 * slots (n·Σ_c m_c²/2), lower triangles on the packed product, on the cores when the products are
 * large (the same bits on any number of threads); rows of new slots are two products against all
 * the slots' columns on nt (B's columns, the large operand, streamed once per chunk of rows). V
 * holds the slots' columns in slot order, W by class (wPos), each class contiguous after a whole
 * Hessian. One memory for the path, grown by doubling (a fresh WebAssembly memory per renewal
 * costs its pages' first touch every time: more than the products).
 */
export class ProductStore implements ReferenceStore {
  private mem: MatMem<"float64"> | null = null;
  private cap = 0;
  private count = 0;
  private offs = new Int32Array(0);
  private cls = new Int32Array(0);
  private wPos = new Int32Array(0);
  /** W's first `sorted` columns are by class, class c's at [first[c], first[c + 1]). */
  private sorted = 0;
  private first: Int32Array;
  private at = productLayout(0, 0, 0);

  constructor(
    private readonly n: number,
    private readonly K: number,
  ) {
    this.first = new Int32Array(K + 1);
  }

  reset(prob: Float64Array, wp: Float64Array, w: Float64Array): void {
    const { n, K } = this;
    this.grow(Math.max(this.cap, ROW_CHUNK));
    const f = this.mem!.data;
    const { sp, swp } = this.at;
    for (let c = 0; c < K; c++)
      for (let i = 0; i < n; i++) {
        const k = c * n + i;
        f[sp + k] = Math.sqrt(w[i]) * prob[k];
        f[swp + k] = Math.sqrt(wp[k]);
      }
    this.count = 0;
  }

  private grow(m: number): void {
    if (this.cap >= m) return;
    const { n, K } = this;
    const cap = Math.max(m, 2 * this.cap);
    const at = productLayout(n, K, cap);
    const threads = (n * cap * cap) / 2 >= PRODUCT_THREADS_MACS ? defaultThreads() : 1;
    const mem = matMem(at.size, true, "float64", true, at.size, threads);
    const f = mem.data;
    // (A reused memory is not zeroed: nt's bias is.)
    f.fill(0, at.Z, at.Z + cap);
    const offs = new Int32Array(cap);
    const cls = new Int32Array(cap);
    const wPos = new Int32Array(cap);
    if (this.mem) {
      const old = this.mem.data;
      const count = this.count;
      f.set(old.subarray(this.at.V, this.at.V + count * n), at.V);
      f.set(old.subarray(this.at.W, this.at.W + count * n), at.W);
      f.set(old.subarray(this.at.sp, this.at.sp + 2 * K * n), at.sp);
      offs.set(this.offs.subarray(0, count));
      cls.set(this.cls.subarray(0, count));
      wPos.set(this.wPos.subarray(0, count));
      this.mem.release?.();
    }
    Object.assign(this, { mem, cap, at, offs, cls, wPos });
  }

  /** Column x at `off`'s scaled copies for class c: v into f64 offset v, w into u. */
  private scaled(xs: Float64Array, off: number, c: number, v: number, u: number): void {
    const { n, at } = this;
    const mem = this.mem!;
    mem.data.set(xs.subarray(off, off + n), v);
    mem.scale2!(v, at.sp + c * n, at.swp + c * n, v, u, n);
  }

  /**
   * Makes the columns of slots B current, keeping a matching prefix; with `resort` (or nothing
   * kept) all of them, W's by class.
   */
  private columns(
    xs: Float64Array,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    resort: boolean,
  ): void {
    const { n, K } = this;
    this.grow(mB);
    let known = resort || mB < this.count ? 0 : this.count;
    for (let q = 0; q < known; q++)
      if (this.offs[q] !== offsB[q] || this.cls[q] !== clsB[q]) {
        known = 0;
        break;
      }
    const { wPos, at, first } = this;
    if (known === 0) {
      first.fill(0);
      for (let q = 0; q < mB; q++) first[clsB[q] + 1]++;
      for (let c = 0; c < K; c++) first[c + 1] += first[c];
      const next = first.slice(0, K);
      for (let q = 0; q < mB; q++) wPos[q] = next[clsB[q]]++;
      this.sorted = mB;
    } else for (let q = known; q < mB; q++) wPos[q] = q;
    for (let q = known; q < mB; q++) {
      this.scaled(xs, offsB[q], clsB[q], at.V + q * n, at.W + wPos[q] * n);
      this.offs[q] = offsB[q];
      this.cls[q] = clsB[q];
    }
    this.count = mB;
  }

  hessian(xs: Float64Array, offs: Int32Array, cls: Int32Array, m: number, out: Float64Array): void {
    const { n, K } = this;
    this.columns(xs, offs, cls, m, true);
    const { cap, at, wPos } = this;
    const mem = this.mem!;
    const f = mem.data;
    const gemm = mem.gemm!;
    const { V, W, C, S } = at;
    const first = this.first;
    gemm(V, n, 1, V, 1, n, C, m, m, n, false, cap, true);
    // W's columns by class: class c's block [first[c], first[c + 1]).
    for (let c = 0; c < K; c++) {
      const s = first[c];
      const mc = first[c + 1] - s;
      const u = W + s * n;
      if (mc > 0) gemm(u, n, 1, u, 1, n, S + s * cap + s, mc, mc, n, false, cap, true);
    }
    for (let a = 0; a < m; a++) {
      const ca = cls[a];
      const pa = wPos[a];
      const row = a * m;
      const cRow = C + a * cap;
      // (The sort is stable: a same-class b ≤ a sits at wPos[b] ≤ wPos[a], in S's lower triangle.)
      for (let b = 0; b <= a; b++)
        out[row + b] = (cls[b] === ca ? f[S + pa * cap + wPos[b]] : 0) - f[cRow + b];
    }
    mirrorLower(out, m);
  }

  block(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    const { n, K } = this;
    this.columns(xs, offsB, clsB, mB, false);
    const { at, wPos, sorted, first } = this;
    const mem = this.mem!;
    const f = mem.data;
    const { V, W, VA, WA, Z, C, S } = at;
    // A's rows class by class: a row's same-class products need only W's columns of its class
    // (contiguous among the sorted ones, then the unsorted tail), a K-th of the cross term's.
    const rows = new Int32Array(ROW_CHUNK);
    const tail = mB - sorted;
    for (let c = 0; c < K; c++) {
      const s0 = first[c];
      const len = first[c + 1] - s0;
      for (let a0 = 0; a0 < mA;) {
        let ch = 0;
        for (; a0 < mA && ch < ROW_CHUNK; a0++) if (clsA[a0] === c) rows[ch++] = a0;
        if (ch === 0) continue;
        for (let r = 0; r < ch; r++) this.scaled(xs, offsA[rows[r]], c, VA + r * n, WA + r * n);
        mem.nt(V, VA, Z, C, mB, ch, n);
        if (len > 0) mem.nt(W + s0 * n, WA, Z, S, len, ch, n);
        if (tail > 0) mem.nt(W + sorted * n, WA, Z, S + len * ch, tail, ch, n);
        for (let r = 0; r < ch; r++) {
          const row = rows[r] * mB;
          for (let b = 0; b < mB; b++) {
            let v = -f[C + b * ch + r];
            if (clsB[b] === c) {
              const q = wPos[b];
              v += f[S + (q < sorted ? q - s0 : len + q - sorted) * ch + r];
            }
            out[row + b] = v;
          }
        }
      }
    }
  }

  release(): void {
    this.mem?.release?.();
    this.mem = null;
    this.cap = 0;
  }
}

/**
 * The product store's memory runs on the cores from this capacity's VᵀV (n·cap²/2 multiply-adds):
 * below it, handing blocks to a helper costs what it saves.
 */
const PRODUCT_THREADS_MACS = 2 ** 24;
/** Rows of a block made and multiplied at a time. */
const ROW_CHUNK = 16;

/**
 * The product store's regions (f64 offsets): V and W (cap columns of n each), √ŵ∘p and √(ŵp)
 * (K·n each), a chunk of rows' columns VA and WA, cap zeros (nt's bias), then two product blocks
 * C and S (cap × cap: the whole Hessian's, or a chunk of rows against the slots).
 */
function productLayout(n: number, K: number, cap: number) {
  const V = 0;
  const W = cap * n;
  const sp = 2 * cap * n;
  const swp = sp + K * n;
  const VA = swp + K * n;
  const WA = VA + ROW_CHUNK * n;
  const Z = WA + ROW_CHUNK * n;
  const C = Z + cap;
  const S = C + cap * cap;
  return { V, W, sp, swp, VA, WA, Z, C, S, size: S + cap * cap };
}

/** Copies the lower triangle of the m×m row-major `a` onto its upper one, in cache-sized tiles. */
function mirrorLower(a: Float64Array, m: number): void {
  const T = 32;
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = Math.min(i0 + T, m);
    for (let j0 = 0; j0 <= i0; j0 += T)
      for (let i = i0; i < i1; i++) {
        const j1 = Math.min(j0 + T, i);
        for (let j = j0; j < j1; j++) a[j * m + i] = a[i * m + j];
      }
  }
}
