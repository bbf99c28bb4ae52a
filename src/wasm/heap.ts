import { KERNELS_WASM } from "./kernels.js";
import { compileWasm } from "./load.js";
import { MemoryPool } from "./pool.js";
import { forgetMemory, sharedKernelsModule } from "./threads.js";

/**
 * A Float64 heap with dense kernels over it. Offsets are element indices into `f64`.
 * Backed by WebAssembly SIMD (src/wasm/kernels.wat) where available, else by plain loops
 * with the same results up to summation order.
 */
export interface Heap {
  readonly f64: Float64Array;
  /** Σ f64[a+i]·f64[b+i], i < n. */
  dot(a: number, b: number, n: number): number;
  /** f64[y+i] −= alpha·f64[x+i], i < n. */
  axpy(x: number, y: number, alpha: number, n: number): void;
  /** (f64[x+i], f64[y+i]) ← (c·f64[x+i] − s·f64[y+i], s·f64[x+i] + c·f64[y+i]), i < n. */
  rot(x: number, y: number, c: number, s: number, n: number): void;
  /** Hands the memory back for reuse; the heap must not be used afterwards. */
  release(): void;
}

let wasmModule: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (wasmModule === undefined) wasmModule = compileWasm(KERNELS_WASM);
  return wasmModule;
}

/** Largest heap placed in WebAssembly memory (32-bit addressing). */
const MAX_WASM_BYTES = 2 ** 31;

interface Kernels extends SparseKernels {
  dot(a: number, b: number, n: number): number;
  axpy(x: number, y: number, alpha: number, n: number): void;
  rot(x: number, y: number, c: number, s: number, n: number): void;
  pass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    b: number,
    g: number,
    xv: number,
    pf: number,
    lo: number,
    hi: number,
    ab: number,
    dem: number,
  ): number;
  cpass(st: number, na: number, cap: number): number;
  mgpass(st: number, na: number, cap: number, K: number): number;
  ncpass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    b: number,
    g: number,
    xv: number,
    lambda: number,
    gamma: number,
    scad: number,
  ): number;
  gresid(st: number, na: number, cap: number): void;
  glin(st: number, na: number, cap: number): void;
  grads(list: number, count: number, base: number, n: number, r: number, g: number): number;
  grads4(list: number, count: number, base: number, n: number, r: number, g: number): number;
  gradsk(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    kp: number,
    out: number,
  ): void;
  axpys(list: number, alpha: number, count: number, base: number, n: number, y: number): void;
  rowdots(a: number, b: number, count: number, n: number, out: number): void;
  rowdots2(
    a0: number,
    a1: number,
    b: number,
    count: number,
    n: number,
    out0: number,
    out1: number,
  ): void;
  fsub(l: number, v: number, k: number, cap: number): void;
  bsub(l: number, v: number, k: number, cap: number): void;
  vmap(op: number, x: number, out: number, n: number): void;
  softmax(
    eta: number,
    step: number,
    t: number,
    e: number,
    sums: number,
    y: number,
    w: number,
    n: number,
    rows: number,
    K: number,
  ): number;
  softaccept(
    e: number,
    sums: number,
    y: number,
    w: number,
    prob: number,
    wp: number,
    h: number,
    r: number,
    n: number,
    rows: number,
    K: number,
  ): void;
  binom(eta: number, y: number, w: number, mu: number, res: number, n: number): number;
  pois(eta: number, y: number, w: number, mu: number, res: number, n: number): number;
  binomdev(y: number, w: number, mu: number, n: number): number;
  binomgap(y: number, w: number, mu: number, n: number, s: number, shift: number): number;
  poisgap(y: number, w: number, mu: number, n: number, s: number, shift: number): number;
  poisdev(y: number, w: number, mu: number, n: number): number;
  coxexp(v: number, ws: number, e: number, n: number, shift: number): void;
  irlsw(mu: number, w: number, out: number, n: number, pois: number): void;
  scale(x: number, v: number, n: number): void;
  sum(x: number, n: number): number;
  kktscan(
    inc: number,
    inws: number,
    fresh: number,
    gref: number,
    norm: number,
    pf: number,
    g: number,
    list: number,
    p: number,
    delta: number,
    ab: number,
    mode: number,
    out: number,
  ): number;
  demote(src: number, dst: number, count: number): void;
  grads32(list: number, count: number, base: number, n: number, r: number, g: number): void;
  colprep(
    x: number,
    w: number,
    v: number,
    n: number,
    p: number,
    inc: number,
    center: number,
    scale: number,
    xv: number,
    flags: number,
  ): void;
  screen(
    bound: number,
    norm: number,
    pfc: number,
    rest: number,
    list: number,
    at: number,
    count: number,
    delta: number,
    lift: number,
    cut: number,
  ): number;
}

