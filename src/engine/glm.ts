import { addStats, GramDesign, statsMoments, type GaussianStats } from "../data/gramDesign.js";
import { certifiedColumns, earlyEndRule, PathRecord, type CertifiedPoint } from "../path/driver.js";
import { InputError } from "../errors.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { resolveOptions, scaledLimits, type ElasticNetOptions } from "../path/options.js";
import { lambdaSequence } from "../path/prepare.js";
import { enetSubdiffDistance } from "../penalty/elasticNet.js";
import { CovarianceCd } from "../solver/gaussianCd.js";
import type { TableEngine } from "./duckdbEngine.js";
import { gaussianFromEngine } from "./gaussian.js";
import { completeSql, foldExpr, glmSql, irlsSql, literal, name, type Folds } from "./sql.js";
import { coefAt } from "../path/predict.js";
import { cvSummary, type StatsCvResult } from "../path/statsPath.js";

/**
 * Each point is solved to a KKT violation of at most KKT_TOL·λ — glmPath's criterion at glmnet's
 * thresh 1e-7 (objective within about 1e-9 of the optimum, relative) — which one IRLS step from
 * the previous point's model usually reaches: each step costs a scan of the table.
 */
const KKT_TOL = 1e-5;
const MAX_PASSES_PER_LAMBDA = 50;

/** A GLM path fitted through an engine, with the scans it took. */
export interface EngineGlmFit extends PathFit {
  /** Scans of the table at each path point (IRLS passes). */
  passesPerLambda: number[];
  /** Scans before the path: the checks, the moments and the null model. */
  setupScans: number;
  /** Of all scans, those that computed the weighted Gram (the rest: gradient and loss only). */
  fullScans: number;
}

/**
 * The binomial or Poisson elastic-net path of a table an engine holds, by IRLS with one scan per
 * step: each scan returns the weighted Gram Σv·xxᵀ and the gradient Σ(y − μ)x at the current β
 * (v the variance, μ the mean), the quadratic model is solved exactly by the covariance solver
 * on those sums (glmnet's standardization from the unit-weight moments, fixed), and a point is
 * done when the scan at its β shows a KKT violation ≤ 1e−5·λ — the objective of `glmPath` on the
 * rows to about 1e−9, the same λ grid, the certificate from the scan itself. Warm starts along the path; no rows in this process.
 */
