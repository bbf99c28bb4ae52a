import { makeDesign, type Design } from "../data/design.js";
import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { BlockReflectors } from "../linalg/blockReflectors.js";
import { householderReflectors, REDUCE_WORK, type Reflectors } from "../linalg/householderEigen.js";
import { matMem, type MatMem } from "../nn/kernels.js";
import { defaultThreads } from "../wasm/threads.js";
import { ridgeCertificate } from "./certificate.js";
import type { PathFit, SparseVector } from "./elasticNetPath.js";
import { resolveOptions, type ElasticNetOptions, type ResolvedOptions } from "./options.js";
import { earlyEndRule, PathRecord } from "./driver.js";
import { checkXY, lambdaSequence, prepareResponse } from "./prepare.js";

/**
 * Ridge path options: those of the elastic net without alpha, limits, dfMax/pMax or thresh, and
 * `threads`: how many threads the large products and the reduction may use (default: the
 * platform's cores in Node's main thread for paths with n·p·min(n, p) ≥ 2²⁶, else 1; the
 * results are the same bits for any count).
 */
export type RidgeOptions = { threads?: number } & Pick<
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
 * The exact ridge path (α = 0): with X̂ = X̃·diag(pf)^{-1/2}, b(λ) = diag(pf)^{-1/2}
 * (X̂ᵀX̂ + λI)^{-1} X̂ᵀỹ for every λ at once (Hoerl & Kennard 1970), from one Householder
 * tridiagonalization of the p×p Gram matrix when p ≤ n, of the n×n kernel X̂X̂ᵀ otherwise, and
 * per λ an L D Lᵀ factorization of the shifted tridiagonal. Same objective, λ sequence
 * and result shape as `elasticNetPath` with alpha = 0, plus leave-one-out and generalized
 * cross-validation errors from the hat matrix (Golub, Heath & Wahba 1979; as scikit-learn's
 * RidgeCV). Penalty factors must be positive and finite; box constraints are not supported.
 *
 * @example
 * ```ts
 * const r = ridgePath(x, y, { nLambda: 50 }); // the exact ridge path, with r.cv.loo and r.cv.gcv
 * const d = fromTable(records, { target: "y", categorical: "auto" }); // from a JavaScript table
 * ridgePath(d.x, d.y);
 * ```
 */