/** Heap offsets (f64 elements) of the per-feature arrays a fused pass reads and writes. */
export interface PassState {
  b: number;
  g: number;
  xv: number;
  pf: number;
  lo: number;
  hi: number;
}

/**
 * The sparse GLM solver's kernels (kernels.wat spgrads, spnewton, spsweep: SparseGlmCd's loops,
 * operation for operation). Arguments are byte offsets into the heap's memory.
 */
export interface SparseKernels {
  /**
   * g[j] = (Σ u[ri[k]]·va[k] − center[j]·sr)·inv[j] over column j = list[t], t < count (the
   * sparse GLM's gradient outside its strong set).
   */
  spgrads(
    cp: number,
    ri: number,
    va: number,
    u: number,
    list: number,
    count: number,
    center: number,
    inv: number,
    sr: number,
    g: number,
  ): void;
  /** g[k] = x̃_kᵀr for k = list[t] (SparseDesign.gradient; st: shift, Σ v·rr). */
  spggrads(
    cp: number,
    ri: number,
    vx: number,
    rr: number,
    wsum: number,
    center: number,
    scale: number,
    st: number,
    g: number,
    list: number,
    count: number,
  ): void;
  /** SparseDesign.update(list[t], d[t]) for t < count, in order. */
  spgmove(
    cp: number,
    ri: number,
    vx: number,
    rr: number,
    wsum: number,
    center: number,
    scale: number,
    st: number,
    list: number,
    d: number,
    count: number,
  ): void;
  /** NaiveCd's coordinate pass over a SparseDesign; returns the largest xv·Δb². */
  spgpass(
    cp: number,
    ri: number,
    vx: number,
    rr: number,
    wsum: number,
    center: number,
    scale: number,
    st: number,
    xv: number,
    pf: number,
    lo: number,
    hi: number,
    b: number,
    g: number,
    list: number,
    count: number,
    ab: number,
    dem: number,
  ): number;
  /** NonconvexCd's MCP / SCAD pass over a SparseDesign; returns the largest xv·Δb². */
  spncpass(
    cp: number,
    ri: number,
    vx: number,
    rr: number,
    wsum: number,
    center: number,
    scale: number,
    st: number,
    xv: number,
    b: number,
    g: number,
    list: number,
    count: number,
    lambda: number,
    gamma: number,
    scad: number,
  ): number;
  /**
   * The lazy KKT check's bounds (SparseGlmCd.admit): each j = rest[t], t < count, with
   * stamp[j] ≠ cur and bnd[3j] + bnd[3j+1]·dInf + bnd[3j+2]·dSum > thr·(1 − 1e-12) is appended
   * to need and stamped cur; returns how many.
   */
  spbound(
    rest: number,
    count: number,
    bnd: number,
    stamp: number,
    cur: number,
    dInf: number,
    dSum: number,
    thr: number,
    need: number,
  ): number;
  /** bnd[3j] = |g[j]|/pf[j] − bnd[3j+1]·dInf − bnd[3j+2]·dSum (∞ where pf[j] = 0), j in list. */
  spbase(
    list: number,
    count: number,
    g: number,
    pf: number,
    bnd: number,
    dInf: number,
    dSum: number,
  ): void;
  /**
   * j = rest[t], t < count, goes to out (in order) where pf[j] = 0 or |g[j]| > thr·pf[j], else
   * stays in rest (compacted in order); returns how many went out.
   */
  spsplit(rest: number, count: number, g: number, pf: number, thr: number, out: number): number;
  /** y[ri[k]] += va[k]·coef[t] over the non-zeros of column list[t], t < count. */
  spmove(
    cp: number,
    ri: number,
    va: number,
    y: number,
    list: number,
    coef: number,
    count: number,
  ): void;
  /**
   * The IRLS weights v = w·max(V(μ), 1e-10) over [0, n), n even (V = μ(1 − μ), or μ when
   * `pois`), Σ v into st[2] and Σ res into st[3], each summed in two lanes (even, odd).
   */
  spweights(
    mu: number,
    w: number,
    res: number,
    v: number,
    n: number,
    pois: number,
    st: number,
  ): void;
  /**
   * The elastic net's statistics of one SparseGlmCd Newton step per strong position: g, the KKT
   * violation, vx, xv, bp = bold = b; out[0], out[1]: the largest violation and curvature
   * (starting from their values there).
   */
  spnewton(
    pk: number,
    ri: number,
    va: number,
    res: number,
    v: number,
    active: number,
    na: number,
    pcen: number,
    pinv: number,
    b: number,
    g: number,
    kap: number,
    l2: number,
    lo: number,
    hi: number,
    vx: number,
    xv: number,
    bp: number,
    bold: number,
    sr: number,
    sv: number,
    out: number,
  ): void;
  /** One coordinate-descent sweep of SparseGlmCd's model; returns the largest xv·δ². */
  spsweep(
    pk: number,
    ri: number,
    va: number,
    q: number,
    v: number,
    pcen: number,
    pinv: number,
    vx: number,
    xv: number,
    kap: number,
    l2: number,
    lo: number,
    hi: number,
    bp: number,
    list: number,
    count: number,
    st: number,
  ): number;
}

