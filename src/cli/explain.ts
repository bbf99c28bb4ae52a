import { explainSparsity, type SparsityExplanation } from "../explain/explain.js";
import { alignTable } from "./format.js";
import { checkOutputs, Outputs } from "./output.js";
import type { Parsed } from "./parse.js";
import type { EXPLAIN_OPTIONS } from "./schema.js";
import { loadXY, toLibraryOptions, withFlagNames, withRowOptions } from "./model.js";

/** The options of `regularize explain`, typed by the schema. */
export type ExplainCliOptions = Parsed<typeof EXPLAIN_OPTIONS>;

/** The JSON document of `regularize explain --json` (a contract other tools rely on). */
export function explainJson(e: SparsityExplanation, features: string[]) {
  return {
    family: e.family,
    lambda: e.lambda,
    alpha: e.alpha,
    intercept: e.intercept,
    tolerance: e.tolerance,
    kktMax: e.kktMax,
    features: e.features.map((f) => ({
      name: features[f.index],
      coefficient: f.coefficient,
      gradient: f.gradient,
      threshold: f.threshold,
      margin: f.margin,
      balance: f.balance,
      enterLambda: f.enterLambda,
      status: f.status,
    })),
  };
}

export function explainTable(e: SparsityExplanation, features: string[]): string {
  const rows = e.features.map((f) => [
    features[f.index],
    f.coefficient === 0 ? "0" : f.coefficient.toPrecision(5),
    f.gradient.toPrecision(5),
    f.threshold.toPrecision(5),
    f.margin === null ? "" : f.margin.toPrecision(3),
    f.enterLambda === null ? "" : f.enterLambda.toPrecision(4),
    f.limit
      ? `${f.coefficient === 0 ? "zero" : "non-zero"}: held at its ${f.limit} limit`
      : f.status === "active"
        ? "non-zero: gradient balances the penalty"
        : f.status === "zero"
          ? "zero: |gradient| inside the dead zone"
          : "zero, borderline: at the edge of the dead zone",
  ]);
  return (
    `λ = ${e.lambda}, α = ${e.alpha}; a weight is zero while |∂f/∂β̃ⱼ| ≤ λ·α·pfⱼ (the threshold)\n` +
    alignTable(
      ["feature", "coefficient", "gradient", "threshold", "margin", "enters at λ", ""],
      rows,
    ) +
    `largest KKT violation: ${e.kktMax.toExponential(2)}\n`
  );
}

export async function runExplain(file: string, o: ExplainCliOptions): Promise<void> {
  const lambda = o.lambdaAt;
  // The schema narrows explain's --family to these three.
  const family = o.family as "gaussian" | "binomial" | "poisson";
  if (o.json) checkOutputs([{ flag: "--json", path: o.json }], [file]);
  toLibraryOptions(o, 1, true);
  const data = await loadXY(file, o, family);
  const { y } = data;
  const { lambda: _ignored, ...lib } = withRowOptions(
    toLibraryOptions(o, data.x.nCols),
    data.design,
    family,
  );
  const e = withFlagNames(() => explainSparsity(family, data.x, y, lambda, lib));
  const out = new Outputs();
  if (o.json) out.file("--json", o.json, JSON.stringify(explainJson(e, data.features)) + "\n");
  else out.print(explainTable(e, data.features));
  out.commit();
}