export async function glmPathFromEngine(
  engine: TableEngine,
  family: "binomial" | "poisson",
  o: {
    target?: string;
    missing: "error" | "drop" | "mean";
    options?: ElasticNetOptions;
    /** Columns that are neither features nor the target (a fold column). */
    exclude?: string[];
    /** A column of observation weights (≥ 0). */
    weights?: string;
    /** A column added to the linear predictor (Poisson: the log exposure). */
    offset?: string;
    /** Only these feature columns (`--features`), and columns that are not features (`--ignore`). */
    columns?: string[];
    ignore?: string[];
  },
): Promise<{
  fit: EngineGlmFit;
  features: string[];
  target: string;
  constant: string[];
  /** The features' means and standard deviations (weighted, population form). */
  moments: { mean: Float64Array; sd: Float64Array };
}> {
  // the unit-weight moments (and the checks) from the Gaussian statistics
  const data = await gaussianFromEngine(engine, {
    target: o.target,
    missing: o.missing,
    folds: null,
    exclude: [...(o.exclude ?? []), ...(o.offset ? [o.offset] : [])],
    columns: o.columns,
    ignore: o.ignore,
    weights: o.weights,
    checkAlso: o.offset ? [o.offset] : [],
  });
  const extra = { weights: o.weights, offset: o.offset };
  const w = o.weights ? `CAST(${name(o.weights)} AS DOUBLE)` : "1.0";
  const { features, target } = data;
  const s: GaussianStats = addStats(data.stats);
  const p = features.length;
  const n = s.n;
  const src = engine.source;
  const ybar = s.shiftY + s.sy / n;
  // the response's range
  const yCol = name(target);
  const complete = completeSql([...features, target, o.weights, o.offset]);
  const [[bad, yLogY]] = await engine.query(
    `SELECT sum(CASE WHEN ${family === "binomial" ? `${yCol} < 0 OR ${yCol} > 1` : `${yCol} < 0`} THEN 1 ELSE 0 END), ` +
      `sum(CASE WHEN ${yCol} > 0 THEN ${w} * CAST(${yCol} AS DOUBLE) * ${engine.dialect.ln(`CAST(${yCol} AS DOUBLE)`)} ELSE 0.0 END) ` +
      `FROM ${engine.dialect.relation} WHERE ${complete}`,
  );
  if ((bad ?? 0) > 0)
    throw new InputError(
      `${src}: column '${target}' has ${bad} values outside ${family === "binomial" ? "[0, 1]" : "[0, ∞)"} (${family} needs ${family === "binomial" ? "0/1" : "counts ≥ 0"})`,
      { file: src, column: target },
    );
  if (family === "binomial" && !(ybar > 0 && ybar < 1))
    throw new InputError(`${src}: binomial response has a single class: there is nothing to fit`);
  if (family === "poisson" && !(ybar > 0))
    throw new InputError(`${src}: poisson response is all zero: there is nothing to fit`);

  const opts = resolveOptions({ ...o.options, type: "covariance" }, n, p, false);
  const include = opts.include;
  // unit-weight centers and scales (glmnet's standardization), constant columns excluded
  const { mean, variance, constant } = statsMoments(s);
  const sd = variance.map(Math.sqrt);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (constant[j]) include[j] = 0;
    scale[j] = opts.standardize ? sd[j] || 1 : 1;
  }
  const { lower, upper } = scaledLimits(opts, scale);
  const fam = glmSql(family, engine.dialect.ln);
  // ℓ_sat: 0 for 0/1 responses; y − y·log y for counts
  const lossSat = family === "binomial" ? 0 : s.sy + s.shiftY * n - (yLogY ?? 0);

  interface Scan {
    sumV: number;
    vu: Float64Array;
    vuu: Float64Array;
    r: number;
    ru: Float64Array;
    loss: number;
    rr: number;
  }
  let scans = 0;
  let fullScans = 0;
  let model: Scan | undefined;
  /**
   * A scan at (a0, β): the gradient and the loss, and — when `full` — the weighted Gram, which
   * is kept as the Hessian of later steps until a step converges too slowly (a quasi-Newton
   * step with a stale Hessian and the fresh gradient, each costing only the cheap scan).
   */
  const scan = async (a0: number, beta: Float64Array, full: boolean): Promise<Scan> => {
    scans++;
    if (full) fullScans++;
    const [row] = await engine.query(
      irlsSql(engine.dialect, features, target, s.shiftX, fam, a0, beta, full, extra),
    );
    let at = 0;
    const next = () => row[at++] as number;
    const out: Scan = {
      sumV: 0,
      vu: new Float64Array(p),
      vuu: new Float64Array(p * p),
      r: 0,
      ru: new Float64Array(p),
      loss: 0,
      rr: 0,
    };
    if (full) {
      out.sumV = next();
      for (let j = 0; j < p; j++) out.vu[j] = next();
      for (let j = 0; j < p; j++)
        for (let k = j; k < p; k++) {
          const v = next();
          out.vuu[j * p + k] = v;
          out.vuu[k * p + j] = v;
        }
      model = out;
    } else {
      out.sumV = model!.sumV;
      out.vu = model!.vu;
      out.vuu = model!.vuu;
    }
    out.r = next();
    for (let j = 0; j < p; j++) out.ru[j] = next();
    out.loss = next();
    out.rr = next();
    return out;
  };
  /** The negative gradient on the standardized scale: g_j = Σ r (x_j − c_j) / (n s_j). */
  const gradient = (sc: Scan) =>
    Float64Array.from({ length: p }, (_, j) =>
      include[j] ? (sc.ru[j] - (mean[j] - s.shiftX[j]) * sc.r) / (n * scale[j]) : 0,
    );
  /** The IRLS step: the quadratic model at (a0, β) solved at λ (standardized b returned). */
  const step = (sc: Scan, a0: number, beta: Float64Array, lambda: number) => {
    // working response z = η + r/v, shifted by b = a0 + βᵀa so that η − b = βᵀu
    let bu = 0;
    for (let j = 0; j < p; j++) bu += beta[j] * s.shiftX[j];
    const shiftY = a0 + bu;
    const sxy = new Float64Array(p);
    let sy = sc.r;
    let quad = 0;
    for (let j = 0; j < p; j++) {
      let gj = 0;
      for (let k = 0; k < p; k++) gj += sc.vuu[j * p + k] * beta[k];
      sxy[j] = gj + sc.ru[j];
      sy += beta[j] * sc.vu[j];
      quad += beta[j] * gj;
    }
    let rb = 0;
    for (let j = 0; j < p; j++) rb += beta[j] * sc.ru[j];
    const stats: GaussianStats = {
      n: sc.sumV,
      shiftX: s.shiftX,
      shiftY,
      sx: sc.vu,
      sy,
      sxx: sc.vuu,
      sxy,
      syy: quad + 2 * rb + sc.rr,
    };
    const inc = Uint8Array.from(include);
    const design = new GramDesign(stats, opts.intercept, opts.standardize, inc, scale);
    const cd = new CovarianceCd({
      design,
      include: inc,
      pf: opts.penaltyFactor,
      lower,
      upper,
      alpha: opts.alpha,
      yTilde: Float64Array.of(Math.sqrt(design.yy)),
      thr: 1e-16 * design.yy,
      maxPasses: opts.maxPasses,
      pMax: opts.pMax,
      newton: true,
    });
    // (1/2n)Σv(z − η)² + λP  ⇔  (1/2)Σv̂(z − η)² + λ·n/Σv·P
    const lam = (lambda * n) / sc.sumV;
    cd.solve(Infinity, Infinity);
    if (Number.isFinite(lam)) cd.solve(lam, lam);
    const b = Float64Array.from(cd.b);
    let a = opts.intercept ? design.ym : 0;
    const betaNew = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      betaNew[j] = b[j] / scale[j];
      a -= betaNew[j] * design.center[j];
    }
    cd.release();
    return { a0: a, beta: betaNew, b };
  };

  // the null model: the intercept alone (Newton on a0 from the link of ȳ)
  let a0 = opts.intercept
    ? family === "binomial"
      ? Math.log(ybar / (1 - ybar))
      : Math.log(ybar)
    : 0;
  let beta = new Float64Array(p);
  let sc = await scan(a0, beta, true);
  for (let it = 0; it < 20 && opts.intercept && Math.abs(sc.r) > 1e-12 * n; it++) {
    a0 += sc.r / sc.sumV;
    sc = await scan(a0, beta, true);
  }
  // unpenalized features first (λ = ∞)
  if (opts.penaltyFactor.some((f, j) => f === 0 && include[j])) {
    for (let it = 0; it < MAX_PASSES_PER_LAMBDA; it++) {
      const st = step(sc, a0, beta, Infinity);
      a0 = st.a0;
      beta = st.beta;
      sc = await scan(a0, beta, true);
      if (kktAt(sc, beta, Infinity) <= 1e-10) break;
    }
  }
  const nullDeviance = (2 * (sc.loss - lossSat)) / n;
  const setupScans = scans;
  const { lambdas } = lambdaSequence(gradient(sc), include, opts);

  function kktAt(at: Scan, bet: Float64Array, lambda: number): number {
    const g = gradient(at);
    let kkt = opts.intercept ? Math.abs(at.r / n) : 0;
    const ab = Number.isFinite(lambda) ? lambda * opts.alpha : 0;
    const dem = Number.isFinite(lambda) ? lambda * (1 - opts.alpha) : 0;
    for (let j = 0; j < p; j++) {
      if (!include[j]) continue;
      const pf = opts.penaltyFactor[j];
      if (!Number.isFinite(lambda) && pf > 0) continue;
      const v = enetSubdiffDistance(bet[j] * scale[j], g[j], ab * pf, dem * pf, lower[j], upper[j]);
      if (v > kkt) kkt = v;
    }
    return kkt;
  }

  // The driver's record, walked here: each point's solve awaits the engine's scans.
  const path = new PathRecord<CertifiedPoint & { passes: number }>(
    lambdas,
    Infinity,
    earlyEndRule(family, opts),
  );
  for (let m = 0; m < lambdas.length; m++) {
    const lam = lambdas[m];
    const before = scans;
    let kkt = kktAt(sc, beta, lam);
    let it = 0;
    // a fresh Hessian when the last step did not cut the violation tenfold
    let refresh = false;
    while (kkt > KKT_TOL * lam && it < MAX_PASSES_PER_LAMBDA) {
      const st = step(sc, a0, beta, lam);
      a0 = st.a0;
      beta = st.beta;
      sc = await scan(a0, beta, refresh);
      const was = kkt;
      kkt = kktAt(sc, beta, lam);
      refresh = kkt > 0.1 * was;
      if (process.env.REGULARIZE_DEBUG_IRLS) console.error(m, it, kkt / lam);
      it++;
    }
    path.outcome(
      m,
      kkt > KKT_TOL * lam
        ? { warning: `did not converge in ${MAX_PASSES_PER_LAMBDA} passes` }
        : null,
    );
    let pen = 0;
    const index: number[] = [];
    const value: number[] = [];
    for (let j = 0; j < p; j++) {
      if (beta[j] === 0) continue;
      const bj = beta[j] * scale[j];
      const pf = opts.penaltyFactor[j];
      pen += lam * pf * (opts.alpha * Math.abs(bj) + 0.5 * (1 - opts.alpha) * bj * bj);
      index.push(j);
      value.push(beta[j]);
    }
    const more = path.record(m, {
      intercept: opts.intercept ? a0 : 0,
      beta: { index: Int32Array.from(index), value: Float64Array.from(value) },
      df: index.length,
      devRatio: 1 - (2 * (sc.loss - lossSat)) / n / nullDeviance,
      objective: sc.loss / n + pen,
      kktMax: kkt,
      dualityGap: NaN,
      passes: scans - before,
    });
    if (!more) break;
  }
  const center = opts.intercept ? mean : new Float64Array(p);
  return {
    features,
    target,
    constant: data.constant,
    moments: { mean, sd },
    fit: {
      family,
      alpha: opts.alpha,
      nObs: n,
      nFeatures: p,
      ...certifiedColumns(path),
      nullDeviance,
      center,
      scale,
      passes: scans,
      fullScans,
      solver: "irls",
      passesPerLambda: path.list("passes"),
      setupScans,
    },
  };
}

