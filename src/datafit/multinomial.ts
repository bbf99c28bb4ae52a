import type { NewtonDatafit } from "../core/datafit.js";
import { matMem, type MatMem } from "../nn/kernels.js";
import { lowerRowDots } from "../wasm/gram.js";
import { defaultThreads } from "../wasm/threads.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";

/**
 * The multinomial (softmax) datafit: for class labels yᵢ ∈ {0 … K−1},
 *
 *     f(η) = Σᵢ ŵᵢ [ log Σ_c e^{η_ic} − η_{i,yᵢ} ],   rᵢc = ŵᵢ(1{yᵢ = c} − pᵢc),
 *     Hᵢ = ŵᵢ (diag pᵢ − pᵢpᵢᵀ),
 *
 * with pᵢ the softmax of ηᵢ (computed shifted by its maximum). The model keeps the step z and
 * mᵢ = Σ_d pᵢd zᵢd, so that [Hᵢzᵢ]_c = ŵᵢ pᵢc (zᵢc − mᵢ) costs O(1) per observation and a
 * coordinate move O(n): the exact Newton model (cross-class terms included), unlike glmnet's
 * per-class approximation.
 */
export class MultinomialDatafit implements NewtonDatafit {
  readonly K: number;
  readonly n: number;
  readonly r: Float64Array;
  readonly step: Float64Array;
  readonly nullDeviance: number;
  private readonly prob: Float64Array;
  /** ŵᵢpᵢc, and ŵᵢpᵢc(1 − pᵢc) (the diagonal Hessian). */
  private readonly wp: Float64Array;
  private readonly h: Float64Array;
  private readonly m: Float64Array;
  private readonly shares: Float64Array;
  /** Scratch: one class pair's Hessian weights, and those times one column. */
  private readonly pairWeights: Float64Array;
  private readonly columnWeights: Float64Array;

  constructor(
    private readonly y: Int32Array,
    K: number,
    private readonly w: Float64Array,
    /** The reference Hessian's and the softmax's kernels: "js" forces the plain loops (tests). */
    private readonly kernels: "wasm" | "js" = "wasm",
  ) {
    const n = (this.n = y.length);
    this.K = K;
    // The softmax state lives in one heap, for the kernels (softmax, softaccept): η copied in,
    // the step, the exponentials, p, ŵp, h, r (K·n each), the row sums, ŵ and the classes.
    const kn = K * n;
    const at = (this.at = {
      eta: 0,
      step: kn,
      e: 2 * kn,
      prob: 3 * kn,
      wp: 4 * kn,
      h: 5 * kn,
      r: 6 * kn,
      sums: 7 * kn,
      w: 7 * kn + n,
      y: 2 * (7 * kn + 2 * n),
    });
    const heap = (this.state = createHeap(7 * kn + 2 * n + Math.ceil(n / 2) + 1, kernels));
    const f = heap.f64;
    this.r = f.subarray(at.r, at.r + kn);
    this.step = f.subarray(at.step, at.step + kn);
    this.prob = f.subarray(at.prob, at.prob + kn);
    this.wp = f.subarray(at.wp, at.wp + kn);
    this.h = f.subarray(at.h, at.h + kn);
    this.alongE = f.subarray(at.e, at.e + kn);
    this.alongSum = f.subarray(at.sums, at.sums + n);
    f.set(w, at.w);
    const kernel = passKernel(heap);
    if (kernel) kernel.i32.set(y, at.y);
    this.m = new Float64Array(n);
    this.pairWeights = new Float64Array(n);
    this.columnWeights = new Float64Array(n);
    this.shares = new Float64Array(K);
    for (let i = 0; i < n; i++) this.shares[y[i]] += w[i];
    let dev = 0;
    for (let c = 0; c < K; c++)
      if (this.shares[c] > 0) dev -= 2 * this.shares[c] * Math.log(this.shares[c]);
    this.nullDeviance = dev;
  }

  /** The softmax state's heap and its layout (f64 offsets; y an i32 offset). */
  private readonly state: Heap;
  private readonly at: {
    eta: number;
    step: number;
    e: number;
    prob: number;
    wp: number;
    h: number;
    r: number;
    sums: number;
    w: number;
    y: number;
  };

