import { enetProx1d, enetValue } from "../penalty/elasticNet.js";
import { UpdatableCholesky } from "../linalg/updatableCholesky.js";
import { createHeap, passKernel, type Heap, type PassKernel } from "../wasm/heap.js";
import { Anderson } from "./anderson.js";

/**
 * Relative size of a promised decrease (of the lagged-Hessian model) below which a step that
 * delivers less is not held against the Hessian: the objective is evaluated to about 1e-14·|f|,
 * so what such a step delivers is rounding noise, and renewing H for it wastes an n·k² formation.
 */
export const SHORTFALL_FLOOR = 1e-10;
/**
 * The active set of a Gaussian elastic-net coordinate-descent solver in compact form: for the
 * na features ever active (compact index l = position in the solver's append-only active list)
 * contiguous copies of g_A = X̃_Aᵀr, b_A, X̃_Aᵀỹ, xv, κ, μ and the box, and the na×na Gram block
 * G_AA = X̃_AᵀX̃_A. On it the active problem
 *
 *     minimize_b  −bᵀX̃_Aᵀỹ + ½ bᵀG_AA b + Σ_l pen_l(b_l)
 *
 * is solved either by active-set Newton steps (exact to rounding) or by cyclic coordinate descent
 * with Anderson extrapolation, with g_A kept exact through G_AA (covariance updates). Both solvers
 * use it: the covariance solver fills G_AA from its Gram columns, the naive one from dot products
 * between active columns.
 *
 * Layout: one heap holds seven arrays of length `cap` — g, b, xv, κ, μ, lo, hi — then the cap×cap
 * Gram block with rows cap apart, then g0, so that a whole coordinate-descent pass (kernels.wat
 * cpass) and the exact gradient g = g0 − G b (gresid) are one kernel call each where WebAssembly
 * is available. The Gram block persists across calls and λ
 * and is copied only when the capacity doubles.
 */
export class CompactActiveSet {
  g: Float64Array = new Float64Array(0);
  b: Float64Array = new Float64Array(0);
  xv: Float64Array = new Float64Array(0);
  kappa: Float64Array = new Float64Array(0);
  mu: Float64Array = new Float64Array(0);
  lo: Float64Array = new Float64Array(0);
  hi: Float64Array = new Float64Array(0);
  gram: Float64Array = new Float64Array(0);
  /** X̃_Aᵀỹ for the compact coordinates (in the heap, right after the Gram block). */
  g0: Float64Array = new Float64Array(0);
  /** Row stride of `gram` and length of the arrays. */
  cap = 0;
  /** Compact Gram rows filled so far. */
  filled = 0;
  passes = 0;
  private heap: Heap;
  private kernel: PassKernel | null;
  private ext = new Float64Array(0);
  private gExt = new Float64Array(0);
  private readonly anderson = new Anderson(5);
  /** Factor of G_FF + diag μ_F for the Newton steps, over compact indices, and each one's row. */
  private readonly chol: UpdatableCholesky;
  private inFactor = new Int32Array(0);
  /** λ(1−α) the factor was formed with. */
  private factorDem = NaN;

  constructor(
    /** Largest number of compact coordinates (the number of features). */
    private readonly maxCap: number,
    /** Convergence threshold on max xv·Δb² (glmnet's rule). */
    private readonly thr: number,
  ) {
    this.heap = createHeap(8 * Math.min(maxCap, 64));
    this.kernel = passKernel(this.heap);
    this.chol = new UpdatableCholesky(Math.min(maxCap, 64));
  }

  /**
   * Makes room for `na` coordinates and fills the Gram rows of those that joined since the last
   * call: `row(l, out, known)` writes G(l, m) into out[m] for m < known and for l ≤ m < na (the
   * entries known ≤ m < l are already in place by symmetry).
   */
  grow(na: number, row: (l: number, out: Float64Array, known: number) => void): void {
    this.reserve(na);
    const { gram, cap, ext } = this;
    const known = this.filled;
    for (let l = known; l < na; l++) {
      row(l, ext, known);
      for (let m = 0; m < na; m++) {
        if (m >= known && m < l) continue;
        gram[l * cap + m] = ext[m];
        gram[m * cap + l] = ext[m];
      }
    }
    if (na > this.filled) this.filled = na;
  }

