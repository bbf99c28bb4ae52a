import { makeDesign } from "../data/design.js";
import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { certificate } from "./certificate.js";
import type { PathFit, SparseVector } from "./elasticNetPath.js";
import { resolveOptions, type ElasticNetOptions } from "./options.js";
import { checkXY, lambdaSequence, prepareResponse } from "./prepare.js";

/** Ridge path options: those of the elastic net without alpha, limits, dfMax/pMax or thresh. */
export type RidgeOptions = Pick<
  ElasticNetOptions,
  | "nLambda"
  | "lambdaMinRatio"
  | "lambda"
  | "standardize"
  | "intercept"
  | "weights"
  | "penaltyFactor"
  | "exclude"
>;

/** Efficient cross-validation of the ridge path, from the hat matrix H(λ). */
export interface RidgeCv {
  /** Leave-one-out error Σᵢ ŵᵢ (yᵢ − ŷ₋ᵢ)² = Σᵢ (r̃ᵢ / (1 − Hᵢᵢ))², per λ. */
  loo: Float64Array;
  /** Generalized CV: Σᵢ ŵᵢ eᵢ² / (1 − tr(H)/n)², per λ. */
  gcv: Float64Array;
  /** Effective degrees of freedom tr(H) (including the intercept), per λ. */
  dof: Float64Array;
  lambdaLoo: number;
  lambdaGcv: number;
}

export interface RidgeFit extends PathFit {
  cv: RidgeCv;
}

/**
 * The exact ridge path (α = 0) from one eigen-decomposition: with X̂ = X̃·diag(pf)^{-1/2},
 * b(λ) = diag(pf)^{-1/2} (X̂ᵀX̂ + λI)^{-1} X̂ᵀỹ for every λ at once (Hoerl & Kennard 1970), using
 * the p×p Gram matrix when p ≤ n and the n×n kernel X̂X̂ᵀ otherwise. Same objective, λ sequence
 * and result shape as `elasticNetPath` with alpha = 0, plus leave-one-out and generalized
 * cross-validation errors from the hat matrix (Golub, Heath & Wahba 1979; as scikit-learn's
 * RidgeCV). Penalty factors must be positive and finite; box constraints are not supported.
 *
 * @example
 * ```ts
 * const r = ridgePath(x, y, { nLambda: 50 }); // the exact ridge path via one eigendecomposition
 * ```
 */
