import { moments } from "../data/design.js";
import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { fitFamily } from "../cv/foldJob.js";
import type { GlmOptions } from "../path/glmPath.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { resolveOptions } from "../path/options.js";

export type ExplainFamily = "gaussian" | "binomial" | "poisson";

/** Why one feature's coefficient is what it is, at λ. */
export interface FeatureExplanation {
  index: number;
  /** Original-scale coefficient. */
  coefficient: number;
  /**
   * ∂f/∂β̃ⱼ at the solution: the derivative of the loss term of the objective (without the
   * penalty) with respect to the standardized coefficient, the scale on which the threshold is
   * λ·α·pfⱼ.
   */
  gradient: number;
  /** λ·α·pfⱼ: the half-width of the dead zone ∂(λα pfⱼ|b|) at b = 0. */
  threshold: number;
  /**
   * For a zero coefficient, threshold − |gradient| (≥ 0 at the solution: how far the gradient is
   * inside the dead zone); null for a non-zero one. At a box limit of 0 only the pull into the
   * feasible side counts: threshold + gradient at a lower limit, threshold − gradient at an upper.
   */
  margin: number | null;
  /** The box limit holding the coefficient (`lowerLimits` / `upperLimits`), or null. */
  limit: "lower" | "upper" | null;
  /**
   * For a non-zero coefficient, gradient + λ(1−α)pfⱼβ̃ⱼ + λα pfⱼ sign(β̃ⱼ) — zero at the solution
   * (the gradient balances the penalty's pull); null for a zero one.
   */
  balance: number | null;
  /** The first λ of the path (from λ_max down) at which the coefficient is non-zero; null: never. */
  enterLambda: number | null;
  /**
   * "active" (non-zero); "zero" (margin above the tolerance: certainly zero); "borderline" (a
   * zero whose margin is within the tolerance — a slightly smaller λ, or noise, may move it).
   */
  status: "active" | "zero" | "borderline";
}

/** explainSparsity's result: per feature the gradient against its dead-zone threshold, margin or balance, entry λ and status, with the fit's KKT violation. */
export interface SparsityExplanation {
  family: ExplainFamily;
  lambda: number;
  alpha: number;
  /** Margins at most this (relative to λ) count as borderline: 1e-6·λ by default. */
  tolerance: number;
  intercept: number;
  features: FeatureExplanation[];
  /** The largest KKT violation over the features (the fit's own certificate). */
  kktMax: number;
  /** The path used for enterLambda (the default λ sequence down to λ, then λ). */
  path: PathFit;
}

/**
 * "Why is this weight zero?": fits the path of `family` down to λ (glmnet's λ sequence, then λ
 * itself) and, at the solution, reports for every feature the gradient of the loss on the
 * standardized scale against the dead-zone threshold λ·α·pfⱼ — a zero weight stays at zero
 * because |∂f/∂β̃ⱼ| ≤ λα pfⱼ (the subdifferential of |b| at 0 is [−1, 1]); a non-zero one sits
 * where the gradient balances the penalty, ∂f/∂β̃ⱼ = −λα pfⱼ sign(β̃ⱼ) − λ(1−α)pfⱼβ̃ⱼ — and the λ
 * at which each feature entered the path.
 *
 * @example
 * ```ts
 * const why = explainSparsity("gaussian", x, y, 2.0);
 * why.features[0].status; // "zero" | "active" | "borderline"
 * why.features[0].margin; // threshold − |∂f/∂β₀| for a zero
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table: d.features names them
 * explainSparsity("gaussian", d.x, d.y, 2.0);
 * ```
 */
