import type { Matrix } from "../data/matrix.js";
import { GlmDesign } from "../data/glmDesign.js";
import { binomial } from "../datafit/binomial.js";
import { InputError } from "../errors.js";
import { groupBlockSolve, groupSubdiffDistance, groupValue } from "../penalty/groupLasso.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { Anderson } from "../solver/anderson.js";
import type { SparseVector } from "./elasticNetPath.js";
import { resolveOptions, type ElasticNetOptions } from "./options.js";
import { checkXY, geometricLambdas } from "./prepare.js";

/** Options of the group path; the shared ones mean what they mean for `elasticNetPath`. */
export interface GroupOptions extends Pick<
  ElasticNetOptions,
  "nLambda" | "lambdaMinRatio" | "lambda" | "standardize" | "intercept" | "weights" | "maxPasses"
> {
  /** Group id of each feature (any numbers; features sharing an id form a group). */
  groups: ArrayLike<number>;
  family?: "gaussian" | "binomial";
  /** Mixing: 0 = group lasso (default), 1 = lasso, between = sparse group lasso. */
  alpha?: number;
  /** Weight of each group, in order of first appearance; default √(group size); 0 = unpenalized. */
  groupWeights?: ArrayLike<number>;
  /**
   * Convergence: a pass moves no block by ΔᵀH_gΔ ≥ thresh × null deviance (tightened until the
   * KKT conditions hold to 1e-6·λ). Default 1e-10.
   */
  thresh?: number;
}

/** A group-lasso path: λ, intercepts, sparse coefficients (original scale), df, active groups, deviance ratio, objective and KKT violation per λ. */
export interface GroupPathFit {
  family: "gaussian" | "binomial";
  alpha: number;
  /** Number of features (columns of x): what coefAt and predict need. */
  nFeatures: number;
  lambda: Float64Array;
  intercept: Float64Array;
  /** Non-zero coefficients at each λ (original scale, 0-based feature indices, increasing). */
  beta: SparseVector[];
  df: Int32Array;
  /** Number of groups with a non-zero coefficient. */
  groupsActive: Int32Array;
  devRatio: Float64Array;
  objective: Float64Array;
  /** Largest KKT violation over groups (and the intercept). */
  kktMax: Float64Array;
  /** The groups in order of first appearance, and their weights. */
  groupIds: number[];
  groupWeights: Float64Array;
  passes: number;
  /** Σŵ·deviance of the intercept-only model. */
  nullDeviance: number;
}

/**
 * The group-lasso / sparse-group-lasso path (Yuan & Lin 2006; Simon et al. 2013) for Gaussian or
 * binomial responses. Point k minimizes
 *
 *     f(β₀, β) + λ_k Σ_g ( α‖s∘β_g‖₁ + (1 − α) w_g ‖s∘β_g‖₂ ),
 *
 * f = ½Σŵ(y − η)² (Gaussian) or Σŵ[log(1 + e^η) − yη] (binomial), on features standardized as
 * glmnet does (s the weighted standard deviations). Solved by block coordinate descent: each block
 * takes a proximal gradient step with step 1/L_g, L_g the largest eigenvalue of the group's
 * weighted Gram (÷4 for the logistic loss) — the group prox being soft-thresholding followed by
 * group soft-thresholding — as skglm's group solver (Bertrand et al. 2022); active groups are
 * cycled between full passes, and a λ is done when a full pass moves no block and no group
 * violates its KKT condition. Whole groups become exactly zero. With one feature per group and
 * α = 0 this is the lasso with penalty factors w_g.
 *
 * @example
 * ```ts
 * const fit = groupLassoPath(x, y, { groups: [1, 1, 2, 2, 2, 3] }); // whole groups enter or leave
 * fit.groupsActive[30];
 * ```
 */
