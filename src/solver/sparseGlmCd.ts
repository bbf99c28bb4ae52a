import type { CoordinatePenalty } from "../core/penalty.js";
import type { SparseColumns } from "../data/glmDesign.js";
import { sparseDot } from "../data/matrix.js";
import { interceptStart } from "../datafit/intercept.js";
import { enetSubdiffDistance, enetValue } from "../penalty/elasticNet.js";
import { MAX_NEWTON, type GlmPathSolver, type GlmSetup, type GlmStatus } from "./glmCd.js";
import { ModelSubspace, type SubspaceModel } from "./modelSubspace.js";
import { PathWarmStart } from "./warmStart.js";
import { createHeap, passKernel, sharedMemory, type Heap, type PassKernel } from "../wasm/heap.js";
import { defaultThreads, productHelpers, runShare, type ProductHelper } from "../wasm/threads.js";

/** Smallest IRLS weight relative to the observation weight (keeps the WLS well posed). */
const VMIN = 1e-10;
/** A nonconvex penalty's step is halved at most this often before it is damped instead. */
const MAX_HALVINGS = 12;
/** The smallest inner tolerance factor under a nonconvex penalty (see `newton`). */
const TIGHTEN_FLOOR = 1e-2;
/** The most coordinate passes of one Newton step's model under a nonconvex penalty. */
const MAX_INNER = 50;
/** The largest damping level of a nonconvex penalty's steps (its proximal weight ~2^level·xv). */
const MAX_LEVEL = 30;
/** A point is solved when its KKT violation is at most kktTol·λ; kktTol defaults to this. */
const KKT_TOL = 1e-7;
/**
 * The first Newton step of each point solves its model this much tighter than the later ones
 * (see `newton`): from the path's extrapolation the violation is about 0.1·λ, where the later
 * steps' tolerance stopped after a single pass and the next step had to read every strong column
 * again. On the text bench's binomial path, alternating in one process: 0.93 × the time on each
 * of two sparse designs (same passes, a fifth fewer Newton steps); 0.3 gave 0.95 ×, 0.03 1.0 ×.
 */
const FIRST_STEP_TOL = 0.1;
/** The largest SparseHeap (bytes): past it the solvers run their JavaScript loops. */
const SPARSE_HEAP_BYTES = 2 ** 31 - 2 ** 20;

/**
 * IRLS with naive coordinate descent for a GLM on a sparse (CSC) design, never densified: glmnet's
 * scheme for sparse input (Friedman, Hastie & Tibshirani 2010, §2.3 and §3), solving at one λ
 *
 *     minimize_{b0, b}  Σᵢ ŵᵢ ℓ(yᵢ, ηᵢ) + Σⱼ pen_j(b_j),   η = b0 + X̃b + offset,
 *
 * with X̃ the centered and scaled design, x̃_j = (x_j − c_j)/s_j. Each Newton step minimizes the
 * quadratic model at the current weights v = ŵ·ℓ''(η) by cyclic coordinate descent over the
 * strong set, each update costing O(nnz of its column): the centering is carried by two scalars
 * instead of a dense column. With q the model's working residual and q = q' − v·D,
 *
 *     Σᵢ qᵢ x̃_ij = (Σ_{i: x_ij ≠ 0} q'ᵢ x_ij − D·Σᵢ vᵢx_ij − c_j (Σ q' − D Σ v)) / s_j,
 *
 * an update δ of b_j subtracts vᵢx_ij δ/s_j from q' on the column's non-zeros and c_j δ/s_j from
 * D; an intercept move δ₀ adds δ₀ to D. The step is halved until the true objective does not
 * increase. A point is done when the true KKT conditions hold to kktTol·λ on the strong set and,
 * after a full gradient (one pass over the non-zeros), no other feature violates them (the
 * sequential strong rules of Tibshirani et al. 2012 pick the strong set).
 *
 * Drop-in for GlmCd where the design is sparse: GlmCd forms dense Hessian blocks, whose n·k²
 * cost is out of reach at text sizes (20 000 × 50 000, thousands of non-zero coefficients).
 */
/** What one coordinate-descent sweep reads and writes (a flat record, for the optimizer). */
interface SweepModel {
  colPtr: Int32Array;
  rowIndex: Int32Array;
  values: Float64Array;
  /** q' (n): the model's working residual without its scalar part. */
  q: Float64Array;
  /** The IRLS weights (n). */
  v: Float64Array;
  /** Feature of each strong position. */
  active: Int32Array;
  center: Float64Array;
  inv: Float64Array;
  vx: Float64Array;
  xv: Float64Array;
  kap: Float64Array;
  l2: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  bp: Float64Array;
  /**
   * For another coordinate penalty's damped steps (`sweep`, SparseGlmCd.damp): a proximal weight
   * per position and its anchor (the values before the Newton step): the model gains
   * Σ (prox/2)(b − anchor)².
   */
  prox: Float64Array;
  anchor: Float64Array;
  /**
   * Per position, 4 doubles: the |b| range, slope and curvature of the anchor's piece of the
   * penalty where the damped step keeps the coordinate on it (the range's end −1: it does not).
   */
  piece: Float64Array;
}

/**
 * One cyclic coordinate-descent sweep of the quadratic model over the strong positions
 * list[0 .. count), each update costing O(nnz of its column): the elastic net's (`pen` null; the
 * kernels' spsweep is the same), or another coordinate penalty's at `lambda`. `st` holds Σ q', D
 * and Σ v (the first two are updated). Returns the largest xv·δ² of the sweep.
 */
function sweep(
  m: SweepModel,
  list: Int32Array,
  count: number,
  st: Float64Array,
  pen: CoordinatePenalty | null,
  lambda: number,
): number {
  const { colPtr, rowIndex, values, q, v, active, center, inv, vx, xv, kap, l2, lo, hi, bp } = m;
  const { prox, anchor, piece } = m;
  let sq = st[0];
  let d = st[1];
  const sv = st[2];
  let dlx = 0;
  for (let u = 0; u < count; u++) {
    const t = list[u];
    const j = active[t];
    const k0 = colPtr[j];
    const k1 = colPtr[j + 1];
    const s = sparseDot(q, rowIndex, values, k0, k1);
    const ij = inv[j];
    const vxj = vx[t];
    const xvj = xv[t];
    const bt = bp[t];
    const z = xvj * bt + (s - d * vxj - center[j] * (sq - d * sv)) * ij;
    let nb = 0;
    if (pen === null) {
      const a0 = Math.abs(z) - kap[t];
      if (a0 > 0) nb = (z > 0 ? a0 : -a0) / (xvj + l2[t]);
    } else {
      // Another coordinate penalty (MCP, SCAD): its global minimizer of the one-dimensional
      // model, which need not be convex at IRLS curvatures, or the damped step's (see
      // SparseGlmCd.damp): on the anchor's own piece, where the penalty's quadratic is exact and
      // the problem convex, its minimizer held to the piece; else with the proximal weight.
      const c = prox[t];
      const to = piece[4 * t + 1];
      if (to >= 0) {
        const a = anchor[t];
        const curv = piece[4 * t + 3];
        const sign = a > 0 ? 1 : -1;
        const mid = sign * ((z + (c + curv) * a - piece[4 * t + 2]) / (xvj + c + curv));
        const from = piece[4 * t];
        nb = sign * (mid < from ? from : mid > to ? to : mid);
      } else if (c === 0) nb = pen.update(z, xvj, j, lambda);
      else nb = pen.update(z + c * anchor[t], xvj + c, j, lambda);
    }
    // The box (zero at λ = ∞ pins a penalized feature).
    if (nb < lo[t]) nb = lo[t];
    else if (nb > hi[t]) nb = hi[t];
    const del = nb - bt;
    if (del === 0) continue;
    bp[t] = nb;
    const a = del * ij;
    for (let k = k0; k < k1; k++) {
      const i = rowIndex[k];
      q[i] -= v[i] * values[k] * a;
    }
    sq -= vxj * a;
    d -= center[j] * a;
    const t2 = xvj * del * del;
    if (t2 > dlx) dlx = t2;
  }
  st[0] = sq;
  st[1] = d;
  return dlx;
}