  evaluate(eta: Float64Array): number {
    // The loss at η + 0·step, its exponentials then kept as the state: one code path (and the
    // SIMD exponentials) for the evaluation and the line search.
    this.lossAlong(eta, 0);
    return this.acceptAlong(0) as number;
  }

  lossAlong(eta: Float64Array, t: number): number {
    const { n, K, y, w, step } = this;
    const e = this.alongE;
    const sums = this.alongSum;
    const kernel = passKernel(this.state);
    // The kernel takes the rows in pairs; an odd last row (and every row without the kernel)
    // runs the loop below: the same operations in the same order, Math.exp and Math.log within
    // an ulp of the kernel's.
    let from = 0;
    let f = 0;
    if (kernel) {
      const at = this.at;
      this.state.f64.set(eta, at.eta);
      from = n & ~1;
      f = kernel.softmax(at.eta, at.step, t, at.e, at.sums, at.y, at.w, n, from, K);
    }
    for (let i = from; i < n; i++) {
      let mx = -Infinity;
      for (let c = 0; c < K; c++) {
        const v = eta[c * n + i] + t * step[c * n + i];
        if (v > mx) mx = v;
      }
      let s = 0;
      for (let c = 0; c < K; c++) {
        const q = Math.exp(eta[c * n + i] + t * step[c * n + i] - mx);
        e[c * n + i] = q;
        s += q;
      }
      sums[i] = s;
      const wi = w[i];
      if (wi === 0) continue;
      const k = y[i] * n + i;
      f += wi * (mx + Math.log(s) - (eta[k] + t * step[k]));
    }
    this.alongT = t;
    this.alongLoss = f;
    return f;
  }

  private readonly alongE: Float64Array;
  private readonly alongSum: Float64Array;
  private alongT = NaN;
  private alongLoss = 0;

  acceptAlong(t: number): number | null {
    if (t !== this.alongT) return null;
    this.alongT = NaN;
    const { n, K, y, w, prob, wp, h, r } = this;
    const e = this.alongE;
    const sums = this.alongSum;
    const kernel = passKernel(this.state);
    let from = 0;
    if (kernel) {
      const at = this.at;
      from = n & ~1;
      kernel.softaccept(at.e, at.sums, at.y, at.w, at.prob, at.wp, at.h, at.r, n, from, K);
    }
    for (let i = from; i < n; i++) {
      const inv = 1 / sums[i];
      const wi = w[i];
      const yi = y[i];
      for (let c = 0; c < K; c++) {
        const k = c * n + i;
        const q = e[k] * inv;
        prob[k] = q;
        const a = wi * q;
        wp[k] = a;
        h[k] = a * (1 - q);
        r[k] = (c === yi ? wi : 0) - a;
      }
    }
    return this.alongLoss;
  }