export function explainSparsity(
  family: ExplainFamily,
  x: Matrix,
  y: ArrayLike<number>,
  lambda: number,
  options: GlmOptions & { tolerance?: number } = {},
): SparsityExplanation {
  if (!(lambda > 0 && Number.isFinite(lambda)))
    throw new InputError(`option 'lambda': must be a number > 0, got ${lambda}`, {
      option: "lambda",
    });
  if (options.lambda !== undefined)
    throw new InputError("option 'lambda': give the one λ to explain as the argument", {
      option: "lambda",
    });
  const { tolerance: tolRel = 1e-6, ...fitOptions } = options;
  const grid = fitFamily(family, x, y, fitOptions).lambda;
  const lambdas = [...Array.from(grid).filter((l) => l > lambda * (1 + 1e-12)), lambda];
  const path = fitFamily(family, x, y, { ...fitOptions, lambda: lambdas });
  const k = path.lambda.length - 1;
  const n = x.nRows;
  const p = x.nCols;
  const o = resolveOptions(fitOptions, n, p);
  const { center, scale } = moments(x, o.weights, o.intercept, o.standardize, o.include);
  // η at the solution (original scale), then dℓ/dη per observation.
  const beta = new Float64Array(p);
  path.beta[k].index.forEach((j, t) => (beta[j] = path.beta[k].value[t]));
  const eta = new Float64Array(n).fill(path.intercept[k]);
  for (let j = 0; j < p; j++) {
    const b = beta[j];
    if (b === 0) continue;
    if (x.kind === "dense") for (let i = 0; i < n; i++) eta[i] += b * x.data[j * n + i];
    else for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) eta[x.rowIndex[t]] += b * x.values[t];
  }
  const offset = fitOptions.offset;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = eta[i] + (offset ? offset[i] : 0);
    const mu =
      family === "gaussian" ? e : family === "binomial" ? 1 / (1 + Math.exp(-e)) : Math.exp(e);
    d[i] = o.weights[i] * (mu - y[i]);
  }
  let sumD = 0;
  for (let i = 0; i < n; i++) sumD += d[i];
  const entered = new Array<number | null>(p).fill(null);
  for (let m = 0; m < path.lambda.length; m++)
    for (const j of path.beta[m].index) if (entered[j] === null) entered[j] = path.lambda[m];
  const features: FeatureExplanation[] = [];
  let kktMax = 0;
  const tol = tolRel * lambda;
  for (let j = 0; j < p; j++) {
    if (!o.include[j]) continue;
    // ∂f/∂β̃ⱼ = Σᵢ ŵᵢ (μᵢ − yᵢ)(xᵢⱼ − cⱼ)/sⱼ.
    let s = 0;
    if (x.kind === "dense") for (let i = 0; i < n; i++) s += d[i] * x.data[j * n + i];
    else for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) s += d[x.rowIndex[t]] * x.values[t];
    const gradient = (s - center[j] * sumD) / scale[j];
    const threshold = lambda * o.alpha * o.penaltyFactor[j];
    const bs = beta[j] * scale[j];
    const atLower = beta[j] <= o.lowerLimits[j];
    const atUpper = beta[j] >= o.upperLimits[j];
    const atBound = bs !== 0 && (atLower || atUpper);
    let margin: number | null = null;
    let balance: number | null = null;
    if (beta[j] === 0) {
      // At a limit of 0 the coefficient may not move past it: only the other side's pull counts
      // (a lower limit blocks a gradient > 0, which pulls the coefficient below 0).
      margin =
        atLower && atUpper
          ? Infinity
          : atLower
            ? threshold + gradient
            : atUpper
              ? threshold - gradient
              : threshold - Math.abs(gradient);
      kktMax = Math.max(kktMax, -margin);
    } else {
      balance =
        gradient + lambda * (1 - o.alpha) * o.penaltyFactor[j] * bs + threshold * Math.sign(bs);
      if (!atBound) kktMax = Math.max(kktMax, Math.abs(balance));
    }
    features.push({
      index: j,
      coefficient: beta[j],
      gradient,
      threshold,
      margin,
      balance,
      enterLambda: entered[j],
      // (A zero is held by its limit when the gradient pulls past it by more than the dead zone.)
      limit:
        beta[j] === 0
          ? atLower && gradient > threshold
            ? "lower"
            : atUpper && gradient < -threshold
              ? "upper"
              : null
          : atBound
            ? atLower
              ? "lower"
              : "upper"
            : null,
      status: beta[j] !== 0 ? "active" : (margin as number) > tol ? "zero" : "borderline",
    });
  }
  return {
    family,
    lambda,
    alpha: o.alpha,
    tolerance: tol,
    intercept: path.intercept[k],
    features,
    kktMax,
    path,
  };
}
