import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import type { SparseVector } from "./elasticNetPath.js";

/** What interpolation needs from a fitted path. */
export interface PathCoefficients {
  nFeatures: number;
  lambda: ArrayLike<number>;
  intercept: ArrayLike<number>;
  beta: SparseVector[];
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
export function coefAt(
  fit: PathCoefficients,
  s: number,
): { intercept: number; beta: Float64Array } {
  if (!(s >= 0)) throw new InputError(`λ must be ≥ 0, got ${s}`, { option: "s" });
  const { left, frac } = lambdaBracket(fit.lambda, s);
  const beta = new Float64Array(fit.nFeatures);
  const add = (k: number, weight: number) => {
    if (weight === 0) return;
    const { index, value } = fit.beta[k];
    for (let t = 0; t < index.length; t++) beta[index[t]] += weight * value[t];
  };
  add(left, 1 - frac);
  if (frac > 0) add(left + 1, frac);
  const intercept =
    (1 - frac) * fit.intercept[left] + (frac > 0 ? frac * fit.intercept[left + 1] : 0);
  return { intercept, beta };
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
export function predict(fit: PathCoefficients, x: Matrix, s?: ArrayLike<number>): Float64Array[] {
  if (x.nCols !== fit.nFeatures) {
    throw new InputError(
      `new data has ${x.nCols} columns but the model has ${fit.nFeatures} features`,
    );
  }
  const lambdas = s ?? fit.lambda;
  const out: Float64Array[] = [];
  const n = x.nRows;
  for (let k = 0; k < lambdas.length; k++) {
    const { intercept, beta } = coefAt(fit, lambdas[k]);
    const eta = new Float64Array(n).fill(intercept);
    for (let j = 0; j < x.nCols; j++) {
      const b = beta[j];
      if (b === 0) continue;
      if (x.kind === "dense") {
        const off = j * n;
        for (let i = 0; i < n; i++) eta[i] += b * x.data[off + i];
      } else {
        for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) eta[x.rowIndex[t]] += b * x.values[t];
      }
    }
    out.push(eta);
  }
  return out;
}
