/** `regularize fit --save`: the selected model as versioned JSON, with its Cox baseline. */
import { concordance } from "../../cv/survival.js";
import { matVec } from "../../data/matrix.js";
import { assess, type Assessment } from "../../model/assess.js";
import { MODEL_FORMAT, MODEL_VERSION, predictModel, type SavedModel } from "../../model/model.js";
import type { FitFamily } from "../../path/families.js";
import { coxBaseline, kaplanMeier, survivalAt } from "../../path/survival.js";
import type { Design } from "../input.js";
import { linkExtra } from "../model.js";
import { VERSION } from "../version.js";
import type { FitRun } from "./result.js";

/**
 * The saved model's measures on its training rows (offsets added back): as `regularize assess`
 * on the training file.
 */
function trainingAssessment(
  family: FitFamily,
  model: SavedModel,
  d: Design,
  x: Design["x"],
  y: Float64Array,
  ties?: string,
): Assessment {
  const n = x.nRows;
  const { eta } = predictModel(model, x.kind === "dense" ? x.data : x, n);
  if (d.offset) for (const e of eta) for (let i = 0; i < n; i++) e[i] += d.offset[i];
  return assess(family, eta, family === "mgaussian" ? d.responses!.y.data : y, {
    weights: d.weights,
    link: model.link,
    theta: model.theta,
    classes: model.classes,
    survival:
      family === "cox"
        ? {
            time: d.y,
            status: d.status!,
            start: d.start,
            strata: d.strata,
            ties: ties as "breslow" | "efron" | undefined,
          }
        : undefined,
  });
}

/**
 * The Cox model's view of its training data at coefficients β: the baseline hazard, Harrell's C
 * of the risk score, and per tertile of the risk score the Kaplan–Meier curve with the model's
 * mean predicted survival at the same times.
 */
export function coxView(d: Design, x: Design["x"], beta: Float64Array, ties?: string) {
  const n = x.nRows;
  const surv = {
    time: d.y,
    status: d.status!,
    start: d.start,
    strata: d.strata,
    ties: ties as "breslow" | "efron" | undefined,
  };
  const base = coxBaseline(x, beta, surv, { weights: d.weights, offset: d.offset });
  const eta = matVec(x, beta, new Float64Array(n));
  if (d.offset) for (let i = 0; i < n; i++) eta[i] += d.offset[i];
  const w = d.weights ?? new Float64Array(n).fill(1);
  const all = Array.from({ length: n }, (_, i) => i);
  const cIndex = concordance(eta, surv, w, all);
  const ranked = all.slice().sort((a, b) => eta[a] - eta[b] || a - b);
  const names = ["lowest third", "middle third", "highest third"];
  const groups = names.map((label, g) => {
    const rows = ranked.slice(Math.floor((g * n) / 3), Math.floor(((g + 1) * n) / 3));
    const km = kaplanMeier(surv, d.weights, rows);
    const S = survivalAt(
      base,
      rows.map((i) => eta[i]),
      km.times,
      d.strata && rows.map((i) => d.strata![i]),
    );
    const mean = Float64Array.from(km.times, (_, k) => {
      let s = 0;
      for (const r of S) s += r[k];
      return s / S.length;
    });
    return { label, km, model: { times: km.times, surv: mean } };
  });
  return { base, cIndex, groups };
}

/**
 * The saved model of a run (with the Cox baseline hazard for predict --times), the Cox view of
 * the report, and the model assessed on its training rows (assess.glmnet on the training data).
 */
export function savedModel(r: FitRun) {
  const { family, penalty, alpha, lambdaSel, o, meta, features, response, coef, intercept } = r;
  const { d, x, y, core, familyExtra, curve, standardization } = r;
  const K = coef.length;
  const model: SavedModel = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdBy: `regularize ${VERSION}`,
    family,
    penalty,
    alpha,
    lambda: lambdaSel,
    select: o.select,
    target: meta.target,
    features,
    encodings: meta.encodings,
    classes: response.classes,
    intercept: K > 1 ? intercept : intercept[0],
    coefficients: K > 1 ? coef.map((b) => Array.from(b)) : Array.from(coef[0]),
    ...(d?.responses ? { responses: d.responses.names } : {}),
    ...linkExtra(core, family, familyExtra),
    standardization,
    options: {
      folds: r.nFolds,
      seed: o.seed,
      measure: curve.measure,
      missing: o.missing,
      categorical: o.categorical,
      dropped: meta.dropped,
    },
  };
  // The Cox model's baseline hazard at the selected coefficients (for predict --times) and the
  // survival view of the report.
  let cox: ReturnType<typeof coxView> | undefined;
  if (family === "cox" && d && x) {
    cox = coxView(d, x, coef[0], o.ties);
    model.survival = {
      ties: cox.base.ties,
      time: meta.target,
      status: o.status!,
      ...(o.start !== undefined ? { start: o.start } : {}),
      ...(o.strata !== undefined ? { strata: o.strata } : {}),
      baseline: {
        strata: cox.base.strata,
        curves: cox.base.curves.map((c) => ({
          times: Array.from(c.times),
          cumhaz: Array.from(c.cumhaz),
        })),
      },
    };
  }
  // The selected model assessed on its training rows (assess.glmnet with the training data).
  const assessment = d && x ? trainingAssessment(family, model, d, x, y, o.ties) : undefined;
  return { model, cox, assessment };
}
