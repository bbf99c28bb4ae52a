import type { CoordinatePenalty } from "../core/penalty.js";
import type { GlmDesign } from "../data/glmDesign.js";
import type { GlmFamily } from "../datafit/family.js";
import { enetSubdiffDistance, enetValue } from "../penalty/elasticNet.js";
import { createHeap, passKernel, type Heap, type PassKernel } from "../wasm/heap.js";
import { CompactActiveSet, SHORTFALL_FLOOR } from "./compactActiveSet.js";
import { PathWarmStart } from "./warmStart.js";
import { interceptStart } from "../datafit/intercept.js";

export interface GlmSetup {
  design: GlmDesign;
  family: GlmFamily;
  y: Float64Array;
  /** Observation weights normalized to sum to 1. */
  w: Float64Array;
  offset: Float64Array;
  intercept: boolean;
  /** 1 for features the solver may move (not excluded, not constant). */
  include: Uint8Array;
  /** Penalty factors after glmnet's rescaling (sum to p). */
  pf: Float64Array;
  /** Box constraints on the standardized scale. */
  lower: Float64Array;
  upper: Float64Array;
  alpha: number;
  /** Absolute threshold on max v-weighted xv_j·Δb_j² (thresh × null deviance). */
  thr: number;
  /** Largest number of coordinate passes for one λ. */
  maxPasses: number;
  /** Largest number of features ever non-zero; exceeding it stops the path. */
  pMax: number;
  /** A point is solved when its KKT violation is at most kktTol·λ (default 1e-7). */
  kktTol?: number;
  /**
   * A coordinate penalty other than the elastic net (MCP, SCAD; α is then 1 and there are no box
   * limits), for SparseGlmCd only: absent, the elastic net of `alpha`, `pf` and the limits.
   */
  penalty?: CoordinatePenalty;
}

/**
 * How a GLM solver's `solve` ended: solved, or out of passes, past pMax features, out of Newton
 * steps, or stalled (no step lowered the objective: SparseGlmCd under a nonconvex penalty).
 */
export type GlmStatus = "ok" | "maxPasses" | "pMax" | "maxNewton" | "stalled";

/**
 * What the GLM path driver (glmPath) asks of a solver: GlmCd for dense designs, SparseGlmCd for
 * sparse ones.
 */
export interface GlmPathSolver {
  readonly b: Float64Array;
  b0: number;
  readonly eta: Float64Array;
  /** The true negative gradient of every included feature after `solve`, and the intercept's. */
  readonly g: Float64Array;
  g0: number;
  passes: number;
  everActive: number;
  solve(lambda: number, lambdaPrev: number): GlmStatus;
  gradient(): void;
  loss(): number;
  deviance(): number;
  means(): Float64Array;
  /** The binomial conjugate sum in SIMD where the solver has it (glmDualityGap), else null. */
  entropy(): ((s: number, shift: number) => number) | null;
  release(): void;
}

/** Smallest IRLS weight relative to the observation weight (keeps the WLS well posed). */
const VMIN = 1e-10;
/** Largest number of Newton (IRLS) steps for one λ (GlmCd and SparseGlmCd). */
export const MAX_NEWTON = 100;
/** Steps after which a lagged Hessian is formed anew. */
const REFRESH = 8;
/**
 * Steps a refresh of H is worth: forming H costs about n·k²/2 for k compact slots, a step about
 * 2·n·k (gradient and η) plus a few coordinate passes over the k² Gram block. Past REFRESH steps,
 * an old H is kept while its age is below twice this ratio (twice: the best of 0.5, 1, 2 and 4 on
 * bench/binomial.mjs's cells once the evaluations ran in SIMD).
 */
const refreshWorth = (n: number, k: number) => (2 * n * k) / (4 * n + 10 * k);
/** A point is solved when its KKT violation is at most kktTol·λ; kktTol defaults to this. */
const KKT_TOL = 1e-7;
type Fresh = "none" | "all" | "slots";

