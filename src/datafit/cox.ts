import type { NewtonDatafit } from "../core/datafit.js";
import { weightedCross, weightedGram } from "../wasm/gram.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";
import { CoxReferenceBlocks } from "./coxReference.js";
import { startGroups, strataCodes, timeOrder, type Survival } from "./survivalData.js";
import { DiagonalModel } from "./diagonal.js";

/** Most design values kept in time order by a Cox datafit (2^24: 128 MB). */
const SORTED_CACHE = 2 ** 24;

/** The risk-set quantities at one point: e, the row curvatures' first term, the Hessian rows. */
interface CoxState {
  e: Float64Array;
  diag: Float64Array;
  /** Weights of the rank-one second-term rows (event groups, then Efron's tied-group rows). */
  w2: Float64Array;
  /** Efron's coefficient of the tied deaths' sum in each event group's row (0 for Breslow). */
  rho: Float64Array;
  means: Map<number, Float64Array>;
}

/**
 * The Cox proportional-hazards datafit, as glmnet's coxnet: with ŵ the observation weights
 * normalized to sum 1, δ the event indicators, and for each distinct event time t_g of a stratum
 * the risk sum S_g = Σ_{j at risk at t_g} ŵⱼe^{ηⱼ} (at risk: same stratum, startⱼ < t_g ≤ stopⱼ),
 * the deaths' weight d_g and, for Efron's ties, their risk E_g and number m_g,
 *
 *     Breslow:  f(η) = −Σᵢ ŵᵢδᵢηᵢ + Σ_g d_g log S_g
 *     Efron:    f(η) = −Σᵢ ŵᵢδᵢηᵢ + Σ_g (d_g/m_g) Σ_{l<m_g} log(S_g − (l/m_g)E_g)
 *
 * (−(1/n)·log partial likelihood for unit weights; Efron's as survival::coxph). No intercept.
 * Rows are visited in (stratum, time) order, sorted once; a row's risk-set terms are cumulative
 * sums over the groups from its start to its stop. The gradient and the compact solve's Hessian
 * blocks are exact: diag(π)-weighted cross products minus rank-one terms per event group (two
 * for an Efron tie: α(R − ρD)(R − ρD)ᵀ + (γ − β²/α)DDᵀ with R, D the risk set's and the tied
 * deaths' e-weighted column sums); the coordinate route's row curvatures are the Hessian's
 * diagonal. Deviance 2(f − f_sat), f_sat the saturated model's: Σ_g d_g log d_g (glmnet's), plus
 * Efron's Σ_g (d_g/m_g) log(m_g!/m_g^m_g).
 */
