import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";

/**
 * A smooth objective f(w) for the proximal solvers: its value and gradient (skglm's "datafit";
 * STYLE.md). `lipschitz` bounds the gradient's Lipschitz constant where it is known (a first step
 * 1/L); `batchGradient` serves stochastic methods (mean over a mini-batch of the samples).
 */
export interface Smooth {
  readonly dim: number;
  value(w: Float64Array): number;
  /** out ← ∇f(w); returns f(w). */
  gradient(w: Float64Array, out: Float64Array): number;
  readonly lipschitz?: number;
  readonly nSamples?: number;
  /** out ← ∇ of the mean loss over samples rows[0 .. count). */
  batchGradient?(w: Float64Array, rows: Int32Array, count: number, out: Float64Array): void;
}

/** Options of glmDatafit: intercept column, observation weights, offsets. */
export interface DatafitOptions {
  /** Append an intercept as the last coordinate of w (leave it unpenalized: weight 0). */
  intercept?: boolean;
}

type Loss = {
  /** ℓ(y, η) and dℓ/dη. */
  value(y: number, eta: number): number;
  derivative(y: number, eta: number): number;
  /** An upper bound on d²ℓ/dη² (for the Lipschitz constant). */
  curvature: number;
};

const LOSSES: Record<"squared" | "logistic" | "poisson", Loss> = {
  squared: {
    value: (y, e) => 0.5 * (y - e) * (y - e),
    derivative: (y, e) => e - y,
    curvature: 1,
  },
  logistic: {
    value: (y, e) => Math.max(e, 0) + Math.log1p(Math.exp(-Math.abs(e))) - y * e,
    derivative: (y, e) => (e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e))) - y,
    curvature: 0.25,
  },
  poisson: {
    value: (y, e) => Math.exp(e) - y * e,
    derivative: (y, e) => Math.exp(e) - y,
    curvature: NaN, // unbounded: backtracking finds the step
  },
};

/**
 * The mean loss (1/n) Σᵢ ℓ(yᵢ, xᵢᵀw [+ w_p]) of a GLM on a design X (dense or sparse, used as
 * given — standardize first for glmnet's scale): squared error ½(y − η)², logistic
 * log(1 + e^η) − yη (y ∈ {0, 1}), or Poisson e^η − yη. The Lipschitz bound is
 * curvature·‖[X 1]‖²_F / n (the Frobenius norm bounds the spectral one).
 *
 * @example
 * ```ts
 * const fLogistic = glmDatafit("logistic", x, y01, { intercept: true }); // mean logistic loss of [β, β₀]
 * ```
 */
export function glmDatafit(
  kind: "squared" | "logistic" | "poisson",
  x: Matrix,
  y: ArrayLike<number>,
  options: DatafitOptions = {},
): Smooth {
  const n = x.nRows;
  const p = x.nCols;
  if (y.length !== n)
    throw new InputError(`${kind} datafit: y has ${y.length} values for ${n} rows`, {
      option: "y",
    });
  const loss = LOSSES[kind];
  const icpt = options.intercept === true;
  const dim = p + (icpt ? 1 : 0);
  const eta = new Float64Array(n);
  const d = new Float64Array(n);
  const linear = (w: Float64Array) => {
    eta.fill(icpt ? w[p] : 0);
    if (x.kind === "dense") {
      for (let j = 0; j < p; j++) {
        const b = w[j];
        if (b === 0) continue;
        const off = j * n;
        for (let i = 0; i < n; i++) eta[i] += b * x.data[off + i];
      }
    } else {
      for (let j = 0; j < p; j++) {
        const b = w[j];
        if (b === 0) continue;
        for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) eta[x.rowIndex[k]] += b * x.values[k];
      }
    }
  };
  const transposeTimes = (v: Float64Array, out: Float64Array, scale: number) => {
    for (let j = 0; j < p; j++) {
      let s = 0;
      if (x.kind === "dense") {
        const off = j * n;
        for (let i = 0; i < n; i++) s += x.data[off + i] * v[i];
      } else
        for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) s += x.values[k] * v[x.rowIndex[k]];
      out[j] = s * scale;
    }
    if (icpt) {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i];
      out[p] = s * scale;
    }
  };
  let frob = icpt ? n : 0;
  if (x.kind === "dense") for (const v of x.data) frob += v * v;
  else for (const v of x.values) frob += v * v;
  const rowOf = (i: number, w: Float64Array) => {
    let e = icpt ? w[p] : 0;
    if (x.kind === "dense") for (let j = 0; j < p; j++) e += w[j] * x.data[j * n + i];
    else throw new InputError(`${kind} datafit: mini-batches need a dense design`);
    return e;
  };
  return {
    dim,
    nSamples: n,
    lipschitz: Number.isFinite(loss.curvature) ? (loss.curvature * frob) / n : undefined,
    value(w) {
      linear(w);
      let s = 0;
      for (let i = 0; i < n; i++) s += loss.value(y[i], eta[i]);
      return s / n;
    },
    gradient(w, out) {
      linear(w);
      let s = 0;
      for (let i = 0; i < n; i++) {
        s += loss.value(y[i], eta[i]);
        d[i] = loss.derivative(y[i], eta[i]);
      }
      transposeTimes(d, out, 1 / n);
      return s / n;
    },
    batchGradient(w, rows, count, out) {
      out.fill(0);
      for (let t = 0; t < count; t++) {
        const i = rows[t];
        const g = loss.derivative(y[i], rowOf(i, w)) / count;
        for (let j = 0; j < p; j++) out[j] += g * (x as { data: Float64Array }).data[j * n + i];
        if (icpt) out[p] += g;
      }
    },
  };
}

/** A user-supplied smooth function: value and gradient (checked for size and finiteness).
 *
 * @example
 * ```ts
 * const fq = customSmooth(2, (w) => (w[0] - 1) ** 2 + (w[1] + 2) ** 2, (w, out) => {
 *   out[0] = 2 * (w[0] - 1);
 *   out[1] = 2 * (w[1] + 2);
 * }, 2);
 * proximalGradient(fq, l1(0.5));
 * ```
 */
export function customSmooth(
  dim: number,
  value: (w: Float64Array) => number,
  gradient: (w: Float64Array, out: Float64Array) => void,
  lipschitz?: number,
): Smooth {
  return {
    dim,
    lipschitz,
    value,
    gradient(w, out) {
      gradient(w, out);
      return value(w);
    },
  };
}