export function ridgePath(x: Matrix, y: ArrayLike<number>, options: RidgeOptions = {}): RidgeFit {
  const n = x.nRows;
  const p = x.nCols;
  checkXY(x, y);
  // By default the cores, unless the path is too small to gain from them (waking the helpers
  // costs more than they save: 500 × 200 took 11.5 ms on one thread, 11.8–12.5 ms on two).
  const small = n * p * Math.min(n, p) < SMALL_RIDGE_WORK;
  const { threads = small ? 1 : defaultThreads(), ...pathOptions } = options;
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new InputError(`option 'threads': expected a whole number ≥ 1, got ${threads}`, {
      option: "threads",
    });
  const o = resolveOptions({ ...pathOptions, alpha: 0 }, n, p);
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
  // Before any work: the working memory with every feature kept must fit WebAssembly's 4 GiB.
  const bytes = 8 * ridgeLayout(n, p, o.lambda ? o.lambda.length : o.nLambda).size;
  if (bytes > RIDGE_MAX_BYTES)
    throw new InputError(
      `the exact ridge path of ${n} × ${p} needs ${(bytes / 2 ** 30).toFixed(1)} GiB of working memory, more than fits in WebAssembly's 4 GiB: use elasticNetPath with alpha 0 (coordinate descent) instead`,
    );
  const w = o.weights;
  const { ym, yTilde, nullDeviance } = prepareResponse(y, w, o.intercept);
  const include = o.include;
  const design = makeDesign(x, w, o.intercept, o.standardize, include);
  const pf = o.penaltyFactor;
  let q = 0;
  for (let j = 0; j < p; j++) q += include[j] ? 1 : 0;
  const J = new Int32Array(q);
  for (let j = 0, t = 0; j < p; j++) if (include[j]) J[t++] = j;
  const root = Float64Array.from(J, (j) => Math.sqrt(pf[j]));

  const m = Math.min(n, q);
  const L0 = o.lambda ? o.lambda.length : o.nLambda;
  // One block of memory (ridgeLayout) for the products, which run on mem.gemm, packed and cache
  // blocked (WebAssembly SIMD where available).
  const { at, size } = ridgeLayout(n, q, L0);
  // Every region of the layout is written before it is read, so a reused memory is not zeroed
  // (about 18 ms on 2000 × 1000; test/path/ridgePath.test.ts runs on memories filled with NaN).
  const mem = matMem(size, true, "float64", true, size, threads);
  const f = mem.data;
  const gemm = mem.gemm!;

  const g0 = scaledRows(design, J, root, yTilde, f, at.xh);
  const { lambdas } = lambdaSequence(g0, include, o);
  if (!(lambdas[lambdas.length - 1] > 0)) throw new InputError("the ridge path needs λ > 0");
  const L = lambdas.length;

  // One Householder tridiagonalization, no eigenvectors. q ≤ n: the Gram matrix G = X̂ X̂ᵀ =
  // Q T Qᵀ, U = Qᵀ X̂ (rows U[k] = Σ_t Q(t, k)·X̂[t], at z) and, per λ, the L D Lᵀ factors of
  // T + λI: the coefficients in Q's basis C[l] = (T + λI)⁻¹ Uỹ, b = Q C[l], the residuals
  // ỹ − C U and the hat diagonals h_i = u_iᵀ (T + λI)⁻¹ u_i from one forward substitution for all
  // i (ldlHat). q > n: the kernel K = Q T Qᵀ (n × n), the dual solutions α = Q (T + λI)⁻¹ Qᵀỹ,
  // b = X̂α, and h_i = 1 − λ·[(K + λI)⁻¹]_ii from ldlHat over U = Qᵀ.
  // The m × m matrix (the Gram for q ≤ n, the kernel for q > n) = Q T Qᵀ, Q kept as reflectors.
  if (q <= n) symmetricGram(mem, at.xh, n, 1, at.gram, q, n);
  else symmetricGram(mem, at.xh, 1, n, at.gram, n, q);
  // The reduction works on its own copy (the Gram matrix is used again below), on mem's threads.
  const tri = householderReflectors(f.subarray(at.gram, at.gram + m * m), m, {
    v: f.subarray(at.v, at.v + m * m),
    full: true,
    work: { mem, at: at.red },
  });
  const reflectors = new BlockReflectors(mem, tri, at.v, Math.max(n, L));
  // U = QᵀX̂ (q ≤ n) or Qᵀ (q > n: row k = Q's column k), and the right-hand side Qᵀ(X̂ỹ) = Uỹ
  // (q ≤ n, X̂ỹ from g0) or Qᵀỹ (q > n)
  if (q <= n) {
    f.copyWithin(at.z, at.xh, at.xh + q * n);
    for (let t = 0; t < q; t++) f[at.r + t] = g0[J[t]] / root[t];
  } else {
    f.fill(0, at.z, at.z + n * n);
    for (let i = 0; i < n; i++) f[at.z + i * n + i] = 1;
    f.set(yTilde, at.r);
  }
  reflectors.applyQt(at.z, n);
  reflectors.applyQt(at.r, 1);
  const zy = f.slice(at.r, at.r + m);
  // Per λ, T + λI = L D Lᵀ (positive definite for λ > 0: no pivoting needed): C[l] = (T + λI)⁻¹
  // times the right-hand side, and for all i at once u_iᵀ (T + λI)⁻¹ u_i (ldlHat, HAT_BLOCK λs per
  // sweep over U): the hat diagonal h_i for q ≤ n, [(K + λI)⁻¹]_ii = (1 − h_i)/λ for q > n.
  const trace = tridiagonalSolves(mem, at, tri, zy, lambdas, n, q > n);
  if (q <= n) {
    // Residuals R = ỹ − C U, and b = Q c for every λ at once: B (q × L) = Q Cᵀ
    gemm(at.c, m, 1, at.z, n, 1, at.r, L, n, m, false);
    subtractRows(f, at.r, yTilde, L);
    transpose(f, at.c, L, m, at.b);
    reflectors.applyQ(at.b, L);
    // Gradients X̂ỹ − G b for every λ at once (Gr, L × q): b against the data's Gram matrix, in
    // q²·L multiply-adds instead of X̂R's n·q·L.
    gemm(at.b, 1, L, at.gram, q, 1, at.gr, L, q, q, false);
    subtractFromRhs(f, at.gr, g0, J, root, L);
  } else {
    // The dual solutions α = Q C[l] (n × L in gr, then rows of r), b = X̂α (B, L × q), and the
    // residuals recomputed from b itself, r = ỹ − X̂ᵀb, so that the gradients X̃ᵀr and the KKT
    // certificate check b against the data rather than restate the identity that made it.
    transpose(f, at.c, L, m, at.gr);
    reflectors.applyQ(at.gr, L);
    transpose(f, at.gr, n, L, at.r);
    gemm(at.r, n, 1, at.xh, 1, n, at.b, L, q, n, false);
    gemm(at.b, q, 1, at.xh, n, 1, at.r, L, n, q, false);
    subtractRows(f, at.r, yTilde, L);
    gemm(at.r, n, 1, at.xh, 1, n, at.gr, L, q, n, false);
  }
  const { fit, cv } = ridgePoints({
    f,
    at,
    lambdas,
    J,
    root,
    g0,
    trace,
    w,
    nullDeviance,
    ym,
    design,
    pf,
    intercept: o.intercept,
    kernel: q > n,
  });
  design.release();
  mem.release?.();
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

/**
 * Each λ's point from the products: coefficients, intercept, objective and KKT certificate, and
 * the leave-one-out and GCV errors. Its own function, as scaledRows.
 */
function ridgePoints(ctx: {
  f: Float64Array;
  at: RidgeLayout;
  lambdas: ArrayLike<number>;
  J: Int32Array;
  root: Float64Array;
  g0: Float64Array;
  trace: Float64Array;
  w: Float64Array;
  nullDeviance: number;
  ym: number;
  design: Design;
  pf: Float64Array;
  intercept: boolean;
  kernel: boolean;
}) {
  const { f, at, lambdas, J, root, g0, trace, w, nullDeviance, ym, pf, intercept, kernel } = ctx;
  const { center, scale } = ctx.design;
  const n = w.length;
  const p = g0.length;
  const q = J.length;
  const L = lambdas.length;
  let vv = 0;
  for (let i = 0; i < n; i++) vv += w[i];
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
  const b = new Float64Array(p);
  const g = new Float64Array(p);
  const index = new Int32Array(q); // one point's non-zeros, copied out per point
  const value = new Float64Array(q);
  // b's entry t of point l: B is q × L for q ≤ n, L × q for q > n
  const bRow = kernel ? 1 : L;
  const bCol = kernel ? q : 1;
  for (let l = 0; l < L; l++) {
    // g = X̃ᵀr; b = Q c (q ≤ n) or X̂α (q > n), both in X̂'s scale (divided by √pf here).
    let yTr = nullDeviance;
    const go = at.gr + l * q;
    const bo = at.b + l * bCol;
    for (let t = 0; t < q; t++) {
      const j = J[t];
      g[j] = f[go + t] * root[t];
      const bj = f[bo + t * bRow] / root[t];
      b[j] = bj;
      yTr -= bj * g0[j];
    }
    let rss = 0;
    const ro = at.r + l * n;
    for (let i = 0; i < n; i++) rss += f[ro + i] * f[ro + i];
    const cert = ridgeCertificate(b, g, yTr, rss, J, pf, lambdas[l]);
    let a0 = ym;
    let nnz = 0;
    for (let t = 0; t < q; t++) {
      const j = J[t];
      if (b[j] === 0) continue;
      const beta = b[j] / scale[j];
      index[nnz] = j;
      value[nnz++] = beta;
      a0 -= beta * center[j];
    }
    fit.beta.push({ index: index.slice(0, nnz), value: value.slice(0, nnz) });
    fit.intercept[l] = intercept ? a0 : 0;
    fit.df[l] = nnz;
    fit.devRatio[l] = 1 - rss / nullDeviance;
    fit.objective[l] = cert.primal;
    fit.kktMax[l] = cert.kktMax;
    fit.dualityGap[l] = cert.dualityGap;
    // Hat matrix diagonal: intercept part v_i²/Σv² plus Σ_k Z_ik² / (Λ_k + λ).
    const tr = (intercept ? 1 : 0) + trace[l];
    let loo = 0;
    const ho = at.h + l * n;
    for (let i = 0; i < n; i++) {
      const h = (intercept ? w[i] / vv : 0) + f[ho + i];
      const e = f[ro + i] / (1 - h);
      loo += e * e;
    }
    cv.loo[l] = loo;
    cv.gcv[l] = rss / (1 - tr / n) ** 2;
    cv.dof[l] = tr;
  }
  return { fit, cv };
}

/**
 * Writes the rows of X̂ (the columns X̃_{J[t]} / root[t]) at f[at ..) and returns g0 = X̃ᵀỹ (zero
 * off J). Its own function: inside ridgePath's large body V8 kept these loops unoptimized (55 ms
 * of a 2000 × 1000 path, against 5–9 ms here).
 */
function scaledRows(
  design: Design,
  J: Int32Array,
  root: Float64Array,
  yTilde: Float64Array,
  f: Float64Array,
  at: number,
): Float64Array {
  const n = yTilde.length;
  const g0 = new Float64Array(design.center.length);
  for (let t = 0; t < J.length; t++) {
    const row = f.subarray(at + t * n, at + (t + 1) * n);
    design.column(J[t], row);
    let s = 0;
    const r = root[t];
    for (let i = 0; i < n; i++) {
      const v = row[i];
      s += v * yTilde[i];
      row[i] = v / r;
    }
    g0[J[t]] = s;
  }
  return g0;
}

/**
 * Per λ, T + λI = L D Lᵀ (positive definite for λ > 0: no pivoting needed): C[l] = (T + λI)⁻¹ zy
 * (at at.c), and for all i at once u_iᵀ (T + λI)⁻¹ u_i (ldlHat, HAT_BLOCK λs per sweep over U at
 * at.z): the hat diagonal h_i (at at.h) for q ≤ n, h_i = 1 − λ·[(K + λI)⁻¹]_ii for the kernel
 * (q > n). Returns Σ_i h_i per λ. Its own function, as scaledRows.
 */
function tridiagonalSolves(
  mem: MatMem<"float64">,
  at: RidgeLayout,
  tri: Reflectors,
  zy: Float64Array,
  lambdas: ArrayLike<number>,
  n: number,
  kernel: boolean,
): Float64Array {
  const f = mem.data;
  const { d, e, m } = tri;
  const L = lambdas.length;
  const trace = new Float64Array(L); // Σ_i h_i: the effective degrees of freedom, less the intercept
  for (let l = 0; l < L; l++) {
    const lam = lambdas[l];
    const slot = l % HAT_BLOCK;
    const lo = at.ll + 2 * m * slot;
    const id = lo + m;
    let piv = d[0] + lam;
    f[lo] = 0;
    f[id] = 1 / piv;
    for (let k = 1; k < m; k++) {
      const lk = e[k] / piv;
      piv = d[k] + lam - lk * e[k];
      f[lo + k] = lk;
      f[id + k] = 1 / piv;
    }
    const c = at.c + l * m;
    let prev = 0;
    for (let k = 0; k < m; k++) {
      prev = zy[k] - f[lo + k] * prev;
      f[c + k] = prev;
    }
    for (let k = 0; k < m; k++) f[c + k] *= f[id + k];
    for (let k = m - 2; k >= 0; k--) f[c + k] -= f[lo + k + 1] * f[c + k + 1];
    if (slot === HAT_BLOCK - 1 || l === L - 1) {
      const l0 = l - slot;
      mem.ldlHat!(at.z, n, m, at.ll, at.ll + m, at.h + l0 * n, slot + 1, 2 * m);
      for (let j = l0; j <= l; j++) {
        const ho = at.h + j * n;
        if (kernel) for (let i = 0; i < n; i++) f[ho + i] = 1 - lambdas[j] * f[ho + i];
        let t = 0;
        for (let i = 0; i < n; i++) t += f[ho + i];
        trace[j] = t;
      }
    }
  }
  return trace;
}

/** f[off + l·n + i] = ỹ_i − f[off + l·n + i] for L rows of length n = ỹ's. */
function subtractRows(f: Float64Array, off: number, yTilde: Float64Array, L: number): void {
  const n = yTilde.length;
  for (let l = 0; l < L; l++) {
    const o = off + l * n;
    for (let i = 0; i < n; i++) f[o + i] = yTilde[i] - f[o + i];
  }
}

/** f[off + l·q + t] = X̂ỹ_t − f[off + l·q + t] for L rows of q (X̂ỹ_t = g0[J[t]] / root[t]). */
function subtractFromRhs(
  f: Float64Array,
  off: number,
  g0: Float64Array,
  J: Int32Array,
  root: Float64Array,
  L: number,
): void {
  const q = J.length;
  for (let l = 0; l < L; l++) {
    const o = off + l * q;
    for (let t = 0; t < q; t++) f[o + t] = g0[J[t]] / root[t] - f[o + t];
  }
}

/** The rows × cols row-major matrix at f[src ..) written transposed (cols × rows) at f[dst ..). */
function transpose(f: Float64Array, src: number, rows: number, cols: number, dst: number): void {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) f[dst + c * rows + r] = f[src + r * cols + c];
}

