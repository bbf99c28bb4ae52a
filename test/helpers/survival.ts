/** Survival data as the brute-force checks take them (unnormalized weights allowed). */
export interface SurvivalRows {
  time: ArrayLike<number>;
  status: ArrayLike<number>;
  start?: ArrayLike<number>;
  strata?: ArrayLike<number | string>;
  ties?: "breslow" | "efron";
}

/**
 * The negative log partial likelihood by brute force, independently of the library: every
 * distinct event time's risk set (same stratum, start < t ≤ stop) scanned afresh; the weights
 * normalized to sum 1; Breslow's or Efron's ties (as survival::coxph).
 */
export function bruteLoss(s: SurvivalRows, w: ArrayLike<number>, eta: ArrayLike<number>): number {
  const n = eta.length;
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  let f = 0;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!s.status[i]) continue;
    f -= (w[i] / W) * eta[i];
    const key = `${s.strata?.[i]}|${s.time[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let S = 0;
    let E = 0;
    let d = 0;
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (s.strata && s.strata[j] !== s.strata[i]) continue;
      if (!(s.time[j] >= s.time[i] && (!s.start || s.start[j] < s.time[i]))) continue;
      const e = (w[j] / W) * Math.exp(eta[j]);
      S += e;
      if (s.status[j] && s.time[j] === s.time[i] && w[j] > 0) {
        E += e;
        d += w[j] / W;
        m++;
      }
    }
    if (s.ties === "efron") for (let l = 0; l < m; l++) f += (d / m) * Math.log(S - (l / m) * E);
    else f += d * Math.log(S);
  }
  return f;
}

/**
 * glmnet's Cox objective by brute force: bruteLoss at η = Xβ (X column-major n × p) plus
 * λΣⱼ sⱼ(α|βⱼ| + (1−α)/2·sⱼβⱼ²), sⱼ the weighted population standard deviation (1 unstandardized).
 */
export function coxObjective(
  s: SurvivalRows,
  w: ArrayLike<number>,
  x: ArrayLike<number>,
  p: number,
  beta: ArrayLike<number>,
  lambda: number,
  alpha = 1,
  standardize = true,
): number {
  const n = s.time.length;
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  const eta = new Float64Array(n);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) eta[i] += x[j * n + i] * beta[j];
  let f = bruteLoss(s, w, eta);
  for (let j = 0; j < p; j++) {
    let sd = 1;
    if (standardize) {
      let m = 0;
      for (let i = 0; i < n; i++) m += (w[i] / W) * x[j * n + i];
      let v = 0;
      for (let i = 0; i < n; i++) v += (w[i] / W) * (x[j * n + i] - m) ** 2;
      sd = Math.sqrt(v);
    }
    const b = sd * beta[j];
    f += lambda * (alpha * Math.abs(b) + ((1 - alpha) / 2) * b * b);
  }
  return f;
}
