import type { NewtonDatafit } from "../core/datafit.js";
import type { Penalty } from "../core/penalty.js";
import { choleskySolveInPlace } from "../linalg/cholesky.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { Anderson } from "./anderson.js";
import { SHORTFALL_FLOOR } from "./compactActiveSet.js";
import { CompactModel } from "./compactModel.js";
import { passKernel, type Heap } from "../wasm/heap.js";
import type { CoreDesign } from "../data/coreDesign.js";

/** What the proximal-Newton solver works on. */
export interface ProxNewtonSetup {
  /**
   * The standardized design (features 0 … p−1, then a column of ones), each column at
   * design.off(j) in xs; for sparse input only the strong set's columns are there (the solver
   * asks for them with design.ensure) and the other gradients are read sparse.
   */
  design: CoreDesign;
  /** design.xs (the solver sets it anew when the design's heap grows). */
  xs: Float64Array;
  n: number;
  p: number;
  datafit: NewtonDatafit;
  penalty: Penalty;
  intercept: boolean;
  /** 1 for features the solver may move. */
  include: Uint8Array;
  /** Starting linear predictor (offsets), K·n class-major. */
  offset: Float64Array;
  /** A point is solved when its KKT violation is at most kktTol·max(λ, lambdaFloor). */
  kktTol: number;
  /** Largest number of coordinate passes at one λ. */
  maxPasses: number;
  /**
   * design.heap, where `xs` lives (at offset 0), with room after it for one n-vector, a result
   * and a column index per slot: gradients run on its WebAssembly kernel (grads4) when it has one.
   */
  heap: Heap;
}

/** Largest number of Newton steps at one λ. */
const MAX_NEWTON = 200;
/** Newton steps without a 10 % lower KKT violation after which a point is given up as stalled. */
const STALL_STEPS = 10;
/**
 * Largest active-set Hessian the direct solve forms (n·m² multiply-adds, about 0.05 s on the
 * row-dot kernel here) and holds (n·m doubles, three times over).
 */
const ENTRY_HESSIAN_BUDGET = 3e8;
const ENTRY_HESSIAN_MEMORY = 4e6;
/** Largest number of solves in one active-set direct solve (each drops the entries reaching zero). */
const MAX_ACTIVE_ROUNDS = 20;
/** Largest number of screening rounds (Newton on the strong set, then a KKT check of the rest). */
const MAX_ROUNDS = 100;

export type SolveStatus = "ok" | "maxPasses" | "maxNewton" | "stalled";

/**
 * Proximal Newton for any datafit × penalty of the model core (Lee, Sun & Saunders 2014; glmnet's
 * IRLS, Friedman, Hastie & Tibshirani 2010, §3): at one λ, each step minimizes the datafit's exact
 * quadratic model plus the penalty — by coordinate descent for a coordinate penalty, by exact
 * block minimization for a group penalty — over the strong set (sequential strong rules,
 * Tibshirani et al. 2012), then takes the longest step of 1, ½, ¼ … that passes Armijo's test on
 * the true objective. The model is solved inexactly, to a forcing tolerance that shrinks with the
 * KKT violation (superlinear convergence, Dembo, Eisenstat & Steihaug 1982); a point is done when
 * the true KKT violation (the penalty's subdifferential distance of −∇f) is at most
 * kktTol·max(λ, lambdaFloor) on
 * every entry, the entries outside the strong set included. For the multinomial datafit the model
 * is the full Newton model, cross-class terms included. For the elastic net the model step is the
 * compact solve (`CompactModel`, compactModel.ts: a lagged Hessian over every entry ever strong, minimized exactly
 * by active-set Newton iterations, as GlmCd); for the other penalties, coordinate descent with an
 * active-set Cholesky solve on the non-zero entries (`directSolve`).
 *
 * Coefficients B are stored feature-major: entry (j, c) at j·K + c; the intercepts at p·K + c.
 */
export class ProxNewton {
  readonly beta: Float64Array;
  readonly eta: Float64Array;
  /** −∂f/∂B_jc at the current point (fresh for every included entry after `solve`). */
  readonly grad: Float64Array;
  loss = 0;
  passes = 0;
  /** KKT violation of the last solved point (every entry, intercepts included). */
  kkt = 0;
  /**
   * After an unconverged MCP / SCAD point: the feature whose entry violates most, when that entry
   * sits on the penalty's flat part (its coefficient free to grow without bound), else −1.
   */
  divergent = -1;
  /** The KKT tolerance of the last solved point: kktTol·max(λ, lambdaFloor). */
  tol = 0;
  /**
   * The tolerance's λ never goes below this (set by the driver to λ_max/100): at the small-λ end
   * of a path on collinear data, 1e-7·λ asks for more than the rounding of the gradient allows.
   */
  lambdaFloor = 0;
  private readonly K: number;
  private readonly delta: Float64Array;
  private readonly curv: Float64Array;
  /** Units: coordinate penalties, one per entry j·K + c; group penalties, one per group. */
  private readonly nUnits: number;
  private readonly strong: Uint8Array;
  /** Per group: its included features' column offsets, and scratch. */
  private readonly groupOffs: Int32Array[] = [];
  private readonly groupFeatures: Int32Array[] = [];
  private readonly blockH: (Float64Array | null)[] = [];
  private readonly blockEig: ({ values: Float64Array; vectors: Float64Array } | null)[] = [];

  constructor(private readonly s: ProxNewtonSetup) {
    const { p, datafit } = s;
    const K = (this.K = datafit.K);
    this.beta = new Float64Array((p + 1) * K);
    this.grad = new Float64Array((p + 1) * K);
    this.delta = new Float64Array((p + 1) * K);
    this.curv = new Float64Array((p + 1) * K);
    // (In the datafit's memory where it offers one: its evaluations then read η in place.)
    this.eta = datafit.eta ?? new Float64Array(s.offset.length);
    this.eta.set(s.offset);
    if (s.penalty.kind === "group") {
      for (const g of s.penalty.groups) {
        const feats = Int32Array.from(Array.from(g).filter((j) => s.include[j]));
        this.groupFeatures.push(feats);
        // (Set again by ensureStrong for a sparse design, whose columns come in as needed.)
        this.groupOffs.push(feats.map((j) => (s.design.has(j) ? s.design.off(j) : -1)));
        this.blockH.push(null);
        this.blockEig.push(null);
      }
      this.nUnits = s.penalty.groups.length;
    } else this.nUnits = p * K;
    this.strong = new Uint8Array(this.nUnits);
    this.gradList = new Int32Array(p + 1);
    this.absentList = new Int32Array(p + 1);
    this.compact = new CompactModel(s, K);
    this.loss = datafit.evaluate(this.eta);
  }

