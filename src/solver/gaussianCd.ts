import type { Design } from "../data/design.js";
import { enetProx1d, enetValue } from "../penalty/elasticNet.js";
import { Anderson } from "./anderson.js";
import { createHeap, passKernel, type Heap, type PassKernel } from "../wasm/heap.js";
import type { FusedPass } from "../data/design.js";
import { UpdatableCholesky } from "../linalg/updatableCholesky.js";

/**
 * Cyclic coordinate descent for the standardized Gaussian elastic net at one λ,
 *
 *     minimize_b  ½‖ỹ − X̃b‖² + Σ_j pen_j(b_j),   pen_j = λα·pf_j|b| + λ(1−α)pf_j/2·b² + box,
 *
 * warm-started from the previous λ (Friedman, Hastie & Tibshirani 2010). A λ is done when a pass
 * changes no coordinate by xv_j·Δb_j² ≥ thr (glmnet's rule) and no other coordinate violates its
 * KKT condition |g_j| ≤ λα·pf_j. Active sets are cycled to convergence between full passes, with
 * Anderson extrapolation (Bertrand & Massias 2021). Two solvers:
 * - "covariance": full passes over the sequential strong set (|g_j| > α(2λ − λ_prev)pf_j,
 *   Tibshirani et al. 2012); g is kept exact for every feature through Gram columns x̃_kᵀx̃_j,
 *   computed once when feature j first becomes non-zero, so the KKT check is free. Best when n ≫ p.
 * - "naive": a residual is kept and g_j is one dot product; full passes cover a working set seeded
 *   by the strong rule and grown by the worst KKT violators, and a safe bound skips most of the
 *   KKT dot products. Best when p ≫ n.
 *
 * `g_j = x̃_jᵀ(ỹ − X̃b)` is the negative gradient of the loss.
 */
export interface CdSetup {
  design: Design;
  /** 1 for features the solver may move (not excluded, not constant). */
  include: Uint8Array;
  /** Penalty factors after glmnet's rescaling (sum to p). */
  pf: Float64Array;
  /** Box constraints on the standardized scale. */
  lower: Float64Array;
  upper: Float64Array;
  alpha: number;
  /** ỹ = √ŵ ∘ (y − ȳ). */
  yTilde: Float64Array;
  /** Absolute convergence threshold on max xv_j Δb_j². */
  thr: number;
  /** Largest number of passes over the data for one λ. */
  maxPasses: number;
  /** Largest number of features ever non-zero (glmnet's pmax); exceeding it stops the path. */
  pMax: number;
  /** Covariance solver: converge active sets by Newton steps (else coordinate descent only). */
  newton: boolean;
}

export interface CdSolver {
  readonly b: Float64Array;
  /**
   * x̃ᵀr at the current b after `solve`, exact where `fresh[j]` is 1. Where it is 0 (naive
   * solver only) g_j is an older value and |x̃_jᵀr| ≤ λα·pf_j is proven by a safe bound instead,
   * so feature j satisfies its KKT condition at b_j = 0.
   */
  readonly g: Float64Array;
  readonly fresh: Uint8Array;
  /** x̃ᵀỹ. */
  readonly g0: Float64Array;
  /** Number of features that have ever been non-zero. */
  readonly everActive: number;
  /** Total passes over coordinates so far. */
  passes: number;
  /**
   * Solves at `lambda` (Infinity: only unpenalized features move). Returns "ok",
   * "maxPasses" when the pass limit was hit, or "pMax" when too many features became active.
   */
  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax";
  /** ‖ỹ − X̃b‖². */
  rss(): number;
  /** Releases pooled memory (the solver's and its design's); no use afterwards. */
  release(): void;
}

/** State and bookkeeping shared by both variants. */
abstract class CdBase implements CdSolver {
  readonly b: Float64Array;
  readonly g: Float64Array;
  readonly g0: Float64Array;
  readonly fresh: Uint8Array;
  passes = 0;
  protected readonly p: number;
  /** Position of each feature in `active`, or −1. */
  protected readonly pos: Int32Array;
  protected active: Int32Array;
  protected nActive = 0;
  protected readonly yy: number;
  protected readonly anderson = new Anderson(5);
  /** Scratch for extrapolated active coefficients. */
  protected ext = new Float64Array(0);

