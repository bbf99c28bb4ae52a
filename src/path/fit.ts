import type { NewtonDatafit } from "../core/datafit.js";
import type { Penalty } from "../core/penalty.js";
import { moments } from "../data/design.js";
import type { Matrix } from "../data/matrix.js";
import { binomial } from "../datafit/binomial.js";
import { MultinomialDatafit } from "../datafit/multinomial.js";
import { poisson } from "../datafit/poisson.js";
import { SingleDatafit } from "../datafit/single.js";
import { InputError } from "../errors.js";
import { elasticNetPenalty } from "../penalty/elasticNet.js";
import { groupPenalty } from "../penalty/groupLasso.js";
import { nonconvexPenalty, type Nonconvex } from "../penalty/nonconvex.js";
import { ProxNewton } from "../solver/proxNewton.js";
import { elasticNetPath, type PathFit, type SparseVector } from "./elasticNetPath.js";
import { glmPath, KKT_PER_THRESH } from "./glmPath.js";
import { groupLassoPath, type GroupPathFit } from "./groupPath.js";
import { multinomialPath } from "./multinomialPath.js";
import { originalScalePoint, type MultinomialFit } from "./multinomialFit.js";
import { nonconvexPath, type NonconvexFit } from "./nonconvexPath.js";
import { resolveOptions, scaledLimits, type ElasticNetOptions } from "./options.js";
import { checkXY, geometricLambdas } from "./prepare.js";
import { earlyEnd, stallThreshold } from "./earlyEnd.js";

