import type { Matrix } from "../data/matrix.js";
import { fitFamily } from "../cv/foldJob.js";
import { availableParallelism, jobRunner } from "../cv/runner.js";
import { halfSampleSelection } from "./halfSample.js";
import type { Family } from "../cv/measures.js";
import { InputError } from "../errors.js";
import type { GlmOptions } from "../path/glmPath.js";
import { Random } from "../random.js";

export interface StabilityOptions extends GlmOptions {
  family?: Family;
  /** Number of complementary pairs of half-samples (2B fits). Default 50. */
  pairs?: number;
  /** Selection-probability threshold π, in (0.5, 1]. Default 0.6. */
  threshold?: number;
  /**
   * Average number of features a half-sample selects over the λ range Λ: when given, Λ runs from
   * λ_max down to the smallest grid λ where that average is still ≤ q. Default: the whole grid.
   */
  q?: number;
  seed?: number;
  /**
   * Worker threads for the half-sample fits (default: one per core on large problems, else 0).
   * The result does not depend on it.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Stability selection: selection probabilities along the λ path, their maxima over Λ, the stable set at threshold π and the bound on expected false selections. */
export interface StabilityResult {
  /** The λ grid (the full-data path's). */
  lambda: Float64Array;
  /** probability[k][j]: fraction of half-sample fits selecting feature j at λ_k. */
  probability: Float64Array[];
  /** max over the λ range of each feature's selection probability. */
  maxProbability: Float64Array;
  /** Features with maxProbability ≥ threshold, in decreasing probability. */
  stable: Int32Array;
  threshold: number;
  /** Index of the last λ in the range Λ. */
  lastIndex: number;
  /** Average number of features a half-sample selects anywhere in Λ (q_Λ). */
  qHat: number;
  /** Bound on the expected number of falsely selected features, q²/((2π − 1)p). */
  falseSelectionBound: number;
}

/**
 * Stability selection (Meinshausen & Bühlmann 2010) with complementary pairs (Shah & Samworth
 * 2013): for B random splits of the rows into two disjoint halves, fit the path on each half at
 * the full-data λ grid and record which coefficients are non-zero. A feature's selection
 * probability at λ is the fraction of the 2B fits selecting it; the stable set holds the features
 * whose largest probability over the λ range Λ reaches π. With q_Λ the average number of features
 * a half-sample selects anywhere in Λ, the expected number of false selections is at most
 * q_Λ² / ((2π − 1)p) (Meinshausen & Bühlmann's Theorem 1; Shah & Samworth show it holds for
 * complementary pairs without their exchangeability condition on the noise features' selection).
 * Seeded: the same seed gives the same splits and result, on any number of worker threads.
 *
 * @example
 * ```ts
 * const s = await stabilitySelection(x, y, { pairs: 50, threshold: 0.6, q: 3, seed: 1 });
 * s.stable; // feature indices selected with probability ≥ π over Λ
 * s.falseSelectionBound; // E[false selections] ≤ q²/((2π − 1)p)
 * const d = fromTable(records, { target: "y" }); // from a JavaScript table: d.features names s.stable
 * await stabilitySelection(d.x, d.y, { pairs: 50, threshold: 0.6, q: 3, seed: 1 });
 * ```
 */
export async function stabilitySelection(
  x: Matrix,
  y: ArrayLike<number>,
  options: StabilityOptions = {},
): Promise<StabilityResult> {
  const {
    family = "gaussian",
    pairs = 50,
    threshold = 0.6,
    q,
    seed = 1,
    workers,
    onProgress,
    ...fitOptions
  } = options;
  if (!(Number.isInteger(pairs) && pairs >= 1))
    throw new InputError(`option 'pairs': must be a positive integer, got ${pairs}`, {
      option: "pairs",
    });
  if (!(threshold > 0.5 && threshold <= 1))
    throw new InputError(`option 'threshold': must be in (0.5, 1], got ${threshold}`, {
      option: "threshold",
    });
  if (q !== undefined && !(q > 0))
    throw new InputError(`option 'q': must be > 0, got ${q}`, { option: "q" });
  const n = x.nRows;
  const p = x.nCols;
  if (n < 4) throw new InputError(`stability selection needs at least 4 rows, got ${n}`);
  const full = fitFamily(family, x, y, fitOptions);
  const lambda = full.lambda;
  const L = lambda.length;
  const counts = Array.from({ length: L }, () => new Float64Array(p));
  // Per fit, the union of selected features down to each λ (for q_Λ).
  const unionSize = new Float64Array(L);
  // The complementary pairs, drawn up front from the seed (so workers cannot change them).
  const rng = new Random(seed);
  const half = Math.floor(n / 2);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const halves: Int32Array[] = [];
  for (let b = 0; b < pairs; b++) {
    for (let t = n - 1; t > 0; t--) {
      const u = Math.floor(rng.uniform() * (t + 1));
      const tmp = order[t];
      order[t] = order[u];
      order[u] = tmp;
    }
    halves.push(order.slice(0, half).sort(), order.slice(half, 2 * half).sort());
  }
  const total = 2 * pairs;
  const results = new Array<Int32Array[]>(total);
  let done = 0;
  const nWorkers = workers ?? (n * p * total >= 2e6 ? Math.min(total, availableParallelism()) : 0);
  const runJobs = jobRunner();
  if (nWorkers <= 1 || !runJobs) {
    for (let t = 0; t < total; t++) {
      results[t] = halfSampleSelection(family, x, y, fitOptions, lambda, halves[t]);
      onProgress?.(++done, total);
    }
  } else {
    await runJobs(
      nWorkers,
      {
        kind: "stability",
        family,
        x,
        y: Float64Array.from(y),
        options: fitOptions,
        lambda,
        halves,
      },
      total,
      (job, r) => {
        results[job - 1] = r.selected;
        onProgress?.(++done, total);
      },
    );
  }
  for (const selected of results) {
    const seen = new Uint8Array(p);
    let union = 0;
    for (let k = 0; k < L; k++) {
      for (const j of selected[k]) {
        counts[k][j]++;
        if (!seen[j]) {
          seen[j] = 1;
          union++;
        }
      }
      unionSize[k] += union;
    }
  }
  const probability = counts.map((c) => c.map((v) => v / total));
  let lastIndex = L - 1;
  if (q !== undefined) {
    lastIndex = -1;
    for (let k = 0; k < L && unionSize[k] / total <= q; k++) lastIndex = k;
    if (lastIndex < 0) lastIndex = 0;
  }
  const maxProbability = new Float64Array(p);
  for (let k = 0; k <= lastIndex; k++)
    for (let j = 0; j < p; j++) maxProbability[j] = Math.max(maxProbability[j], probability[k][j]);
  const stable = Int32Array.from(
    [...maxProbability.keys()]
      .filter((j) => maxProbability[j] >= threshold)
      .sort((a, b) => maxProbability[b] - maxProbability[a] || a - b),
  );
  const qHat = unionSize[lastIndex] / total;
  return {
    lambda,
    probability,
    maxProbability,
    stable,
    threshold,
    lastIndex,
    qHat,
    falseSelectionBound: (qHat * qHat) / ((2 * threshold - 1) * p),
  };
}
