import { check, InputError } from "../errors.js";
import { defaultGamma, type Nonconvex } from "../penalty/nonconvex.js";

/** Options of the Gaussian elastic-net path; defaults and meanings follow glmnet 4.1. */
export interface ElasticNetOptions {
  /** Mixing: 1 = lasso, 0 = ridge. Default 1. */
  alpha?: number;
  /** Length of the automatic λ sequence. Default 100. */
  nLambda?: number;
  /** λ_min / λ_max. Default 1e-4 when n > p, else 0.01. */
  lambdaMinRatio?: number;
  /** An explicit λ sequence (sorted decreasing before use; no early end of the path). */
  lambda?: ArrayLike<number>;
  /** Standardize features (coefficients are still returned on the original scale). Default true. */
  standardize?: boolean;
  /** Fit an unpenalized intercept. Default true. */
  intercept?: boolean;
  /** Observation weights (non-negative, normalized internally to sum to 1). */
  weights?: ArrayLike<number>;
  /** Per-feature penalty factors: 0 = unpenalized, Infinity = excluded; rescaled to sum to p. */
  penaltyFactor?: ArrayLike<number>;
  /** 0-based indices of features to leave out of the model. */
  exclude?: ArrayLike<number>;
  /** Lower bounds (≤ 0), one number for all features or one per feature. Default −Infinity. */
  lowerLimits?: number | ArrayLike<number>;
  /** Upper bounds (≥ 0). Default Infinity. */
  upperLimits?: number | ArrayLike<number>;
  /** Stop the path once more than dfMax features are non-zero. Default p + 1. */
  dfMax?: number;
  /** Largest number of features ever non-zero. Default min(2·dfMax + 20, p). */
  pMax?: number;
  /**
   * Convergence threshold: a λ is done when a full pass changes no coordinate by more than
   * xv_j·Δb_j² ≥ thresh × null deviance (glmnet's `thresh` and rule). Default 1e-9 (glmnet's is
   * 1e-7). With Newton steps (the default) active sets are solved exactly and this only governs
   * the full passes over candidates; with `newton: false` it sets the accuracy. Binomial and
   * Poisson paths solve each point until its KKT violation is at most 100·thresh·λ.
   */
  thresh?: number;
  /** Largest number of passes over the data for each λ. Default 100000. */
  maxPasses?: number;
  /** "covariance" (n ≫ p), "naive" (p ≫ n), or "auto" (covariance when p < 500, as glmnet). */
  type?: "auto" | "covariance" | "naive";
  /** End the path early when the deviance ratio stalls or exceeds 0.999. Default true. */
  earlyStop?: boolean;
  /**
   * Covariance solver: converge each active set by active-set Newton steps (exact on the active
   * set, to rounding), with coordinate descent only to let features enter. Default true; false
   * uses coordinate descent with Anderson extrapolation alone.
   */
  newton?: boolean;
}

export interface ResolvedOptions {
  alpha: number;
  nLambda: number;
  lambdaMinRatio: number;
  lambda: Float64Array | null;
  standardize: boolean;
  intercept: boolean;
  weights: Float64Array;
  penaltyFactor: Float64Array;
  include: Uint8Array;
  lowerLimits: Float64Array;
  upperLimits: Float64Array;
  dfMax: number;
  pMax: number;
  thresh: number;
  maxPasses: number;
  type: "covariance" | "naive";
  earlyStop: boolean;
  newton: boolean;
}

function perFeature(
  v: number | ArrayLike<number> | undefined,
  p: number,
  fill: number,
  name: string,
): Float64Array {
  if (v === undefined) return new Float64Array(p).fill(fill);
  if (typeof v === "number") return new Float64Array(p).fill(v);
  check(v.length === p || v.length === 1, name, `needs 1 or ${p} values, got ${v.length}`);
  return v.length === 1 ? new Float64Array(p).fill(v[0]) : Float64Array.from(v);
}

