import type { DenseMatrix, Matrix } from "../data/matrix.js";
import { familyLink, isFamily } from "../path/families.js";
import { LINKS } from "../datafit/links.js";
import { InputError } from "../errors.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { multinomialPath, type MultinomialFit } from "../path/multinomialPath.js";
import type { GlmOptions } from "../path/glmPath.js";
import { Random } from "../random.js";
import { fitFamily, foldFit, foldPredict, usesCore, type FoldFit } from "./foldJob.js";
import {
  checkFeatureNames,
  fit as fitModel,
  type FitOptions,
  type ModelPath,
} from "../path/fit.js";
import { namedWarning } from "../path/corePath.js";
import { availableParallelism, jobRunner } from "./runner.js";
import { checkFolds, randomFolds } from "./folds.js";
import { checkSurvival, type Survival } from "../datafit/survivalData.js";
import { concordance, coxDeviances } from "./survival.js";
import {
  checkMeasure,
  defaultMeasure,
  higherIsBetter,
  type CvFamily,
  type Family,
  multinomialPointError,
  pointError,
  weightedAuc,
  type Measure,
} from "./measures.js";

export interface CvOptions
  extends
    GlmOptions,
    Pick<
      FitOptions,
      | "penalty"
      | "gamma"
      | "groups"
      | "groupWeights"
      | "status"
      | "start"
      | "strata"
      | "ties"
      | "link"
      | "theta"
      | "standardizeResponse"
      | "featureNames"
    > {
  /** Default "gaussian"; "cox" takes the times as y and `status` (and `start`, `strata`, `ties`). */
  family?: CvFamily;
  /** Multinomial only: "grouped" penalizes each feature's coefficients across classes together. */
  typeMultinomial?: "ungrouped" | "grouped";
  /** Number of folds (default 10); ignored when `foldId` is given. */
  nFolds?: number;
  /** Fold of each row, 1-based (as glmnet's `foldid`). */
  foldId?: ArrayLike<number>;
  /**
   * Error measure; default glmnet's: mse (Gaussian), deviance (binomial, Poisson, multinomial,
   * Cox: glmnet's grouped partial-likelihood deviance); "C" Harrell's concordance (Cox).
   */
  measure?: Measure;
  /** Seed of the random fold assignment. Default 1. */
  seed?: number;
  /** Binomial only: deal fold ids within each class, so folds keep the class balance. */
  stratified?: boolean;
  /**
   * Worker threads for the fold fits. Default: one per core (at most one per fold) when the data
   * have at least 20,000 entries, else 0 (all folds in this thread). Results do not depend on it.
   */
  workers?: number;
  /** Called after each fold with the number of folds done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** The result of cvPath: the full-data fit, the λ grid, cvm / cvsd / cvup / cvlo, non-zero counts, λ_min and λ_1se (and their indices) and the fold ids used. */
export interface CvResult {
  family: CvFamily;
  measure: Measure;
  /** The full-data fit; its λ sequence is the grid of the curve (a ModelPath for MCP, SCAD and group penalties). */
  fit: PathFit | MultinomialFit | ModelPath;
  lambda: Float64Array;
  /** Mean cross-validated error at each λ, its standard error, and cvm ± cvsd. */
  cvm: Float64Array;
  cvsd: Float64Array;
  cvup: Float64Array;
  cvlo: Float64Array;
  /** Non-zero coefficients of the full-data fit at each λ. */
  nzero: Int32Array;
  /** λ of the best error (largest such λ on ties), and the largest λ within one SE of it. */
  lambdaMin: number;
  lambda1se: number;
  indexMin: number;
  index1se: number;
  foldId: Int32Array;
}

/**
 * k-fold cross-validation of a regularization path, as glmnet's `cv.glmnet`: the full-data path
 * fixes the λ grid; each fold is fitted on the other folds at that grid and predicts its own rows;
 * per-observation errors (see `pointError`; AUC per fold) are averaged within folds with the
 * observation weights, cvm is the weighted mean of the fold means (weights: the folds' total
 * observation weight) and cvsd = √(weighted mean of (fold mean − cvm)² / (K − 1)).
 * λ_min minimizes cvm (maximizes AUC); λ_1se is the largest λ whose cvm is within one cvsd of it.
 *
 * @example
 * ```ts
 * const cv = await cvPath(x, y, { family: "gaussian", nFolds: 10, seed: 1 });
 * cv.lambdaMin; cv.lambda1se; cv.cvm; cv.cvsd;
 * const d = fromTable(records, { target: "y" }); // row objects, columns, Arrow or Arquero tables
 * await cvPath(d.x, d.y, { nFolds: 5, featureNames: d.features }); // warnings name columns
 * ```
 */
export async function cvPath(
  x: Matrix,
  yIn: ArrayLike<number> | DenseMatrix,
  options: CvOptions = {},
): Promise<CvResult> {
  const { featureNames, ...withoutNames } = options;
  if (featureNames === undefined) return cvUnnamed(x, yIn, withoutNames);
  checkFeatureNames(featureNames, x.nCols);
  const r = await cvUnnamed(x, yIn, withoutNames);
  r.fit.warnings = r.fit.warnings.map((w) => namedWarning(w, featureNames));
  return r;
}

async function cvUnnamed(
  x: Matrix,
  yIn: ArrayLike<number> | DenseMatrix,
  options: CvOptions,
): Promise<CvResult> {
  const family = options.family ?? "gaussian";
  // mgaussian: y is the n × k response matrix (class-major data: response c of row i at c·n + i).
  const Y = "kind" in yIn ? yIn : null;
  const y: ArrayLike<number> = Y ? Y.data.subarray(0, Y.nRows) : (yIn as ArrayLike<number>);
  if ((family === "mgaussian") !== (Y !== null))
    throw new InputError(
      family === "mgaussian"
        ? "option 'family': mgaussian takes the responses as a matrix (denseMatrix(n, k, data))"
        : "y is a matrix: only the mgaussian family takes several responses",
      { option: "family" },
    );
  if (!isFamily(family))
    throw new InputError(`option 'family': unknown family '${String(family)}'`, {
      option: "family",
    });
  const measure = checkMeasure(family, options.measure ?? defaultMeasure(family));
  const n = x.nRows;
  if (options.stratified && family !== "binomial" && family !== "multinomial")
    throw new InputError("option 'stratified': only for the binomial and multinomial families", {
      option: "stratified",
    });
  const foldId =
    options.foldId !== undefined
      ? checkFolds(options.foldId, n)
      : randomFolds(
          n,
          options.nFolds ?? 10,
          new Random(options.seed ?? 1),
          options.stratified ? y : undefined,
        );
  let K = 0;
  for (let i = 0; i < n; i++) if (foldId[i] > K) K = foldId[i];
  const cox = family === "cox";
  const surv: Survival = {
    time: y,
    status: options.status ?? [],
    start: options.start,
    strata: options.strata,
    ties: options.ties,
  };
  if (cox) {
    if (options.status === undefined)
      throw new InputError("option 'status': the Cox family needs the event indicators", {
        option: "status",
      });
    const msg = checkSurvival(surv);
    if (msg) throw new InputError(msg, { option: "status" });
    // Every fold needs an event of its own (its deviance is per event) and events to train on.
    const events = new Float64Array(K + 1);
    for (let i = 0; i < n; i++) events[foldId[i]] += surv.status[i];
    let all = 0;
    for (let f = 1; f <= K; f++) all += events[f];
    for (let f = 1; f <= K; f++) {
      if (events[f] === 0)
        throw new InputError(
          `fold ${f} holds no events: its deviance and concordance are undefined; use fewer folds or other fold ids`,
          { option: "foldId" },
        );
      if (events[f] === all)
        throw new InputError(`fold ${f} holds every event: the other folds have none to fit`, {
          option: "foldId",
        });
    }
  }
  const {
    family: _f,
    nFolds: _k,
    foldId: _id,
    measure: _m,
    seed: _s,
    stratified: _st,
    workers: _w,
    onProgress,
    ...fitOptions
  } = options;
  if (family !== "multinomial" && fitOptions.typeMultinomial !== undefined)
    throw new InputError("option 'typeMultinomial': only for the multinomial family", {
      option: "typeMultinomial",
    });
  if (family === "multinomial" && fitOptions.offset !== undefined)
    throw new InputError("option 'offset': not available for the multinomial family", {
      option: "offset",
    });
  const yy = Float64Array.from(Y ? Y.data : y);
  // A family with a non-canonical link (or one of the link-only families): held-out errors on
  // the mean g⁻¹(η).
  const {
    dist,
    link: linkName,
    byLink: linkFamily,
  } = familyLink(family, options.link, options.theta);
  const link = linkFamily && linkName ? LINKS[linkName] : null;
  const nWorkers =
    options.workers ?? (n * x.nCols >= 20000 ? Math.min(K, availableParallelism()) : 0);
  // Observation weights, and each fold's total.
  const w = fitOptions.weights
    ? Float64Array.from(fitOptions.weights)
    : new Float64Array(n).fill(1);
  // (The Cox deviance weighs folds by their weighted events, as cv.glmnet.)
  const foldW = new Float64Array(K + 1);
  for (let i = 0; i < n; i++)
    foldW[foldId[i]] += cox && measure === "deviance" ? w[i] * surv.status[i] : w[i];
  const fits = new Array<FoldFit | undefined>(K + 1);
  // Each fold's mean error at each λ of the full-data grid (or its AUC), once both are known.
  const foldMean = new Array<Float64Array>(K + 1);
  let fit: PathFit | MultinomialFit | ModelPath | null = null;
  const score = (f: number) => {
    if (!fit || !fits[f]) return;
    foldMean[f] = foldError(fit, fits[f]!, f);
    fits[f] = undefined;
  };
  const foldError = (
    full: PathFit | MultinomialFit | ModelPath,
    ff: FoldFit,
    f: number,
  ): Float64Array => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (foldId[i] === f) rows.push(i);
    const preds = foldPredict(ff, full.lambda);
    const mean = new Float64Array(preds.length);
    if (cox) {
      if (measure === "C") {
        preds.forEach((eta, k) => (mean[k] = concordance(eta, surv, w, rows)));
        return mean;
      }
      // glmnet's grouped deviance: the fold's coefficients on all rows less on the training rows.
      const train: number[] = [];
      for (let i = 0; i < n; i++) if (foldId[i] !== f) train.push(i);
      const all = coxDeviances(surv, w, null, preds);
      const rest = coxDeviances(surv, w, train, preds);
      for (let k = 0; k < preds.length; k++) mean[k] = (all[k] - rest[k]) / foldW[f];
      return mean;
    }
    for (let k = 0; k < preds.length; k++) {
      const eta = preds[k];
      if (Y) {
        // mgaussian: the squared (or absolute) error summed over the responses, as cv.mrelnet.
        const q = Y.nCols;
        let s = 0;
        rows.forEach((i, t) => {
          for (let c = 0; c < q; c++) {
            const e = yy[c * n + i] - eta[t * q + c];
            s += w[i] * (measure === "mae" ? Math.abs(e) : e * e);
          }
        });
        mean[k] = s / foldW[f];
        continue;
      }
      if (dist && link) {
        const mu = (t: number) => link.inverse(eta[t]);
        if (measure === "auc") {
          const prob = new Float64Array(n);
          rows.forEach((i, t) => (prob[i] = mu(t)));
          mean[k] = weightedAuc(yy, prob, w, rows);
          continue;
        }
        let s = 0;
        rows.forEach((i, t) => {
          const m = mu(t);
          const e = yy[i] - m;
          s +=
            w[i] *
            (measure === "mse"
              ? e * e
              : measure === "mae"
                ? Math.abs(e)
                : measure === "class"
                  ? +((m > 0.5 ? 1 : 0) !== yy[i])
                  : dist.validMu(m)
                    ? dist.deviance(yy[i], m)
                    : Infinity);
        });
        mean[k] = s / foldW[f];
        continue;
      }
      if (measure === "auc") {
        // Ranked by probability, as glmnet: where p rounds to 1 (or 0) predictions tie.
        const prob = new Float64Array(n);
        rows.forEach((i, t) => (prob[i] = 1 / (1 + Math.exp(-eta[t]))));
        mean[k] = weightedAuc(yy, prob, w, rows);
      } else if (family === "multinomial") {
        const classes = (full as MultinomialFit).classes;
        const nc = classes.length;
        let s = 0;
        rows.forEach(
          (i, t) =>
            (s += w[i] * multinomialPointError(measure, classes.indexOf(yy[i]), eta, t * nc, nc)),
        );
        mean[k] = s / foldW[f];
      } else {
        let s = 0;
        // (Every other family went above: this is gaussian, binomial or poisson, canonical links.)
        const fam = family as Family;
        rows.forEach((i, t) => (s += w[i] * pointError(fam, measure, yy[i], eta[t])));
        mean[k] = s / foldW[f];
      }
    }
    return mean;
  };
  let done = 0;
  const report = () => onProgress?.(++done, K);
  // Folds fit their own λ paths (cv.glmnet), so on worker threads they run while this thread
  // fits the full data; each fold is scored at the full-data grid as soon as both are known,
  // while the workers go on with the others.
  let jobs: Promise<void> | null = null;
  const runJobs = jobRunner();
  if (nWorkers > 1 && runJobs) {
    const size = Math.min(nWorkers, K);
    jobs = runJobs(
      size,
      { kind: "cv", family, x, y: Y ?? yy, options: fitOptions, foldId },
      K,
      (f, r) => {
        fits[f] = r.fit;
        score(f);
        report();
      },
      Math.min(2, Math.ceil(K / size)),
    );
    jobs.catch(() => undefined);
  }
  fit =
    usesCore(fitOptions) || cox || Y || linkFamily
      ? fitModel(x, Y ?? y, { ...(fitOptions as FitOptions), family })
      : family === "multinomial"
        ? multinomialPath(x, y, fitOptions)
        : fitFamily(family as Family, x, y, fitOptions);
  const lambda = fit.lambda;
  const L = lambda.length;
  for (let f = 1; f <= K; f++) score(f);
  if (jobs) await jobs;
  else
    for (let f = 1; f <= K; f++) {
      fits[f] = foldFit(family, x, Y ?? yy, fitOptions, foldId, f);
      score(f);
      report();
    }

  const cvm = new Float64Array(L);
  const cvsd = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    let sw = 0;
    let s = 0;
    let count = 0;
    for (let f = 1; f <= K; f++) {
      const v = foldMean[f][k];
      if (!Number.isFinite(v)) continue;
      sw += foldW[f];
      s += foldW[f] * v;
      count++;
    }
    cvm[k] = s / sw;
    let ss = 0;
    for (let f = 1; f <= K; f++) {
      const v = foldMean[f][k];
      if (Number.isFinite(v)) ss += foldW[f] * (v - cvm[k]) ** 2;
    }
    cvsd[k] = Math.sqrt(ss / sw / (count - 1));
  }
  // λ_min and λ_1se as glmnet's getOptcv (AUC is maximized: its sign is flipped first).
  const sign = higherIsBetter(measure) ? -1 : 1;
  let best = Infinity;
  for (let k = 0; k < L; k++) if (sign * cvm[k] < best) best = sign * cvm[k];
  let indexMin = -1;
  for (let k = 0; k < L; k++)
    if (sign * cvm[k] <= best && (indexMin < 0 || lambda[k] > lambda[indexMin])) indexMin = k;
  const bound = sign * cvm[indexMin] + cvsd[indexMin];
  let index1se = -1;
  for (let k = 0; k < L; k++)
    if (sign * cvm[k] <= bound && (index1se < 0 || lambda[k] > lambda[index1se])) index1se = k;
  return {
    family,
    measure,
    fit,
    lambda,
    cvm,
    cvsd,
    cvup: cvm.map((v, k) => v + cvsd[k]),
    cvlo: cvm.map((v, k) => v - cvsd[k]),
    nzero: Int32Array.from(fit.df),
    lambdaMin: lambda[indexMin],
    lambda1se: lambda[index1se],
    indexMin,
    index1se,
    foldId,
  };
}
