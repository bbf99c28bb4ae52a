import { subsetRows, type Matrix } from "../data/matrix.js";
import { fitFamily } from "../cv/foldJob.js";
import type { Family } from "../cv/measures.js";
import type { GlmOptions } from "../path/glmPath.js";
import { coefAt } from "../path/predict.js";

/**
 * One stability-selection fit: the path on the rows `rows` at the grid `lambda`; returns, for each
 * λ, the features with a non-zero coefficient (a path that ends early takes its last point).
 */
export function halfSampleSelection(
  family: Family,
  x: Matrix,
  y: ArrayLike<number>,
  options: GlmOptions,
  lambda: Float64Array,
  rows: Int32Array,
): Int32Array[] {
  const pick = (v: ArrayLike<number> | undefined) =>
    v === undefined ? undefined : Float64Array.from(rows, (i) => v[i]);
  if (family === "multinomial")
    throw new Error("stability selection: multinomial is not supported");
  const fit = fitFamily(family, subsetRows(x, rows), pick(y)!, {
    ...options,
    weights: pick(options.weights),
    offset: pick(options.offset),
    lambda,
  });
  const out: Int32Array[] = [];
  for (let k = 0; k < lambda.length; k++) {
    const { beta } = coefAt(fit, lambda[k]);
    const sel: number[] = [];
    for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) sel.push(j);
    out.push(Int32Array.from(sel));
  }
  return out;
}
