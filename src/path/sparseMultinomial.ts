import type { CscMatrix } from "../data/matrix.js";
import { GlmDesign } from "../data/glmDesign.js";
import { binomial } from "../datafit/binomial.js";
import { InputError } from "../errors.js";
import { enetSubdiffDistance, enetValue } from "../penalty/elasticNet.js";
import { SparseGlmCd, SparseHeap } from "../solver/sparseGlmCd.js";
import { earlyEndRule, walkPath, type PathPoint } from "./driver.js";
import type { SparseVector } from "./elasticNetPath.js";
import { glmSetup, SPARSE_KKT_PER_THRESH } from "./glmPath.js";
import {
  originalScalePoint,
  type MultinomialFit,
  type MultinomialOptions,
} from "./multinomialFit.js";
import { resolveOptions } from "./options.js";
import { geometricLambdas } from "./prepare.js";

/** Largest number of sweeps over the classes at one λ. */
const MAX_ROUNDS = 500;

/**
 * The ungrouped multinomial elastic-net path on a sparse (CSC) design, never densified: glmnet's
 * scheme for sparse input, one class at a time. With the other classes' linear predictors fixed,
 * class c's part of the multinomial loss is a binomial one,
 *
 *     −y_c η_c + log(e^{η_c} + S₋c) = ℓ_binomial(y_c, η_c − log S₋c) + const,   S₋c = Σ_{k≠c} e^{η_k},
 *
 * so each class is a sparse binomial elastic net (SparseGlmCd) with the offset −log S₋c, solved
 * at λ; the classes are swept until the multinomial KKT conditions hold for every class, feature
 * and intercept to the sparse target (KKT ≤ min(1e6·thresh·λ, √(thresh·null deviance))). The
 * objective, λ sequence, intercept centering and result are multinomialPath's.
 */