export class CoxDatafit extends DiagonalModel implements NewtonDatafit {
  readonly nullDeviance: number;
  /** Observations in (stratum, stop) order; the weights and weighted events in that order. */
  private readonly order: Int32Array;
  private readonly ws: Float64Array;
  private readonly wd: Float64Array;
  /** Groups (distinct stratum and stop time): first sorted position (n at the end), time, deaths. */
  private readonly starts: Int32Array;
  private readonly gt: Float64Array;
  private readonly dg: Float64Array;
  /** 1 where a group is its stratum's first. */
  private readonly first: Uint8Array;
  /** By sorted row: the event index of the group it starts (−1: none), and 1 where it starts a stratum. */
  private readonly eventAt: Int32Array;
  /** By event group, its first sorted row and its deaths' weight. */
  private readonly eventRow: Int32Array;
  private readonly dE: Float64Array;
  private readonly firstAt: Uint8Array;
  /** Per sorted row, the last group of its stratum with time ≤ its start (−1: none); null: no starts. */
  private readonly startG: Int32Array | null;
  /** The groups with deaths, and Efron's tied ones among them (with their death counts). */
  private readonly events: Int32Array;
  private readonly tied: Int32Array;
  /** Each tied group's position among the event groups. */
  private readonly tiedAt: Int32Array;
  private readonly m: Int32Array;
  private readonly efron: boolean;
  private readonly saturated: number;
  /** Scratch: η and ŵe^{η − shift} in sorted order; per group S, E, a, c, α, β, γ, cumulants. */
  private v: Float64Array;
  private e: Float64Array;
  private readonly Sg: Float64Array;
  private readonly Eg: Float64Array;
  private readonly ga: Float64Array;
  private readonly gc: Float64Array;
  private readonly gal: Float64Array;
  private readonly gbe: Float64Array;
  private readonly gga: Float64Array;
  private readonly cumA: Float64Array;
  private readonly cumB: Float64Array;
  private shift = 0;
  /**
   * Right-censored data without Efron's tied groups: one backward pass gives every risk sum
   * (rows' cumulative sums `cum`), and keep's forward pass adds each event group's terms at its
   * first row (`ar`, `br`: zero elsewhere).
   */
  private readonly simple: boolean;
  private readonly cum: Float64Array;
  private readonly ar: Float64Array;
  private readonly br: Float64Array;
  /**
   * When every event group's death weight is a small multiple of the least (unit weights: the
   * number of tied deaths), that least weight and each group's multiple: the log terms are then
   * summed as logs of products. NaN and null otherwise.
   */
  private readonly dUnit: number;
  private readonly dTimes: Int32Array | null;
  /** Columns of the design in sorted order (sortedColumn), for the design `sortedOf`. */
  private readonly sorted = new Map<number, Float64Array>();
  private sortedOf: Float64Array | null = null;
  private gather: Float64Array | null = null;
  /** The last lossAlong's t and loss (acceptAlong reuses its state). */
  private alongT = NaN;
  private alongF = NaN;
  /** Scratch of exactBlock: a column's e-weighted values in sorted order, and its group sums. */
  private u: Float64Array | null = null;
  private sums: Float64Array | null = null;
  private readonly at: CoxState;
  private readonly ref: CoxState;
  /** True from setReference to the next point: the current state is the reference's. */
  private atReference = false;
  /** The reference's Hessian blocks from a heap kept for the path (CoxReferenceBlocks). */
  private readonly blocks: CoxReferenceBlocks;
  /** onHeap's heap (null: loops): its kernels, stride, and where e and the state's e are. */
  private eHeap: {
    heap: Heap;
    kernel: NonNullable<ReturnType<typeof passKernel>>;
    stride: number;
    eAt: number;
    atAt: number;
  } | null = null;

