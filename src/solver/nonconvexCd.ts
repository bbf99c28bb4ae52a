import type { Design, FusedPass } from "../data/design.js";
import {
  nonconvexDerivative,
  nonconvexLevel,
  nonconvexRegion,
  nonconvexSlope,
  nonconvexUpdate,
  nonconvexValue,
  type Nonconvex,
} from "../penalty/nonconvex.js";
import { Anderson } from "./anderson.js";

/** What the MCP / SCAD coordinate-descent solver works on. */
export interface NonconvexCdSetup {
  /** The standardized, weighted view of X (its residual starts at ỹ). */
  design: Design;
  kind: Nonconvex;
  gamma: number;
  /** 1 for features the solver may move (constant columns are cleared by the design). */
  include: Uint8Array;
  /** ỹ = √ŵ ∘ (y − ȳ). */
  yTilde: Float64Array;
  /** A working set is converged when no coordinate moved by xv·Δb² ≥ thr in a pass. */
  thr: number;
  /** Largest number of passes at one λ. */
  maxPasses: number;
  /**
   * A point is done when, besides the pass rule, its first-order conditions hold to kktTol·λ;
   * where they do not, the pass tolerance is tightened a hundredfold and the point solved on.
   */
  kktTol: number;
}

/**
 * The most non-zero coefficients an exact solve takes (its elimination costs m³/3, about 0.02 s
 * here at 400; the Gram entries are kept between solves). Larger non-zero sets converge by
 * coordinate descent with Anderson extrapolation alone.
 */
const POLISH_MAX = 400;

/**
 * Coordinate descent for the Gaussian loss with the MCP or SCAD penalty (Breheny & Huang 2011,
 * the firm / SCAD thresholding updates of ncvreg) at one λ of a path, on a working set:
 *
 * - the working set starts as the non-zero coefficients and the sequential strong rule's survivors
 *   (|g_j| > 2λ_k − λ_{k−1}, Tibshirani et al. 2012, which ncvreg uses for MCP and SCAD too);
 * - full passes over the working set alternate with passes over its non-zero members until no
 *   coordinate moves by xv·Δb² ≥ thr;
 * - once the non-zero set, its signs and penalty regions stop changing between passes, the
 *   stationarity conditions on that piece are linear, (H − diag c) b = q − s∘a (H = X̃_AᵀX̃_A,
 *   q = X̃_Aᵀỹ, p'(t) = a − c·t on each piece), and are solved exactly — kept only when every sign
 *   and region is unchanged and the objective did not rise; where that solve is too large, the
 *   passes over the non-zero set are extrapolated (Anderson, as the lasso solver), each
 *   extrapolation kept only when it lowers the objective;
 * - then the features outside the working set are checked: any with |g_j| > λ (the first-order
 *   condition at b_j = 0) joins it, and the point is solved again.
 *
 * The point returned is a coordinate-wise minimum to within thr; `g` then holds x̃_jᵀr for every
 * included feature.
 */
export class NonconvexCd {
  readonly b: Float64Array;
  /** x̃_jᵀr: fresh for every included feature after `solve`. */
  readonly g: Float64Array;
  passes = 0;
  private readonly p: number;
  private readonly n: number;
  private readonly fused: FusedPass | null;
  private readonly xv: Float64Array;
  private readonly inWs: Uint8Array;
  private readonly ws: Int32Array;
  private nWs = 0;
  private readonly act: Int32Array;
  private nAct = 0;
  /** Scratch list of features for gradient calls (inside the fused heap where there is one). */
  private readonly list: Int32Array;
  private readonly listStart: number;
  private readonly anderson: Anderson;
  private readonly pattern: Int32Array;
  private nPattern = -1;
  /** An exact solve was tried on the recorded piece (not retried until the piece changes). */
  private tried = false;
  /** The exact solves' cache: slot of each feature (−1: none), its column and Gram entries. */
  private readonly slotOf: Int32Array;
  private slotFeature: Int32Array = new Int32Array(0);
  private nSlots = 0;
  private slotCap = 0;
  private dots: Float64Array = new Float64Array(0);
  private readonly column: Float64Array;
  private gram: Float64Array = new Float64Array(0);
  private qv: Float64Array = new Float64Array(0);
  /** Scratch: the moves of moveTo; the coefficients to return to; extrapolated or solved ones. */
  private readonly start: Float64Array;
  private readonly keep: Float64Array;
  private readonly ext: Float64Array;

