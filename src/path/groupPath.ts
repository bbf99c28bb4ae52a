import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { corePath } from "./corePath.js";
import type { SparseVector } from "./elasticNetPath.js";
import type { ElasticNetOptions } from "./options.js";

/** Options of the group path; the shared ones mean what they mean for `elasticNetPath`. */
export interface GroupOptions extends Pick<
  ElasticNetOptions,
  "nLambda" | "lambdaMinRatio" | "lambda" | "standardize" | "intercept" | "weights" | "maxPasses"
> {
  /** Group id of each feature (any numbers; features sharing an id form a group). */
  groups: ArrayLike<number>;
  family?: "gaussian" | "binomial" | "poisson";
  /** Mixing: 0 = group lasso (default), 1 = lasso, between = sparse group lasso. */
  alpha?: number;
  /** Weight of each group, in order of first appearance; default √(group size); 0 = unpenalized. */
  groupWeights?: ArrayLike<number>;
  /**
   * Convergence: each point is solved to a KKT violation of at most
   * 1e-3·thresh·max(λ, λ_max/100) (the model core's rule, as for every family). Default 1e-7.
   */
  thresh?: number;
}

/** A group-lasso path: λ, intercepts, sparse coefficients (original scale), df, active groups, deviance ratio, objective and KKT violation per λ. */
export interface GroupPathFit {
  family: "gaussian" | "binomial" | "poisson";
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
  /** Points that ended early or above their KKT tolerance (empty when every point certified). */
  warnings: string[];
}

/**
 * The group-lasso / sparse-group-lasso path (Yuan & Lin 2006; Simon et al. 2013) for Gaussian,
 * binomial or Poisson responses. Point k minimizes
 *
 *     f(β₀, β) + λ_k Σ_g ( α‖s∘β_g‖₁ + (1 − α) w_g ‖s∘β_g‖₂ ),
 *
 * f = ½Σŵ(y − η)² (Gaussian), Σŵ[log(1 + e^η) − yη] (binomial) or Σŵ[e^η − yη] (Poisson), on
 * features standardized as glmnet does (s the weighted standard deviations), along glmnet's λ
 * sequence with its early-end rules. Runs on the model core (`fit` with penalty "group"): proximal
 * Newton steps whose model, over every group ever strong, is solved by block coordinate descent
 * on a lagged Hessian, each block exactly (compactModel.ts). Whole groups become exactly zero.
 * With one feature per group and α = 0 this is the lasso with penalty factors w_g.
 *
 * @example
 * ```ts
 * const fit = groupLassoPath(x, y, { groups: [1, 1, 2, 2, 2, 3] }); // whole groups enter or leave
 * fit.groupsActive[30];
 * const d = fromTable(records, { target: "y", categorical: "auto" }); // a text column: one group
 * const source = d.features.map((f) => d.encodings.find((e) => e.names.includes(f))?.column ?? f);
 * groupLassoPath(d.x, d.y, { groups: source.map((c) => source.indexOf(c) + 1) });
 * ```
 */
export function groupLassoPath(
  x: Matrix,
  y: ArrayLike<number>,
  options: GroupOptions,
): GroupPathFit {
  const { family = "gaussian", groups, groupWeights, ...rest } = options;
  if (family !== "gaussian" && family !== "binomial" && family !== "poisson")
    throw new InputError(
      `option 'family': gaussian, binomial or poisson, got '${String(family)}'`,
      { option: "family" },
    );
  const alpha = options.alpha ?? 0;
  const f = corePath(x, y, { ...rest, alpha, family, penalty: "group", groups, groupWeights });
  // Groups in order of first appearance, as the core numbers them.
  const ids: number[] = [];
  const index = new Map<number, number>();
  const groupOf = new Int32Array(x.nCols);
  for (let j = 0; j < x.nCols; j++) {
    const g = groups[j];
    if (!index.has(g)) {
      index.set(g, ids.length);
      ids.push(g);
    }
    groupOf[j] = index.get(g) as number;
  }
  const size = new Int32Array(ids.length);
  for (const t of groupOf) size[t]++;
  const weights = Float64Array.from(ids, (_, t) =>
    groupWeights ? groupWeights[t] : Math.sqrt(size[t]),
  );
  const beta = f.coefficients.map((sets) => sets[0]);
  const groupsActive = Int32Array.from(
    beta,
    (b) => new Set(Array.from(b.index, (j) => groupOf[j])).size,
  );
  return {
    family,
    alpha: f.alpha,
    nFeatures: f.nFeatures,
    lambda: f.lambda,
    intercept: Float64Array.from(f.intercepts, (a) => a[0]),
    beta,
    df: f.df,
    groupsActive,
    devRatio: f.devRatio,
    objective: f.objective,
    kktMax: f.kktMax,
    groupIds: ids,
    groupWeights: weights,
    passes: f.passes,
    nullDeviance: f.nullDeviance,
    warnings: f.warnings,
  };
}