  constructor(surv: Survival, w: Float64Array, offset: Float64Array) {
    super(surv.time.length);
    const n = this.n;
    const { time, status, start } = surv;
    this.efron = surv.ties === "efron";
    const stratum = strataCodes(surv.strata, n);
    // (Plain loops: a typed array's `from` with a map function, or its sort with a comparator, is
    // many times slower in V8 — a fixed cost of every fit, and of every fold's.)
    const order = (this.order = timeOrder(time, surv.strata ? stratum : null));
    this.ws = new Float64Array(n);
    this.wd = new Float64Array(n);
    for (let q = 0; q < n; q++) {
      const i = order[q];
      this.ws[q] = w[i];
      this.wd[q] = w[i] * status[i];
    }
    const starts: number[] = [];
    const first: number[] = [];
    for (let q = 0; q < n; q++) {
      const i = order[q];
      const j = order[q - 1];
      if (q === 0 || stratum[i] !== stratum[j]) {
        starts.push(q);
        first.push(1);
      } else if (time[i] !== time[j]) {
        starts.push(q);
        first.push(0);
      }
    }
    const G = starts.length;
    starts.push(n);
    this.starts = Int32Array.from(starts);
    this.first = Uint8Array.from(first);
    this.gt = new Float64Array(G);
    for (let g = 0; g < G; g++) this.gt[g] = time[order[starts[g]]];
    this.dg = new Float64Array(G);
    const m = (this.m = new Int32Array(G));
    const events: number[] = [];
    const tied: number[] = [];
    const tiedAt: number[] = [];
    let sat = 0;
    for (let g = 0; g < G; g++) {
      let d = 0;
      for (let q = starts[g]; q < starts[g + 1]; q++)
        if (this.wd[q] > 0) {
          d += this.wd[q];
          m[g]++;
        }
      this.dg[g] = d;
      if (d > 0) {
        events.push(g);
        sat += d * Math.log(d);
        if (this.efron && m[g] > 1) {
          tied.push(g);
          tiedAt.push(events.length - 1);
          let lf = 0;
          for (let l = 0; l < m[g]; l++) lf += Math.log((m[g] - l) / m[g]);
          sat += (d / m[g]) * lf;
        }
      }
    }
    this.events = Int32Array.from(events);
    const nE = events.length;
    this.eventRow = new Int32Array(nE);
    this.dE = new Float64Array(nE);
    for (let k = 0; k < nE; k++) {
      this.eventRow[k] = starts[events[k]];
      this.dE[k] = this.dg[events[k]];
    }
    this.eventAt = new Int32Array(n).fill(-1);
    this.firstAt = new Uint8Array(n);
    events.forEach((g, k) => (this.eventAt[starts[g]] = k));
    for (let g = 0; g < G; g++) if (first[g]) this.firstAt[starts[g]] = 1;
    this.tied = Int32Array.from(tied);
    this.tiedAt = Int32Array.from(tiedAt);
    this.saturated = sat;
    this.startG = start ? startGroups(start, order, this.starts, this.gt, this.first) : null;
    this.v = new Float64Array(n);
    this.e = new Float64Array(n);
    this.simple = !this.startG && this.tied.length === 0;
    this.cum = new Float64Array(n);
    this.ar = new Float64Array(n);
    this.br = new Float64Array(n);
    // The unit: the least death weight of one row.
    let d0 = Infinity;
    for (let q = 0; q < n; q++) if (this.wd[q] > 0 && this.wd[q] < d0) d0 = this.wd[q];
    const times = new Int32Array(nE);
    for (let k = 0; k < nE; k++) times[k] = Math.round(this.dg[events[k]] / d0);
    const whole =
      nE > 0 &&
      events.every(
        (g, k) => times[k] <= 16 && Math.abs(times[k] * d0 - this.dg[g]) <= 1e-13 * this.dg[g],
      );
    this.dUnit = whole ? d0 : NaN;
    this.dTimes = whole ? times : null;
    // The nine per-group scratch arrays share one allocation.
    const groupScratch = new Float64Array(9 * G);
    let used = 0;
    const zeros = () => groupScratch.subarray(used, (used += G));
    this.Sg = zeros();
    this.Eg = zeros();
    this.ga = zeros();
    this.gc = zeros();
    this.gal = zeros();
    this.gbe = zeros();
    this.gga = zeros();
    this.cumA = zeros();
    this.cumB = zeros();
    const state = (): CoxState => ({
      e: new Float64Array(n),
      diag: new Float64Array(n),
      w2: new Float64Array(nE + tied.length),
      rho: new Float64Array(nE),
      means: new Map(),
    });
    this.at = state();
    this.ref = state();
    this.blocks = new CoxReferenceBlocks(n, nE + tied.length, (xs, off, dst, at) =>
      this.riskColumn(xs, off, this.ref, dst, at),
    );
    if (this.simple) this.onHeap();
    this.nullDeviance = this.deviance(this.lossAt(offset, null, 0));
  }

  /**
   * Right-censored data on the WebAssembly kernels: v, the weights and both e buffers (the
   * scratch one and the current state's) live in one heap, [v | ws | e | e] `stride` apart, so
   * that the exponentials run on coxexp in SIMD. Without kernels the loops run.
   */
  private onHeap(): void {
    const n = this.n;
    const st = n + (n & 1);
    const heap = createHeap(4 * st);
    const kernel = passKernel(heap);
    if (!kernel) {
      heap.release();
      return;
    }
    const f = heap.f64;
    f.set(this.ws, st);
    this.v = f.subarray(0, n);
    this.e = f.subarray(2 * st, 2 * st + n);
    this.at.e = f.subarray(3 * st, 3 * st + n);
    this.eHeap = { heap, kernel, stride: st, eAt: 2 * st, atAt: 3 * st };
  }

  /**
   * Hands the WebAssembly memories back: the reference blocks', and the heap of v and e, whose values move
   * to plain arrays (the datafit stays usable, on loops: survival curves evaluate it after the fit).
   */
  release(): void {
    this.blocks.release();
    const h = this.eHeap;
    if (!h) return;
    this.v = Float64Array.from(this.v);
    this.e = Float64Array.from(this.e);
    this.at.e = Float64Array.from(this.at.e);
    this.eHeap = null;
    h.heap.release();
  }