/** Doubles of one solver's region in a SparseHeap (see SparseHeap.region). */
// (The n-vectors η, y, w, μ, r and v are padded to an even length for the family's kernels.)
const regionSize = (n: number, p: number) => 2 * n + 6 * (n + 1) + 25 * p + 18;

/**
 * The fewest non-zeros of a design whose reads are split with a helper thread (SparseHeap.share):
 * below, a read takes less time than waking the helper.
 */
const SHARE_MIN_NNZ = 2 ** 17;
/** The fewest non-zeros one read hands a helper (SparseGlmCd.newtonStats and grads). */
const SHARE_MIN_READ = 2 ** 15;

/** How many reads a helper thread has taken a share of (for the tests). */
export const sparseShares = { reads: 0 };

/**
 * The sparse design on the WebAssembly kernels: one heap holding the CSC matrix once and a region
 * per solver that shares it (the multinomial's class solvers), or null where the kernels do not
 * run or the heap would pass their memory's limit (the solvers then run their JavaScript loops).
 */
export class SparseHeap {
  private next: number;
  private constructor(
    readonly heap: Heap,
    readonly kernel: PassKernel,
    /** Byte offsets of the column pointers, row indices and values. */
    readonly cp: number,
    readonly ri: number,
    readonly va: number,
    start: number,
    /** The helper thread that takes a share of the large reads (on the heap's shared memory). */
    private helper: ProductHelper | null,
  ) {
    this.next = start;
  }

  /**
   * The part of a read (by non-zeros) the helper takes, per kernel (0 spnewton, 1 spgrads): it
   * reads r and v from the other core's cache and wakes up late, so an even split left this
   * thread waiting (on the text bench, 200 µs of 500 per spgrads). Each share moves it toward
   * the split its times say is even; where the read is split does not change a bit of it.
   */
  private readonly part = [0.4, 0.4];

  /** Whether reads can be shared with a helper thread. */
  get sharing(): boolean {
    return this.helper !== null;
  }

  /** The part of kernel `kind`'s read to hand the helper (see `part`). */
  helperPart(kind: number): number {
    return this.part[kind];
  }

  /**
   * Runs `theirs` (a kernel's number — 0 spnewton, 1 spgrads — then its arguments, the helper's
   * `given` part of the read) on the helper thread while this one runs `mine`; both write
   * disjoint outputs, so the results are the bits of one thread. Without a helper (or when it
   * fails: then it is not used again), runs both here.
   */
  share(theirs: number[], given: number, mine: () => void): void {
    const memory = sharedMemory(this.heap);
    // (A helper still starting takes no share: this thread does not wait for it.)
    if (this.helper && memory && this.helper.ready()) {
      const t0 = performance.now();
      let t1 = t0;
      const ran = runShare(memory, this.helper, theirs, () => {
        mine();
        t1 = performance.now();
      });
      if (ran) {
        sparseShares.reads++;
        // This thread's time per unit of work, and (where it waited) the helper's.
        const wait = performance.now() - t1;
        const kind = theirs[0];
        const ours = (t1 - t0) / (1 - given);
        if (wait > 0.02 * (t1 - t0)) {
          const theirsPer = (t1 - t0 + wait) / given;
          const even = 1 / theirsPer / (1 / ours + 1 / theirsPer);
          this.part[kind] = Math.min(0.6, Math.max(0.05, 0.5 * (this.part[kind] + even)));
        } else this.part[kind] = Math.min(0.6, this.part[kind] * 1.05);
        return;
      }
      this.helper = null; // (mine ran; theirs runs below)
    } else mine();
    // (A helper that failed or is still starting: theirs runs here.)
    const k = this.kernel.sparse;
    const a = theirs.slice(1);
    if (theirs[0] === 0) (k.spnewton as (...v: number[]) => void)(...a);
    else (k.spgrads as (...v: number[]) => void)(...a);
  }

  static create(sp: SparseColumns, n: number, p: number, solvers: number): SparseHeap | null {
    const nnz = sp.values.length;
    const matrix = nnz + Math.ceil(nnz / 2) + Math.ceil((p + 1) / 2) + 2;
    const total = matrix + solvers * regionSize(n, p);
    if (total * 8 > SPARSE_HEAP_BYTES) return null;
    // A large design's reads are shared with a helper thread where the platform has one.
    const threaded = nnz >= SHARE_MIN_NNZ && defaultThreads() > 1;
    // (The matrix's part is written below before any read: only the solvers' regions are zeroed.)
    const heap = createHeap(total, "wasm", matrix, threaded);
    const memory = sharedMemory(heap);
    const helper = memory ? (productHelpers(2)[0] ?? null) : null;
    const kernel = passKernel(heap);
    if (!kernel) {
      heap.release();
      return null;
    }
    heap.f64.set(sp.values, 0);
    const riAt = 2 * nnz;
    kernel.i32.set(sp.rowIndex, riAt);
    const cpAt = riAt + nnz + (nnz & 1);
    kernel.i32.set(sp.colPtr, cpAt);
    return new SparseHeap(heap, kernel, cpAt * 4, riAt * 4, 0, matrix, helper);
  }

  /** A solver's region: f64 offsets, then i32 offsets of its four position lists. */
  region(n: number, p: number): number {
    const at = this.next;
    this.next += regionSize(n, p);
    return at;
  }

  release(): void {
    this.heap.release();
  }
}