export function groupLassoPath(
  x: Matrix,
  y: ArrayLike<number>,
  options: GroupOptions,
): GroupPathFit {
  const family = options.family ?? "gaussian";
  if (family !== "gaussian" && family !== "binomial")
    throw new InputError(`option 'family': gaussian or binomial, got '${String(family)}'`, {
      option: "family",
    });
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  if (!options.groups || options.groups.length !== p)
    throw new InputError(
      `option 'groups': needs one group id per feature (${p}), got ${options.groups?.length ?? 0}`,
      { option: "groups" },
    );
  const alpha = options.alpha ?? 0;
  const o = resolveOptions(
    {
      alpha,
      nLambda: options.nLambda,
      lambdaMinRatio: options.lambdaMinRatio,
      lambda: options.lambda,
      standardize: options.standardize,
      intercept: options.intercept,
      weights: options.weights,
      thresh: options.thresh ?? 1e-10,
      maxPasses: options.maxPasses,
    },
    n,
    p,
  );
  const yy = Float64Array.from(y);
  if (family === "binomial") {
    const bad = binomial.checkResponse(yy);
    if (bad) throw new InputError(bad);
  }
  // Groups in order of first appearance; features reordered so each group is contiguous.
  const ids: number[] = [];
  const byId = new Map<number, number[]>();
  for (let j = 0; j < p; j++) {
    const g = options.groups[j];
    if (!Number.isFinite(g))
      throw new InputError(`option 'groups': feature ${j} has group id ${g}`, { option: "groups" });
    let list = byId.get(g);
    if (!list) {
      byId.set(g, (list = []));
      ids.push(g);
    }
    list.push(j);
  }
  const G = ids.length;
  const start = new Int32Array(G + 1);
  const perm = new Int32Array(p);
  for (let g = 0, t = 0; g < G; g++) {
    for (const j of byId.get(ids[g])!) perm[t++] = j;
    start[g + 1] = t;
  }
  const wg = new Float64Array(G);
  if (options.groupWeights !== undefined) {
    if (options.groupWeights.length !== G)
      throw new InputError(
        `option 'groupWeights': needs one weight per group (${G}), got ${options.groupWeights.length}`,
        { option: "groupWeights" },
      );
    for (let g = 0; g < G; g++) {
      const v = options.groupWeights[g];
      if (!(v >= 0 && Number.isFinite(v)))
        throw new InputError(`option 'groupWeights': weight ${v} of group ${ids[g]} must be ≥ 0`, {
          option: "groupWeights",
        });
      wg[g] = v;
    }
  } else for (let g = 0; g < G; g++) wg[g] = Math.sqrt(start[g + 1] - start[g]);

  const w = o.weights;
  const include = new Uint8Array(p).fill(1);
  const design = new GlmDesign(x, w, o.intercept, o.standardize, include);
  const solver = new GroupBcd(design, family, yy, w, o.intercept, perm, start, wg, include);
  // λ_max: the smallest λ at which every penalized group stays at zero (intercept fitted).
  solver.fitIntercept();
  const nullDev = solver.deviance();
  if (!(nullDev > 0)) throw new InputError("y is constant: there is nothing to fit");
  const thr = o.thresh * nullDev;
  const grad = solver.gradient();
  let lambdaMax = 0;
  for (let g = 0; g < G; g++) {
    if (wg[g] === 0 && alpha < 1) continue;
    lambdaMax = Math.max(
      lambdaMax,
      groupEntry(grad, start[g], start[g + 1] - start[g], alpha, wg[g]),
    );
  }
  let lambdas: Float64Array;
  if (o.lambda) lambdas = o.lambda;
  else lambdas = geometricLambdas(lambdaMax, o);

  const L = lambdas.length;
  const out = {
    intercept: new Float64Array(L),
    beta: [] as SparseVector[],
    df: new Int32Array(L),
    groupsActive: new Int32Array(L),
    devRatio: new Float64Array(L),
    objective: new Float64Array(L),
    kktMax: new Float64Array(L),
  };
  for (let k = 0; k < L; k++) {
    const lam = lambdas[k];
    // Solve, then check the true KKT conditions; while they are violated by more than 1e-6·λ (plus
    // rounding in the gradient's units)
    // (the pass rule can stop early on correlated groups), solve again with a 100× tighter rule.
    let kkt = Infinity;
    let active = 0;
    for (let tighten = 1; ; tighten *= 100) {
      solver.solve(lam * alpha, lam * (1 - alpha), thr / tighten, o.maxPasses);
      const gr = solver.gradient();
      kkt = o.intercept ? Math.abs(solver.interceptGradient()) : 0;
      active = 0;
      for (let g = 0; g < G; g++) {
        const s = start[g];
        const size = start[g + 1] - s;
        kkt = Math.max(
          kkt,
          groupSubdiffDistance(solver.b, gr, s, size, lam * alpha, lam * (1 - alpha) * wg[g]),
        );
        for (let t = s; t < s + size; t++)
          if (solver.b[t] !== 0) {
            active++;
            break;
          }
      }
      if (kkt <= kktTolerance(lam, nullDev) || tighten >= 1e14) break;
    }
    const index: number[] = [];
    for (let t = 0; t < p; t++) if (solver.b[t] !== 0) index.push(perm[t]);
    index.sort((a, b) => a - b);
    const pos = new Int32Array(p);
    for (let t = 0; t < p; t++) pos[perm[t]] = t;
    let a0 = solver.b0;
    const value = Float64Array.from(index, (j) => {
      const beta = solver.b[pos[j]] / design.scale[j];
      a0 -= beta * design.center[j];
      return beta;
    });
    out.beta.push({ index: Int32Array.from(index), value });
    out.intercept[k] = o.intercept ? a0 : 0;
    out.df[k] = index.length;
    out.groupsActive[k] = active;
    out.devRatio[k] = 1 - solver.deviance() / nullDev;
    out.objective[k] = solver.loss() + solver.penalty(lam * alpha, lam * (1 - alpha));
    out.kktMax[k] = kkt;
  }
  design.release();
  return {
    family,
    alpha,
    nFeatures: x.nCols,
    lambda: Float64Array.from(lambdas),
    ...out,
    groupIds: ids,
    groupWeights: wg,
    passes: solver.passes,
    nullDeviance: nullDev,
  };
}