  /** Hands the solver's WebAssembly memories back for reuse; the solver is not used after. */
  release(): void {
    this.compact.release();
  }

  /** Sets the intercepts (before the first solve), e.g. to the datafit's start. */
  setIntercepts(a0: ArrayLike<number>): void {
    const { n, p } = this.s;
    const K = this.K;
    for (let c = 0; c < K; c++) {
      const d = a0[c] - this.beta[p * K + c];
      this.beta[p * K + c] = a0[c];
      for (let i = 0; i < n; i++) this.eta[c * n + i] += d;
    }
    this.loss = this.s.datafit.evaluate(this.eta);
  }

  /** −∂f/∂B for every included entry (and the intercepts) at the current point. */
  allGradients(): void {
    const { p, include } = this.s;
    const list = this.gradList;
    let m = 0;
    for (let j = 0; j < p; j++) if (include[j]) list[m++] = j;
    list[m++] = p;
    this.gradients(list, m);
  }

  private readonly gradList: Int32Array;
  /** A sparse design's features without a dense column, in one gradients call. */
  private readonly absentList: Int32Array;

  /**
   * −∂f/∂B_jc for the features list[0..count) (p: the intercepts), every class: xⱼᵀr_c on the
   * WebAssembly kernel (grads4, one call per class) when the setup gave the heap, else in loops.
   */
  private gradients(list: Int32Array, count: number): void {
    const { heap, n, design, datafit } = this.s;
    const K = this.K;
    const r = datafit.r;
    // A sparse design's absent columns: x̃ⱼᵀr_c read from their non-zeros, class by class (the
    // present ones move to the front of the list for the kernel).
    let present = count;
    if (design.sparse) {
      const absent = this.absentList;
      let m = 0;
      present = 0;
      for (let t = 0; t < count; t++) {
        const j = list[t];
        if (design.has(j)) list[present++] = j;
        else absent[m++] = j;
      }
      for (let c = 0; m > 0 && c < K; c++) {
        const rc = r.subarray(c * n, (c + 1) * n);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += rc[i];
        for (let t = 0; t < m; t++)
          this.grad[absent[t] * K + c] = design.sparseDot(absent[t], rc, sum);
      }
    }
    const kernel = passKernel(heap);
    if (!kernel) {
      for (let t = 0; t < present; t++) this.featureGradient(list[t]);
      return;
    }
    const f = heap.f64;
    const slot = design.vector;
    const res = design.results;
    const listOff = design.indices;
    // (Dense input: slot j is feature j.)
    const slotOf = design.sparse ? design.slotOf : null;
    if (slotOf) for (let t = 0; t < present; t++) kernel.i32[listOff + t] = slotOf[list[t]];
    else kernel.i32.set(list.subarray(0, present), listOff);
    const kp = design.vectors;
    if (K > 1 && kp >= K && present > 0) {
      // Every class at once (gradsk: four columns against two classes per sweep), the list
      // padded to a multiple of 4 with its last column and the classes to kp with zeros.
      const padded = (present + 3) & ~3;
      for (let t = present; t < padded; t++) kernel.i32[listOff + t] = kernel.i32[listOff + t - 1];
      f.set(r.subarray(0, K * n), slot);
      if (kp > K) f.fill(0, slot + K * n, slot + kp * n);
      kernel.gradsk(listOff, padded, 0, n, slot, kp, res);
      const grad = this.grad;
      for (let t = 0; t < present; t++) {
        const o = res + t * kp;
        const g = list[t] * K;
        for (let c = 0; c < K; c++) grad[g + c] = f[o + c];
      }
      return;
    }
    for (let c = 0; c < K; c++) {
      f.set(r.subarray(c * n, (c + 1) * n), slot);
      kernel.grads4(listOff, present, 0, n, slot, res);
      for (let t = 0; t < present; t++) {
        const j = list[t];
        this.grad[j * K + c] = f[res + (slotOf ? slotOf[j] : j)];
      }
    }
  }

  private featureGradient(j: number): void {
    const { xs, n, datafit } = this.s;
    const K = this.K;
    const r = datafit.r;
    const off = this.s.design.off(j);
    for (let c = 0; c < K; c++) {
      const o = c * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[off + i] * r[o + i];
      this.grad[j * K + c] = s;
    }
  }

  /** The design's heap was replaced: the setup's views follow it. */
  private grown(): void {
    this.s.xs = this.s.design.xs;
    this.s.heap = this.s.design.heap;
  }

  /**
   * Makes the strong units' columns present in a sparse design (dense input has them all), and
   * their groups' offsets current.
   */
  private ensureStrong(): void {
    const design = this.s.design;
    if (!design.sparse) return;
    const pen = this.s.penalty;
    const K = this.K;
    const list = this.gradList;
    let m = 0;
    if (pen.kind === "coordinate") {
      for (let j = 0; j < this.s.p; j++) {
        let any = false;
        for (let c = 0; c < K; c++) if (this.strong[j * K + c]) any = true;
        if (any && !design.has(j)) list[m++] = j;
      }
      if (design.ensure(list, m)) this.grown();
      return;
    }
    for (let u = 0; u < this.nUnits; u++)
      if (this.strong[u]) for (const j of this.groupFeatures[u]) if (!design.has(j)) list[m++] = j;
    if (design.ensure(list, m)) this.grown();
    for (let u = 0; u < this.nUnits; u++)
      if (this.strong[u]) this.groupOffs[u] = this.groupFeatures[u].map((j) => design.off(j));
  }

  /** Whether unit u holds a non-zero coefficient. */
  private active(u: number): boolean {
    if (this.s.penalty.kind === "coordinate") return this.beta[u] !== 0;
    const K = this.K;
    for (const j of this.groupFeatures[u])
      for (let c = 0; c < K; c++) if (this.beta[j * K + c] !== 0) return true;
    return false;
  }