/**
 * Proximal Newton for the elastic-net GLM of a family at one λ, warm-started along the path
 * (the IRLS of Friedman, Hastie & Tibshirani 2010, §3, with glmnet's lognet/fishnet conventions):
 *
 *     minimize_{b0, b}  Σᵢ ŵᵢ ℓ(yᵢ, ηᵢ) + Σⱼ pen_j(b_j),   η = b0 + X̃b + offset.
 *
 * Each step minimizes exactly (CompactActiveSet's active-set Newton iterations) the model
 * −gᵀΔ + ½ΔᵀHΔ + pen(b + Δ) over the intercept and the strong set, with g the true negative
 * gradient and H the weighted Gram block at the weights of its last refresh (a lagged Hessian,
 * renewed when a step needs halving, falls short of half its predicted decrease, or grows old);
 * the step is halved until the true objective does not increase (a safeguard glmnet lacks,
 * needed for Poisson far from the optimum). A point is done when the true KKT conditions hold
 * to kktTol·λ on the compact set (checked before every step, at the gradient the step needs).
 * Sequential strong rules pick the features, and a KKT check of the true gradient
 * g_j = Σ ŵᵢ(yᵢ − μᵢ)x̃_ij on the rest admits violators (Tibshirani et al. 2012).
 */
export class GlmCd implements GlmPathSolver {
  readonly b: Float64Array;
  b0 = 0;
  /** η = b0 + X̃b + offset. */
  readonly eta: Float64Array;
  /** True negative gradient Σ ŵ(y − μ)x̃_j, exact for every included feature after `solve`. */
  readonly g: Float64Array;
  /** Σ ŵ(y − μ): the intercept's negative gradient after `solve`. */
  g0 = 0;
  passes = 0;
  everActive = 0;
  private readonly p: number;
  private readonly n: number;
  private readonly strong: Uint8Array;
  private readonly ever: Uint8Array;
  private readonly res: Float64Array;
  private readonly mu: Float64Array;
  /**
   * [η | y | ŵ | μ | res | √V_ref], each `stride` (n rounded up to even) doubles, padded with a
   * zero-weight observation: the family's evaluations run on it in WebAssembly SIMD (`kern`).
   */
  private readonly state: Heap;
  private readonly kern: PassKernel | null;
  private readonly stride: number;
  /** Σ ŵℓ at the current η when `lossFresh` (kept by every evaluation, dropped when η moves). */
  private lossAt = 0;
  private lossFresh = false;
  private readonly etaOld: Float64Array;
  private readonly compact: CompactActiveSet;
  /** √V_ref (`stride` doubles), then the columns of Z = √V_ref·[1, X̃] for the compact slots, n apart. */
  private zHeap: Heap;
  private zFilled = 0;
  /** Columns the Z heap has room for (0: none yet). */
  private zCap = 0;
  /** √V_ref, the weights H was formed with. */
  private readonly sv: Float64Array;
  /** Feature of each compact slot (−1: the intercept), and each feature's slot (−1: none). */
  private slots = new Int32Array(16);
  private nSlots = 0;
  private readonly slotOf: Int32Array;
  /** The included features, and scratch for their gradients. */
  private readonly included: Int32Array;
  private readonly nIncluded: number;
  private readonly gIncluded: Float64Array;
  /** Gradients of the compact slots (scratch). */
  private gSlots = new Float64Array(16);
  /** Warm starts from the last solutions of the path. */
  private readonly warm: PathWarmStart;
  /** Per-slot scratch: values before a step, non-zero slots, slots a step moved. */
  private bSlot = new Float64Array(16);
  private gSave = new Float64Array(16);
  private dSlots = new Int32Array(16);
  /** The features a step moved, and by how much (scratch). */
  private readonly movedCols: Int32Array;
  private readonly movedBy: Float64Array;
  /**
   * Which gradients `newton` left exact at its final point: "all" (every feature's g), "slots"
   * (the compact slots' gSlots, with Σr in `srKept`: the caller needs the others' only), or
   * "none".
   */
  private fresh: Fresh = "none";
  private srKept = 0;
  /**
   * The included features outside the compact slots ("the rest", nRest of them, in no particular
   * order: a feature given a slot is swapped out), each one's position there (−1: none), and
   * per position its feature's bound, column norm and penalty factor (below).
   */
  private readonly rest: Int32Array;
  private nRest = 0;
  private readonly restPos: Int32Array;
  /**
   * Safe screening of the KKT check: restBound[t] ≥ |g_j| (j = rest[t]) at the residual rLast,
   * kept by the triangle inequality |x̃ⱼᵀr| ≤ |x̃ⱼᵀr'| + ‖x̃ⱼ‖·‖r − r'‖ (restNorm[t] = ‖x̃ⱼ‖); a
   * feature whose bound stays at or below its κ cannot violate the KKT conditions and its product
   * is skipped. Its g[j] is then an older value, itself within κ, so the certificates computed
   * from g are unchanged.
   */
  private readonly restBound: Float64Array;
  private readonly restNorm: Float64Array;
  private readonly restPf: Float64Array;
  /**
   * [restBound | restNorm | restPf | rest, restList, restAt (i32)], each nIncluded long, for the
   * screen kernel.
   */
  private readonly restHeap: Heap;
  private readonly restKern: PassKernel | null;
  /**
   * When listValid, the last gradient was restGradient's, and every feature of the rest outside
   * restList[0 .. listCount) has |g_j| < listClear·pfⱼ: the strong-rule and KKT loops of `solve`
   * at thresholds ≥ listClear need only the listed features (and the slots, strong already).
   */
  private listValid = false;
  private listClear = 0;
  private listCount = 0;
  /** The rest features whose products restGradient takes, their positions, and the products. */
  private readonly restList: Int32Array;
  private readonly restAt: Int32Array;
  private readonly gRest: Float64Array;
  private readonly rLast: Float64Array;
  private boundsValid = false;
  /** Steps since H was formed (−1: must be formed). */
  private hessianAge = -1;