  /** Backward cumulative sums over each stratum's groups of per-group values in `acc` (in place). */
  private cumulateBack(acc: Float64Array): void {
    const { first } = this;
    let s = 0;
    for (let g = acc.length - 1; g >= 0; g--) {
      s += acc[g];
      acc[g] = s;
      if (first[g]) s = 0;
    }
  }

  /** Per group, Σ_{rows at risk} u_q (u in sorted order) into out: added at stop, removed at start. */
  private riskSums(u: Float64Array, out: Float64Array): void {
    const { starts, startG, first } = this;
    const G = out.length;
    if (!startG) {
      // Right-censored data: one backward pass.
      let s = 0;
      for (let g = G - 1; g >= 0; g--) {
        for (let q = starts[g]; q < starts[g + 1]; q++) s += u[q];
        out[g] = s;
        if (first[g]) s = 0;
      }
      return;
    }
    for (let g = 0; g < G; g++) {
      let s = 0;
      for (let q = starts[g]; q < starts[g + 1]; q++) s += u[q];
      out[g] = s;
    }
    for (let q = 0; q < u.length; q++) if (startG[q] >= 0) out[startG[q]] -= u[q];
    this.cumulateBack(out);
  }

  /** f at η + t·dir (dir null: at η); with `keep`, r, h and the Hessian's state there. */
  private lossAt(eta: Float64Array, dir: Float64Array | null, t: number, keep = false): number {
    if (this.simple) return this.simpleLoss(eta, dir, t, keep);
    const { n, order, ws, wd, starts, dg, e, v, Sg, Eg, events, m } = this;
    if (dir)
      for (let q = 0; q < n; q++) {
        const i = order[q];
        v[q] = eta[i] + t * dir[i];
      }
    else for (let q = 0; q < n; q++) v[q] = eta[order[q]];
    let shift = -Infinity;
    for (let q = 0; q < n; q++) if (ws[q] > 0 && v[q] > shift) shift = v[q];
    if (!Number.isFinite(shift)) shift = 0;
    this.shift = shift;
    let f = 0;
    for (let q = 0; q < n; q++) {
      e[q] = ws[q] * Math.exp(v[q] - shift);
      f -= wd[q] * v[q];
    }
    this.riskSums(e, Sg);
    for (let k = 0; k < events.length; k++) {
      const g = events[k];
      const S = Sg[g];
      if (!this.efron || m[g] === 1) {
        f += dg[g] * (Math.log(S) + shift);
        continue;
      }
      let E = 0;
      for (let q = starts[g]; q < starts[g + 1]; q++) if (wd[q] > 0) E += e[q];
      Eg[g] = E;
      const mg = m[g];
      let s = 0;
      for (let l = 0; l < mg; l++) s += Math.log(S - (l / mg) * E);
      f += (dg[g] / mg) * (s + mg * shift);
    }
    if (keep) this.keep();
    return f;
  }

  /**
   * lossAt for right-censored data without Efron's tied groups: η gathered into time order
   * with its largest value and the linear term in one pass, the exponentials and every row's
   * risk sum in one backward pass, then one log per event group — or, when the death weights
   * are multiples of one (dTimes), one log per run of products, each product kept within
   * [1e-280, 1e280] (a factor outside [1e-140, 1e140] takes its own log).
   */
  private simpleLoss(
    eta: Float64Array,
    dir: Float64Array | null,
    t: number,
    keep: boolean,
  ): number {
    const { n, order, ws, wd, dE, e, v, cum, firstAt, eventRow, dTimes } = this;
    let shift = -Infinity;
    let lin = 0;
    if (dir)
      for (let q = 0; q < n; q++) {
        const i = order[q];
        const x = eta[i] + t * dir[i];
        v[q] = x;
        lin += wd[q] * x;
        if (ws[q] > 0 && x > shift) shift = x;
      }
    else
      for (let q = 0; q < n; q++) {
        const x = eta[order[q]];
        v[q] = x;
        lin += wd[q] * x;
        if (ws[q] > 0 && x > shift) shift = x;
      }
    if (!Number.isFinite(shift)) shift = 0;
    this.shift = shift;
    let acc = 0;
    const h = this.eHeap;
    if (h) {
      h.kernel.coxExp(0, h.stride, h.eAt, h.stride, shift);
      for (let q = n - 1; q >= 0; q--) {
        acc += e[q];
        cum[q] = acc;
        if (firstAt[q]) acc = 0;
      }
    } else
      for (let q = n - 1; q >= 0; q--) {
        const eq = ws[q] * Math.exp(v[q] - shift);
        e[q] = eq;
        acc += eq;
        cum[q] = acc;
        if (firstAt[q]) acc = 0;
      }
    const nE = dE.length;
    let f = -lin;
    if (dTimes) {
      let logs = 0;
      let prod = 1;
      let count = 0;
      for (let k = 0; k < nE; k++) {
        const S = cum[eventRow[k]];
        const c = dTimes[k];
        count += c;
        if (S > 1e-140 && S < 1e140)
          for (let l = 0; l < c; l++) {
            prod *= S;
            if (prod < 1e-140 || prod > 1e140) {
              logs += Math.log(prod);
              prod = 1;
            }
          }
        else logs += c * Math.log(S);
      }
      f += this.dUnit * (logs + Math.log(prod) + count * shift);
    } else
      for (let k = 0; k < nE; k++) {
        f += dE[k] * (Math.log(cum[eventRow[k]]) + shift);
      }
    if (keep) this.keep();
    return f;
  }