  constructor(private readonly s: NonconvexCdSetup) {
    const { design } = s;
    const p = (this.p = design.p);
    this.n = design.n;
    design.resetResidual(s.yTilde);
    const ones = new Float64Array(p).fill(1);
    this.fused = design.fused(
      ones,
      new Float64Array(p).fill(-Infinity),
      new Float64Array(p).fill(Infinity),
    );
    this.b = this.fused ? this.fused.b : new Float64Array(p);
    this.g = this.fused ? this.fused.g : new Float64Array(p);
    this.b.fill(0);
    this.xv = design.xv;
    this.inWs = new Uint8Array(p);
    this.ws = new Int32Array(p);
    this.act = new Int32Array(p);
    this.pattern = new Int32Array(p);
    this.slotOf = new Int32Array(p).fill(-1);
    this.column = new Float64Array(this.n);
    this.start = new Float64Array(p);
    this.keep = new Float64Array(p);
    this.ext = new Float64Array(p);
    this.anderson = new Anderson();
    this.list = this.fused ? this.fused.lists : new Int32Array(3 * p);
    this.listStart = 2 * p;
    let count = 0;
    for (let j = 0; j < p; j++) if (s.include[j]) this.list[this.listStart + count++] = j;
    this.gradients(count);
  }

  /** g_k ← x̃_kᵀr for k in list[listStart .. listStart + count). */
  private gradients(count: number): void {
    if (this.fused) return this.fused.gradients(this.listStart, count);
    const { design } = this.s;
    for (let t = 0; t < count; t++) {
      const k = this.list[this.listStart + t];
      this.g[k] = design.gradient(k);
    }
  }

  private addWs(k: number): void {
    if (this.inWs[k]) return;
    this.inWs[k] = 1;
    this.ws[this.nWs++] = k;
  }

  /**
   * One pass over `list[0 .. count)`: the coordinate minimizer of each in turn (on the design's
   * WebAssembly kernel where it has one: ncpass, spncpass, the same arithmetic). Max xv·Δb².
   */
  private pass(list: Int32Array, count: number, lambda: number): number {
    const { design, kind, gamma } = this.s;
    const { b, g, xv, fused } = this;
    if (fused) {
      fused.lists.set(list.subarray(0, count), 0);
      this.passes++;
      return fused.ncPass(0, count, lambda, gamma, kind === "scad");
    }
    let dlx = 0;
    for (let t = 0; t < count; t++) {
      const k = list[t];
      const bk = b[k];
      const gk = design.gradient(k);
      g[k] = gk;
      const nb = nonconvexUpdate(kind, gk + xv[k] * bk, xv[k], lambda, gamma);
      if (nb === bk) continue;
      const d = nb - bk;
      b[k] = nb;
      const t2 = xv[k] * d * d;
      if (t2 > dlx) dlx = t2;
      design.update(k, d);
    }
    this.passes++;
    return dlx;
  }

  /** The working set's non-zero members, in working-set order, into act. */
  private collectActive(): void {
    let m = 0;
    for (let t = 0; t < this.nWs; t++) if (this.b[this.ws[t]] !== 0) this.act[m++] = this.ws[t];
    this.nAct = m;
  }

  /** The penalty piece of |b| at λ (nonconvexRegion). */
  private region(v: number, lambda: number): number {
    return nonconvexRegion(this.s.kind, Math.abs(v), lambda, this.s.gamma);
  }

