import type { DenseMatrix, Matrix } from "../data/matrix.js";
import type { CoxTies } from "../datafit/survivalData.js";
import type { LinkName } from "../datafit/links.js";
import { InputError } from "../errors.js";
import { corePath, namedWarning } from "./corePath.js";
import { fitsByLink, type FitFamily } from "./families.js";
import { elasticNetPath, type PathFit, type SparseVector } from "./elasticNetPath.js";
import { glmPath, nonconvexGlmPath } from "./glmPath.js";
import { multinomialPath } from "./multinomialPath.js";
import type { MultinomialFit } from "./multinomialFit.js";
import { nonconvexGamma, type ElasticNetOptions } from "./options.js";
import { nonconvexPath, type NonconvexFit } from "./nonconvexPath.js";

export type { FitFamily } from "./families.js";
export type FitPenalty = "elastic-net" | "mcp" | "scad" | "group";

/** Options of `fit`: the family, the penalty and its shape, and the options of every path. */
export interface FitOptions extends ElasticNetOptions {
  /** Default "gaussian". */
  family?: FitFamily;
  /**
   * "elastic-net" (default; α = 1 the lasso, α = 0 ridge), "mcp", "scad" (with `gamma`), or
   * "group" (with `groups`; α is then the L1 share within groups: 0 the group lasso, between 0
   * and 1 the sparse group lasso).
   */
  penalty?: FitPenalty;
  /** Concavity of MCP (default 3) or SCAD (default 3.7), as ncvreg. */
  gamma?: number;
  /** Group id of each feature (penalty "group"). */
  groups?: ArrayLike<number>;
  /** Weight of each group in order of first appearance; default √(group size); 0 unpenalized. */
  groupWeights?: ArrayLike<number>;
  /** Multinomial only: glmnet's `type.multinomial` ("grouped": each feature in all classes or none). */
  typeMultinomial?: "ungrouped" | "grouped";
  /**
   * Cox only: the event indicator of each row (1 an event, 0 censored); y holds the times. The
   * Cox model has no intercept (its intercepts are reported as 0).
   */
  status?: ArrayLike<number>;
  /** Cox only: the start of each row's (start, stop] interval (counting-process data); y the stops. */
  start?: ArrayLike<number>;
  /** Cox only: a stratum label per row (a separate baseline hazard per stratum). */
  strata?: ArrayLike<number | string>;
  /** Cox only: "breslow" (default; glmnet 4.1's) or "efron" (survival::coxph's default). */
  ties?: CoxTies;
  /**
   * The link of a GLM family (glmnet 4's family objects): gaussian identity (default), log or
   * inverse; binomial logit (default), probit, cloglog or log; poisson log (default), identity or
   * sqrt; gamma inverse (default), identity or log; inverse-gaussian inverse-squared (1/μ²,
   * default), inverse, identity or log; negative-binomial log (default), sqrt or identity. The
   * objective is then ½Σŵ·deviance + λ·penalty. Canonical links keep their specialised solvers.
   */
  link?: LinkName;
  /** negative-binomial only: θ of V(μ) = μ + μ²/θ (MASS::negative.binomial's theta). */
  theta?: number;
  /**
   * mgaussian only: scale each response to unit (weighted, population) standard deviation before
   * fitting, as glmnet's `standardize.response`; coefficients are returned on the responses' scale.
   */
  standardizeResponse?: boolean;
  /** Offsets of the linear predictor (one per row; not for the multinomial). */
  offset?: ArrayLike<number>;
  /**
   * "auto" (default): the specialised solver where one exists (the Gaussian, binomial and Poisson
   * elastic net; Gaussian MCP/SCAD), the model core otherwise (the multinomial, the group
   * penalties, every other combination); "core": always the model core's proximal Newton.
   */
  solver?: "auto" | "core";
  /**
   * The features' names (one per column of x, e.g. fromTable's `features`): the path's warnings
   * then name a feature by its name instead of its 0-based index. Used for nothing else.
   */
  featureNames?: readonly string[];
}

/**
 * One fitted path of any family × penalty: per λ, one intercept and sparse coefficient vector per
 * coefficient set (one set for gaussian / binomial / poisson, one per class for multinomial; on
 * the original scale of the features), with the certificate of each point.
 */
export interface ModelPath {
  family: FitFamily;
  penalty: FitPenalty;
  alpha: number;
  /** γ of MCP / SCAD (NaN otherwise). */
  gamma: number;
  /** Class labels (multinomial), in the order of the coefficient sets; [] otherwise. */
  classes: number[];
  nObs: number;
  nFeatures: number;
  lambda: Float64Array;
  /** intercepts[k][c]: set c at λ_k (multinomial intercepts centered over the classes). */
  intercepts: Float64Array[];
  /** coefficients[k][c]: set c at λ_k. */
  coefficients: SparseVector[][];
  /** Features non-zero in at least one set. */
  df: Int32Array;
  devRatio: Float64Array;
  nullDeviance: number;
  /** The objective (datafit + λ·penalty, standardized scale, as each family's path defines it). */
  objective: Float64Array;
  /**
   * Largest KKT violation at each point: the subdifferential distance of −∇f (for MCP/SCAD, the
   * violation of the first-order conditions), over every coefficient and intercept.
   */
  kktMax: Float64Array;
  passes: number;
  /** The solver that produced the path. */
  solver: PathFit["solver"] | "prox-newton" | "nonconvex-cd" | "multinomial";
  warnings: string[];
}