export type FitFamily = "gaussian" | "binomial" | "poisson" | "multinomial";
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
  /** Offsets of the linear predictor (one per row; not for the multinomial). */
  offset?: ArrayLike<number>;
  /**
   * "auto" (default): the specialised solver where one exists (elastic net of every family;
   * Gaussian MCP/SCAD; Gaussian and binomial group lasso without per-feature options), the model
   * core otherwise; "core": always the model core's proximal Newton.
   */
  solver?: "auto" | "core";
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
  solver: PathFit["solver"] | "prox-newton" | "block-cd" | "nonconvex-cd" | "multinomial";
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
 * ```
 */
export function fit(x: Matrix, y: ArrayLike<number>, options: FitOptions = {}): ModelPath {
  const { solver = "auto", ...rest } = options;
  if (solver !== "auto" && solver !== "core")
    throw new InputError(`option 'solver': auto or core, got '${String(solver)}'`, {
      option: "solver",
    });
  if (solver === "auto") {
    const special = specialised(x, y, rest);
    if (special) return special;
  }
  return corePath(x, y, rest);
}

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
  // The Gaussian MCP/SCAD and the Gaussian/binomial group paths take only the common options.
  const plain =
    offset === undefined &&
    typeMultinomial === undefined &&
    (Object.keys(rest) as (keyof typeof rest)[]).every((k) =>
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
  if (penalty === "group" && (family === "gaussian" || family === "binomial") && groups) {
    const f = groupLassoPath(x, y, { ...rest, family, groups, groupWeights });
    return fromGroup(f, x.nRows, x.nCols);
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
    warnings: [],
  });

const fromGroup = (f: GroupPathFit, nObs: number, nFeatures: number): ModelPath =>
  oneSet(f, {
    family: f.family,
    penalty: "group",
    alpha: f.alpha,
    gamma: NaN,
    nObs,
    nFeatures,
    nullDeviance: f.nullDeviance,
    solver: "block-cd",
    warnings: [],
  });

/** The model core's path (`fit` with solver "core"). */
function corePath(x: Matrix, y: ArrayLike<number>, options: FitOptions): ModelPath {
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  const {
    family = "gaussian",
    penalty: penaltyName = "elastic-net",
    gamma: gammaOption,
    groups,
    groupWeights,
    typeMultinomial = "ungrouped",
    offset: offsetOption,
    ...rest
  } = options;
  const bad = (option: string, message: string) =>
    new InputError(`option '${option}': ${message}`, { option });
  if (!["gaussian", "binomial", "poisson", "multinomial"].includes(family))
    throw bad("family", `gaussian, binomial, poisson or multinomial, got '${String(family)}'`);
  if (!["elastic-net", "mcp", "scad", "group"].includes(penaltyName))
    throw bad("penalty", `elastic-net, mcp, scad or group, got '${String(penaltyName)}'`);
  if (typeMultinomial !== "ungrouped" && typeMultinomial !== "grouped")
    throw bad("typeMultinomial", `ungrouped or grouped, got '${String(typeMultinomial)}'`);
  if (typeMultinomial === "grouped" && (family !== "multinomial" || penaltyName !== "elastic-net"))
    throw bad("typeMultinomial", "grouped applies to the multinomial elastic net only");
  const alphaDefault = penaltyName === "group" ? 0 : 1;
  const o = resolveOptions({ ...rest, alpha: rest.alpha ?? alphaDefault }, n, p);
  const w = o.weights;
  const include = o.include;
  const { center, scale } = moments(x, w, o.intercept, o.standardize, include);

  // The datafit.
  let classes: number[] = [];
  let datafit: NewtonDatafit;
  const K0 = family === "multinomial" ? 0 : 1;
  let offset = new Float64Array(n);
  if (offsetOption !== undefined) {
    if (family === "multinomial") throw bad("offset", "not available for the multinomial family");
    if (offsetOption.length !== n)
      throw bad("offset", `needs ${n} values, got ${offsetOption.length}`);
    offset = Float64Array.from(offsetOption);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(offset[i]))
        throw bad("offset", `value ${offset[i]} at row ${i + 1} is not finite`);
  }
  if (family === "multinomial") {
    classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    if (classes.length < 2)
      throw new InputError("multinomial response has a single class: there is nothing to fit");
    const index = new Map(classes.map((c, k) => [c, k]));
    datafit = new MultinomialDatafit(
      Int32Array.from(y, (v) => index.get(v) as number),
      classes.length,
      w,
    );
  } else {
    const yy = Float64Array.from(y);
    const fam = family === "binomial" ? binomial : family === "poisson" ? poisson : null;
    if (fam) {
      const msg = fam.checkResponse(yy);
      if (msg) throw new InputError(msg);
    }
    datafit = new SingleDatafit(fam, yy, w, offset, o.intercept);
  }
  const K = datafit.K;
  void K0;

  // The penalty.
  let gamma = NaN;
  let penalty: Penalty;
  if (penaltyName === "mcp" || penaltyName === "scad") {
    gamma = gammaOption ?? (penaltyName === "mcp" ? 3 : 3.7);
    const least = penaltyName === "mcp" ? 1 : 2;
    if (!(gamma > least) || !Number.isFinite(gamma))
      throw bad("gamma", `must be > ${least} for ${penaltyName}, got ${gamma}`);
    if (o.alpha !== 1) throw bad("alpha", `${penaltyName} takes no α (got ${o.alpha})`);
    penalty = nonconvexPenalty(penaltyName as Nonconvex, gamma, o.penaltyFactor);
  } else if (penaltyName === "group") {
    if (!groups || groups.length !== p)
      throw bad("groups", `needs one group id per feature (${p}), got ${groups?.length ?? 0}`);
    const ids: number[] = [];
    const members = new Map<number, number[]>();
    for (let j = 0; j < p; j++) {
      const g = groups[j];
      if (!Number.isFinite(g)) throw bad("groups", `feature ${j} has group id ${g}`);
      if (!members.has(g)) {
        members.set(g, []);
        ids.push(g);
      }
      (members.get(g) as number[]).push(j);
    }
    const G = ids.length;
    const gw = new Float64Array(G);
    for (let g = 0; g < G; g++)
      gw[g] = groupWeights ? groupWeights[g] : Math.sqrt((members.get(ids[g]) as number[]).length);
    if (groupWeights && groupWeights.length !== G)
      throw bad("groupWeights", `needs ${G} values (one per group), got ${groupWeights.length}`);
    for (let g = 0; g < G; g++)
      if (!(gw[g] >= 0) || !Number.isFinite(gw[g]))
        throw bad("groupWeights", `value ${gw[g]} for group ${ids[g]} must be finite and ≥ 0`);
    penalty = groupPenalty(
      ids.map((g) => Int32Array.from(members.get(g) as number[])),
      Float64Array.from(gw, (v) => (v > 0 ? o.alpha : 0)),
      Float64Array.from(gw, (v) => (1 - o.alpha) * v),
      new Float64Array(G),
    );
  } else if (typeMultinomial === "grouped") {
    if (options.lowerLimits !== undefined || options.upperLimits !== undefined)
      throw bad(
        "lowerLimits",
        "not available for the grouped multinomial (box limits do not act on a group norm)",
      );
    const pf = o.penaltyFactor;
    penalty = groupPenalty(
      Array.from({ length: p }, (_, j) => Int32Array.of(j)),
      new Float64Array(p),
      Float64Array.from(pf, (v) => o.alpha * v),
      Float64Array.from(pf, (v) => (1 - o.alpha) * v),
    );
  } else {
    const { lower, upper } = scaledLimits(o, scale);
    penalty = elasticNetPenalty(o.alpha, o.penaltyFactor, lower, upper);
  }

  // Standardized columns and a column of ones.
  const xs = new Float64Array(n * (p + 1));
  for (let j = 0; j < p; j++) {
    if (!include[j]) continue;
    const c = center[j];
    const s = 1 / scale[j];
    const off = j * n;
    if (x.kind === "dense") for (let i = 0; i < n; i++) xs[off + i] = (x.data[off + i] - c) * s;
    else {
      for (let i = 0; i < n; i++) xs[off + i] = -c * s;
      for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++)
        xs[off + x.rowIndex[k]] += x.values[k] * s;
    }
  }
  xs.fill(1, p * n);
  const etaStart = new Float64Array(K * n);
  if (K === 1) etaStart.set(offset);
  const solver = new ProxNewton({
    xs,
    n,
    p,
    datafit,
    penalty,
    intercept: o.intercept,
    include,
    offset: etaStart,
    kktTol: KKT_PER_THRESH * o.thresh,
    maxPasses: o.maxPasses,
  });
  if (o.intercept) solver.setIntercepts(datafit.interceptStart());
  // The unpenalized fit (intercepts and unpenalized features), then λ_max from its gradient.
  solver.solve(Infinity, Infinity);
  solver.allGradients();
  let lambdaMax = 0;
  if (penalty.kind === "coordinate") {
    for (let j = 0; j < p; j++)
      if (include[j] && penalty.penalized(j))
        for (let c = 0; c < K; c++)
          lambdaMax = Math.max(lambdaMax, penalty.zeroLambda(solver.grad[j * K + c], j));
  } else
    penalty.groups.forEach((feats, g) => {
      const kept = Array.from(feats).filter((j) => include[j]);
      if (kept.length === 0 || !penalty.penalized(g)) return;
      const gr = new Float64Array(kept.length * K);
      kept.forEach((j, a) => {
        for (let c = 0; c < K; c++) gr[a * K + c] = solver.grad[j * K + c];
      });
      lambdaMax = Math.max(lambdaMax, penalty.zeroLambda(gr, g));
    });
  if (!Number.isFinite(lambdaMax) || lambdaMax <= 0) lambdaMax = Math.max(lambdaMax, 0);
  // Points are solved to kktTol·max(λ, λ_max/100): below λ_max/100 a relative 1e-7·λ can ask
  // for more than the gradient's rounding allows on collinear data.
  solver.lambdaFloor = Number.isFinite(lambdaMax) ? lambdaMax / 100 : 0;
  const lambdas =
    o.lambda ?? geometricLambdas(lambdaMax > 0 && Number.isFinite(lambdaMax) ? lambdaMax : 1, o);
  const L = lambdas.length;
  const out = {
    intercepts: [] as Float64Array[],
    coefficients: [] as SparseVector[][],
    df: [] as number[],
    devRatio: [] as number[],
    objective: [] as number[],
    kktMax: [] as number[],
  };
  const warnings: string[] = [];
  const ever = new Uint8Array(p);
  const fdev = stallThreshold(o);
  let lamPrev = Math.max(lambdaMax, lambdas[0]);
  for (let k = 0; k < L; k++) {
    const lam = lambdas[k];
    const status = solver.solve(lam, lamPrev);
    lamPrev = lam;
    if (status !== "ok")
      warnings.push(
        `λ #${k + 1} (${lam}): ${status === "maxPasses" ? `did not converge in ${o.maxPasses} passes` : status === "maxNewton" ? "did not converge in 200 Newton steps" : "stalled (no step lowered the objective or the violation)"}; KKT violation ${solver.kkt.toExponential(2)}`,
      );
    let count = 0;
    let df = 0;
    for (let j = 0; j < p; j++) {
      let nz = false;
      for (let c = 0; c < K; c++) if (solver.beta[j * K + c] !== 0) nz = true;
      if (nz) {
        ever[j] = 1;
        df++;
      }
      count += ever[j];
    }
    if (count > o.pMax) {
      warnings.push(`stopped at λ #${k + 1}: more than pMax = ${o.pMax} features became non-zero`);
      break;
    }
    const b = solver.beta;
    const point = originalScalePoint(
      K,
      b.subarray(p * K),
      p,
      (c, j) => b[j * K + c],
      (c, j) => b[j * K + c] !== 0,
      center,
      scale,
      o.intercept,
      K > 1,
    );
    out.intercepts.push(point.intercept);
    out.coefficients.push(point.beta);
    out.df.push(df);
    const devRatio =
      datafit.nullDeviance > 0 ? 1 - datafit.deviance(solver.loss) / datafit.nullDeviance : 0;
    out.devRatio.push(devRatio);
    out.objective.push(solver.loss + penaltyValue(penalty, solver.beta, K, p, lam, include));
    out.kktMax.push(solver.kkt);
    // MCP / SCAD paths run the whole grid, as ncvreg (their deviance can rise in steps after a
    // plateau); only saturation and dfMax end them.
    const stall = penaltyName === "mcp" || penaltyName === "scad" ? -Infinity : fdev;
    if (!o.lambda && o.earlyStop && earlyEnd(family, out.devRatio, k, L, df, o.dfMax, stall)) break;
  }
  return {
    family,
    penalty: penaltyName,
    alpha: o.alpha,
    gamma,
    classes,
    nObs: n,
    nFeatures: p,
    lambda: Float64Array.from(lambdas.subarray(0, out.df.length)),
    intercepts: out.intercepts,
    coefficients: out.coefficients,
    df: Int32Array.from(out.df),
    devRatio: Float64Array.from(out.devRatio),
    nullDeviance: datafit.nullDeviance,
    objective: Float64Array.from(out.objective),
    kktMax: Float64Array.from(out.kktMax),
    passes: solver.passes,
    solver: "prox-newton",
    warnings,
  };
}

/** The penalty at B (standardized scale). */
function penaltyValue(
  penalty: Penalty,
  beta: Float64Array,
  K: number,
  p: number,
  lam: number,
  include: Uint8Array,
): number {
  let s = 0;
  if (penalty.kind === "coordinate") {
    for (let j = 0; j < p; j++)
      for (let c = 0; c < K; c++)
        if (beta[j * K + c] !== 0) s += penalty.value(beta[j * K + c], j, lam);
    return s;
  }
  penalty.groups.forEach((feats, g) => {
    const kept = Array.from(feats).filter((j) => include[j]);
    const b = new Float64Array(kept.length * K);
    kept.forEach((j, a) => {
      for (let c = 0; c < K; c++) b[a * K + c] = beta[j * K + c];
    });
    s += penalty.value(b, g, lam);
  });
  return s;
}
