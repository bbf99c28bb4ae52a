import { CoxDatafit } from "../datafit/cox.js";
import type { Survival } from "../datafit/survivalData.js";

/**
 * Harrell's concordance of risk scores with survival, as glmnet's `Cindex` (survival::concordance
 * of the negated score, Harrell's C): over the pairs (i, j) where i has an event at tᵢ and j is
 * known to outlive it (tⱼ > tᵢ, or j censored at tᵢ; with start times, j also entered before tᵢ),
 * weighted wᵢwⱼ, the share where i has the higher score, ties in the score counted half. Strata
 * are not used (as cv.glmnet). NaN when no pair is comparable. O(m²) in the rows given.
 */
export function concordance(
  score: ArrayLike<number>,
  surv: Survival,
  w: ArrayLike<number>,
  rows: ArrayLike<number>,
): number {
  const { time, status, start } = surv;
  const order = Array.from(rows).sort((a, b) => time[a] - time[b]);
  const m = order.length;
  let agree = 0;
  let total = 0;
  for (let q = 0; q < m; q++) {
    const i = order[q];
    if (!status[i] || !(w[i] > 0)) continue;
    const ti = time[i];
    let a = 0;
    let tot = 0;
    // Rows after q in time order (and those tied at tᵢ but censored).
    for (let u = q - 1; u >= 0 && time[order[u]] === ti; u--) {
      const j = order[u];
      if (status[j] || (start && !(start[j] < ti))) continue;
      tot += w[j];
      a += w[j] * (score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0);
    }
    for (let u = q + 1; u < m; u++) {
      const j = order[u];
      if (time[j] === ti && status[j]) continue;
      if (start && !(start[j] < ti)) continue;
      tot += w[j];
      a += w[j] * (score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0);
    }
    agree += w[i] * a;
    total += w[i] * tot;
  }
  return total > 0 ? agree / total : NaN;
}

/**
 * glmnet's Cox deviance (coxnet.deviance) of the rows `rows` at each linear predictor of `etas`
 * (n values each, offsets included): 2(ℓ_sat − ℓ) with the rows' weights scaled to sum to their
 * number, i.e. m × our deviance with weights normalized to sum 1.
 */
export function coxDeviances(
  surv: Survival,
  w: ArrayLike<number>,
  rows: ArrayLike<number> | null,
  etas: Float64Array[],
): Float64Array {
  const idx = rows ? Array.from(rows) : Array.from({ length: surv.time.length }, (_, i) => i);
  const m = idx.length;
  const pick = <T>(v: ArrayLike<T> | undefined) => (v ? idx.map((i) => v[i]) : undefined);
  let W = 0;
  for (const i of idx) W += w[i];
  const df = new CoxDatafit(
    {
      time: pick(surv.time) as number[],
      status: pick(surv.status) as number[],
      start: pick(surv.start),
      strata: pick(surv.strata),
      ties: surv.ties,
    },
    Float64Array.from(idx, (i) => w[i] / W),
    new Float64Array(m),
  );
  const eta = new Float64Array(m);
  return Float64Array.from(etas, (e) => {
    for (let t = 0; t < m; t++) eta[t] = e[idx[t]];
    return m * df.deviance(df.evaluate(eta));
  });
}
