import { InputError } from "../errors.js";
import type { Design, FusedPass } from "./design.js";

/**
 * The sufficient statistics of a Gaussian fit over a set of rows, as sums of shifted values
 * u = x − a, v = y − b (a and b near the means, so that no sum cancels: a column of mean 10⁶ and
 * sd 1 keeps its variance to full precision). With unit weights w = 1:
 *
 *     n = Σw,  sx_j = Σw u_j,  sy = Σw v,  sxx_jk = Σw u_j u_k,  sxy_j = Σw u_j v,  syy = Σw v².
 *
 * Sums over disjoint row sets add; a training fold is the total minus its held-out fold.
 */
export interface GaussianStats {
  n: number;
  /** The shifts a (per feature) and b (the response). */
  shiftX: Float64Array;
  shiftY: number;
  sx: Float64Array;
  sy: number;
  /** p × p, row-major (symmetric). */
  sxx: Float64Array;
  sxy: Float64Array;
  syy: number;
}

/** Largest number of features for a Gram-matrix fit (the p × p Gram takes 8p² bytes). */
export const MAX_GRAM_FEATURES = 5000;

/** a − b for two sets of statistics with the same shifts (a ⊇ b). */
export function subtractStats(a: GaussianStats, b: GaussianStats): GaussianStats {
  return {
    n: a.n - b.n,
    shiftX: a.shiftX,
    shiftY: a.shiftY,
    sx: a.sx.map((v, j) => v - b.sx[j]),
    sy: a.sy - b.sy,
    sxx: a.sxx.map((v, j) => v - b.sxx[j]),
    sxy: a.sxy.map((v, j) => v - b.sxy[j]),
    syy: a.syy - b.syy,
  };
}

/** The sum of statistics with the same shifts. */
export function addStats(list: GaussianStats[]): GaussianStats {
  const first = list[0];
  const p = first.sx.length;
  const out: GaussianStats = {
    n: 0,
    shiftX: first.shiftX,
    shiftY: first.shiftY,
    sx: new Float64Array(p),
    sy: 0,
    sxx: new Float64Array(p * p),
    sxy: new Float64Array(p),
    syy: 0,
  };
  for (const s of list) {
    out.n += s.n;
    out.sy += s.sy;
    out.syy += s.syy;
    for (let j = 0; j < p; j++) {
      out.sx[j] += s.sx[j];
      out.sxy[j] += s.sxy[j];
    }
    for (let t = 0; t < p * p; t++) out.sxx[t] += s.sxx[t];
  }
  return out;
}

/**
 * The features' weighted means and variances (population form) from the sums, and which columns
 * are constant up to rounding (variance ≤ 1e−13 · mean square, the rule of `moments`).
 */
export function statsMoments(s: GaussianStats): {
  mean: Float64Array;
  variance: Float64Array;
  constant: Uint8Array;
} {
  const p = s.sx.length;
  const mean = new Float64Array(p);
  const variance = new Float64Array(p);
  const constant = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const dm = s.sx[j] / s.n;
    const v = Math.max(0, s.sxx[j * p + j] / s.n - dm * dm);
    mean[j] = s.shiftX[j] + dm;
    variance[j] = v;
    if (v <= 1e-13 * (v + mean[j] * mean[j])) constant[j] = 1;
  }
  return { mean, variance, constant };
}

/**
 * Σ (y − a₀ − xᵀβ)² over the rows of `s`, from its sums alone (β dense, original scale): with
 * δ = a₀ − b + aᵀβ, it is Σv² − 2δΣv − 2βᵀΣuv + nδ² + 2δβᵀΣu + βᵀ(Σuuᵀ)β.
 */
export function residualSumOfSquares(s: GaussianStats, a0: number, beta: Float64Array): number {
  const p = beta.length;
  let delta = a0 - s.shiftY;
  for (let j = 0; j < p; j++) delta += s.shiftX[j] * beta[j];
  let bxy = 0;
  let bx = 0;
  let quad = 0;
  for (let j = 0; j < p; j++) {
    const bj = beta[j];
    if (bj === 0) continue;
    bxy += bj * s.sxy[j];
    bx += bj * s.sx[j];
    let row = 0;
    for (let k = 0; k < p; k++) if (beta[k] !== 0) row += s.sxx[j * p + k] * beta[k];
    quad += bj * row;
  }
  const rss = s.syy - 2 * delta * s.sy - 2 * bxy + s.n * delta * delta + 2 * delta * bx + quad;
  return Math.max(0, rss);
}

/**
 * The standardized problem of a Gaussian fit built from sufficient statistics instead of rows
 * (as glmnet's covariance updates need only X̃ᵀX̃ and X̃ᵀỹ): the same centers, scales and inner
 * products as `DenseDesign` on the rows, for the covariance solver. Unit weights.
 */
export class GramDesign implements Design {
  readonly n: number;
  readonly p: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly xv: Float64Array;
  /** x̃_jᵀx̃_k, p × p. */
  private readonly gram: Float64Array;
  /** x̃_jᵀỹ. */
  readonly xty: Float64Array;
  /** ȳ (0 without intercept) and ‖ỹ‖². */
  readonly ym: number;
  readonly yy: number;

