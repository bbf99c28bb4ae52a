import type { Matrix } from "../data/matrix.js";
import { GlmDesign } from "../data/glmDesign.js";
import { InputError } from "../errors.js";
import { choleskySolveInPlace } from "../linalg/cholesky.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { groupBlockSolve, groupSubdiffDistance } from "../penalty/groupLasso.js";
import type { SparseVector } from "./elasticNetPath.js";
import { originalScalePoint, type MultinomialFit } from "./multinomialFit.js";
import { earlyEnd } from "./earlyEnd.js";
import { resolveOptions, type ElasticNetOptions } from "./options.js";
import { geometricLambdas } from "./prepare.js";

/** Largest number of support-finding rounds (block pass + Newton) at one λ. */
const MAX_ROUNDS = 200;
/** Largest number of Newton steps on one active set before the next block pass. */
const MAX_NEWTON = 50;

/**
 * The grouped multinomial path (glmnet's `type.multinomial = "grouped"`): point k minimizes
 *
 *     −Σᵢ ŵᵢ [ Σ_c y_ic η_ic − log Σ_c e^{η_ic} ]  +  λ_k Σⱼ pfⱼ (α‖b̃ⱼ‖₂ + (1−α)/2 ‖b̃ⱼ‖₂²)
 *
 * where b̃ⱼ ∈ ℝ^K holds feature j's coefficients in all K classes (standardized scale): a
 * feature is in the model for every class or for none. At each λ the solver alternates
 *  - a pass of exact proximal-Newton block steps (the K×K block Hessian Σᵢ ŵᵢ x̃ᵢⱼ² (diag pᵢ − pᵢpᵢᵀ),
 *    the group prox solved exactly by `groupBlockSolve`, a backtracking line search on the true
 *    objective): this is what lets groups enter and leave, and sets them exactly to zero;
 *  - damped Newton steps on the smooth problem restricted to the non-zero groups and the
 *    intercepts (full Hessian, Cholesky, Armijo backtracking): quadratic convergence once the
 *    support is right, where block methods crawl (the small-λ end of the path);
 * until every group's KKT violation (distance of −∇ to the subdifferential) is below 1e-9·λ_max.
 * Intercepts are centered at the end and every b̃ⱼ sums to zero over classes at the optimum (the
 * likelihood is blind to adding a constant over classes; the penalty is smallest at sum zero).
 * Sparse input is densified (standardized columns are kept in memory).
 */