/**
 * Fits the regularization path of any family × penalty with the model core: a datafit
 * (Gaussian, binomial, Poisson, multinomial), a penalty (elastic net with box limits and penalty
 * factors, MCP, SCAD, group / sparse group lasso, glmnet's grouped multinomial) and the
 * proximal-Newton solver, driven along glmnet's λ sequence with warm starts, sequential strong
 * rules, KKT checks of every coefficient, glmnet's early-end rules and a certificate per point.
 * Point k minimizes (MCP/SCAD: reaches a stationary point of)
 *
 *     f(η) + λ_k · pen(B̃),     f = Σᵢ ŵᵢ ℓᵢ(ηᵢ)  (½Σŵ(y − η)² for Gaussian),
 *
 * with ŵ the weights normalized to sum to 1, B̃ the coefficients of the standardized features
 * (glmnet's standardization; coefficients are returned on the original scale), and pen:
 * elastic net Σ pfⱼ(α|b| + (1−α)/2·b²); MCP/SCAD Σ p(|b|; pfⱼ·λ, γ) (Breheny & Huang 2011);
 * group Σ_g (α‖b_g‖₁ + (1−α)w_g‖b_g‖₂) (Simon et al. 2013), each group's features in every class
 * for the multinomial (as grpreg); grouped multinomial Σⱼ pfⱼ(α‖bⱼ‖₂ + (1−α)/2‖bⱼ‖₂²) (glmnet).
 *
 * @example
 * ```ts
 * const path = regularize.fit(x, y, { family: "poisson", penalty: "mcp" }); // import * as regularize from "regularize"
 * path.coefficients[30][0]; // the MCP coefficients at λ₃₀
 * // From a JavaScript table (row objects, columns, Arrow, Arquero): fromTable makes x and y.
 * const d = regularize.fromTable(records, { target: "y", categorical: "auto" });
 * regularize.fit(d.x, d.y, { penalty: "scad", featureNames: d.features }); // warnings name columns
 * ```
 */
export function fit(
  x: Matrix,
  y: ArrayLike<number> | DenseMatrix,
  options: FitOptions = {},
): ModelPath {
  const { featureNames, ...withoutNames } = options;
  if (featureNames !== undefined) {
    checkFeatureNames(featureNames, x.nCols);
    const r = fit(x, y, withoutNames);
    r.warnings = r.warnings.map((w) => namedWarning(w, featureNames));
    return r;
  }
  const { solver = "auto", ...rest } = withoutNames;
  if (solver !== "auto" && solver !== "core")
    throw new InputError(`option 'solver': auto or core, got '${String(solver)}'`, {
      option: "solver",
    });
  if (rest.standardizeResponse !== undefined && rest.family !== "mgaussian")
    throw new InputError("option 'standardizeResponse': applies to the mgaussian family only", {
      option: "standardizeResponse",
    });
  if (rest.family !== "cox")
    for (const name of ["status", "start", "strata", "ties"] as const)
      if (rest[name] !== undefined)
        throw new InputError(`option '${name}': applies to the Cox family only`, { option: name });
  const family = rest.family ?? "gaussian";
  const fast =
    ["gaussian", "binomial", "poisson", "multinomial"].includes(family) &&
    !fitsByLink(family, rest.link) &&
    (family !== "multinomial" || rest.link === undefined);
  if (solver === "auto" && fast && !("kind" in y)) {
    const special = specialised(x, y, rest);
    if (special) return special;
  }
  return corePath(x, y, rest);
}

/** Refuses feature names that are not one string per column of x. */
export function checkFeatureNames(names: readonly string[], p: number): void {
  if (!Array.isArray(names) || names.length !== p || names.some((s) => typeof s !== "string"))
    throw new InputError(
      `option 'featureNames': needs ${p} names (one string per column of x), got ${Array.isArray(names) ? names.length : typeof names}`,
      { option: "featureNames" },
    );
}

/** The largest share of non-zeros for which a sparse nonconvex GLM skips the core (see below). */
const SPARSE_ROUTE_DENSITY = 0.1;

