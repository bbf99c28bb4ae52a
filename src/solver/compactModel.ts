import type { CoordinatePenalty, GroupPenalty } from "../core/penalty.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { groupBlockSolve } from "../penalty/groupLasso.js";
import { passKernel } from "../wasm/heap.js";
import { Anderson } from "./anderson.js";
import { CompactActiveSet } from "./compactActiveSet.js";
import type { ProxNewtonSetup } from "./proxNewton.js";

/** Largest compact Hessian (n·slots² multiply-adds to form), and the steps it serves at most. */
const COMPACT_BUDGET = 2e9;
const COMPACT_REFRESH = 16;
/**
 * Steps a lagged compact Hessian serves: COMPACT_REFRESH, or every other step on a small problem
 * (n·p·K and n·na²/2, for na slots, both at most SMALL: forming the Hessian then costs about two
 * steps, mostly fixed costs). The lung data (168 × 7) takes 40 % fewer steps in 0.95 × the time;
 * larger problems lose by it (4000 × 100: every 8 steps 1.2 ×, every 2 steps 2.3 × the time;
 * 500 × 2000, every 2 steps while its slots are few: 1.2 ×).
 */
const SMALL = 2 ** 15;
const refreshAge = (n: number, p: number, K: number, na: number) =>
  n * p * K <= SMALL && (n * na * na) / 2 <= SMALL ? 2 : COMPACT_REFRESH;
/**
 * Relative ridge on the compact Hessian's diagonal: the multinomial's is singular along each
 * feature's all-classes direction (the softmax ignores it) and the intercepts'; any positive
 * definite H keeps the fixed point, since the gradient is exact.
 */
const COMPACT_RIDGE = 1e-8;
interface Block {
  h: Float64Array;
  values: Float64Array;
  vectors: Float64Array;
  cur: Float64Array;
  rhs: Float64Array;
  out: Float64Array;
}

/**
 * The compact model step of the proximal-Newton solver for the elastic net (GlmCd's design for
 * any datafit): the slotted entries, the CompactActiveSet holding their lagged Hessian, and its
 * age. ProxNewton asks for a step and reports how the step served.
 */
export class CompactModel {
  /** Slotted entries (append-only): every entry ever strong, and the intercepts. */
  readonly slots: number[] = [];
  /** Coordinate passes of the compact solver (added to the caller's count). */
  passes = 0;
  /** ΔᵀH_refΔ of the last step. */
  quad = 0;
  private set: CompactActiveSet | null = null;
  private slotOf: Int32Array | null = null;
  /** Newton steps since the reference Hessian was formed (−1: form it at the next step). */
  private age = -1;
  /** Group penalties: each slotted group's first slot (its slots are contiguous). */
  private readonly groupStart = new Map<number, number>();
  /** Group penalties: each block's H_SS and eigen-decomposition at the reference (−1: intercepts). */
  private readonly blocks = new Map<number, Block>();
  private readonly anderson = new Anderson(5);
  private ext = new Float64Array(0);
  private saved = new Float64Array(0);
  /** Scratch for the whole reference Hessian (grown as slots are added). */
  private mat = new Float64Array(0);

  constructor(
    private readonly s: ProxNewtonSetup,
    private readonly K: number,
  ) {}

  /**
   * After the line search: a step that needed shortening, or delivered less than half the
   * decrease its model promised, renews the reference Hessian before the next step.
   */
  /** Hands the active set's WebAssembly memories back for reuse (the model is not used after). */
  release(): void {
    this.set?.release();
    this.set = null;
  }