/** The engine restricted to the rows whose fold (by `foldSql` on the row's position) is or is not f. */
export function foldView(
  engine: TableEngine,
  folds: Folds,
  fold: number,
  keep: "in" | "out",
): TableEngine {
  const d = engine.dialect;
  const base = engine;
  return {
    ...base,
    dialect: {
      ...d,
      get relation() {
        return (
          `(SELECT * FROM (SELECT *, ${d.position} AS pos__ FROM ${d.relation}) AS f0 ` +
          `WHERE ${foldExpr(folds)} ${keep === "in" ? "=" : "<>"} ${fold}) AS f1`
        );
      },
    },
  };
}

/** Per-row deviance of the held-out scoring (cv.glmnet's: binomial probabilities clipped to [1e−5, 1 − 1e−5]). */
function devianceSql(
  family: "binomial" | "poisson",
  ln: (e: string) => string,
  y: string,
  eta: string,
) {
  if (family === "binomial") {
    const q = `greatest(least(1.0 / (1.0 + exp(-(${eta}))), 0.99999), 0.00001)`;
    return (
      `2.0 * (CASE WHEN ${y} > 0 THEN ${y} * ${ln(`${y} / ${q}`)} ELSE 0.0 END + ` +
      `CASE WHEN ${y} < 1 THEN (1.0 - ${y}) * ${ln(`(1.0 - ${y}) / (1.0 - ${q})`)} ELSE 0.0 END)`
    );
  }
  return `2.0 * (CASE WHEN ${y} > 0 THEN ${y} * ${ln(`${y} / exp(${eta})`)} ELSE 0.0 END - (${y} - exp(${eta})))`;
}

