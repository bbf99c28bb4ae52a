import type { CscMatrix, Matrix } from "../data/matrix.js";
import {
  certifiedColumns,
  earlyEndRule,
  nonconvexEndRule,
  originalScale,
  statusOutcome,
  walkPath,
  type CertifiedPoint,
} from "./driver.js";
import { cscToDense, denseIsBetter, firstNonFinite } from "../data/matrix.js";
import { GlmDesign } from "../data/glmDesign.js";
import { binomial } from "../datafit/binomial.js";
import type { GlmFamily } from "../datafit/family.js";
import { nullModelDeviance } from "../datafit/intercept.js";
import { poisson } from "../datafit/poisson.js";
import { InputError } from "../errors.js";
import { enetSubdiffDistance } from "../penalty/elasticNet.js";
import { nonconvexPenalty, type Nonconvex } from "../penalty/nonconvex.js";
import { GlmCd, type GlmPathSolver, type GlmSetup } from "../solver/glmCd.js";
import { SparseGlmCd } from "../solver/sparseGlmCd.js";
import { glmDualityGap } from "./certificate.js";
import type { PathFit } from "./elasticNetPath.js";
import {
  nonconvexGamma,
  resolveOptions,
  scaledLimits,
  type ElasticNetOptions,
  type ResolvedOptions,
} from "./options.js";
import { checkXY, lambdaSequence } from "./prepare.js";

export interface GlmOptions extends ElasticNetOptions {
  /** Per-observation offset added to the linear predictor (Poisson: the log exposure). */
  offset?: ArrayLike<number>;
}

const FAMILIES: Record<string, GlmFamily> = { binomial, poisson };

/**
 * Each point is solved until its KKT violation is at most 100·thresh·λ: 1e-7·λ at the default
 * thresh (objective within about 1e-12 of the optimum, relative); glmnet's thresh 1e-7 gives
 * 1e-5·λ, still within about 1e-9 where glmnet's own default fits are 1e-6 to 1e-4 above.
 */
export const KKT_PER_THRESH = 100;

/**
 * On a large sparse design (SparseGlmCd, glmnet's naive updates) each point is solved to KKT ≤
 * 1e6·thresh·λ: 1e-3·λ at the default thresh. On the 20 000 × 50 000 text-like cell of
 * bench/sparse.mjs that leaves the objective within 5e-9 (relative) of glmnet's own default fits
 * (and 9e-6 below them at the path's end), where 1e-5·λ took 2.5 times as long; 1e-2·λ left
 * points 2e-6 above glmnet's. Lower `thresh` for tighter certificates. The elastic net on a
 * sparse design that `denseIsBetter` (small, or not very sparse) gets the dense solver's target
 * (KKT_PER_THRESH): its passes are cheap, and the same data read from a CSV file and from an
 * svmlight file then give the same coefficients to the digits printed.
 */
export const SPARSE_KKT_PER_THRESH = 1e6;

/**
 * Fits the elastic-net path of a GLM — "binomial" (logistic, y ∈ {0, 1}) or "poisson" (log link,
 * counts) — by proximal Newton (IRLS) with coordinate descent inside, warm starts along the path,
 * strong rules and a KKT check on the true gradient (Friedman, Hastie & Tibshirani 2010, §3).
 * Point k minimizes glmnet's objective
 *
 *     Σᵢ ŵᵢ ℓ(yᵢ, β₀ + xᵢᵀβ + offsetᵢ)  +  λ_k Σⱼ pfⱼ ( α|sⱼβⱼ| + (1−α)/2 (sⱼβⱼ)² )
 *
 * (ŵ the weights normalized to sum to 1, ℓ the negative log-likelihood, sⱼ the weighted standard
 * deviation when standardizing). Options and defaults are those of `elasticNetPath`; `devRatio`
 * is 1 − deviance / null deviance, the null model being the intercept (with the offset) alone.
 * `kktMax` covers the intercept too (each point is solved to kktMax ≤ 100·thresh·λ);
 * `dualityGap` is the Fenchel duality gap at the rescaled residual (glmDualityGap), an upper bound
 * on the objective's distance to the optimum (NaN where no dual point is feasible).
 *
 * @example
 * ```ts
 * const fit = glmPath("binomial", x, y01, { alpha: 1 }); // L1 logistic regression path
 * coefAt(fit, 0.01); // { intercept, beta } at λ = 0.01
 * const d = fromTable(records, { target: "clicked", positive: "yes" }); // from a JavaScript table
 * glmPath("binomial", d.x, d.y);
 * ```
 */