  /**
   * Renews the reference Hessian before the next step when that costs less than the steps the
   * lagged one still needs. A lagged model converges linearly: at the last step's contraction
   * ρ = kkt/prev, about ln(kkt/tol)/ln(1/ρ) more steps; a fresh (exact) one takes about two.
   * The costs are multiply-add counts, so the choice is deterministic: a step about
   * n·K·(features + 24) (gradients, the softmax, the line search) plus 3·na² (the compact
   * solve), a renewal n·na²/2·(1 + 1/K) on kernels about four times as fast per multiply-add
   * (measured on the digits: a renewal costs 8.4 steps, the cost model says 7.6; 846 × 18 with
   * 4 classes: 2 and 1.6).
   */
  renewIfSlow(kkt: number, prev: number, tol: number, features: number): void {
    if (this.age <= 0 || !(kkt > tol) || !Number.isFinite(prev)) return;
    const { n } = this.s;
    const K = this.K;
    const na = this.slots.length;
    const rho = kkt / prev;
    const left = rho >= 1 ? Infinity : Math.log(kkt / tol) / Math.log(1 / rho);
    const step = n * K * (features + 24) + 3 * na * na;
    const renewal = (n * na * na * (1 + 1 / K)) / 8;
    if ((left - 2) * step > renewal) this.age = -1;
  }

  served(shortened: boolean): void {
    this.age = shortened ? -1 : this.age + 1;
  }

  /**
   * The model step by the compact active-set solve (as GlmCd's): every entry ever strong, and
   * the intercepts, get a slot; the model Hessian over the slots is formed at a reference point
   * (datafit.setReference) and kept while it serves — new slots get their rows at the reference,
   * a step that needs shortening or refreshAge steps renew it — and the model
   * −gᵀΔ + ½ΔᵀH_refΔ + pen(B + Δ), with g the exact gradient, is minimized exactly by
   * CompactActiveSet's active-set Newton iterations. With g exact the fixed point is the optimum
   * whatever H_ref is. Sets Δ and the step z; false where it does not apply (penalties other than
   * the elastic net, too many slots to form).
   */
  step(
    strongList: number[],
    lam: number,
    grad: Float64Array,
    beta: Float64Array,
    delta: Float64Array,
    forcing: number,
  ): boolean {
    const { p, n, xs, datafit, intercept, include } = this.s;
    const pen = this.s.penalty;
    if (!Number.isFinite(lam)) return false;
    const enet = pen.kind === "coordinate" ? pen.enet?.bind(pen) : undefined;
    if (pen.kind === "coordinate" && !enet) return false;
    const K = this.K;
    const slotOf = (this.slotOf ??= new Int32Array((p + 1) * K).fill(-1));
    // The entries asked for: a coordinate penalty's strong entries, a group penalty's strong
    // groups (each group's included features × K, in block order, so its slots are contiguous).
    const want: number[] = [];
    if (pen.kind === "coordinate") want.push(...strongList);
    else
      for (const u of strongList) {
        if (this.groupStart.has(u)) continue;
        for (const j of pen.groups[u]) {
          if (!include[j]) continue;
          for (let c = 0; c < K; c++) want.push(j * K + c);
        }
      }
    if (intercept) for (let c = 0; c < K; c++) want.push(p * K + c);
    const fresh: number[] = [];
    for (const u of want) if (slotOf[u] < 0) fresh.push(u);
    const na = this.slots.length + fresh.length;
    if (n * na * na > COMPACT_BUDGET) return false;
    for (const u of fresh) {
      slotOf[u] = this.slots.length;
      this.slots.push(u);
    }
    if (pen.kind === "group")
      for (const u of strongList) {
        const first = pen.groups[u].find((j) => include[j] === 1);
        if (first !== undefined && !this.groupStart.has(u))
          this.groupStart.set(u, slotOf[first * K]);
      }
    const slots = this.slots;
    const c = (this.set ??= new CompactActiveSet((p + 1) * K, this.thr()));
    // (Loops: a typed array's `from` with a map function is slow in V8.)
    const columnSlot = this.s.design.slotOf;
    const offs = (list: number[]) => {
      const out = new Int32Array(list.length);
      for (let l = 0; l < list.length; l++) out[l] = columnSlot[(list[l] / K) | 0] * n;
      return out;
    };
    const cls = (list: number[]) => {
      const out = new Int32Array(list.length);
      for (let l = 0; l < list.length; l++) out[l] = list[l] % K;
      return out;
    };
    if (this.age < 0 || this.age >= refreshAge(n, p, K, na)) {
      datafit.setReference();
      c.invalidate();
      this.blocks.clear();
      this.age = 0;
    }
    if (c.filled < na) {
      const known = c.filled;
      if (known === 0) {
        // One buffer for the path (a fresh one per renewal costs its pages' first touch).
        if (this.mat.length < na * na)
          this.mat = new Float64Array(Math.max(na * na, 2 * this.mat.length));
        const mat = this.mat.subarray(0, na * na);
        if (datafit.referenceHessian)
          datafit.referenceHessian(xs, offs(slots), cls(slots), na, mat);
        else datafit.entryHessian(xs, offs(slots), cls(slots), na, mat);
        c.fillAll(na, mat, COMPACT_RIDGE);
      } else {
        const added = slots.slice(known);
        const block = new Float64Array(added.length * na);
        datafit.entryBlock(
          xs,
          offs(added),
          cls(added),
          added.length,
          offs(slots),
          cls(slots),
          na,
          block,
        );
        c.grow(na, (l, out) => {
          out.set(block.subarray((l - known) * na, (l - known + 1) * na));
          out[l] *= 1 + COMPACT_RIDGE;
        });
      }
    }
    for (let l = 0; l < na; l++) {
      const u = slots[l];
      c.g[l] = grad[u];
      c.b[l] = beta[u];
    }
    if (pen.kind === "group") this.blockSolve(c, na, lam, pen, forcing);
    else if (enet) this.enetSolve(c, na, lam, enet);
    // ΔᵀH_refΔ = Δᵀ(g − c.g): after converging, c.g = g0 − H_ref(b + Δ) = g − H_refΔ.
    let quad = 0;
    for (let l = 0; l < na; l++) {
      const u = slots[l];
      const d = c.b[l] - beta[u];
      if (d === 0) continue;
      delta[u] = d;
      quad += d * (grad[u] - c.g[l]);
    }
    this.quad = quad;
    this.buildStep(slots, na, delta);
    return true;
  }