  /**
   * Whether the non-zero set, its signs and regions are those recorded at the last call (and
   * records them): a stable piece, on which the stationarity conditions are linear.
   */
  private stablePiece(lambda: number): boolean {
    const { b, act, nAct, pattern } = this;
    let same = nAct === this.nPattern;
    for (let l = 0; l < nAct; l++) {
      const k = act[l];
      const code = (k << 3) | ((b[k] > 0 ? 1 : 0) << 2) | this.region(b[k], lambda);
      if (pattern[l] !== code) same = false;
      pattern[l] = code;
    }
    this.nPattern = nAct;
    if (!same) this.tried = false;
    return same && !this.tried;
  }

  /** ½‖r‖² + Σ p(b_j) over the non-zero set. */
  private objective(lambda: number): number {
    const { kind, gamma } = this.s;
    let pen = 0;
    for (let l = 0; l < this.nAct; l++)
      pen += nonconvexValue(kind, this.b[this.act[l]], lambda, gamma);
    return 0.5 * this.s.design.residualNormSq() + pen;
  }

  /** Moves b on the non-zero set to `to` (length nAct), updating the residual. */
  private moveTo(to: Float64Array): void {
    const { b, act, nAct, start } = this;
    for (let l = 0; l < nAct; l++) start[l] = to[l] - b[act[l]];
    this.s.design.updates(act, start, nAct);
    for (let l = 0; l < nAct; l++) b[act[l]] = to[l];
  }

  /**
   * Gives every non-zero coefficient's feature a slot in the exact solves' cache (x̃_jᵀỹ and its
   * Gram entries with the other slots, from one dense column and the others' non-zeros), computing
   * only what is new; the cache starts over when it would pass POLISH_MAX slots.
   */
  private slot(m: number): void {
    const { design, yTilde } = this.s;
    const { act, n, slotOf } = this;
    let fresh = 0;
    for (let u = 0; u < m; u++) if (slotOf[act[u]] < 0) fresh++;
    if (this.nSlots + fresh > this.slotCap) {
      let cap = Math.max(16, 2 * this.slotCap);
      while (cap < this.nSlots + fresh) cap *= 2;
      if (cap > POLISH_MAX) {
        // Start over with the current non-zero set only.
        for (let t = 0; t < this.nSlots; t++) slotOf[this.slotFeature[t]] = -1;
        this.nSlots = 0;
        cap = POLISH_MAX;
      }
      if (cap !== this.slotCap) {
        const old = this.slotCap;
        const gram = new Float64Array(cap * cap);
        const qv = new Float64Array(cap);
        const feature = new Int32Array(cap);
        for (let t = 0; t < this.nSlots; t++)
          gram.set(this.gram.subarray(t * old, t * old + this.nSlots), t * cap);
        qv.set(this.qv.subarray(0, this.nSlots));
        feature.set(this.slotFeature.subarray(0, this.nSlots));
        this.gram = gram;
        this.qv = qv;
        this.slotFeature = feature;
        this.slotCap = cap;
        this.dots = new Float64Array(cap);
      }
    }
    const { gram, qv, slotCap: cap, column, dots } = this;
    for (let u = 0; u < m; u++) {
      const j = act[u];
      if (slotOf[j] >= 0) continue;
      const s = this.nSlots++;
      slotOf[j] = s;
      this.slotFeature[s] = j;
      design.column(j, column);
      let q = 0;
      for (let i = 0; i < n; i++) q += column[i] * yTilde[i];
      qv[s] = q;
      design.dotsWith(column, this.slotFeature, s + 1, dots);
      for (let t = 0; t <= s; t++) gram[s * cap + t] = gram[t * cap + s] = dots[t];
    }
  }

