import type { FitFamily } from "../path/families.js";
import { InputError } from "../errors.js";

export type Family = "gaussian" | "binomial" | "poisson" | "multinomial";
/**
 * The families cvPath cross-validates: those of the GLM paths, the Cox model, the multi-response
 * Gaussian and the GLM families that come with a link.
 */
export type CvFamily = FitFamily;
/** Error measures; "C" is Harrell's concordance (Cox), "auc" the binomial's. */
export type Measure = "mse" | "mae" | "deviance" | "class" | "auc" | "C";

/** glmnet's default measure per family (`type.measure = "default"`). */
export function defaultMeasure(family: CvFamily): Measure {
  return family === "gaussian" || family === "mgaussian" ? "mse" : "deviance";
}

/** Whether a larger value of the measure is better (AUC, C): λ_min maximizes it. */
export function higherIsBetter(measure: Measure): boolean {
  return measure === "auc" || measure === "C";
}

/** Checks that a family has the measure (as cv.glmnet does), before any work. */
export function checkMeasure(family: CvFamily, measure: string): Measure {
  const allowed: Record<CvFamily, Measure[]> = {
    gaussian: ["mse", "mae", "deviance"],
    binomial: ["deviance", "class", "auc", "mse", "mae"],
    poisson: ["deviance", "mse", "mae"],
    multinomial: ["deviance", "class", "mse", "mae"],
    cox: ["deviance", "C"],
    mgaussian: ["mse", "mae", "deviance"],
    gamma: ["deviance", "mse", "mae"],
    "inverse-gaussian": ["deviance", "mse", "mae"],
    "negative-binomial": ["deviance", "mse", "mae"],
  };
  if (!(allowed[family] as string[]).includes(measure))
    throw new InputError(
      `option 'measure': '${measure}' is not available for family ${family} (${allowed[family].join(", ")})`,
      { option: "measure" },
    );
  return measure as Measure;
}

/** Binomial probabilities are clamped to [1e-5, 1 − 1e-5] for the deviance, as cv.glmnet. */
const PROB_MIN = 1e-5;

/**
 * The per-observation error of a held-out prediction with linear predictor η, as cv.glmnet
 * computes it: Gaussian (y − η)² (mse, deviance) or |y − η|; binomial with p = 1/(1 + e^−η),
 * deviance −2[y log p + (1 − y) log(1 − p)] (p clamped), class 1 when y and p > ½ disagree,
 * and glmnet's two-class mse 2(y − p)² and mae 2|y − p|; Poisson with μ = e^η, deviance
 * 2[y log(y/μ) − (y − μ)], mse (y − μ)², mae |y − μ|.
 */
export function pointError(family: Family, measure: Measure, y: number, eta: number): number {
  if (family === "gaussian") return measure === "mae" ? Math.abs(y - eta) : (y - eta) ** 2;
  if (family === "binomial") {
    const p = 1 / (1 + Math.exp(-eta));
    switch (measure) {
      case "mse":
        return 2 * (y - p) ** 2;
      case "mae":
        return 2 * Math.abs(y - p);
      case "class":
        return y === 1
          ? p <= 0.5
            ? 1
            : 0
          : y === 0
            ? p > 0.5
              ? 1
              : 0
            : y * (p <= 0.5 ? 1 : 0) + (1 - y) * (p > 0.5 ? 1 : 0);
      default: {
        const q = Math.min(Math.max(p, PROB_MIN), 1 - PROB_MIN);
        let d = 0;
        if (y > 0) d += y * Math.log(y / q);
        if (y < 1) d += (1 - y) * Math.log((1 - y) / (1 - q));
        return 2 * d;
      }
    }
  }
  const mu = Math.exp(eta);
  if (measure === "mse") return (y - mu) ** 2;
  if (measure === "mae") return Math.abs(y - mu);
  return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
}

/**
 * Weighted area under the ROC curve of scores `eta` for labels y ∈ {0, 1} over the rows `rows`:
 * Σ_{i positive} wᵢ · (weight of negatives scored below i, ties counted half) / (W₊ W₋) — the
 * expectation of cv.glmnet's `auc.mat`, which breaks ties at random.
 */
export function weightedAuc(
  y: ArrayLike<number>,
  eta: ArrayLike<number>,
  w: ArrayLike<number>,
  rows: ArrayLike<number>,
): number {
  const order = Array.from(rows).sort((a, b) => eta[a] - eta[b]);
  let negBelow = 0;
  let wPos = 0;
  let wNeg = 0;
  let sum = 0;
  for (let t = 0; t < order.length;) {
    // A run of tied scores.
    let u = t;
    let runPos = 0;
    let runNeg = 0;
    while (u < order.length && eta[order[u]] === eta[order[t]]) {
      const i = order[u++];
      runPos += w[i] * y[i];
      runNeg += w[i] * (1 - y[i]);
    }
    sum += runPos * (negBelow + 0.5 * runNeg);
    negBelow += runNeg;
    wPos += runPos;
    wNeg += runNeg;
    t = u;
  }
  return sum / (wPos * wNeg);
}

/**
 * The per-observation error of a multinomial prediction (K linear predictors eta[off .. off+K),
 * true class index c), as cv.glmnet's cv.multnet: with p = softmax(η), deviance −2 log p_c (p
 * clamped to [1e-5, 1 − 1e-5]), class 1 unless c has the largest p (first on ties), mse
 * Σ_d (y_d − p_d)², mae Σ_d |y_d − p_d|.
 */
export function multinomialPointError(
  measure: Measure,
  c: number,
  eta: Float64Array,
  off: number,
  K: number,
): number {
  let m = -Infinity;
  for (let d = 0; d < K; d++) m = Math.max(m, eta[off + d]);
  let s = 0;
  for (let d = 0; d < K; d++) s += Math.exp(eta[off + d] - m);
  if (measure === "class") {
    let best = 0;
    for (let d = 1; d < K; d++) if (eta[off + d] > eta[off + best]) best = d;
    return best === c ? 0 : 1;
  }
  let err = 0;
  for (let d = 0; d < K; d++) {
    const pd = Math.exp(eta[off + d] - m) / s;
    const yd = d === c ? 1 : 0;
    if (measure === "mse") err += (yd - pd) ** 2;
    else if (measure === "mae") err += Math.abs(yd - pd);
    else if (yd === 1) err -= 2 * Math.log(Math.min(Math.max(pd, PROB_MIN), 1 - PROB_MIN));
  }
  return err;
}
