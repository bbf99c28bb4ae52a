import { denseIsBetter, type Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { corePath } from "./corePath.js";
import type { MultinomialFit, MultinomialOptions } from "./multinomialFit.js";
import { checkXY } from "./prepare.js";
import { sparseMultinomialPath } from "./sparseMultinomial.js";

export type { MultinomialFit, MultinomialOptions } from "./multinomialFit.js";

/**
 * The multinomial (softmax) elastic-net path, ungrouped as glmnet's default
 * (`type.multinomial = "ungrouped"`): point k minimizes
 *
 *     −Σᵢ ŵᵢ [ Σ_c y_ic η_ic − log Σ_c e^{η_ic} ]  +  λ_k Σ_c Σⱼ pfⱼ (α|sⱼβ_jc| + (1−α)/2 (sⱼβ_jc)²)
 *
 * over one intercept and coefficient vector per class, on the model core (corePath: the
 * multinomial datafit's exact Newton model with its cross-class terms, solved by coordinate
 * descent and an active-set Cholesky solve on the non-zero entries, then a line search — glmnet
 * instead sweeps the classes one at a time, which crawls where classes nearly separate).
 * Intercepts are centered (the likelihood only sees their differences), as glmnet. λ_max and
 * the sequence follow glmnet (the largest |gradient| over features and classes at the
 * intercept-only fit). The grouped type (glmnet's `type.multinomial = "grouped"`: each feature in
 * every class or in none, penalized by pfⱼ(α‖b̃ⱼ‖₂ + (1−α)/2‖b̃ⱼ‖₂²)) runs on the same core with
 * the group penalty: its model solved by block coordinate descent on the lagged Hessian
 * (compactModel.ts).
 *
 * @example
 * ```ts
 * const fit = multinomialPath(x, classLabels, { typeMultinomial: "grouped" });
 * fit.beta[20][2]; // class 2's coefficients at λ₂₀
 * const d = fromTable(records, { target: "species" }); // text labels: d.classes names the classes
 * multinomialPath(d.x, d.y);
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
  if (typeMultinomial !== "ungrouped" && typeMultinomial !== "grouped")
    throw new InputError(
      `option 'typeMultinomial': must be ungrouped or grouped, got ${String(typeMultinomial)}`,
      { option: "typeMultinomial" },
    );
  // Sparse input too large to hold dense, ungrouped: the classes one at a time on the sparse
  // solver, never densified. (Where the dense design is small or the matrix not very sparse, the
  // core's exact multinomial Newton steps are faster: on the digits as CSC, 2 s against 126 s for
  // the class sweeps, which crawl where classes nearly separate.)
  if (x.kind === "csc" && typeMultinomial === "ungrouped" && !denseIsBetter(x))
    return sparseMultinomialPath(x, y, classes, rest);
  const core = corePath(x, y, { ...rest, family: "multinomial", typeMultinomial });
  return {
    family: "multinomial",
    classes: core.classes,
    alpha: core.alpha,
    lambda: core.lambda,
    intercept: core.intercepts,
    beta: core.coefficients,
    df: core.df,
    devRatio: core.devRatio,
    objective: core.objective,
    kktMax: core.kktMax,
    passes: core.passes,
    nObs: n,
    nFeatures: p,
    nullDeviance: core.nullDeviance,
    warnings: core.warnings,
  };
}