/**
 * A fused coordinate-descent pass over a list of features (kernels.wat `pass`). Offsets are
 * element indices into the heap's f64 view; `list` indexes its Int32Array view.
 */
export interface PassKernel {
  readonly i32: Int32Array;
  /** The sparse solver's kernels, on byte offsets. */
  readonly sparse: SparseKernels;
  /**
   * A covariance-update pass over a compact active set of na coordinates laid out from f64
   * offset `st`: seven arrays of length cap ≥ na (g, b, xv, κ, μ, lo, hi), then the cap×cap Gram
   * block with rows cap apart (kernels.wat cpass).
   */
  cpass(st: number, na: number, cap: number): number;
  /**
   * A block coordinate-descent pass of the multi-response Gaussian elastic net over a compact
   * active set of na features from f64 offset `st`: g and b (cap × K), xv, κ, μ (cap each), K
   * scratch, then the cap × cap Gram block (kernels.wat mgpass). Returns max xv·‖Δb‖².
   */
  mgpass(st: number, na: number, cap: number, K: number): number;
  /**
   * An MCP (scad false) or SCAD coordinate pass over the features in i32 list[0..count), columns
   * n apart from f64 offset base, residual at r, and b, g, xv arrays (kernels.wat ncpass).
   */
  ncpass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    at: { b: number; g: number; xv: number },
    lambda: number,
    gamma: number,
    scad: boolean,
  ): number;
  /**
   * g ← g0 − G b over the same layout as cpass, with g0 (length cap) right after the Gram block
   * (kernels.wat gresid).
   */
  gresid(st: number, na: number, cap: number): void;
  /** g0 ← g + G b over the same layout: the inverse of gresid (kernels.wat glin). */
  glin(st: number, na: number, cap: number): void;
  /**
   * g[k] ← x_kᵀr for the features in i32 list[0..count), columns n apart from f64 offset base
   * (kernels.wat grads).
   */
  grads(list: number, count: number, base: number, n: number, r: number, g: number): void;
  /**
   * grads four columns per sweep of r (faster; sums in a different order from dot, so not bit
   * for bit the same: kernels.wat grads4).
   */
  grads4(list: number, count: number, base: number, n: number, r: number, g: number): void;
  /**
   * out[t·kp + c] ← x_{list[t]}ᵀr_c for t < count (a multiple of 4) and c < kp (even), columns
   * n apart from f64 offset base, class vectors n apart from f64 offset r: four columns against
   * two classes per sweep (kernels.wat gradsk).
   */
  gradsk(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    kp: number,
    out: number,
  ): void;
  /**
   * y ← y − Σ_t alpha[t]·x_{list[t]} for t < count (i32 list, f64 alpha), columns n apart from
   * f64 offset base: four columns per sweep of y, bit for bit repeated axpy (kernels.wat axpys).
   */
  axpys(list: number, alpha: number, count: number, base: number, n: number, y: number): void;
  /**
   * out[k] ← aᵀ(column k) for k < count, columns n apart from f64 offset b: a Gram row, four
   * columns per sweep of a (kernels.wat rowdots).
   */
  rowdots(a: number, b: number, count: number, n: number, out: number): void;
  /** rowdots for two vectors a0 and a1 at once, into out0 and out1 (kernels.wat rowdots2). */
  rowdots2(
    a0: number,
    a1: number,
    b: number,
    count: number,
    n: number,
    out0: number,
    out1: number,
  ): void;
  /** v ← L⁻¹v, L lower triangular k×k at offset l, rows cap apart (kernels.wat fsub). */
  fsub(l: number, v: number, k: number, cap: number): void;
  /** v ← L⁻ᵀv for the same L (kernels.wat bsub). */
  bsub(l: number, v: number, k: number, cap: number): void;
  /** out[i] = e^x[i] (op "exp") or log x[i] (op "log") for i < n, n even (kernels.wat vmap). */
  vmap(op: "exp" | "log", x: number, out: number, n: number): void;
  /**
   * The multinomial loss along a step over rows [0, rows), rows even: v = eta + t·step
   * (K classes of n rows, class-major, at f64 offsets), writes e = e^{v − max_c v} and the row
   * sums s, returns Σᵢ wᵢ[(max_c v_ic + log sᵢ) − v_{i,yᵢ}]; y holds i32 classes at the i32
   * offset `y` (kernels.wat softmax).
   */
  softmax(
    eta: number,
    step: number,
    t: number,
    e: number,
    sums: number,
    y: number,
    w: number,
    n: number,
    rows: number,
    K: number,
  ): number;
  /**
   * The softmax state from softmax's e and s, rows [0, rows) (even): prob = e/s, wp = w·prob,
   * h = wp(1 − prob), r = w·1{y = c} − wp (kernels.wat softaccept).
   */
  softaccept(
    e: number,
    sums: number,
    y: number,
    w: number,
    prob: number,
    wp: number,
    h: number,
    r: number,
    n: number,
    rows: number,
    K: number,
  ): void;
  /**
   * One evaluation of a GLM family over observations [0, n), n even (pad with zero weight):
   * writes μ and res = w(y − μ), returns Σ wℓ(y, η) — binomial.evaluate or poisson.evaluate
   * with exp and log in SIMD (kernels.wat binom, pois).
   */
  evaluate(
    family: "binomial" | "poisson",
    eta: number,
    y: number,
    w: number,
    mu: number,
    res: number,
    n: number,
  ): number;
  /** e[i] = ws[i]·exp(v[i] − shift) for i < n, n even (kernels.wat coxexp: Cox risk weights). */
  coxExp(v: number, ws: number, e: number, n: number, shift: number): void;
  /** Σ w·family.deviance(y, μ) over [0, n), n even (kernels.wat binomdev, poisdev). */
  deviance(family: "binomial" | "poisson", y: number, w: number, mu: number, n: number): number;
  /**
   * Σ w·H(v), v = (1 − s)y + s(μ + shift), over [0, n), n even: H(v) = v log v + (1 − v) log(1 − v)
   * (binomial; NaN when a weighted v leaves [0, 1]) or v log v − v (Poisson; NaN when a weighted
   * v < 0) — the conjugate part of glmDualityGap (kernels.wat binomgap, poisgap).
   */
  entropy(
    family: "binomial" | "poisson",
    y: number,
    w: number,
    mu: number,
    n: number,
    s: number,
    shift: number,
  ): number;
  /** out = √(w·max(V(μ), 1e−10)), the IRLS weights' roots, n even (kernels.wat irlsw). */
  irlsRoots(family: "binomial" | "poisson", mu: number, w: number, out: number, n: number): void;
  /** f32 copies of count doubles from f64 offset src to byte offset dst (kernels.wat demote). */
  demote(src: number, dst: number, count: number): void;
  /**
   * grads on f32 columns n apart from byte offset base, each entry widened and summed in f64
   * (kernels.wat grads32): g[k] within 2⁻²⁴‖x_k‖‖r‖ (plus the sum's rounding) of the f64 value.
   */
  grads32(list: number, count: number, base: number, n: number, r: number, g: number): void;
  /**
   * NaiveCd's KKT screen over p features, branch-free (kernels.wat kktscan): byte offsets `bytes`
   * of three u8 arrays (include, in working set, fresh), f64 offsets of gRef, norm, pf, g, the i32
   * offset of the list and of two i32 counters (computed, outside). Returns the list's length.
   * Mode 0 applies the safe bound |gRef| + norm·delta ≤ ab·pf, mode 2 none (λ = ∞), mode 1 lists
   * the included features that are not fresh.
   */
  kktscan(
    bytes: { inc: number; inWs: number; fresh: number },
    at: { gRef: number; norm: number; pf: number; g: number },
    list: number,
    p: number,
    delta: number,
    ab: number,
    mode: 0 | 1 | 2,
    out: number,
  ): number;
  /**
   * Standardizes the p columns of n doubles from f64 offset x in place (kernels.wat colprep):
   * center and scale as `moments` (a constant column's i32 inc entry is cleared), then
   * v·(x − center)/scale and its squared norm into xv (zeros for an excluded column). w and v
   * (= √w) hold n doubles; the outputs p each; inc p int32s.
   */
  colprep(
    x: number,
    w: number,
    v: number,
    n: number,
    p: number,
    inc: number,
    out: { center: number; scale: number; xv: number },
    intercept: boolean,
    standardize: boolean,
  ): void;
  /** x[i] ← x[i]·v[i] for i < n (kernels.wat scale). */
  scale(x: number, v: number, n: number): void;
  /** Σ x[i] for i < n, in four partial sums (kernels.wat sum). */
  sum(x: number, n: number): number;
  /**
   * GlmCd's KKT screen, branch-free (kernels.wat screen): for t < count, bound[t] += norm[t]·delta
   * and (rest[t], t) is appended to (list, at) unless bound[t]·lift + 1e-300 < cut·pfc[t];
   * returns how many were. bound, norm, pfc are f64 offsets; rest, list, at i32 offsets.
   */
  screen(
    bound: number,
    norm: number,
    pfc: number,
    rest: number,
    list: number,
    at: number,
    count: number,
    delta: number,
    lift: number,
    cut: number,
  ): number;
  pass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    state: PassState,
    ab: number,
    dem: number,
  ): number;
}

