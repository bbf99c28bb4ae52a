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

/**
 * One cross-validation fold, as cv.glmnet 4.1 does it: fits on the rows whose fold id is not
 * `fold` — along the fold's own λ sequence, or along `options.lambda` when the user gave one —
 * and returns the linear predictor (offset included) of the held-out rows at each λ of the
 * full-data grid `lambda`, the coefficients taken by glmnet's linear interpolation in λ (`predict`;
 * a λ beyond the fold's path takes its nearest end). preds[k][t] is for λ_k and the t-th held-out
 * row, in row order.
 */
export function foldPredictions(
  family: Family,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions,
  lambda: Float64Array,
  foldId: Int32Array,
  fold: number,
): { preds: Float64Array[]; nLambda: number } {
  const n = x.nRows;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (foldId[i] === fold ? test : train).push(i);
  const pick = <T extends ArrayLike<number>>(v: T | undefined, rows: number[]) =>
    v === undefined ? undefined : Float64Array.from(rows, (i) => v[i]);
  if (family === "multinomial") {
    // Predictions of each class at each full-data λ: row-major (t·K + class).
    const mfit = multinomialPath(subsetRows(x, train), pick(y, train)!, {
      ...options,
      weights: pick(options.weights, train),
    });
    const K = mfit.classes.length;
    if (K !== new Set(Array.from(y)).size)
      throw new InputError(
        `fold ${fold}: its training rows hold ${K} of the ${new Set(Array.from(y)).size} classes; use stratified folds`,
      );
    const xt = subsetRows(x, test);
    const m = test.length;
    const preds = Array.from({ length: lambda.length }, () => new Float64Array(m * K));
    for (let c = 0; c < K; c++) {
      const perClass = predict(
        {
          nFeatures: x.nCols,
          lambda: mfit.lambda,
          intercept: mfit.intercept.map((a) => a[c]),
          beta: mfit.beta.map((b) => b[c]),
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
  const fit = fitFamily(family, subsetRows(x, train), pick(y, train)!, {
    ...options,
    weights: pick(options.weights, train),
    offset: pick(options.offset, train),
  });
  const xt = subsetRows(x, test);
  const preds = predict(fit, xt, lambda);
  if (options.offset)
    for (const eta of preds)
      for (let t = 0; t < test.length; t++) eta[t] += options.offset[test[t]];
  return { preds, nLambda: lambda.length };
}
