import { originalScale, walkPath, type PathPoint } from "./driver.js";
import type { Matrix } from "../data/matrix.js";
import { makeDesign } from "../data/design.js";
import { InputError } from "../errors.js";
import type { Nonconvex } from "../penalty/nonconvex.js";
import { NonconvexCd } from "../solver/nonconvexCd.js";
import type { SparseVector } from "./elasticNetPath.js";
import { nonconvexGamma, resolveOptions, type ElasticNetOptions } from "./options.js";
import { checkXY, geometricLambdas, prepareResponse } from "./prepare.js";

/** Options of nonconvexPath: the penalty (mcp or scad), its concavity γ, and the Gaussian path options. */
export interface NonconvexOptions extends Pick<
  ElasticNetOptions,
  | "nLambda"
  | "lambdaMinRatio"
  | "lambda"
  | "standardize"
  | "intercept"
  | "weights"
  | "thresh"
  | "maxPasses"
> {
  penalty: Nonconvex;
  /** Concavity γ; default 3 (MCP) or 3.7 (SCAD), as ncvreg. */
  gamma?: number;
}

/** An MCP / SCAD path: λ, intercepts, sparse coefficients, df, deviance ratio, objective and the KKT (stationarity) violation per λ. */
export interface NonconvexFit {
  penalty: Nonconvex;
  gamma: number;
  /** Number of features (columns of x): what coefAt and predict need. */
  nFeatures: number;
  lambda: Float64Array;
  intercept: Float64Array;
  beta: SparseVector[];
  df: Int32Array;
  devRatio: Float64Array;
  objective: Float64Array;
  /**
   * Largest violation of the first-order conditions of a coordinate-wise minimum: |g_j| ≤ λ at
   * b_j = 0, g_j = p'(|b_j|)·sign(b_j) otherwise (g the negative gradient of the loss).
   */
  kktMax: Float64Array;
  passes: number;
  /** Points that stopped at maxPasses before converging (empty when every point converged). */
  warnings: string[];
}

/**
 * Each point's first-order conditions hold to this many times thresh, times λ (where the piece is
 * solved exactly, up to 400 non-zeros): 1e-7·λ at the default thresh of 1e-9, glmPath's rule.
 */
const NONCONVEX_KKT_PER_THRESH = 100;

/**
 * The MCP or SCAD path for a Gaussian response (Breheny & Huang 2011, as ncvreg): point k is a
 * coordinate-wise minimum of
 *
 *     ½ Σᵢ ŵᵢ (yᵢ − β₀ − xᵢᵀβ)²  +  Σⱼ p_{λ_k,γ}(|sⱼβⱼ|),
 *
 * reached by cyclic coordinate descent with the firm / SCAD thresholding rules on strong-rule
 * working sets, warm-started down the λ path (the problem is non-convex; the path from λ_max
 * selects a local minimum as ncvreg's does), with the stationarity conditions solved exactly once
 * signs and penalty regions settle (they are then linear; `NonconvexCd`). A point is done when a
 * pass moves no coordinate by xv·Δb² ≥ thresh × null deviance (default 1e-9, the lasso's) and,
 * up to 400 non-zeros, its first-order conditions hold to 100·thresh·λ. Sparse designs are never
 * densified. Features standardized as in `elasticNetPath`; the λ sequence is the lasso's.
 *
 * @example
 * ```ts
 * const fit = nonconvexPath(x, y, { penalty: "mcp", gamma: 3 });
 * fit.beta[50]; // less shrinkage of large coefficients than the lasso
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table
 * nonconvexPath(d.x, d.y, { penalty: "scad" });
 * ```
 */
export function nonconvexPath(
  x: Matrix,
  y: ArrayLike<number>,
  options: NonconvexOptions,
): NonconvexFit {
  const kind = options.penalty;
  if (kind !== "mcp" && kind !== "scad")
    throw new InputError(`option 'penalty': mcp or scad, got '${String(kind)}'`, {
      option: "penalty",
    });
  const gamma = nonconvexGamma(kind, options.gamma);
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  const o = resolveOptions(options, n, p);
  const w = o.weights;
  const { ym, yTilde, nullDeviance } = prepareResponse(y, w, o.intercept);
  const include = new Uint8Array(p).fill(1);
  const design = makeDesign(x, w, o.intercept, o.standardize, include);
  const xv = design.xv;
  for (let j = 0; j < p; j++) {
    if (!include[j]) continue;
    if (!(xv[j] > (kind === "mcp" ? 1 / gamma : 1 / (gamma - 1)))) {
      design.release();
      throw new InputError(
        `feature ${j}: its scale makes the ${kind.toUpperCase()} coordinate problem non-convex (Σŵx² = ${xv[j]}); standardize or raise gamma`,
      );
    }
  }
  const solver = new NonconvexCd({
    design,
    kind,
    gamma,
    include,
    yTilde,
    thr: o.thresh * nullDeviance,
    maxPasses: o.maxPasses,
    kktTol: NONCONVEX_KKT_PER_THRESH * o.thresh,
  });
  let lambdaMax = 0;
  for (let j = 0; j < p; j++)
    if (include[j]) lambdaMax = Math.max(lambdaMax, Math.abs(solver.g[j]));
  const lambdas = o.lambda ?? geometricLambdas(lambdaMax, o);
  const nz = new Int32Array(p);
  // The whole grid, as ncvreg (no early end: the deviance can rise in steps after a plateau),
  // the first point from the all-zero start with every feature in its strong set (λ_prev = ∞).
  type Point = PathPoint & {
    intercept: number;
    beta: SparseVector;
    objective: number;
    kktMax: number;
  };
  const path = walkPath<Point>(
    lambdas,
    Infinity,
    null,
    (lam, lamPrev) => {
      const status = solver.solve(lam, lamPrev);
      if (status === "maxPasses")
        return { warning: `stopped at maxPasses (${o.maxPasses}) before converging` };
      if (status === "stalled")
        return {
          warning: `the first-order conditions hold only to ${solver.kkt(lam).toPrecision(2)}`,
        };
      return null;
    },
    (_k, lam) => {
      const rss = design.residualNormSq();
      let nnz = 0;
      for (let j = 0; j < p; j++) if (solver.b[j] !== 0) nz[nnz++] = j;
      const point = originalScale(
        nz.slice(0, nnz),
        solver.b,
        ym,
        design.center,
        design.scale,
        o.intercept,
      );
      return {
        intercept: point.intercept,
        beta: point.beta,
        df: nnz,
        devRatio: 1 - rss / nullDeviance,
        objective: 0.5 * rss + solver.penalty(lam),
        kktMax: solver.kkt(lam),
      };
    },
  );
  const passes = solver.passes;
  solver.release();
  return {
    penalty: kind,
    gamma,
    nFeatures: x.nCols,
    lambda: path.lambda(),
    intercept: path.column("intercept"),
    beta: path.list("beta"),
    df: path.df(),
    devRatio: path.column("devRatio"),
    objective: path.column("objective"),
    kktMax: path.column("kktMax"),
    passes,
    warnings: path.warnings,
  };
}