/**
 * Released heaps' memories: a GLM fit holds five or six heaps at once, and creating a memory and
 * its instance anew for each cost about a tenth of a small fit's time.
 */
const pool = new MemoryPool<Kernels>(8, 2 ** 29);
/** The same for heaps on a shared memory (helper threads read them); the helpers forget the ones let go. */
const sharedPool = new MemoryPool<Kernels>(2, 2 ** 30, true, forgetMemory);

class WasmHeap implements Heap, PassKernel {
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly memory: WebAssembly.Memory;
  private readonly k: Kernels;
  constructor(
    mod: WebAssembly.Module,
    length: number,
    keep: number,
    readonly shared = false,
  ) {
    // The smallest released memory that is large enough (a fit holds several heaps at once).
    ({ memory: this.memory, k: this.k } = (shared ? sharedPool : pool).take(
      length * 8,
      (memory) => new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Kernels,
      keep * 8,
    ));
    this.f64 = new Float64Array(this.memory.buffer, 0, length);
    this.i32 = new Int32Array(this.memory.buffer, 0, 2 * length);
  }
  pass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    st: PassState,
    ab: number,
    dem: number,
  ): number {
    return this.k.pass(
      list << 2,
      count,
      base << 3,
      n,
      r << 3,
      st.b << 3,
      st.g << 3,
      st.xv << 3,
      st.pf << 3,
      st.lo << 3,
      st.hi << 3,
      ab,
      dem,
    );
  }
  get sparse(): SparseKernels {
    return this.k;
  }
  cpass(st: number, na: number, cap: number): number {
    return this.k.cpass(st << 3, na, cap);
  }
  mgpass(st: number, na: number, cap: number, K: number): number {
    return this.k.mgpass(st << 3, na, cap, K);
  }
  ncpass(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    at: { b: number; g: number; xv: number },
    lambda: number,
    gamma: number,
    scad: boolean,
  ): number {
    return this.k.ncpass(
      list << 2,
      count,
      base << 3,
      n,
      r << 3,
      at.b << 3,
      at.g << 3,
      at.xv << 3,
      lambda,
      gamma,
      scad ? 1 : 0,
    );
  }
  gresid(st: number, na: number, cap: number): void {
    this.k.gresid(st << 3, na, cap);
  }
  glin(st: number, na: number, cap: number): void {
    this.k.glin(st << 3, na, cap);
  }
  grads(list: number, count: number, base: number, n: number, r: number, g: number): void {
    this.k.grads(list << 2, count, base << 3, n, r << 3, g << 3);
  }
  grads4(list: number, count: number, base: number, n: number, r: number, g: number): void {
    this.k.grads4(list << 2, count, base << 3, n, r << 3, g << 3);
  }
  gradsk(
    list: number,
    count: number,
    base: number,
    n: number,
    r: number,
    kp: number,
    out: number,
  ): void {
    this.k.gradsk(list << 2, count, base << 3, n, r << 3, kp, out << 3);
  }
  axpys(list: number, alpha: number, count: number, base: number, n: number, y: number): void {
    this.k.axpys(list << 2, alpha << 3, count, base << 3, n, y << 3);
  }
  rowdots(a: number, b: number, count: number, n: number, out: number): void {
    this.k.rowdots(a << 3, b << 3, count, n, out << 3);
  }
  rowdots2(
    a0: number,
    a1: number,
    b: number,
    count: number,
    n: number,
    out0: number,
    out1: number,
  ): void {
    this.k.rowdots2(a0 << 3, a1 << 3, b << 3, count, n, out0 << 3, out1 << 3);
  }
  fsub(l: number, v: number, k: number, cap: number): void {
    this.k.fsub(l << 3, v << 3, k, cap);
  }
  bsub(l: number, v: number, k: number, cap: number): void {
    this.k.bsub(l << 3, v << 3, k, cap);
  }
  vmap(op: "exp" | "log", x: number, out: number, n: number): void {
    this.k.vmap(op === "log" ? 1 : 0, x << 3, out << 3, n);
  }
  softmax(
    eta: number,
    step: number,
    t: number,
    e: number,
    sums: number,
    y: number,
    w: number,
    n: number,
    rows: number,
    K: number,
  ): number {
    return this.k.softmax(eta << 3, step << 3, t, e << 3, sums << 3, y << 2, w << 3, n, rows, K);
  }
  softaccept(
    e: number,
    sums: number,
    y: number,
    w: number,
    prob: number,
    wp: number,
    h: number,
    r: number,
    n: number,
    rows: number,
    K: number,
  ): void {
    this.k.softaccept(
      e << 3,
      sums << 3,
      y << 2,
      w << 3,
      prob << 3,
      wp << 3,
      h << 3,
      r << 3,
      n,
      rows,
      K,
    );
  }
  evaluate(
    family: "binomial" | "poisson",
    eta: number,
    y: number,
    w: number,
    mu: number,
    res: number,
    n: number,
  ): number {
    const f = family === "binomial" ? this.k.binom : this.k.pois;
    return f(eta << 3, y << 3, w << 3, mu << 3, res << 3, n);
  }
  coxExp(v: number, ws: number, e: number, n: number, shift: number): void {
    this.k.coxexp(v << 3, ws << 3, e << 3, n, shift);
  }
  deviance(family: "binomial" | "poisson", y: number, w: number, mu: number, n: number): number {
    const f = family === "binomial" ? this.k.binomdev : this.k.poisdev;
    return f(y << 3, w << 3, mu << 3, n);
  }
  entropy(
    family: "binomial" | "poisson",
    y: number,
    w: number,
    mu: number,
    n: number,
    s: number,
    shift: number,
  ): number {
    const f = family === "binomial" ? this.k.binomgap : this.k.poisgap;
    return f(y << 3, w << 3, mu << 3, n, s, shift);
  }
  irlsRoots(family: "binomial" | "poisson", mu: number, w: number, out: number, n: number): void {
    this.k.irlsw(mu << 3, w << 3, out << 3, n, family === "poisson" ? 1 : 0);
  }
  scale(x: number, v: number, n: number): void {
    this.k.scale(x << 3, v << 3, n);
  }
  sum(x: number, n: number): number {
    return this.k.sum(x << 3, n);
  }
  demote(src: number, dst: number, count: number): void {
    this.k.demote(src << 3, dst, count);
  }
  grads32(list: number, count: number, base: number, n: number, r: number, g: number): void {
    this.k.grads32(list << 2, count, base, n, r << 3, g << 3);
  }
  kktscan(
    bytes: { inc: number; inWs: number; fresh: number },
    at: { gRef: number; norm: number; pf: number; g: number },
    list: number,
    p: number,
    delta: number,
    ab: number,
    mode: 0 | 1 | 2,
    out: number,
  ): number {
    return this.k.kktscan(
      bytes.inc,
      bytes.inWs,
      bytes.fresh,
      at.gRef << 3,
      at.norm << 3,
      at.pf << 3,
      at.g << 3,
      list << 2,
      p,
      delta,
      ab,
      mode,
      out << 2,
    );
  }
  colprep(
    x: number,
    w: number,
    v: number,
    n: number,
    p: number,
    inc: number,
    out: { center: number; scale: number; xv: number },
    intercept: boolean,
    standardize: boolean,
  ): void {
    this.k.colprep(
      x << 3,
      w << 3,
      v << 3,
      n,
      p,
      inc << 2,
      out.center << 3,
      out.scale << 3,
      out.xv << 3,
      (intercept ? 1 : 0) | (standardize ? 2 : 0),
    );
  }

  screen(
    bound: number,
    norm: number,
    pfc: number,
    rest: number,
    list: number,
    at: number,
    count: number,
    delta: number,
    lift: number,
    cut: number,
  ): number {
    return this.k.screen(
      bound << 3,
      norm << 3,
      pfc << 3,
      rest << 2,
      list << 2,
      at << 2,
      count,
      delta,
      lift,
      cut,
    );
  }
  release(): void {
    (this.shared ? sharedPool : pool).give(this.memory, this.k);
  }
  dot(a: number, b: number, n: number): number {
    return this.k.dot(a << 3, b << 3, n);
  }
  axpy(x: number, y: number, alpha: number, n: number): void {
    this.k.axpy(x << 3, y << 3, alpha, n);
  }
  rot(x: number, y: number, c: number, s: number, n: number): void {
    this.k.rot(x << 3, y << 3, c, s, n);
  }
}