  /** `state` supplies the b and g arrays when they must live elsewhere (a design's heap). */
  constructor(
    protected readonly s: CdSetup,
    state?: { b: Float64Array; g: Float64Array },
  ) {
    const p = (this.p = s.design.p);
    this.b = state ? state.b : new Float64Array(p);
    this.g = state ? state.g : new Float64Array(p);
    this.g0 = new Float64Array(p);
    this.fresh = new Uint8Array(p).fill(1);
    this.pos = new Int32Array(p).fill(-1);
    this.active = new Int32Array(Math.min(p, 64));
    let yy = 0;
    for (let i = 0; i < s.yTilde.length; i++) yy += s.yTilde[i] * s.yTilde[i];
    this.yy = yy;
    s.design.resetResidual(s.yTilde);
    for (let j = 0; j < p; j++) if (s.include[j]) this.g0[j] = s.design.gradient(j);
    this.g.set(this.g0);
  }

  get everActive(): number {
    return this.nActive;
  }

  /** Adds feature k to the active list; false when that exceeds pMax. */
  protected addActive(k: number): boolean {
    if (this.nActive >= this.s.pMax) return false;
    if (this.nActive === this.active.length) {
      const grown = new Int32Array(Math.min(this.p, 2 * this.active.length));
      grown.set(this.active);
      this.active = grown;
    }
    this.pos[k] = this.nActive;
    this.active[this.nActive++] = k;
    return true;
  }

  /** Σ pen_j over the active set at coefficients v[l] (l-th active feature), clipped to the box. */
  protected activePenalty(v: Float64Array, ab: number, dem: number): number {
    const { pf } = this.s;
    let pen = 0;
    for (let l = 0; l < this.nActive; l++) {
      const k = this.active[l];
      pen += enetValue(v[l], pf[k] * ab, pf[k] * dem);
    }
    return pen;
  }

  /** Extrapolates the active coefficients into `ext` (clipped to the box); false if unusable. */
  protected extrapolate(): boolean {
    const na = this.nActive;
    if (this.ext.length < na) this.ext = new Float64Array(this.active.length);
    if (!this.anderson.extrapolate(this.ext)) return false;
    const { lower, upper } = this.s;
    for (let l = 0; l < na; l++) {
      const k = this.active[l];
      const v = this.ext[l];
      this.ext[l] = v < lower[k] ? lower[k] : v > upper[k] ? upper[k] : v;
    }
    return true;
  }

  release(): void {
    this.s.design.release();
  }

  abstract solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax";
  abstract rss(): number;
}

export class CovarianceCd extends CdBase {
  /** Gram columns of the active features: column l (feature active[l]) at gram[l*p ..]. */
  private gram: Float64Array;
  /** Features whose Gram entry must still be computed when a new column is formed. */
  private readonly needGram: Uint8Array;
  private readonly startB: Float64Array;
  /** Features the strong rule (or a KKT violation) has admitted to the full passes. */
  private readonly strong: Uint8Array;
  /**
   * Compact copies of the active set for the inner loop (index l = position in `active`), laid
   * out in `heap` as [g | b | xv | κ | μ | lo | hi] (na each) then the na×na Gram block, so that a
   * whole pass is one kernel call (kernels.wat cpass) where WebAssembly is available.
   */
  private heap: Heap;
  private kernel: PassKernel | null;
  private cG: Float64Array = new Float64Array(0);
  private cB: Float64Array = new Float64Array(0);
  private cXv: Float64Array = new Float64Array(0);
  private cKap: Float64Array = new Float64Array(0);
  private cMu: Float64Array = new Float64Array(0);
  private cLo: Float64Array = new Float64Array(0);
  private cHi: Float64Array = new Float64Array(0);
  private cGram: Float64Array = new Float64Array(0);
  /** Capacity of the compact arrays and row stride of the compact Gram block. */
  private ccap = 0;
  /** Compact Gram rows filled so far. */
  private gramFilled = 0;
  private readonly cG0: Float64Array;
  private readonly cExt: Float64Array;
  private readonly cGExt: Float64Array;
  private readonly inactive: Int32Array;
  /** Factor of G_FF + diag μ_F for the Newton steps, over compact indices, and each one's row. */
  private readonly chol: UpdatableCholesky;
  private readonly inFactor: Int32Array;
  /** λ(1−α) the factor was formed with. */
  private factorDem = NaN;