export class SparseGlmCd implements GlmPathSolver {
  /** The coefficients (on the kernels' heap while it is held; copied out by `release`). */
  b: Float64Array;
  b0 = 0;
  /** η = b0 + X̃b + offset. */
  readonly eta: Float64Array;
  /** True negative gradient Σ ŵ(y − μ)x̃_j, exact for every included feature after `solve`. */
  g: Float64Array;
  /** Σ ŵ(y − μ): the intercept's negative gradient after `solve`. */
  g0 = 0;
  passes = 0;
  /** Newton (IRLS) steps taken. */
  steps = 0;
  everActive = 0;
  private readonly n: number;
  private readonly p: number;
  private readonly sp: SparseColumns;
  private readonly center: Float64Array;
  /** 1 / s_j. */
  private readonly inv: Float64Array;
  private readonly mu: Float64Array;
  private readonly res: Float64Array;
  private readonly v: Float64Array;
  private readonly q: Float64Array;
  private readonly etaOld: Float64Array;
  private readonly strong: Uint8Array;
  private readonly ever: Uint8Array;
  /** The strong features, in the order they entered. */
  private active: Int32Array = new Int32Array(16);
  private nActive = 0;
  /**
   * Per strong position (sized by `room`): Σ v x_j (uncentered), Σ v x̃_j², the L1 and L2
   * weights, the box, the working value and the value before the step; the positions in order,
   * and a list of the non-zero ones.
   */
  private vx: Float64Array = new Float64Array(0);
  private xv: Float64Array = new Float64Array(0);
  private kap: Float64Array = new Float64Array(0);
  private l2: Float64Array = new Float64Array(0);
  private lo: Float64Array = new Float64Array(0);
  private hi: Float64Array = new Float64Array(0);
  private bp: Float64Array = new Float64Array(0);
  private bOld: Float64Array = new Float64Array(0);
  /** b and η before an extrapolation that may be undone (extrapolateIfLower). */
  private bKeep: Float64Array = new Float64Array(0);
  private etaKeep: Float64Array = new Float64Array(0);
  /** The proximal weights and pieces of a nonconvex penalty's damped steps (SparseGlmCd.damp). */
  private prox: Float64Array = new Float64Array(0);
  private piece: Float64Array = new Float64Array(0);
  private order: Int32Array = new Int32Array(0);
  private nonzero: Int32Array = new Int32Array(0);
  private sweepModel!: SweepModel;
  /** The sweep's running scalars: Σ q', D, Σ v. */
  private readonly st: Float64Array;
  private readonly included: Int32Array;
  private readonly warm: PathWarmStart;
  /** The kernels' heap and this solver's byte offsets in it (null: the JavaScript loops). */
  private readonly mem: SparseHeap | null;
  private readonly ownsMem: boolean;
  private readonly at = {
    q: 0,
    v: 0,
    eta: 0,
    y: 0,
    w: 0,
    mu: 0,
    by: 0,
    moved: 0,
    rest: 0,
    b: 0,
    g: 0,
    bold: 0,
    res: 0,
    center: 0,
    inv: 0,
    vx: 0,
    xv: 0,
    kap: 0,
    l2: 0,
    lo: 0,
    hi: 0,
    bp: 0,
    st: 0,
    active: 0,
    order: 0,
    nonzero: 0,
    included: 0,
    rat: 0,
    need: 0,
    pf: 0,
    bnd: 0,
    stamp: 0,
    pk: 0,
    pcen: 0,
    pinv: 0,
    share: 0,
  };
  /** Columns and raw-scale amounts of a move of η (moveEta). */
  private readonly moved: Int32Array;
  private readonly movedBy: Float64Array;
  /**
   * The included features outside the strong set, in order (rest[0 .. nRest)): what `admit` and
   * the gradient after a solve read (at the text bench's deep points a third of the non-zeros).
   */
  private readonly rest: Int32Array;
  private nRest = 0;
  /** The strong features in increasing order (strongSorted[0 .. nActive)), for `strongFeatures`. */
  private strongSorted = new Int32Array(16);
  private mergeScratch = new Int32Array(16);
  private lossAt = 0;
  private lossFresh = false;
  /**
   * The lazy KKT check of the non-strong features (see `admit`): r at the last `gradient` and its
   * sum, that call's number, and the running sums of ‖Δr‖∞ and |ΣΔr| over the calls; per
   * feature, the call at which g_j was last computed, and three numbers whose
   * bnd[3j] + bnd[3j+1]·driftInf + bnd[3j+2]·driftSum bounds |g_j|/pf_j at the last call:
   * bnd[3j+1] = Σ|x_ij|/(s_j·pf_j), bnd[3j+2] = |c_j|/(s_j·pf_j); and a list of features.
   */
  private readonly rAt: Float64Array;
  private srAt = 0;
  private gen = 0;
  private driftInf = 0;
  private driftSum = 0;
  private readonly stamp: Int32Array;
  private readonly bnd: Float64Array;
  private readonly need: Int32Array;
  /** Per strong position, for the sweep kernel: its column's range, center and 1/scale. */
  private readonly pk: Int32Array | null = null;
  private readonly pcen: Float64Array | null = null;
  private readonly pinv: Float64Array | null = null;
  /** The strong positions' non-zeros before each position (cumNnz[t]; SparseGlmCd.newtonStats). */
  private readonly cumNnz: Float64Array;
  /** The penalty factors (in the kernels' heap where there is one). */
  private readonly pf: Float64Array;
  /** The subspace steps of the elastic net's model solves (ModelSubspace). */
  private readonly subspace = new ModelSubspace(2);

