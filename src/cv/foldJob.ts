import { subsetRows, type Matrix } from "../data/matrix.js";
import { elasticNetPath } from "../path/elasticNetPath.js";
import { glmPath, type GlmOptions } from "../path/glmPath.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { predict } from "../path/predict.js";
import { InputError } from "../errors.js";
import { multinomialPath } from "../path/multinomialPath.js";
import type { Family } from "./measures.js";

/** Fits the path of a family: `elasticNetPath` for Gaussian, `glmPath` otherwise. */
export function fitFamily(
  family: Family,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions,
): PathFit {
  if (family === "multinomial")
    throw new InputError("fitFamily: use multinomialPath for multinomial");
  if (family === "gaussian") {
    const { offset, ...rest } = options;
    if (offset !== undefined) {
      // A Gaussian offset is a shift of y.
      const shifted = Float64Array.from(y, (v, i) => v - offset[i]);
      return elasticNetPath(x, shifted, rest);
    }
    return elasticNetPath(x, y, rest);
  }
  return glmPath(family, x, y, options);
}

/** A fold's fitted path, as much of it as prediction needs (small enough to pass between threads). */
export type FoldFit =
  | { kind: "single"; lambda: Float64Array; intercept: Float64Array; beta: PathFit["beta"] }
  | {
      kind: "multinomial";
      lambda: Float64Array;
      intercept: Float64Array[];
      beta: PathFit["beta"][];
      classes: number;
    };

/** The rows of fold `fold` (held out) and of the others (training), in row order. */
function foldRows(foldId: Int32Array, fold: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < foldId.length; i++) (foldId[i] === fold ? test : train).push(i);
  return { train, test };
}

/**
 * One cross-validation fold's fit, as cv.glmnet 4.1 does it: on the rows whose fold id is not
 * `fold`, along the fold's own λ sequence (or along `options.lambda` when the user gave one) —
 * which needs nothing of the full-data fit, so folds can run while it is computed.
 */
export function foldFit(
  family: Family,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions,
  foldId: Int32Array,
  fold: number,
): FoldFit {
  const { train } = foldRows(foldId, fold);
  const pick = <T extends ArrayLike<number>>(v: T | undefined, rows: number[]) =>
    v === undefined ? undefined : Float64Array.from(rows, (i) => v[i]);
  if (family === "multinomial") {
    const mfit = multinomialPath(subsetRows(x, train), pick(y, train)!, {
      ...options,
      weights: pick(options.weights, train),
    });
    const K = mfit.classes.length;
    if (K !== new Set(Array.from(y)).size)
      throw new InputError(
        `fold ${fold}: its training rows hold ${K} of the ${new Set(Array.from(y)).size} classes; use stratified folds`,
      );
    return {
      kind: "multinomial",
      lambda: mfit.lambda,
      intercept: mfit.intercept,
      beta: mfit.beta,
      classes: K,
    };
  }
  const fit = fitFamily(family, subsetRows(x, train), pick(y, train)!, {
    ...options,
    weights: pick(options.weights, train),
    offset: pick(options.offset, train),
  });
  return {
    kind: "single",
    lambda: fit.lambda,
    intercept: Float64Array.from(fit.intercept),
    beta: fit.beta,
  };
}

/**
 * The held-out rows' linear predictor (offset included) at each λ of the full-data grid `lambda`
 * from a fold's fit, the coefficients taken by glmnet's linear interpolation in λ (`predict`; a
 * λ beyond the fold's path takes its nearest end). preds[k][t] is for λ_k and the t-th held-out
 * row, in row order; a multinomial fit gives K values per row (t·K + class).
 */
export function foldPredict(
  fit: FoldFit,
  x: Matrix,
  offset: ArrayLike<number> | undefined,
  lambda: Float64Array,
  foldId: Int32Array,
  fold: number,
): { preds: Float64Array[]; nLambda: number } {
  const { test } = foldRows(foldId, fold);
  const xt = subsetRows(x, test);
  if (fit.kind === "multinomial") {
    const K = fit.classes;
    const m = test.length;
    const preds = Array.from({ length: lambda.length }, () => new Float64Array(m * K));
    for (let c = 0; c < K; c++) {
      const perClass = predict(
        {
          nFeatures: x.nCols,
          lambda: fit.lambda,
          intercept: fit.intercept.map((a) => a[c]),
          beta: fit.beta.map((b) => b[c]),
        },
        xt,
        lambda,
      );
      perClass.forEach((col, k) => {
        for (let t = 0; t < m; t++) preds[k][t * K + c] = col[t];
      });
    }
    return { preds, nLambda: lambda.length };
  }
  const preds = predict({ nFeatures: x.nCols, ...fit }, xt, lambda);
  if (offset)
    for (const eta of preds) for (let t = 0; t < test.length; t++) eta[t] += offset[test[t]];
  return { preds, nLambda: lambda.length };
}