  /** The groups with slots (they stay in the strong set: the compact solve may move them). */
  slottedGroups(): Iterable<number> {
    return this.groupStart.keys();
  }

  /** glmnet's convergence threshold on max ΔᵀHΔ of one pass. */
  private thr(): number {
    return (this.s.kktTol / 100) * this.s.datafit.nullDeviance;
  }

  /** The elastic net's model by CompactActiveSet's active-set Newton iterations. */
  private enetSolve(
    c: CompactActiveSet,
    na: number,
    lam: number,
    enet: NonNullable<CoordinatePenalty["enet"]>,
  ): void {
    const { p } = this.s;
    const K = this.K;
    for (let l = 0; l < na; l++) {
      const u = this.slots[l];
      const j = (u / K) | 0;
      c.xv[l] = c.gram[l * c.cap + l];
      if (j === p) {
        c.kappa[l] = 0;
        c.mu[l] = 0;
        c.lo[l] = -Infinity;
        c.hi[l] = Infinity;
      } else {
        const e = enet(j, lam);
        c.kappa[l] = e.kappa;
        c.mu[l] = e.mu;
        c.lo[l] = e.lo;
        c.hi[l] = e.hi;
      }
    }
    c.linearTerm(na);
    c.passes = this.passes;
    c.converge(na, lam, this.passes + this.s.maxPasses, true);
    this.passes = c.passes;
  }