/** The largest working memory of an exact ridge path: WebAssembly's 32-bit address space. */
const RIDGE_MAX_BYTES = 4 * 2 ** 30 - 2 ** 27;

/**
 * ridgePath's working memory (doubles) for n rows, q penalized features and L λs, and where each
 * part starts: X̂ (q rows of length n: its columns), the Gram or kernel matrix, U (m rows of
 * length n: QᵀX̂ for q ≤ n, Qᵀ for q > n), Q's reflectors and their scratch, per λ the
 * coefficients C in Q's basis, residuals R, gradients Gr, hat diagonals H and coefficients B
 * (q × L for q ≤ n, L × q for q > n), and the L D Lᵀ factors of HAT_BLOCK λs.
 */
type RidgeLayout = ReturnType<typeof ridgeLayout>["at"];

export function ridgeLayout(n: number, q: number, L: number) {
  const m = Math.min(n, q);
  const parts = {
    xh: n * q,
    gram: m * m,
    z: m * n,
    v: BlockReflectors.scratch(m, Math.max(n, L)),
    c: L * m,
    r: L * n,
    gr: L * q,
    h: L * n,
    b: L * q,
    ll: 2 * m * HAT_BLOCK,
    red: m * m + REDUCE_WORK * m,
  };
  const at = {} as Record<keyof typeof parts, number>;
  let size = 0;
  for (const key of Object.keys(parts) as (keyof typeof parts)[]) {
    at[key] = size;
    size += parts[key];
  }
  return { at, size };
}