export function sparseMultinomialPath(
  x: CscMatrix,
  y: ArrayLike<number>,
  classes: number[],
  options: MultinomialOptions,
): MultinomialFit {
  const n = x.nRows;
  const p = x.nCols;
  const K = classes.length;
  const o = resolveOptions(options, n, p);
  if ((options as { offset?: unknown }).offset !== undefined)
    throw new InputError("option 'offset': not for the multinomial family", { option: "offset" });
  const w = o.weights;
  const Y = classes.map((c) => Float64Array.from(y, (v) => (v === c ? 1 : 0)));
  const share = Y.map((yc) => yc.reduce((s, v, i) => s + w[i] * v, 0));
  let nullDeviance = 0;
  for (let c = 0; c < K; c++) {
    const q = o.intercept ? share[c] : 1 / K;
    if (share[c] > 0) nullDeviance -= 2 * share[c] * Math.log(q);
  }
  const include = o.include;
  const design = new GlmDesign(x, w, o.intercept, o.standardize, include);
  const thr = o.thresh * nullDeviance;
  const kktTol = SPARSE_KKT_PER_THRESH * o.thresh;
  // Each class's offset −log S₋c, and its linear predictor f_c = η_c − offset_c.
  const offsets = classes.map(() => new Float64Array(n).fill(-Math.log(K - 1)));
  const setups = classes.map((_, c) =>
    glmSetup(o, design, {
      family: binomial,
      y: Y[c],
      offset: offsets[c],
      // Each class to a tenth of the path's target: the next classes' moves then leave the
      // sweep's violation inside it (at the target itself, sweeps could stall just above it).
      thr: thr / 100,
      kktTol: kktTol / 10,
      pMax: p + 1,
    }),
  );
  const { lower, upper } = setups[0];
  // One kernels' heap for the design and the K class solvers (the matrix held once).
  const sp = design.sparse()!;
  const mem = SparseHeap.create(sp, n, p, K);
  const cds = setups.map((s) => new SparseGlmCd(s, mem));
  const next = new Float64Array(n);
  const others = new Float64Array(K);
  /** Hands class c the log-sum-exp of the other classes' current predictors. */
  const refresh = (c: number) => {
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let k = 0; k < K; k++) {
        if (k === c) continue;
        const f = cds[k].eta[i] - offsets[k][i];
        others[k] = f;
        if (f > m) m = f;
      }
      let s = 0;
      for (let k = 0; k < K; k++) if (k !== c) s += Math.exp(others[k] - m);
      next[i] = -(m + Math.log(s));
    }
    cds[c].setOffset(next);
  };
  const ab = (lam: number) => (Number.isFinite(lam) ? lam * o.alpha : 0);
  const dem = (lam: number) => (Number.isFinite(lam) ? lam * (1 - o.alpha) : 0);
  /** The multinomial KKT violation at the current point (every class's gradient made exact). */
  const violation = (lam: number) => {
    let kkt = 0;
    for (let c = 0; c < K; c++) {
      refresh(c);
      const cd = cds[c];
      cd.gradient();
      if (o.intercept) kkt = Math.max(kkt, Math.abs(cd.g0));
      for (let j = 0; j < p; j++) {
        if (!include[j]) continue;
        const pf = o.penaltyFactor[j];
        const free = Number.isFinite(lam) || pf === 0;
        const e = enetSubdiffDistance(
          cd.b[j],
          cd.g[j],
          pf * ab(lam),
          pf * dem(lam),
          free ? lower[j] : 0,
          free ? upper[j] : 0,
        );
        if (e > kkt) kkt = e;
      }
    }
    return kkt;
  };
  /** What went short at the λ being solved (classes stopped early, sweeps run out). */
  const notes: string[] = [];
  /** Sweeps the classes at λ until the multinomial KKT conditions hold; the violation. */
  const solve = (lam: number, lamPrev: number) => {
    // (At λ = ∞ only the intercepts and unpenalized features move: solved to rounding.)
    const target = Number.isFinite(lam)
      ? Math.min(kktTol * (ab(lam) + dem(lam)), Math.sqrt(thr)) + 1e-15
      : 1e-12;
    let kkt = Infinity;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      for (let c = 0; c < K; c++) {
        refresh(c);
        // The strong set only: `violation` takes every class's full gradient after the sweep
        // and admits the features that break the KKT conditions.
        const status = cds[c].solve(lam, lamPrev, round === 0, true);
        if (status !== "ok") notes.push(`class ${classes[c]} stopped at ${status}`);
      }
      kkt = violation(lam);
      let admitted = false;
      for (const cd of cds) admitted = cd.admitViolators(lam) || admitted;
      if (kkt <= target && !admitted) return kkt;
    }
    notes.push(`did not converge in ${MAX_ROUNDS} class sweeps`);
    return kkt;
  };
  // The intercept-only (and unpenalized-feature) fit, then λ_max from its gradients.
  solve(Infinity, Infinity);
  let lambdaMax = 0;
  for (let j = 0; j < p; j++) {
    if (!include[j] || o.penaltyFactor[j] <= 0) continue;
    for (const cd of cds)
      lambdaMax = Math.max(
        lambdaMax,
        Math.abs(cd.g[j]) / (o.penaltyFactor[j] * Math.max(o.alpha, 1e-3)),
      );
  }
  const lambdas = o.lambda ?? geometricLambdas(lambdaMax, o);
  type Point = PathPoint & {
    intercept: Float64Array;
    beta: SparseVector[];
    objective: number;
    kktMax: number;
  };
  let kkt = 0;
  const path = walkPath<Point>(
    lambdas,
    lambdaMax,
    earlyEndRule("multinomial", o),
    (lam, lamPrev) => {
      notes.length = 0;
      kkt = solve(lam, lamPrev);
      return notes.length > 0 ? { warning: notes.join("; ") } : null;
    },
    (_k, lam) => {
      // The loss −Σ ŵ log p_{i,yᵢ} from class y's binomial pieces: each cd's loss is at its
      // fresh offset after `violation`, so p_c = σ(η_c) there.
      let loss = 0;
      let pen = 0;
      for (let c = 0; c < K; c++) {
        const mu = cds[c].means();
        for (let i = 0; i < n; i++) if (Y[c][i] === 1) loss -= w[i] * Math.log(mu[i]);
        for (let j = 0; j < p; j++) {
          const b = cds[c].b[j];
          if (b !== 0)
            pen += enetValue(b, o.penaltyFactor[j] * ab(lam), o.penaltyFactor[j] * dem(lam));
        }
      }
      const point = originalScalePoint(
        K,
        cds.map((cd) => cd.b0),
        p,
        (c, j) => cds[c].b[j],
        (c, j) => cds[c].b[j] !== 0,
        design.center,
        design.scale,
        o.intercept,
      );
      const nz = new Set<number>();
      for (const b of point.beta) for (const j of b.index) nz.add(j);
      return {
        intercept: point.intercept,
        beta: point.beta,
        df: nz.size,
        devRatio: 1 - (2 * loss) / nullDeviance,
        objective: loss + pen,
        kktMax: kkt,
      };
    },
  );
  for (const cd of cds) cd.release();
  mem?.release();
  design.release();
  return {
    family: "multinomial",
    classes,
    alpha: o.alpha,
    lambda: path.lambda(),
    intercept: path.list("intercept"),
    beta: path.list("beta"),
    df: path.df(),
    devRatio: path.column("devRatio"),
    objective: path.column("objective"),
    kktMax: path.column("kktMax"),
    passes: cds.reduce((s, cd) => s + cd.passes, 0),
    nObs: n,
    nFeatures: p,
    nullDeviance,
    warnings: path.warnings,
  };
}