class JsHeap implements Heap {
  readonly f64: Float64Array;
  constructor(length: number) {
    this.f64 = new Float64Array(length);
  }
  release(): void {}
  dot(a: number, b: number, n: number): number {
    const h = this.f64;
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      s0 += h[a + i] * h[b + i];
      s1 += h[a + i + 1] * h[b + i + 1];
    }
    if (i < n) s0 += h[a + i] * h[b + i];
    return s0 + s1;
  }
  axpy(x: number, y: number, alpha: number, n: number): void {
    const h = this.f64;
    for (let i = 0; i < n; i++) h[y + i] -= alpha * h[x + i];
  }
  rot(x: number, y: number, c: number, s: number, n: number): void {
    const h = this.f64;
    for (let i = 0; i < n; i++) {
      const u = h[x + i];
      const v = h[y + i];
      h[x + i] = c * u - s * v;
      h[y + i] = s * u + c * v;
    }
  }
}

/** The fused pass kernel of a heap, when it runs on WebAssembly. */
export function passKernel(h: Heap): PassKernel | null {
  return h instanceof WasmHeap ? h : null;
}

/**
 * A heap of `length` doubles, zeroed except its first `keep` (which the caller writes before
 * reading); `prefer` "js" forces the plain-loop kernels; `shared` puts it on a shared memory where
 * the platform has helper threads (else an ordinary one).
 */
export function createHeap(
  length: number,
  prefer: "wasm" | "js" = "wasm",
  keep = 0,
  shared = false,
): Heap {
  const fits = prefer === "wasm" && length * 8 <= MAX_WASM_BYTES;
  const sharedMod = fits && shared ? sharedKernelsModule() : null;
  if (sharedMod)
    try {
      return new WasmHeap(sharedMod, length, keep, true);
    } catch {
      // (a shared memory of this size could not be made: an ordinary one, on this thread alone)
    }
  const mod = fits ? module() : null;
  return mod ? new WasmHeap(mod, length, keep) : new JsHeap(length);
}

/** The shared memory under a heap made with `shared` (helper threads can read it), else null. */
export function sharedMemory(h: Heap): WebAssembly.Memory | null {
  return h instanceof WasmHeap && h.shared ? h.memory : null;
}