  /** keep for right-censored data without Efron's tied groups: one forward pass over the rows. */
  private simpleKeep(): void {
    const { n, order, wd, dE, e, cum, eventRow, firstAt, ar, br, r, h } = this;
    const { diag, w2 } = this.at;
    // (ρ stays 0: no Efron ties here.)
    for (let k = 0; k < dE.length; k++) {
      const q = eventRow[k];
      const inv = 1 / cum[q];
      const a = dE[k] * inv;
      const b = a * inv;
      ar[q] = a;
      br[q] = b;
      w2[k] = b;
    }
    let A = 0;
    let B = 0;
    for (let q = 0; q < n; q++) {
      if (firstAt[q]) A = B = 0;
      A += ar[q];
      B += br[q];
      const i = order[q];
      const eq = e[q];
      const ea = eq * A;
      r[i] = wd[q] - ea;
      diag[i] = ea;
      h[i] = Math.max(ea - eq * eq * B, 0);
    }
    this.takeE();
  }

  /** The evaluated e becomes the current state's (buffers swapped: the old one is scratch now). */
  private takeE(): void {
    const e = this.e;
    this.e = this.at.e;
    this.at.e = e;
    const h = this.eHeap;
    if (h) [h.eAt, h.atAt] = [h.atAt, h.eAt];
    this.at.means.clear();
    this.atReference = false;
  }

  /** r, h and the Hessian's state at the point lossAt just evaluated. */
  private keep(): void {
    if (this.simple) {
      this.simpleKeep();
      return;
    }
    const { order, wd, starts, dg, e, Sg, Eg, events, m, first, startG } = this;
    const { ga, gc, gal, gbe, gga, cumA, cumB } = this;
    const { r, h } = this;
    const { diag, w2, rho } = this.at;
    const G = dg.length;
    const nE = events.length;
    let t = 0;
    for (let k = 0; k < nE; k++) {
      const g = events[k];
      const S = Sg[g];
      const mg = m[g];
      if (!this.efron || mg === 1) {
        ga[g] = dg[g] / S;
        gal[g] = dg[g] / (S * S);
      } else {
        ga[g] = gc[g] = gal[g] = gbe[g] = gga[g] = 0;
        const om = dg[g] / mg;
        for (let l = 0; l < mg; l++) {
          const lam = l / mg;
          const D = 1 / (S - lam * Eg[g]);
          ga[g] += om * D;
          gc[g] += om * lam * D;
          gal[g] += om * D * D;
          gbe[g] += om * lam * D * D;
          gga[g] += om * lam * lam * D * D;
        }
        w2[nE + t++] = Math.max(gga[g] - (gbe[g] * gbe[g]) / gal[g], 0);
      }
      w2[k] = gal[g];
      rho[k] = gbe[g] / gal[g];
    }
    // A and B accumulate forward in time within each stratum; a row's terms run from its start.
    let A = 0;
    let B = 0;
    for (let g = 0; g < G; g++) {
      if (first[g]) A = B = 0;
      A += ga[g];
      B += gal[g];
      cumA[g] = A;
      cumB[g] = B;
      const efronRow = gc[g] !== 0;
      for (let q = starts[g]; q < starts[g + 1]; q++) {
        let a = A;
        let b = B;
        if (startG) {
          const s = startG[q];
          if (s >= 0) {
            a -= cumA[s];
            b -= cumB[s];
          }
        }
        if (efronRow && wd[q] > 0) {
          a -= gc[g];
          b += gga[g] - 2 * gbe[g];
        }
        const i = order[q];
        const eq = e[q];
        r[i] = wd[q] - eq * a;
        diag[i] = eq * a;
        h[i] = Math.max(eq * a - eq * eq * b, 0);
      }
    }
    this.takeE();
  }

