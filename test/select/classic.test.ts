import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  denseMatrix,
  elasticNetPath,
  Random,
  stabilitySelection,
  subsetRows,
} from "../../src/index.js";

/**
 * The seeds' classic case: 10 informative features (β from ±2 down to ±0.8), 20 features each
 * correlated r = 0.8 with one informative feature (two per informative feature), 70 noise
 * features; n = 200, noise sd 2.
 */
function classic(n: number, seed: number) {
  const rng = new Random(seed);
  const p = 100;
  const x = new Float64Array(n * p);
  for (let j = 0; j < 10; j++) for (let i = 0; i < n; i++) x[j * n + i] = rng.normal();
  for (let j = 10; j < 30; j++) {
    const src = (j - 10) >> 1;
    for (let i = 0; i < n; i++) x[j * n + i] = 0.8 * x[src * n + i] + 0.6 * rng.normal();
  }
  for (let j = 30; j < p; j++) for (let i = 0; i < n; i++) x[j * n + i] = rng.normal();
  const beta = [2, -2, 1.5, -1.5, 1, -1, 1, -1, 0.8, -0.8];
  const y = Float64Array.from({ length: n }, (_, i) => {
    let s = 2 * rng.normal();
    for (let j = 0; j < 10; j++) s += beta[j] * x[j * n + i];
    return s;
  });
  return { x: denseMatrix(n, p, x), y, p };
}

const { x, y } = classic(200, 11);
const isNoise = (j: number) => j >= 30;
const group = (j: number) => [j, 10 + 2 * j, 11 + 2 * j];

/** Selected sets over 20 half-size bootstrap resamples, at the first λ with ≥ 14 non-zeros. */
function resampledSets(alpha: number): Set<number>[] {
  const rng = new Random(5);
  const sets: Set<number>[] = [];
  for (let b = 0; b < 20; b++) {
    const rows = Int32Array.from({ length: 100 }, () => Math.floor(rng.uniform() * 200)).sort();
    const f = elasticNetPath(
      subsetRows(x, rows),
      Float64Array.from(rows, (i) => y[i]),
      { alpha },
    );
    const k = f.df.findIndex((d) => d >= 14);
    sets.push(new Set(f.beta[k].index));
  }
  return sets;
}
function meanJaccard(sets: Set<number>[]): number {
  let s = 0;
  let c = 0;
  for (let a = 0; a < sets.length; a++)
    for (let b = a + 1; b < sets.length; b++) {
      const inter = [...sets[a]].filter((v) => sets[b].has(v)).length;
      s += inter / (sets[a].size + sets[b].size - inter);
      c++;
    }
  return s / c;
}
/** Of the informative groups touched by a fit, the fraction selected whole (feature + copies). */
function wholeGroups(sets: Set<number>[]): number {
  let touched = 0;
  let whole = 0;
  for (const S of sets)
    for (let j = 0; j < 10; j++) {
      const inG = group(j).filter((k) => S.has(k)).length;
      if (inG > 0) touched++;
      if (inG === 3) whole++;
    }
  return whole / touched;
}

describe("the classic correlated design (10 informative, 20 correlated r = 0.8, 70 noise)", () => {
  const lasso = resampledSets(1);
  const enet = resampledSets(0.3);

  it("the lasso keeps mostly signal but picks arbitrarily within correlated groups", (t) => {
    const selections = lasso.reduce((u, S) => u + S.size, 0);
    const signal = lasso.reduce((u, S) => u + [...S].filter((j) => !isNoise(j)).length, 0);
    const jac = meanJaccard(lasso);
    const whole = wholeGroups(lasso);
    t.diagnostic(
      `signal share ${(signal / selections).toFixed(2)}, Jaccard ${jac.toFixed(3)}, whole groups ${whole.toFixed(3)}`,
    );
    assert.ok(signal / selections > 0.75);
    // Unstable: two resamples share well under half of their selected features …
    assert.ok(jac < 0.45, `Jaccard ${jac}`);
    // … and one member stands in for its group: whole groups are rare.
    assert.ok(whole < 0.1, `whole groups ${whole}`);
  });

  it("elastic net (α = 0.3) keeps correlated groups together and is more stable", (t) => {
    const whole = wholeGroups(enet);
    const jac = meanJaccard(enet);
    t.diagnostic(
      `Jaccard ${jac.toFixed(3)} (lasso ${meanJaccard(lasso).toFixed(3)}), whole groups ${whole.toFixed(3)} (lasso ${wholeGroups(lasso).toFixed(3)})`,
    );
    assert.ok(whole > 5 * wholeGroups(lasso), `whole groups ${whole}`);
    assert.ok(jac > meanJaccard(lasso));
  });

  it("stability selection recovers the informative set, within its false-selection bound", async (t) => {
    const s = await stabilitySelection(x, y, { pairs: 50, threshold: 0.6, q: 20, seed: 3 });
    const stable = Array.from(s.stable);
    const falses = stable.filter(isNoise).length;
    t.diagnostic(
      `stable set ${stable.join(",")}; q̂ ${s.qHat.toFixed(1)}, E[false] ≤ ${s.falseSelectionBound.toFixed(1)}`,
    );
    for (let j = 0; j < 10; j++) assert.ok(stable.includes(j), `informative feature ${j} missing`);
    assert.equal(falses, 0);
    assert.ok(falses <= s.falseSelectionBound);
    assert.ok(Math.abs(s.falseSelectionBound - (s.qHat * s.qHat) / (0.2 * 100)) < 1e-12);
    // Stricter: π = 0.9 and q = 10 keep only informative features, with a bound near 1.
    const strict = await stabilitySelection(x, y, { pairs: 50, threshold: 0.9, q: 10, seed: 3 });
    assert.ok(Array.from(strict.stable).every((j) => j < 10));
    assert.ok(strict.falseSelectionBound < 1.5);
  });

  it("stability selection is reproducible from its seed on any number of threads, with progress", async () => {
    const a = await stabilitySelection(x, y, { pairs: 5, seed: 9, workers: 0 });
    const seen: number[] = [];
    const b = await stabilitySelection(x, y, {
      pairs: 5,
      seed: 9,
      workers: 2,
      onProgress: (done, total) => seen.push(done / total),
    });
    assert.deepEqual(Array.from(a.maxProbability), Array.from(b.maxProbability));
    assert.deepEqual(
      a.probability.map((r) => Array.from(r)),
      b.probability.map((r) => Array.from(r)),
    );
    assert.equal(seen.length, 10);
    assert.equal(seen[9], 1);
    for (const row of a.probability)
      for (const v of row) assert.ok(Math.abs(v * 10 - Math.round(v * 10)) < 1e-9);
    // Selection grows along the path (a half-sample's own λ_max can exceed the full data's).
    const mean = (r: Float64Array) => r.reduce((u, v) => u + v, 0) / r.length;
    assert.ok(mean(a.probability[0]) < mean(a.probability[a.probability.length - 1]));
  });
});