  /**
   * A group penalty's model by block coordinate descent in covariance form (glmnet's grouped
   * multinomial and grpreg's group descent, on the lagged Hessian): each group's block is
   * minimized exactly — argmin ½dᵀH_SSd − uᵀd + pen_g by the penalty's block solve on H_SS's
   * eigen-decomposition (kept per reference), the intercepts' unpenalized block likewise — and
   * the model gradient c.g follows each move through H's rows, so a pass costs O(slots × block)
   * and never touches the n rows. Stops when a pass moves no block by ΔᵀH_SSΔ ≥ thr.
   */
  private blockSolve(
    c: CompactActiveSet,
    na: number,
    lam: number,
    pen: GroupPenalty,
    forcing: number,
  ): void {
    const { p, intercept } = this.s;
    const K = this.K;
    const { gram: H, cap } = c;
    const thr = this.thr();
    const units: [number, number, number][] = [];
    for (const [u, at] of this.groupStart) units.push([u, at, this.blockSize(u)]);
    if (intercept) units.push([-1, this.slotOf![p * K], K]);
    const limit = this.passes + this.s.maxPasses;
    c.linearTerm(na);
    const anderson = this.anderson;
    anderson.reset(na);
    let skip = 0;
    let backoff = 1;
    for (;;) {
      this.passes++;
      let moved = 0;
      for (const [u, s, m] of units) {
        const blk = this.blockAt(u, s, m, H, cap);
        const { cur, rhs, out } = blk;
        for (let a = 0; a < m; a++) cur[a] = c.b[s + a];
        for (let a = 0; a < m; a++) {
          let t = c.g[s + a];
          const row = (s + a) * cap + s;
          for (let b = 0; b < m; b++) t += H[row + b] * cur[b];
          rhs[a] = t;
        }
        // The intercepts' block is unpenalized: its minimizer on the same eigen-decomposition.
        if (u < 0) groupBlockSolve(blk.h, blk.values, blk.vectors, m, rhs, 0, 0, out);
        else pen.update(blk.h, blk.values, blk.vectors, rhs, u, lam, out);
        let dhd = 0;
        let any = false;
        for (let a = 0; a < m; a++) {
          const d = (cur[a] = out[a] - cur[a]);
          if (d === 0) continue;
          any = true;
          c.b[s + a] = out[a];
        }
        if (!any) continue;
        // c.g −= H[:, S]·d over every slot (H symmetric: rows S).
        for (let a = 0; a < m; a++) {
          const d = cur[a];
          if (d === 0) continue;
          const row = (s + a) * cap;
          c.moveGradient(s + a, d, na);
          let hd = 0;
          for (let b = 0; b < m; b++) hd += H[row + s + b] * cur[b];
          dhd += d * hd;
        }
        if (dhd > moved) moved = dhd;
      }
      if (this.passes > limit) return;
      if (moved < thr && this.modelViolation(c, units, lam, pen) <= forcing) return;
      // Anderson extrapolation of the passes' iterates, kept when it lowers the model (after a
      // rejection skip 1, 2, 4, … sequences, as CompactActiveSet's cdLoop).
      if (anderson.pushCompact(c.b)) {
        if (skip > 0) {
          skip--;
          anderson.reset(na);
        } else if (this.tryExtrapolated(c, na, units, lam, pen)) backoff = 1;
        else {
          skip = backoff;
          backoff *= 2;
        }
      }
    }
  }

  /** The model −g0ᵀb + ½bᵀHb + pen(b) at b with gradient g = g0 − Hb, up to a constant. */
  private modelObjective(
    b: Float64Array,
    g: Float64Array,
    g0: Float64Array,
    na: number,
    units: [number, number, number][],
    lam: number,
    pen: GroupPenalty,
  ): number {
    let f = 0;
    for (let l = 0; l < na; l++) f -= 0.5 * b[l] * (g0[l] + g[l]);
    for (const [u, s, m] of units) if (u >= 0) f += pen.value(b.subarray(s, s + m), u, lam);
    return f;
  }

