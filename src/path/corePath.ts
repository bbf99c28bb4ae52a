import type { NewtonDatafit } from "../core/datafit.js";
import type { GroupPenalty, Penalty } from "../core/penalty.js";
import { moments } from "../data/design.js";
import { firstNonFinite, type CscMatrix, type DenseMatrix, type Matrix } from "../data/matrix.js";
import { binomial } from "../datafit/binomial.js";
import { CoxDatafit } from "../datafit/cox.js";
import { checkSurvival } from "../datafit/survivalData.js";
import { MGaussianDatafit } from "../datafit/mgaussian.js";
import { LinkDatafit } from "../datafit/linkFamily.js";
import { FAMILIES, familyLink, isFamily } from "./families.js";
import { MultinomialDatafit } from "../datafit/multinomial.js";
import { poisson } from "../datafit/poisson.js";
import { SingleDatafit } from "../datafit/single.js";
import { CoreDesign, DesignFull } from "../data/coreDesign.js";
import { InputError } from "../errors.js";
import { elasticNetPenalty } from "../penalty/elasticNet.js";
import { groupPenalty } from "../penalty/groupLasso.js";
import { nonconvexPenalty, type Nonconvex } from "../penalty/nonconvex.js";
import { denseColumns, MGaussianCd, sparseColumns } from "../solver/mgaussianCd.js";
import { ProxNewton, type SolveStatus } from "../solver/proxNewton.js";
import type { SparseVector } from "./elasticNetPath.js";
import type { FitOptions, ModelPath } from "./fit.js";
import { KKT_PER_THRESH } from "./glmPath.js";
import { originalScalePoint } from "./multinomialFit.js";
import { nonconvexGamma, resolveOptions, scaledLimits } from "./options.js";
import { checkXY, geometricLambdas } from "./prepare.js";
import { stallThreshold } from "./earlyEnd.js";
import { earlyEndRule, nonconvexEndRule, walkPath, type PathPoint } from "./driver.js";

// The model core's path driver: datafit × penalty × the proximal-Newton solver along glmnet's λ
// sequence (what `fit` runs with solver "core", and the ungrouped multinomial path).

/**
 * The largest (p + 1)² for which a multi-response Gaussian elastic net runs on covariance updates
 * (MGaussianCd: the Gram columns of the entered features, and their compact copy, take up to
 * (p + 1)² doubles each, 2 × 128 MiB).
 */
const MGAUSSIAN_GRAM_MAX = 2 ** 24;

/**
 * The note of a path warning whose point has no minimizer: MCP / SCAD's flat part lets feature
 * j's coefficient grow without bound. `namedWarning` puts a column name in its place.
 */
const divergentNote = (j: number) =>
  `: the coefficient of feature ${j} (counting from 0) grows without bound where the penalty is flat (the loss keeps falling along it: no finite minimizer)`;

/** A path warning with the feature of its no-minimizer note named (the CLI knows the columns). */
export function namedWarning(warning: string, features: readonly string[]): string {
  return warning.replace(/feature (\d+) \(counting from 0\)/, (whole, j: string) =>
    features[Number(j)] !== undefined ? `feature '${features[Number(j)]}'` : whole,
  );
}