  /**
   * Column `off`'s row of the Hessian's second term at state st, written to dst[at … at + R):
   * per event group its risk set's e-weighted column sum (less ρ times its tied deaths' for
   * Efron), then Efron's tied deaths' own sums.
   */
  private riskColumn(
    xs: Float64Array,
    off: number,
    st: CoxState,
    dst: Float64Array,
    at: number,
  ): void {
    const { n, starts, events, tied, tiedAt, wd } = this;
    const { e, rho } = st;
    const nE = events.length;
    const u = (this.u ??= new Float64Array(n));
    const xq = this.sortedColumn(xs, off);
    if (this.startG) {
      const sums = (this.sums ??= new Float64Array(this.dg.length));
      for (let q = 0; q < n; q++) u[q] = e[q] * xq[q];
      this.riskSums(u, sums);
      for (let k = 0; k < nE; k++) dst[at + k] = sums[events[k]];
    } else {
      // Right-censored data: one backward pass over the rows, the event groups' sums kept.
      const { eventAt, firstAt } = this;
      let acc = 0;
      if (tied.length > 0)
        for (let q = n - 1; q >= 0; q--) {
          const v = e[q] * xq[q];
          u[q] = v;
          acc += v;
          const k = eventAt[q];
          if (k >= 0) dst[at + k] = acc;
          if (firstAt[q]) acc = 0;
        }
      else {
        // Branch-free: every row's cumulative sum, then the event groups' first rows read.
        for (let q = n - 1; q >= 0; q--) {
          acc += e[q] * xq[q];
          u[q] = acc;
          if (firstAt[q]) acc = 0;
        }
        const { eventRow } = this;
        for (let k = 0; k < nE; k++) dst[at + k] = u[eventRow[k]];
      }
    }
    for (let t = 0; t < tied.length; t++) {
      const g = tied[t];
      let D = 0;
      for (let q = starts[g]; q < starts[g + 1]; q++) if (wd[q] > 0) D += u[q];
      dst[at + nE + t] = D;
      // The tied group's event row is R − ρD.
      dst[at + tiedAt[t]] -= rho[tiedAt[t]] * D;
    }
  }

  /**
   * The exact Hessian of f between columns A and B: X_Aᵀdiag(π)X_B (π the rows' first-order
   * weights) minus Σ_rows w2_k u_{kA}u_{kBᵀ}, u_k a risk set's e-weighted column sums (less ρ
   * times its tied deaths' for Efron, plus their own row): O(n·m + G·m_A·m_B), each column's
   * sums kept per state (the compact solve extends the same slots).
   */
  private exactBlock(
    xs: Float64Array,
    offsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    mB: number,
    out: Float64Array,
    st: CoxState,
  ): void {
    if (st === this.ref && this.blocks.block(xs, offsA, mA, offsB, mB, st.diag, st.w2, out)) return;
    const { n } = this;
    const { diag, w2, means } = st;
    const same = offsB === offsA;
    // A square block is symmetric: its lower triangle formed, two rows per sweep.
    if (same) weightedGram(xs, offsA, mA, n, diag, out);
    else weightedCross(xs, offsA, mA, offsB, mB, n, diag, out);
    const R = w2.length;
    const M = new Float64Array(R * (same ? mA : mA + mB));
    const fill = (offs: Int32Array, cols: number, at: number) => {
      for (let a = 0; a < cols; a++) {
        const off = offs[a];
        let col = means.get(off);
        if (!col) {
          col = new Float64Array(R);
          this.riskColumn(xs, off, st, col, 0);
          means.set(off, col);
        }
        M.set(col, (at + a) * R);
      }
    };
    fill(offsA, mA, 0);
    if (!same) fill(offsB, mB, mA);
    const second = new Float64Array(mA * mB);
    const rowsA = Int32Array.from({ length: mA }, (_, a) => a * R);
    if (same) weightedGram(M, rowsA, mA, R, w2, second);
    else
      weightedCross(
        M,
        rowsA,
        mA,
        Int32Array.from({ length: mB }, (_, b) => (mA + b) * R),
        mB,
        R,
        w2,
        second,
      );
    for (let k = 0; k < mA * mB; k++) out[k] -= second[k];
  }

