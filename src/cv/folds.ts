import { InputError } from "../errors.js";
import type { Random } from "../random.js";

/**
 * Random fold ids 1..k (as glmnet's `sample(rep(seq(k), length = n))`): k-fold labels dealt in
 * turn, then shuffled with the seeded generator. With `strata` (class labels) the labels are dealt
 * within each class separately, so every fold holds each class in about its overall proportion.
 *
 * @example
 * ```ts
 * const folds = randomFolds(100, 10, new Random(1)); // fold ids 1..10, as cv.glmnet
 * ```
 */
export function randomFolds(
  n: number,
  k: number,
  rng: Random,
  strata?: ArrayLike<number>,
): Int32Array {
  if (!(Number.isInteger(k) && k >= 2 && k <= n))
    throw new InputError(`option 'nFolds': must be an integer in [2, ${n}], got ${k}`, {
      option: "nFolds",
    });
  const ids = new Int32Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = strata ? strata[i] : 0;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = groups.get(key)!;
    // Fisher–Yates shuffle of the group's rows, then deal fold labels in turn.
    for (let t = rows.length - 1; t > 0; t--) {
      const u = Math.floor(rng.uniform() * (t + 1));
      [rows[t], rows[u]] = [rows[u], rows[t]];
    }
    for (const i of rows) ids[i] = (next++ % k) + 1;
  }
  return ids;
}

/** Validates user fold ids (1-based integers, every fold 1..max non-empty); returns them. */
export function checkFolds(foldId: ArrayLike<number>, n: number): Int32Array {
  if (foldId.length !== n)
    throw new InputError(`option 'foldId': needs ${n} values (one per row), got ${foldId.length}`, {
      option: "foldId",
    });
  let k = 0;
  for (let i = 0; i < n; i++) {
    const f = foldId[i];
    if (!(Number.isInteger(f) && f >= 1))
      throw new InputError(`option 'foldId': value ${f} at row ${i + 1} is not an integer ≥ 1`, {
        option: "foldId",
        row: i + 1,
      });
    if (f > n)
      throw new InputError(
        `option 'foldId': value ${f} at row ${i + 1} is larger than the number of rows (${n})`,
        { option: "foldId", row: i + 1 },
      );
    if (f > k) k = f;
  }
  if (k < 2) throw new InputError("option 'foldId': needs at least 2 folds", { option: "foldId" });
  const count = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) count[foldId[i]]++;
  for (let f = 1; f <= k; f++)
    if (count[f] === 0)
      throw new InputError(`option 'foldId': fold ${f} of 1..${k} has no rows`, {
        option: "foldId",
      });
  return Int32Array.from(foldId);
}