  constructor(private readonly s: GlmSetup) {
    if (s.penalty) throw new Error("GlmCd fits the elastic net only (SparseGlmCd takes a penalty)");
    const p = (this.p = s.design.p);
    const n = (this.n = s.design.n);
    this.b = new Float64Array(p);
    const stride = (this.stride = n + (n & 1));
    this.state = createHeap(6 * stride);
    this.kern = passKernel(this.state);
    const view = (k: number) => this.state.f64.subarray(k * stride, k * stride + n);
    this.eta = view(0);
    this.eta.set(s.offset);
    view(1).set(s.y);
    view(2).set(s.w);
    this.g = new Float64Array(p);
    this.strong = new Uint8Array(p);
    this.ever = new Uint8Array(p);
    this.mu = view(3);
    this.res = view(4);
    this.sv = view(5);
    this.etaOld = new Float64Array(n);
    this.compact = new CompactActiveSet(p + 1, s.thr);
    this.zHeap = createHeap(1);
    this.zRoom(16);
    this.slotOf = new Int32Array(p).fill(-1);
    this.movedCols = new Int32Array(p);
    this.warm = new PathWarmStart(p);
    this.movedBy = new Float64Array(p);
    this.rLast = new Float64Array(n);
    const inc: number[] = [];
    for (let j = 0; j < p; j++) if (s.include[j]) inc.push(j);
    this.included = Int32Array.from(inc);
    this.nIncluded = inc.length;
    const m = inc.length;
    this.restHeap = createHeap(3 * m + Math.ceil((3 * m) / 2) + 1);
    this.restKern = passKernel(this.restHeap);
    const f64 = this.restHeap.f64;
    this.restBound = f64.subarray(0, m);
    this.restNorm = f64.subarray(m, 2 * m);
    this.restPf = f64.subarray(2 * m, 3 * m);
    const i32 = (k: number) =>
      this.restKern
        ? this.restKern.i32.subarray(6 * m + k * m, 6 * m + (k + 1) * m)
        : new Int32Array(m);
    this.rest = i32(0);
    this.rest.set(inc);
    this.restList = i32(1);
    this.restAt = i32(2);
    this.nRest = m;
    this.restPos = new Int32Array(p).fill(-1);
    this.gRest = new Float64Array(m);
    const ones = new Float64Array(n).fill(1);
    inc.forEach((j, t) => {
      this.restPos[j] = t;
      this.restNorm[t] = Math.sqrt(s.design.weightedSquare(j, ones, n));
      this.restPf[t] = s.pf[j];
    });
    this.gIncluded = new Float64Array(inc.length);
    if (s.intercept) this.addSlot(-1);
    if (s.intercept) {
      this.b0 = interceptStart(s.family, s.y, s.w, s.offset);
      for (let i = 0; i < n; i++) this.eta[i] += this.b0;
    }
    this.gradient();
  }

  /** Σ ŵ ℓ(y, η) at the current η. */
  loss(): number {
    return this.lossFresh ? this.lossAt : this.evaluate();
  }