  constructor(s: CdSetup) {
    super(s);
    const p = this.p;
    this.gram = new Float64Array(p * this.active.length);
    this.needGram = Uint8Array.from(s.include);
    this.startB = new Float64Array(p);
    this.strong = new Uint8Array(p);
    this.heap = createHeap(8 * Math.min(p, 64));
    this.kernel = passKernel(this.heap);
    this.layout(0);
    this.cG0 = new Float64Array(p);
    this.cExt = new Float64Array(p);
    this.cGExt = new Float64Array(p);
    this.inactive = new Int32Array(p);
    this.chol = new UpdatableCholesky(Math.min(p, 64));
    this.inFactor = new Int32Array(p).fill(-1);
  }

  /** Marks strong-rule survivors; unpenalized features are always strong. */
  private screen(threshold: number, infinite: boolean): void {
    const { include, pf } = this.s;
    const g = this.g;
    for (let k = 0; k < this.p; k++) {
      if (this.strong[k] || !include[k]) continue;
      if (pf[k] === 0 || (!infinite && Math.abs(g[k]) > threshold * pf[k])) this.strong[k] = 1;
    }
  }

  /**
   * Makes room for `na` compact coordinates: the heap holds seven arrays of length `ccap` and the
   * ccap×ccap Gram block (rows ccap apart), which persists across calls — compact index l is
   * position l of the append-only active list — and is copied when the capacity doubles.
   */
  private layout(na: number): void {
    if (na > this.ccap) {
      const cap = Math.min(this.p, Math.max(2 * this.ccap, na, 16));
      const need = 7 * cap + cap * cap;
      const old = this.ccap > 0 ? this.cGram : null;
      const oldCap = this.ccap;
      const heap = this.heap.f64.length >= need ? this.heap : createHeap(need);
      const f = heap.f64;
      const gram = f.subarray(7 * cap, 7 * cap + cap * cap);
      if (old) {
        // Copy the filled rows before the old heap goes back to the pool (or is overwritten).
        const rows = new Float64Array(this.gramFilled * oldCap);
        rows.set(old.subarray(0, this.gramFilled * oldCap));
        for (let l = 0; l < this.gramFilled; l++)
          gram.set(rows.subarray(l * oldCap, l * oldCap + this.gramFilled), l * cap);
      }
      if (heap !== this.heap) {
        this.heap.release();
        this.heap = heap;
      }
      this.kernel = passKernel(this.heap);
      this.ccap = cap;
      this.cG = f.subarray(0, cap);
      this.cB = f.subarray(cap, 2 * cap);
      this.cXv = f.subarray(2 * cap, 3 * cap);
      this.cKap = f.subarray(3 * cap, 4 * cap);
      this.cMu = f.subarray(4 * cap, 5 * cap);
      this.cLo = f.subarray(5 * cap, 6 * cap);
      this.cHi = f.subarray(6 * cap, 7 * cap);
      this.cGram = gram;
    }
    // Gram rows (and, by symmetry, columns) of coordinates that joined since the last call.
    const { gram, active: act, cGram } = this;
    const p = this.p;
    const cap = this.ccap;
    for (let l = this.gramFilled; l < na; l++) {
      const off = l * p;
      for (let m = 0; m < na; m++) {
        const v = gram[off + act[m]];
        cGram[l * cap + m] = v;
        cGram[m * cap + l] = v;
      }
    }
    this.gramFilled = na;
  }

  /** One pass over the compact active set (plain-JS twin of kernels.wat cpass). */
  private compactPass(na: number): number {
    const cap = this.ccap;
    if (this.kernel) return this.kernel.cpass(0, na, cap);
    const { cB, cG, cXv, cKap, cMu, cLo, cHi } = this;
    let dlx = 0;
    for (let l = 0; l < na; l++) {
      const bk = cB[l];
      const nb = enetProx1d(cG[l] + cXv[l] * bk, cXv[l], cKap[l], cMu[l], cLo[l], cHi[l]);
      if (nb === bk) continue;
      const d = nb - bk;
      cB[l] = nb;
      const t = cXv[l] * d * d;
      if (t > dlx) dlx = t;
      this.heap.axpy(7 * cap + l * cap, 0, d, na);
    }
    return dlx;
  }