/** Validates every option against the data size before any work starts. */
export function resolveOptions(
  o: ElasticNetOptions,
  n: number,
  p: number,
  rows = true,
): ResolvedOptions {
  const alpha = o.alpha ?? 1;
  check(
    Number.isFinite(alpha) && alpha >= 0 && alpha <= 1,
    "alpha",
    `must be in [0, 1], got ${alpha}`,
  );
  const nLambda = o.nLambda ?? 100;
  check(
    Number.isInteger(nLambda) && nLambda >= 1,
    "nLambda",
    `must be a positive integer, got ${nLambda}`,
  );
  const lambdaMinRatio = o.lambdaMinRatio ?? (n < p ? 0.01 : 1e-4);
  check(
    Number.isFinite(lambdaMinRatio) && lambdaMinRatio > 0 && lambdaMinRatio < 1,
    "lambdaMinRatio",
    `must be in (0, 1), got ${lambdaMinRatio}`,
  );
  let lambda: Float64Array | null = null;
  if (o.lambda !== undefined) {
    check(o.lambda.length > 0, "lambda", "must hold at least one value");
    for (let k = 0; k < o.lambda.length; k++) {
      const l = o.lambda[k];
      if (!(Number.isFinite(l) && l >= 0))
        check(false, "lambda", `values must be finite and ≥ 0, got ${l}`);
    }
    lambda = Float64Array.from(o.lambda).sort().reverse();
  }
  // Without rows (a fit from sufficient statistics) weights live in the statistics.
  if (!rows) check(o.weights === undefined, "weights", "not available without the rows");
  const weights = !rows
    ? new Float64Array(0)
    : o.weights === undefined
      ? new Float64Array(n).fill(1)
      : Float64Array.from(o.weights);
  if (rows)
    check(
      weights.length === n,
      "weights",
      `needs ${n} values (one per row), got ${weights.length}`,
    );
  let wsum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new InputError(`option 'weights': value ${w} at row ${i + 1} must be finite and ≥ 0`, {
        option: "weights",
        row: i + 1,
      });
    }
    wsum += w;
  }
  check(!rows || wsum > 0, "weights", "must not all be zero");
  for (let i = 0; i < weights.length; i++) weights[i] /= wsum;

  const include = new Uint8Array(p).fill(1);
  const pf = perFeature(o.penaltyFactor, p, 1, "penaltyFactor");
  for (let j = 0; j < p; j++) {
    if (!(pf[j] >= 0)) check(false, "penaltyFactor", `values must be ≥ 0, got ${pf[j]}`);
    if (pf[j] === Infinity) include[j] = 0;
  }
  if (o.exclude !== undefined) {
    for (let k = 0; k < o.exclude.length; k++) {
      const j = o.exclude[k];
      if (!(Number.isInteger(j) && j >= 0 && j < p))
        check(false, "exclude", `index ${j} is not in [0, ${p})`);
      include[j] = 0;
    }
  }
  // glmnet sets excluded features' factors to 1 before rescaling the factors to sum to p.
  let pfSum = 0;
  for (let j = 0; j < p; j++) {
    if (!include[j]) pf[j] = 1;
    pfSum += pf[j];
  }
  check(pfSum > 0, "penaltyFactor", "must not all be zero");
  for (let j = 0; j < p; j++) pf[j] *= p / pfSum;

  const lowerLimits = perFeature(o.lowerLimits, p, -Infinity, "lowerLimits");
  const upperLimits = perFeature(o.upperLimits, p, Infinity, "upperLimits");
  for (let j = 0; j < p; j++) {
    // Messages are built only on failure: this loop runs over every feature.
    if (!(lowerLimits[j] <= 0))
      check(false, "lowerLimits", `must be ≤ 0, got ${lowerLimits[j]} for feature ${j}`);
    if (!(upperLimits[j] >= 0))
      check(false, "upperLimits", `must be ≥ 0, got ${upperLimits[j]} for feature ${j}`);
  }
  const dfMax = o.dfMax ?? p + 1;
  check(
    Number.isInteger(dfMax) && dfMax >= 0,
    "dfMax",
    `must be a non-negative integer, got ${dfMax}`,
  );
  const pMax = o.pMax ?? Math.min(2 * dfMax + 20, p);
  check(Number.isInteger(pMax) && pMax >= 0, "pMax", `must be a non-negative integer, got ${pMax}`);
  const thresh = o.thresh ?? 1e-9;
  check(thresh > 0 && Number.isFinite(thresh), "thresh", `must be > 0, got ${thresh}`);
  const maxPasses = o.maxPasses ?? 100000;
  check(Number.isInteger(maxPasses) && maxPasses > 0, "maxPasses", `must be a positive integer`);
  const type = o.type ?? "auto";
  check(
    type === "auto" || type === "covariance" || type === "naive",
    "type",
    `must be auto, covariance or naive, got ${String(type)}`,
  );
  return {
    alpha,
    nLambda,
    lambdaMinRatio,
    lambda,
    standardize: o.standardize ?? true,
    intercept: o.intercept ?? true,
    weights,
    penaltyFactor: pf,
    include,
    lowerLimits,
    upperLimits,
    dfMax,
    pMax,
    thresh,
    maxPasses,
    type: type === "auto" ? (p < 500 ? "covariance" : "naive") : type,
    earlyStop: o.earlyStop ?? true,
    newton: o.newton ?? true,
  };
}

/** The box limits on the standardized scale (b_j = s_j β_j), for the solvers. */
export function scaledLimits(
  o: ResolvedOptions,
  scale: Float64Array,
): { lower: Float64Array; upper: Float64Array } {
  const p = scale.length;
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = o.standardize ? scale[j] : 1;
    lower[j] = o.lowerLimits[j] * s;
    upper[j] = o.upperLimits[j] * s;
  }
  return { lower, upper };
}

/**
 * MCP's or SCAD's concavity γ: `gamma` or ncvreg's default (3, 3.7), checked finite and above 1
 * (MCP) or 2 (SCAD), the bounds where the penalties are defined; the resolved mixing `alpha` must
 * be 1 (these penalties take no α).
 */
export function nonconvexGamma(kind: Nonconvex, gamma: number | undefined, alpha = 1): number {
  if (alpha !== 1)
    throw new InputError(`option 'alpha': ${kind} takes no α (got ${alpha})`, { option: "alpha" });
  const g = gamma ?? defaultGamma(kind);
  const least = kind === "mcp" ? 1 : 2;
  if (!(g > least) || !Number.isFinite(g))
    throw new InputError(`option 'gamma': must be finite and > ${least} for ${kind}, got ${g}`, {
      option: "gamma",
    });
  return g;
}