  /**
   * The whole Gram block at once, after invalidate: row l of the symmetric na×na row-major `mat`
   * (read, not kept), its diagonal entry times 1 + ridge. Rows are copied whole, with no
   * transposed writes (grow writes each entry twice).
   */
  fillAll(na: number, mat: Float64Array, ridge: number): void {
    this.reserve(na);
    const { gram, cap } = this;
    for (let l = 0; l < na; l++) {
      gram.set(mat.subarray(l * na, l * na + na), l * cap);
      gram[l * cap + l] *= 1 + ridge;
    }
    this.filled = na;
  }

  /** Makes room for `na` coordinates, keeping the filled Gram rows. */
  private reserve(na: number): void {
    if (na > this.cap) {
      const cap = Math.min(this.maxCap, Math.max(2 * this.cap, na, 16));
      const need = 8 * cap + cap * cap;
      const oldCap = this.cap;
      const rows = this.gram.slice(0, this.filled * oldCap);
      const heap = this.heap.f64.length >= need ? this.heap : createHeap(need);
      if (heap !== this.heap) {
        this.heap.release();
        this.heap = heap;
      }
      const f = heap.f64;
      const gram = f.subarray(7 * cap, 7 * cap + cap * cap);
      for (let l = 0; l < this.filled; l++)
        gram.set(rows.subarray(l * oldCap, l * oldCap + this.filled), l * cap);
      this.kernel = passKernel(heap);
      this.cap = cap;
      this.g = f.subarray(0, cap);
      this.b = f.subarray(cap, 2 * cap);
      this.xv = f.subarray(2 * cap, 3 * cap);
      this.kappa = f.subarray(3 * cap, 4 * cap);
      this.mu = f.subarray(4 * cap, 5 * cap);
      this.lo = f.subarray(5 * cap, 6 * cap);
      this.hi = f.subarray(6 * cap, 7 * cap);
      this.gram = gram;
      const g0 = f.subarray(7 * cap + cap * cap, 8 * cap + cap * cap);
      this.g0 = g0;
      this.ext = new Float64Array(cap);
      this.gExt = new Float64Array(cap);
      const inFactor = new Int32Array(cap).fill(-1);
      inFactor.set(this.inFactor);
      this.inFactor = inFactor;
    }
  }

  /**
   * Forgets the Gram block and the factor, for a caller whose G changes between calls (the IRLS
   * weights of a GLM change with every Newton step).
   */
  invalidate(): void {
    this.filled = 0;
    this.chol.reset();
    this.inFactor.fill(-1);
    this.factorDem = NaN;
  }

  /**
   * Converges the active problem for `na` coordinates whose arrays the caller has loaded; `dem`
   * is λ(1−α). Returns true when the pass limit was hit.
   */
  converge(na: number, dem: number, limit: number, newton: boolean): boolean {
    const status = newton ? this.newtonLoop(na, dem, limit) : "fallback";
    if (status === "limit") return true;
    if (status === "done") return false;
    return this.cdLoop(na, limit);
  }

  /** One coordinate-descent pass (plain-JS twin of kernels.wat cpass). Returns max xv·Δb². */
  pass(na: number): number {
    const cap = this.cap;
    this.passes++;
    if (this.kernel) return this.kernel.cpass(0, na, cap);
    const { b, g, xv, kappa, mu, lo, hi } = this;
    let dlx = 0;
    for (let l = 0; l < na; l++) {
      const bk = b[l];
      const nb = enetProx1d(g[l] + xv[l] * bk, xv[l], kappa[l], mu[l], lo[l], hi[l]);
      if (nb === bk) continue;
      const d = nb - bk;
      b[l] = nb;
      const t = xv[l] * d * d;
      if (t > dlx) dlx = t;
      this.heap.axpy(7 * cap + l * cap, 0, d, na);
    }
    return dlx;
  }