  /** Adds feature k, forming its Gram column; entries of earlier active features are copied. */
  protected override addActive(k: number): boolean {
    const cap = this.active.length;
    if (!super.addActive(k)) return false;
    const p = this.p;
    if (this.active.length !== cap) {
      const grown = new Float64Array(p * this.active.length);
      grown.set(this.gram);
      this.gram = grown;
    }
    const l = this.nActive - 1;
    const off = l * p;
    this.s.design.gramColumn(k, this.needGram, this.gram, off);
    this.needGram[k] = 0;
    for (let m = 0; m < l; m++) this.gram[off + this.active[m]] = this.gram[m * p + k];
    return true;
  }

  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax" {
    const { include, pf, lower, upper, alpha, thr, maxPasses } = this.s;
    const xv = this.s.design.xv;
    const p = this.p;
    const b = this.b;
    const g = this.g;
    const strong = this.strong;
    const infinite = !Number.isFinite(lambda);
    const ab = infinite ? 0 : lambda * alpha;
    const dem = infinite ? 0 : lambda * (1 - alpha);
    this.screen(alpha * (2 * lambda - lambdaPrev), infinite);
    const limit = this.passes + maxPasses;
    // Right after the active set converged, a full pass need not revisit it: the pass criterion
    // then holds for the active set already, and only strong inactive features can move.
    let activeConverged = false;
    const newton = this.s.newton && !infinite;
    if (newton && this.nActive > 0) {
      if (this.innerLoop(ab, dem, limit)) return "maxPasses";
      activeConverged = true;
    }
    for (;;) {
      // Full pass over the strong set, keeping g exact for every feature.
      this.passes++;
      let dlx = 0;
      let moved = false;
      for (let k = 0; k < p; k++) {
        if (!strong[k] || (activeConverged && this.pos[k] >= 0)) continue;
        const bk = b[k];
        const nb = enetProx1d(
          g[k] + xv[k] * bk,
          xv[k],
          pf[k] * ab,
          pf[k] * dem,
          lower[k],
          upper[k],
        );
        if (nb === bk) continue;
        if (this.pos[k] < 0 && !this.addActive(k)) return "pMax";
        const d = nb - bk;
        b[k] = nb;
        moved = true;
        const t = xv[k] * d * d;
        if (t > dlx) dlx = t;
        const off = this.pos[k] * p;
        const gram = this.gram;
        for (let j = 0; j < p; j++) g[j] -= d * gram[off + j];
      }
      // With Newton steps the active set is solved exactly: any move sends it back there.
      if (dlx < thr && !(newton && moved)) {
        if (infinite) return "ok";
        // KKT check on the features the strong rule discarded (g is exact for all of them).
        let violated = false;
        for (let k = 0; k < p; k++) {
          if (strong[k] || !include[k]) continue;
          if (Math.abs(g[k]) > ab * pf[k]) {
            strong[k] = 1;
            violated = true;
          }
        }
        if (!violated) return "ok";
        continue;
      }
      if (this.passes > limit) return "maxPasses";
      if (this.innerLoop(ab, dem, limit)) return "maxPasses";
      activeConverged = true;
    }
  }

  /**
   * Brings the active set to convergence on compact copies (contiguous g_A, b_A and the |A|×|A|
   * Gram block) — by active-set Newton steps where they apply, else by cycling coordinate descent
   * with Anderson extrapolation — then updates g on the inactive features in one sweep.
   * Returns true when the pass limit was hit.
   */
  private innerLoop(ab: number, dem: number, limit: number): boolean {
    const na = this.loadCompact(ab, dem);
    let hitLimit = false;
    const newton = this.s.newton ? this.newtonLoop(na, dem, limit) : "fallback";
    if (newton === "limit") hitLimit = true;
    else if (newton === "fallback") hitLimit = this.cdLoop(na, limit);
    this.storeCompact(na);
    return hitLimit;
  }

  /** Copies the active set's state into the compact arrays; returns its size. */
  private loadCompact(ab: number, dem: number): number {
    const { pf, lower, upper } = this.s;
    const xv = this.s.design.xv;
    const { b, g, g0, active: act, startB, cG0 } = this;
    const na = this.nActive;
    this.layout(na);
    const { cB, cG, cXv, cKap, cMu, cLo, cHi } = this;
    for (let l = 0; l < na; l++) {
      const k = act[l];
      cB[l] = startB[l] = b[k];
      cG[l] = g[k];
      cG0[l] = g0[k];
      cXv[l] = xv[k];
      cKap[l] = pf[k] * ab;
      cMu[l] = pf[k] * dem;
      cLo[l] = lower[k];
      cHi[l] = upper[k];
    }
    return na;
  }

  /** Writes the compact state back and brings g up to date on the inactive features. */
  private storeCompact(na: number): void {
    const { b, g, gram, active: act, startB, cB, cG } = this;
    const p = this.p;
    for (let l = 0; l < na; l++) {
      b[act[l]] = cB[l];
      g[act[l]] = cG[l];
    }
    const inactive = this.inactive;
    let ni = 0;
    for (let j = 0; j < p; j++) if (this.pos[j] < 0) inactive[ni++] = j;
    for (let l = 0; l < na; l++) {
      const d = cB[l] - startB[l];
      if (d === 0) continue;
      const off = l * p;
      for (let t = 0; t < ni; t++) {
        const j = inactive[t];
        g[j] -= d * gram[off + j];
      }
    }
  }

  /** Cycles coordinate descent over the compact active set with Anderson extrapolation. */
  private cdLoop(na: number, limit: number): boolean {
    const thr = this.s.thr;
    const cB = this.cB;
    this.anderson.reset(na);
    let skip = 0;
    let backoff = 1;
    for (;;) {
      this.passes++;
      const dlx = this.compactPass(na);
      // glmnet's pass rule alone can stop right after an extrapolation while coordinates would
      // still move (seen: 1e-6 above glmnet's objective on 1000×100, ρ = 0.5); g_A is exact
      // here, so also require that no coordinate would move by xv·Δ² ≥ thr from where it is.
      if (dlx < thr && this.compactSettled(na)) return false;
      if (this.passes > limit) return true;
      if (this.anderson.pushCompact(cB)) {
        // Back off after a rejected extrapolation, as in the naive solver.
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

  /** True when compact coordinate l is non-zero and strictly inside its box. */
  private isFree(l: number): boolean {
    const v = this.cB[l];
    return v !== 0 && v > this.cLo[l] && v < this.cHi[l];
  }

  /**
   * Active-set Newton iterations on the compact active set. With the free coordinates F (non-zero,
   * strictly inside the box) and their signs σ fixed, the objective is a quadratic whose minimizer
   * solves (G_FF + diag μ_F) b_F = X̃_Fᵀỹ − κ_F∘σ_F − G_F,B b_B (B: coordinates at a bound). One
   * step moves b_F towards that point, stopping at the first coordinate that would cross zero or
   * its bound (which then leaves F); a coordinate-descent pass follows, letting coordinates enter.
   * When F stays the same across a pass that moves nothing by xv·Δ² ≥ thr, b is the exact optimum
   * of the active problem (to rounding) — where plain coordinate descent on correlated features
   * needs hundreds of passes. G_FF + diag μ_F is kept factored across iterations and λ
   * (UpdatableCholesky; refactored when μ changes with λ, i.e. α < 1). The step is the primal
   * active-set method for quadratic programs (Nocedal & Wright, Numerical Optimization, §16.5),
   * as used for the lasso by Osborne, Presnell & Turlach (2000).
   * Returns "fallback" when G_FF is numerically singular or F keeps changing.
   */
  private newtonLoop(na: number, dem: number, limit: number): "done" | "fallback" | "limit" {
    const thr = this.s.thr;
    const { cB, cG, cG0, cKap, cMu, cLo, cHi, cGram, chol, inFactor } = this;
    const cap = this.ccap;
    if (dem !== this.factorDem) {
      chol.reset();
      inFactor.fill(-1);
      this.factorDem = dem;
    }
    const col = this.cExt;
    const rhs = this.cGExt;
    const maxIter = 20 + 2 * na;
    let lastDlx = Infinity;
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
        for (let pos = 0; pos < chol.k; pos++) col[pos] = cGram[chol.order[pos] * cap + l];
        if (!chol.add(l, col, cGram[l * cap + l] + cMu[l])) return "fallback";
        inFactor[l] = chol.k - 1;
        changes++;
      }
      if (changes === 0 && lastDlx < thr) return "done";
      const k = chol.k;
      // Newton direction: (G_FF + diag μ_F) δ = g_F − κ_F∘σ_F − μ_F∘b_F, the negative gradient of
      // the fixed-sign quadratic at b; the Newton point is b_F + δ.
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        rhs[pos] = cG[l] - (cB[l] > 0 ? cKap[l] : -cKap[l]) - cMu[l] * cB[l];
      }
      chol.solve(rhs);
      for (let pos = 0; pos < k; pos++) rhs[pos] += cB[chol.order[pos]];
      // Longest step towards the Newton point that keeps every sign and bound.
      let t = 1;
      let block = -1;
      let blockAt = 0;
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        const old = cB[l];
        const nw = rhs[pos];
        let edge = NaN;
        if (old > 0 ? nw <= 0 : nw >= 0) edge = 0;
        else if (nw > cHi[l]) edge = cHi[l];
        else if (nw < cLo[l]) edge = cLo[l];
        if (edge !== edge) continue;
        const tl = (edge - old) / (nw - old);
        if (tl < t) {
          t = tl;
          block = l;
          blockAt = edge;
        }
      }
      for (let pos = 0; pos < k; pos++) {
        const l = chol.order[pos];
        const d = l === block ? blockAt - cB[l] : t * (rhs[pos] - cB[l]);
        if (d === 0) continue;
        cB[l] += d;
        if (l === block) cB[l] = blockAt;
        this.heap.axpy(7 * cap + l * cap, 0, d, na);
      }
      // g_A drifts from X̃_Aᵀỹ − G b by rounding in the axpy updates; refresh it exactly
      // (G is symmetric: row m of the block is column m).
      for (let m = 0; m < na; m++) cG[m] = cG0[m] - this.heap.dot(7 * cap + m * cap, cap, na);
      this.passes++;
      lastDlx = this.compactPass(na);
      if (this.passes > limit) return "limit";
    }
    return "fallback";
  }

  /** True when no compact active coordinate would move by xv·Δ² ≥ thr if updated now. */
  private compactSettled(na: number): boolean {
    const { cB, cG, cXv, cKap, cMu, cLo, cHi } = this;
    const thr = this.s.thr;
    for (let l = 0; l < na; l++) {
      const d = enetProx1d(cG[l] + cXv[l] * cB[l], cXv[l], cKap[l], cMu[l], cLo[l], cHi[l]) - cB[l];
      if (cXv[l] * d * d >= thr) return false;
    }
    return true;
  }

  /**
   * Accepts the Anderson-extrapolated active coefficients (clipped to the box) if they lower
   * F(b) = −bᵀX̃ᵀỹ + ½bᵀGb + pen(b); g_A = X̃_Aᵀỹ − G_AA b_A is then refreshed exactly.
   */
  private tryExtrapolated(na: number): boolean {
    const { cB, cG, cG0, cKap, cMu, cLo, cHi, cGram, cExt } = this;
    const cap = this.ccap;
    if (!this.anderson.extrapolate(cExt)) return false;
    let fCur = 0;
    let fExt = 0;
    for (let l = 0; l < na; l++) {
      const v = cExt[l];
      cExt[l] = v < cLo[l] ? cLo[l] : v > cHi[l] ? cHi[l] : v;
      fCur += -0.5 * cB[l] * (cG0[l] + cG[l]) + enetValue(cB[l], cKap[l], cMu[l]);
    }
    const cGExt = this.cGExt;
    for (let m = 0; m < na; m++) {
      let h = 0;
      for (let l = 0; l < na; l++) h += cGram[m * cap + l] * cExt[l];
      cGExt[m] = cG0[m] - h;
      fExt += -0.5 * cExt[m] * (cG0[m] + cGExt[m]) + enetValue(cExt[m], cKap[m], cMu[m]);
    }
    if (!(fExt < fCur)) return false;
    cB.set(cExt.subarray(0, na));
    cG.set(cGExt.subarray(0, na));
    return true;
  }

  override release(): void {
    this.heap.release();
    super.release();
  }

  rss(): number {
    // ‖ỹ − X̃b‖² = ỹᵀỹ − bᵀ(X̃ᵀỹ) − bᵀ(X̃ᵀr), exact given g.
    let s = this.yy;
    for (let l = 0; l < this.nActive; l++) {
      const k = this.active[l];
      s -= this.b[k] * (this.g0[k] + this.g[k]);
    }
    return Math.max(0, s);
  }
}