export function glmPath(
  family: "binomial" | "poisson",
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions = {},
): PathFit {
  // A sparse design small enough to hold dense (denseIsBetter: at most 4M values, or a quarter
  // filled) runs the dense solver: the same path as its dense copy, where the sparse solver at
  // the same certificate took 15 times as long (the digits data as svmlight, 1797 × 64: 518 ms
  // and 8374 passes against 36 ms and 566).
  const m = x.kind === "csc" && denseIsBetter(x) ? cscToDense(x) : x;
  return runGlmPath(family, m, y, options, null);
}

/**
 * glmPath on the sparse solver (SparseGlmCd) whatever the design's size: for the tests that
 * check it against the dense solver on small designs. Not part of the public API.
 */
export function sparseSolverGlmPath(
  family: "binomial" | "poisson",
  x: CscMatrix,
  y: ArrayLike<number>,
  options: GlmOptions = {},
): PathFit {
  return runGlmPath(family, x, y, options, null);
}

/**
 * The MCP or SCAD path of a binomial or Poisson GLM on a sparse design: glmPath's driver and
 * SparseGlmCd with the penalty's coordinate minimizer (Breheny & Huang 2011's scheme: IRLS with
 * coordinate descent), never densified. Point k reaches a stationary point of
 *
 *     Σᵢ ŵᵢ ℓ(yᵢ, β₀ + xᵢᵀβ + offsetᵢ)  +  Σⱼ p(|sⱼβⱼ|; λ_k·pfⱼ, γ),
 *
 * certified by its first-order conditions (`kktMax`; no duality gap: the problem is not convex).
 * The whole λ grid is run, as ncvreg does: only dfMax and saturation (a deviance ratio past 0.99)
 * end it early. `fit` takes this route for sparse input with at most 10 % non-zeros; the model
 * core fits the same problem otherwise.
 */
export function nonconvexGlmPath(
  family: "binomial" | "poisson",
  x: CscMatrix,
  y: ArrayLike<number>,
  options: GlmOptions & { penalty: Nonconvex; gamma: number },
): PathFit {
  const { penalty, gamma, ...rest } = options;
  return runGlmPath(family, x, y, rest, { kind: penalty, gamma });
}