export function groupedMultinomialPath(
  x: Matrix,
  y: ArrayLike<number>,
  classes: number[],
  options: ElasticNetOptions,
): MultinomialFit {
  const n = x.nRows;
  const p = x.nCols;
  const K = classes.length;
  if (options.lowerLimits !== undefined || options.upperLimits !== undefined)
    throw new InputError(
      "options 'lowerLimits'/'upperLimits': not available for the grouped multinomial (box limits do not act on a group norm)",
      { option: "lowerLimits" },
    );
  const o = resolveOptions(options, n, p);
  const w = o.weights;
  const pf = o.penaltyFactor;
  const include = o.include;
  const design = new GlmDesign(x, w, o.intercept, o.standardize, include);
  const cols: number[] = [];
  for (let j = 0; j < p; j++) if (include[j]) cols.push(j);
  // Dense standardized columns, X̃[:, j] at xs[j·n ..].
  const xs = new Float64Array(n * p);
  const ones = new Float64Array(n).fill(1);
  for (const j of cols) design.scaledColumn(j, ones, xs, j * n);
  const center = Float64Array.from(design.center);
  const scale = Float64Array.from(design.scale);
  design.release();

  // Indicators, linear predictors, probabilities and weighted residuals, class-major (c·n + i).
  const yk = new Float64Array(n * K);
  for (let i = 0; i < n; i++) yk[classes.indexOf(y[i]) * n + i] = 1;
  const eta = new Float64Array(n * K);
  const prob = new Float64Array(n * K);
  const res = new Float64Array(n * K);
  const b = new Float64Array(p * K);
  const a0 = new Float64Array(K);
  const active = new Uint8Array(p);
  /** Groups ever non-zero along the path (for pMax). */
  const ever = new Uint8Array(p);

  /** Σᵢ ŵᵢ (log Σ_c e^{η_ic} − Σ_c y_ic η_ic) at η + t·dEta (dEta null: at η). */
  const loss = (t: number, dEta: Float64Array | null) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      let m = -Infinity;
      for (let c = 0; c < K; c++) {
        const e = eta[c * n + i] + (dEta ? t * dEta[c * n + i] : 0);
        if (e > m) m = e;
      }
      let s = 0;
      let ye = 0;
      for (let c = 0; c < K; c++) {
        const e = eta[c * n + i] + (dEta ? t * dEta[c * n + i] : 0);
        s += Math.exp(e - m);
        ye += yk[c * n + i] * e;
      }
      f += w[i] * (m + Math.log(s) - ye);
    }
    return f;
  };
  /** The loss at the current η (kept by `refresh`). */
  let current = 0;
  /** Probabilities, residuals ŵᵢ(p_ic − y_ic) and the loss at the current η. */
  const refresh = () => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let c = 0; c < K; c++) m = Math.max(m, eta[c * n + i]);
      let s = 0;
      let ye = 0;
      for (let c = 0; c < K; c++) {
        s += prob[c * n + i] = Math.exp(eta[c * n + i] - m);
        ye += yk[c * n + i] * eta[c * n + i];
      }
      for (let c = 0; c < K; c++) {
        const q = (prob[c * n + i] /= s);
        res[c * n + i] = w[i] * (q - yk[c * n + i]);
      }
      if (w[i] !== 0) f += w[i] * (m + Math.log(s) - ye);
    }
    current = f;
  };
  const groupNorm = (j: number) => {
    let s = 0;
    for (let c = 0; c < K; c++) s += b[j * K + c] ** 2;
    return Math.sqrt(s);
  };
  /** Gradient of the loss in group j: g[c] = Σᵢ x̃ᵢⱼ ŵᵢ(p_ic − y_ic). */
  const gradient = (j: number, g: Float64Array) => {
    const off = j * n;
    for (let c = 0; c < K; c++) {
      let s = 0;
      const rc = c * n;
      for (let i = 0; i < n; i++) s += xs[off + i] * res[rc + i];
      g[c] = s;
    }
  };
  const penaltyOf = (lam: number, nb: number, j: number) =>
    lam * pf[j] * (o.alpha * nb + 0.5 * (1 - o.alpha) * nb * nb);

  // Intercept-only fit: a0_c = log(share_c), centered.
  let nullDev = 0;
  for (let c = 0; c < K; c++) {
    let share = 0;
    for (let i = 0; i < n; i++) share += w[i] * yk[c * n + i];
    if (share > 0) nullDev -= 2 * share * Math.log(share);
    a0[c] = o.intercept ? Math.log(Math.max(share, 1e-300)) : 0;
  }
  if (o.intercept) {
    const mean = a0.reduce((u, v) => u + v, 0) / K;
    for (let c = 0; c < K; c++) a0[c] -= mean;
  }
  for (let c = 0; c < K; c++) eta.fill(a0[c], c * n, (c + 1) * n);
  refresh();

  const g = new Float64Array(K);
  const gradNorm = new Float64Array(p);
  const allGradients = () => {
    for (const j of cols) {
      gradient(j, g);
      let s = 0;
      for (let c = 0; c < K; c++) s += g[c] * g[c];
      gradNorm[j] = Math.sqrt(s);
    }
  };
  allGradients();
  let lambdaMax = 0;
  for (const j of cols)
    if (pf[j] > 0) lambdaMax = Math.max(lambdaMax, gradNorm[j] / (pf[j] * Math.max(o.alpha, 1e-3)));
  const lambdas = o.lambda ?? geometricLambdas(lambdaMax, o);
  const kktTol = 1e-9 * Math.max(lambdaMax, 1e-12);

  // ---- Block step: exact proximal Newton on group j, with backtracking on the objective. ----
  const h = new Float64Array(K * K);
  const rhs = new Float64Array(K);
  const u = new Float64Array(K);
  const d = new Float64Array(K);
  const dEta = new Float64Array(n * K);
  const blockStep = (j: number, lam: number): boolean => {
    gradient(j, g);
    const kappaL2 = lam * (1 - o.alpha) * pf[j];
    const tau = lam * o.alpha * pf[j];
    const nb = groupNorm(j);
    if (nb === 0) {
      let s = 0;
      for (let c = 0; c < K; c++) s += g[c] * g[c];
      if (Math.sqrt(s) <= tau) return false;
    }
    const off = j * n;
    h.fill(0);
    for (let i = 0; i < n; i++) {
      const wx = w[i] * xs[off + i] * xs[off + i];
      if (wx === 0) continue;
      for (let c = 0; c < K; c++) {
        const pc = prob[c * n + i];
        const wpc = wx * pc;
        h[c * K + c] += wpc;
        for (let e = 0; e <= c; e++) h[c * K + e] -= wpc * prob[e * n + i];
      }
    }
    for (let c = 0; c < K; c++) for (let e = 0; e < c; e++) h[e * K + c] = h[c * K + e];
    // Block model in u = b + d: ½uᵀ(H + κ₂I)u − (H b − g)ᵀu + τ‖u‖.
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let e = 0; e < K; e++) s += h[c * K + e] * b[j * K + e];
      rhs[c] = s - g[c];
    }
    for (let c = 0; c < K; c++) h[c * K + c] += kappaL2;
    const { values, vectors } = symmetricEigen(h, K);
    groupBlockSolve(h, values, vectors, K, rhs, 0, tau, u);
    let change = 0;
    let gd = 0;
    for (let c = 0; c < K; c++) {
      d[c] = u[c] - b[j * K + c];
      change = Math.max(change, Math.abs(d[c]));
      gd += g[c] * d[c];
    }
    if (change === 0) return false;
    let nu = 0;
    for (let c = 0; c < K; c++) nu += u[c] * u[c];
    nu = Math.sqrt(nu);
    // Armijo on F along b + t·d (Lee, Sun & Saunders 2014): Δ = ∇ᵀd + pen(u) − pen(b).
    const delta = gd + penaltyOf(lam, nu, j) - penaltyOf(lam, nb, j);
    for (let c = 0; c < K; c++) for (let i = 0; i < n; i++) dEta[c * n + i] = xs[off + i] * d[c];
    const f0 = current + penaltyOf(lam, nb, j);
    let t = 1;
    for (let it = 0; it < 40; it++, t *= 0.5) {
      let nt = 0;
      for (let c = 0; c < K; c++) nt += (b[j * K + c] + t * d[c]) ** 2;
      const ft = loss(t, dEta) + penaltyOf(lam, Math.sqrt(nt), j);
      if (ft <= f0 + 1e-4 * t * delta || Math.abs(ft - f0) <= 1e-15 * Math.abs(f0)) break;
    }
    if (t === 1) for (let c = 0; c < K; c++) b[j * K + c] = u[c];
    else for (let c = 0; c < K; c++) b[j * K + c] += t * d[c];
    for (let k = 0; k < n * K; k++) eta[k] += t * dEta[k];
    refresh();
    active[j] = groupNorm(j) > 0 ? 1 : 0;
    return true;
  };

  // ---- Newton on the smooth problem over the non-zero groups and the intercepts. ----
  /** One damped Newton step; returns the Newton decrement ½·(−∇ᵀd) (0 when nothing to do). */
  const newtonStep = (lam: number, set: number[]): number => {
    // Variables: intercepts of classes 0..K−2 (class K−1's is pinned: only differences
    // matter), then K per group in `set`.
    const nI = o.intercept ? K - 1 : 0;
    const m = set.length;
    const dim = nI + m * K;
    if (dim === 0) return 0;
    const H = new Float64Array(dim * dim);
    const grad = new Float64Array(dim);
    // Columns z_q: the intercept's 1 (when fitted), then x̃ of each group in `set`; variable
    // (q, c) sits at c for the intercept (class K−1's intercept is dropped) and at nI + (q−1)·K + c
    // for a group (nI + q·K + c without an intercept).
    const nz = (o.intercept ? 1 : 0) + m;
    const z = new Float64Array(nz * n);
    if (o.intercept) z.fill(1, 0, n);
    for (let a = 0; a < m; a++) z.set(xs.subarray(set[a] * n, set[a] * n + n), (nz - m + a) * n);
    const at = (q: number, c: number) => (o.intercept ? (q === 0 ? c : q * K + c - 1) : q * K + c);
    const v = new Float64Array(n);
    const zv = new Float64Array(n);
    // H[(q,c),(r,e)] = Σᵢ ŵᵢ p_ic(δ_ce − p_ie) z_iq z_ir: symmetric in (q, r) for each (c, e).
    for (let c = 0; c < K; c++)
      for (let e = 0; e <= c; e++) {
        for (let i = 0; i < n; i++)
          v[i] = w[i] * prob[c * n + i] * ((c === e ? 1 : 0) - prob[e * n + i]);
        for (let q = 0; q < nz; q++) {
          const oq = q * n;
          for (let i = 0; i < n; i++) zv[i] = v[i] * z[oq + i];
          for (let r = q; r < nz; r++) {
            const or = r * n;
            let sum = 0;
            for (let i = 0; i < n; i++) sum += zv[i] * z[or + i];
            const qc = at(q, c);
            const re = at(r, e);
            const rc = at(r, c);
            const qe = at(q, e);
            const okQc = !(o.intercept && q === 0 && c === K - 1);
            const okRe = !(o.intercept && r === 0 && e === K - 1);
            const okRc = !(o.intercept && r === 0 && c === K - 1);
            const okQe = !(o.intercept && q === 0 && e === K - 1);
            if (okQc && okRe) H[qc * dim + re] = H[re * dim + qc] = sum;
            if (okRc && okQe) H[rc * dim + qe] = H[qe * dim + rc] = sum;
          }
        }
      }
    // Gradients and the penalty's Hessian on each group.
    if (o.intercept)
      for (let c = 0; c < K - 1; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += res[c * n + i];
        grad[c] = s;
      }
    for (let a = 0; a < m; a++) {
      const j = set[a];
      gradient(j, g);
      const nb = groupNorm(j);
      const l2 = lam * (1 - o.alpha) * pf[j];
      const l1 = lam * o.alpha * pf[j];
      const base = nI + a * K;
      for (let c = 0; c < K; c++) {
        const bc = b[j * K + c];
        grad[base + c] = g[c] + l2 * bc + (nb > 0 ? (l1 * bc) / nb : 0);
        H[(base + c) * dim + base + c] += l2 + (nb > 0 ? l1 / nb : 0);
        if (nb > 0)
          for (let e = 0; e < K; e++)
            H[(base + c) * dim + base + e] -= (l1 * bc * b[j * K + e]) / (nb * nb * nb);
      }
    }
    const dir = Float64Array.from(grad, (gv) => -gv);
    choleskySolveInPlace(H, dim, dir, 1e-14);
    let dec = 0;
    for (let k = 0; k < dim; k++) dec -= grad[k] * dir[k];
    if (!(dec > 0)) return 0;
    // The step in η: d_a0 (class K−1 pinned) plus Σ_a x̃_{set[a]} d_a.
    dEta.fill(0);
    for (let c = 0; c < K; c++) {
      const dc = o.intercept && c < K - 1 ? dir[c] : 0;
      const rc = c * n;
      if (dc !== 0) for (let i = 0; i < n; i++) dEta[rc + i] = dc;
      for (let a = 0; a < m; a++) {
        const dj = dir[nI + a * K + c];
        if (dj === 0) continue;
        const off = set[a] * n;
        for (let i = 0; i < n; i++) dEta[rc + i] += dj * xs[off + i];
      }
    }
    const penAt = (t: number) => {
      let s = 0;
      for (let a = 0; a < m; a++) {
        const j = set[a];
        let nt = 0;
        for (let c = 0; c < K; c++) nt += (b[j * K + c] + t * dir[nI + a * K + c]) ** 2;
        s += penaltyOf(lam, Math.sqrt(nt), j);
      }
      return s;
    };
    const f0 = current + penAt(0);
    let t = 1;
    let accepted = false;
    for (let it = 0; it < 50; it++, t *= 0.5) {
      const ft = loss(t, dEta) + penAt(t);
      if (ft <= f0 - 1e-4 * t * dec) {
        accepted = true;
        break;
      }
      if (f0 - ft >= 0 && f0 - ft <= 1e-15 * Math.abs(f0)) {
        accepted = true;
        break;
      }
    }
    if (!accepted) return 0;
    if (o.intercept) for (let c = 0; c < K - 1; c++) a0[c] += t * dir[c];
    for (let a = 0; a < m; a++)
      for (let c = 0; c < K; c++) b[set[a] * K + c] += t * dir[nI + a * K + c];
    for (let k = 0; k < n * K; k++) eta[k] += t * dEta[k];
    refresh();
    return 0.5 * dec;
  };

  /** Largest KKT violation: intercept gradients and every group's subdifferential distance
   * (groupSubdiffDistance reads −∇ at the group's offset, hence the p·K buffer). */
  const gAll = new Float64Array(p * K);
  const kktAt = (lam: number, violators: number[] | null) => {
    let worst = 0;
    if (o.intercept)
      for (let c = 0; c < K; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += res[c * n + i];
        worst = Math.max(worst, Math.abs(s));
      }
    for (const j of cols) {
      gradient(j, g);
      const l2 = lam * (1 - o.alpha) * pf[j];
      for (let c = 0; c < K; c++) gAll[j * K + c] = -(g[c] + l2 * b[j * K + c]);
      const viol = groupSubdiffDistance(b, gAll, j * K, K, 0, lam * o.alpha * pf[j]);
      worst = Math.max(worst, viol);
      if (violators && viol > kktTol) violators.push(j);
    }
    return worst;
  };

  const solve = (lam: number, lamPrev: number): "ok" | "pMax" => {
    // Sequential strong rule (Tibshirani et al. 2012) on the group gradient norms.
    allGradients();
    const strong = new Uint8Array(p);
    for (const j of cols)
      if (active[j] || pf[j] === 0 || gradNorm[j] > o.alpha * pf[j] * (2 * lam - lamPrev))
        strong[j] = 1;
    // Warm start: Newton on the previous support first; a block pass over the strong set only
    // when the KKT check finds violators (groups to enter, or to leave — Newton cannot zero one).
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round > 0) {
        for (const j of cols) if (strong[j]) blockStep(j, lam);
        let count = 0;
        for (const j of cols) {
          if (active[j]) ever[j] = 1;
          count += ever[j];
        }
        if (count > o.pMax) return "pMax";
      }
      const set = cols.filter((j) => active[j]);
      let fPrev = Infinity;
      for (let it = 0; it < MAX_NEWTON; it++) {
        const dec = newtonStep(lam, set);
        if (dec <= 1e-16 * Math.max(Math.abs(current), 1e-300) || current >= fPrev) break;
        fPrev = current;
      }
      const violators: number[] = [];
      if (kktAt(lam, violators) <= kktTol) return "ok";
      for (const j of violators) strong[j] = 1;
    }
    return "ok";
  };

  const L = lambdas.length;
  const fit = {
    intercept: [] as Float64Array[],
    beta: [] as SparseVector[][],
    df: new Int32Array(L),
    devRatio: new Float64Array(L),
    objective: new Float64Array(L),
    kktMax: new Float64Array(L),
  };
  let lamPrev = Math.max(lambdaMax, lambdas[0]);
  let done = L;
  let passes = 0;
  for (let k = 0; k < L; k++) {
    const lam = lambdas[k];
    const status = solve(lam, lamPrev);
    passes++;
    lamPrev = lam;
    if (status === "pMax") {
      done = k;
      break;
    }
    fit.kktMax[k] = kktAt(lam, null);
    let pen = 0;
    let df = 0;
    for (const j of cols) {
      const nb = groupNorm(j);
      if (nb > 0) {
        pen += penaltyOf(lam, nb, j);
        df++;
      }
    }
    const lossValue = current;
    fit.objective[k] = lossValue + pen;
    fit.devRatio[k] = nullDev > 0 ? 1 - (2 * lossValue) / nullDev : 0;
    fit.df[k] = df;
    const point = originalScalePoint(
      K,
      a0,
      p,
      (c, j) => b[j * K + c],
      (_, j) => include[j] === 1 && groupNorm(j) > 0,
      center,
      scale,
      o.intercept,
    );
    fit.intercept.push(point.intercept);
    fit.beta.push(point.beta);
    if (!o.lambda && o.earlyStop && earlyEnd("multinomial", fit.devRatio, k, L, df, o.dfMax)) {
      done = k + 1;
      break;
    }
  }
  return {
    family: "multinomial",
    classes,
    alpha: o.alpha,
    lambda: Float64Array.from(lambdas.subarray(0, done)),
    intercept: fit.intercept,
    beta: fit.beta,
    df: fit.df.subarray(0, done),
    devRatio: fit.devRatio.subarray(0, done),
    objective: fit.objective.subarray(0, done),
    kktMax: fit.kktMax.subarray(0, done),
    passes,
    nObs: n,
    nFeatures: p,
    nullDeviance: nullDev,
    warnings: [],
  };
}
