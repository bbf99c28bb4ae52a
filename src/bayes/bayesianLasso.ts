import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { Random } from "../random.js";

/**
 * The priors that make penalized least squares a MAP estimate. With noise variance σ² and n
 * observations, glmnet's objective (1/2n)‖y − Xβ‖² + λ·pen(β) is σ²/n times the negative
 * log-posterior under
 *
 *   Laplace prior p(βⱼ) ∝ exp(−|βⱼ|/b)  with b = σ²/(nλ)   (lasso, pen = Σ|βⱼ|),
 *   Gaussian prior βⱼ ~ N(0, τ²)       with τ² = σ²/(nλ)  (ridge, pen = ½Σβⱼ²),
 *
 * so `priorScale` maps λ to b (Laplace) or τ² (Gaussian) and `lambdaForPrior` maps back.
 *
 * @example
 * ```ts
 * const b = priorScale("laplace", 0.1, sigma2, n); // Laplace scale b = σ²/(nλ) of the lasso's prior
 * ```
 */
export function priorScale(
  kind: "laplace" | "gaussian",
  lambda: number,
  sigma2: number,
  n: number,
): number {
  if (!(lambda > 0 && sigma2 > 0 && n > 0))
    throw new InputError("priorScale: lambda, sigma2 and n must be > 0", { option: "lambda" });
  void kind; // the same formula: b for the Laplace prior, τ² for the Gaussian one
  return sigma2 / (n * lambda);
}

/** The λ whose penalized estimate is the MAP under a prior of scale b (Laplace) or τ² (Gaussian).
 *
 * @example
 * ```ts
 * const lambda = lambdaForPrior("laplace", 0.5, sigma2, n); // the lasso λ whose MAP prior has Laplace scale 0.5
 * ```
 */
export function lambdaForPrior(
  kind: "laplace" | "gaussian",
  scale: number,
  sigma2: number,
  n: number,
): number {
  return priorScale(kind, scale, sigma2, n);
}

/**
 * The log-posterior (up to a constant) of coefficients β (and intercept a) under Gaussian noise of
 * variance σ² and an independent Laplace (scale b) or Gaussian (variance τ² = scale) prior on each
 * βⱼ, the intercept flat: −‖y − a − Xβ‖²/(2σ²) − Σ|βⱼ|/b, or − Σβⱼ²/(2τ²).
 *
 * @example
 * ```ts
 * const lp = logPosterior("laplace", x, y, 152.1, beta, sigma2, 0.5); // up to a constant
 * ```
 */
export function logPosterior(
  kind: "laplace" | "gaussian",
  x: Matrix,
  y: ArrayLike<number>,
  intercept: number,
  beta: ArrayLike<number>,
  sigma2: number,
  scale: number,
): number {
  if (x.kind !== "dense") throw new InputError("logPosterior: needs a dense design");
  const n = x.nRows;
  const p = x.nCols;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let e = intercept;
    for (let j = 0; j < p; j++) e += beta[j] * x.data[j * n + i];
    rss += (y[i] - e) ** 2;
  }
  let prior = 0;
  for (let j = 0; j < p; j++)
    prior += kind === "laplace" ? Math.abs(beta[j]) / scale : (beta[j] * beta[j]) / (2 * scale);
  return -rss / (2 * sigma2) - prior;
}

/** Options of bayesianLasso: λ_B (or its Gamma hyperprior), draws, burn-in, thinning, seed. */
export interface BayesianLassoOptions {
  /**
   * λ_B of Park & Casella (the Laplace rate relative to σ: βⱼ | σ² has density ∝ e^{−λ_B|βⱼ|/σ}).
   * Omit it to give λ_B² the Gamma(r, δ) hyperprior (Park & Casella §3.1) and sample it too.
   */
  lambda?: number;
  /** Hyperprior shape r and rate δ of λ_B² (defaults 1 and 1.78, as Park & Casella). */
  r?: number;
  delta?: number;
  /** Draws kept after burn-in (default 10000), burn-in (default 1000), thinning (default 1). */
  draws?: number;
  burnIn?: number;
  thin?: number;
  seed?: number;
  /** Standardize the features first (default true; coefficients are reported on the original scale). */
  standardize?: boolean;
}

/** Posterior summaries of the Bayesian lasso: means, sds, medians, 95% intervals and batch-means Monte Carlo errors per coefficient. */
export interface BayesianLassoResult {
  /** Posterior mean, sd, median and 95% interval of each coefficient (original scale). */
  mean: Float64Array;
  sd: Float64Array;
  median: Float64Array;
  lower95: Float64Array;
  upper95: Float64Array;
  /** Monte Carlo standard error of each mean (batch means, 20 batches). */
  mcse: Float64Array;
  intercept: number;
  sigma2Mean: number;
  /** λ_B (fixed) or its posterior mean (hyperprior). */
  lambda: number;
  /** The kept draws of β, one Float64Array of p per draw (original scale). */
  samples: Float64Array[];
}

