import { subsetRows, type DenseMatrix, type Matrix } from "../data/matrix.js";
import { elasticNetPath } from "../path/elasticNetPath.js";
import { glmPath, type GlmOptions } from "../path/glmPath.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { lambdaBracket, predict } from "../path/predict.js";
import { InputError } from "../errors.js";
import { multinomialPath } from "../path/multinomialPath.js";
import { fit as fitModel, type FitOptions, type ModelPath } from "../path/fit.js";
import type { CvFamily, Family } from "./measures.js";
import { fitsByLink } from "../path/families.js";

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
 * A fold's result: its own λ path and, at each of those λ, the linear predictor of its held-out
 * rows (offset included; a multinomial fit gives `classes` values per row, t·classes + class).
 * Prediction is linear in the coefficients, so glmnet's interpolation of the coefficients in λ
 * (`predict`) is the same interpolation of these predictions (`foldPredict`): the fold's job
 * needs nothing of the full-data fit, and what passes between threads is small.
 */
export interface FoldFit {
  lambda: Float64Array;
  preds: Float64Array[];
  classes: number;
}

/** The rows of fold `fold` (held out) and of the others (training), in row order. */
function foldRows(foldId: Int32Array, fold: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < foldId.length; i++) (foldId[i] === fold ? test : train).push(i);
  return { train, test };
}

/**
 * One cross-validation fold, as cv.glmnet 4.1 does it: the fit on the rows whose fold id is not
 * `fold`, along the fold's own λ sequence (or along `options.lambda` when the user gave one), and
 * its predictions for the held-out rows at those λ.
 */
export function foldFit(
  family: CvFamily,
  x: Matrix,
  y: ArrayLike<number> | DenseMatrix,
  options: GlmOptions,
  foldId: Int32Array,
  fold: number,
): FoldFit {
  const rows = foldRows(foldId, fold);
  const { train } = rows;
  // The Cox deviance (glmnet's grouped measure) needs every row's prediction, not the fold's.
  const test = family === "cox" ? Array.from(foldId, (_, i) => i) : rows.test;
  const pick = <T extends ArrayLike<number>>(v: T | undefined, rows: number[]) =>
    v === undefined ? undefined : Float64Array.from(rows, (i) => v[i]);
  const xt = family === "cox" ? x : subsetRows(x, test);
  const m = test.length;
  const o = options as FitOptions;
  const core =
    usesCore(options) || family === "cox" || family === "mgaussian" || fitsByLink(family, o.link);
  if (core) {
    const yTrain = "kind" in y ? (subsetRows(y, train) as DenseMatrix) : pick(y, train)!;
    const mf = fitModel(subsetRows(x, train), yTrain, {
      ...o,
      family,
      weights: pick(options.weights, train),
      offset: pick(options.offset, train),
      status: pick(o.status, train),
      start: pick(o.start, train),
      strata: o.strata && train.map((i) => (o.strata as ArrayLike<number | string>)[i]),
    });
    const K = mf.coefficients[0]?.length ?? 1;
    if (family === "multinomial" && K !== new Set(Array.from(y as ArrayLike<number>)).size)
      throw new InputError(
        `fold ${fold}: its training rows hold ${K} of the ${new Set(Array.from(y as ArrayLike<number>)).size} classes; use stratified folds`,
      );
    const preds = setPredictions(mf, xt);
    const offset = options.offset;
    if (offset && K === 1)
      for (const eta of preds) for (let t = 0; t < m; t++) eta[t] += offset[test[t]];
    return { lambda: mf.lambda, preds, classes: K };
  }
  if ("kind" in y)
    throw new InputError("y is a matrix: only the mgaussian family takes several responses");
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
    const preds = Array.from(mfit.lambda, () => new Float64Array(m * K));
    for (let c = 0; c < K; c++) {
      const perClass = predict(
        {
          nFeatures: x.nCols,
          lambda: mfit.lambda,
          intercept: mfit.intercept.map((a) => a[c]),
          beta: mfit.beta.map((b) => b[c]),
        },
        xt,
      );
      perClass.forEach((col, k) => {
        for (let t = 0; t < m; t++) preds[k][t * K + c] = col[t];
      });
    }
    return { lambda: mfit.lambda, preds, classes: K };
  }
  const fit = fitFamily(family as Family, subsetRows(x, train), pick(y, train)!, {
    ...options,
    weights: pick(options.weights, train),
    offset: pick(options.offset, train),
  });
  const preds = predict(fit, xt);
  const offset = options.offset;
  if (offset) for (const eta of preds) for (let t = 0; t < m; t++) eta[t] += offset[test[t]];
  return { lambda: fit.lambda, preds, classes: 1 };
}

/**
 * The held-out predictions at each λ of the full-data grid `lambda`, by glmnet's linear
 * interpolation in λ between the fold's own points (a λ beyond the fold's path takes its nearest
 * end): preds[k] is for λ_k, laid out as in FoldFit.
 */
export function foldPredict(fit: FoldFit, lambda: Float64Array): Float64Array[] {
  return Array.from(lambda, (s) => {
    const { left, frac } = lambdaBracket(fit.lambda, s);
    const a = fit.preds[left];
    if (frac === 0) return Float64Array.from(a);
    const b = fit.preds[left + 1];
    return a.map((v, t) => (1 - frac) * v + frac * b[t]);
  });
}

/** Whether the options ask for a penalty only the model core's `fit` has (not the elastic net). */
export function usesCore(options: object): boolean {
  const o = options as FitOptions;
  return o.penalty !== undefined && o.penalty !== "elastic-net";
}

/** A ModelPath's linear predictors for new rows at its own λ, laid out as in FoldFit. */
export function setPredictions(mf: ModelPath, x: Matrix): Float64Array[] {
  const m = x.nRows;
  const K = mf.coefficients[0]?.length ?? 1;
  const preds = Array.from(mf.lambda, () => new Float64Array(m * K));
  for (let c = 0; c < K; c++) {
    const perSet = predict(
      {
        nFeatures: mf.nFeatures,
        lambda: mf.lambda,
        intercept: mf.intercepts.map((a) => a[c]),
        beta: mf.coefficients.map((b) => b[c]),
      },
      x,
    );
    perSet.forEach((col, k) => {
      for (let t = 0; t < m; t++) preds[k][t * K + c] = col[t];
    });
  }
  return preds;
}
