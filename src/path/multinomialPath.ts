import type { Matrix } from "../data/matrix.js";
import { GlmDesign } from "../data/glmDesign.js";
import { binomial } from "../datafit/binomial.js";
import { InputError } from "../errors.js";
import { enetSubdiffDistance } from "../penalty/elasticNet.js";
import { GlmCd } from "../solver/glmCd.js";
import type { SparseVector } from "./elasticNetPath.js";
import { resolveOptions, scaledLimits } from "./options.js";
import { checkXY, geometricLambdas } from "./prepare.js";
import { groupedMultinomialPath } from "./multinomialGrouped.js";
import {
  originalScalePoint,
  type MultinomialFit,
  type MultinomialOptions,
} from "./multinomialFit.js";

export type { MultinomialFit, MultinomialOptions } from "./multinomialFit.js";
import { earlyEnd } from "./earlyEnd.js";

/** Largest number of sweeps over the classes at one λ. */
const MAX_SWEEPS = 1000;

/**
 * The multinomial (softmax) elastic-net path, ungrouped as glmnet's default
 * (`type.multinomial = "ungrouped"`): point k minimizes
 *
 *     −Σᵢ ŵᵢ [ Σ_c y_ic η_ic − log Σ_c e^{η_ic} ]  +  λ_k Σ_c Σⱼ pfⱼ (α|sⱼβ_jc| + (1−α)/2 (sⱼβ_jc)²)
 *
 * over one intercept and coefficient vector per class. With the other classes fixed, the
 * likelihood of class c is exactly a logistic likelihood of the indicator y_·c with offset
 * −log Σ_{d≠c} e^{η_id}; so the solver sweeps the classes, solving each as a binomial GLM
 * (GlmCd, exact to its KKT tolerance) until a sweep changes the objective by less than 1e-13
 * relative — block coordinate descent on a convex objective. Intercepts are centered at the
 * end (the likelihood only sees their differences), as glmnet. λ_max and the sequence follow
 * glmnet (the largest |gradient| over features and classes at the intercept-only fit).
 *
 * @example
 * ```ts
 * const fit = multinomialPath(x, classLabels, { typeMultinomial: "grouped" });
 * fit.beta[20][2]; // class 2's coefficients at λ₂₀
 * ```
 */
