import { MAX_NEWTON } from "../solver/glmCd.js";
import { earlyEnd, stallThreshold } from "./earlyEnd.js";
import type { PathFit, SparseVector } from "./elasticNetPath.js";
import type { FitFamily } from "./families.js";

// The path driver: what every path does around its solver, whichever the solver — walks the λ
// sequence with warm starts (each point from the previous λ's solution, the first from λ_max),
// takes the solver's status per point as a warning or an end, records the points, ends the path
// by glmnet's rules, and packs the recorded fields into arrays. The solvers keep their own strong
// rules and KKT admission (each screens in its own coordinates), and each path its certificate.

/** One recorded point: the fields the early end reads, and anything else the path keeps. */
export interface PathPoint {
  /** Features non-zero (in any coefficient set). */
  df: number;
  /** Fraction of the null deviance explained. */
  devRatio: number;
}

/** A point's outcome from the solver: nothing to say, a warning, or the end of the path before it. */
export type PointOutcome = void | null | { warning: string } | { stop: string };

/** glmnet's early end of an automatic path: which family's stall rule, dfMax and the stall threshold. */
export interface EarlyEndRule {
  family: FitFamily;
  dfMax: number;
  /** glmnet's fdev; −Infinity turns the stall rule off (saturation and dfMax still end the path). */
  fdev: number;
  /** The deviance ratio past which the path ends (saturation); glmnet's 0.999 when absent. */
  devMax?: number;
}

/**
 * The early end a path's options ask for: none for a user-given λ sequence or `earlyStop: false`
 * (the whole sequence is fitted), else glmnet's rules for the family with `stall` (default: the
 * options' stall threshold, 0 where a box limit is exactly 0).
 */
export function earlyEndRule(
  family: FitFamily,
  o: {
    lambda: Float64Array | null;
    earlyStop: boolean;
    dfMax: number;
    lowerLimits: ArrayLike<number>;
    upperLimits: ArrayLike<number>;
  },
  stall: number = stallThreshold(o),
): EarlyEndRule | null {
  return o.lambda || !o.earlyStop ? null : { family, dfMax: o.dfMax, fdev: stall };
}

/**
 * The early end of an automatic MCP / SCAD path, as ncvreg's: the whole grid (no stall rule: the
 * deviance can rise in steps after a plateau), up to dfMax, and for the binomial and Poisson
 * families up to a deviance ratio of 0.99 ("model saturated": past it the unpenalized flat part
 * of the penalty lets coefficients of nearly separated features grow without bound).
 */
export function nonconvexEndRule(
  family: FitFamily,
  o: Parameters<typeof earlyEndRule>[1],
): EarlyEndRule | null {
  const rule = earlyEndRule(family, o, -Infinity);
  if (rule && (family === "binomial" || family === "poisson")) rule.devMax = NCV_DEV_MAX;
  return rule;
}

/** ncvreg's saturation: deviance below 1 % of the null deviance. */
const NCV_DEV_MAX = 0.99;

/**
 * The points recorded along a path, its warnings, and where it ended. `walkPath` drives one for a
 * synchronous solver; a path whose solver is asynchronous (the database engines) drives it itself
 * with `start`, `outcome` and `record`.
 */
export class PathRecord<P extends PathPoint> {
  readonly points: P[] = [];
  readonly warnings: string[] = [];
  private readonly devRatio: number[] = [];
  private ended = false;

  constructor(
    readonly lambdas: ArrayLike<number>,
    /** λ_max: the warm start of the first point (the solver sits at the all-zero solution there). */
    private readonly lambdaMax: number,
    private readonly rule: EarlyEndRule | null,
  ) {}

  /** The λ point k warm-starts from: the previous point's, or max(λ_max, λ₀) for the first. */
  start(k: number): number {
    return k > 0 ? this.lambdas[k - 1] : Math.max(this.lambdaMax, this.lambdas[0]);
  }

  /** Takes the solver's outcome at point k; false when the path ends before recording it. */
  outcome(k: number, o: PointOutcome): boolean {
    if (!o) return true;
    const lam = this.lambdas[k];
    if ("stop" in o) {
      this.warnings.push(`stopped at λ #${k + 1} (${lam}): ${o.stop}`);
      this.ended = true;
      return false;
    }
    this.warnings.push(`λ #${k + 1} (${lam}): ${o.warning}`);
    return true;
  }

  /** Records point k; false when glmnet's rules end the path after it. */
  record(k: number, point: P): boolean {
    this.points.push(point);
    this.devRatio.push(point.devRatio);
    const r = this.rule;
    if (
      r &&
      earlyEnd(r.family, this.devRatio, k, this.lambdas.length, point.df, r.dfMax, r.fdev, r.devMax)
    )
      this.ended = true;
    return !this.ended;
  }