/** The KKT violation a point of the group path is solved to: 1e-6·λ plus rounding (√nulldev units). */
export function kktTolerance(lambda: number, nullDeviance: number): number {
  return 1e-6 * lambda + 1e-11 * Math.sqrt(nullDeviance);
}

/** The smallest λ with ‖S(g, λα)‖₂ ≤ λ(1 − α)w for the group's gradient g (bisection). */
function groupEntry(g: Float64Array, off: number, size: number, alpha: number, w: number): number {
  let gmax = 0;
  let norm = 0;
  for (let t = 0; t < size; t++) {
    gmax = Math.max(gmax, Math.abs(g[off + t]));
    norm += g[off + t] * g[off + t];
  }
  norm = Math.sqrt(norm);
  if (alpha === 0) return w > 0 ? norm / w : 0;
  if (alpha === 1 || w === 0) return gmax / alpha;
  const excess = (lam: number) => {
    let ss = 0;
    for (let t = 0; t < size; t++) {
      const v = Math.max(Math.abs(g[off + t]) - lam * alpha, 0);
      ss += v * v;
    }
    return Math.sqrt(ss) - lam * (1 - alpha) * w;
  };
  let lo = 0;
  let hi = Math.min(gmax / alpha, norm / ((1 - alpha) * w));
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Block coordinate descent state for the group path (coefficients in group order). The datafit is
 * handled by IRLS: the quadratic model ½Σvᵢ(ρᵢ − Δηᵢ)² (Gaussian: v = ŵ, ρ = y − η, exact in one
 * model) is minimized block by block exactly (groupBlockSolve, on the block's weighted Gram
 * H_g = X̃_gᵀVX̃_g and its eigen-decomposition), then, for the binomial family, the step is kept as
 * far as the true objective falls and the weights are renewed.
 */
class GroupBcd {
  readonly b: Float64Array;
  b0 = 0;
  passes = 0;
  private readonly n: number;
  private readonly p: number;
  private readonly G: number;
  private readonly eta: Float64Array;
  /** Weighted residual of the loss, ŵ(μ − y) (for gradients of the true objective). */
  private readonly r: Float64Array;
  private readonly v: Float64Array;
  private readonly res: Float64Array;
  private readonly grad: Float64Array;
  private readonly hs: Float64Array[] = [];
  private readonly vals: Float64Array[] = [];
  private readonly vecs: Float64Array[] = [];
  private readonly cols: Float64Array;
  private readonly anderson = new Anderson(5);
  /** Block scratch (largest group size): the model's linear term, the new block, its change. */
  private readonly c: Float64Array;
  private readonly nb: Float64Array;
  private readonly d: Float64Array;
  private readonly state: Float64Array;
  private readonly ext: Float64Array;
  /** Σv, for the centering of sparse columns in the weighted products. */
  private sumV = 0;

  constructor(
    private readonly design: GlmDesign,
    private readonly family: "gaussian" | "binomial",
    private readonly y: Float64Array,
    private readonly w: Float64Array,
    private readonly intercept: boolean,
    private readonly perm: Int32Array,
    private readonly start: Int32Array,
    private readonly wg: Float64Array,
    private readonly include: Uint8Array,
  ) {
    this.n = design.n;
    this.p = design.p;
    this.G = start.length - 1;
    this.b = new Float64Array(this.p);
    this.eta = new Float64Array(this.n);
    this.r = new Float64Array(this.n);
    this.v = new Float64Array(this.n);
    this.res = new Float64Array(this.n);
    this.grad = new Float64Array(this.p);
    this.state = new Float64Array(this.p + 1);
    this.ext = new Float64Array(this.p + 1);
    let big = 0;
    for (let g = 0; g < this.G; g++) big = Math.max(big, start[g + 1] - start[g]);
    this.cols = new Float64Array(this.n * big);
    this.c = new Float64Array(big);
    this.nb = new Float64Array(big);
    this.d = new Float64Array(big);
    if (family === "gaussian") {
      this.v.set(w);
      this.blockGrams();
    }
  }

  /** H_g = X̃_gᵀVX̃_g and its eigen-decomposition, for every group, at the current weights v. */
  private blockGrams(): void {
    const sv = Float64Array.from(this.v, Math.sqrt);
    const { n, cols } = this;
    for (let g = 0; g < this.G; g++) {
      const s = this.start[g];
      const m = this.start[g + 1] - s;
      cols.fill(0, 0, n * m);
      for (let t = 0; t < m; t++)
        if (this.include[this.perm[s + t]])
          this.design.scaledColumn(this.perm[s + t], sv, cols, t * n);
      const h = new Float64Array(m * m);
      for (let a = 0; a < m; a++)
        for (let c = a; c < m; c++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += cols[a * n + i] * cols[c * n + i];
          h[a * m + c] = h[c * m + a] = dot;
        }
      const { values, vectors } = symmetricEigen(h, m);
      this.hs[g] = h;
      this.vals[g] = values;
      this.vecs[g] = vectors;
    }
  }

  /** r = ŵ(μ − y) at the current η. */
  private refresh(): void {
    const { y, w, eta, r } = this;
    for (let i = 0; i < this.n; i++) {
      const mu = this.family === "binomial" ? binomial.mean(eta[i]) : eta[i];
      r[i] = w[i] * (mu - y[i]);
    }
  }

  /** The negative gradient −∂f/∂b (group order) at the current point. */
  gradient(): Float64Array {
    this.refresh();
    let sr = 0;
    for (let i = 0; i < this.n; i++) sr += this.r[i];
    for (let t = 0; t < this.p; t++) this.grad[t] = -this.design.dot(this.perm[t], this.r, sr);
    return this.grad;
  }

  interceptGradient(): number {
    this.refresh();
    let s = 0;
    for (let i = 0; i < this.n; i++) s -= this.r[i];
    return s;
  }

  loss(): number {
    let f = 0;
    for (let i = 0; i < this.n; i++)
      f +=
        this.family === "binomial"
          ? this.w[i] * binomial.loss(this.y[i], this.eta[i])
          : 0.5 * this.w[i] * (this.y[i] - this.eta[i]) ** 2;
    return f;
  }

  /** Σŵ·unit deviance at the current η ((y − η)² for the Gaussian). */
  deviance(): number {
    let d = 0;
    for (let i = 0; i < this.n; i++)
      d +=
        this.family === "binomial"
          ? this.w[i] * binomial.deviance(this.y[i], binomial.mean(this.eta[i]))
          : this.w[i] * (this.y[i] - this.eta[i]) ** 2;
    return d;
  }

  penalty(kappa: number, tau: number): number {
    let pen = 0;
    for (let g = 0; g < this.G; g++)
      pen += groupValue(
        this.b,
        this.start[g],
        this.start[g + 1] - this.start[g],
        kappa,
        tau * this.wg[g],
      );
    return pen;
  }

  /** Fits the intercept alone (all b = 0 at the start of the path), by Newton steps. */
  fitIntercept(): void {
    if (!this.intercept) return;
    for (let it = 0; it < 100; it++) {
      this.refresh();
      let g = 0;
      let h = 0;
      for (let i = 0; i < this.n; i++) {
        g += this.r[i];
        if (this.family === "binomial") {
          const mu = binomial.mean(this.eta[i]);
          h += this.w[i] * mu * (1 - mu);
        } else h += this.w[i];
      }
      const d = -g / h;
      this.b0 += d;
      for (let i = 0; i < this.n; i++) this.eta[i] += d;
      if (Math.abs(d) < 1e-15 * (1 + Math.abs(this.b0))) break;
    }
  }

  /** Exact minimization of the model over block g; returns ΔᵀH_gΔ. */
  private block(g: number, kappa: number, tau: number, sumVres: { v: number }): number {
    const s = this.start[g];
    const m = this.start[g + 1] - s;
    const { b, perm, design, res, v } = this;
    const h = this.hs[g];
    const { c, nb, d } = this;
    for (let t = 0; t < m; t++) c[t] = design.weightedDot(perm[s + t], v, res, sumVres.v);
    for (let a = 0; a < m; a++) {
      let hb = 0;
      for (let q = 0; q < m; q++) hb += h[a * m + q] * b[s + q];
      c[a] += hb;
    }
    nb.set(b.subarray(s, s + m));
    groupBlockSolve(h, this.vals[g], this.vecs[g], m, c, kappa, tau * this.wg[g], nb);
    let any = false;
    for (let t = 0; t < m; t++) {
      d[t] = nb[t] - b[s + t];
      if (d[t] !== 0) any = true;
    }
    if (!any) return 0;
    let quad = 0;
    for (let a = 0; a < m; a++) {
      let hd = 0;
      for (let q = 0; q < m; q++) hd += h[a * m + q] * d[q];
      quad += d[a] * hd;
    }
    for (let t = 0; t < m; t++) {
      if (d[t] === 0) continue;
      b[s + t] = nb[t];
      design.axpy(perm[s + t], -d[t], res);
      // Σ v·res changes by −d Σ v x̃.
      sumVres.v -= d[t] * design.dot(perm[s + t], v, this.sumV);
    }
    return quad;
  }

  /** Minimizes the current model (weights v, residual res) by block coordinate descent. */
  private model(kappa: number, tau: number, thr: number, limit: number): void {
    const { n, v, res } = this;
    const sum = { v: 0 };
    let sumV = 0;
    for (let i = 0; i < n; i++) {
      sum.v += v[i] * res[i];
      sumV += v[i];
    }
    this.sumV = sumV;
    let activeOnly = false;
    const state = this.state;
    this.anderson.reset(this.p + 1);
    for (;;) {
      this.passes++;
      let dl = 0;
      for (let g = 0; g < this.G; g++) {
        if (activeOnly) {
          let any = false;
          for (let t = this.start[g]; t < this.start[g + 1]; t++) if (this.b[t] !== 0) any = true;
          if (!any) continue;
        }
        dl = Math.max(dl, this.block(g, kappa, tau, sum));
      }
      if (this.intercept) {
        let svr = 0;
        for (let i = 0; i < n; i++) svr += v[i] * res[i];
        const d0 = svr / sumV;
        if (d0 !== 0) {
          this.b0 += d0;
          for (let i = 0; i < n; i++) res[i] -= d0;
          dl = Math.max(dl, sumV * d0 * d0);
        }
        sum.v = 0;
      }
      if (this.passes > limit) return;
      if (dl < thr) {
        if (!activeOnly) return;
        activeOnly = false;
      } else activeOnly = true;
      // Anderson extrapolation of (b, b0) over passes, kept when the model objective falls.
      state.set(this.b);
      state[this.p] = this.b0;
      if (this.anderson.pushCompact(state)) this.tryExtrapolated(kappa, tau);
    }
  }

  /** ½Σv·res² + pen: the model objective at the current point. */
  private modelValue(kappa: number, tau: number): number {
    let q = 0;
    for (let i = 0; i < this.n; i++) q += this.v[i] * this.res[i] * this.res[i];
    return 0.5 * q + this.penalty(kappa, tau);
  }

  private tryExtrapolated(kappa: number, tau: number): void {
    const ext = this.ext;
    if (!this.anderson.extrapolate(ext)) return;
    const before = this.modelValue(kappa, tau);
    const old = this.b.slice();
    const old0 = this.b0;
    const move = (from: Float64Array, from0: number, to: Float64Array, to0: number) => {
      for (let t = 0; t < this.p; t++) {
        const d = to[t] - from[t];
        if (d !== 0) this.design.axpy(this.perm[t], -d, this.res);
      }
      const d0 = to0 - from0;
      if (d0 !== 0) for (let i = 0; i < this.n; i++) this.res[i] -= d0;
    };
    const cand = ext.subarray(0, this.p);
    move(old, old0, cand, ext[this.p]);
    this.b.set(cand);
    this.b0 = ext[this.p];
    if (this.modelValue(kappa, tau) < before) return;
    move(cand, ext[this.p], old, old0);
    this.b.set(old);
    this.b0 = old0;
  }

  /** Solves at (κ, τ) = (λα, λ(1−α)). */
  solve(kappa: number, tau: number, thr: number, maxPasses: number): void {
    const { n, y, w, eta, v, res } = this;
    const limit = this.passes + maxPasses;
    if (this.family === "gaussian") {
      for (let i = 0; i < n; i++) res[i] = y[i] - eta[i];
      const b0Old = this.b0;
      const bOld = this.b.slice();
      this.model(kappa, tau, thr, limit);
      this.applyStep(bOld, b0Old);
      return;
    }
    let fOld = this.loss() + this.penalty(kappa, tau);
    for (let it = 0; it < 100; it++) {
      for (let i = 0; i < n; i++) {
        const mu = binomial.mean(eta[i]);
        const vv = Math.max(mu * (1 - mu), 1e-10);
        v[i] = w[i] * vv;
        res[i] = (y[i] - mu) / vv;
      }
      this.blockGrams();
      const b0Old = this.b0;
      const bOld = this.b.slice();
      const etaOld = eta.slice();
      this.model(kappa, tau, thr, limit);
      this.applyStep(bOld, b0Old);
      let f = this.loss() + this.penalty(kappa, tau);
      let step = 0;
      for (let t = 0; t < this.p; t++) step = Math.max(step, Math.abs(this.b[t] - bOld[t]));
      step = Math.max(step, Math.abs(this.b0 - b0Old));
      while (f > fOld + 1e-12 * Math.abs(fOld) && step > 1e-12) {
        for (let t = 0; t < this.p; t++) this.b[t] = bOld[t] + (this.b[t] - bOld[t]) / 2;
        this.b0 = b0Old + (this.b0 - b0Old) / 2;
        for (let i = 0; i < n; i++) eta[i] = etaOld[i] + (eta[i] - etaOld[i]) / 2;
        f = this.loss() + this.penalty(kappa, tau);
        step /= 2;
      }
      const gain = fOld - f;
      fOld = f;
      if (gain <= 1e-13 * Math.abs(f) || this.passes > limit) return;
    }
  }

  /** η += X̃(b − bOld) + (b0 − b0Old). */
  private applyStep(bOld: Float64Array, b0Old: number): void {
    const d0 = this.b0 - b0Old;
    if (d0 !== 0) for (let i = 0; i < this.n; i++) this.eta[i] += d0;
    for (let t = 0; t < this.p; t++) {
      const d = this.b[t] - bOld[t];
      if (d !== 0) this.design.axpy(this.perm[t], d, this.eta);
    }
  }
}