  /** Σ ŵ ℓ(y, η) at the current η, keeping μ and r = ŵ(y − μ) for it. */
  private evaluate(): number {
    const { y, w, family } = this.s;
    const k = this.kern;
    const st = this.stride;
    this.lossAt = k
      ? k.evaluate(family.name, 0, st, 2 * st, 3 * st, 4 * st, st)
      : family.evaluate(y, w, this.eta, this.mu, this.res);
    this.lossFresh = true;
    return this.lossAt;
  }

  /**
   * Σ ŵ·H((1 − s)y + s(μ + shift)) at the current μ in SIMD (binomial and Poisson, with the
   * WebAssembly kernels; else null): the conjugate sum of glmDualityGap.
   */
  entropy(): ((s: number, shift: number) => number) | null {
    const k = this.kern;
    const name = this.s.family.name;
    if (!k || (name !== "binomial" && name !== "poisson")) return null;
    const st = this.stride;
    return (s, shift) => k.entropy(name, st, 2 * st, 3 * st, st, s, shift);
  }

  /** μ at the current η (as kept by the last evaluation; valid after `solve`). */
  means(): Float64Array {
    return this.mu;
  }

  /** Σ ŵ·deviance(y, μ) at the current η. */
  deviance(): number {
    const { y, w, family } = this.s;
    if (!this.lossFresh) this.evaluate();
    const st = this.stride;
    if (this.kern && (family.name === "binomial" || family.name === "poisson"))
      return this.kern.deviance(family.name, st, 2 * st, 3 * st, st);
    let d = 0;
    for (let i = 0; i < this.n; i++) d += w[i] * family.deviance(y[i], this.mu[i]);
    return d;
  }

  /** The penalty of slot values v[0 .. na) (the intercept's slot is unpenalized). */
  private slotPenalty(v: Float64Array, na: number, ab: number, dem: number): number {
    const { pf } = this.s;
    let pen = 0;
    for (let l = 0; l < na; l++) {
      const j = this.slots[l];
      if (j >= 0 && v[l] !== 0) pen += enetValue(v[l], pf[j] * ab, pf[j] * dem);
    }
    return pen;
  }

  /** Σ r = Σ ŵ(y − μ) at the current η (the intercept's negative gradient). */
  private residualSum(): number {
    if (this.kern) return this.kern.sum(4 * this.stride, this.n);
    const r = this.res;
    let sr = 0;
    for (let i = 0; i < this.n; i++) sr += r[i];
    return sr;
  }

  /** Recomputes μ, the true gradient g (every included feature) and g0 at the current η. */
  gradient(): void {
    if (!this.lossFresh) this.evaluate();
    this.gradientDots(this.residualSum());
  }

  /**
   * The gradient of every included feature when the slots' are exact (`fresh` "slots"): the
   * products only for features the safe bound (see `restBound`) cannot clear at clear·pfⱼ. With clear
   * the next λ's strong-rule threshold (below κ; on a geometric grid), a skipped feature could
   * neither violate the KKT conditions now nor enter the next strong set: the strong sets are the
   * ones exact products would give.
   */
  private restGradient(clear: number): void {
    const r = this.res;
    let delta = 0;
    if (this.boundsValid) {
      const rl = this.rLast;
      for (let i = 0; i < this.n; i++) delta += (r[i] - rl[i]) ** 2;
      delta = Math.sqrt(delta);
    }
    let m = 0;
    const { rest, restBound, restNorm, restPf, restList, restAt, gRest, g } = this;
    const nRest = this.nRest;
    // Margins for rounding in the products and the bound itself.
    const lift = 1 + 1e-12;
    const cut = clear * (1 - 1e-12);
    const k = this.restKern;
    if (this.boundsValid && k) {
      // Branch-free: which features pass is unpredictable, and a mispredicted branch per feature
      // cost more than the rest of the loop.
      const q = this.nIncluded;
      m = k.screen(0, q, 2 * q, 6 * q, 7 * q, 8 * q, nRest, delta, lift, cut);
    } else if (this.boundsValid) {
      for (let t = 0; t < nRest; t++) {
        const bt = (restBound[t] += restNorm[t] * delta);
        restList[m] = rest[t];
        restAt[m] = t;
        m += +!(bt * lift + 1e-300 < cut * restPf[t]);
      }
    } else
      for (let t = 0; t < nRest; t++) {
        restList[m] = rest[t];
        restAt[m++] = t;
      }
    this.s.design.dots(restList, m, r, this.srKept, gRest);
    this.listValid = true;
    // A skipped feature has |g_j| ≤ bound < cut·pfⱼ (the margins exceed the rounding).
    this.listClear = this.boundsValid ? cut : 0;
    this.listCount = m;
    for (let t = 0; t < m; t++) {
      g[restList[t]] = gRest[t];
      restBound[restAt[t]] = Math.abs(gRest[t]);
    }
    for (let l = 0; l < this.nSlots; l++) {
      const j = this.slots[l];
      if (j >= 0) g[j] = this.gSlots[l];
    }
    this.g0 = this.srKept;
    this.rLast.set(r);
    this.boundsValid = true;
  }

