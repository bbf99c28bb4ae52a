import type { GlmDesign } from "../data/glmDesign.js";
import type { GlmFamily } from "../datafit/family.js";
import { enetValue } from "../penalty/elasticNet.js";
import { createHeap, type Heap } from "../wasm/heap.js";
import { CompactActiveSet } from "./compactActiveSet.js";
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
}

/** Smallest IRLS weight relative to the observation weight (keeps the WLS well posed). */
const VMIN = 1e-10;
/** Largest number of Newton (IRLS) steps for one λ. */
const MAX_NEWTON = 100;

/**
 * Proximal Newton (IRLS) with coordinate descent inside, for the elastic-net GLM of a family at one
 * λ, warm-started along the path (Friedman, Hastie & Tibshirani 2010, §3; glmnet's lognet/fishnet):
 *
 *     minimize_{b0, b}  Σᵢ ŵᵢ ℓ(yᵢ, ηᵢ) + Σⱼ pen_j(b_j),   η = b0 + X̃b + offset.
 *
 * Each Newton step minimizes the penalized quadratic model ½Σ vᵢ(ρᵢ − Δηᵢ)² + pen(b + Δb), with IRLS
 * weights vᵢ = ŵᵢ·V(μᵢ) and working residuals ρᵢ = (yᵢ − μᵢ)/V(μᵢ), by cyclic coordinate descent
 * (full passes over the strong set, cycling the active set between them) to glmnet's pass rule;
 * the step is then halved until the true objective does not increase (a safeguard glmnet lacks,
 * needed for Poisson far from the optimum). Steps stop when one moves no coordinate by
 * v-weighted xv_j·Δb_j² ≥ thr. Sequential strong rules pick the features, and a KKT check of
 * the true gradient g_j = Σ ŵᵢ(yᵢ − μᵢ)x̃_ij on the rest admits violators (Tibshirani et al. 2012).
 */
export class GlmCd {
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
  private readonly v: Float64Array;
  private readonly res: Float64Array;
  private readonly mu: Float64Array;
  private readonly bOld: Float64Array;
  private readonly etaOld: Float64Array;
  private readonly list: Int32Array;
  private readonly compact: CompactActiveSet;
  private zHeap: Heap;

  constructor(private readonly s: GlmSetup) {
    const p = (this.p = s.design.p);
    const n = (this.n = s.design.n);
    this.b = new Float64Array(p);
    this.eta = Float64Array.from(s.offset);
    this.g = new Float64Array(p);
    this.strong = new Uint8Array(p);
    this.ever = new Uint8Array(p);
    this.v = new Float64Array(n);
    this.res = new Float64Array(n);
    this.mu = new Float64Array(n);
    this.bOld = new Float64Array(p);
    this.etaOld = new Float64Array(n);
    this.list = new Int32Array(p);
    this.compact = new CompactActiveSet(p + 1, s.thr);
    this.zHeap = createHeap(8 * n);
    if (s.intercept) {
      this.b0 = interceptStart(s.family, s.y, s.w, s.offset);
      for (let i = 0; i < n; i++) this.eta[i] += this.b0;
    }
    this.gradient();
  }

  /** Σ ŵ ℓ(y, η) at the current η. */
  loss(): number {
    const { y, w, family } = this.s;
    let f = 0;
    for (let i = 0; i < this.n; i++) f += w[i] * family.loss(y[i], this.eta[i]);
    return f;
  }

  /** Σ ŵ·deviance(y, μ) at the current η. */
  deviance(): number {
    const { y, w, family } = this.s;
    let d = 0;
    for (let i = 0; i < this.n; i++) d += w[i] * family.deviance(y[i], family.mean(this.eta[i]));
    return d;
  }

  private penalty(b: Float64Array, ab: number, dem: number): number {
    const { pf } = this.s;
    let pen = 0;
    for (let j = 0; j < this.p; j++)
      if (b[j] !== 0) pen += enetValue(b[j], pf[j] * ab, pf[j] * dem);
    return pen;
  }

  /** Recomputes μ, the true gradient g (every included feature) and g0 at the current η. */
  gradient(): void {
    const { y, w, family, include, design } = this.s;
    const r = this.res;
    let sr = 0;
    for (let i = 0; i < this.n; i++) {
      this.mu[i] = family.mean(this.eta[i]);
      r[i] = w[i] * (y[i] - this.mu[i]);
      sr += r[i];
    }
    this.g0 = sr;
    for (let j = 0; j < this.p; j++) if (include[j]) this.g[j] = design.dot(j, r, sr);
  }