/**
 * cv.glmnet's K-fold cross-validation (measure: deviance) of a binomial or Poisson path through
 * an engine: the full path, each fold's training path (its own λ grid, the rows of the other
 * folds) by the same IRLS scans, and the held-out deviance at every λ of the full path scored in
 * the engine — one scan per fold for all λ at once (coefficients by glmnet's interpolation).
 */
export async function glmCvFromEngine(
  engine: TableEngine,
  family: "binomial" | "poisson",
  o: {
    target?: string;
    missing: "error" | "drop" | "mean";
    options?: ElasticNetOptions;
    K: number;
    seed: number;
    /** A column holding each row's fold number 1..K (else folds by position). */
    foldColumn?: string;
    weights?: string;
    offset?: string;
    columns?: string[];
    ignore?: string[];
  },
): Promise<{
  full: Awaited<ReturnType<typeof glmPathFromEngine>>;
  cv: StatsCvResult;
  scans: number;
}> {
  const exclude = o.foldColumn ? [o.foldColumn] : [];
  const full = await glmPathFromEngine(engine, family, { ...o, exclude });
  let K = o.K;
  if (o.foldColumn) {
    const c = name(o.foldColumn);
    const [[lo, hi]] = await engine.query(
      `SELECT min(${c}), max(${c}) FROM ${engine.dialect.relation}`,
    );
    if (!(lo !== null && lo >= 1 && hi !== null && hi >= 2 && Number.isInteger(hi)))
      throw new InputError(
        `${engine.source}: column '${o.foldColumn}' (--fold-column) must hold fold numbers 1, 2, …, K`,
        { file: engine.source, column: o.foldColumn },
      );
    K = hi;
  }
  const folds: Folds = { K, seed: o.seed, column: o.foldColumn };
  const { features, target } = full;
  const lambda = full.fit.lambda;
  const L = lambda.length;
  let scans = full.fit.passes;
  const foldMean: Float64Array[] = [];
  const foldW: number[] = [];
  const y = `CAST(${name(target)} AS DOUBLE)`;
  const w = o.weights ? `CAST(${name(o.weights)} AS DOUBLE)` : "1.0";
  const complete = completeSql([...features, target, o.weights, o.offset]);
  for (let f = 1; f <= K; f++) {
    const train = await glmPathFromEngine(foldView(engine, folds, f, "out"), family, {
      ...o,
      exclude,
    });
    scans += train.fit.passes;
    const sums = Array.from({ length: L }, (_, k) => {
      const c = coefAt(train.fit, lambda[k]);
      const terms = [literal(c.intercept)];
      c.beta.forEach((b, j) => {
        if (b !== 0) terms.push(`${literal(b)} * CAST(${name(features[j])} AS DOUBLE)`);
      });
      if (o.offset) terms.push(`CAST(${name(o.offset)} AS DOUBLE)`);
      return `sum(${w} * ${devianceSql(family, engine.dialect.ln, y, terms.join(" + "))})`;
    });
    const held = foldView(engine, folds, f, "in");
    const [row] = await engine.query(
      `SELECT sum(${w}), ${sums.join(", ")} FROM ${held.dialect.relation} WHERE ${complete}`,
    );
    scans++;
    const count = row[0] ?? 0;
    if (!(count > 0))
      throw new InputError(`${engine.source}: fold ${f} of ${K} has no rows (too few rows?)`, {
        file: engine.source,
      });
    foldW.push(count);
    foldMean.push(Float64Array.from({ length: L }, (_, k) => (row[k + 1] as number) / count));
  }
  return {
    full,
    scans,
    cv: {
      fit: full.fit,
      nzero: Int32Array.from(full.fit.df),
      ...cvSummary(lambda, foldMean, foldW),
    },
  };
}