/** The specialised solver's path for the combinations that have one, as a ModelPath; else null. */
function specialised(x: Matrix, y: ArrayLike<number>, options: FitOptions): ModelPath | null {
  const {
    family = "gaussian",
    penalty = "elastic-net",
    gamma,
    groups,
    groupWeights,
    typeMultinomial,
    offset,
    ...rest
  } = options;
  if (family === "cox") return null;
  if (penalty === "elastic-net") {
    if (family === "multinomial") {
      if (offset !== undefined) return null;
      return fromMultinomial(multinomialPath(x, y, { ...rest, typeMultinomial }));
    }
    if (typeMultinomial !== undefined) return null;
    if (family === "gaussian") {
      const shifted = offset === undefined ? y : Float64Array.from(y, (v, i) => v - offset[i]);
      return fromSingle(elasticNetPath(x, shifted, rest), "elastic-net", NaN);
    }
    if (family === "binomial" || family === "poisson")
      return fromSingle(glmPath(family, x, y, { ...rest, offset }), "elastic-net", NaN);
    return null;
  }
  // Binomial and Poisson MCP/SCAD on a truly sparse design (at most SPARSE_ROUTE_DENSITY of its
  // entries non-zero): IRLS with coordinate descent on the sparse columns, each update costing its
  // column's non-zeros where the core's compact model costs n (20 000 × 50 000 text at 0.1 %: 237
  // s and 15 stalled points on the core). On denser input the core's Newton steps on the active
  // set win: coordinate descent crawls where unpenalized (flat-piece) features are correlated
  // (1797 × 64 digit pixels at 49 %: 25 s against the core's 4 s).
  if (
    (penalty === "mcp" || penalty === "scad") &&
    (family === "binomial" || family === "poisson") &&
    x.kind === "csc" &&
    x.values.length <= SPARSE_ROUTE_DENSITY * x.nRows * x.nCols &&
    typeMultinomial === undefined &&
    rest.lowerLimits === undefined &&
    rest.upperLimits === undefined
  ) {
    const g = nonconvexGamma(penalty, gamma);
    const f = nonconvexGlmPath(family, x, y, { ...rest, offset, penalty, gamma: g });
    return fromSingle(f, penalty, g);
  }
  // The Gaussian MCP/SCAD and the Gaussian/binomial group paths take only the common options
  // (options present but undefined, as cross-validation's fold fits pass them, do not count).
  const plain =
    offset === undefined &&
    typeMultinomial === undefined &&
    (Object.keys(rest) as (keyof typeof rest)[]).every(
      (k) =>
        rest[k] === undefined ||
        [
          "nLambda",
          "lambdaMinRatio",
          "lambda",
          "standardize",
          "intercept",
          "weights",
          "thresh",
          "maxPasses",
          "alpha",
        ].includes(k),
    );
  if (!plain) return null;
  if (
    (penalty === "mcp" || penalty === "scad") &&
    family === "gaussian" &&
    rest.alpha === undefined
  ) {
    const f = nonconvexPath(x, y, { ...rest, penalty, gamma });
    return fromNonconvex(f, x.nRows, x.nCols);
  }
  return null;
}

/** A ModelPath from a one-set path's arrays and the fields it lacks. */
function oneSet(
  f: Pick<ModelPath, "lambda" | "df" | "devRatio" | "objective" | "kktMax" | "passes"> & {
    intercept: Float64Array;
    beta: SparseVector[];
  },
  rest: Pick<
    ModelPath,
    | "family"
    | "penalty"
    | "alpha"
    | "gamma"
    | "nObs"
    | "nFeatures"
    | "nullDeviance"
    | "solver"
    | "warnings"
  >,
): ModelPath {
  const { lambda, df, devRatio, objective, kktMax, passes } = f;
  return {
    ...rest,
    classes: [],
    lambda,
    intercepts: Array.from(f.intercept, (v) => Float64Array.of(v)),
    coefficients: f.beta.map((b) => [b]),
    df,
    devRatio,
    objective,
    kktMax,
    passes,
  };
}

function fromSingle(f: PathFit, penalty: FitPenalty, gamma: number): ModelPath {
  const { family, alpha, nObs, nFeatures, nullDeviance, solver, warnings } = f;
  return oneSet(f, {
    family,
    penalty,
    alpha,
    gamma,
    nObs,
    nFeatures,
    nullDeviance,
    solver,
    warnings,
  });
}

function fromMultinomial(f: MultinomialFit): ModelPath {
  const { classes, alpha, nObs, nFeatures, lambda, df, devRatio, nullDeviance } = f;
  const { objective, kktMax, passes, warnings } = f;
  return {
    family: "multinomial",
    penalty: "elastic-net",
    alpha,
    gamma: NaN,
    classes,
    nObs,
    nFeatures,
    lambda,
    intercepts: f.intercept,
    coefficients: f.beta,
    df,
    devRatio,
    nullDeviance,
    objective,
    kktMax,
    passes,
    solver: "multinomial",
    warnings,
  };
}

const fromNonconvex = (f: NonconvexFit, nObs: number, nFeatures: number): ModelPath =>
  oneSet(f, {
    family: "gaussian",
    penalty: f.penalty,
    alpha: 1,
    gamma: f.gamma,
    nObs,
    nFeatures,
    nullDeviance: NaN,
    solver: "nonconvex-cd",
    warnings: f.warnings,
  });