  /**
   * Solves the stationarity conditions on the current piece exactly (see the class comment); keeps
   * the solution when every sign and region holds and the objective did not rise. True if kept.
   */
  private polish(lambda: number): boolean {
    const { kind, gamma } = this.s;
    const { b, act, nAct: m } = this;
    if (m === 0 || m > POLISH_MAX) return false;
    this.tried = true;
    this.slot(m);
    const { gram, qv, slotOf, slotCap: cap } = this;
    const w = m + 1;
    const a = new Float64Array(m * w);
    for (let u = 0; u < m; u++) {
      const su = slotOf[act[u]];
      for (let v = 0; v < m; v++) a[u * w + v] = gram[su * cap + slotOf[act[v]]];
      // p'(t) = level − slope·t on the piece of |b_u|.
      const region = nonconvexRegion(kind, Math.abs(b[act[u]]), lambda, gamma);
      const slope = nonconvexSlope(kind, region, gamma);
      const level = nonconvexLevel(kind, region, lambda, gamma);
      a[u * w + u] -= slope;
      a[u * w + m] = qv[su] - Math.sign(b[act[u]]) * level;
    }
    // Gaussian elimination with partial pivoting.
    for (let c = 0; c < m; c++) {
      let piv = c;
      for (let r = c + 1; r < m; r++)
        if (Math.abs(a[r * w + c]) > Math.abs(a[piv * w + c])) piv = r;
      if (piv !== c)
        for (let q = c; q <= m; q++) {
          const tmp = a[c * w + q];
          a[c * w + q] = a[piv * w + q];
          a[piv * w + q] = tmp;
        }
      const d = a[c * w + c];
      if (!(Math.abs(d) > 1e-14)) return false;
      for (let r = c + 1; r < m; r++) {
        const f = a[r * w + c] / d;
        if (f === 0) continue;
        for (let q = c; q <= m; q++) a[r * w + q] -= f * a[c * w + q];
      }
    }
    const sol = this.ext;
    for (let r = m - 1; r >= 0; r--) {
      let v = a[r * w + m];
      for (let q = r + 1; q < m; q++) v -= a[r * w + q] * sol[q];
      sol[r] = v / a[r * w + r];
    }
    for (let u = 0; u < m; u++) {
      const old = b[act[u]];
      if (Math.sign(sol[u]) !== Math.sign(old)) return false;
      if (this.region(sol[u], lambda) !== this.region(old, lambda)) return false;
    }
    const before = this.objective(lambda);
    const keep = this.keep;
    for (let u = 0; u < m; u++) keep[u] = b[act[u]];
    this.moveTo(sol.subarray(0, m));
    if (this.objective(lambda) <= before) return true;
    this.moveTo(keep);
    return false;
  }

  /**
   * Anderson extrapolation of the passes over the non-zero set (coefficients it would carry across
   * zero stop at zero), kept when it lowers the objective. True if kept.
   */
  private extrapolate(lambda: number): boolean {
    const { b, act, nAct: m, ext } = this;
    if (!this.anderson.extrapolate(ext)) return false;
    // A coefficient the extrapolation would carry across zero stops at zero.
    for (let l = 0; l < m; l++) if (Math.sign(ext[l]) !== Math.sign(b[act[l]])) ext[l] = 0;
    const before = this.objective(lambda);
    const keep = this.keep;
    for (let l = 0; l < m; l++) keep[l] = b[act[l]];
    this.moveTo(ext.subarray(0, m));
    if (this.objective(lambda) < before) return true;
    this.moveTo(keep);
    return false;
  }

