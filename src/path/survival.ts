import { matVec, type Matrix } from "../data/matrix.js";
import { CoxDatafit } from "../datafit/cox.js";
import { checkSurvival, strataLabels, type Survival } from "../datafit/survivalData.js";
import { InputError } from "../errors.js";

/**
 * A Cox fit's baseline cumulative hazard Λ₀: per stratum (in `strata` order; one curve, label
 * null, without strata), the distinct event times and Λ₀ just after each.
 */
export interface BaselineHazard {
  ties: "breslow" | "efron";
  strata: (number | string)[] | null;
  curves: { times: Float64Array; cumhaz: Float64Array }[];
}

/**
 * The baseline cumulative hazard of a Cox model with coefficients β (original scale) on its
 * training data, as survival::survfit on the fit: Breslow's estimator
 * Λ₀(t) = Σ_{t_g ≤ t} d_g / Σ_{j at risk at t_g} wⱼe^{ηⱼ} (η = Xβ + offset), and with Efron's
 * ties its tie-corrected form Σ_g (d_g/m_g) Σ_{l<m_g} 1/(S_g − (l/m_g)E_g) — survfit's default
 * on a coxnet fit, whose coxph carries Efron's ties. Per stratum when there are strata.
 *
 * @example
 * ```ts
 * const path = regularize.fit(x, time, { family: "cox", status }); // import * as regularize from "regularize"
 * const beta = regularize.coefAt(path, path.lambda[20]).beta;
 * const base = regularize.coxBaseline(x, beta, { time, status });
 * regularize.survivalAt(base, regularize.predict(path, xNew, [path.lambda[20]])[0], [365, 730]);
 * ```
 */
export function coxBaseline(
  x: Matrix,
  beta: ArrayLike<number>,
  surv: Survival,
  options: { weights?: ArrayLike<number>; offset?: ArrayLike<number> } = {},
): BaselineHazard {
  const n = x.nRows;
  if (beta.length !== x.nCols)
    throw new InputError(`coxBaseline: ${beta.length} coefficients for ${x.nCols} features`);
  const msg = checkSurvival(surv);
  if (msg) throw new InputError(msg, { option: "status" });
  const w = options.weights ? Float64Array.from(options.weights) : new Float64Array(n).fill(1);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  for (let i = 0; i < n; i++) w[i] /= W;
  const eta = matVec(x, beta, new Float64Array(n));
  if (options.offset) for (let i = 0; i < n; i++) eta[i] += options.offset[i];
  const df = new CoxDatafit(surv, w, new Float64Array(n));
  // The datafit's increments are in weights normalized to sum 1: the ratio d/S is unchanged.
  return {
    ties: surv.ties ?? "breslow",
    strata: surv.strata ? strataLabels(surv.strata) : null,
    curves: df.baseline(eta),
  };
}

/**
 * Survival probabilities S(t | x) = exp(−Λ₀(t)·e^η) of rows with linear predictors `eta` at
 * `times` (Λ₀ a right-continuous step function; 0 before the first event time); `strata` gives
 * each row's stratum label when the model has strata. out[i][k] is row i at times[k].
 */
export function survivalAt(
  base: BaselineHazard,
  eta: ArrayLike<number>,
  times: ArrayLike<number>,
  strata?: ArrayLike<number | string>,
): Float64Array[] {
  const index = new Map((base.strata ?? []).map((l, k) => [l, k]));
  if (base.strata && !strata)
    throw new InputError("the model has strata: give each row's stratum", { option: "strata" });
  return Array.from({ length: eta.length }, (_, i) => {
    let c = 0;
    if (base.strata) {
      const k = index.get((strata as ArrayLike<number | string>)[i]);
      if (k === undefined)
        throw new InputError(
          `stratum '${(strata as ArrayLike<number | string>)[i]}' at row ${i + 1} was not in the training data`,
          { option: "strata", row: i + 1 },
        );
      c = k;
    }
    const { times: tg, cumhaz } = base.curves[c];
    const r = Math.exp(eta[i]);
    return Float64Array.from(times, (t) => {
      // The last event time ≤ t, by binary search.
      let lo = 0;
      let hi = tg.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tg[mid] <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 1 : Math.exp(-cumhaz[lo - 1] * r);
    });
  });
}

/**
 * The Kaplan–Meier estimate of the rows `rows` (all when omitted): at each distinct event time t,
 * S(t) = Π_{tₖ ≤ t} (1 − dₖ/nₖ), dₖ the weighted deaths at tₖ and nₖ the weight at risk (times
 * ≥ tₖ; with starts, entered before tₖ). Returns the event times and S just after each.
 *
 * @example
 * ```ts
 * const km = kaplanMeier({ time: [5, 8, 8, 12], status: [1, 0, 1, 1] }); // S after each event time
 * km.times; km.surv; // [5, 8, 12] and [0.75, 0.5, 0]
 * ```
 */
export function kaplanMeier(
  surv: Survival,
  weights?: ArrayLike<number>,
  rows?: ArrayLike<number>,
): { times: Float64Array; surv: Float64Array } {
  const { time, status, start } = surv;
  const idx = rows ? Array.from(rows) : Array.from({ length: time.length }, (_, i) => i);
  const w = (i: number) => (weights ? weights[i] : 1);
  const eventTimes = [
    ...new Set(idx.filter((i) => status[i] && w(i) > 0).map((i) => time[i])),
  ].sort((a, b) => a - b);
  const order = idx.slice().sort((a, b) => time[a] - time[b]);
  const byStart = start ? idx.slice().sort((a, b) => start[a] - start[b]) : [];
  const times = new Float64Array(eventTimes.length);
  const S = new Float64Array(eventTimes.length);
  let s = 1;
  let q = 0; // rows with time < t have left the risk set
  let atRisk = idx.reduce((a, i) => a + w(i), 0);
  let entered = 0; // with starts: rows with start < t have entered
  let notYet = start ? atRisk : 0;
  eventTimes.forEach((t, k) => {
    while (q < order.length && time[order[q]] < t) atRisk -= w(order[q++]);
    if (start)
      while (entered < byStart.length && start[byStart[entered]] < t)
        notYet -= w(byStart[entered++]);
    let d = 0;
    for (let u = q; u < order.length && time[order[u]] === t; u++)
      if (status[order[u]]) d += w(order[u]);
    const n = atRisk - notYet;
    s *= 1 - d / n;
    times[k] = t;
    S[k] = s;
  });
  return { times, surv: S };
}
