import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import type { SparseVector } from "./elasticNetPath.js";

/** What interpolation needs from a fitted path with one coefficient set per point. */
export interface PathCoefficients {
  nFeatures: number;
  lambda: ArrayLike<number>;
  intercept: ArrayLike<number>;
  beta: SparseVector[];
}

/**
 * A path with one or several coefficient sets per point (one per class for the multinomial):
 * `fit`'s ModelPath (intercepts/coefficients) or multinomialPath's fit (intercept/beta per class).
 */
export type PathSets =
  | {
      nFeatures: number;
      lambda: ArrayLike<number>;
      intercepts: ArrayLike<number>[];
      coefficients: SparseVector[][];
    }
  | {
      nFeatures: number;
      lambda: ArrayLike<number>;
      intercept: ArrayLike<number>[];
      beta: SparseVector[][];
    };

/** Any fitted path `coefAt`, `coefSetsAt`, `predict` and `predictSets` take. */
export type AnyPath = PathCoefficients | PathSets;

/** Point k's set c of any path, as arrays. */
function setsOf(fit: AnyPath): {
  count: number;
  intercept: (k: number, c: number) => number;
  beta: (k: number, c: number) => SparseVector;
} {
  if ("coefficients" in fit)
    return {
      count: fit.coefficients[0]?.length ?? 1,
      intercept: (k, c) => fit.intercepts[k][c],
      beta: (k, c) => fit.coefficients[k][c],
    };
  if (Array.isArray(fit.beta[0])) {
    const f = fit as { intercept: ArrayLike<number>[]; beta: SparseVector[][] };
    return {
      count: f.beta[0].length,
      intercept: (k, c) => f.intercept[k][c],
      beta: (k, c) => f.beta[k][c],
    };
  }
  const f = fit as PathCoefficients;
  return { count: 1, intercept: (k) => f.intercept[k], beta: (k) => f.beta[k] };
}

/**
 * Every coefficient set at any λ (one per class for the multinomial), interpolated in λ as
 * `coefAt`: `intercepts[c]` and `coefficients[c]` (dense, nFeatures long) for set c.
 *
 * @example
 * ```ts
 * const at = coefSetsAt(multinomialPath(x, labels), 0.05);
 * at.coefficients[2]; // class 2's coefficients at λ = 0.05, as coef(fit, s = 0.05)[[3]]
 * ```
 */
export function coefSetsAt(
  fit: AnyPath,
  s: number,
): { intercepts: Float64Array; coefficients: Float64Array[] } {
  if (!(s >= 0)) throw new InputError(`λ must be ≥ 0, got ${s}`, { option: "s" });
  const sets = setsOf(fit);
  const { left, frac } = lambdaBracket(fit.lambda, s);
  const intercepts = new Float64Array(sets.count);
  const coefficients: Float64Array[] = [];
  for (let c = 0; c < sets.count; c++) {
    const beta = new Float64Array(fit.nFeatures);
    const add = (k: number, weight: number) => {
      if (weight === 0) return;
      const { index, value } = sets.beta(k, c);
      for (let t = 0; t < index.length; t++) beta[index[t]] += weight * value[t];
      intercepts[c] += weight * sets.intercept(k, c);
    };
    add(left, 1 - frac);
    if (frac > 0) add(left + 1, frac);
    coefficients.push(beta);
  }
  return { intercepts, coefficients };
}

/**
 * Where λ = s falls on a decreasing path `lam`, as glmnet's `lambda.interp`: the point `left` and
 * the weight `frac` of the next one (the value at s is (1 − frac)·v[left] + frac·v[left + 1]);
 * s above the first point gives the first, below the last the last (frac 0).
 */
export function lambdaBracket(lam: ArrayLike<number>, s: number): { left: number; frac: number } {
  const L = lam.length;
  if (s >= lam[0]) return { left: 0, frac: 0 };
  if (s <= lam[L - 1]) return { left: L - 1, frac: 0 };
  let left = 0;
  while (lam[left + 1] > s) left++;
  return { left, frac: (lam[left] - s) / (lam[left] - lam[left + 1]) };
}

/**
 * Coefficients at any λ, as glmnet's `coef(fit, s, exact = FALSE)`: linear interpolation in λ
 * between the two neighbouring path points; λ above the first point gives the first point and
 * below the last gives the last.
 *
 * @example
 * ```ts
 * const { intercept, beta } = coefAt(fit, 0.05); // interpolated in λ, as coef(fit, s = 0.05)
 * ```
 */
export function coefAt(fit: AnyPath, s: number): { intercept: number; beta: Float64Array } {
  const count = setsOf(fit).count;
  if (count !== 1)
    throw new InputError(
      `the path has ${count} coefficient sets (one per class): use coefSetsAt for all of them`,
      { option: "fit" },
    );
  const { intercepts, coefficients } = coefSetsAt(fit, s);
  return { intercept: intercepts[0], beta: coefficients[0] };
}

/**
 * Linear predictor β₀ + Xβ for new data at each λ in `s` (default: the path's own λ values).
 * Returns one Float64Array of n predictions per λ.
 *
 * @example
 * ```ts
 * const [yhat] = predict(fit, xNew, [0.05]); // β₀ + Xβ at λ = 0.05
 * ```
 */
export function predict(fit: AnyPath, x: Matrix, s?: ArrayLike<number>): Float64Array[] {
  const count = setsOf(fit).count;
  if (count !== 1)
    throw new InputError(
      `the path has ${count} coefficient sets (one per class): use predictSets for all of them`,
      { option: "fit" },
    );
  return predictSets(fit, x, s).map((sets) => sets[0]);
}

/**
 * The linear predictor of every coefficient set, β₀c + Xβc, for new data at each λ in `s`
 * (default: the path's own λ values): out[k][c] holds n values (the multinomial's class scores,
 * whose softmax gives the class probabilities).
 *
 * @example
 * ```ts
 * const [scores] = predictSets(multinomialPath(x, labels), xNew, [0.05]); // scores[c][i]
 * ```
 */
export function predictSets(fit: AnyPath, x: Matrix, s?: ArrayLike<number>): Float64Array[][] {
  if (x.nCols !== fit.nFeatures) {
    throw new InputError(
      `new data has ${x.nCols} columns but the model has ${fit.nFeatures} features`,
    );
  }
  const lambdas = s ?? fit.lambda;
  const out: Float64Array[][] = [];
  const n = x.nRows;
  for (let k = 0; k < lambdas.length; k++) {
    const { intercepts, coefficients } = coefSetsAt(fit, lambdas[k]);
    out.push(
      coefficients.map((beta, c) => {
        const eta = new Float64Array(n).fill(intercepts[c]);
        for (let j = 0; j < x.nCols; j++) {
          const b = beta[j];
          if (b === 0) continue;
          if (x.kind === "dense") {
            const off = j * n;
            for (let i = 0; i < n; i++) eta[i] += b * x.data[off + i];
          } else {
            for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++)
              eta[x.rowIndex[t]] += b * x.values[t];
          }
        }
        return eta;
      }),
    );
  }
  return out;
}