/**
 * The Bayesian lasso (Park & Casella 2008): y | β, σ² ~ N(ȳ + Xβ, σ²I) on standardized X,
 * βⱼ | τⱼ², σ² ~ N(0, σ²τⱼ²), τⱼ² ~ Exp(λ_B²/2) — which makes βⱼ | σ² Laplace with rate λ_B/σ —
 * and p(σ²) ∝ 1/σ². The Gibbs sampler draws in turn
 *
 *   β | · ~ N(A⁻¹Xᵀỹ, σ²A⁻¹),  A = XᵀX + diag(1/τⱼ²)        (Cholesky of A each sweep),
 *   σ² | · ~ InvGamma((n−1+p)/2, ‖ỹ − Xβ‖²/2 + Σβⱼ²/(2τⱼ²)),
 *   1/τⱼ² | · ~ InverseGaussian(√(λ_B²σ²/βⱼ²), λ_B²),
 *   λ_B² | · ~ Gamma(p + r, Σ τⱼ²/2 + δ)                      (with the hyperprior),
 *
 * giving posterior means, credible intervals and Monte Carlo errors — what lasso users ask for and
 * glmnet does not give. Its posterior mode with σ² fixed is the lasso at λ = λ_B·σ/n.
 *
 * @example
 * ```ts
 * const post = bayesianLasso(x, y, { draws: 5000, seed: 1 });
 * post.mean; post.lower95; post.upper95; // posterior means and 95% intervals
 * ```
 */
export function bayesianLasso(
  x: Matrix,
  y: ArrayLike<number>,
  options: BayesianLassoOptions = {},
): BayesianLassoResult {
  if (x.kind !== "dense") throw new InputError("bayesianLasso: needs a dense design");
  const n = x.nRows;
  const p = x.nCols;
  if (y.length !== n)
    throw new InputError(`bayesianLasso: y has ${y.length} values for ${n} rows`, { option: "y" });
  const draws = options.draws ?? 10000;
  const burnIn = options.burnIn ?? 1000;
  const thin = options.thin ?? 1;
  for (const [name, v] of [
    ["draws", draws],
    ["burnIn", burnIn],
    ["thin", thin],
  ] as const)
    if (!(Number.isInteger(v) && v >= (name === "burnIn" ? 0 : 1)))
      throw new InputError(`option '${name}': must be a positive integer, got ${v}`, {
        option: name,
      });
  if (options.lambda !== undefined && !(options.lambda > 0))
    throw new InputError(`option 'lambda': must be > 0, got ${options.lambda}`, {
      option: "lambda",
    });
  const rng = new Random(options.seed ?? 1);
  const standardize = options.standardize ?? true;
  // Center y and the columns; scale the columns.
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] / n;
  const yc = Float64Array.from(y, (v) => v - ybar);
  const xs = new Float64Array(n * p);
  const mean = new Float64Array(p);
  const sdv = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x.data[j * n + i] / n;
    mean[j] = m;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x.data[j * n + i] - m) ** 2 / n;
    if (standardize) sdv[j] = Math.sqrt(v) || 1;
    for (let i = 0; i < n; i++) xs[j * n + i] = (x.data[j * n + i] - m) / sdv[j];
  }
  // XᵀX and Xᵀỹ once.
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[j * n + i] * xs[k * n + i];
      xtx[j * p + k] = xtx[k * p + j] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[j * n + i] * yc[i];
    xty[j] = s;
  }
  let yty = 0;
  for (let i = 0; i < n; i++) yty += yc[i] * yc[i];

  const beta = new Float64Array(p);
  const invTau2 = new Float64Array(p).fill(1);
  let sigma2 = yty / n;
  let lambda2 = options.lambda !== undefined ? options.lambda ** 2 : 1;
  const r = options.r ?? 1;
  const delta = options.delta ?? 1.78;
  const A = new Float64Array(p * p);
  const z = new Float64Array(p);
  const samples: Float64Array[] = [];
  let sigmaSum = 0;
  let lambdaSum = 0;
  const total = burnIn + draws * thin;
  for (let it = 0; it < total; it++) {
    // β | ·: A = XᵀX + diag(1/τ²) = LLᵀ; mean A⁻¹Xᵀỹ; noise σ·L⁻ᵀz.
    A.set(xtx);
    for (let j = 0; j < p; j++) A[j * p + j] += invTau2[j];
    if (!cholesky(A, p)) throw new Error("bayesianLasso: A is not positive definite");
    const m = Float64Array.from(xty);
    forward(A, p, m);
    backward(A, p, m);
    for (let j = 0; j < p; j++) z[j] = rng.normal();
    backward(A, p, z);
    const sigma = Math.sqrt(sigma2);
    for (let j = 0; j < p; j++) beta[j] = m[j] + sigma * z[j];
    // σ² | ·: RSS = ỹᵀỹ − 2βᵀXᵀỹ + βᵀXᵀXβ.
    let quad = 0;
    let cross = 0;
    let prior = 0;
    for (let j = 0; j < p; j++) {
      cross += beta[j] * xty[j];
      let s = 0;
      for (let k = 0; k < p; k++) s += xtx[j * p + k] * beta[k];
      quad += beta[j] * s;
      prior += beta[j] * beta[j] * invTau2[j];
    }
    const rss = Math.max(yty - 2 * cross + quad, 0);
    sigma2 = 1 / gamma(rng, (n - 1 + p) / 2, (rss + prior) / 2);
    // 1/τⱼ² | ·.
    let tauSum = 0;
    for (let j = 0; j < p; j++) {
      const muIg = Math.sqrt((lambda2 * sigma2) / Math.max(beta[j] * beta[j], 1e-300));
      invTau2[j] = inverseGaussian(rng, muIg, lambda2);
      tauSum += 1 / invTau2[j];
    }
    // λ_B² | · (hyperprior only).
    if (options.lambda === undefined) lambda2 = gamma(rng, p + r, tauSum / 2 + delta);
    if (it >= burnIn && (it - burnIn) % thin === 0) {
      samples.push(Float64Array.from(beta, (b, j) => b / sdv[j]));
      sigmaSum += sigma2;
      lambdaSum += Math.sqrt(lambda2);
    }
  }
  const K = samples.length;
  const postMean = new Float64Array(p);
  const sd = new Float64Array(p);
  const median = new Float64Array(p);
  const lower95 = new Float64Array(p);
  const upper95 = new Float64Array(p);
  const mcse = new Float64Array(p);
  const batches = 20;
  const size = Math.floor(K / batches);
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from(samples, (s) => s[j]);
    const mu = v.reduce((s, t) => s + t, 0) / K;
    postMean[j] = mu;
    sd[j] = Math.sqrt(v.reduce((s, t) => s + (t - mu) ** 2, 0) / Math.max(K - 1, 1));
    const sorted = Float64Array.from(v).sort();
    const q = (f: number) => sorted[Math.min(K - 1, Math.max(0, Math.round(f * (K - 1))))];
    median[j] = q(0.5);
    lower95[j] = q(0.025);
    upper95[j] = q(0.975);
    // Batch means: the sd of the batch averages over √batches.
    if (size > 0) {
      let ss = 0;
      for (let b = 0; b < batches; b++) {
        let s = 0;
        for (let t = b * size; t < (b + 1) * size; t++) s += v[t];
        ss += (s / size - mu) ** 2;
      }
      mcse[j] = Math.sqrt(ss / (batches - 1) / batches);
    } else mcse[j] = NaN;
  }
  let a0 = ybar;
  for (let j = 0; j < p; j++) a0 -= postMean[j] * mean[j];
  return {
    mean: postMean,
    sd,
    median,
    lower95,
    upper95,
    mcse,
    intercept: a0,
    sigma2Mean: sigmaSum / K,
    lambda: lambdaSum / K,
    samples,
  };
}