  /**
   * Solves the point λ (the previous point's λ is `lambdaPrev`, for the strong rule; Infinity at
   * the first). Returns "maxPasses" when the pass limit was hit, "stalled" when the first-order
   * conditions stayed above kktTol·λ with the pass tolerance tightened 1e15-fold.
   */
  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "stalled" {
    const { include, maxPasses, kktTol } = this.s;
    const { b, g, p } = this;
    let thr = this.s.thr;
    const cut = Number.isFinite(lambdaPrev) ? 2 * lambda - lambdaPrev : lambda;
    for (let j = 0; j < p; j++)
      if (include[j] && (b[j] !== 0 || Math.abs(g[j]) > cut)) this.addWs(j);
    const limit = this.passes + maxPasses;
    for (;;) {
      // Converge the working set: full passes, each followed by passes over its non-zero members.
      for (;;) {
        const dlx = this.pass(this.ws, this.nWs, lambda);
        if (dlx < thr) break;
        if (this.passes > limit) return this.finish("maxPasses");
        this.collectActive();
        this.nPattern = -1;
        this.anderson.reset(this.nAct);
        let skip = 0;
        let backoff = 1;
        for (;;) {
          const dl = this.pass(this.act, this.nAct, lambda);
          if (dl < thr) break;
          if (this.passes > limit) return this.finish("maxPasses");
          // A coefficient reaching zero leaves the non-zero set: back to the full pass (where
          // exact solves apply; past POLISH_MAX the list is cycled as it is, so that Anderson's
          // history survives, zeros and all).
          if (this.nAct <= POLISH_MAX) {
            let zero = false;
            for (let l = 0; l < this.nAct; l++) if (b[this.act[l]] === 0) zero = true;
            if (zero) break;
          }
          if (this.stablePiece(lambda) && this.polish(lambda)) {
            this.anderson.reset(this.nAct);
            continue;
          }
          if (this.nAct <= POLISH_MAX) continue;
          const v = this.ext;
          for (let l = 0; l < this.nAct; l++) v[l] = b[this.act[l]];
          if (this.anderson.pushCompact(v)) {
            if (skip > 0) {
              skip--;
              this.anderson.reset(this.nAct);
            } else if (this.extrapolate(lambda)) backoff = 1;
            else {
              skip = backoff;
              backoff *= 2;
            }
          }
        }
      }
      // The first-order condition at b_j = 0 outside the working set.
      let count = 0;
      for (let j = 0; j < p; j++)
        if (include[j] && !this.inWs[j]) this.list[this.listStart + count++] = j;
      this.gradients(count);
      let added = 0;
      for (let t = 0; t < count; t++) {
        const j = this.list[this.listStart + t];
        if (Math.abs(g[j]) > lambda) {
          this.addWs(j);
          added++;
        }
      }
      if (added === 0) {
        this.finish();
        // Past POLISH_MAX non-zeros (no exact solves), the pass rule alone, as the lasso's.
        this.collectActive();
        if (this.nAct > POLISH_MAX || this.kkt(lambda) <= kktTol * lambda) return "ok";
        if (thr < 1e-15 * this.s.thr) return "stalled";
        thr /= 100;
      }
      if (this.passes > limit) return this.finish("maxPasses");
    }
  }

  /** Refreshes g on the working set (the last pass computed each before its own move). */
  private finish(status: "ok" | "maxPasses" = "ok"): "ok" | "maxPasses" {
    for (let t = 0; t < this.nWs; t++) this.list[this.listStart + t] = this.ws[t];
    this.gradients(this.nWs);
    return status;
  }

  /**
   * The largest violation of the first-order conditions of a coordinate-wise minimum over the
   * included features: |g_j| − λ at b_j = 0, |g_j − sign(b_j)·p'(|b_j|)| otherwise.
   */
  kkt(lambda: number): number {
    const { include, kind, gamma } = this.s;
    const { b, g } = this;
    let v = 0;
    for (let j = 0; j < this.p; j++) {
      if (!include[j]) continue;
      if (b[j] === 0) v = Math.max(v, Math.abs(g[j]) - lambda);
      else
        v = Math.max(
          v,
          Math.abs(
            g[j] - Math.sign(b[j]) * nonconvexDerivative(kind, Math.abs(b[j]), lambda, gamma),
          ),
        );
    }
    return v;
  }

  /** Σ p(b_j) over all features. */
  penalty(lambda: number): number {
    const { kind, gamma } = this.s;
    let pen = 0;
    for (let j = 0; j < this.p; j++)
      if (this.b[j] !== 0) pen += nonconvexValue(kind, this.b[j], lambda, gamma);
    return pen;
  }

  release(): void {
    this.s.design.release();
  }
}