/** λs whose hat diagonals ldlHat computes in one sweep over U (their factors stay in cache). */
const HAT_BLOCK = 16;

/**
 * The Gram matrix G[a·k + b] = Σ_t X(a, t)·X(b, t) of k rows of length n, X(a, t) at
 * x + a·sRow + t·sT (so either X or its transpose, stored row-major): its lower triangle in one
 * packed product (`lower`: tiles above the diagonal skipped), mirrored.
 */
function symmetricGram(
  mem: MatMem<"float64">,
  x: number,
  sRow: number,
  sT: number,
  out: number,
  k: number,
  n: number,
): void {
  const f = mem.data;
  mem.gemm!(x, sRow, sT, x, sT, sRow, out, k, k, n, false, k, true);
  for (let r = 0; r < k; r++) for (let c = 0; c < r; c++) f[out + c * k + r] = f[out + r * k + c];
}

/**
 * Largest n / q (observations per penalized feature) at which an α = 0 Gaussian path goes to the
 * exact solver: measured (bench/ridge.mjs and scratch runs, 2026-12-01), the exact path took
 * 0.001 / 0.002 / 0.035 / 0.23 / 1.5 / 0.10 s where coordinate descent took 0.008 / 0.004 /
 * 0.061 / 0.84 / 6.1 / 8.2 s (50 × 10, 200 × 50, 500 × 200, 1000 × 500, 2000 × 1000,
 * 100 × 1000), but 0.44 / 0.67 / 1.2 s against 0.31 / 0.19 / 0.044 s on the tall 5000 × 200,
 * 20 000 × 100 and 100 000 × 20, where the covariance solver's passes cost q² and the exact path
 * still touches every row at every λ. Re-measured after the tridiagonal L D Lᵀ route (commit
 * after df8644a, one core): exact 0.067–0.107 / 0.117 / 0.229 / 0.214 / 0.411 s against
 * covariance coordinate descent's 0.061 / 0.076 / 0.099 / 0.041 / 0.692 s on 2000 × 200,
 * 5000 × 200, 10 000 × 200, 20 000 × 100 and 5000 × 500: the crossing is still near 10 rows
 * per feature.
 */