/** In-place lower Cholesky factor of a p×p SPD matrix (row-major); false if not PD. */
function cholesky(a: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / l;
    }
  }
  return true;
}

/** v ← L⁻¹v. */
function forward(l: Float64Array, p: number, v: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = v[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * v[k];
    v[i] = s / l[i * p + i];
  }
}

/** v ← L⁻ᵀv. */
function backward(l: Float64Array, p: number, v: Float64Array): void {
  for (let i = p - 1; i >= 0; i--) {
    let s = v[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * v[k];
    v[i] = s / l[i * p + i];
  }
}

/** A Gamma(shape, rate) draw (Marsaglia & Tsang 2000; shape < 1 by the boost u^{1/shape}). *
 * @example
 * ```ts
 * const v = gammaDraw(new Random(1), 2, 3); // a Gamma(shape 2, rate 3) draw
 * ```
 */
export function gamma(rng: Random, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(rng.uniform() || 1e-300, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let xv: number;
    let v: number;
    do {
      xv = rng.normal();
      v = 1 + c * xv;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * xv ** 4 || Math.log(u) < 0.5 * xv * xv + d * (1 - v + Math.log(v)))
      return (d * v) / rate;
  }
}

/** An inverse-Gaussian(μ, λ) draw (Michael, Schucany & Haas 1976).
 *
 * @example
 * ```ts
 * const v = inverseGaussian(new Random(1), 1.5, 2); // an inverse-Gaussian(μ = 1.5, λ = 2) draw
 * ```
 */
export function inverseGaussian(rng: Random, mu: number, lambda: number): number {
  const nu = rng.normal();
  const w = mu * nu * nu;
  // x = μ + μ²ν²/(2λ) − (μ/2λ)√(4μλν² + μ²ν⁴), written without the cancellation at large μ.
  const xv = mu * (1 - (2 * w) / (w + Math.sqrt(w * w + 4 * lambda * w)));
  return rng.uniform() <= mu / (mu + xv) ? xv : (mu * mu) / xv;
}
