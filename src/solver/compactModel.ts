import { passKernel } from "../wasm/heap.js";
import { CompactActiveSet } from "./compactActiveSet.js";
import type { ProxNewtonSetup } from "./proxNewton.js";

/** Largest compact Hessian (n·slots² multiply-adds to form), and the steps it serves at most. */
const COMPACT_BUDGET = 2e9;
const COMPACT_REFRESH = 16;
/**
 * Relative ridge on the compact Hessian's diagonal: the multinomial's is singular along each
 * feature's all-classes direction (the softmax ignores it) and the intercepts'; any positive
 * definite H keeps the fixed point, since the gradient is exact.
 */
const COMPACT_RIDGE = 1e-8;
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

  constructor(
    private readonly s: ProxNewtonSetup,
    private readonly K: number,
  ) {}

  /**
   * After the line search: a step that needed shortening, or delivered less than half the
   * decrease its model promised, renews the reference Hessian before the next step.
   */
  served(shortened: boolean): void {
    this.age = shortened ? -1 : this.age + 1;
  }

  /**
   * The model step by the compact active-set solve (as GlmCd's): every entry ever strong, and
   * the intercepts, get a slot; the model Hessian over the slots is formed at a reference point
   * (datafit.setReference) and kept while it serves — new slots get their rows at the reference,
   * a step that needs shortening or COMPACT_REFRESH steps renew it — and the model
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
  ): boolean {
    const { p, n, xs, datafit, intercept } = this.s;
    const pen = this.s.penalty;
    if (pen.kind !== "coordinate" || !pen.enet || !Number.isFinite(lam)) return false;
    const K = this.K;
    const slotOf = (this.slotOf ??= new Int32Array((p + 1) * K).fill(-1));
    const fresh: number[] = [];
    const want = intercept
      ? [...strongList, ...Array.from({ length: K }, (_, c) => p * K + c)]
      : strongList;
    for (const u of want) if (slotOf[u] < 0) fresh.push(u);
    const na = this.slots.length + fresh.length;
    if (n * na * na > COMPACT_BUDGET) return false;
    for (const u of fresh) {
      slotOf[u] = this.slots.length;
      this.slots.push(u);
    }
    const slots = this.slots;
    const c = (this.set ??= new CompactActiveSet(
      (p + 1) * K,
      (this.s.kktTol / 100) * datafit.nullDeviance,
    ));
    const offs = (list: number[]) => Int32Array.from(list, (u) => ((u / K) | 0) * n);
    const cls = (list: number[]) => Int32Array.from(list, (u) => u % K);
    if (this.age < 0 || this.age >= COMPACT_REFRESH) {
      datafit.setReference();
      c.invalidate();
      this.age = 0;
    }
    if (c.filled < na) {
      const known = c.filled;
      if (known === 0) {
        const mat = new Float64Array(na * na);
        datafit.entryHessian(xs, offs(slots), cls(slots), na, mat);
        c.grow(na, (l, out) => {
          out.set(mat.subarray(l * na, (l + 1) * na));
          out[l] *= 1 + COMPACT_RIDGE;
        });
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
      const j = (u / K) | 0;
      c.g[l] = grad[u];
      c.b[l] = beta[u];
      c.xv[l] = c.gram[l * c.cap + l];
      if (j === p) {
        c.kappa[l] = 0;
        c.mu[l] = 0;
        c.lo[l] = -Infinity;
        c.hi[l] = Infinity;
      } else {
        const e = pen.enet(j, lam);
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

  /**
   * The step z = X̃Δ over the entries `list`: per class one axpys kernel call over the heap's
   * design (datafit.stepSet then refreshes what the model keeps), or a move per entry.
   */
  private buildStep(list: number[], count: number, delta: Float64Array): void {
    const { heap, p, n, xs, datafit } = this.s;
    const K = this.K;
    const kernel = heap ? passKernel(heap) : null;
    if (!heap || !kernel) {
      for (let l = 0; l < count; l++) {
        const u = list[l];
        const d = delta[u];
        if (d === 0) continue;
        const j = (u / K) | 0;
        datafit.move(xs, j * n, u - j * K, d);
      }
      return;
    }
    const f = heap.f64;
    const slot = (p + 1) * n;
    const res = slot + n;
    const listOff = 2 * (res + p + 1);
    const z = datafit.step;
    for (let c = 0; c < K; c++) {
      let m = 0;
      for (let l = 0; l < count; l++) {
        const u = list[l];
        const d = delta[u];
        if (d === 0 || u % K !== c) continue;
        kernel.i32[listOff + m] = (u / K) | 0;
        f[res + m++] = -d; // axpys subtracts
      }
      if (m === 0) continue;
      f.fill(0, slot, slot + n);
      kernel.axpys(listOff, res, m, 0, n, slot);
      for (let i = 0; i < n; i++) z[c * n + i] += f[slot + i];
    }
    datafit.stepSet();
  }
}
