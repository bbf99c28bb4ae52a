// Survival data for the Cox datafit: its type, the checks run before any work, and the orders
// and groupings the datafit builds from it (rows by stratum and time, stratum codes, the risk
// sets' start groups).

/** How tied event times enter the partial likelihood. */
export type CoxTies = "breslow" | "efron";

/**
 * Survival data: the (stop) time and event status of each row; optionally the start of each
 * row's (start, stop] interval (counting-process data), a stratum label per row (a separate
 * baseline hazard per stratum) and the ties rule (default Breslow, glmnet 4.1's).
 */
export interface Survival {
  time: ArrayLike<number>;
  status: ArrayLike<number>;
  start?: ArrayLike<number>;
  strata?: ArrayLike<number | string>;
  ties?: CoxTies;
}

/**
 * The rows in (stratum, time) order, ties by row. Without strata, a counting sort over the
 * distinct times (sorted natively, each row's found by binary search); with strata, a sort.
 */
export function timeOrder(time: ArrayLike<number>, stratum: Int32Array | null): Int32Array {
  const n = time.length;
  const order = new Int32Array(n);
  if (stratum) {
    const a: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) a[i] = i;
    a.sort((x, y) => stratum[x] - stratum[y] || time[x] - time[y] || x - y);
    for (let i = 0; i < n; i++) order[i] = a[i];
    return order;
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = time[i];
  sorted.sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i];
  const at = new Int32Array(u + 1);
  const slot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = time[i];
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    slot[i] = lo;
    at[lo + 1]++;
  }
  for (let g = 0; g < u; g++) at[g + 1] += at[g];
  for (let i = 0; i < n; i++) order[at[slot[i]]++] = i;
  return order;
}

/** Stratum codes 0, 1, … in sorted order of the labels (all 0 without strata). */
export function strataCodes(strata: ArrayLike<number | string> | undefined, n: number): Int32Array {
  const out = new Int32Array(n);
  if (!strata) return out;
  const labels = strataLabels(strata);
  const code = new Map(labels.map((l, k) => [l, k]));
  for (let i = 0; i < n; i++) out[i] = code.get(strata[i]) as number;
  return out;
}

/** The distinct stratum labels in sorted order (numbers numerically, else as strings). */
export function strataLabels(strata: ArrayLike<number | string>): (number | string)[] {
  return [...new Set(Array.from(strata))].sort((a, b) =>
    typeof a === "number" && typeof b === "number"
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
}

/** For each sorted row, the last group of its stratum whose time is ≤ the row's start (−1: none). */
export function startGroups(
  start: ArrayLike<number>,
  order: Int32Array,
  starts: Int32Array,
  gt: Float64Array,
  first: Uint8Array,
): Int32Array {
  const G = gt.length;
  const n = order.length;
  const out = new Int32Array(n);
  let g0 = 0;
  for (let g = 0; g < G; g++) {
    if (first[g]) g0 = g;
    let g1 = g + 1;
    while (g1 < G && !first[g1]) g1++;
    for (let q = starts[g]; q < starts[g + 1]; q++) {
      const s = start[order[q]];
      // Binary search in [g0, g1) for the last group with time ≤ s.
      let lo = g0;
      let hi = g1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (gt[mid] <= s) lo = mid + 1;
        else hi = mid;
      }
      out[q] = lo - 1 >= g0 ? lo - 1 : -1;
    }
  }
  return out;
}

/**
 * Checks survival data before any work: times finite and ≥ 0, status 0 or 1, starts (if any)
 * finite, ≥ 0 and below the stop times, strata labels present, at least one event. Returns the
 * message naming the first bad row (1-based), or null.
 */
export function checkSurvival(surv: Survival): string | null {
  const { time, status, start, strata } = surv;
  const n = time.length;
  if (status.length !== n)
    return `option 'status': needs ${n} values (one per row), got ${status.length}`;
  if (start && start.length !== n)
    return `option 'start': needs ${n} values (one per row), got ${start.length}`;
  if (strata && strata.length !== n)
    return `option 'strata': needs ${n} values (one per row), got ${strata.length}`;
  if (surv.ties !== undefined && surv.ties !== "breslow" && surv.ties !== "efron")
    return `option 'ties': breslow or efron, got '${String(surv.ties)}'`;
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(time[i]) && time[i] >= 0))
      return `survival time ${time[i]} at row ${i + 1} must be a finite number ≥ 0`;
    if (status[i] !== 0 && status[i] !== 1)
      return `status ${status[i]} at row ${i + 1} must be 1 (event) or 0 (censored)`;
    if (start) {
      if (!(Number.isFinite(start[i]) && start[i] >= 0))
        return `start time ${start[i]} at row ${i + 1} must be a finite number ≥ 0`;
      if (!(start[i] < time[i]))
        return `start time ${start[i]} at row ${i + 1} must be below its stop time ${time[i]}`;
    }
    if (strata && (strata[i] === undefined || strata[i] === null || Number.isNaN(strata[i])))
      return `stratum at row ${i + 1} is missing`;
    events += status[i];
  }
  if (events === 0) return "no events (every status is 0): there is nothing to fit";
  if (strata) {
    const count = new Map<number | string, number>();
    for (let i = 0; i < n; i++) count.set(strata[i], (count.get(strata[i]) ?? 0) + 1);
    for (const [label, c] of count)
      if (c === 1) return `stratum '${label}' has a single row: it carries no information`;
  }
  return null;
}