const EXACT_RIDGE_ROWS_PER_FEATURE = 10;
/** n·p·min(n, p) under which ridgePath runs on one thread unless told otherwise. */
const SMALL_RIDGE_WORK = 2 ** 26;
/** Largest working memory (doubles) of an exact ridge path taken without being asked: 1 GiB. */
const EXACT_RIDGE_DOUBLES = 2 ** 27;

/**
 * Whether `elasticNetPath` should solve this α = 0 path exactly (ridgePath) rather than by
 * coordinate descent: the options must be ones the exact solver honours (no box limits, every
 * penalty factor > 0, no λ = 0, no pMax / dfMax below the feature count, no solver chosen by
 * name), the shape one where it was measured faster, and its memory under 1 GiB.
 */
export function exactRidgeServes(x: Matrix, o: ResolvedOptions, raw: ElasticNetOptions): boolean {
  if (o.alpha !== 0 || raw.type === "covariance" || raw.type === "naive" || raw.newton === false)
    return false;
  let q = 0;
  for (let j = 0; j < x.nCols; j++) {
    if (!o.include[j]) continue;
    if (!(o.penaltyFactor[j] > 0 && Number.isFinite(o.penaltyFactor[j]))) return false;
    if (o.lowerLimits[j] !== -Infinity || o.upperLimits[j] !== Infinity) return false;
    q++;
  }
  const n = x.nRows;
  if (q === 0 || n > EXACT_RIDGE_ROWS_PER_FEATURE * q || o.pMax < q || o.dfMax < q) return false;
  if (o.lambda && !(o.lambda[o.lambda.length - 1] > 0)) return false;
  const m = Math.min(n, q);
  const L = o.lambda ? o.lambda.length : o.nLambda;
  const doubles =
    n * q + 2 * Math.min(n, q) ** 2 + (q > n ? n * q : 0) + 2 * m * n + L * (2 * m + 2 * n + 2 * q);
  return doubles <= EXACT_RIDGE_DOUBLES;
}

