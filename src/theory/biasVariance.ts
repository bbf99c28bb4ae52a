import { InputError } from "../errors.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { Random } from "../random.js";

/** Options of polynomialBiasVariance: degree, points per sample, noise, λ grid, repetitions, seed. */
export interface BiasVarianceOptions {
  /** The true regression function on [−1, 1] (default sin(πx)). */
  truth?: (x: number) => number;
  /** Polynomial degree of the fitted model (default 20). */
  degree?: number;
  /** Training points per sample (default 15), drawn uniformly on [−1, 1]. */
  n?: number;
  /** Noise standard deviation (default 0.3). */
  sigma?: number;
  /** Ridge λ values (glmnet's scale: (1/2n)‖y − Xβ‖² + (λ/2)‖β‖², centered raw powers of x). */
  lambdas: number[];
  /** Resampled training sets (default 500). */
  reps?: number;
  /** Test points (an even grid on [−1, 1], default 101). */
  nTest?: number;
  seed?: number;
}

/** Bias², variance, noise and measured test error at one λ. */
export interface BiasVariancePoint {
  lambda: number;
  /** Average over the test grid of (E ŷ(x) − f(x))². */
  bias2: number;
  /** Average over the test grid of Var ŷ(x) (across training sets). */
  variance: number;
  /** σ². */
  noise: number;
  /** bias² + variance + noise: the expected squared error at a new noisy point. */
  expected: number;
  /** The same measured directly: squared error of each fit on fresh noisy test responses. */
  measuredTestError: number;
}

/**
 * The bias–variance decomposition over λ by repeated resampling (the seeds' example: a degree-20
 * polynomial through a few noisy points, with and without ridge). Each of `reps` training sets
 * draws n points xᵢ ~ U[−1, 1], yᵢ = f(xᵢ) + σεᵢ; a ridge fit per λ on the centered polynomial
 * features x, …, x^d (intercept unpenalized; λ = 0 is minimum-norm least squares) predicts on a
 * test grid over [−1, 1]. At each λ:
 * bias² and variance of the prediction averaged over the grid, noise σ², and — as a check of the
 * identity E(y − ŷ)² = bias² + variance + σ² — the measured error against fresh noisy responses.
 *
 * @example
 * ```ts
 * const points = polynomialBiasVariance({ lambdas: [1e-6, 1e-3, 1], seed: 1 });
 * points.map((q) => q.bias2 + q.variance + q.noise);
 * ```
 */
export function polynomialBiasVariance(options: BiasVarianceOptions): BiasVariancePoint[] {
  const truth = options.truth ?? ((x: number) => Math.sin(Math.PI * x));
  const d = options.degree ?? 20;
  const n = options.n ?? 15;
  const sigma = options.sigma ?? 0.3;
  const reps = options.reps ?? 500;
  const nTest = options.nTest ?? 101;
  const lambdas = options.lambdas;
  if (!(Number.isInteger(d) && d >= 1) || !(Number.isInteger(n) && n >= 2))
    throw new InputError("polynomialBiasVariance: degree ≥ 1 and n ≥ 2 integers", {
      option: "degree",
    });
  if (!lambdas.length || !lambdas.every((l) => l >= 0))
    throw new InputError("option 'lambdas': one or more values ≥ 0", { option: "lambdas" });
  const rng = new Random(options.seed ?? 1);
  const grid = Float64Array.from({ length: nTest }, (_, t) => -1 + (2 * t) / (nTest - 1));
  const L = lambdas.length;
  const sum = Array.from({ length: L }, () => new Float64Array(nTest));
  const sumSq = Array.from({ length: L }, () => new Float64Array(nTest));
  const testErr = new Float64Array(L);
  const powers = (x: number, out: Float64Array) => {
    let v = 1;
    for (let k = 0; k < d; k++) {
      v *= x;
      out[k] = v;
    }
  };
  const row = new Float64Array(d);
  for (let r = 0; r < reps; r++) {
    const xs = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
    const ys = Float64Array.from(xs, (x) => truth(x) + sigma * rng.normal());
    // Center the d power features and y (the intercept is not penalized).
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      powers(xs[i], row);
      for (let k = 0; k < d; k++) X[k * n + i] = row[k];
    }
    // Powers of x ∈ [−1, 1] are bounded by 1: they are centered but not scaled (scaling by the
    // sample's sd would blow up x^d outside the sampled range, where the test grid also goes).
    const mean = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[k * n + i] / n;
      mean[k] = m;
      for (let i = 0; i < n; i++) X[k * n + i] -= m;
    }
    const ybar = ys.reduce((s, v) => s + v, 0) / n;
    // G = XᵀX/n = V diag(e) Vᵀ; β(λ) = V diag(1/(e + λ)) Vᵀ Xᵀỹ/n (pseudo-inverse where e + λ ≈ 0).
    const G = new Float64Array(d * d);
    const c = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      for (let k = 0; k <= j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[j * n + i] * X[k * n + i];
        G[j * d + k] = G[k * d + j] = s / n;
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += X[j * n + i] * (ys[i] - ybar);
      c[j] = s / n;
    }
    const { values, vectors } = symmetricEigen(G, d);
    const vc = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += vectors[j * d + k] * c[j];
      vc[k] = s;
    }
    const top = Math.max(...values);
    for (let l = 0; l < L; l++) {
      const beta = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        const den = values[k] + lambdas[l];
        if (!(den > 1e-12 * top)) continue; // minimum-norm least squares without ridge
        const f = vc[k] / den;
        for (let j = 0; j < d; j++) beta[j] += vectors[j * d + k] * f;
      }
      for (let t = 0; t < nTest; t++) {
        powers(grid[t], row);
        let yhat = ybar;
        for (let k = 0; k < d; k++) yhat += beta[k] * (row[k] - mean[k]);
        sum[l][t] += yhat;
        sumSq[l][t] += yhat * yhat;
        const fresh = truth(grid[t]) + sigma * rng.normal();
        testErr[l] += (fresh - yhat) ** 2;
      }
    }
  }
  return lambdas.map((lambda, l) => {
    let bias2 = 0;
    let variance = 0;
    for (let t = 0; t < nTest; t++) {
      const m = sum[l][t] / reps;
      bias2 += (m - truth(grid[t])) ** 2;
      variance += sumSq[l][t] / reps - m * m;
    }
    bias2 /= nTest;
    variance /= nTest;
    const noise = sigma * sigma;
    return {
      lambda,
      bias2,
      variance,
      noise,
      expected: bias2 + variance + noise,
      measuredTestError: testErr[l] / (reps * nTest),
    };
  });
}
