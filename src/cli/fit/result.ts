/**
 * What one run of `regularize fit` found — the path, the cross-validation curve, the selected
 * model, stability selection and the "why zero" explanation — for its renderers: the terminal
 * table (terminal.ts), the saved model (model.ts), the JSON document (json.ts) and the HTML
 * report (report.ts).
 */
import type { Measure } from "../../cv/measures.js";
import type { Matrix } from "../../data/matrix.js";
import type { SparsityExplanation } from "../../explain/explain.js";
import type { PathFit, SparseVector } from "../../path/elasticNetPath.js";
import type { FitFamily } from "../../path/families.js";
import type { FitOptions, ModelPath } from "../../path/fit.js";
import type { MultinomialFit } from "../../path/multinomialPath.js";
import type { RidgeCv } from "../../path/ridgePath.js";
import type { StabilityResult } from "../../select/stability.js";
import type { Design } from "../input.js";
import type { CliPenalty } from "../penalty.js";
import type { Parsed } from "../parse.js";
import type { FIT_OPTIONS } from "../schema.js";

/** The options of `regularize fit` (and of `regularize demo`, which sets them per dataset). */
export type FitCliOptions = Parsed<typeof FIT_OPTIONS>;

export const MEASURE_TITLES: Record<Measure, string> = {
  mse: "Mean-squared error (cross-validated)",
  mae: "Mean absolute error (cross-validated)",
  deviance: "Deviance (cross-validated)",
  class: "Misclassification rate (cross-validated)",
  auc: "AUC (cross-validated)",
  C: "Harrell's C (cross-validated)",
};

export interface Curve {
  measure: Measure;
  lambda: Float64Array;
  cvm: Float64Array;
  cvsd: Float64Array;
  nzero: Int32Array;
  indexMin: number;
  index1se: number;
}

/** A path fit reduced to what the command needs, whatever the penalty. */
export interface AnyFit {
  lambda: Float64Array;
  intercept: (k: number) => number[];
  /** Coefficients (original scale) at path point k, one array per class. */
  coef: (k: number) => Float64Array[];
  kktMax: Float64Array;
  objective: Float64Array;
  df: ArrayLike<number>;
  /** The path's warnings (points not solved to the tolerance, early ends), one line each. */
  warnings: readonly string[];
}

const dense = (v: SparseVector, p: number) => {
  const b = new Float64Array(p);
  v.index.forEach((j, t) => (b[j] = v.value[t]));
  return b;
};

export function wrapGlm(fit: PathFit | MultinomialFit | ModelPath, p: number): AnyFit {
  if ("coefficients" in fit)
    return {
      lambda: fit.lambda,
      intercept: (k) => Array.from(fit.intercepts[k]),
      coef: (k) => fit.coefficients[k].map((v) => dense(v, p)),
      kktMax: fit.kktMax,
      objective: fit.objective,
      df: fit.df,
      warnings: fit.warnings,
    };
  if ("classes" in fit)
    return {
      lambda: fit.lambda,
      intercept: (k) => Array.from(fit.intercept[k]),
      coef: (k) => fit.beta[k].map((v) => dense(v, p)),
      kktMax: fit.kktMax,
      objective: fit.objective,
      df: fit.df,
      warnings: fit.warnings,
    };
  return {
    lambda: fit.lambda,
    intercept: (k) => [fit.intercept[k]],
    coef: (k) => [dense(fit.beta[k], p)],
    kktMax: fit.kktMax,
    objective: fit.objective,
    df: fit.df,
    warnings: fit.warnings,
  };
}

/** A number as the tables show it: 4 significant digits, exponent form when very large or small. */
export const fmt = (v: number) =>
  v === 0 ? "0" : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4);

/** One run of `regularize fit`, as its renderers need it. */
export interface FitRun {
  file: string;
  title?: string;
  o: FitCliOptions;
  family: FitFamily;
  penalty: CliPenalty;
  alpha: number;
  /** The model core fits this family (or link): no engine, stability or "why zero". */
  core: boolean;
  familyExtra: Partial<FitOptions>;
  /** The rows in memory (absent when an engine took the sums). */
  d?: Design;
  x?: Matrix;
  y: Float64Array;
  response: { classes?: (number | string)[]; note?: string };
  features: string[];
  n: number;
  p: number;
  meta: {
    target: string;
    dropped: string[];
    constant: string[];
    duplicates: [string, string][];
    droppedRows: number[];
    imputed: { column: string; mean: number; count: number }[];
    encodings: { column: string; levels: string[]; names: string[] }[];
  };
  fit: AnyFit;
  curve: Curve;
  foldId: Int32Array;
  /** The number of folds, and where they came from ("" seeded, else the file or column). */
  nFolds: number;
  foldSource: string;
  /** The exact ridge path's leave-one-out and GCV errors, when ridge was solved exactly. */
  ridgeCv?: RidgeCv;
  /** The selected point: its index, λ, coefficients (one array per class) and intercepts. */
  k: number;
  lambdaSel: number;
  coef: Float64Array[];
  intercept: number[];
  stab?: StabilityResult;
  why?: SparsityExplanation;
  /** Each feature's mean and sd (the saved model's standardization). */
  standardization: { mean: number[]; sd: number[] };
}

/**
 * glmnet's fit arguments a run set away from their defaults, one phrase each (the report's
 * "fit options" row): an explicit λ, penalty factors, box limits, no standardization, no
 * intercept, thresh.
 */
export function fitOptionNotes(o: FitCliOptions): string[] {
  const list = (v: number[]) => (v.length > 6 ? `${v.slice(0, 6).join(", ")}, …` : v.join(", "));
  const notes: string[] = [];
  if (o.lambda) notes.push(`λ given (${o.lambda.length} values)`);
  if (o.penaltyFactor) notes.push(`penalty factors ${list(o.penaltyFactor)}`);
  if (o.lowerLimits) notes.push(`lower limits ${list(o.lowerLimits)}`);
  if (o.upperLimits) notes.push(`upper limits ${list(o.upperLimits)}`);
  if (o.standardize === false) notes.push("features not standardized");
  if (o.intercept === false) notes.push("no intercept");
  if (o.thresh !== undefined) notes.push(`thresh ${o.thresh}`);
  return notes;
}