  /**
   * Column `off` of xs in the datafit's (stratum, time) order, kept for the path (the design does
   * not change) up to SORTED_CACHE values in all; past that, gathered each time.
   */
  private sortedColumn(xs: Float64Array, off: number): Float64Array {
    let col = this.sorted.get(off);
    if (col && this.sortedOf === xs) return col;
    if (this.sortedOf !== xs) {
      this.sorted.clear();
      this.sortedOf = xs;
    }
    const { n, order } = this;
    col =
      this.sorted.size * n < SORTED_CACHE
        ? new Float64Array(n)
        : (this.gather ??= new Float64Array(n));
    for (let q = 0; q < n; q++) col[q] = xs[off + order[q]];
    if (col !== this.gather) this.sorted.set(off, col);
    return col;
  }

  override blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void {
    this.exactBlock(xs, offs, m, offs, m, out, this.at);
  }

  /**
   * At the point just made the reference (the compact solve forms its matrix right after
   * setReference), through the reference's state: the columns' risk-set sums are kept there,
   * and entryBlock's extensions reuse them instead of summing every column again.
   */
  override entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    _cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    this.exactBlock(xs, offs, m, offs, m, out, this.atReference ? this.ref : this.at);
  }

  override setReference(): void {
    this.atReference = true;
    this.blocks.renew();
    this.ref.e.set(this.at.e);
    this.ref.diag.set(this.at.diag);
    this.ref.w2.set(this.at.w2);
    this.ref.rho.set(this.at.rho);
    this.ref.means = new Map(this.at.means);
  }

  override entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    _clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    _clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    this.exactBlock(xs, offsA, mA, offsB, mB, out, this.ref);
  }

  evaluate(eta: Float64Array): number {
    return this.lossAt(eta, null, 0, true);
  }

  lossAlong(eta: Float64Array, t: number): number {
    const f = this.lossAt(eta, this.step, t);
    this.alongT = t;
    this.alongF = f;
    return f;
  }

  /** The line search's last point is the new one: its risk sums are kept, only r and h to form. */
  override acceptAlong(t: number): number | null {
    if (t !== this.alongT || !Number.isFinite(this.alongF)) return null;
    this.alongT = NaN;
    this.keep();
    return this.alongF;
  }

  deviance(loss: number): number {
    return 2 * (loss - this.saturated);
  }

  interceptStart(): Float64Array {
    return Float64Array.of(0);
  }

  /**
   * The baseline cumulative hazard at η (as survival::survfit on the fit: Breslow's estimator,
   * with Efron's correction for tied deaths under Efron's ties), per stratum in order of the
   * sorted stratum codes: the distinct event times and Λ₀ just after each.
   */
  baseline(eta: Float64Array): { times: Float64Array; cumhaz: Float64Array }[] {
    this.lossAt(eta, null, 0, true);
    const { dg, gt, first, ga } = this;
    if (this.simple) this.events.forEach((g, k) => (ga[g] = this.ar[this.eventRow[k]]));
    const scale = Math.exp(-this.shift);
    const out: { times: number[]; cumhaz: number[] }[] = [];
    let H = 0;
    let cur: { times: number[]; cumhaz: number[] } | null = null;
    for (let g = 0; g < dg.length; g++) {
      if (first[g]) {
        cur = { times: [], cumhaz: [] };
        out.push(cur);
        H = 0;
      }
      if (dg[g] > 0 && cur) {
        // a_g (with Efron, Σ_l ω/(S − λ_l E)) is the hazard increment up to the weights' scale.
        H += ga[g] * scale;
        cur.times.push(gt[g]);
        cur.cumhaz.push(H);
      }
    }
    return out.map((s) => ({
      times: Float64Array.from(s.times),
      cumhaz: Float64Array.from(s.cumhaz),
    }));
  }
}
