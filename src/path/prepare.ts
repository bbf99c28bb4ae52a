import { firstNonFinite, type Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import type { ResolvedOptions } from "./options.js";

/** glmnet's floor on λ_min / λ_max. */
const MIN_RATIO = 1e-6;

/** Checks X and y agree and are finite, before any work. */
export function checkXY(x: Matrix, y: ArrayLike<number>): void {
  const n = x.nRows;
  if (y.length !== n) throw new InputError(`y has ${y.length} values but X has ${n} rows`);
  if (n < 2) throw new InputError(`need at least 2 observations, got ${n}`);
  if (x.kind === "dense" && x.data.length !== n * x.nCols)
    throw new InputError(
      `X's data has ${x.data.length} values where ${n} × ${x.nCols} needs ${n * x.nCols} (use denseMatrix)`,
    );
  const badY = firstNonFinite(y);
  if (badY >= 0)
    throw new InputError(`y has a non-finite value at row ${badY + 1}`, { row: badY + 1 });
  const badX = firstNonFinite(x.kind === "dense" ? x.data : x.values);
  if (badX >= 0) {
    // Where: column-major dense storage, or the CSC column holding value badX.
    let row: number;
    let col: number;
    if (x.kind === "dense") {
      row = (badX % n) + 1;
      col = Math.floor(badX / n) + 1;
    } else {
      row = x.rowIndex[badX] + 1;
      col = 1;
      while (x.colPtr[col] <= badX) col++;
    }
    const v = x.kind === "dense" ? x.data[badX] : x.values[badX];
    throw new InputError(`X has a non-finite value (${v}) at row ${row}, column ${col}`, {
      row,
      column: String(col),
    });
  }
}

/**
 * The response on the solver's scale: ȳ = Σŵy (0 without intercept), ỹ = √ŵ ∘ (y − ȳ) and the
 * null deviance Σŵ(y − ȳ)² = ‖ỹ‖².
 */
export function prepareResponse(y: ArrayLike<number>, w: Float64Array, intercept: boolean) {
  const n = w.length;
  let ym = 0;
  if (intercept) for (let i = 0; i < n; i++) ym += w[i] * y[i];
  const yTilde = new Float64Array(n);
  let nullDeviance = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i] - ym;
    yTilde[i] = Math.sqrt(w[i]) * t;
    nullDeviance += w[i] * t * t;
    yy += w[i] * y[i] * y[i];
  }
  if (!(nullDeviance > 1e-24 * yy)) throw new InputError("y is constant: there is nothing to fit");
  return { ym, yTilde, nullDeviance };
}

/**
 * glmnet's λ sequence: λ_max = max_j |g_j| / (pf_j · max(α, 0.001)) over penalized features, with
 * g the negative gradient once unpenalized features are fitted; then nLambda values decreasing
 * geometrically to λ_max · max(lambdaMinRatio, 1e-6) (by repeated multiplication, as glmnet).
 * An explicit `lambda` option is returned as given (sorted decreasing).
 */
export function lambdaSequence(
  g: Float64Array,
  include: Uint8Array,
  o: ResolvedOptions,
): { lambdas: Float64Array; lambdaMax: number } {
  let lambdaMax = 0;
  const alphaFloor = Math.max(o.alpha, 1e-3);
  for (let j = 0; j < g.length; j++) {
    if (include[j] && o.penaltyFactor[j] > 0) {
      lambdaMax = Math.max(lambdaMax, Math.abs(g[j]) / (o.penaltyFactor[j] * alphaFloor));
    }
  }
  return { lambdas: o.lambda ?? geometricLambdas(lambdaMax, o), lambdaMax };
}

/**
 * glmnet's automatic sequence from a given λ_max: nLambda values decreasing geometrically to
 * λ_max · max(lambdaMinRatio, 1e-6), by repeated multiplication as glmnet. `singleExponent`:
 * the step's exponent 1/(nLambda − 1) rounded to single precision, as glmnet's Cox Fortran
 * computes it (`1.0/(nlam-1)`), so the Cox grid is glmnet's to the last bit (otherwise it drifts
 * by 9e-11 per step, and cv.glmnet's λ_min would differ in the ninth digit).
 */
export function geometricLambdas(
  lambdaMax: number,
  o: Pick<ResolvedOptions, "nLambda" | "lambdaMinRatio">,
  singleExponent = false,
): Float64Array {
  const lambdas = new Float64Array(o.nLambda);
  lambdas[0] = lambdaMax;
  const ratio = Math.max(MIN_RATIO, o.lambdaMinRatio);
  const exponent = 1 / (o.nLambda - 1);
  const step =
    o.nLambda > 1 ? Math.pow(ratio, singleExponent ? Math.fround(exponent) : exponent) : 1;
  for (let k = 1; k < o.nLambda; k++) lambdas[k] = lambdas[k - 1] * step;
  return lambdas;
}