  curvature(xs: Float64Array, off: number, c: number): number {
    const { n, h } = this;
    const hc = c * n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[off + i];
      s += x * x * h[hc + i];
    }
    return s;
  }

  modelGradient(xs: Float64Array, off: number, c: number): number {
    if (this.mStale) this.refreshM();
    const { n, r, wp, step, m } = this;
    const o = c * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[off + i] * (r[o + i] - wp[o + i] * (step[o + i] - m[i]));
    return s;
  }

  move(xs: Float64Array, off: number, c: number, delta: number): void {
    if (this.mStale) this.refreshM();
    const { n, prob, step, m } = this;
    const o = c * n;
    for (let i = 0; i < n; i++) {
      const d = delta * xs[off + i];
      step[o + i] += d;
      m[i] += prob[o + i] * d;
    }
  }

  /**
   * After the step was set whole (the compact route, whose line search needs only the step), m
   * is made when the coordinate model next asks for it.
   */
  stepSet(): void {
    this.mStale = true;
  }

  /** Whether m is behind the step (stepSet since the last refresh). */
  private mStale = false;

  private refreshM(): void {
    this.mStale = false;
    const { n, K, prob, step, m } = this;
    m.fill(0);
    for (let c = 0; c < K; c++) {
      const o = c * n;
      for (let i = 0; i < n; i++) m[i] += prob[o + i] * step[o + i];
    }
  }

  stepCurvature(): number {
    const { n, K, wp, step } = this;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < K; c++) {
        const z = step[c * n + i];
        a += wp[c * n + i] * z * z;
        b += wp[c * n + i] * z;
      }
      // zᵀ(w diag p − w ppᵀ)z = Σ wp z² − (Σ wp z)²/w
      const wi = this.w[i];
      if (wi > 0) s += a - (b * b) / wi;
    }
    return s / 2;
  }

  resetStep(): void {
    this.step.fill(0);
    this.m.fill(0);
    this.mStale = false;
  }

  blockHessian(xs: Float64Array, offs: Int32Array, mCols: number, out: Float64Array): void {
    const { n, K, wp, prob } = this;
    const dim = mCols * K;
    out.fill(0, 0, dim * dim);
    const v = this.pairWeights;
    const va = this.columnWeights;
    for (let c = 0; c < K; c++)
      for (let d = 0; d <= c; d++) {
        const oc = c * n;
        const od = d * n;
        for (let i = 0; i < n; i++) v[i] = wp[oc + i] * ((c === d ? 1 : 0) - prob[od + i]);
        for (let a = 0; a < mCols; a++) {
          const xa = offs[a];
          for (let i = 0; i < n; i++) va[i] = v[i] * xs[xa + i];
          for (let b = 0; b <= a; b++) {
            const xb = offs[b];
            // Two accumulators: independent chains the CPU can overlap.
            let s0 = 0;
            let s1 = 0;
            let i = 0;
            for (; i + 1 < n; i += 2) {
              s0 += va[i] * xs[xb + i];
              s1 += va[i + 1] * xs[xb + i + 1];
            }
            if (i < n) s0 += va[i] * xs[xb + i];
            const s = s0 + s1;
            const ac = a * K + c;
            const bd = b * K + d;
            const ad = a * K + d;
            const bc = b * K + c;
            out[ac * dim + bd] = out[bd * dim + ac] = s;
            out[ad * dim + bc] = out[bc * dim + ad] = s;
          }
        }
      }
  }

  /**
   * Hᵢ[c, d] = ŵᵢpᵢc(δ_cd − pᵢd), so with u_a = ŵp_{c_a}∘x_a, t_b = p_{c_b}∘x_b:
   * H_ab = δ(c_a = c_b)·u_aᵀx_b − u_aᵀt_b. The products run on the WebAssembly row-dot kernel
   * over [U | T | X] in one heap, entries sorted by class so that each row's same-class partners
   * are contiguous; n·m²/2 multiply-adds for the cross term and n·Σ_c m_c²/2 for the diagonal.
   */
  entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    const { n, wp, prob } = this;
    const order = Array.from({ length: m }, (_, a) => a).sort((a, b) => cls[a] - cls[b]);
    const heap = createHeap(3 * m * n + 2 * m + 2);
    const f = heap.f64;
    const T = m * n;
    const X = 2 * m * n;
    const res = 3 * m * n;
    for (let q = 0; q < m; q++) {
      const a = order[q];
      const xa = offs[a];
      const o = cls[a] * n;
      const at = q * n;
      for (let i = 0; i < n; i++) {
        const x = xs[xa + i];
        f[at + i] = wp[o + i] * x;
        f[T + at + i] = prob[o + i] * x;
        f[X + at + i] = x;
      }
    }
    // The cross term u_aᵀt_b for b ≤ a.
    lowerRowDots(heap, 0, T, m, n, res, (q, from) => {
      const a = order[q];
      for (let r = 0; r <= q; r++) {
        const b = order[r];
        out[a * m + b] = out[b * m + a] = -f[from + r];
      }
    });
    const kernel = passKernel(heap);
    // The diagonal term u_aᵀx_b for the same-class b ≤ a (contiguous after the sort).
    let start = 0;
    for (let q = 0; q < m; q++) {
      const a = order[q];
      if (q > 0 && cls[order[q - 1]] !== cls[a]) start = q;
      const count = q - start + 1;
      if (kernel) kernel.rowdots(q * n, X + start * n, count, n, res);
      else for (let b = 0; b < count; b++) f[res + b] = heap.dot(q * n, X + (start + b) * n, n);
      for (let r = start; r <= q; r++) {
        const b = order[r];
        const v = out[a * m + b] + f[res + r - start];
        out[a * m + b] = out[b * m + a] = v;
      }
    }
    heap.release();
  }

  setReference(): void {
    const cache = this.refHeap(0);
    cache.count = 0;
    cache.heap.f64.set(this.prob, cache.at.P);
    cache.heap.f64.set(this.wp, cache.at.WP);
  }

  /**
   * The reference's heap, kept for the path: the columns [T | X] of the slotted entries (t_b =
   * p_{c_b}∘x_b and x_b at the reference, in slot order, `count` of them filled), two rows U of
   * u_a = ŵp_{c_a}∘x_a, four result rows, the reference's p and ŵp (set by setReference), and
   * per class a list of its slots (i32). Grows by doubling, keeping the filled columns, p and ŵp.
   */
  private ref: RefCache | null = null;

  private refHeap(m: number): RefCache {
    const { n, K } = this;
    let cache = this.ref;
    // Only setReference makes the heap (m = 0): rows without a reference would be silently wrong.
    if (!cache && m > 0)
      throw new Error("MultinomialDatafit: setReference before the reference's rows");
    if (!cache || cache.cap < m) {
      const cap = Math.max(2 * m, 16);
      const at = refLayout(n, K, cap);
      const heap = createHeap(at.size, this.kernels);
      const offs = new Int32Array(cap);
      const cls = new Int32Array(cap);
      let count = 0;
      if (cache) {
        count = cache.count;
        const old = cache.heap.f64;
        heap.f64.set(old.subarray(0, count * n), 0);
        heap.f64.set(old.subarray(cache.at.X, cache.at.X + count * n), at.X);
        heap.f64.set(old.subarray(cache.at.P, cache.at.WP + n * K), at.P);
        offs.set(cache.offs.subarray(0, count));
        cls.set(cache.cls.subarray(0, count));
        cache.heap.release();
      }
      cache = this.ref = { heap, cap, count, offs, cls, at };
    }
    return cache;
  }

  /** Fills the reference's columns of B's entries not yet there (B extends the slot list). */
  private refColumns(xs: Float64Array, offsB: Int32Array, clsB: Int32Array, mB: number): RefCache {
    const { n } = this;
    const cache = this.refHeap(mB);
    let known = Math.min(cache.count, mB);
    for (let q = 0; q < known; q++)
      if (cache.offs[q] !== offsB[q] || cache.cls[q] !== clsB[q]) {
        known = q;
        break;
      }
    const { heap, at } = cache;
    const f = heap.f64;
    for (let q = known; q < mB; q++) {
      const col = at.X + q * n;
      f.set(xs.subarray(offsB[q], offsB[q] + n), col);
      f.copyWithin(q * n, col, col + n);
      refScale(heap, q * n, at.P + clsB[q] * n, n);
      cache.offs[q] = offsB[q];
      cache.cls[q] = clsB[q];
    }
    cache.count = mB;
    return cache;
  }

  /** U row r ← ŵp_c∘x for the column of xs at `off`, class c, at the reference. */
  private refRow(cache: RefCache, r: number, xs: Float64Array, off: number, c: number): number {
    const { n } = this;
    const u = cache.at.U + r * n;
    cache.heap.f64.set(xs.subarray(off, off + n), u);
    refScale(cache.heap, u, cache.at.WP + c * n, n);
    return u;
  }

  /**
   * The model Hessian over the slotted entries at the reference (after setReference): H_ab =
   * δ(c_a = c_b)·u_aᵀx_b − u_aᵀt_b, the cross term u_aᵀt_b for b ≤ a on the row-dot kernel
   * (two rows per sweep), the same-class term u_aᵀx_b on the gradient kernel over the class's
   * slots so far: n·m²/2 + n·Σ_c m_c²/2 multiply-adds. It fills the reference's columns, which
   * entryBlock's extensions then reuse. Same as entryHessian at the reference, up to rounding.
   */
  referenceHessian(
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    const { n, K } = this;
    const cache = this.refColumns(xs, offs, cls, m);
    if ((n * m * m) / 2 >= PRODUCT_MACS && this.kernels === "wasm")
      return this.productHessian(cache, xs, offs, cls, m, out);
    const { heap, cap, at } = cache;
    const f = heap.f64;
    const kernel = passKernel(heap);
    const i32 = kernel ? kernel.i32 : new Int32Array(K * cap);
    const lists = kernel ? at.lists * 2 : 0;
    const filled = new Int32Array(K);
    for (let a = 0; a < m; a += 2) {
      const rows = a + 1 < m ? 2 : 1;
      for (let r = 0; r < rows; r++) this.refRow(cache, r, xs, offs[a + r], cls[a + r]);
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

  /**
   * referenceHessian for many slots, as symmetric products on the packed matrix product (their
   * lower triangles): with v_a = √ŵ∘p_{c_a}∘x_a and w_a = √(ŵp_{c_a})∘x_a,
   *
   *     H_ab = δ(c_a = c_b)·w_aᵀw_b − v_aᵀv_b,
   *
   * VᵀV over every slot (n·m²/2 multiply-adds) and W_cᵀW_c over each class's slots, W's columns
   * sorted by class (n·Σ_c m_c²/2), on the cores when the products are large (the same bits on any
   * number of threads). The columns' copies cost 2·m·n against the row-dot kernel's n·m²/2 at
   * about two thirds of the product's speed and half its threads: a gain from a few dozen slots.
   */
  private productHessian(
    cache: RefCache,
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    const { n, K, w } = this;
    const { mem, cap } = this.productMem(m);
    const f = mem.data;
    const V = 0;
    const W = cap * n;
    const sp = 2 * cap * n;
    const swp = sp + K * n;
    const C = swp + K * n;
    const S = C + cap * cap;
    // √ŵ∘p_c and √(ŵp_c) at the reference.
    const ref = cache.heap.f64;
    for (let c = 0; c < K; c++)
      for (let i = 0; i < n; i++) {
        const k = c * n + i;
        f[sp + k] = Math.sqrt(w[i]) * ref[cache.at.P + k];
        f[swp + k] = Math.sqrt(ref[cache.at.WP + k]);
      }
    // The slots by class (stable): W's column order, each class's block [first[c], first[c + 1]).
    const first = new Int32Array(K + 1);
    for (let a = 0; a < m; a++) first[cls[a] + 1]++;
    for (let c = 0; c < K; c++) first[c + 1] += first[c];
    const next = first.slice(0, K);
    const pos = new Int32Array(m);
    for (let a = 0; a < m; a++) {
      const c = cls[a];
      pos[a] = next[c]++;
      const v = V + a * n;
      f.set(xs.subarray(offs[a], offs[a] + n), v);
      mem.scale2!(v, sp + c * n, swp + c * n, v, W + pos[a] * n, n);
    }
    const gemm = mem.gemm!;
    gemm(V, n, 1, V, 1, n, C, m, m, n, false, cap, true);
    for (let c = 0; c < K; c++) {
      const s = first[c];
      const mc = first[c + 1] - s;
      const u = W + s * n;
      if (mc > 0) gemm(u, n, 1, u, 1, n, S + s * cap + s, mc, mc, n, false, cap, true);
    }
    for (let a = 0; a < m; a++) {
      const ca = cls[a];
      const pa = pos[a];
      const row = a * m;
      const cRow = C + a * cap;
      for (let b = 0; b <= a; b++) {
        let v = -f[cRow + b];
        // (The sort is stable: a same-class b ≤ a sits at pos[b] ≤ pos[a], in S's lower triangle.)
        if (cls[b] === ca) {
          const pb = pos[b];
          v += f[S + pa * cap + pb];
        }
        out[row + b] = v;
      }
    }
    mirrorLower(out, m);
  }

  /**
   * productHessian's memory, kept for the path and grown by doubling (a fresh WebAssembly memory
   * per renewal, its size growing with the slots, costs its pages' first touch every time: more
   * than the products), with its capacity in slots.
   */
  private products: { mem: MatMem<"float64">; cap: number } | null = null;

  private productMem(m: number): { mem: MatMem<"float64">; cap: number } {
    const have = this.products;
    if (have && have.cap >= m) return have;
    have?.mem.release?.();
    const { n, K } = this;
    const cap = Math.max(m, 2 * (have?.cap ?? 16));
    const threads = (n * cap * cap) / 2 >= PRODUCT_THREADS_MACS ? defaultThreads() : 1;
    const size = 2 * cap * n + 2 * K * n + 2 * cap * cap;
    const mem = matMem(size, true, "float64", true, size, threads);
    return (this.products = { mem, cap });
  }

  /**
   * Rows of the Hessian at the reference: H_ab = δ(c_a = c_b)·u_aᵀx_b − u_aᵀt_b with u_a =
   * ŵp_{c_a}∘x_a and t_b = p_{c_b}∘x_b. B's columns [T | X] stay in the reference's heap (the
   * compact solve extends the same slot list: only the columns new since the last call are
   * filled); each row pair takes two row-dot kernel calls (rowdots2) against all of B.
   */
  entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    const cache = this.refColumns(xs, offsB, clsB, mB);
    const { heap, at } = cache;
    const f = heap.f64;
    const { n } = this;
    const res = at.res;
    const kernel = passKernel(heap);
    const rowOut = (a: number, cross: number, same: number) => {
      const row = a * mB;
      const ca = clsA[a];
      for (let b = 0; b < mB; b++) out[row + b] = (clsB[b] === ca ? f[same + b] : 0) - f[cross + b];
    };
    for (let a = 0; a < mA; a += 2) {
      const pair = a + 1 < mA;
      for (let r = 0; r < (pair ? 2 : 1); r++) this.refRow(cache, r, xs, offsA[a + r], clsA[a + r]);
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

  /**
   * Hands back the reference's and the line search's heaps (later calls make new ones; the
   * reference's rows need a setReference first).
   */
  release(): void {
    this.ref?.heap.release();
    this.products?.mem.release?.();
    this.products = null;
    this.state.release();
    this.ref = null;
    this.alongT = NaN;
  }

  deviance(loss: number): number {
    return 2 * loss;
  }

  interceptStart(): Float64Array {
    const a = Float64Array.from(this.shares, (s) => Math.log(Math.max(s, 1e-300)));
    const mean = a.reduce((u, v) => u + v, 0) / this.K;
    return a.map((v) => v - mean);
  }
}

/**
 * The reference Hessian is formed on the packed matrix product from this many multiply-adds
 * (n·m²/2), on the cores when its memory holds products of PRODUCT_THREADS_MACS: below them the
 * row-dot kernel (no copies, no packing) and one thread are faster (measured: 1797 × 100 slots of
 * 10 classes, 1.8 ms on the row-dot kernel against 2.3 ms packed; 1797 × 300, 11–18 against
 * 10.4–11.4 ms; 6435 × 200, 37–41 against 22–30 ms).
 */
const PRODUCT_MACS = 2 ** 24;
const PRODUCT_THREADS_MACS = 2 ** 24;

/** The reference heap's regions (f64 offsets; `lists` holds K·cap int32). */
function refLayout(n: number, K: number, cap: number) {
  const X = cap * n;
  const U = 2 * cap * n;
  const res = U + 2 * n;
  const P = res + 4 * cap;
  const WP = P + n * K;
  const lists = WP + n * K;
  return { X, U, res, P, WP, lists, size: lists + Math.ceil((K * cap) / 2) + 1 };
}

interface RefCache {
  heap: Heap;
  cap: number;
  count: number;
  offs: Int32Array;
  cls: Int32Array;
  at: ReturnType<typeof refLayout>;
}

/** x ← x∘v over n entries of the heap, on the kernel where there is one. */
function refScale(heap: Heap, x: number, v: number, n: number): void {
  const kernel = passKernel(heap);
  if (kernel) return kernel.scale(x, v, n);
  const f = heap.f64;
  for (let i = 0; i < n; i++) f[x + i] *= f[v + i];
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
