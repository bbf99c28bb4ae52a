import type { SparseVector } from "./elasticNetPath.js";
import type { ElasticNetOptions } from "./options.js";

// The multinomial path's options and result, and the original-scale conversion shared by the
// ungrouped and grouped solvers and the core (a module of its own: no import cycle between them).

/** Options of the multinomial path: those of every path, plus glmnet's `type.multinomial`. */
export interface MultinomialOptions extends ElasticNetOptions {
  /**
   * "ungrouped" (default): an L1/elastic-net penalty on every coefficient; "grouped": one group
   * per feature across the classes (‖βⱼ‖₂), so a feature is in the model for all classes or none.
   */
  typeMultinomial?: "ungrouped" | "grouped";
}

/** A multinomial path: per λ one intercept and sparse coefficient vector per class (original scale), df, deviance ratio, objective and KKT violation. */
export interface MultinomialFit {
  family: "multinomial";
  /** The class labels, in the order of the coefficient sets. */
  classes: number[];
  alpha: number;
  lambda: Float64Array;
  /** intercept[k][c] and beta[k][c]: class c at λ_k (original scale; intercepts centered). */
  intercept: Float64Array[];
  beta: SparseVector[][];
  /** Number of features non-zero in at least one class. */
  df: Int32Array;
  devRatio: Float64Array;
  objective: Float64Array;
  /** Largest KKT violation over classes, features and intercepts. */
  kktMax: Float64Array;
  passes: number;
  nObs: number;
  nFeatures: number;
  /** Deviance of the intercept-only model. */
  nullDeviance: number;
  /** Points that stopped short of their tolerance, or an early end for pMax. */
  warnings: string[];
}

/**
 * One path point's coefficients on the original scale: βⱼ = b̃ⱼ/sⱼ per class (for the features
 * `keep` selects), intercepts a0_c − Σⱼ βⱼc·cⱼ centered over the classes (the likelihood only sees
 * their differences), as glmnet reports them. With `centerClasses` false (one coefficient set) the
 * intercepts are left as they are.
 */
export function originalScalePoint(
  K: number,
  a0: ArrayLike<number>,
  p: number,
  coef: (c: number, j: number) => number,
  keep: (c: number, j: number) => boolean,
  center: Float64Array,
  scale: Float64Array,
  intercept: boolean,
  centerClasses = true,
): { intercept: Float64Array; beta: SparseVector[] } {
  const ic = Float64Array.from(a0);
  const beta: SparseVector[] = [];
  for (let c = 0; c < K; c++) {
    const index: number[] = [];
    const value: number[] = [];
    for (let j = 0; j < p; j++) {
      if (!keep(c, j)) continue;
      const v = coef(c, j) / scale[j];
      index.push(j);
      value.push(v);
      ic[c] -= v * center[j];
    }
    beta.push({ index: Int32Array.from(index), value: Float64Array.from(value) });
  }
  const mean = centerClasses ? ic.reduce((u, v) => u + v, 0) / K : 0;
  return { intercept: intercept ? ic.map((v) => v - mean) : new Float64Array(K), beta };
}