export function multinomialPath(
  x: Matrix,
  y: ArrayLike<number>,
  options: MultinomialOptions = {},
): MultinomialFit {
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  const classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
  const K = classes.length;
  if (K < 2)
    throw new InputError("multinomial response has a single class: there is nothing to fit");
  const { typeMultinomial = "ungrouped", ...rest } = options;
  if (typeMultinomial === "grouped") return groupedMultinomialPath(x, y, classes, rest);
  if (typeMultinomial !== "ungrouped")
    throw new InputError(
      `option 'typeMultinomial': must be ungrouped or grouped, got ${String(typeMultinomial)}`,
      { option: "typeMultinomial" },
    );
  const o = resolveOptions({ ...rest, thresh: rest.thresh ?? 1e-10 }, n, p);
  const w = o.weights;
  const include = o.include;
  const design = new GlmDesign(x, w, o.intercept, o.standardize, include);
  const { lower, upper } = scaledLimits(o, design.scale);
  const indicators = classes.map((c) => Float64Array.from(y, (v) => (v === c ? 1 : 0)));
  // Null deviance: the intercept-only fit, p_c = Σŵ y_c.
  let nullDev = 0;
  for (let c = 0; c < K; c++) {
    let share = 0;
    for (let i = 0; i < n; i++) share += w[i] * indicators[c][i];
    nullDev -= 2 * share * Math.log(share);
  }
  const solvers = indicators.map(
    (yc) =>
      new GlmCd({
        design,
        family: binomial,
        y: yc,
        w,
        offset: new Float64Array(n),
        intercept: o.intercept,
        include,
        pf: o.penaltyFactor,
        lower,
        upper,
        alpha: o.alpha,
        thr: o.thresh * nullDev,
        maxPasses: o.maxPasses,
        pMax: o.pMax,
        extrapolate: false,
      }),
  );
  const offset = new Float64Array(n);
  /** η_ic without offsets: the class's own linear predictor. */
  const own = (c: number, i: number) => solvers[c].eta[i] - lastOffset[c][i];
  const lastOffset = indicators.map(() => new Float64Array(n));
  // Cached exponentials: ex[c][i] = exp(η_ic − shift_i), refreshed for one class after its solve,
  // so that a class's offset −log Σ_{d≠c} e^{η_id} costs K additions and one log per sample
  // instead of K exponentials (the sums have positive terms only: no cancellation). A row is
  // re-shifted to its maximum when a class outgrows the shift; a sum too small to trust falls back
  // to the direct log-sum-exp.
  const ex = indicators.map(() => new Float64Array(n));
  const shift = new Float64Array(n);
  const reshift = (i: number) => {
    let m = -Infinity;
    for (let d = 0; d < K; d++) m = Math.max(m, own(d, i));
    shift[i] = m;
    for (let d = 0; d < K; d++) ex[d][i] = Math.exp(own(d, i) - m);
  };
  const refreshAll = () => {
    for (let i = 0; i < n; i++) reshift(i);
  };
  const refreshClass = (c: number) => {
    const e = ex[c];
    for (let i = 0; i < n; i++) {
      const v = own(c, i) - shift[i];
      if (v > 30) reshift(i);
      else e[i] = Math.exp(v);
    }
  };
  const setOffset = (c: number) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < K; d++) if (d !== c) s += ex[d][i];
      if (s > 1e-250) offset[i] = -(shift[i] + Math.log(s));
      else {
        let m = -Infinity;
        for (let d = 0; d < K; d++) if (d !== c) m = Math.max(m, own(d, i));
        let t = 0;
        for (let d = 0; d < K; d++) if (d !== c) t += Math.exp(own(d, i) - m);
        offset[i] = -(m + Math.log(t));
      }
    }
    solvers[c].setOffset(offset);
    lastOffset[c].set(offset);
  };
  const objective = (ab: number, dem: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      let yEta = 0;
      for (let c = 0; c < K; c++) {
        s += ex[c][i];
        yEta += indicators[c][i] * own(c, i);
      }
      f += w[i] * (shift[i] + Math.log(s) - yEta);
    }
    for (const cd of solvers)
      for (let j = 0; j < p; j++) {
        const b = cd.b[j];
        if (b !== 0) f += o.penaltyFactor[j] * (ab * Math.abs(b) + 0.5 * dem * b * b);
      }
    return f;
  };
  refreshAll();
  // Intercept-only fits (λ = ∞), swept to the multinomial optimum.
  const sweep = (lam: number, lamPrev: number) => {
    let fPrev = Infinity;
    const ab = Number.isFinite(lam) ? lam * o.alpha : 0;
    const dem = Number.isFinite(lam) ? lam * (1 - o.alpha) : 0;
    for (let t = 0; t < MAX_SWEEPS; t++) {
      for (let c = 0; c < K; c++) {
        setOffset(c);
        const status = solvers[c].solve(lam, lamPrev);
        refreshClass(c);
        if (status === "pMax") return "pMax";
      }
      const f = objective(ab, dem);
      if (fPrev - f <= 1e-13 * Math.abs(f)) return "ok";
      fPrev = f;
    }
    return "maxSweeps";
  };
  sweep(Infinity, Infinity);
  // λ_max: at the intercept-only fit, the largest |g_jc| / (α·pf_j).
  let lambdaMax = 0;
  for (let c = 0; c < K; c++) {
    setOffset(c);
    for (let j = 0; j < p; j++)
      if (include[j] && o.penaltyFactor[j] > 0)
        lambdaMax = Math.max(
          lambdaMax,
          Math.abs(solvers[c].g[j]) / (o.penaltyFactor[j] * Math.max(o.alpha, 1e-3)),
        );
  }
  const lambdas = o.lambda ?? geometricLambdas(lambdaMax, o);
  const L = lambdas.length;
  const fit = {
    intercept: [] as Float64Array[],
    beta: [] as SparseVector[][],
    df: new Int32Array(L),
    devRatio: new Float64Array(L),
    objective: new Float64Array(L),
    kktMax: new Float64Array(L),
  };
  let lamPrev = Math.max(lambdaMax, lambdas[0]);
  let done = L;
  const warnings: string[] = [];
  for (let k = 0; k < L; k++) {
    const lam = lambdas[k];
    const status = sweep(lam, lamPrev);
    lamPrev = lam;
    if (status === "pMax") {
      warnings.push(`stopped at λ #${k + 1}: more than pMax = ${o.pMax} features became non-zero`);
      done = k;
      break;
    }
    if (status === "maxSweeps")
      warnings.push(
        `λ #${k + 1} (${lam}): the class sweeps did not converge in ${MAX_SWEEPS} sweeps`,
      );
    const ab = lam * o.alpha;
    const dem = lam * (1 - o.alpha);
    // KKT of the multinomial objective: each class's gradient at the final offsets.
    let kkt = 0;
    for (let c = 0; c < K; c++) {
      setOffset(c);
      const cd = solvers[c];
      if (o.intercept) kkt = Math.max(kkt, Math.abs(cd.g0));
      for (let j = 0; j < p; j++)
        if (include[j])
          kkt = Math.max(
            kkt,
            enetSubdiffDistance(
              cd.b[j],
              cd.g[j],
              ab * o.penaltyFactor[j],
              dem * o.penaltyFactor[j],
              lower[j],
              upper[j],
            ),
          );
    }
    const point = originalScalePoint(
      K,
      Float64Array.from(solvers, (cd) => cd.b0),
      p,
      (c, j) => solvers[c].b[j],
      (c, j) => solvers[c].b[j] !== 0,
      design.center,
      design.scale,
      o.intercept,
    );
    fit.intercept.push(point.intercept);
    fit.beta.push(point.beta);
    const any = new Uint8Array(p);
    for (const cd of solvers) for (let j = 0; j < p; j++) if (cd.b[j] !== 0) any[j] = 1;
    fit.df[k] = any.reduce((u, v) => u + v, 0);
    const f = objective(ab, dem);
    let pen = 0;
    for (const cd of solvers)
      for (let j = 0; j < p; j++) {
        const b = cd.b[j];
        if (b !== 0) pen += o.penaltyFactor[j] * (ab * Math.abs(b) + 0.5 * dem * b * b);
      }
    fit.objective[k] = f;
    fit.devRatio[k] = 1 - (2 * (f - pen)) / nullDev;
    fit.kktMax[k] = kkt;
    if (
      !o.lambda &&
      o.earlyStop &&
      earlyEnd("multinomial", fit.devRatio, k, L, fit.df[k], o.dfMax)
    ) {
      done = k + 1;
      break;
    }
  }
  for (const cd of solvers) cd.release();
  design.release();
  return {
    family: "multinomial",
    classes,
    alpha: o.alpha,
    lambda: Float64Array.from(lambdas.subarray(0, done)),
    intercept: fit.intercept,
    beta: fit.beta,
    df: fit.df.subarray(0, done),
    devRatio: fit.devRatio.subarray(0, done),
    objective: fit.objective.subarray(0, done),
    kktMax: fit.kktMax.subarray(0, done),
    passes: solvers.reduce((u, cd) => u + cd.passes, 0),
    nObs: n,
    nFeatures: p,
    nullDeviance: nullDev,
    warnings,
  };
}