  /** Accepts the Anderson-extrapolated point if it lowers the model; c.g then exact again. */
  private tryExtrapolated(
    c: CompactActiveSet,
    na: number,
    units: [number, number, number][],
    lam: number,
    pen: GroupPenalty,
  ): boolean {
    if (this.ext.length < na) {
      this.ext = new Float64Array(c.cap);
      this.saved = new Float64Array(2 * c.cap);
    }
    const { ext, saved } = this;
    if (!this.anderson.extrapolate(ext)) return false;
    const fCur = this.modelObjective(c.b, c.g, c.g0, na, units, lam, pen);
    saved.set(c.b.subarray(0, na));
    saved.set(c.g.subarray(0, na), na);
    c.b.set(ext.subarray(0, na));
    c.gradient(na);
    if (this.modelObjective(c.b, c.g, c.g0, na, units, lam, pen) < fCur) return true;
    c.b.set(saved.subarray(0, na));
    c.g.set(saved.subarray(na, 2 * na));
    return false;
  }

  /** The model's KKT violation at c.b (c.g its exact negative gradient there). */
  private modelViolation(
    c: CompactActiveSet,
    units: [number, number, number][],
    lam: number,
    pen: GroupPenalty,
  ): number {
    let v = 0;
    for (const [u, s, m] of units) {
      if (u < 0) {
        for (let a = 0; a < m; a++) v = Math.max(v, Math.abs(c.g[s + a]));
        continue;
      }
      const dist = pen.subdiffDistance(c.b.subarray(s, s + m), c.g.subarray(s, s + m), u, lam);
      if (dist > v) v = dist;
    }
    return v;
  }

  /** Slots per group: its included features × K. */
  private blockSize(u: number): number {
    const pen = this.s.penalty as GroupPenalty;
    let m = 0;
    for (const j of pen.groups[u]) if (this.s.include[j]) m += this.K;
    return m;
  }

  /** A block's H_SS (from the reference Hessian) with its eigen-decomposition, and scratch. */
  private blockAt(u: number, s: number, m: number, H: Float64Array, cap: number): Block {
    let blk = this.blocks.get(u);
    if (blk) return blk;
    const h = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) h[a * m + b] = H[(s + a) * cap + s + b];
    const eig = symmetricEigen(h, m);
    blk = {
      h,
      values: eig.values,
      vectors: eig.vectors,
      cur: new Float64Array(m),
      rhs: new Float64Array(m),
      out: new Float64Array(m),
    };
    this.blocks.set(u, blk);
    return blk;
  }

  /**
   * The step z = X̃Δ over the entries `list`, from a zero step (the callers reset it): per class
   * one axpys kernel call over the heap's design (datafit.stepSet then refreshes what the model
   * keeps), or a move per entry.
   */
  buildStep(list: number[], count: number, delta: Float64Array): void {
    const { heap, n, xs, datafit } = this.s;
    const K = this.K;
    const kernel = heap ? passKernel(heap) : null;
    if (!heap || !kernel) {
      for (let l = 0; l < count; l++) {
        const u = list[l];
        const d = delta[u];
        if (d === 0) continue;
        const j = (u / K) | 0;
        datafit.move(xs, this.s.design.off(j), u - j * K, d);
      }
      return;
    }
    const f = heap.f64;
    const design = this.s.design;
    const slot = design.vector;
    const res = design.results;
    const listOff = design.indices;
    const columnSlot = design.slotOf;
    const z = datafit.step;
    for (let c = 0; c < K; c++) {
      let m = 0;
      for (let l = 0; l < count; l++) {
        const u = list[l];
        const d = delta[u];
        if (d === 0 || u % K !== c) continue;
        kernel.i32[listOff + m] = columnSlot[(u / K) | 0];
        f[res + m++] = -d; // axpys subtracts
      }
      if (m === 0) continue;
      f.fill(0, slot, slot + n);
      kernel.axpys(listOff, res, m, 0, n, slot);
      z.set(f.subarray(slot, slot + n), c * n);
    }
    datafit.stepSet();
  }
}
