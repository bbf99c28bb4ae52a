import { makeDesign, type Design } from "../data/design.js";
import {
  certifiedColumns,
  earlyEndRule,
  originalScale,
  statusOutcome,
  walkPath,
  type CertifiedPoint,
} from "./driver.js";
import type { Matrix } from "../data/matrix.js";
import { CovarianceCd, NaiveCd, type CdSolver } from "../solver/gaussianCd.js";
import { certificate } from "./certificate.js";
import {
  resolveOptions,
  scaledLimits,
  type ElasticNetOptions,
  type ResolvedOptions,
} from "./options.js";
import { checkXY, lambdaSequence, prepareResponse } from "./prepare.js";
import { exactRidgePathFit, exactRidgeServes } from "./ridgePath.js";

/** Non-zero coefficients of one path point: 0-based feature indices and values. */
export interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/**
 * A fitted path. Point k solves, for λ = lambda[k] (glmnet's convention, Friedman et al. 2010):
 *
 *     minimize  (1/2) Σᵢ ŵᵢ (yᵢ − β₀ − xᵢᵀβ)²  +  λ Σⱼ pfⱼ ( α|sⱼβⱼ| + (1−α)/2 (sⱼβⱼ)² )
 *
 * with ŵ the weights normalized to sum to 1 (so unit weights give the 1/(2n) loss), sⱼ the
 * weighted standard deviation of feature j when `standardize` (else 1), and pf the penalty factors
 * rescaled to sum to p. Unlike glmnet, y is not scaled by its standard deviation: for α = 1 the two
 * agree exactly; for α < 1 glmnet's answer on y equals ours on y / sd(y) (times sd(y)).
 * Coefficients are on the original scale of the features.
 */
export interface PathFit {
  family: "gaussian" | "binomial" | "poisson";
  alpha: number;
  nObs: number;
  nFeatures: number;
  lambda: Float64Array;
  intercept: Float64Array;
  beta: SparseVector[];
  /** Number of non-zero coefficients. */
  df: Int32Array;
  /** Fraction of the null deviance explained. */
  devRatio: Float64Array;
  /** Σ ŵᵢ (yᵢ − ȳ)² (ȳ = 0 without intercept). */
  nullDeviance: number;
  /** The objective above at each point. */
  objective: Float64Array;
  /** Largest KKT violation at each point (on the standardized scale, same units as λ). */
  kktMax: Float64Array;
  /** Duality gap at each point (objective units); NaN where no feasible dual point exists. */
  dualityGap: Float64Array;
  /** Feature centers and scales used (0 and 1 when not centering / standardizing). */
  center: Float64Array;
  scale: Float64Array;
  /** Coordinate passes over the whole path. */
  passes: number;
  /** Coordinate descent's variants, or the proximal solver of `proxPath`. */
  solver:
    | "covariance"
    | "naive"
    | "ridge-eigen"
    | "irls"
    | "fista"
    | "ista"
    | "subgradient"
    | "owlqn"
    | "proxsgd";
  warnings: string[];
}

/**
 * Fits the Gaussian lasso / elastic-net / ridge path by coordinate descent with warm starts,
 * sequential strong rules and active-set cycling (Friedman, Hastie & Tibshirani 2010;
 * Tibshirani et al. 2012). Every point carries its KKT violation and duality gap. A ridge path
 * (α = 0) whose options the exact solver honours and whose shape makes it cheaper (at most 10
 * observations per feature, under 1 GiB) is solved exactly by `ridgePath` instead (`solver`
 * "ridge-eigen"), ending where glmnet's early-end rules end it; `type: "covariance"` or
 * `"naive"` keeps coordinate descent.
 *
 * @example
 * ```ts
 * const x = denseFromRows(rows); // n × p
 * const fit = elasticNetPath(x, y, { alpha: 1 }); // the lasso path, glmnet's λ grid
 * fit.lambda; fit.beta[10]; // sparse coefficients (original scale) at λ₁₀
 * const d = fromTable(records, { target: "y" }); // or from a JavaScript table
 * elasticNetPath(d.x, d.y);
 * fit.kktMax[10]; fit.dualityGap[10]; // its optimality certificate
 * ```
 */
export function elasticNetPath(
  x: Matrix,
  y: ArrayLike<number>,
  options: ElasticNetOptions = {},
): PathFit {
  checkXY(x, y);
  const o = resolveOptions(options, x.nRows, x.nCols);
  // Ridge, where the exact path is cheaper: every point from one factorization (ridgePath).
  if (exactRidgeServes(x, o, options)) return exactRidgePathFit(x, y, options, o);
  const response = prepareResponse(y, o.weights, o.intercept);
  const design = makeDesign(
    x,
    o.weights,
    o.intercept,
    o.standardize,
    o.include,
    o.type === "naive",
  );
  return gaussianPathOn(design, response, o);
}

/**
 * The Gaussian path on a standardized design (rows, or sufficient statistics for the
 * covariance solver): λ grid, warm starts, certificates, glmnet's early end.
 */
export function gaussianPathOn(
  design: Design,
  response: { ym: number; yTilde: Float64Array; nullDeviance: number },
  o: ResolvedOptions,
): PathFit {
  const n = design.n;
  const p = design.p;
  const { ym, yTilde, nullDeviance } = response;
  const include = o.include;
  const { lower, upper } = scaledLimits(o, design.scale);
  const setup = {
    design,
    include,
    pf: o.penaltyFactor,
    lower,
    upper,
    alpha: o.alpha,
    yTilde,
    thr: o.thresh * nullDeviance,
    maxPasses: o.maxPasses,
    newton: o.newton,
    pMax: o.pMax,
  };
  const cd: CdSolver = o.type === "covariance" ? new CovarianceCd(setup) : new NaiveCd(setup);

  // Unpenalized features first (λ = ∞); λ_max is then the smallest λ with all others at zero.
  cd.solve(Infinity, Infinity);
  const { lambdas, lambdaMax } = lambdaSequence(cd.g, include, o);

  const nz = new Int32Array(p);
  const path = walkPath<CertifiedPoint>(
    lambdas,
    lambdaMax,
    earlyEndRule("gaussian", o),
    (lam, lamPrev) => statusOutcome(cd.solve(lam, lamPrev), o.maxPasses, o.pMax),
    (_k, lam) => {
      const rss = cd.rss();
      // The non-zeros, in increasing feature order: all lie in the solver's ever-active list.
      let nnz = 0;
      for (let t = 0; t < cd.everActive; t++) {
        const j = cd.activeList[t];
        if (cd.b[j] !== 0) nz[nnz++] = j;
      }
      nz.subarray(0, nnz).sort();
      let yTr = nullDeviance; // ỹᵀr = ỹᵀỹ − bᵀX̃ᵀỹ
      for (let t = 0; t < nnz; t++) yTr -= cd.b[nz[t]] * cd.g0[nz[t]];
      const cert = certificate(
        cd.b,
        cd.g,
        yTr,
        rss,
        include,
        o.penaltyFactor,
        lower,
        upper,
        lam,
        o.alpha,
        cd.fresh,
      );
      const point = originalScale(
        nz.slice(0, nnz),
        cd.b,
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
        objective: cert.primal,
        kktMax: cert.kktMax,
        dualityGap: cert.dualityGap,
      };
    },
  );
  cd.release();
  return {
    family: "gaussian",
    alpha: o.alpha,
    nObs: n,
    nFeatures: p,
    ...certifiedColumns(path),
    nullDeviance,
    center: design.center,
    scale: design.scale,
    passes: cd.passes,
    solver: o.type,
  };
}
