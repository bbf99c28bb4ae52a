/** `regularize fit --json`: path, cross-validation, selection, stability and explanation. */
import type { Assessment } from "../../model/assess.js";
import { defaultGamma } from "../../penalty/nonconvex.js";
import type { SavedModel } from "../../model/model.js";
import { columnChoice } from "../input.js";
import type { FitRun } from "./result.js";

/** The JSON document of a run (a contract other tools rely on). */
export function fitJson(r: FitRun, model: SavedModel, assessment: Assessment | undefined) {
  const { file, meta, features, family, penalty, alpha, fit, curve, foldId, ridgeCv, o } = r;
  const { lambdaSel, k, stab, why } = r;
  const { stability: pairs, threshold } = o;
  return {
    data: file,
    target: meta.target,
    features,
    // the columns --ignore left out (absent: none)
    ignored: columnChoice(o).ignore,
    family,
    penalty,
    alpha,
    gamma: penalty === "mcp" || penalty === "scad" ? (o.gamma ?? defaultGamma(penalty)) : undefined,
    // glmnet's fit arguments as given (absent: the default).
    fitOptions: {
      lambda: o.lambda,
      penaltyFactor: o.penaltyFactor,
      lowerLimits: o.lowerLimits,
      upperLimits: o.upperLimits,
      standardize: o.standardize,
      intercept: o.intercept,
      thresh: o.thresh,
    },
    lambda: Array.from(fit.lambda),
    df: Array.from(fit.df),
    kktMax: Array.from(fit.kktMax),
    // Points not solved to the tolerance and other notes on the path (empty when none).
    warnings: [...fit.warnings],
    cv: {
      measure: curve.measure,
      folds: r.nFolds,
      lambda: Array.from(curve.lambda),
      cvm: Array.from(curve.cvm),
      cvsd: Array.from(curve.cvsd),
      nzero: Array.from(curve.nzero),
      lambdaMin: curve.lambda[curve.indexMin],
      lambda1se: curve.lambda[curve.index1se],
      foldId: Array.from(foldId),
    },
    // Ridge solved exactly: leave-one-out and generalized CV errors (weighted mean squared
    // errors, as cvm) at the same λ.
    exactRidge: ridgeCv
      ? {
          loo: Array.from(ridgeCv.loo),
          gcv: Array.from(ridgeCv.gcv),
          dof: Array.from(ridgeCv.dof),
          lambdaLoo: ridgeCv.lambdaLoo,
          lambdaGcv: ridgeCv.lambdaGcv,
        }
      : undefined,
    selected: {
      rule: o.select,
      lambda: lambdaSel,
      index: k,
      intercept: model.intercept,
      coefficients: model.coefficients,
    },
    // The selected model on its training rows (as regularize assess).
    assessment,
    stability: stab
      ? {
          pairs,
          threshold,
          maxProbability: Array.from(stab.maxProbability),
          stable: Array.from(stab.stable).map((j) => features[j]),
          falseSelectionBound: stab.falseSelectionBound,
        }
      : undefined,
    explanation: why
      ? why.features.map((e) => ({
          feature: features[e.index],
          coefficient: e.coefficient,
          gradient: e.gradient,
          threshold: e.threshold,
          margin: e.margin,
          status: e.status,
        }))
      : undefined,
    dropped: meta.dropped,
    constant: meta.constant,
    duplicates: meta.duplicates.map(([column, of]) => ({ column, of })),
    droppedRows: meta.droppedRows,
    imputed: meta.imputed,
    encodings: meta.encodings,
  };
}