  /**
   * `shared`: the kernels' heap of the design when several solvers share it (its regions are
   * taken in order); by default the solver makes its own (or runs its loops in JavaScript).
   */
  constructor(
    private readonly s: GlmSetup,
    shared?: SparseHeap | null,
  ) {
    const sp = s.design.sparse();
    if (!sp) throw new Error("SparseGlmCd needs a sparse design");
    this.sp = sp;
    const n = (this.n = s.design.n);
    const p = (this.p = s.design.p);
    this.ownsMem = shared === undefined;
    const mem = (this.mem = shared === undefined ? SparseHeap.create(sp, n, p, 1) : shared);
    const inc: number[] = [];
    for (let j = 0; j < p; j++) if (s.include[j]) inc.push(j);
    if (mem) {
      // Every array the kernels read lives in the heap; the loops below index the same views.
      const f64 = mem.heap.f64;
      const i32 = mem.kernel.i32;
      let o = mem.region(n, p);
      const at = this.at;
      const take = (key: keyof typeof at, len: number) => {
        at[key] = o * 8;
        const view = f64.subarray(o, o + len);
        o += len;
        return view;
      };
      const takeI32 = (key: keyof typeof at) => {
        at[key] = o * 8;
        const view = i32.subarray(2 * o, 2 * o + p);
        o += Math.ceil(p / 2);
        return view;
      };
      // η, y, w, μ and r with a pad of zero weight to an even length (the evaluation kernel).
      const padded = (key: keyof typeof at) => {
        const view = take(key, n + 1);
        view[n] = 0;
        return view.subarray(0, n);
      };
      this.eta = padded("eta");
      this.eta.set(s.offset);
      padded("y").set(s.y);
      padded("w").set(s.w);
      this.mu = padded("mu");
      // The pad's μ at η = 0 (the Poisson's is never evaluated: its loss runs in JavaScript),
      // so that the deviance and conjugate kernels read a valid mean there (times weight 0).
      f64[at.mu / 8 + n] = s.family.name === "poisson" ? 1 : 0.5;
      this.movedBy = take("by", p);
      this.q = take("q", n);
      this.v = padded("v");
      this.res = padded("res");
      this.center = take("center", p);
      this.center.set(s.design.center);
      this.inv = take("inv", p);
      for (let j = 0; j < p; j++) this.inv[j] = 1 / s.design.scale[j];
      this.vx = take("vx", p);
      this.xv = take("xv", p);
      this.kap = take("kap", p);
      this.l2 = take("l2", p);
      this.lo = take("lo", p);
      this.hi = take("hi", p);
      this.bp = take("bp", p);
      this.st = take("st", 4);
      take("share", 2);
      this.active = takeI32("active");
      this.order = takeI32("order");
      for (let t = 0; t < p; t++) this.order[t] = t;
      this.nonzero = takeI32("nonzero");
      this.moved = takeI32("moved");
      this.rest = takeI32("rest");
      this.included = takeI32("included").subarray(0, inc.length);
      this.included.set(inc);
      this.b = take("b", p);
      this.g = take("g", p);
      this.bOld = take("bold", p);
      this.rAt = take("rat", n);
      this.need = takeI32("need");
      this.pf = take("pf", p);
      this.bnd = take("bnd", 3 * p);
      this.stamp = takeI32("stamp");
      // Per strong position: its column's range (two i32), center and 1/scale (spsweep).
      at.pk = o * 8;
      this.pk = i32.subarray(2 * o, 2 * o + 2 * p);
      o += p;
      this.pcen = take("pcen", p);
      this.pinv = take("pinv", p);
      this.prox = new Float64Array(p);
      this.piece = new Float64Array(s.penalty ? 4 * p : 0);
    } else {
      this.center = s.design.center;
      this.inv = Float64Array.from(s.design.scale, (v) => 1 / v);
      this.res = new Float64Array(n);
      this.v = new Float64Array(n);
      this.b = new Float64Array(p);
      this.g = new Float64Array(p);
      this.q = new Float64Array(n);
      this.st = new Float64Array(3);
      this.included = Int32Array.from(inc);
      this.eta = Float64Array.from(s.offset);
      this.mu = new Float64Array(n);
      this.moved = new Int32Array(p);
      this.rest = new Int32Array(p);
      this.movedBy = new Float64Array(p);
      this.rAt = new Float64Array(n);
      this.need = new Int32Array(p);
      this.pf = new Float64Array(p);
      this.bnd = new Float64Array(3 * p);
      this.stamp = new Int32Array(p);
    }
    this.pf.set(s.pf);
    const { colPtr, values } = sp;
    for (let j = 0; j < p; j++) {
      if (s.pf[j] === 0) continue;
      let l1 = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) l1 += Math.abs(values[k]);
      this.bnd[3 * j + 1] = (l1 * this.inv[j]) / s.pf[j];
      this.bnd[3 * j + 2] = (Math.abs(this.center[j]) * this.inv[j]) / s.pf[j];
    }
    this.etaOld = new Float64Array(n);
    this.strong = new Uint8Array(p);
    this.cumNnz = new Float64Array(p + 1);
    this.ever = new Uint8Array(p);
    this.warm = new PathWarmStart(p);
    if (s.intercept) {
      this.b0 = interceptStart(s.family, s.y, s.w, s.offset);
      for (let i = 0; i < n; i++) this.eta[i] += this.b0;
    }
    this.rest.set(this.included);
    this.nRest = this.included.length;
    this.gradient();
  }

  /** Σ ŵ ℓ(y, η) at the current η. */
  loss(): number {
    return this.lossFresh ? this.lossAt : this.evaluate();
  }

  private evaluate(): number {
    const { y, w, family } = this.s;
    const mem = this.mem;
    const name = family.name;
    const at = this.at;
    const even = this.n + (this.n & 1);
    // The binomial's exp and log1p in SIMD (kernels.wat binom): the text bench's path took 0.89–0.94 ×
    // its time with the JavaScript loop. (The Poisson's kernel measured 1.05 × its loop there.)
    this.lossAt =
      mem && name === "binomial"
        ? mem.kernel.evaluate(name, at.eta / 8, at.y / 8, at.w / 8, at.mu / 8, at.res / 8, even)
        : family.evaluate(y, w, this.eta, this.mu, this.res);
    this.lossFresh = true;
    return this.lossAt;
  }

  /** The conjugate sum of glmDualityGap in SIMD (kernels.wat binomgap, poisgap) on the heap. */
  entropy(): ((s: number, shift: number) => number) | null {
    const mem = this.mem;
    const name = this.s.family.name;
    if (!mem || (name !== "binomial" && name !== "poisson")) return null;
    const { at, n } = this;
    return (s, shift) =>
      mem.kernel.entropy(name, at.y / 8, at.w / 8, at.mu / 8, n + (n & 1), s, shift);
  }

  /** μ at the current η (valid after `solve`). */
  means(): Float64Array {
    if (!this.lossFresh) this.evaluate();
    return this.mu;
  }

  /** Σ ŵ·deviance(y, μ) at the current η. */
  deviance(): number {
    const { y, w, family } = this.s;
    if (!this.lossFresh) this.evaluate();
    const mem = this.mem;
    const name = family.name;
    if (mem && (name === "binomial" || name === "poisson")) {
      const { at, n } = this;
      return mem.kernel.deviance(name, at.y / 8, at.w / 8, at.mu / 8, n + (n & 1));
    }
    let d = 0;
    for (let i = 0; i < this.n; i++) d += w[i] * family.deviance(y[i], this.mu[i]);
    return d;
  }

  /** Σᵢ uᵢ x̃_ij given Σ u. */
  private dot(j: number, u: Float64Array, sumU: number): number {
    const { colPtr, rowIndex, values } = this.sp;
    const t = sparseDot(u, rowIndex, values, colPtr[j], colPtr[j + 1]);
    return (t - this.center[j] * sumU) * this.inv[j];
  }

  /**
   * Recomputes μ, g0 and the true gradient g of every included feature at the current η. With
   * `strongFresh` the strong features' g is already exact at this η (`newton` returned "ok": its
   * last step computed them there), and the others' is left to `admit`, which reads a column only
   * where a bound on how far g_j can have moved since it was computed does not settle the
   * check: at the text bench's deep points the other columns hold two thirds of the non-zeros.
   */
  gradient(strongFresh = false): void {
    if (!this.lossFresh) this.evaluate();
    const r = this.res;
    const n = this.n;
    let sr = 0;
    for (let i = 0; i < n; i++) sr += r[i];
    this.g0 = sr;
    const rAt = this.rAt;
    if (strongFresh) {
      // x̃_jᵀΔr = (Σ_{x_ij ≠ 0} x_ij Δrᵢ − c_j ΣΔr)/s_j, at most ‖Δr‖∞ Σ|x_ij|/s_j + |c_j ΣΔr|/s_j.
      let dinf = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.abs(r[i] - rAt[i]);
        if (d > dinf) dinf = d;
      }
      this.driftInf += dinf;
      this.driftSum += Math.abs(sr - this.srAt);
    } else {
      const inc = this.included;
      const mem = this.mem;
      if (mem) {
        this.grads(this.at.res, this.at.included, inc, inc.length, sr);
      } else for (let t = 0; t < inc.length; t++) this.g[inc[t]] = this.dot(inc[t], r, sr);
    }
    rAt.set(r.subarray(0, n));
    this.srAt = sr;
    this.gen++;
    if (!strongFresh) {
      this.stamp.fill(this.gen);
      this.bases(this.included, this.included.length);
    }
  }

  /**
   * g_j = x̃_jᵀu for j = list[t], t < count (the kernels' spgrads; `at` is the list's byte offset,
   * `uAt` u's, `su` Σ u): where the columns are many, the list's last part on the helper.
   */
  private grads(uAt: number, at: number, list: Int32Array, count: number, su: number): void {
    const mem = this.mem!;
    const a = this.at;
    const args = (t0: number, t1: number) => [
      mem.cp,
      mem.ri,
      mem.va,
      uAt,
      at + 4 * t0,
      t1 - t0,
      a.center,
      a.inv,
      su,
      a.g,
    ];
    const k = mem.kernel.sparse;
    const cp = this.sp.colPtr;
    let m = -1;
    let given = 0;
    if (mem.sharing && count >= 64) {
      // The split: the helper's part of the non-zeros from the end of the list, as every 8th
      // column's count estimates them (the whole count in JavaScript cost a fifth of the read).
      let total = 0;
      for (let t = 0; t < count; t += 8) total += cp[list[t] + 1] - cp[list[t]];
      if (8 * total >= 2 * SHARE_MIN_READ) {
        const mine = (1 - mem.helperPart(1)) * total;
        let part = 0;
        m = 0;
        for (; m < count && part < mine; m += 8) part += cp[list[m] + 1] - cp[list[m]];
        given = Math.min(0.95, Math.max(0.05, 1 - part / total));
      }
    }
    if (m < 0 || m >= count) k.spgrads(...(args(0, count) as Parameters<typeof k.spgrads>));
    else
      mem.share([1, ...args(m, count)], given, () =>
        k.spgrads(...(args(0, m) as Parameters<typeof k.spgrads>)),
      );
  }

  /**
   * The elastic net's statistics of a Newton step at every strong position (the kernels'
   * spnewton into st[0], st[1]): where the strong columns are many, the positions past this
   * thread's part of their non-zeros (SparseHeap.helperPart) on the helper, into its own two
   * doubles (then the larger of each).
   */
  private newtonStats(na: number, sr: number, sv: number): void {
    const mem = this.mem!;
    const a = this.at;
    const args = (t0: number, t1: number, out: number) => [
      a.pk + 8 * t0,
      mem.ri,
      mem.va,
      a.res,
      a.v,
      a.active + 4 * t0,
      t1 - t0,
      a.pcen + 8 * t0,
      a.pinv + 8 * t0,
      a.b,
      a.g,
      a.kap + 8 * t0,
      a.l2 + 8 * t0,
      a.lo + 8 * t0,
      a.hi + 8 * t0,
      a.vx + 8 * t0,
      a.xv + 8 * t0,
      a.bp + 8 * t0,
      a.bold + 8 * t0,
      sr,
      sv,
      out,
    ];
    const k = mem.kernel.sparse;
    const cum = this.cumNnz;
    const total = cum[na];
    if (!mem.sharing || total < 2 * SHARE_MIN_READ) {
      k.spnewton(...(args(0, na, a.st) as Parameters<typeof k.spnewton>));
      return;
    }
    // The first position past this thread's part of the non-zeros (cum is increasing).
    const mine = (1 - mem.helperPart(0)) * total;
    let lo = 0;
    let hi = na;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < mine) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= na) {
      k.spnewton(...(args(0, na, a.st) as Parameters<typeof k.spnewton>));
      return;
    }
    const f64 = mem.heap.f64;
    const sh = a.share / 8;
    f64[sh] = 0;
    f64[sh + 1] = 0;
    mem.share([0, ...args(lo, na, a.share)], 1 - cum[lo] / total, () =>
      k.spnewton(...(args(0, lo, a.st) as Parameters<typeof k.spnewton>)),
    );
    const st = this.st;
    if (f64[sh] > st[0]) st[0] = f64[sh];
    if (f64[sh + 1] > st[1]) st[1] = f64[sh + 1];
  }

  /** bnd[3j] for j = list[t], t < count, after their g_j was computed at the last `gradient`. */
  private bases(list: Int32Array, count: number): void {
    const mem = this.mem;
    const { driftInf, driftSum } = this;
    if (mem) {
      const { at } = this;
      const l = list === this.included ? at.included : at.need;
      mem.kernel.sparse.spbase(l, count, at.g, at.pf, at.bnd, driftInf, driftSum);
      return;
    }
    const { g, pf, bnd } = this;
    for (let t = 0; t < count; t++) {
      const j = list[t];
      bnd[3 * j] =
        pf[j] === 0
          ? Infinity
          : Math.abs(g[j]) / pf[j] - bnd[3 * j + 1] * driftInf - bnd[3 * j + 2] * driftSum;
    }
  }

  /**
   * Solves at `lambda` (Infinity: only unpenalized features and the intercept move), starting
   * from the path's extrapolation when `warm` (not when solving the same λ again); with
   * `strongOnly`, on the strong set alone (no full gradient, no KKT check of the others). Returns
   * "ok", "maxPasses", "pMax" when too many features became non-zero, "maxNewton", or (under a
   * nonconvex penalty) "stalled" when no step lowers the objective.
   */
  solve(lambda: number, lambdaPrev: number, warm = true, strongOnly = false): GlmStatus {
    const { alpha } = this.s;
    const infinite = !Number.isFinite(lambda);
    const ab = infinite ? 0 : lambda * alpha;
    const dem = infinite ? 0 : lambda * (1 - alpha);
    if (!infinite && warm) {
      if (this.s.penalty?.concavity) this.extrapolateIfLower(lambda, lambdaPrev, ab);
      else this.extrapolate(lambda, lambdaPrev);
    }
    this.admit(alpha * (2 * lambda - lambdaPrev), infinite);
    const limit = this.passes + this.s.maxPasses;
    for (;;) {
      const status = this.newton(ab, dem, infinite, limit);
      if (strongOnly) return status;
      if (status !== "ok") {
        // Every gradient exact for the point's certificate.
        this.gradient();
        return status;
      }
      // (At λ = ∞ every gradient: the path's λ_max is read from them.)
      this.gradient(!infinite);
      if (infinite || !this.admit(ab, false)) return "ok";
    }
  }

  /**
   * After `gradient()`: marks strong every feature violating the KKT conditions at λ (|gⱼ| >
   * λα·pfⱼ); true when any was added. For callers that solve the strong set only (`strongOnly`)
   * and check the rest themselves.
   */
  admitViolators(lambda: number): boolean {
    return Number.isFinite(lambda) && this.admit(lambda * this.s.alpha, false);
  }

  /**
   * Moves the offset to `next` (η follows; the coefficients stay): the multinomial path's class
   * sweeps (sparseMultinomialPath) hand each class the others' log-sum-exp this way.
   */
  setOffset(next: Float64Array): void {
    const off = this.s.offset;
    const eta = this.eta;
    for (let i = 0; i < this.n; i++) {
      eta[i] += next[i] - off[i];
      off[i] = next[i];
    }
    this.lossFresh = false;
  }

  /**
   * Under a nonconvex penalty, the path's extrapolation only where it lowers the objective at λ:
   * a coefficient that crossed pieces between the last two points can be carried far (on the
   * text bench's last SCAD point, to −12 for a rare term: an objective twice the last point's,
   * crawled back over 100 Newton steps).
   */
  private extrapolateIfLower(lambda: number, lambdaPrev: number, ab: number): void {
    const before = this.loss() + this.penalty(ab, 0);
    if (this.bKeep.length === 0) {
      this.bKeep = new Float64Array(this.p);
      this.etaKeep = new Float64Array(this.n);
    }
    this.bKeep.set(this.b);
    this.etaKeep.set(this.eta);
    const b0 = this.b0;
    this.extrapolate(lambda, lambdaPrev);
    if (this.loss() + this.penalty(ab, 0) <= before) return;
    this.b.set(this.bKeep);
    this.eta.set(this.etaKeep);
    this.b0 = b0;
    this.lossFresh = false;
  }

  /** Warm start from the last solutions of the path (PathWarmStart). */
  private extrapolate(lambda: number, lambdaPrev: number): void {
    const { lower, upper, intercept } = this.s;
    const { warm: ws, eta, b } = this;
    ws.next(b, this.b0, lambda, lambdaPrev, lower, upper, intercept, this.strongFeatures());
    let shift = ws.d0;
    for (let t = 0; t < ws.moved; t++) {
      const j = ws.cols[t];
      b[j] += ws.by[t];
      const a = ws.by[t] * this.inv[j];
      this.moved[t] = j;
      this.movedBy[t] = a;
      shift -= this.center[j] * a;
    }
    this.moveEta(ws.moved);
    this.b0 += ws.d0;
    if (shift !== 0) for (let i = 0; i < this.n; i++) eta[i] += shift;
    if (ws.moved > 0 || ws.d0 !== 0) this.lossFresh = false;
  }

  /** η += Σ_t movedBy[t]·x_{moved[t]} (the raw columns' non-zeros) for t < count. */
  private moveEta(count: number): void {
    const mem = this.mem;
    if (mem) {
      const { at } = this;
      mem.kernel.sparse.spmove(mem.cp, mem.ri, mem.va, at.eta, at.moved, at.by, count);
      return;
    }
    const { colPtr, rowIndex, values } = this.sp;
    const { eta, moved, movedBy } = this;
    for (let t = 0; t < count; t++) {
      const j = moved[t];
      const a = movedBy[t];
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) eta[rowIndex[k]] += values[k] * a;
    }
  }

  /**
   * Marks strong every included feature with |g_j| > threshold·pfⱼ (g_j at the last `gradient`),
   * or unpenalized. A non-strong feature's g_j may be older: where |g_j| plus the bound on its
   * move since (see `gradient`) is within the threshold it stays out unread; else its g_j is
   * computed at the last `gradient`'s r first. The decisions are those of exact gradients.
   */
  private admit(threshold: number, infinite: boolean): boolean {
    const { strong, g, rest, pf, bnd, stamp, need, driftInf, driftSum, gen } = this;
    const before = this.nActive;
    const thr = infinite ? Infinity : threshold;
    const mem = this.mem;
    let out = 0;
    if (mem) {
      const { at } = this;
      const k = mem.kernel.sparse;
      if (!infinite) {
        const count = k.spbound(
          at.rest,
          this.nRest,
          at.bnd,
          at.stamp,
          gen,
          driftInf,
          driftSum,
          threshold,
          at.need,
        );
        if (count > 0) {
          this.grads(at.rat, at.need, need, count, this.srAt);
          this.bases(need, count);
        }
      }
      out = k.spsplit(at.rest, this.nRest, at.g, at.pf, thr, at.need);
    } else {
      if (!infinite) {
        // (The bound's rounding: a feature within 1e-12 of the threshold is read.)
        const cut = threshold * 0.999999999999;
        let count = 0;
        for (let t = 0; t < this.nRest; t++) {
          const j = rest[t];
          if (!(bnd[3 * j] + bnd[3 * j + 1] * driftInf + bnd[3 * j + 2] * driftSum > cut)) continue;
          if (stamp[j] === gen) continue;
          stamp[j] = gen;
          need[count++] = j;
        }
        for (let t = 0; t < count; t++) g[need[t]] = this.dot(need[t], this.rAt, this.srAt);
        this.bases(need, count);
      }
      let kept = 0;
      for (let t = 0; t < this.nRest; t++) {
        const j = rest[t];
        if (pf[j] === 0 || Math.abs(g[j]) > thr * pf[j]) need[out++] = j;
        else rest[kept++] = j;
      }
    }
    this.nRest -= out;
    for (let t = 0; t < out; t++) {
      const j = need[t];
      strong[j] = 1;
      this.push(j);
    }
    if (this.nActive === before) return false;
    // The new strong features came in increasing order: merge them into strongSorted.
    if (this.strongSorted.length < this.nActive) {
      const grown = new Int32Array(2 * this.nActive);
      grown.set(this.strongSorted.subarray(0, before));
      this.strongSorted = grown;
      this.mergeScratch = new Int32Array(2 * this.nActive);
    }
    const sorted = this.strongSorted;
    const old = this.mergeScratch;
    old.set(sorted.subarray(0, before));
    const add = this.active;
    let a = 0;
    let b = before;
    for (let t = 0; t < this.nActive; t++)
      sorted[t] = b >= this.nActive || (a < before && old[a] < add[b]) ? old[a++] : add[b++];
    return true;
  }

  /**
   * The strong features in increasing order: after a solve that returned "ok", every other
   * included feature is zero with |gⱼ| ≤ λα·pfⱼ (the last KKT check admitted none).
   */
  strongFeatures(): Int32Array {
    return this.strongSorted.subarray(0, this.nActive);
  }

  private push(j: number): void {
    if (this.nActive === this.active.length) {
      const next = new Int32Array(2 * this.active.length);
      next.set(this.active);
      this.active = next;
      if (this.sweepModel) this.sweepModel.active = next;
    }
    const t = this.nActive++;
    this.active[t] = j;
    this.cumNnz[t + 1] = this.cumNnz[t] + this.sp.colPtr[j + 1] - this.sp.colPtr[j];
    if (this.pk) {
      this.pk[2 * t] = this.sp.colPtr[j];
      this.pk[2 * t + 1] = this.sp.colPtr[j + 1];
      this.pcen![t] = this.center[j];
      this.pinv![t] = this.inv[j];
    }
  }

  /** The penalty of the active features' current values. */
  private penalty(ab: number, dem: number): number {
    const { pf, penalty: other } = this.s;
    let pen = 0;
    for (let t = 0; t < this.nActive; t++) {
      const j = this.active[t];
      const bj = this.b[j];
      if (bj !== 0) pen += other ? other.value(bj, j, ab) : enetValue(bj, pf[j] * ab, pf[j] * dem);
    }
    return pen;
  }

  /** Newton (IRLS) steps on the strong set until its true KKT conditions hold. */
  private newton(ab: number, dem: number, infinite: boolean, limit: number): GlmStatus {
    const { pf, lower, upper, w, family, intercept, penalty: other } = this.s;
    const { n, b, eta, etaOld, res, v, q, center, inv } = this;
    const { colPtr, rowIndex, values } = this.sp;
    const na = this.nActive;
    if (!this.sweepModel || this.order.length < na) this.room(na);
    const { active, order, kap, l2, lo, hi, bp, bOld, vx, xv, nonzero } = this;
    let boxed = false;
    for (let t = 0; t < na; t++) {
      const j = active[t];
      const m = !infinite || pf[j] === 0;
      kap[t] = pf[j] * ab;
      l2[t] = pf[j] * dem;
      lo[t] = m ? lower[j] : 0;
      hi[t] = m ? upper[j] : 0;
      if (lo[t] !== -Infinity || hi[t] !== Infinity) boxed = true;
    }
    // The elastic net's model solves take subspace steps (ModelSubspace) where no box can cut them.
    const accel = !(other || infinite || boxed);
    const model: SubspaceModel = { sp: this.sp, n, v, active, center, inv, vx, kap, l2 };
    // The KKT target, and never above √thr: a violation e leaves the objective about e²/(2·xv)
    // above its optimum, which at large λ (e = kktTol·λ large) could exceed thresh·null deviance.
    const target = Math.min((this.s.kktTol ?? KKT_TOL) * (ab + dem), Math.sqrt(this.s.thr)) + 1e-15;
    const st = this.st;
    let fOld = this.loss() + this.penalty(ab, dem);
    // The inner tolerance's factor: cut a hundredfold whenever a step fails to halve the
    // violation (coordinate descent on an ill-conditioned model stops on small moves long
    // before the model is solved).
    let tighten = 1;
    let kktLast = Infinity;
    // A nonconvex penalty's damping: at level 0 each coordinate takes its model's global
    // minimizer, which can jump to where the model is wrong (the true objective then rises on the
    // whole segment). After such a step (for the rest of this λ) a coordinate takes its model's
    // minimizer on its own piece of the penalty where that is convex and stays on it, else gains
    // the proximal weight that makes its problem convex (level 1); after a further failure, that
    // plus 1, 3, 7, … times its curvature (a shorter, surely descending step), one level less
    // (not below 1) after each step taken whole. A level-0 descent cut off (below) goes to level 1.
    const rho = other?.concavity ?? 0;
    let level = 0;
    for (let it = 0; it < MAX_NEWTON; it++) {
      // The IRLS weights, then in one read of each strong column its true gradient (for the
      // KKT check) and its model terms Σ v x_j and Σ v x̃_j². Σ v and Σ r are summed in two
      // lanes, even and odd observations (the kernels' order).
      const mu = this.mu;
      const mem = this.mem;
      const at = this.at;
      let sv: number;
      let sr: number;
      if (mem && (family.name === "binomial" || family.name === "poisson")) {
        const pois = family.name === "poisson" ? 1 : 0;
        mem.kernel.sparse.spweights(at.mu, at.w, at.res, at.v, n + (n & 1), pois, at.st);
        sv = st[2];
        sr = st[3];
      } else {
        let sv0 = 0;
        let sv1 = 0;
        let sr0 = 0;
        let sr1 = 0;
        let i = 0;
        for (; i + 1 < n; i += 2) {
          const vi = w[i] * Math.max(family.variance(mu[i]), VMIN);
          const vi1 = w[i + 1] * Math.max(family.variance(mu[i + 1]), VMIN);
          v[i] = vi;
          v[i + 1] = vi1;
          sv0 += vi;
          sv1 += vi1;
          sr0 += res[i];
          sr1 += res[i + 1];
        }
        if (i < n) {
          const vi = w[i] * Math.max(family.variance(mu[i]), VMIN);
          v[i] = vi;
          sv0 += vi;
          sr0 += res[i];
        }
        sv = sv0 + sv1;
        sr = sr0 + sr1;
      }
      let kkt = intercept ? Math.abs(sr) : 0;
      let xvMax = intercept ? sv : 0;
      if (mem) {
        // The loop below in one kernel: the sums, gradients, curvatures and bp = bOld = b, and
        // the elastic net's KKT violation (another penalty's is taken here, from g).
        st[0] = kkt;
        st[1] = xvMax;
        this.newtonStats(na, sr, sv);
        xvMax = st[1];
        if (!other) kkt = st[0];
        else
          for (let t = 0; t < na; t++) {
            const j = active[t];
            const e =
              infinite && lo[t] === hi[t] ? 0 : other.subdiffDistance(b[j], this.g[j], j, ab);
            if (e > kkt) kkt = e;
            if (rho > 0) this.damp(t, j, xv[t], level, rho, ab);
          }
      } else
        for (let t = 0; t < na; t++) {
          const j = active[t];
          // Two interleaved sets of sums (see sparseDot; the kernel's order).
          let sx = 0;
          let svx = 0;
          let svxx = 0;
          {
            let sx2 = 0;
            let svx2 = 0;
            let svxx2 = 0;
            const k1 = colPtr[j + 1];
            let k = colPtr[j];
            for (; k + 1 < k1; k += 2) {
              const i = rowIndex[k];
              const x = values[k];
              const i2 = rowIndex[k + 1];
              const x2 = values[k + 1];
              sx += res[i] * x;
              sx2 += res[i2] * x2;
              const a = v[i] * x;
              const a2 = v[i2] * x2;
              svx += a;
              svx2 += a2;
              svxx += a * x;
              svxx2 += a2 * x2;
            }
            if (k < k1) {
              const i = rowIndex[k];
              const x = values[k];
              sx += res[i] * x;
              const a = v[i] * x;
              svx += a;
              svxx += a * x;
            }
            sx += sx2;
            svx += svx2;
            svxx += svxx2;
          }
          const c = center[j];
          const ij = inv[j];
          const gj = (sx - c * sr) * ij;
          this.g[j] = gj;
          const e = other
            ? infinite && lo[t] === hi[t]
              ? 0
              : other.subdiffDistance(b[j], gj, j, ab)
            : enetSubdiffDistance(b[j], gj, kap[t], l2[t], lo[t], hi[t]);
          if (e > kkt) kkt = e;
          vx[t] = svx;
          const xvj = (svxx - 2 * c * svx + c * c * sv) * ij * ij;
          xv[t] = xvj;
          if (rho > 0) this.damp(t, j, xvj, level, rho, ab);
          if (xvj > xvMax) xvMax = xvj;
          bOld[t] = bp[t] = b[j];
        }
      this.g0 = sr;
      if (kkt <= target) return "ok";
      this.steps++;
      q.set(res);
      // Solve the model until its coordinate moves xv·δ² fall below kkt²/xv_max (the violation
      // they could still leave): a tenth of that took 20 % more passes for 30 % fewer Newton
      // steps, three times it twice the steps (the bench/sparse.mjs cell).
      // (Not below TIGHTEN_FLOOR under a nonconvex penalty, whose damped steps cut the violation
      // slowly whatever the model's accuracy: its inner passes would run to their cutoff.)
      if (kkt > 0.5 * kktLast && (rho === 0 || tighten > TIGHTEN_FLOOR)) tighten *= 0.01;
      kktLast = kkt;
      const tol = ((it === 0 ? FIRST_STEP_TOL : 1) * tighten * Math.max(target, kkt) ** 2) / xvMax;
      const b0Old = this.b0;
      st[0] = sr;
      st[1] = 0;
      st[2] = sv;
      let full = true;
      if (accel) this.subspace.reset();
      // A nonconvex model's coordinate descent can trade jumps between coordinates for long: its
      // step is cut off after MAX_INNER passes (the line search then judges it), a damped one
      // after 4·MAX_INNER (its convex pieces can still crawl where unpenalized features are
      // correlated: 500 passes took 2.6 times as long as 200 on the text bench's deep points).
      const cutoff = rho > 0 ? this.passes + (level === 0 ? MAX_INNER : 4 * MAX_INNER) : Infinity;
      for (;;) {
        if (this.passes >= limit) return "maxPasses";
        if (this.passes >= cutoff) {
          // Global minimizers that keep jumping: the rest of this λ takes damped steps.
          if (level === 0) level = 1;
          break;
        }
        this.passes++;
        let count = na;
        let list = order;
        if (!full) {
          count = 0;
          for (let t = 0; t < na; t++) if (bp[t] !== 0) nonzero[count++] = t;
          list = nonzero;
        }
        let dlx: number;
        if (mem && !other) {
          const a = this.at;
          dlx = mem.kernel.sparse.spsweep(
            a.pk,
            mem.ri,
            mem.va,
            a.q,
            a.v,
            a.pcen,
            a.pinv,
            a.vx,
            a.xv,
            a.kap,
            a.l2,
            a.lo,
            a.hi,
            a.bp,
            full ? a.order : a.nonzero,
            count,
            a.st,
          );
        } else dlx = sweep(this.sweepModel, list, count, st, other ?? null, ab);
        if (intercept) {
          const del = (st[0] - st[1] * sv) / sv;
          if (del !== 0) {
            this.b0 += del;
            st[1] += del;
            const t2 = sv * del * del;
            if (t2 > dlx) dlx = t2;
          }
        }
        if (dlx <= tol) {
          if (full) break;
          full = true;
        } else full = false;
        if (accel && this.subspace.record(bp, q, st, this.b0, na, n)) {
          const b0 = this.subspace.step(model, bp, q, st, na);
          if (b0 !== null) this.b0 = b0;
        }
      }
      // η moves by X̃Δ + Δ0: the columns' non-zeros, then the scalar part D.
      etaOld.set(eta);
      let stepDlx = 0;
      let nMoved = 0;
      for (let t = 0; t < na; t++) {
        const j = active[t];
        const del = bp[t] - bOld[t];
        if (del === 0) continue;
        b[j] = bp[t];
        if (!this.ever[j] && b[j] !== 0) {
          if (this.everActive >= this.s.pMax) {
            this.moveEta(nMoved);
            return "pMax";
          }
          this.ever[j] = 1;
          this.everActive++;
        }
        this.moved[nMoved] = j;
        this.movedBy[nMoved++] = del * inv[j];
        const t2 = xv[t] * del * del;
        if (t2 > stepDlx) stepDlx = t2;
      }
      this.moveEta(nMoved);
      const shift = st[1];
      if (shift !== 0) for (let i = 0; i < n; i++) eta[i] += shift;
      this.lossFresh = false;
      let f = this.evaluate() + this.penalty(ab, dem);
      // Keep the step only as far as the true objective falls.
      const rise = 1e-12 * Math.abs(fOld);
      let halvings = 0;
      while (f > fOld + rise && stepDlx > 1e-300 && (rho === 0 || halvings < MAX_HALVINGS)) {
        for (let t = 0; t < na; t++) b[active[t]] = bOld[t] + (b[active[t]] - bOld[t]) / 2;
        this.b0 = b0Old + (this.b0 - b0Old) / 2;
        for (let i = 0; i < n; i++) eta[i] = etaOld[i] + (eta[i] - etaOld[i]) / 2;
        this.lossFresh = false;
        f = this.evaluate() + this.penalty(ab, dem);
        stepDlx /= 4;
        halvings++;
      }
      if (rho > 0 && f > fOld + rise) {
        // No part of the nonconvex model's step descends: back to where it started, damped.
        for (let t = 0; t < na; t++) b[active[t]] = bOld[t];
        this.b0 = b0Old;
        eta.set(etaOld);
        this.lossFresh = false;
        this.evaluate();
        if (++level > MAX_LEVEL) return "stalled";
        continue;
      }
      if (level > 1 && halvings === 0) level--;
      fOld = f;
    }
    return "maxNewton";
  }

  /**
   * A nonconvex penalty's damping of position t (feature j, model curvature xv) for the Newton
   * step at `level` (see `newton`): at level 0 none; above, a coordinate strictly inside a piece
   * of the penalty on which its problem is convex stays on that piece (a jump across pieces is
   * what failed), any other gains the proximal weight that makes its problem convex; from level
   * 2, every coordinate gains (2^(level−1) − 1)·max(xv, ρ) more. One function for the whole
   * step, so its coordinate descent descends.
   */
  private damp(t: number, j: number, xv: number, level: number, rho: number, lambda: number) {
    const pen = this.s.penalty as CoordinatePenalty;
    const extra = level === 0 ? 0 : (2 ** (level - 1) - 1) * Math.max(xv, rho);
    const a = this.b[j];
    const piece = this.piece;
    piece[4 * t + 1] = -1;
    if (level > 0 && a !== 0) {
      const at = pen.local(a, j, lambda);
      const from = at?.from ?? 0;
      const to = at?.to ?? Infinity;
      const ta = Math.abs(a);
      if (at && xv + at.curv > 0 && ta > from && ta < to) {
        piece[4 * t] = from;
        piece[4 * t + 1] = to;
        piece[4 * t + 2] = at.slope;
        piece[4 * t + 3] = at.curv;
        this.prox[t] = extra;
        return;
      }
    }
    this.prox[t] = level === 0 ? 0 : Math.max(1.01 * rho - xv, 0) + extra;
  }

  /** Per-position arrays for at least `na` strong features. */
  private room(na: number): void {
    if (this.mem) {
      // The heap's per-position arrays hold every feature already.
      this.sweepModel = this.makeSweepModel();
      return;
    }
    const m = Math.max(16, 2 * na);
    const f = () => new Float64Array(m);
    this.order = Int32Array.from({ length: m }, (_, t) => t);
    this.nonzero = new Int32Array(m);
    this.kap = f();
    this.l2 = f();
    this.lo = f();
    this.hi = f();
    this.bp = f();
    this.bOld = f();
    this.prox = f();
    this.piece = new Float64Array(this.s.penalty ? 4 * m : 0);
    this.vx = f();
    this.xv = f();
    this.sweepModel = this.makeSweepModel();
  }

  private makeSweepModel(): SweepModel {
    const { colPtr, rowIndex, values } = this.sp;
    return {
      colPtr,
      rowIndex,
      values,
      q: this.q,
      v: this.v,
      active: this.active,
      center: this.center,
      inv: this.inv,
      vx: this.vx,
      xv: this.xv,
      kap: this.kap,
      l2: this.l2,
      lo: this.lo,
      hi: this.hi,
      bp: this.bp,
      prox: this.prox,
      anchor: this.bOld,
      piece: this.piece,
    };
  }

  release(): void {
    if (this.mem) {
      // The coefficients and gradient outlive the heap (it returns to the pool).
      this.b = this.b.slice();
      this.g = this.g.slice();
    }
    if (this.ownsMem) this.mem?.release();
  }
}