  /** Unit u's block of B (+ tΔ when t ≠ 0), or of the gradient. */
  private block(u: number, from: Float64Array, t = 0): Float64Array {
    const K = this.K;
    const feats = this.groupFeatures[u];
    const out = new Float64Array(feats.length * K);
    for (let a = 0; a < feats.length; a++)
      for (let c = 0; c < K; c++) {
        const k = feats[a] * K + c;
        out[a * K + c] = from[k] + (t !== 0 ? t * this.delta[k] : 0);
      }
    return out;
  }

  /** Smallest λ at which unit u may stay zero, at the current gradient. */
  private zeroLambda(u: number): number {
    const pen = this.s.penalty;
    if (pen.kind === "coordinate") return pen.zeroLambda(this.grad[u], Math.floor(u / this.K));
    return pen.zeroLambda(this.block(u, this.grad), u);
  }

  /** KKT violation of unit u at λ (gradient fresh). */
  private violation(u: number, lam: number): number {
    const pen = this.s.penalty;
    if (pen.kind === "coordinate") {
      const j = Math.floor(u / this.K);
      if (!this.s.include[j]) return 0;
      return pen.subdiffDistance(this.beta[u], this.grad[u], j, lam);
    }
    if (this.groupFeatures[u].length === 0) return 0;
    return pen.subdiffDistance(this.block(u, this.beta), this.block(u, this.grad), u, lam);
  }

  /** Unit u's penalty at B + tΔ. */
  private unitPenalty(u: number, lam: number, t: number): number {
    const pen = this.s.penalty;
    if (pen.kind === "group") return pen.value(this.block(u, this.beta, t), u, lam);
    const b = this.beta[u] + t * this.delta[u];
    return b !== 0 ? pen.value(b, Math.floor(u / this.K), lam) : 0;
  }

  /** Whether Δ moves any entry of group u. */
  private groupMoved(u: number): boolean {
    const K = this.K;
    for (const j of this.groupFeatures[u])
      for (let c = 0; c < K; c++) if (this.delta[j * K + c] !== 0) return true;
    return false;
  }

  /** Σ penalty over the strong units at B + tΔ. */
  private penaltyAt(lam: number, t: number): number {
    let s = 0;
    for (let u = 0; u < this.nUnits; u++) if (this.strong[u]) s += this.unitPenalty(u, lam, t);
    return s;
  }

  /**
   * Σ over the strong units that Δ moves of pen(B + Δ) − pen(B): summed unit by unit, since a
   * difference of whole-penalty sums would bury a small change under the sums' rounding.
   */
  private penaltyChange(lam: number): number {
    const coordinate = this.s.penalty.kind === "coordinate";
    let s = 0;
    for (let u = 0; u < this.nUnits; u++) {
      if (!this.strong[u]) continue;
      if (coordinate ? this.delta[u] !== 0 : this.groupMoved(u))
        s += this.unitPenalty(u, lam, 1) - this.unitPenalty(u, lam, 0);
    }
    return s;
  }

  /** Gradients of the strong units' features and the intercepts. */
  /** Features in the last strongGradients call. */
  private strongFeatures = 0;

  private strongGradients(): void {
    const { p, include } = this.s;
    const pen = this.s.penalty;
    const K = this.K;
    if (pen.kind === "coordinate") {
      const list = this.gradList;
      let m = 0;
      for (let j = 0; j < p; j++) {
        if (!include[j]) continue;
        let any = false;
        for (let c = 0; c < K; c++) if (this.strong[j * K + c]) any = true;
        if (any) list[m++] = j;
      }
      this.strongFeatures = m;
      list[m++] = p;
      this.gradients(list, m);
      return;
    }
    const list = this.gradList;
    let m = 0;
    for (let u = 0; u < this.nUnits; u++)
      if (this.strong[u]) for (const j of this.groupFeatures[u]) list[m++] = j;
    list[m++] = p;
    this.gradients(list, m);
  }

  private strongViolation(lam: number): number {
    const { p, intercept } = this.s;
    const K = this.K;
    let v = 0;
    if (intercept) for (let c = 0; c < K; c++) v = Math.max(v, Math.abs(this.grad[p * K + c]));
    for (let u = 0; u < this.nUnits; u++)
      if (this.strong[u]) v = Math.max(v, this.violation(u, lam));
    return v;
  }