export class NaiveCd extends CdBase {
  /** Residual and gradients at the last snapshot, for the safe KKT bound. */
  private readonly rRef: Float64Array;
  private readonly gRef: Float64Array;
  private readonly norm: Float64Array;
  /** The working set: coordinates cycled by full passes. */
  private readonly inWs: Uint8Array;
  private ws: Int32Array;
  private nWs: number;
  /** Scratch: candidate features and their scores. */
  private readonly cand: Int32Array;
  private readonly score: Float64Array;
  /** Whole passes in one kernel call, when the design offers it. */
  private readonly fusedPass: FusedPass | null;

  constructor(s: CdSetup) {
    const fused = s.design.fused(s.pf, s.lower, s.upper);
    super(s, fused ?? undefined);
    this.fusedPass = fused;
    this.nWs = 0;
    this.rRef = new Float64Array(s.design.n);
    s.design.residualInto(this.rRef);
    this.gRef = Float64Array.from(this.g0);
    this.norm = s.design.xv.map(Math.sqrt);
    this.inWs = new Uint8Array(this.p);
    this.ws = new Int32Array(this.p);
    this.cand = new Int32Array(this.p);
    this.score = new Float64Array(this.p);
  }

  private addWs(k: number): void {
    if (this.inWs[k]) return;
    this.inWs[k] = 1;
    this.ws[this.nWs++] = k;
  }

