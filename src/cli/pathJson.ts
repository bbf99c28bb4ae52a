/** The JSON documents of `regularize path --json` (and of cv's, which adds its curve). */
import type { PathFit } from "../path/elasticNetPath.js";
import type { MultinomialFit } from "../path/multinomialPath.js";
import type { ModelPath } from "../path/fit.js";

/** The JSON document of a multi-response path: per λ one intercept and coefficient set per response. */
export function mgaussianJson(
  fit: ModelPath,
  features: string[],
  responses: string[],
  fitSeconds: number[],
) {
  return {
    family: "mgaussian",
    alpha: fit.alpha,
    features,
    responses,
    lambda: Array.from(fit.lambda),
    intercept: fit.intercepts.map((a) => Array.from(a)),
    coefficients: fit.coefficients.map((sets) =>
      sets.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    ),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/**
 * The JSON document of a core path (families by link, Cox, and the group, MCP and SCAD
 * penalties of any family), as pathJson: one intercept and coefficient set per λ, or with
 * `classes` (multinomial) one per class, as multinomialJson.
 */
export function modelJson(fit: ModelPath, features: string[], fitSeconds: number[], extra: object) {
  const sparse = (b: ModelPath["coefficients"][number][number]) => ({
    index: Array.from(b.index),
    value: Array.from(b.value),
  });
  const many = fit.classes.length > 0;
  return {
    family: fit.family,
    ...extra,
    penalty: fit.penalty,
    alpha: fit.alpha,
    ...(Number.isNaN(fit.gamma) ? {} : { gamma: fit.gamma }),
    features,
    ...(many ? { classes: fit.classes } : {}),
    lambda: Array.from(fit.lambda),
    intercept: fit.intercepts.map((a) => (many ? Array.from(a) : a[0])),
    coefficients: fit.coefficients.map((sets) => (many ? sets.map(sparse) : sparse(sets[0]))),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    solver: fit.solver,
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/** The JSON document of `regularize path --json` (the contract other tools rely on). */
export function pathJson(fit: PathFit, features: string[], fitSeconds: number[]) {
  return {
    family: fit.family,
    alpha: fit.alpha,
    features,
    lambda: Array.from(fit.lambda),
    intercept: Array.from(fit.intercept),
    coefficients: fit.beta.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    dualityGap: Array.from(fit.dualityGap, (v) => (Number.isNaN(v) ? null : v)),
    objective: Array.from(fit.objective),
    solver: fit.solver,
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/** The JSON document of a Cox path (as `pathJson`; no intercept: 0 at every point). */
export function coxJson(fit: ModelPath, features: string[], fitSeconds: number[], ties: string) {
  return modelJson(fit, features, fitSeconds, { ties, nullDeviance: fit.nullDeviance });
}

/** The JSON document of a multinomial path: per λ, one intercept and coefficient set per class. */
export function multinomialJson(fit: MultinomialFit, features: string[], fitSeconds: number[]) {
  return {
    family: fit.family,
    alpha: fit.alpha,
    features,
    classes: fit.classes,
    lambda: Array.from(fit.lambda),
    intercept: fit.intercept.map((a) => Array.from(a)),
    coefficients: fit.beta.map((perClass) =>
      perClass.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    ),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    passes: fit.passes,
    fitSeconds,
  };
}