/** The model core's path (`fit` with solver "core"). */
export function corePath(
  x: Matrix,
  yIn: ArrayLike<number> | DenseMatrix,
  options: FitOptions,
): ModelPath {
  const n = x.nRows;
  const p = x.nCols;
  // The multi-response Gaussian elastic net: block descent with covariance updates, while the
  // Gram columns of all features fit in MGAUSSIAN_GRAM_MAX doubles (a sparse design then stays
  // sparse); else the proximal Newton.
  const covariance =
    options.family === "mgaussian" &&
    (options.penalty ?? "elastic-net") === "elastic-net" &&
    (p + 1) ** 2 <= MGAUSSIAN_GRAM_MAX;
  const mgaussian = options.family === "mgaussian";
  const yMatrix = isMatrix(yIn) ? yIn : null;
  if (mgaussian !== (yMatrix !== null))
    throw new InputError(
      mgaussian
        ? "option 'family': mgaussian takes the responses as a matrix (denseMatrix(n, k, data))"
        : "y is a matrix: only the mgaussian family takes several responses",
      { option: "family" },
    );
  // A response matrix is checked as its columns, one after another.
  const y: ArrayLike<number> = yMatrix ? yMatrix.data.subarray(0, n) : (yIn as ArrayLike<number>);
  checkXY(x, y);
  if (yMatrix) {
    if (yMatrix.nRows !== n)
      throw new InputError(`y has ${yMatrix.nRows} rows but X has ${n} rows`);
    const bad = firstNonFinite(yMatrix.data);
    if (bad >= 0)
      throw new InputError(
        `y has a non-finite value at row ${(bad % n) + 1} of response ${Math.floor(bad / n) + 1}`,
        { row: (bad % n) + 1 },
      );
  }
  const {
    family = "gaussian",
    penalty: penaltyName = "elastic-net",
    gamma: gammaOption,
    groups,
    groupWeights,
    typeMultinomial = "ungrouped",
    offset: offsetOption,
    standardizeResponse = false,
    link: linkOption,
    theta,
    status,
    start,
    strata,
    ties,
    ...rest
  } = options;
  const bad = (option: string, message: string) =>
    new InputError(`option '${option}': ${message}`, { option });
  if (!isFamily(family))
    throw bad("family", `one of ${FAMILIES.join(", ")}; got '${String(family)}'`);
  // A distribution with a link (glmnet's family objects): the link-only families, or a link other
  // than the canonical one (the canonical links keep their own datafits).
  const { dist, link, byLink } = familyLink(family, linkOption, theta);
  if (standardizeResponse && !mgaussian)
    throw bad("standardizeResponse", "applies to the mgaussian family only");
  const cox = family === "cox";
  if (cox) {
    if (status === undefined) throw bad("status", "the Cox family needs the event indicators");
    const msg = checkSurvival({ time: y, status, start, strata, ties });
    if (msg) throw new InputError(msg, { option: "status" });
  } else
    for (const [name, v] of Object.entries({ status, start, strata, ties }))
      if (v !== undefined) throw bad(name, "applies to the Cox family only");
  if (!["elastic-net", "mcp", "scad", "group"].includes(penaltyName))
    throw bad("penalty", `elastic-net, mcp, scad or group, got '${String(penaltyName)}'`);
  if (typeMultinomial !== "ungrouped" && typeMultinomial !== "grouped")
    throw bad("typeMultinomial", `ungrouped or grouped, got '${String(typeMultinomial)}'`);
  if (typeMultinomial === "grouped" && (family !== "multinomial" || penaltyName !== "elastic-net"))
    throw bad("typeMultinomial", "grouped applies to the multinomial elastic net only");
  // Box limits act on the elastic net's coordinates only (not on a nonconvex piece or a group norm).
  if (penaltyName !== "elastic-net")
    for (const name of ["lowerLimits", "upperLimits"] as const)
      if (options[name] !== undefined)
        throw bad(
          name,
          `not available for the ${penaltyName} penalty (box limits go with the elastic net)`,
        );
  const alphaDefault = penaltyName === "group" ? 0 : 1;
  const o = resolveOptions({ ...rest, alpha: rest.alpha ?? alphaDefault }, n, p);
  // The Cox model has no intercept; its columns are still centered for the scale (glmnet's
  // standardization), which the partial likelihood does not see.
  if (cox) o.intercept = false;
  const w = o.weights;
  const include = o.include;
  const { center, scale } = moments(x, w, o.intercept || cox, o.standardize, include);

  // The datafit.
  let classes: number[] = [];
  let datafit: NewtonDatafit;
  let offset = new Float64Array(n);
  // mgaussian: the responses class-major (each column of y), scaled to unit weighted sd with
  // standardizeResponse (glmnet's standardize.response; the coefficients are scaled back).
  let ySd: Float64Array | null = null;
  if (offsetOption !== undefined) {
    if (family === "multinomial" || mgaussian)
      throw bad("offset", `not available for the ${family} family`);
    if (offsetOption.length !== n)
      throw bad("offset", `needs ${n} values, got ${offsetOption.length}`);
    offset = Float64Array.from(offsetOption);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(offset[i]))
        throw bad("offset", `value ${offset[i]} at row ${i + 1} is not finite`);
  }
  if (cox)
    datafit = new CoxDatafit(
      { time: y, status: status as ArrayLike<number>, start, strata, ties },
      w,
      offset,
    );
  else if (yMatrix) {
    const K = yMatrix.nCols;
    const Y = Float64Array.from(yMatrix.data);
    if (standardizeResponse) {
      ySd = new Float64Array(K);
      for (let c = 0; c < K; c++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += w[i] * Y[c * n + i];
        let v = 0;
        for (let i = 0; i < n; i++) v += w[i] * (Y[c * n + i] - m) ** 2;
        const sd = Math.sqrt(v);
        if (!(sd > 0))
          throw bad("standardizeResponse", `response ${c + 1} is constant: it cannot be scaled`);
        ySd[c] = sd;
        for (let i = 0; i < n; i++) Y[c * n + i] /= sd;
      }
    }
    classes = Array.from({ length: K }, (_, c) => c);
    datafit = new MGaussianDatafit(Y, K, w, o.intercept);
  } else if (family === "multinomial") {
    classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    if (classes.length < 2)
      throw new InputError("multinomial response has a single class: there is nothing to fit");
    const index = new Map(classes.map((c, k) => [c, k]));
    datafit = new MultinomialDatafit(
      Int32Array.from(y, (v) => index.get(v) as number),
      classes.length,
      w,
    );
  } else if (byLink) {
    const yy = Float64Array.from(y);
    const msg = dist!.checkResponse(yy);
    if (msg) throw new InputError(msg);
    datafit = new LinkDatafit(dist!, link!, yy, w, offset, o.intercept);
    if (!Number.isFinite(datafit.nullDeviance))
      throw bad(
        "link",
        `the ${link} link cannot fit the ${family} family's intercept-only model to these data`,
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

  // The penalty.
  let gamma = NaN;
  let penalty: Penalty;
  if (penaltyName === "mcp" || penaltyName === "scad") {
    gamma = nonconvexGamma(penaltyName, gammaOption, o.alpha);
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
  } else if (typeMultinomial === "grouped" || mgaussian) {
    if (options.lowerLimits !== undefined || options.upperLimits !== undefined)
      throw bad(
        "lowerLimits",
        `not available for the ${mgaussian ? "mgaussian family" : "grouped multinomial"} (box limits do not act on a group norm)`,
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

  // The standardized design with a column of ones, in a heap with room for the solver's kernels
  // (CoreDesign: for sparse input, only the columns the solver asks for; none for a sparse design
  // on covariance updates, which reads the sparse columns itself).
  const design =
    covariance && x.kind === "csc" ? null : new CoreDesign(x, center, scale, include, undefined, K);
  const etaStart = new Float64Array(K * n);
  if (K === 1) etaStart.set(offset);
  const solver = covariance
    ? new MGaussianCd({
        columns: design
          ? denseColumns(design.heap, n, p)
          : sparseColumns(x as CscMatrix, center, scale),
        n,
        p,
        y: (datafit as MGaussianDatafit).y,
        K,
        w,
        alpha: o.alpha,
        pf: o.penaltyFactor,
        penalty: penalty as GroupPenalty,
        include,
        intercept: o.intercept,
        kktTol: KKT_PER_THRESH * o.thresh,
        maxPasses: o.maxPasses,
      })
    : new ProxNewton({
        design: design!,
        xs: design!.xs,
        heap: design!.heap,
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
    o.lambda ??
    geometricLambdas(lambdaMax > 0 && Number.isFinite(lambdaMax) ? lambdaMax : 1, o, cox);
  type Point = PathPoint & {
    intercept: Float64Array;
    beta: SparseVector[];
    objective: number;
    kktMax: number;
  };
  const ever = new Uint8Array(p);
  let df = 0;
  // MCP / SCAD paths run the whole grid, as ncvreg (their deviance can rise in steps after a
  // plateau); only saturation (ncvreg's, for binomial and Poisson) and dfMax end them.
  const nonconvex = penaltyName === "mcp" || penaltyName === "scad";
  const path = walkPath<Point>(
    lambdas,
    lambdaMax,
    nonconvex ? nonconvexEndRule(family, o) : earlyEndRule(family, o, stallThreshold(o)),
    (lam, lamPrev) => {
      let status: SolveStatus;
      try {
        status = solver.solve(lam, lamPrev);
      } catch (e) {
        // A sparse design whose strong set outgrew the dense columns the core holds.
        if (e instanceof DesignFull) return { stop: e.message };
        throw e;
      }
      let count = 0;
      df = 0;
      for (let j = 0; j < p; j++) {
        let nz = false;
        for (let c = 0; c < K; c++) if (solver.beta[j * K + c] !== 0) nz = true;
        if (nz) {
          ever[j] = 1;
          df++;
        }
        count += ever[j];
      }
      if (count > o.pMax) return { stop: `more than pMax = ${o.pMax} features became non-zero` };
      if (status !== "ok") {
        const why =
          status === "maxPasses"
            ? `did not converge in ${o.maxPasses} passes`
            : status === "maxNewton"
              ? "did not converge in 200 Newton steps"
              : "stalled (no step lowered the objective or the violation)";
        // (MCP / SCAD: a coefficient the loss drives to infinity on the penalty's flat part.)
        const flat = solver.divergent >= 0 ? divergentNote(solver.divergent) : "";
        return {
          warning: `${why}${flat}; KKT violation ${solver.kkt.toExponential(2)} (tolerance ${solver.tol.toExponential(2)})`,
        };
      }
      if (solver.kkt > solver.tol)
        return {
          warning: `no step lowered the objective further; KKT violation ${solver.kkt.toExponential(2)} above the tolerance ${solver.tol.toExponential(2)}`,
        };
      return null;
    },
    (_k, lam) => {
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
        family === "multinomial",
      );
      if (ySd)
        for (let c = 0; c < K; c++) {
          point.intercept[c] *= ySd[c];
          const v = point.beta[c].value;
          for (let q = 0; q < v.length; q++) v[q] *= ySd[c];
        }
      return {
        intercept: point.intercept,
        beta: point.beta,
        df,
        devRatio:
          datafit.nullDeviance > 0 ? 1 - datafit.deviance(solver.loss) / datafit.nullDeviance : 0,
        objective: solver.loss + penaltyValue(penalty, solver.beta, K, p, lam, include),
        kktMax: solver.kkt,
      };
    },
  );
  solver.release();
  datafit.release?.();
  design?.release();
  return {
    family,
    penalty: penaltyName,
    alpha: o.alpha,
    gamma,
    classes,
    nObs: n,
    nFeatures: p,
    lambda: path.lambda(),
    intercepts: path.list("intercept"),
    coefficients: path.list("beta"),
    df: path.df(),
    devRatio: path.column("devRatio"),
    nullDeviance: datafit.nullDeviance,
    objective: path.column("objective"),
    kktMax: path.column("kktMax"),
    passes: solver.passes,
    solver: covariance ? "covariance" : "prox-newton",
    warnings: path.warnings,
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

/** Whether a response is a matrix (mgaussian) rather than a vector. */
function isMatrix(y: ArrayLike<number> | DenseMatrix): y is DenseMatrix {
  return (y as DenseMatrix).kind === "dense" && (y as DenseMatrix).data !== undefined;
}