  /**
   * g0 = g + G b from loaded g (the model's negative gradient at b) and b: the linear term of the
   * model −g0ᵀb' + ½b'ᵀGb' that a caller with a known gradient solves (kernels.wat glin).
   */
  linearTerm(na: number): void {
    const cap = this.cap;
    if (this.kernel) return this.kernel.glin(0, na, cap);
    const { g, g0 } = this;
    for (let m = 0; m < na; m++) g0[m] = g[m] + this.heap.dot(7 * cap + m * cap, cap, na);
  }

  /** g −= d·G[l, ·] over the first na coordinates: a move of coordinate l by d (kernel axpy). */
  moveGradient(l: number, d: number, na: number): void {
    this.heap.axpy(7 * this.cap + l * this.cap, 0, d, na);
  }

  /** g = X̃ᵀỹ − G b, exactly (plain-JS twin of kernels.wat gresid). */
  gradient(na: number): void {
    const cap = this.cap;
    if (this.kernel) return this.kernel.gresid(0, na, cap);
    const { g, g0 } = this;
    // G is symmetric: row m of the block is column m.
    for (let m = 0; m < na; m++) g[m] = g0[m] - this.heap.dot(7 * cap + m * cap, cap, na);
  }

  /** Cycles coordinate descent with Anderson extrapolation; true when the pass limit was hit. */
  private cdLoop(na: number, limit: number): boolean {
    this.anderson.reset(na);
    let skip = 0;
    let backoff = 1;
    for (;;) {
      const dlx = this.pass(na);
      // glmnet's pass rule alone can stop right after an extrapolation while coordinates would
      // still move (seen: 1e-6 above glmnet's objective on 1000×100, ρ = 0.5); g_A is exact
      // here, so also require that no coordinate would move by xv·Δ² ≥ thr from where it is.
      if (dlx < this.thr && this.settled(na)) return false;
      if (this.passes > limit) return true;
      if (this.anderson.pushCompact(this.b)) {
        // A rejected extrapolation is wasted work, and where plain CD converges fast most are
        // rejected: after a rejection skip 1, then 2, 4, … sequences (reset on success).
        if (skip > 0) {
          skip--;
          this.anderson.reset(na);
        } else if (this.tryExtrapolated(na)) backoff = 1;
        else {
          skip = backoff;
          backoff *= 2;
        }
      }
    }
  }

  /** True when no coordinate would move by xv·Δ² ≥ thr if updated now. */
  private settled(na: number): boolean {
    const { b, g, xv, kappa, mu, lo, hi } = this;
    for (let l = 0; l < na; l++) {
      const d = enetProx1d(g[l] + xv[l] * b[l], xv[l], kappa[l], mu[l], lo[l], hi[l]) - b[l];
      if (xv[l] * d * d >= this.thr) return false;
    }
    return true;
  }

  /**
   * Accepts the Anderson-extrapolated coefficients (clipped to the box) if they lower
   * F(b) = −bᵀX̃ᵀỹ + ½bᵀGb + pen(b); g is then refreshed exactly as X̃ᵀỹ − G b.
   */
  private tryExtrapolated(na: number): boolean {
    const { b, g, g0, kappa, mu, lo, hi, gram, ext, gExt, cap } = this;
    if (!this.anderson.extrapolate(ext)) return false;
    let fCur = 0;
    let fExt = 0;
    for (let l = 0; l < na; l++) {
      const v = ext[l];
      ext[l] = v < lo[l] ? lo[l] : v > hi[l] ? hi[l] : v;
      fCur += -0.5 * b[l] * (g0[l] + g[l]) + enetValue(b[l], kappa[l], mu[l]);
    }
    for (let m = 0; m < na; m++) {
      let h = 0;
      for (let l = 0; l < na; l++) h += gram[m * cap + l] * ext[l];
      gExt[m] = g0[m] - h;
      fExt += -0.5 * ext[m] * (g0[m] + gExt[m]) + enetValue(ext[m], kappa[m], mu[m]);
    }
    if (!(fExt < fCur)) return false;
    b.set(ext.subarray(0, na));
    g.set(gExt.subarray(0, na));
    return true;
  }

  /** True when coordinate l is non-zero and strictly inside its box. */
  private isFree(l: number): boolean {
    const v = this.b[l];
    return v !== 0 && v > this.lo[l] && v < this.hi[l];
  }