export function ridgePath(x: Matrix, y: ArrayLike<number>, options: RidgeOptions = {}): RidgeFit {
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  const o = resolveOptions({ ...options, alpha: 0 }, n, p);
  for (let j = 0; j < p; j++) {
    if (o.include[j] && o.penaltyFactor[j] === 0) {
      throw new InputError(
        `option 'penaltyFactor': the exact ridge solver needs factors > 0 (feature ${j} has 0)`,
        {
          option: "penaltyFactor",
        },
      );
    }
  }
  if (o.lambda && o.lambda[o.lambda.length - 1] <= 0) {
    throw new InputError("option 'lambda': the exact ridge solver needs λ > 0", {
      option: "lambda",
    });
  }
  const w = o.weights;
  const { ym, yTilde, nullDeviance } = prepareResponse(y, w, o.intercept);
  const include = o.include;
  const design = makeDesign(x, w, o.intercept, o.standardize, include);
  const pf = o.penaltyFactor;
  const J = [] as number[];
  for (let j = 0; j < p; j++) if (include[j]) J.push(j);
  const q = J.length;
  const root = J.map((j) => Math.sqrt(pf[j]));

  // Columns of X̂ (n × q, column-major) and g0 = X̃ᵀỹ.
  const Xh = new Float64Array(n * q);
  const col = new Float64Array(n);
  const g0 = new Float64Array(p);
  for (let t = 0; t < q; t++) {
    design.column(J[t], col);
    let s = 0;
    for (let i = 0; i < n; i++) {
      Xh[t * n + i] = col[i] / root[t];
      s += col[i] * yTilde[i];
    }
    g0[J[t]] = s;
  }
  const { lambdas } = lambdaSequence(g0, include, o);
  if (!(lambdas[lambdas.length - 1] > 0)) throw new InputError("the ridge path needs λ > 0");

  // Spectral factors: Z (n × m, column k = X̂ v_k or u_k·√Λ_k), eigenvalues Λ, and Zᵀỹ.
  const m = Math.min(n, q);
  let values: Float64Array;
  let Z: Float64Array;
  let V: Float64Array | null = null; // q × q eigenvectors when q ≤ n
  if (q <= n) {
    const G = new Float64Array(q * q);
    for (let a = 0; a < q; a++) {
      for (let b = a; b < q; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Xh[a * n + i] * Xh[b * n + i];
        G[a * q + b] = G[b * q + a] = s;
      }
    }
    ({ values, vectors: V } = symmetricEigen(G, q));
    Z = new Float64Array(n * q);
    for (let k = 0; k < q; k++) {
      for (let t = 0; t < q; t++) {
        const v = V[t * q + k];
        if (v === 0) continue;
        for (let i = 0; i < n; i++) Z[k * n + i] += Xh[t * n + i] * v;
      }
    }
  } else {
    const K = new Float64Array(n * n);
    for (let t = 0; t < q; t++) {
      for (let a = 0; a < n; a++) {
        const xa = Xh[t * n + a];
        if (xa === 0) continue;
        for (let b = a; b < n; b++) K[a * n + b] += xa * Xh[t * n + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) K[a * n + b] = K[b * n + a];
    const eig = symmetricEigen(K, n);
    values = eig.values;
    Z = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const s = Math.sqrt(Math.max(values[k], 0));
      for (let i = 0; i < n; i++) Z[k * n + i] = eig.vectors[i * n + k] * s;
    }
  }
  for (let k = 0; k < m; k++) values[k] = Math.max(values[k], 0);
  const zy = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Z[k * n + i] * yTilde[i];
    zy[k] = s;
  }
  let vv = 0;
  for (let i = 0; i < n; i++) vv += w[i];

  const L = lambdas.length;
  const fit = {
    intercept: new Float64Array(L),
    beta: [] as SparseVector[],
    df: new Int32Array(L),
    devRatio: new Float64Array(L),
    objective: new Float64Array(L),
    kktMax: new Float64Array(L),
    dualityGap: new Float64Array(L),
  };
  const cv = { loo: new Float64Array(L), gcv: new Float64Array(L), dof: new Float64Array(L) };
  const r = new Float64Array(n);
  const b = new Float64Array(p);
  const g = new Float64Array(p);
  const fresh = new Uint8Array(p).fill(1);
  const coef = new Float64Array(m);
  const lower = new Float64Array(p).fill(-Infinity);
  const upper = new Float64Array(p).fill(Infinity);
  for (let l = 0; l < L; l++) {
    const lam = lambdas[l];
    // Fitted values X̂c = Σ_k Z_k (Zᵀỹ)_k / (Λ_k + λ)  (for q > n, Z_k = u_k√Λ_k gives the same).
    for (let k = 0; k < m; k++) coef[k] = zy[k] / (values[k] + lam);
    r.set(yTilde);
    for (let k = 0; k < m; k++) {
      const c = coef[k];
      if (c === 0) continue;
      for (let i = 0; i < n; i++) r[i] -= c * Z[k * n + i];
    }
    // g = X̃ᵀr; b from the stationarity condition g_j = λ·pf_j·b_j (exact for ridge).
    for (let t = 0; t < q; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Xh[t * n + i] * r[i];
      g[J[t]] = s * root[t];
    }
    if (V) {
      // q ≤ n: b = diag(pf)^{-1/2} V (Zᵀỹ / (Λ + λ)), stable for every λ > 0.
      for (let t = 0; t < q; t++) {
        let s = 0;
        for (let k = 0; k < q; k++) s += V[t * q + k] * coef[k];
        b[J[t]] = s / root[t];
      }
    } else {
      for (let t = 0; t < q; t++) b[J[t]] = g[J[t]] / (lam * pf[J[t]]);
    }
    let rss = 0;
    for (let i = 0; i < n; i++) rss += r[i] * r[i];
    let yTr = nullDeviance;
    for (let t = 0; t < q; t++) yTr -= b[J[t]] * g0[J[t]];
    const cert = certificate(b, g, yTr, rss, include, pf, lower, upper, lam, 0, fresh);
    const index = new Int32Array(q);
    const value = new Float64Array(q);
    let a0 = ym;
    let nnz = 0;
    for (let t = 0; t < q; t++) {
      const j = J[t];
      if (b[j] === 0) continue;
      const beta = b[j] / design.scale[j];
      index[nnz] = j;
      value[nnz++] = beta;
      a0 -= beta * design.center[j];
    }
    fit.beta.push({ index: index.slice(0, nnz), value: value.slice(0, nnz) });
    fit.intercept[l] = o.intercept ? a0 : 0;
    fit.df[l] = nnz;
    fit.devRatio[l] = 1 - rss / nullDeviance;
    fit.objective[l] = cert.primal;
    fit.kktMax[l] = cert.kktMax;
    fit.dualityGap[l] = cert.dualityGap;
    // Hat matrix diagonal: intercept part v_i²/Σv² plus Σ_k Z_ik² / (Λ_k + λ).
    let tr = o.intercept ? 1 : 0;
    for (let k = 0; k < m; k++) tr += values[k] / (values[k] + lam);
    let loo = 0;
    for (let i = 0; i < n; i++) {
      let h = o.intercept ? w[i] / vv : 0;
      for (let k = 0; k < m; k++) h += (Z[k * n + i] * Z[k * n + i]) / (values[k] + lam);
      const e = r[i] / (1 - h);
      loo += e * e;
    }
    cv.loo[l] = loo;
    cv.gcv[l] = rss / (1 - tr / n) ** 2;
    cv.dof[l] = tr;
  }
  design.release();
  const argmin = (a: Float64Array) => a.reduce((best, v, k) => (v < a[best] ? k : best), 0);
  return {
    family: "gaussian",
    alpha: 0,
    nObs: n,
    nFeatures: p,
    lambda: Float64Array.from(lambdas),
    ...fit,
    nullDeviance,
    center: design.center,
    scale: design.scale,
    passes: 0,
    solver: "ridge-eigen",
    warnings: [],
    cv: { ...cv, lambdaLoo: lambdas[argmin(cv.loo)], lambdaGcv: lambdas[argmin(cv.gcv)] },
  };
}
