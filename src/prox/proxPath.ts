import { moments } from "../data/design.js";
import { denseMatrix, type Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { fitFamily } from "../cv/foldJob.js";
import type { GlmOptions } from "../path/glmPath.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { certifiedColumns, originalScale, walkPath, type CertifiedPoint } from "../path/driver.js";
import { resolveOptions } from "../path/options.js";
import { elasticNet } from "./penalties.js";
import { glmDatafit } from "./smooth.js";
import { solveWith, type SolverName } from "./solvers.js";

/** The solvers `regularize path --solver` and proxPath accept. */
export const PATH_SOLVERS = ["cd", "fista", "ista", "subgradient", "owlqn", "proxsgd"] as const;
export type PathSolver = (typeof PATH_SOLVERS)[number];

/** Iterations per λ for the methods without a stopping rule, and the cap for the others. */
const SUBGRADIENT_ITERS = 3000;
const MAX_ITER = 5000;
const SGD_EPOCHS = 30;
/** Converging methods stop at a KKT violation of KKT_TOL·λ. */
const KKT_TOL = 1e-9;

/**
 * The regularization path of `family` computed by a chosen solver instead of coordinate descent:
 * glmnet's standardization and λ sequence (those of the coordinate-descent path, or
 * `options.lambda`), each λ warm-started from the previous solution, the same objective and the
 * same result layout (PathFit) — so the methods can be compared point by point, above all in
 * their exact zeros: the proximal methods and OWL-QN give coordinate descent's support (each λ
 * solved to KKT ≤ 1e-9·λ or 5000 iterations, with a warning naming the KKT reached); plain
 * subgradient descent (a fixed budget of 3000 iterations per λ) leaves tiny non-zeros; proximal
 * SGD (30 epochs per λ, seeded) keeps zeros but not the exact optimum. Each point's KKT violation
 * is reported as measured. Observation weights, offsets and per-feature limits are not supported
 * by these solvers.
 *
 * @example
 * ```ts
 * const byFista = proxPath("gaussian", "fista", x, y, {}); // the lasso path by FISTA, same λ grid as coordinate descent
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table
 * proxPath("gaussian", "ista", d.x, d.y, {});
 * ```
 */
export function proxPath(
  family: "gaussian" | "binomial" | "poisson",
  solver: PathSolver,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions & { seed?: number } = {},
): PathFit {
  if (solver === "cd") return fitFamily(family, x, y, options);
  for (const key of ["weights", "offset", "lowerLimits", "upperLimits"] as const)
    if (options[key] !== undefined)
      throw new InputError(
        `option '${key}': only the coordinate-descent solver supports it (got solver '${solver}')`,
        { option: key },
      );
  const n = x.nRows;
  const p = x.nCols;
  const o = resolveOptions(options, n, p);
  const lambdas = o.lambda ?? fitFamily(family, x, y, options).lambda;
  const { center, scale } = moments(x, o.weights, o.intercept, o.standardize, o.include);
  // Standardized dense design (excluded or constant columns stay zero).
  const xs = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    if (!o.include[j]) continue;
    const col = xs.subarray(j * n, (j + 1) * n);
    if (x.kind === "dense") col.set(x.data.subarray(j * n, (j + 1) * n));
    else for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) col[x.rowIndex[t]] = x.values[t];
    for (let i = 0; i < n; i++) col[i] = (col[i] - center[j]) / scale[j];
  }
  const kind = family === "gaussian" ? "squared" : family === "binomial" ? "logistic" : "poisson";
  const f = glmDatafit(kind, denseMatrix(n, p, xs), y, { intercept: o.intercept });
  const dim = f.dim;
  // Penalty weights: rescaled penalty factors; excluded features pinned by an infinite weight's
  // effect is emulated by a huge one (they stay at zero); the intercept is unpenalized.
  const weights = new Float64Array(dim);
  for (let j = 0; j < p; j++) weights[j] = o.include[j] ? o.penaltyFactor[j] : 1e300;
  const nullValue = nullLoss(kind, y, o.intercept);
  const sat = saturatedLoss(kind, y);
  let w = new Float64Array(dim);
  let iterations = 0;
  let last = { objective: NaN, kkt: NaN };
  // Every λ given (the fitted path's own, or the user's): no early end.
  const path = walkPath<CertifiedPoint>(
    lambdas,
    Infinity,
    null,
    (lam, _prev, k) => {
      const g = elasticNet(lam, o.alpha, { weights });
      const r = solveWith(solver as SolverName, f, g, {
        w0: w,
        tol: KKT_TOL * lam,
        maxIter: MAX_ITER,
        ...(solver === "subgradient" ? { maxIter: SUBGRADIENT_ITERS } : {}),
        ...(solver === "proxsgd" ? { maxIter: SGD_EPOCHS, seed: (options.seed ?? 1) + k } : {}),
      });
      iterations += r.iterations;
      w = Float64Array.from(r.w);
      last = r;
      if ((solver === "fista" || solver === "ista" || solver === "owlqn") && !r.converged)
        return { warning: `${solver} stopped at KKT violation ${r.kkt}` };
      return null;
    },
    () => {
      const nz: number[] = [];
      for (let j = 0; j < p; j++) if (w[j] !== 0) nz.push(j);
      const point = originalScale(
        Int32Array.from(nz),
        w,
        o.intercept ? w[p] : 0,
        center,
        scale,
        true,
      );
      const loss = f.value(w);
      return {
        intercept: point.intercept,
        beta: point.beta,
        df: nz.length,
        devRatio: 1 - (loss - sat) / (nullValue - sat),
        objective: last.objective,
        kktMax: last.kkt,
        dualityGap: NaN,
      };
    },
  );
  return {
    family,
    alpha: o.alpha,
    nObs: n,
    nFeatures: p,
    nullDeviance: 2 * (nullValue - sat),
    center,
    scale,
    ...certifiedColumns(path),
    solver,
    passes: iterations,
  };
}

/** The mean loss of the intercept-only (or zero) model. */
function nullLoss(
  kind: "squared" | "logistic" | "poisson",
  y: ArrayLike<number>,
  intercept: boolean,
) {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  const eta = !intercept
    ? 0
    : kind === "squared"
      ? mean
      : kind === "logistic"
        ? Math.log(mean / (1 - mean))
        : Math.log(mean);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    s +=
      kind === "squared"
        ? 0.5 * (yi - eta) ** 2
        : kind === "logistic"
          ? Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - yi * eta
          : Math.exp(eta) - yi * eta;
  }
  return s / n;
}

/** The mean loss of the saturated model (deviance = 2n·(loss − this)). */
function saturatedLoss(kind: "squared" | "logistic" | "poisson", y: ArrayLike<number>) {
  if (kind !== "poisson") return 0;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] > 0 ? y[i] - y[i] * Math.log(y[i]) : 0;
  return s / y.length;
}