function runGlmPath(
  family: "binomial" | "poisson",
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions,
  nonconvex: { kind: Nonconvex; gamma: number } | null,
): PathFit {
  const fam = FAMILIES[family];
  if (!fam) throw new InputError(`unknown family '${String(family)}' (binomial, poisson)`);
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  const bad = fam.checkResponse(y);
  if (bad) throw new InputError(bad);
  const o = resolveOptions(options, n, p);
  const other = nonconvex
    ? nonconvexPenalty(nonconvex.kind, nonconvex.gamma, o.penaltyFactor)
    : null;
  if (nonconvex) {
    nonconvexGamma(nonconvex.kind, nonconvex.gamma, o.alpha);
    if (x.kind !== "csc") throw new Error("nonconvexGlmPath runs on a sparse design");
  }
  const offset = new Float64Array(n);
  if (options.offset !== undefined) {
    if (options.offset.length !== n)
      throw new InputError(
        `option 'offset': needs ${n} values (one per row), got ${options.offset.length}`,
        { option: "offset" },
      );
    offset.set(Array.from(options.offset));
    const k = firstNonFinite(offset);
    if (k >= 0)
      throw new InputError(`option 'offset': non-finite value at row ${k + 1}`, {
        option: "offset",
        row: k + 1,
      });
  }
  const yy = Float64Array.from(y);
  const w = o.weights;
  let ym = 0;
  for (let i = 0; i < n; i++) ym += w[i] * yy[i];
  if (family === "binomial" && !(ym > 0 && ym < 1))
    throw new InputError("binomial response has a single class: there is nothing to fit");
  if (family === "poisson" && !(ym > 0))
    throw new InputError("poisson response is all zero: there is nothing to fit");

  const include = o.include;
  const design = new GlmDesign(x, w, o.intercept, o.standardize, include);
  const nullDeviance = nullModelDeviance(fam, yy, w, offset, o.intercept);
  const setup = glmSetup(o, design, {
    family: fam,
    y: yy,
    offset,
    thr: o.thresh * nullDeviance,
    // (MCP / SCAD keep the sparse target on any sparse design: their damped steps do not reach
    // the dense one within MAX_NEWTON steps at every point.)
    kktTol:
      (x.kind === "csc" && (other !== null || !denseIsBetter(x))
        ? SPARSE_KKT_PER_THRESH
        : KKT_PER_THRESH) * o.thresh,
    pMax: o.pMax,
    ...(other ? { penalty: other } : {}),
  });
  const { lower, upper } = setup;
  // A sparse design runs glmnet's naive coordinate descent, never densified (SparseGlmCd).
  const cd: GlmPathSolver = x.kind === "csc" ? new SparseGlmCd(setup) : new GlmCd(setup);
  cd.solve(Infinity, Infinity);
  const { lambdas, lambdaMax } = lambdaSequence(cd.g, include, o);

  // Where every feature is included and unboxed (plain), the loop below reads only b, g and pf
  // for the zero coefficients (most of them when p ≫ n). After a sparse solve that returned "ok",
  // only its strong features can be non-zero or violate the KKT conditions
  // (SparseGlmCd.strongFeatures; the excluded ones add nothing): where no included feature has a
  // box (unboxed), the loop reads those alone.
  let unboxed = true;
  let allIncluded = true;
  for (let j = 0; j < p; j++) {
    if (!include[j]) allIncluded = false;
    else if (lower[j] !== -Infinity || upper[j] !== Infinity) unboxed = false;
  }
  const plain = unboxed && allIncluded;
  // The features that can contribute to the duality gap (glmDualityGap's `candidates`).
  const candidates = new Int32Array(p);
  const nz = new Int32Array(p);
  const sparseCd = cd instanceof SparseGlmCd && unboxed ? cd : null;
  let solved = false;
  const path = walkPath<CertifiedPoint>(
    lambdas,
    lambdaMax,
    other ? nonconvexEndRule(family, o) : earlyEndRule(family, o),
    (lam, lamPrev) => {
      const status = cd.solve(lam, lamPrev);
      solved = status === "ok";
      return statusOutcome(status, o.maxPasses, o.pMax);
    },
    (_k, lam) => {
      const ab = lam * o.alpha;
      const dem = lam * (1 - o.alpha);
      let pen = 0;
      let kkt = o.intercept ? Math.abs(cd.g0) : 0;
      const { b, g } = cd;
      const pf = o.penaltyFactor;
      let nc = 0;
      let nnz = 0;
      const list = sparseCd && solved ? sparseCd.strongFeatures() : null;
      const count = list ? list.length : p;
      for (let t = 0; t < count; t++) {
        const j = list ? list[t] : t;
        const bj = b[j];
        if (plain ? bj === 0 : bj === 0 && include[j] && lower[j] < 0 && upper[j] > 0) {
          // enetSubdiffDistance's value at a zero inside its box: (|g| − κ)₊.
          const v = Math.abs(g[j]) - ab * pf[j];
          if (v > 0) {
            if (v > kkt) kkt = v;
            candidates[nc++] = j;
          }
          continue;
        }
        if (!include[j]) continue;
        candidates[nc++] = j;
        const kappa = ab * pf[j];
        const mu = dem * pf[j];
        const v = other
          ? other.subdiffDistance(bj, g[j], j, lam)
          : enetSubdiffDistance(bj, g[j], kappa, mu, lower[j], upper[j]);
        if (v > kkt) kkt = v;
        if (bj === 0) continue;
        pen += other ? other.value(bj, j, lam) : kappa * Math.abs(bj) + 0.5 * mu * bj * bj;
        nz[nnz++] = j;
      }
      const point = originalScale(
        nz.slice(0, nnz),
        b,
        cd.b0,
        design.center,
        design.scale,
        o.intercept,
      );
      const primal = cd.loss() + pen;
      return {
        intercept: point.intercept,
        beta: point.beta,
        df: nnz,
        devRatio: 1 - cd.deviance() / nullDeviance,
        objective: primal,
        kktMax: kkt,
        dualityGap: other
          ? NaN
          : glmDualityGap(
              family,
              yy,
              w,
              cd.means(),
              cd.g,
              cd.g0,
              cd.b,
              include,
              o.penaltyFactor,
              lower,
              upper,
              lam,
              o.alpha,
              o.intercept,
              offset,
              primal,
              cd.entropy(),
              candidates.subarray(0, nc),
            ),
      };
    },
  );
  cd.release();
  design.release();
  return {
    family,
    alpha: o.alpha,
    nObs: n,
    nFeatures: p,
    ...certifiedColumns(path),
    nullDeviance,
    center: design.center,
    scale: design.scale,
    passes: cd.passes,
    solver: "irls",
  };
}

/**
 * A GLM solver's setup (GlmSetup) from resolved path options: weights, intercept, included
 * features, penalty factors, box limits on the design's standardized scale, α and the pass limit
 * from `o`; the response, offset, thresholds and pMax from `fields`.
 */
export function glmSetup(
  o: ResolvedOptions,
  design: GlmDesign,
  fields: Pick<GlmSetup, "family" | "y" | "offset" | "thr" | "kktTol" | "pMax">,
): GlmSetup {
  const { lower, upper } = scaledLimits(o, design.scale);
  return {
    design,
    w: o.weights,
    intercept: o.intercept,
    include: o.include,
    pf: o.penaltyFactor,
    lower,
    upper,
    alpha: o.alpha,
    maxPasses: o.maxPasses,
    ...fields,
  };
}
