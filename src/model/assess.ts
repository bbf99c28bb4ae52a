import { concordance, coxDeviances } from "../cv/survival.js";
import { multinomialPointError, pointError, weightedAuc, type Measure } from "../cv/measures.js";
import type { Survival } from "../datafit/survivalData.js";
import { distribution, type LinkFamilyName } from "../datafit/linkFamily.js";
import { LINKS, type LinkName } from "../datafit/links.js";
import { InputError } from "../errors.js";
import { fitsByLink, type FitFamily } from "../path/families.js";

/** How well a model's predictions fit held-out data: glmnet's assess / roc / confusion. */
export interface Assessment {
  family: FitFamily;
  n: number;
  /** The family's measures (glmnet.measures): weighted means over the rows (Cox: as cv.glmnet). */
  measures: Partial<Record<Measure, number>>;
  /** Binomial: the ROC curve, one point per distinct score from the highest (roc.glmnet). */
  roc?: { fpr: number[]; tpr: number[] };
  /** Binomial and multinomial: counts[predicted][true] over `labels` (confusion.glmnet). */
  confusion?: { labels: (string | number)[]; counts: number[][] };
}

export interface AssessOptions {
  weights?: ArrayLike<number>;
  /** Cox: the held-out rows' survival data (y is then ignored). */
  survival?: Survival;
  /** A family fitted with a link: the link (and θ of the negative binomial). */
  link?: LinkName;
  theta?: number;
  /** Class labels, for the confusion matrix (binomial: [negative, positive]). */
  classes?: (string | number)[];
}

/**
 * Assesses predictions on held-out rows as glmnet's `assess.glmnet`, `roc.glmnet` and
 * `confusion.glmnet`: `eta` holds the linear predictors (one array per class or response; one
 * otherwise) and y the responses (binomial 0/1, multinomial the class index, mgaussian class-major
 * k·n). Gaussian: mse, mae; binomial: deviance, class, auc, mse, mae (cv.glmnet's two-class mse
 * and mae), with the ROC curve and the confusion matrix; Poisson and families by link: deviance,
 * mse, mae on the mean; multinomial: deviance, class, mse, mae and the confusion matrix; mgaussian:
 * mse and mae summed over responses; Cox: the partial-likelihood deviance of the rows and Harrell's C.
 *
 * @example
 * ```ts
 * const model = regularize.parseModel(text); // import * as regularize from "regularize"
 * const { eta } = regularize.predictModel(model, xNew.data, xNew.nRows);
 * regularize.assess(model.family, eta, yTest).measures; // { deviance, class, auc, mse, mae }
 * ```
 */
export function assess(
  family: FitFamily,
  eta: Float64Array[],
  y: ArrayLike<number>,
  options: AssessOptions = {},
): Assessment {
  const n = eta[0].length;
  const w = options.weights ?? new Float64Array(n).fill(1);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  const rows = Array.from({ length: n }, (_, i) => i);
  const mean = (f: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i] * f(i);
    return s / W;
  };
  const measures: Partial<Record<Measure, number>> = {};
  if (family === "cox") {
    const surv = options.survival;
    if (!surv) throw new InputError("option 'survival': a Cox model is assessed on survival data");
    measures.deviance = coxDeviances(surv, w, null, [eta[0]])[0];
    measures.C = concordance(eta[0], surv, w, rows);
    return { family, n, measures };
  }
  if (family === "mgaussian") {
    const K = eta.length;
    for (const m of ["mse", "mae"] as const)
      measures[m] = mean((i) => {
        let s = 0;
        for (let c = 0; c < K; c++) {
          const e = y[c * n + i] - eta[c][i];
          s += m === "mse" ? e * e : Math.abs(e);
        }
        return s;
      });
    return { family, n, measures };
  }
  if (family === "multinomial") {
    const K = eta.length;
    const stacked = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) stacked[i * K + c] = eta[c][i];
    for (const m of ["deviance", "class", "mse", "mae"] as const)
      measures[m] = mean((i) => multinomialPointError(m, y[i], stacked, i * K, K));
    const predicted = rows.map((i) => {
      let best = 0;
      for (let c = 1; c < K; c++) if (eta[c][i] > eta[best][i]) best = c;
      return best;
    });
    return { family, n, measures, confusion: confusion(predicted, y, K, options.classes) };
  }
  if (fitsByLink(family, options.link)) {
    const link = LINKS[options.link ?? distribution(family as LinkFamilyName, 1).links[0]];
    const dist = distribution(family as LinkFamilyName, options.theta ?? 1);
    const mu = Float64Array.from(eta[0], (v) => link.inverse(v));
    measures.deviance = mean((i) => dist.deviance(y[i], mu[i]));
    measures.mse = mean((i) => (y[i] - mu[i]) ** 2);
    measures.mae = mean((i) => Math.abs(y[i] - mu[i]));
    return { family, n, measures };
  }
  const fam = family as "gaussian" | "binomial" | "poisson";
  const names: Measure[] =
    fam === "gaussian"
      ? ["mse", "mae"]
      : fam === "binomial"
        ? ["deviance", "class", "auc", "mse", "mae"]
        : ["deviance", "mse", "mae"];
  for (const m of names)
    measures[m] =
      m === "auc"
        ? weightedAuc(
            y,
            Float64Array.from(eta[0], (v) => 1 / (1 + Math.exp(-v))),
            w,
            rows,
          )
        : mean((i) => pointError(fam, m, y[i], eta[0][i]));
  if (fam !== "binomial") return { family, n, measures };
  return {
    family,
    n,
    measures,
    roc: roc(eta[0], y),
    confusion: confusion(
      rows.map((i) => (eta[0][i] > 0 ? 1 : 0)),
      y,
      2,
      options.classes,
    ),
  };
}

/** roc.glmnet's curve: scores from the highest, tied scores one point, cumulative rates. */
function roc(score: Float64Array, y: ArrayLike<number>): { fpr: number[]; tpr: number[] } {
  const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a]);
  let pos = 0;
  let neg = 0;
  for (const i of order) {
    if (y[i]) pos++;
    else neg++;
  }
  const fpr: number[] = [];
  const tpr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let q = 0; q < order.length;) {
    const s = score[order[q]];
    while (q < order.length && score[order[q]] === s) {
      if (y[order[q++]]) tp++;
      else fp++;
    }
    fpr.push(fp / neg);
    tpr.push(tp / pos);
  }
  return { fpr, tpr };
}

/** Counts of predicted (rows) against true (columns) class indices. */
function confusion(
  predicted: number[],
  y: ArrayLike<number>,
  K: number,
  labels?: (string | number)[],
): { labels: (string | number)[]; counts: number[][] } {
  const counts = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  predicted.forEach((c, i) => counts[c][y[i]]++);
  return { labels: labels ?? Array.from({ length: K }, (_, c) => c), counts };
}