  /**
   * Solves the point at λ from the current (warm) start; λprev is the previous point's λ (the
   * strong rule's 2λ − λprev). λ = Infinity fits the unpenalized entries only.
   */
  solve(lam: number, lamPrev: number): SolveStatus {
    const { p, intercept, include } = this.s;
    const pen = this.s.penalty;
    const K = this.K;
    const tol = (this.tol =
      this.s.kktTol * (Number.isFinite(lam) ? Math.max(lam, this.lambdaFloor) : 1));
    const finite = Number.isFinite(lam);
    const cut = 2 * lam - lamPrev;
    for (let u = 0; u < this.nUnits; u++) {
      const included =
        pen.kind === "coordinate"
          ? include[Math.floor(u / K)] === 1
          : this.groupFeatures[u].length > 0;
      const unpen =
        pen.kind === "coordinate" ? !pen.penalized(Math.floor(u / K)) : !pen.penalized(u);
      this.strong[u] =
        included && (unpen || (finite && (this.active(u) || this.zeroLambda(u) > cut))) ? 1 : 0;
    }
    // Entries with a compact slot stay in the strong set (their gradients kept fresh, their
    // penalty counted): the compact solve may move any of them.
    if (finite) {
      if (pen.kind === "coordinate") {
        for (const u of this.compact.slots) if (u < p * K) this.strong[u] = 1;
      } else for (const u of this.compact.slottedGroups()) this.strong[u] = 1;
    }
    this.ensureStrong();
    this.predict(lam, lamPrev);
    this.steps = 0;
    this.holding = false;
    let status: SolveStatus = "ok";
    const startPasses = this.passes;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const st = this.newton(lam, tol);
      if (st !== "ok") status = st;
      if (this.passes - startPasses > this.s.maxPasses) {
        status = "maxPasses";
        break;
      }
      // KKT check of the rest at the final point.
      let added = false;
      if (finite) {
        const list = this.gradList;
        let m = 0;
        for (let j = 0; j < p; j++) {
          if (!include[j]) continue;
          let need = false;
          for (let c = 0; c < K; c++) {
            const u = pen.kind === "coordinate" ? j * K + c : -1;
            if (u < 0 || !this.strong[u]) need = true;
          }
          if (need) list[m++] = j;
        }
        this.gradients(list, m);
      }
      if (finite)
        for (let u = 0; u < this.nUnits; u++) {
          if (this.strong[u]) continue;
          if (pen.kind === "group" && this.groupFeatures[u].length === 0) continue;
          if (pen.kind === "coordinate" && !include[Math.floor(u / K)]) continue;
          if (this.violation(u, lam) > tol) {
            this.strong[u] = 1;
            added = true;
          }
        }
      if (!added) break;
      this.ensureStrong();
    }
    let v = 0;
    if (intercept) for (let c = 0; c < K; c++) v = Math.max(v, Math.abs(this.grad[p * K + c]));
    // At λ = ∞ only the unpenalized units (strong there) are solved, and certified.
    let worst = -1;
    for (let u = 0; u < this.nUnits; u++)
      if (finite || this.strong[u]) {
        const vu = this.violation(u, lam);
        if (vu > v) [v, worst] = [vu, u];
      }
    this.kkt = v;
    // The worst entry of an unconverged MCP / SCAD point on the penalty's flat part: there the
    // loss alone pulls it, and where the data are separated along its feature it keeps falling.
    this.divergent = -1;
    if (status !== "ok" && worst >= 0 && pen.kind === "coordinate" && pen.concavity !== undefined) {
      const b = this.beta[worst];
      const at = b !== 0 ? pen.local(b, Math.floor(worst / K), lam) : null;
      if (at && at.slope === 0 && at.curv === 0) this.divergent = Math.floor(worst / K);
    }
    return status;
  }

  /** Newton steps of the current (or last) point. */
  private steps = 0;
  /** The solution at the λ before the current one (for the predictor), and that λ. */
  private before: Float64Array | null = null;
  private beforeLam = Infinity;

  /**
   * The predictor of a path step: along a geometric λ grid the solution moves smoothly in log λ
   * while its support holds, so B(λ) ≈ B(λprev) + r·(B(λprev) − B(λbefore)), r = ln(λ/λprev) /
   * ln(λprev/λbefore), on the non-zero entries and the intercepts (an entry the line would take
   * across zero stays). Taken when it lowers the objective at λ: the Newton steps then start
   * from a violation of second order in the λ step instead of first. Tried only when the last
   * point took more than two Newton steps: where the steps converge that fast anyway (the lung
   * Cox path, its Hessian renewed every other step), the prediction's loss evaluation costs
   * 20 % of the path and saves none.
   */
  private predict(lam: number, lamPrev: number): void {
    const { p, datafit } = this.s;
    const K = this.K;
    const pen = this.s.penalty;
    const prev = this.before;
    const prevLam = this.beforeLam;
    const delta = this.delta;
    const list: number[] = [];
    if (
      prev &&
      this.steps > 2 &&
      pen.kind === "coordinate" &&
      Number.isFinite(lam) &&
      Number.isFinite(lamPrev) &&
      Number.isFinite(prevLam) &&
      prevLam > lamPrev &&
      lamPrev > lam
    ) {
      const r = Math.log(lam / lamPrev) / Math.log(lamPrev / prevLam);
      delta.fill(0);
      for (let u = 0; u < delta.length; u++) {
        const b = this.beta[u];
        if (b === 0) continue;
        const d = r * (b - prev[u]);
        if (d === 0 || (u < p * K && (b + d) * b <= 0)) continue;
        delta[u] = d;
        list.push(u);
      }
    }
    // The current point, kept for the next λ's prediction.
    (this.before ??= new Float64Array(this.beta.length)).set(this.beta);
    this.beforeLam = lamPrev;
    if (list.length === 0) return;
    datafit.resetStep();
    this.compact.buildStep(list, list.length, delta);
    const f0 = this.loss + this.penaltyAt(lam, 0);
    const f1 = datafit.lossAlong(this.eta, 1) + this.penaltyAt(lam, 1);
    if (f1 < f0) this.moveBy(1);
  }

  /** B += tΔ and η += t·z (the datafit's step), and the loss there. */
  private moveBy(t: number): void {
    const { datafit } = this.s;
    for (let k = 0; k < this.delta.length; k++)
      if (this.delta[k] !== 0) this.beta[k] += t * this.delta[k];
    if (datafit.advance && datafit.eta === this.eta) datafit.advance(t);
    else {
      const z = datafit.step;
      for (let k = 0; k < this.eta.length; k++) this.eta[k] += t * z[k];
    }
    this.loss = datafit.acceptAlong(t) ?? datafit.evaluate(this.eta);
  }

  /** Newton steps on the strong set until its KKT violation is at most tol. */
  private newton(lam: number, tol: number): SolveStatus {
    const { p, xs, datafit, intercept } = this.s;
    const pen = this.s.penalty;
    const K = this.K;
    const ones = this.s.design.off(p);
    let best = Infinity;
    let since = 0;
    let prev = Infinity;
    for (let it = 0; it < MAX_NEWTON; it++, this.steps++) {
      this.strongGradients();
      const kkt = this.strongViolation(lam);
      if (kkt <= tol) return "ok";
      // A lagged Hessian that contracts the violation too slowly for what is left is renewed.
      this.compact.renewIfSlow(kkt, prev, tol, this.strongFeatures);
      // MCP / SCAD: a step that lowered the objective but raised the violation more than
      // twofold went into another basin (a coordinate jumped between pieces); progress is
      // counted anew from there. (Each such step lowers the objective: no cycle.)
      if (pen.kind === "coordinate" && pen.concavity !== undefined && kkt > 2 * prev) best = kkt;
      prev = kkt;
      // Steps that no longer lower the violation: the rounding floor of an ill-conditioned point.
      if (kkt < 0.9 * best) {
        best = kkt;
        since = 0;
      } else if (++since >= STALL_STEPS) return "stalled";
      // The model at the current point.
      const strongList: number[] = [];
      for (let u = 0; u < this.nUnits; u++) if (this.strong[u]) strongList.push(u);
      // The coordinate model's curvatures (or the blocks' Hessians), for the coordinate descent
      // that runs when the compact solve does not apply.
      let curvatures = false;
      const formCurvatures = () => {
        if (curvatures) return;
        curvatures = true;
        if (intercept)
          for (let c = 0; c < K; c++) this.curv[p * K + c] = datafit.curvature(xs, ones, c);
        if (pen.kind === "coordinate") {
          for (const u of strongList) {
            const j = Math.floor(u / K);
            this.curv[u] = Math.max(datafit.curvature(xs, this.s.design.off(j), u % K), 1e-12);
          }
        } else
          for (const u of strongList) {
            const m = this.groupOffs[u].length * K;
            const h = new Float64Array(m * m);
            datafit.blockHessian(xs, this.groupOffs[u], this.groupOffs[u].length, h);
            for (let a = 0; a < m; a++) h[a * m + a] = Math.max(h[a * m + a], 1e-12);
            this.blockH[u] = h;
            this.blockEig[u] = symmetricEigen(h, m);
          }
      };
      // The step: the model minimized, then a line search; on failure, again with the model
      // damped (Levenberg–Marquardt) until a step descends.
      let accepted = false;
      let t = 1;
      let compact = false;
      let fNew = NaN;
      let shortfall = false;
      this.damp = 1;
      // A compact step that predicts no decrease (its lagged model is off, or it stopped short)
      // is retried, undamped, by the coordinate route with its Hessian renewed.
      let retryUndamped = false;
      let compactOff = false;
      // MCP / SCAD: a failed step is retried first with each coordinate held to its piece of the
      // penalty (pieceMode), undamped, then with Levenberg–Marquardt damping on top.
      const nonconvex = pen.kind === "coordinate" && pen.concavity !== undefined;
      // Once a point needed it, its later steps start held (a jump that failed once tends to
      // fail again, and each failure costs a full line search).
      for (
        let attempt = nonconvex && this.holding ? 1 : 0;
        attempt < (pen.kind === "coordinate" ? 8 : 2) && !accepted;
        attempt++
      ) {
        if (attempt > 0 && !retryUndamped && !(nonconvex && attempt === 1)) this.damp *= 8;
        this.pieceMode = nonconvex && attempt > 0;
        retryUndamped = false;
        datafit.resetStep();
        this.delta.fill(0);
        this.hessian = null;
        const forcing = Math.max(
          0.25 * tol,
          Math.min(0.5, Math.sqrt(kkt / Math.max(lam, 1e-300))) * kkt,
        );
        // The compact solve where it applies (elastic net, a datafit with entry blocks): the
        // model with the lagged Hessian over every slotted entry, solved exactly.
        if (attempt === 0 && !compactOff) {
          this.compact.passes = this.passes;
          compact = this.compact.step(strongList, lam, this.grad, this.beta, this.delta, forcing);
          this.passes = this.compact.passes;
        } else compact = false;
        if (!compact) formCurvatures();
        if (this.pieceMode) this.holdPieces(strongList, lam);
        // Otherwise coordinate descent on the model: full passes over the strong set, then over
        // the units the step made non-zero, until a full pass moves nothing by more than the
        // forcing term.
        let budget = compact ? 0 : this.s.maxPasses;
        // With the support of the current point, the direct solve first: where the support is
        // already right, the full pass that follows only confirms it.
        if (!compact) {
          const act0 = strongList.filter((u) => this.stepActive(u));
          this.directSolve(act0, this.andersonIndex(act0), lam);
        }
        for (; !compact;) {
          const full = this.pass(strongList, lam);
          // A pass's largest move is only a hint: the step is accepted when the model's own KKT
          // violation at it is within the forcing term.
          if (full <= forcing && this.modelViolation(strongList, lam) <= forcing) break;
          if (--budget <= 0) break;
          const act = strongList.filter((u) => this.stepActive(u));
          const idx = this.andersonIndex(
            strongList.filter((u) => this.delta[u] !== 0 || this.stepActive(u)),
          );
          if (this.directSolve(act, idx, lam)) continue;
          this.anderson.reset(idx.length);
          for (;;) {
            const moved = this.pass(act, lam);
            if (moved <= forcing || --budget <= 0) break;
            if (pen.kind === "coordinate" && !this.pieceMode && this.anderson.push(this.delta, idx))
              this.tryExtrapolated(idx, lam);
          }
        }
        // Line search on the true objective.
        let dirDeriv = 0;
        for (let k = 0; k < this.delta.length; k++)
          if (this.delta[k] !== 0) dirDeriv -= this.grad[k] * this.delta[k];
        const pen0 = this.penaltyAt(lam, 0);
        const f0 = this.loss + pen0;
        const D = dirDeriv + this.penaltyChange(lam);
        // A predicted change below the objective's rounding has no reliable sign: such a step is
        // taken whole (below); only a clearly non-negative prediction is a failed model.
        if (!(D < 0) && !(Math.abs(D) <= 1e-13 * Math.abs(f0))) {
          if (compact) {
            this.compact.served(true);
            compactOff = true;
            retryUndamped = true;
            continue;
          }
          if (this.damp === 1 && !this.pieceMode) return "ok";
          continue;
        }
        t = 1;
        // A predicted decrease below the objective's rounding (≈ 1e-16·|F|) cannot be tested on
        // F: the model is exact to second order there, and the full step is taken.
        accepted = -D <= 1e-13 * Math.abs(f0);
        // Armijo's test; failing it (it is only a sufficient condition, and for MCP / SCAD the
        // penalty's change is not convex in t), the tried step with the lowest objective below F(0).
        let bestT = 0;
        let bestF = f0;
        fNew = NaN;
        for (let ls = 0; ls < 40 && !accepted; ls++, t *= 0.5) {
          const ft = datafit.lossAlong(this.eta, t) + this.penaltyAt(lam, t);
          // (A strict decrease too: at a t so small that 1e-4·t·D is below F's rounding the
          // test would pass on an unchanged F, and a useless step be taken.)
          if (ft <= f0 + 1e-4 * t * D && ft < f0) {
            accepted = true;
            fNew = ft;
            break;
          }
          if (ft < bestF) {
            bestF = ft;
            bestT = t;
          }
        }
        if (!accepted && bestT > 0) {
          t = bestT;
          accepted = true;
        }
        // The lagged model's promise against what the step delivered.
        // A promise within the objective's rounding (SHORTFALL_FLOOR·|F|) says nothing of it.
        const promise = -(D + 0.5 * this.compact.quad);
        if (compact)
          shortfall = promise > SHORTFALL_FLOOR * Math.abs(f0) && fNew > f0 - 0.5 * promise;
      }
      this.damp = 1;
      if (this.pieceMode) this.holding = true;
      this.pieceMode = false;
      if (!accepted) return "stalled";
      // A lagged Hessian that needed a shorter step, or delivered less than half the decrease
      // its model promised, is formed anew before the next step (GlmCd's rule).
      if (compact) this.compact.served(t < 1 || shortfall);
      this.moveBy(t);
    }
    return "maxNewton";
  }

  private readonly anderson = new Anderson(5);
  private readonly compact: CompactModel;
  /** The model Hessian's block for some features, formed this Newton step (null: none yet). */
  private hessian: { at: Map<number, number>; mat: Float64Array; dim: number } | null = null;
  private readonly scratch = new Map<
    number,
    { cur: Float64Array; rhs: Float64Array; out: Float64Array }
  >();

  /** Scratch for a block of m entries, one set per block size: a pass allocates nothing. */
  private blockScratch(m: number) {
    let s = this.scratch.get(m);
    if (!s) {
      s = { cur: new Float64Array(m), rhs: new Float64Array(m), out: new Float64Array(m) };
      this.scratch.set(m, s);
    }
    return s;
  }
  /**
   * Levenberg–Marquardt damping of the coordinate model: the curvature of each entry times damp
   * (1: the exact Newton model). Raised when a step fails the line search (a non-convex penalty's
   * model minimizer can lie in another basin than F's), so the step shrinks toward a proximal
   * gradient step, which always descends.
   */
  private damp = 1;
  /**
   * A nonconvex penalty's retried step (after one whose global coordinate minimizers failed the
   * line search: a jump into another basin of the model, which is wrong far away): a coordinate
   * strictly inside a piece of the penalty on which its model is convex stays on that piece
   * (`piece`: from, to, slope, curvature per unit; to < 0 where not held), any other gains the
   * proximal weight `proxW` that makes its model convex. The model is then one convex function
   * of the step, so its coordinate descent descends (SparseGlmCd.damp, for the sparse route).
   */
  private pieceMode = false;
  /** The current point took a held step: its later steps start held. */
  private holding = false;
  private piece = new Float64Array(0);
  private proxW = new Float64Array(0);

  /** Sets each strong unit's piece or proximal weight for pieceMode (curvatures formed). */
  private holdPieces(list: number[], lam: number): void {
    const pen = this.s.penalty;
    if (pen.kind !== "coordinate") return;
    const K = this.K;
    if (this.piece.length < 4 * this.nUnits) {
      this.piece = new Float64Array(4 * this.nUnits);
      this.proxW = new Float64Array(this.nUnits);
    }
    const rho = pen.concavity ?? 0;
    for (const u of list) {
      const j = (u / K) | 0;
      const a = this.beta[u];
      const h0 = this.curv[u];
      this.piece[4 * u + 1] = -1;
      this.proxW[u] = 0;
      const at = a !== 0 ? pen.local(a, j, lam) : null;
      const from = at?.from ?? 0;
      const to = at?.to ?? Infinity;
      if (at && h0 + at.curv > 0 && Math.abs(a) > from && Math.abs(a) < to) {
        this.piece[4 * u] = from;
        this.piece[4 * u + 1] = to;
        this.piece[4 * u + 2] = at.slope;
        this.piece[4 * u + 3] = at.curv;
      } else this.proxW[u] = Math.max(1.01 * rho - h0, 0);
    }
  }

  /**
   * A unit's update in pieceMode: the minimizer of (h/2)b² − v·b plus the penalty's quadratic on
   * the anchor's piece, held to the piece (convex there, so the clamped point is the minimizer).
   */
  private pieceUpdate(u: number, v: number, h: number): number {
    const a = this.beta[u];
    const slope = this.piece[4 * u + 2];
    const curv = this.piece[4 * u + 3];
    const sign = a > 0 ? 1 : -1;
    const mag = (sign * (v - slope + curv * a)) / (h + curv);
    const from = this.piece[4 * u];
    const to = this.piece[4 * u + 1];
    return sign * (mag < from ? from : mag > to ? to : mag);
  }
  private extra = new Float64Array(0);
  private saved = new Float64Array(0);

  /** The entries of Δ Anderson extrapolates: the units of `list` and the intercepts. */
  private andersonIndex(list: number[]): Int32Array {
    const { p, intercept } = this.s;
    const K = this.K;
    const idx: number[] = [...list];
    if (intercept) for (let c = 0; c < K; c++) idx.push(p * K + c);
    return Int32Array.from(idx);
  }

  /** The model objective −gᵀΔ + ½zᵀHz + Σ pen(B + Δ) over the entries `idx`. */
  private modelObjective(idx: Int32Array, lam: number): number {
    const pen = this.s.penalty;
    const K = this.K;
    const p = this.s.p;
    let f = this.s.datafit.stepCurvature();
    for (let t = 0; t < idx.length; t++) {
      const k = idx[t];
      const d = this.delta[k];
      f -= this.grad[k] * d;
      f += 0.5 * (this.damp - 1) * this.curv[k] * d * d;
      if (this.pieceMode && k < p * K) f += 0.5 * this.proxW[k] * d * d;
      const j = (k / K) | 0;
      if (j < p && pen.kind === "coordinate") {
        const b = this.beta[k] + d;
        if (b !== 0) f += pen.value(b, j, lam);
      }
    }
    return f;
  }

  /** Rebuilds the step z = X̃Δ from Δ on the entries `idx`. */
  private rebuildStep(idx: Int32Array): void {
    const { xs, datafit } = this.s;
    const K = this.K;
    datafit.resetStep();
    for (let t = 0; t < idx.length; t++) {
      const k = idx[t];
      const d = this.delta[k];
      if (d === 0) continue;
      const j = (k / K) | 0;
      datafit.move(xs, this.s.design.off(j), k - j * K, d);
    }
  }

  /**
   * Anderson extrapolation of the coordinate-descent iterates of Δ (Bertrand & Massias 2021, as
   * skglm), kept only when it lowers the model objective (and respects each entry's limits).
   */
  private tryExtrapolated(idx: Int32Array, lam: number): void {
    const w = idx.length;
    if (this.extra.length < w) {
      this.extra = new Float64Array(2 * w);
      this.saved = new Float64Array(2 * w);
    }
    if (!this.anderson.extrapolate(this.extra)) return;
    const pen = this.s.penalty;
    if (pen.kind !== "coordinate") return;
    const K = this.K;
    const before = this.modelObjective(idx, lam);
    for (let t = 0; t < w; t++) this.saved[t] = this.delta[idx[t]];
    for (let t = 0; t < w; t++) {
      const k = idx[t];
      const j = (k / K) | 0;
      // An extrapolated entry must stay where its penalty is finite (inside the box limits).
      if (j < this.s.p && !Number.isFinite(pen.value(this.beta[k] + this.extra[t], j, lam))) return;
    }
    for (let t = 0; t < w; t++) this.delta[idx[t]] = this.extra[t];
    this.rebuildStep(idx);
    if (this.modelObjective(idx, lam) < before) return;
    for (let t = 0; t < w; t++) this.delta[idx[t]] = this.saved[t];
    this.rebuildStep(idx);
  }

  /**
   * The model solved directly on the non-zero entries `act` and the intercepts, with every
   * entry's sign and penalty region held (the penalty's local quadratic): one Cholesky solve of
   * (H_AA + diag curv) d = −∇model, shortened so that no entry crosses zero, kept only when the
   * model objective falls. Coordinate descent crawls on collinear columns; this lands on the
   * answer once the signs are right (as GlmCd's active-set Newton). Only for coordinate
   * penalties, undamped models, and blocks small enough to form (ENTRY_HESSIAN_BUDGET).
   */
  private directSolve(act: number[], idx: Int32Array, lam: number): boolean {
    const { p, n, xs, datafit, intercept } = this.s;
    const pen = this.s.penalty;
    if (pen.kind !== "coordinate" || this.damp !== 1) return false;
    const K = this.K;
    const entries: number[] = [];
    const slope: number[] = [];
    const curv: number[] = [];
    // In pieceMode, the held entries only, each on its piece (the others stay where they are):
    // signed bounds [lo, hi] of the piece, which the solve's steps may not leave.
    const lo: number[] = [];
    const hi: number[] = [];
    for (const u of act) {
      const b = this.beta[u] + this.delta[u];
      if (this.pieceMode) {
        if (this.piece[4 * u + 1] < 0 || b === 0) continue;
        const sign = this.beta[u] > 0 ? 1 : -1;
        const from = this.piece[4 * u];
        const to = this.piece[4 * u + 1];
        entries.push(u);
        slope.push(this.piece[4 * u + 2]);
        curv.push(this.piece[4 * u + 3]);
        lo.push(sign > 0 ? from : -to);
        hi.push(sign > 0 ? to : -from);
        continue;
      }
      const loc = b === 0 ? null : pen.local(b, (u / K) | 0, lam);
      if (!loc) continue;
      entries.push(u);
      slope.push(loc.slope);
      curv.push(loc.curv);
      lo.push(-Infinity);
      hi.push(Infinity);
    }
    if (intercept)
      for (let c = 0; c < K; c++) {
        entries.push(p * K + c);
        slope.push(0);
        curv.push(0);
        lo.push(-Infinity);
        hi.push(Infinity);
      }
    const m = entries.length;
    if (m < 2) return false;
    // The model Hessian is fixed within a Newton step: formed once for the entries asked so far.
    let hc = this.hessian;
    if (!hc || entries.some((k) => !hc!.at.has(k))) {
      const all = hc ? [...new Set([...hc.at.keys(), ...entries])] : entries;
      const dim = all.length;
      if (n * dim * dim > ENTRY_HESSIAN_BUDGET || n * dim > ENTRY_HESSIAN_MEMORY) return false;
      const mat = new Float64Array(dim * dim);
      datafit.entryHessian(
        xs,
        Int32Array.from(all, (k) => this.s.design.off((k / K) | 0)),
        Int32Array.from(all, (k) => k % K),
        dim,
        mat,
      );
      hc = this.hessian = { at: new Map(all.map((k, a) => [k, a])), mat, dim };
    }
    const { at, mat: H, dim: HK } = hc;
    const A = new Float64Array(m * m);
    const d = new Float64Array(m);
    const row = entries.map((k) => at.get(k) as number);
    for (let a = 0; a < m; a++) {
      const k = entries[a];
      const j = (k / K) | 0;
      d[a] = datafit.modelGradient(xs, this.s.design.off(j), k - j * K) - slope[a];
      for (let b = 0; b < m; b++) A[a * m + b] = H[row[a] * HK + row[b]];
      A[a * m + a] += curv[a];
    }
    // Active-set iterations on the model: solve, go as far as the first entry reaching zero,
    // drop the entries that did and solve again on the rest (the model gradient updated through
    // the Hessian, which is exact for a quadratic), until a solve changes no sign.
    const total = new Float64Array(m);
    const applied = new Float64Array(m);
    const penalized = entries.map((k) => ((k / K) | 0) !== p);
    const value = (a: number) => this.beta[entries[a]] + this.delta[entries[a]] + total[a];
    let live = Array.from({ length: m }, (_, a) => a);
    for (let round = 0; round < MAX_ACTIVE_ROUNDS && live.length > 0; round++) {
      const L = live.length;
      const sub = new Float64Array(L * L);
      const rhs = new Float64Array(L);
      for (let u = 0; u < L; u++) {
        rhs[u] = d[live[u]];
        for (let v = 0; v < L; v++) sub[u * L + v] = A[live[u] * m + live[v]];
      }
      try {
        choleskySolveInPlace(sub, L, rhs, 1e-12);
      } catch {
        if (round === 0) return false; // indefinite (a non-convex penalty's negative curvature)
        break;
      }
      let tau = 1;
      for (let u = 0; u < L; u++) {
        const a = live[u];
        const b = value(a);
        if (penalized[a] && b * (b + rhs[u]) < 0) tau = Math.min(tau, -b / rhs[u]);
        // (A held entry stops at its piece's ends.)
        if (b + rhs[u] > hi[a]) tau = Math.min(tau, (hi[a] - b) / rhs[u]);
        else if (b + rhs[u] < lo[a]) tau = Math.min(tau, (lo[a] - b) / rhs[u]);
      }
      tau = Math.max(tau, 0);
      applied.fill(0);
      const atEnd = new Uint8Array(m);
      for (let u = 0; u < L; u++) {
        const a = live[u];
        const b = value(a);
        let nb = b + tau * rhs[u];
        if (penalized[a] && b * nb <= 0) nb = 0;
        if (nb >= hi[a]) [nb, atEnd[a]] = [hi[a], 1];
        else if (nb <= lo[a]) [nb, atEnd[a]] = [lo[a], 1];
        applied[a] = nb - b;
        total[a] += nb - b;
      }
      if (tau === 1) break;
      // The model gradient after the applied move: d ← d − A·applied (over every entry).
      for (let a = 0; a < m; a++) {
        let sum = 0;
        for (const c of live) sum += A[a * m + c] * applied[c];
        d[a] -= sum;
      }
      live = live.filter((a) => !atEnd[a] && (!penalized[a] || value(a) !== 0));
    }
    const before = this.modelObjective(idx, lam);
    const saved = Float64Array.from(entries, (k) => this.delta[k]);
    for (let a = 0; a < m; a++) {
      const step = total[a];
      if (step === 0) continue;
      const k = entries[a];
      const j = (k / K) | 0;
      this.delta[k] += step;
      datafit.move(xs, this.s.design.off(j), k - j * K, step);
    }
    if (this.modelObjective(idx, lam) < before - 1e-15 * Math.abs(before)) return true;
    entries.forEach((k, a) => (this.delta[k] = saved[a]));
    this.rebuildStep(idx);
    return false;
  }

  /** The model's KKT violation at B + Δ over the units of `list` and the intercepts. */
  private modelViolation(list: number[], lam: number): number {
    const { p, xs, datafit, intercept } = this.s;
    const pen = this.s.penalty;
    const K = this.K;
    let v = 0;
    const extra = (k: number) =>
      ((this.damp - 1) * this.curv[k] + (this.pieceMode && k < p * K ? this.proxW[k] : 0)) *
      this.delta[k];
    if (intercept)
      for (let c = 0; c < K; c++)
        v = Math.max(
          v,
          Math.abs(datafit.modelGradient(xs, this.s.design.off(p), c) - extra(p * K + c)),
        );
    for (const u of list) {
      if (pen.kind === "coordinate") {
        const j = (u / K) | 0;
        const gm = datafit.modelGradient(xs, this.s.design.off(j), u - j * K) - extra(u);
        const b = this.beta[u] + this.delta[u];
        if (this.pieceMode && this.piece[4 * u + 1] >= 0) {
          // Held to its piece: how far the next update would move it, in gradient units.
          const hm = this.damp * this.curv[u];
          const move = this.pieceUpdate(u, hm * b + gm, hm) - b;
          v = Math.max(v, Math.abs((hm + this.piece[4 * u + 3]) * move));
        } else v = Math.max(v, pen.subdiffDistance(b, gm, j, lam));
      } else {
        const feats = this.groupFeatures[u];
        const g = new Float64Array(feats.length * K);
        for (let a = 0; a < feats.length; a++)
          for (let c = 0; c < K; c++)
            g[a * K + c] = datafit.modelGradient(xs, this.s.design.off(feats[a]), c);
        v = Math.max(v, pen.subdiffDistance(this.block(u, this.beta, 1), g, u, lam));
      }
    }
    return v;
  }

  private stepActive(u: number): boolean {
    const K = this.K;
    if (this.s.penalty.kind === "coordinate") return this.beta[u] + this.delta[u] !== 0;
    for (const j of this.groupFeatures[u])
      for (let c = 0; c < K; c++)
        if (this.beta[j * K + c] + this.delta[j * K + c] !== 0) return true;
    return false;
  }

  /** One pass of (block) coordinate descent on the model; returns the largest |H·move|. */
  private pass(list: number[], lam: number): number {
    const { p, n, xs, datafit, intercept } = this.s;
    const slotOf = this.s.design.slotOf;
    const pen = this.s.penalty;
    const K = this.K;
    this.passes++;
    let moved = 0;
    if (intercept) {
      const ones = this.s.design.off(p);
      for (let c = 0; c < K; c++) {
        const k = p * K + c;
        const gm =
          datafit.modelGradient(xs, ones, c) - (this.damp - 1) * this.curv[k] * this.delta[k];
        const d = gm / (this.damp * this.curv[k]);
        if (d !== 0) {
          this.delta[p * K + c] += d;
          datafit.move(xs, ones, c, d);
          moved = Math.max(moved, Math.abs(gm));
        }
      }
    }
    if (pen.kind === "coordinate") {
      for (let t = 0; t < list.length; t++) {
        const u = list[t];
        const j = (u / K) | 0;
        const c = u - j * K;
        const off = slotOf[j] * n;
        const h0 = this.curv[u];
        const w = this.pieceMode ? this.proxW[u] : 0;
        const gm = datafit.modelGradient(xs, off, c) - ((this.damp - 1) * h0 + w) * this.delta[u];
        const h = this.damp * h0 + w;
        const b = this.beta[u] + this.delta[u];
        const bn =
          this.pieceMode && this.piece[4 * u + 1] >= 0
            ? this.pieceUpdate(u, h * b + gm, h)
            : pen.update(h * b + gm, h, j, lam);
        const d = bn - b;
        if (d !== 0) {
          this.delta[u] += d;
          datafit.move(xs, off, c, d);
          const hd = Math.abs(h * d);
          if (hd > moved) moved = hd;
        }
      }
      return moved;
    }
    for (const u of list) {
      const offs = this.groupOffs[u];
      const feats = this.groupFeatures[u];
      const m = offs.length * K;
      const h = this.blockH[u] as Float64Array;
      const eig = this.blockEig[u] as { values: Float64Array; vectors: Float64Array };
      const { cur, rhs, out } = this.blockScratch(m);
      for (let a = 0; a < offs.length; a++)
        for (let c = 0; c < K; c++) {
          const k = feats[a] * K + c;
          cur[a * K + c] = this.beta[k] + this.delta[k];
          rhs[a * K + c] = datafit.modelGradient(xs, offs[a], c);
        }
      for (let a = 0; a < m; a++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += h[a * m + b] * cur[b];
        rhs[a] += s;
      }
      pen.update(h, eig.values, eig.vectors, rhs, u, lam, out);
      let any = false;
      for (let a = 0; a < m; a++) if (out[a] !== cur[a]) any = true;
      if (!any) continue;
      for (let a = 0; a < offs.length; a++)
        for (let c = 0; c < K; c++) {
          const d = out[a * K + c] - cur[a * K + c];
          if (d === 0) continue;
          this.delta[feats[a] * K + c] += d;
          datafit.move(xs, offs[a], c, d);
        }
      for (let a = 0; a < m; a++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += h[a * m + b] * (out[b] - cur[b]);
        if (Math.abs(s) > moved) moved = Math.abs(s);
      }
    }
    return moved;
  }
}