  /**
   * Solves at `lambda` (Infinity: only unpenalized features and the intercept move). Returns "ok",
   * "maxPasses", or "pMax" when too many features became non-zero.
   */
  solve(lambda: number, lambdaPrev: number): "ok" | "maxPasses" | "pMax" {
    const { include, pf, alpha } = this.s;
    const infinite = !Number.isFinite(lambda);
    const ab = infinite ? 0 : lambda * alpha;
    const dem = infinite ? 0 : lambda * (1 - alpha);
    const threshold = alpha * (2 * lambda - lambdaPrev);
    for (let j = 0; j < this.p; j++) {
      if (!include[j] || this.strong[j]) continue;
      if (pf[j] === 0 || (!infinite && Math.abs(this.g[j]) > threshold * pf[j])) this.strong[j] = 1;
    }
    const limit = this.passes + this.s.maxPasses;
    for (;;) {
      const status = this.newton(ab, dem, infinite, limit);
      if (status !== "ok") return status;
      this.gradient();
      if (infinite) return "ok";
      let violated = false;
      for (let j = 0; j < this.p; j++) {
        if (this.strong[j] || !include[j]) continue;
        if (Math.abs(this.g[j]) > ab * pf[j]) {
          this.strong[j] = 1;
          violated = true;
        }
      }
      if (!violated) return "ok";
    }
  }

  /**
   * Newton steps on the strong set until one moves nothing by xv·Δ² ≥ thr. Each step's quadratic
   * model is solved exactly on the strong set S (with the intercept as an unpenalized coordinate):
   * with Z = √V·[1, X̃_S] and ζ = √V·ρ, the model is ½‖ζ − ZΔ‖² + pen, i.e. the compact problem of
   * CompactActiveSet with G = ZᵀZ and g = Zᵀζ, solved by its active-set Newton iterations.
   */
  private newton(
    ab: number,
    dem: number,
    infinite: boolean,
    limit: number,
  ): "ok" | "maxPasses" | "pMax" {
    const { y, w, family, design, pf, lower, upper, intercept } = this.s;
    const { n, p, v, mu, b, eta, bOld, etaOld, list } = this;
    let nStrong = 0;
    for (let j = 0; j < p; j++)
      if (this.strong[j] && (!infinite || pf[j] === 0)) list[nStrong++] = j;
    const off = intercept ? 1 : 0;
    const na = nStrong + off;
    if (na === 0) return "ok";
    const c = this.compact;
    // Columns of Z (na of them) then ζ, n apart, in a heap with SIMD dot products.
    if (this.zHeap.f64.length < n * (na + 1)) {
      this.zHeap.release();
      this.zHeap = createHeap(n * (na + 1) * 2);
    }
    const z = this.zHeap;
    const zf = z.f64;
    let fOld = this.loss() + this.penalty(b, ab, dem);
    for (let it = 0; it < MAX_NEWTON; it++) {
      const zeta = na * n;
      for (let i = 0; i < n; i++) {
        const m = family.mean(eta[i]);
        mu[i] = m;
        const vv = Math.max(family.variance(m), VMIN);
        v[i] = Math.sqrt(w[i] * vv);
        zf[zeta + i] = v[i] * ((y[i] - m) / vv);
      }
      if (intercept) zf.set(v, 0);
      for (let t = 0; t < nStrong; t++) design.scaledColumn(list[t], v, zf, (t + off) * n);
      c.invalidate();
      c.grow(na, (l, out) => {
        for (let m = l; m < na; m++) out[m] = z.dot(l * n, m * n, n);
      });
      for (let l = 0; l < na; l++) {
        const j = l < off ? -1 : list[l - off];
        c.b[l] = j < 0 ? this.b0 : b[j];
        c.g[l] = z.dot(l * n, zeta, n);
        c.xv[l] = c.gram[l * c.cap + l];
        c.kappa[l] = j < 0 ? 0 : pf[j] * ab;
        c.mu[l] = j < 0 ? 0 : pf[j] * dem;
        c.lo[l] = j < 0 ? -Infinity : lower[j];
        c.hi[l] = j < 0 ? Infinity : upper[j];
      }
      for (let l = 0; l < na; l++) {
        let h = 0;
        for (let m = 0; m < na; m++) h += c.gram[l * c.cap + m] * c.b[m];
        c.g0[l] = c.g[l] + h;
      }
      bOld.set(b);
      etaOld.set(eta);
      const b0Old = this.b0;
      c.passes = this.passes;
      const hitLimit = c.converge(na, dem, limit, true);
      this.passes = c.passes;
      if (hitLimit) return "maxPasses";
      // Take the step: b, b0 and η = η_old + Δb0 + X̃_S Δb.
      let stepDlx = 0;
      for (let l = 0; l < na; l++) {
        const j = l < off ? -1 : list[l - off];
        const old = j < 0 ? b0Old : bOld[j];
        const d = c.b[l] - old;
        if (d === 0) continue;
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
          design.axpy(j, d, eta);
        }
      }
      // Keep the step only as far as the true objective falls (halving it otherwise).
      let f = this.loss() + this.penalty(b, ab, dem);
      let t = 1;
      while (f > fOld + 1e-12 * Math.abs(fOld) && t > 1e-6) {
        t /= 2;
        for (let j = 0; j < p; j++) b[j] = bOld[j] + (b[j] - bOld[j]) / 2;
        this.b0 = b0Old + (this.b0 - b0Old) / 2;
        for (let i = 0; i < n; i++) eta[i] = etaOld[i] + (eta[i] - etaOld[i]) / 2;
        f = this.loss() + this.penalty(b, ab, dem);
        stepDlx /= 4;
      }
      fOld = f;
      if (stepDlx < this.s.thr) return "ok";
    }
    return "ok";
  }

  release(): void {
    this.compact.release();
    this.zHeap.release();
  }
}