/**
 * An α = 0 Gaussian path by the exact solver, in `elasticNetPath`'s shape: glmnet's early end
 * applied to its points (so that the path ends where coordinate descent's would), without the
 * leave-one-out fields.
 */
export function exactRidgePathFit(
  x: Matrix,
  y: ArrayLike<number>,
  options: ElasticNetOptions,
  o: ResolvedOptions,
): PathFit {
  const { cv: _cv, ...fit } = ridgePath(x, y, options);
  // Every point is already solved: the driver's record only says where the path ends.
  const path = new PathRecord(fit.lambda, Infinity, earlyEndRule("gaussian", o));
  let L = fit.lambda.length;
  for (let k = 0; k < fit.lambda.length; k++)
    if (!path.record(k, { df: fit.df[k], devRatio: fit.devRatio[k] })) {
      L = k + 1;
      break;
    }
  return {
    ...fit,
    lambda: fit.lambda.slice(0, L),
    intercept: fit.intercept.slice(0, L),
    beta: fit.beta.slice(0, L),
    df: fit.df.slice(0, L),
    devRatio: fit.devRatio.slice(0, L),
    objective: fit.objective.slice(0, L),
    kktMax: fit.kktMax.slice(0, L),
    dualityGap: fit.dualityGap.slice(0, L),
  };
}