  /**
   * `fixedScale`: the scales to use (an IRLS step keeps the unit-weight scales while its weights
   * change); the centers are then the weighted means of `s` and no column is excluded here.
   */
  constructor(
    s: GaussianStats,
    intercept: boolean,
    standardize: boolean,
    include: Uint8Array,
    fixedScale?: Float64Array,
  ) {
    const p = (this.p = s.sx.length);
    if (p > MAX_GRAM_FEATURES)
      throw new InputError(
        `${p} features: a Gram-matrix fit holds a p × p matrix (${((8 * p * p) / 2 ** 30).toFixed(1)} GiB); at most ${MAX_GRAM_FEATURES} features`,
      );
    const n = s.n;
    this.n = n;
    // means and the deviations of the centers from the shifts
    const { mean, variance, constant } = statsMoments(s);
    const center = (this.center = intercept ? mean : new Float64Array(p));
    const d = Float64Array.from(center, (c, j) => c - s.shiftX[j]);
    // (1/n) Σ (x_j − c_j)(x_k − c_k) from the shifted sums
    const cross = (j: number, k: number, dj: number, dk: number) =>
      (s.sxx[j * p + k] - dj * s.sx[k] - dk * s.sx[j] + n * dj * dk) / n;
    this.scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      if (fixedScale) {
        this.scale[j] = fixedScale[j];
        continue;
      }
      if (constant[j]) include[j] = 0;
      this.scale[j] = standardize ? Math.sqrt(variance[j]) : 1;
    }
    const sc = this.scale;
    this.gram = new Float64Array(p * p);
    this.xv = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      if (!include[j]) continue;
      for (let k = j; k < p; k++) {
        if (!include[k]) continue;
        const g = cross(j, k, d[j], d[k]) / (sc[j] * sc[k]);
        this.gram[j * p + k] = g;
        this.gram[k * p + j] = g;
      }
      this.xv[j] = this.gram[j * p + j];
    }
    const ym = (this.ym = intercept ? s.shiftY + s.sy / n : 0);
    const e = ym - s.shiftY;
    this.yy = Math.max(0, (s.syy - 2 * e * s.sy + n * e * e) / n);
    const rawYy = (s.syy + 2 * s.shiftY * s.sy + n * s.shiftY * s.shiftY) / n;
    if (!(this.yy > 1e-24 * rawYy)) throw new InputError("y is constant: there is nothing to fit");
    this.xty = new Float64Array(p);
    for (let j = 0; j < p; j++)
      if (include[j])
        this.xty[j] = (s.sxy[j] - d[j] * s.sy - e * s.sx[j] + n * d[j] * e) / n / sc[j];
  }

  resetResidual(): void {}
  gradient(j: number): number {
    return this.xty[j];
  }
  gramColumn(j: number, include: Uint8Array, out: Float64Array, offset: number): void {
    const p = this.p;
    for (let k = 0; k < p; k++) if (include[k]) out[offset + k] = this.gram[k * p + j];
  }
  release(): void {}
  fused(): FusedPass | null {
    return null;
  }
  // The rows are not here: only the covariance solver, which never needs them, runs on this view.
  update(): void {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  updates(): void {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  residualNormSq(): number {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  residualInto(): void {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  residualDistanceSq(): number {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  column(): void {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
  dotsWith(): void {
    throw new Error("GramDesign has no rows (covariance solver only)");
  }
}

/**
 * The statistics of rows of a column-major design (all rows, or those with `fold[i] === f`),
 * shifted by `shift` (default: the first row's values).
 *
 * @example
 * ```ts
 * const s = gaussianStats(x, y); // the sums one scan of a table gives
 * gaussianStatsPath(s).lambda; // elasticNetPath(x, y).lambda
 * ```
 */
export function gaussianStats(
  x: { nRows: number; nCols: number; data: Float64Array },
  y: ArrayLike<number>,
  rows?: (i: number) => boolean,
  shift?: { x: Float64Array; y: number },
): GaussianStats {
  const n = x.nRows;
  const p = x.nCols;
  const a = shift?.x ?? Float64Array.from({ length: p }, (_, j) => x.data[j * n]);
  const b = shift?.y ?? y[0];
  const s: GaussianStats = {
    n: 0,
    shiftX: a,
    shiftY: b,
    sx: new Float64Array(p),
    sy: 0,
    sxx: new Float64Array(p * p),
    sxy: new Float64Array(p),
    syy: 0,
  };
  const u = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (rows && !rows(i)) continue;
    const v = y[i] - b;
    for (let j = 0; j < p; j++) u[j] = x.data[j * n + i] - a[j];
    s.n++;
    s.sy += v;
    s.syy += v * v;
    for (let j = 0; j < p; j++) {
      s.sx[j] += u[j];
      s.sxy[j] += u[j] * v;
      for (let k = 0; k < p; k++) s.sxx[j * p + k] += u[j] * u[k];
    }
  }
  return s;
}