  /**
   * Adds to the working set the (at most) `room` candidates with the largest score
   * |g_k| / (pf_k·threshold): the features closest to — or furthest past — entering.
   */
  private addBest(count: number, room: number): void {
    const { cand, score } = this;
    if (count > room) {
      const order = Array.from(cand.subarray(0, count)).sort((u, v) => score[v] - score[u]);
      for (let t = 0; t < room; t++) this.addWs(order[t]);
    } else {
      for (let t = 0; t < count; t++) this.addWs(cand[t]);
    }
  }

  /** Room for new working-set members: as many as there are active features, at least 10. */
  private room(): number {
    return Math.max(10, this.nActive);
  }

  /**
   * KKT check of every feature outside the working set, after the working set converged.
   * Since ‖x̃_j‖ = √xv_j, |x̃_jᵀr| ≤ |x̃_jᵀr_ref| + √xv_j‖r − r_ref‖: a feature whose bound is under
   * its threshold provably satisfies KKT and needs no dot product (a dynamic safe test in the
   * spirit of El Ghaoui et al. 2012 and Fercoq et al. 2015); the snapshot is renewed once most
   * bounds have become too loose to help. Violators join the working set, the worst first
   * (working sets ranked by KKT violation, as celer and skglm). Returns true if any violated.
   */
  private kktCheck(ab: number, infinite: boolean): boolean {
    const { include, pf, design } = this.s;
    const { g, gRef, norm, inWs, fresh, cand, score } = this;
    const delta = Math.sqrt(design.residualDistanceSq(this.rRef));
    let violators = 0;
    let computed = 0;
    let outside = 0;
    for (let k = 0; k < this.p; k++) {
      if (!include[k]) continue;
      if (!inWs[k]) {
        outside++;
        if (!infinite && Math.abs(gRef[k]) + norm[k] * delta <= ab * pf[k]) {
          g[k] = gRef[k];
          fresh[k] = 0;
          continue;
        }
        computed++;
      }
      const gk = design.gradient(k);
      g[k] = gk;
      fresh[k] = 1;
      if (!inWs[k] && !infinite && Math.abs(gk) > ab * pf[k]) {
        cand[violators] = k;
        score[k] = Math.abs(gk) / (ab * pf[k]);
        violators++;
      }
    }
    if (computed > 0.5 * outside) {
      for (let k = 0; k < this.p; k++) {
        if (include[k] && !fresh[k]) {
          g[k] = design.gradient(k);
          fresh[k] = 1;
        }
      }
      design.residualInto(this.rRef);
      gRef.set(g);
    }
    if (violators > 0) this.addBest(violators, this.room());
    return violators > 0;
  }