  /** g and g0 from the current residuals r (Σ r = sr). */
  private gradientDots(sr: number): void {
    this.listValid = false;
    this.g0 = sr;
    this.s.design.dots(this.included, this.nIncluded, this.res, sr, this.gIncluded);
    for (let t = 0; t < this.nIncluded; t++) this.g[this.included[t]] = this.gIncluded[t];
    for (let t = 0; t < this.nRest; t++) this.restBound[t] = Math.abs(this.g[this.rest[t]]);
    this.rLast.set(this.res);
    this.boundsValid = true;
  }

  /**
   * Solves at `lambda` (Infinity: only unpenalized features and the intercept move), warm-started
   * by extrapolating the last two solutions. Returns "ok", "maxPasses", or "pMax" when too many
   * features became non-zero.
   */
  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax" {
    const { alpha } = this.s;
    const infinite = !Number.isFinite(lambda);
    if (!infinite) this.extrapolate(lambda, lambdaPrev);
    const ab = infinite ? 0 : lambda * alpha;
    const dem = infinite ? 0 : lambda * (1 - alpha);
    const threshold = alpha * (2 * lambda - lambdaPrev);
    this.admit(threshold, infinite);
    const limit = this.passes + this.s.maxPasses;
    for (;;) {
      this.fresh = "none";
      const status = this.newton(ab, dem, infinite, limit);
      if (status !== "ok") return status;
      // The next strong threshold α(2λ' − λ) for λ' = λ²/λ_prev (the grid's ratio again).
      const fresh = this.fresh as Fresh; // set by newton
      if (fresh === "slots") this.restGradient(Math.max(0, ab * (2 * (lambda / lambdaPrev) - 1)));
      else if (fresh === "none") this.gradient();
      if (infinite) return "ok";
      if (!this.admit(ab, false)) return "ok";
    }
  }

  /**
   * Marks strong every included feature with |g_j| > threshold·pfⱼ, or unpenalized (at an
   * infinite λ only those); true when any was added. When the last gradient was screened at
   * listClear ≤ threshold, the features outside its list cannot qualify and are not visited.
   */
  private admit(threshold: number, infinite: boolean): boolean {
    const { include, pf } = this.s;
    const { strong, g } = this;
    const listed = this.listValid && !infinite && threshold >= this.listClear;
    const count = listed ? this.listCount : this.p;
    let added = false;
    for (let t = 0; t < count; t++) {
      const j = listed ? this.restList[t] : t;
      if (strong[j] || !include[j]) continue;
      if (pf[j] === 0 || (!infinite && Math.abs(g[j]) > threshold * pf[j])) {
        strong[j] = 1;
        added = true;
      }
    }
    return added;
  }

  /**
   * Proximal Newton steps on the strong set until the true KKT conditions hold on it. Each step
   * minimizes exactly, over the compact set (intercept + strong features), the model
   *
   *     −gᵀΔ + ½ΔᵀHΔ + pen(b + Δ),   g the true negative gradient, H = ZᵀZ, Z = √V_ref·[1, X̃],
   *
   * by CompactActiveSet's active-set Newton iterations. H is the Hessian at the weights V_ref of its
   * last refresh, reused across steps and λ while it serves (a lagged Hessian: the fixed point is
   * the true optimum whatever H is, since g is exact); it is recomputed when a step needs
   * backtracking, falls short of half the decrease the model predicts, or grows old (refreshWorth).
   * New strong features get their rows of H at V_ref. Forming H is the expensive part (n·k²/2).
   */
  private newton(
    ab: number,
    dem: number,
    infinite: boolean,
    limit: number,
  ): "ok" | "maxPasses" | "pMax" {
    const { design, pf, lower, upper } = this.s;
    const { n, p, b, eta, etaOld, res } = this;
    const c = this.compact;
    // Admit strong features to the compact set (append-only, stable slots).
    for (let j = 0; j < p; j++)
      if (this.strong[j] && this.slotOf[j] < 0 && (!infinite || pf[j] === 0)) this.addSlot(j);
    const na = this.nSlots;
    if (na === 0) return "ok";
    // μ and r = ŵ(y − μ) are kept for the current η by every evaluation below.
    // Features outside the compact slots are zero.
    for (let l = 0; l < na; l++) this.bSlot[l] = this.slots[l] < 0 ? this.b0 : b[this.slots[l]];
    let fOld = this.loss() + this.slotPenalty(this.bSlot, na, ab, dem);
    for (let it = 0; it < MAX_NEWTON; it++) {
      // Exact negative gradient at the current point: g = X̃ᵀr.
      const sr = this.residualSum();
      const slots = this.slots;
      const gSlots = this.gSlots;
      // Done when the true KKT conditions hold on the compact set (the caller checks the other
      // features). The gradient is needed for the next step anyway, so the check is nearly free;
      // where the other features are few it is taken for all of them, for the caller to reuse.
      const all = this.nIncluded <= 2 * na;
      if (all) {
        this.gradientDots(sr);
        for (let l = 0; l < na; l++) gSlots[l] = slots[l] < 0 ? sr : this.g[slots[l]];
      } else {
        design.dots(slots, na, res, sr, gSlots);
        for (let l = 0; l < na; l++) if (slots[l] < 0) gSlots[l] = sr;
      }
      let kkt = 0;
      for (let l = 0; l < na; l++) {
        const j = slots[l];
        const v =
          j < 0
            ? Math.abs(gSlots[l])
            : enetSubdiffDistance(
                b[j],
                gSlots[l],
                pf[j] * ab,
                pf[j] * dem,
                !infinite || pf[j] === 0 ? lower[j] : 0,
                !infinite || pf[j] === 0 ? upper[j] : 0,
              );
        if (v > kkt) kkt = v;
      }
      if (kkt <= (this.s.kktTol ?? KKT_TOL) * (ab + dem) + 1e-15) {
        this.fresh = all ? "all" : "slots";
        this.srKept = sr;
        return "ok";
      }
      if (this.hessianAge < 0 || this.hessianAge >= Math.max(REFRESH, refreshWorth(n, na)))
        this.refreshHessian();
      else this.extendHessian();
      this.hessianAge++;
      for (let l = 0; l < na; l++) {
        const j = slots[l];
        c.g[l] = gSlots[l];
        c.b[l] = j < 0 ? this.b0 : b[j];
        c.xv[l] = c.gram[l * c.cap + l];
        const active = j < 0 || !infinite || pf[j] === 0;
        c.kappa[l] = j < 0 ? 0 : pf[j] * ab;
        c.mu[l] = j < 0 ? 0 : pf[j] * dem;
        // Features not yet allowed to move (infinite λ) are pinned at zero.
        c.lo[l] = j < 0 ? -Infinity : active ? lower[j] : 0;
        c.hi[l] = j < 0 ? Infinity : active ? upper[j] : 0;
      }
      // The model's linear term c.g0 = g + H b; g is kept (c.g becomes g − HΔ as it converges).
      c.linearTerm(na);
      const gSave = this.gSave;
      for (let l = 0; l < na; l++) gSave[l] = c.g[l];
      // The slots' values before the step (features outside the slots are zero and stay so).
      const bSlot = this.bSlot;
      for (let l = 0; l < na; l++) bSlot[l] = c.b[l];
      const penOld = this.slotPenalty(bSlot, na, ab, dem);
      etaOld.set(eta);
      c.passes = this.passes;
      const hitLimit = c.converge(na, dem, limit, true);
      this.passes = c.passes;
      if (hitLimit) return "maxPasses";
      // Predicted decrease of the model: −gᵀΔ + ½ΔᵀHΔ + pen(b + Δ) − pen(b) (≤ 0).
      const dSlots = this.dSlots;
      let nd = 0;
      for (let l = 0; l < na; l++) if (c.b[l] !== bSlot[l]) dSlots[nd++] = l;
      // After converging, c.g = g0 − H(b + Δ) = g − HΔ: so ΔᵀHΔ = Δᵀ(g − c.g), in O(moved).
      let lin = 0;
      let quad = 0;
      for (let t = 0; t < nd; t++) {
        const l = dSlots[t];
        const d = c.b[l] - bSlot[l];
        lin += gSave[l] * d;
        quad += d * (gSave[l] - c.g[l]);
      }
      let stepDlx = 0;
      let moved = 0;
      this.lossFresh = false;
      for (let t = 0; t < nd; t++) {
        const l = dSlots[t];
        const j = slots[l];
        const d = c.b[l] - bSlot[l];
        const t2 = c.xv[l] * d * d;
        if (t2 > stepDlx) stepDlx = t2;
        if (j < 0) {
          this.b0 = c.b[l];
          for (let i = 0; i < n; i++) eta[i] += d;
        } else {
          if (!this.ever[j]) {
            if (this.everActive >= this.s.pMax) return "pMax";
            this.ever[j] = 1;
            this.everActive++;
          }
          b[j] = c.b[l];
          this.movedCols[moved] = j;
          this.movedBy[moved++] = d;
        }
      }
      design.axpyMany(this.movedCols, this.movedBy, moved, eta);
      const predicted = -lin + 0.5 * quad + this.slotPenalty(c.b, na, ab, dem) - penOld;
      // Keep the step only as far as the true objective falls (halving it otherwise).
      let f = this.evaluate() + this.slotPenalty(c.b, na, ab, dem);
      let halved = false;
      while (f > fOld + 1e-12 * Math.abs(fOld) && stepDlx > 1e-300) {
        halved = true;
        for (let t = 0; t < nd; t++) {
          const l = dSlots[t];
          const v = bSlot[l] + (c.b[l] - bSlot[l]) / 2;
          c.b[l] = v;
          if (slots[l] < 0) this.b0 = v;
          else b[slots[l]] = v;
        }
        for (let i = 0; i < n; i++) eta[i] = etaOld[i] + (eta[i] - etaOld[i]) / 2;
        this.lossFresh = false;
        f = this.evaluate() + this.slotPenalty(c.b, na, ab, dem);
        stepDlx /= 4;
      }
      // A lagged Hessian that overshoots or under-delivers is renewed before the next step. A
      // predicted decrease within the objective's rounding (SHORTFALL_FLOOR·|f|) says nothing of
      // the Hessian: what such a step delivers is noise.
      if (halved || (predicted < -SHORTFALL_FLOOR * Math.abs(fOld) && fOld - f < 0.5 * -predicted))
        this.hessianAge = -1;
      fOld = f;
    }
    return "ok";
  }

  /** Warm start from the last solutions of the path (PathWarmStart). */
  private extrapolate(lambda: number, lambdaPrev: number): void {
    const { design, lower, upper, intercept } = this.s;
    const ws = this.warm;
    ws.next(this.b, this.b0, lambda, lambdaPrev, lower, upper, intercept);
    for (let t = 0; t < ws.moved; t++) this.b[ws.cols[t]] += ws.by[t];
    if (ws.d0 !== 0) {
      this.b0 += ws.d0;
      for (let i = 0; i < this.n; i++) this.eta[i] += ws.d0;
    }
    design.axpyMany(ws.cols, ws.by, ws.moved, this.eta);
    if (ws.moved > 0 || ws.d0 !== 0) this.lossFresh = false;
  }

  /** Gives feature j (−1: the intercept) the next compact slot. */
  private addSlot(j: number): void {
    if (this.nSlots === this.slots.length) {
      const grown = new Int32Array(Math.max(16, 2 * this.slots.length));
      grown.set(this.slots);
      this.slots = grown;
      this.gSlots = new Float64Array(grown.length);
      this.bSlot = new Float64Array(grown.length);
      this.gSave = new Float64Array(grown.length);
      this.dSlots = new Int32Array(grown.length);
    }
    if (j >= 0) {
      this.slotOf[j] = this.nSlots;
      // Out of the rest: the last feature there takes its position.
      const t = this.restPos[j];
      if (t >= 0) {
        const last = --this.nRest;
        const k = this.rest[last];
        this.rest[t] = k;
        this.restBound[t] = this.restBound[last];
        this.restNorm[t] = this.restNorm[last];
        this.restPf[t] = this.restPf[last];
        this.restPos[k] = t;
        this.restPos[j] = -1;
      }
    }
    this.slots[this.nSlots++] = j;
  }

  /**
   * Makes room for `na` columns of Z (n each), keeping √V_ref and the filled ones. The heap holds
   * [√V_ref (stride) | Z (zCap·n) | 2·zCap results] for the Gram kernels.
   */
  private zRoom(na: number): void {
    const n = this.n;
    if (this.zCap >= na) return;
    const cap = Math.max(2 * na, 16);
    const next = createHeap(this.stride + n * cap + 2 * cap);
    next.f64.set(this.zHeap.f64.subarray(0, this.stride + n * this.zFilled));
    this.zHeap.release();
    this.zHeap = next;
    this.zCap = cap;
  }

  /** Z column of slot l at the reference weights: √V_ref (intercept) or √V_ref ∘ x̃_j. */
  private zColumn(l: number): void {
    const n = this.n;
    const j = this.slots[l];
    const at = this.stride + l * n;
    const z = this.zHeap;
    if (j < 0) {
      z.f64.set(this.sv, at);
      return;
    }
    const col = this.s.design.column(j);
    const zk = passKernel(z);
    if (col && zk) {
      z.f64.set(col, at);
      zk.scale(at, 0, n);
    } else this.s.design.scaledColumn(j, this.sv, z.f64, at);
  }

  /** H = ZᵀZ anew at the current weights, for every slot. */
  private refreshHessian(): void {
    const { family, w } = this.s;
    const n = this.n;
    // μ is current: every evaluation of the objective keeps it.
    const st = this.stride;
    if (this.kern) this.kern.irlsRoots(family.name, 3 * st, 2 * st, 5 * st, st);
    else
      for (let i = 0; i < n; i++)
        this.sv[i] = Math.sqrt(w[i] * Math.max(family.variance(this.mu[i]), VMIN));
    const na = this.nSlots;
    this.zRoom(na);
    this.zHeap.f64.set(this.sv, 0);
    for (let l = 0; l < na; l++) this.zColumn(l);
    this.zFilled = na;
    this.compact.invalidate();
    this.fillGram(na);
    this.hessianAge = 0;
  }

  /** Rows of H for slots added since the last fill, at the reference weights. */
  private extendHessian(): void {
    const na = this.nSlots;
    if (this.zFilled === na) return;
    this.zRoom(na);
    for (let l = this.zFilled; l < na; l++) this.zColumn(l);
    this.zFilled = na;
    this.fillGram(na);
  }

  private fillGram(na: number): void {
    const n = this.n;
    const z = this.zHeap;
    const kernel = passKernel(z);
    const base = this.stride;
    const resOff = base + n * this.zCap;
    const nextOff = resOff + this.zCap;
    // Rows come in order; with the kernel, rows l and l + 1 are computed together (rowdots2) and
    // the second is handed out from nextOff when asked for.
    let pending = -1;
    this.compact.grow(na, (l, out, known) => {
      const row = base + l * n;
      if (kernel) {
        const f = z.f64;
        let from = resOff;
        if (pending === l) from = nextOff;
        else if (l + 1 < na) {
          // Rows l and l + 1 against columns 0 .. known−1 and l .. na−1 (row l + 1 needs m ≥ l + 1).
          if (known > 0) kernel.rowdots2(row, row + n, base, known, n, resOff, nextOff);
          kernel.rowdots2(row, row + n, row, na - l, n, resOff + l, nextOff + l);
          pending = l + 1;
        } else {
          if (known > 0) kernel.rowdots(row, base, known, n, resOff);
          kernel.rowdots(row, row, na - l, n, resOff + l);
        }
        for (let m = 0; m < known; m++) out[m] = f[from + m];
        for (let m = l; m < na; m++) out[m] = f[from + m];
        return;
      }
      for (let m = 0; m < known; m++) out[m] = z.dot(row, base + m * n, n);
      for (let m = l; m < na; m++) out[m] = z.dot(row, base + m * n, n);
    });
  }

  release(): void {
    this.restHeap.release();
    this.compact.release();
    this.zHeap.release();
    this.state.release();
  }
}