  /**
   * Active-set Newton iterations. With the free coordinates F (non-zero, strictly inside the box)
   * and their signs σ fixed, the objective is a quadratic whose minimizer solves
   * (G_FF + diag μ_F) b_F = X̃_Fᵀỹ − κ_F∘σ_F − G_F,B b_B (B: coordinates at a bound). One step
   * moves b_F towards that point, stopping at the first coordinate that would cross zero or its
   * bound (which then leaves F); a coordinate-descent pass follows, letting coordinates enter.
   * When a full step leaves F the same across a pass that moves nothing by xv·Δ² ≥ thr, b is the
   * exact optimum of the active problem (to rounding) — where plain coordinate descent on
   * correlated features needs hundreds of passes. G_FF + diag μ_F stays factored across
   * iterations and λ (UpdatableCholesky; refactored when μ changes with λ, i.e. α < 1). This is
   * the primal active-set method for quadratic programs (Nocedal & Wright, Numerical
   * Optimization, §16.5), as Osborne, Presnell & Turlach (2000) use it for the lasso.
   * Returns "fallback" when G_FF is numerically singular or F keeps changing.
   */
  private newtonLoop(na: number, dem: number, limit: number): "done" | "fallback" | "limit" {
    const { b, g, kappa, mu, lo, hi, gram, chol, inFactor, cap } = this;
    if (dem !== this.factorDem) {
      chol.reset();
      inFactor.fill(-1);
      this.factorDem = dem;
    }
    const col = this.ext;
    const maxIter = 20 + 2 * na;
    let lastDlx = Infinity;
    let lastFull = false;
    for (let iter = 0; iter < maxIter; iter++) {
      // Bring the factor in line with F: drop coordinates that left it, add those that joined.
      let changes = 0;
      for (let pos = chol.k - 1; pos >= 0; pos--) {
        const l = chol.order[pos];
        if (l < na && this.isFree(l)) continue;
        chol.remove(pos);
        inFactor[l] = -1;
        changes++;
      }
      for (let pos = 0; pos < chol.k; pos++) inFactor[chol.order[pos]] = pos;
      for (let l = 0; l < na; l++) {
        if (inFactor[l] >= 0 || !this.isFree(l)) continue;
        for (let pos = 0; pos < chol.k; pos++) col[pos] = gram[chol.order[pos] * cap + l];
        if (!chol.add(l, col, gram[l * cap + l] + mu[l])) return "fallback";
        inFactor[l] = chol.k - 1;
        changes++;
      }
      if (changes === 0 && lastFull && lastDlx < this.thr) return "done";
      const k = chol.k;
      const rhs = chol.rhs;
      // Newton direction: (G_FF + diag μ_F) δ = g_F − κ_F∘σ_F − μ_F∘b_F, the negative gradient of
      // the fixed-sign quadratic at b; the Newton point is b_F + δ.
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        rhs[pos] = g[l] - (b[l] > 0 ? kappa[l] : -kappa[l]) - mu[l] * b[l];
      }
      chol.solveRhs();
      for (let pos = 0; pos < k; pos++) rhs[pos] += b[chol.order[pos]];
      // Longest step towards the Newton point that keeps every sign and bound.
      let t = 1;
      let block = -1;
      let blockAt = 0;
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        const old = b[l];
        const nw = rhs[pos];
        let edge = NaN;
        if (old > 0 ? nw <= 0 : nw >= 0) edge = 0;
        else if (nw > hi[l]) edge = hi[l];
        else if (nw < lo[l]) edge = lo[l];
        if (edge !== edge) continue;
        const tl = (edge - old) / (nw - old);
        if (tl < t) {
          t = tl;
          block = l;
          blockAt = edge;
        }
      }
      lastFull = block < 0;
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        const d = l === block ? blockAt - b[l] : t * (rhs[pos] - b[l]);
        if (d === 0) continue;
        b[l] = l === block ? blockAt : b[l] + d;
      }
      this.gradient(na);
      lastDlx = this.pass(na);
      if (this.passes > limit) return "limit";
    }
    return "fallback";
  }

  release(): void {
    this.heap.release();
    this.chol.release();
  }
}