  /** Whether the path ended before its last λ (an early end or a solver's stop). */
  get endedEarly(): boolean {
    return this.ended && this.points.length < this.lambdas.length;
  }

  /** The λs of the recorded points. */
  lambda(): Float64Array {
    return Float64Array.from({ length: this.points.length }, (_, k) => this.lambdas[k]);
  }

  /** One numeric field of every recorded point. */
  column(field: { [F in keyof P]: P[F] extends number ? F : never }[keyof P]): Float64Array {
    return Float64Array.from(this.points, (q) => q[field] as number);
  }

  /** The points' df. */
  df(): Int32Array {
    return Int32Array.from(this.points, (q) => q.df);
  }

  /** One field of every recorded point, as it is. */
  list<F extends keyof P>(field: F): P[F][] {
    return this.points.map((q) => q[field]);
  }
}

/**
 * Walks the λ sequence: at each point `solve(λ, λ_prev, k)` (warm from λ_prev) and its outcome,
 * then `point(k)` recorded, until the sequence or the path ends.
 *
 * For instance elasticNetPath: `walkPath(lambdas, lambdaMax, earlyEndRule("gaussian", o), (lam,
 * prev) => statusOutcome(cd.solve(lam, prev), o.maxPasses, o.pMax), () => point)`, then
 * `certifiedColumns(path)` for the result's arrays.
 */
export function walkPath<P extends PathPoint>(
  lambdas: ArrayLike<number>,
  lambdaMax: number,
  rule: EarlyEndRule | null,
  solve: (lam: number, lamPrev: number, k: number) => PointOutcome,
  point: (k: number, lam: number) => P,
): PathRecord<P> {
  const path = new PathRecord<P>(lambdas, lambdaMax, rule);
  for (let k = 0; k < lambdas.length; k++) {
    const lam = lambdas[k];
    if (!path.outcome(k, solve(lam, path.start(k), k))) break;
    if (!path.record(k, point(k, lam))) break;
  }
  return path;
}

/** The usual solver statuses as outcomes: pMax ends the path, maxPasses warns. */
export function statusOutcome(status: string, maxPasses: number, pMax: number): PointOutcome {
  if (status === "pMax") return { stop: `more than pMax = ${pMax} features became non-zero` };
  if (status === "maxPasses") return { warning: `did not converge in ${maxPasses} passes` };
  if (status === "maxNewton") return { warning: `did not converge in ${MAX_NEWTON} Newton steps` };
  if (status === "stalled") return { warning: "stalled (no step lowered the objective)" };
  return null;
}

/**
 * One coefficient set on the original scale from the standardized one: βⱼ = bⱼ/sⱼ at the
 * non-zeros `index` (increasing), and the intercept a0 − Σⱼ βⱼcⱼ (0 without one).
 */
export function originalScale(
  index: Int32Array,
  b: ArrayLike<number>,
  a0: number,
  center: ArrayLike<number>,
  scale: ArrayLike<number>,
  intercept: boolean,
): { intercept: number; beta: SparseVector } {
  const value = new Float64Array(index.length);
  let a = a0;
  for (let t = 0; t < index.length; t++) {
    const j = index[t];
    const v = b[j] / scale[j];
    value[t] = v;
    a -= v * center[j];
  }
  return { intercept: intercept ? a : 0, beta: { index, value } };
}

/** A point of a path with one coefficient set and a certificate. */
export interface CertifiedPoint extends PathPoint {
  intercept: number;
  beta: SparseVector;
  objective: number;
  kktMax: number;
  /** NaN where no feasible dual point exists. */
  dualityGap: number;
}

/** The per-point arrays of a one-set path (PathFit's), and its warnings. */
export function certifiedColumns<P extends CertifiedPoint>(
  record: PathRecord<P>,
): Pick<
  PathFit,
  | "lambda"
  | "intercept"
  | "beta"
  | "df"
  | "devRatio"
  | "objective"
  | "kktMax"
  | "dualityGap"
  | "warnings"
> {
  const path = record as unknown as PathRecord<CertifiedPoint>;
  return {
    lambda: path.lambda(),
    intercept: path.column("intercept"),
    beta: path.list("beta"),
    df: path.df(),
    devRatio: path.column("devRatio"),
    objective: path.column("objective"),
    kktMax: path.column("kktMax"),
    dualityGap: path.column("dualityGap"),
    warnings: path.warnings,
  };
}
