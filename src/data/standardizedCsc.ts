import { sparseDot } from "./matrix.js";

/** A CSC design's columns (uncentered, unscaled). */
export interface SparseColumns {
  colPtr: Int32Array;
  rowIndex: Int32Array;
  values: Float64Array;
}

// Products with the columns x̃ⱼ = (xⱼ − c)/s of a sparse design, standardized implicitly (never
// densified): the model core (CoreDesign), the mgaussian covariance solver and the GLM design.

/** x̃ⱼᵀu = (Σₖ xₖⱼ u_{iₖ} − c·Σu)/s, given Σu as `sumU`. */
export function standardizedDot(
  x: SparseColumns,
  j: number,
  u: Float64Array,
  sumU: number,
  c: number,
  s: number,
): number {
  return (sparseDot(u, x.rowIndex, x.values, x.colPtr[j], x.colPtr[j + 1]) - c * sumU) / s;
}

/** Σᵢ wᵢ x̃ᵢⱼ² = (Σₖ w x² − 2c Σₖ w x + c² Σw)/s², given Σw as `sumW`. */
export function standardizedSquare(
  x: SparseColumns,
  j: number,
  w: Float64Array,
  sumW: number,
  c: number,
  s: number,
): number {
  const { colPtr, rowIndex, values } = x;
  let sxx = 0;
  let sx = 0;
  for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
    const wx = w[rowIndex[k]] * values[k];
    sx += wx;
    sxx += wx * values[k];
  }
  return (sxx - 2 * c * sx + c * c * sumW) / (s * s);
}

/**
 * out[at + i] = x̃ᵢⱼ for every row i, as (x − c)·(1/s): the same values, bit for bit, as a dense
 * copy of the column standardized that way.
 */
export function standardizedColumn(
  x: SparseColumns,
  j: number,
  c: number,
  s: number,
  n: number,
  out: Float64Array,
  at: number,
): void {
  const { colPtr, rowIndex, values } = x;
  const r = 1 / s;
  out.fill(-c * r, at, at + n);
  for (let k = colPtr[j]; k < colPtr[j + 1]; k++) out[at + rowIndex[k]] = (values[k] - c) * r;
}