  /**
   * Seeds the working set for a new λ: every feature ever active, unpenalized features, and the
   * strong-rule survivors (|g_k| > α(2λ − λ_prev)pf_k) with the largest |g_k|/pf_k.
   */
  private seedWs(threshold: number, infinite: boolean): void {
    const { include, pf } = this.s;
    const { g, cand, score } = this;
    for (let l = 0; l < this.nActive; l++) this.addWs(this.active[l]);
    let count = 0;
    for (let k = 0; k < this.p; k++) {
      if (!include[k] || this.inWs[k]) continue;
      if (pf[k] === 0) this.addWs(k);
      else if (!infinite && Math.abs(g[k]) > threshold * pf[k]) {
        cand[count++] = k;
        score[k] = Math.abs(g[k]) / pf[k];
      }
    }
    this.addBest(count, this.room());
  }

  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax" {
    const { pf, lower, upper, alpha, thr, maxPasses, design } = this.s;
    const xv = design.xv;
    const b = this.b;
    const g = this.g;
    const infinite = !Number.isFinite(lambda);
    const ab = infinite ? 0 : lambda * alpha;
    const dem = infinite ? 0 : lambda * (1 - alpha);
    this.seedWs(alpha * (2 * lambda - lambdaPrev), infinite);
    const limit = this.passes + maxPasses;
    let activeConverged = false;
    const fused = this.fusedPass;
    for (;;) {
      this.passes++;
      let dlx = 0;
      if (fused) {
        const list = fused.lists;
        let count = 0;
        for (let t = 0; t < this.nWs; t++) {
          const k = this.ws[t];
          if (!(activeConverged && this.pos[k] >= 0)) list[count++] = k;
        }
        dlx = fused.pass(0, count, ab, dem);
        for (let t = 0; t < count; t++) {
          const k = list[t];
          if (b[k] !== 0 && this.pos[k] < 0 && !this.addActive(k)) return "pMax";
        }
      }
      for (let t = 0; t < (fused ? 0 : this.nWs); t++) {
        const k = this.ws[t];
        if (activeConverged && this.pos[k] >= 0) continue;
        const bk = b[k];
        const gk = design.gradient(k);
        g[k] = gk;
        const nb = enetProx1d(gk + xv[k] * bk, xv[k], pf[k] * ab, pf[k] * dem, lower[k], upper[k]);
        if (nb === bk) continue;
        if (this.pos[k] < 0 && !this.addActive(k)) return "pMax";
        const d = nb - bk;
        b[k] = nb;
        const t2 = xv[k] * d * d;
        if (t2 > dlx) dlx = t2;
        design.update(k, d);
      }
      if (dlx < thr) {
        if (!this.kktCheck(ab, infinite)) return "ok";
        continue;
      }
      if (this.passes > limit) return "maxPasses";
      const na = this.nActive;
      const act = this.active;
      if (fused) fused.lists.set(act.subarray(0, na), this.p);
      this.anderson.reset(na);
      let skip = 0;
      let backoff = 1;
      for (;;) {
        this.passes++;
        let dlx2 = fused ? fused.pass(this.p, na, ab, dem) : 0;
        for (let l = 0; l < (fused ? 0 : na); l++) {
          const k = act[l];
          const bk = b[k];
          const nb = enetProx1d(
            design.gradient(k) + xv[k] * bk,
            xv[k],
            pf[k] * ab,
            pf[k] * dem,
            lower[k],
            upper[k],
          );
          if (nb === bk) continue;
          const d = nb - bk;
          b[k] = nb;
          const t = xv[k] * d * d;
          if (t > dlx2) dlx2 = t;
          design.update(k, d);
        }
        if (dlx2 < thr) break;
        if (this.passes > limit) return "maxPasses";
        // A rejected extrapolation costs two residual moves, and where plain CD converges fast
        // most are rejected: after a rejection skip 1, then 2, 4, … sequences (reset on success).
        if (this.anderson.push(b, act)) {
          if (skip > 0) {
            skip--;
            this.anderson.reset(na);
          } else if (this.extrapolate()) {
            if (this.tryExtrapolated(ab, dem)) backoff = 1;
            else {
              skip = backoff;
              backoff *= 2;
            }
          }
        }
      }
      activeConverged = true;
    }
  }

  /** Moves the residual to the extrapolated point and keeps it only if ½‖r‖² + pen decreases. */
  private tryExtrapolated(ab: number, dem: number): boolean {
    const { design } = this.s;
    const { b, ext, active: act } = this;
    const na = this.nActive;
    let pen = 0;
    for (let l = 0; l < na; l++) {
      const k = act[l];
      pen += enetValue(b[k], this.s.pf[k] * ab, this.s.pf[k] * dem);
    }
    const fCur = 0.5 * design.residualNormSq() + pen;
    for (let l = 0; l < na; l++) design.update(act[l], ext[l] - b[act[l]]);
    const fExt = 0.5 * design.residualNormSq() + this.activePenalty(ext, ab, dem);
    if (fExt < fCur) {
      for (let l = 0; l < na; l++) b[act[l]] = ext[l];
      return true;
    }
    for (let l = 0; l < na; l++) design.update(act[l], b[act[l]] - ext[l]);
    return false;
  }

  rss(): number {
    return this.s.design.residualNormSq();
  }
}
