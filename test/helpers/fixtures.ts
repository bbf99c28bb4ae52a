import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Reads a JSON fixture, turning R's "Inf"/"-Inf" strings into numbers. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(ROOT, "fixtures", name), "utf8"), (_k, v) =>
    v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : v,
  ) as T;
}

/** The diabetes data, parsed independently of the library: column-major X and y. */
export function diabetes(): { x: Float64Array; y: Float64Array; n: number; p: number } {
  return dataset("diabetes");
}

/**
 * An embedded dataset (data/NAME.csv) as d3.csvParse gives it: the header, and one object of
 * strings per row.
 */
export function csvRecords(name: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = readFileSync(join(ROOT, "data", `${name}.csv`), "utf8")
    .trim()
    .split(/\r?\n/);
  const header = lines[0].split(",");
  const rows = lines
    .slice(1)
    .map((l) => Object.fromEntries(l.split(",").map((v, j) => [header[j], v])));
  return { header, rows };
}

/** An embedded dataset (data/NAME.csv), parsed independently of the library. */
export function dataset(name: string): { x: Float64Array; y: Float64Array; n: number; p: number } {
  const rows = readFileSync(join(ROOT, "data", `${name}.csv`), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));
  const n = rows.length;
  const p = rows[0].length - 1;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[j * n + i] = rows[i][j];
  return { x, y: Float64Array.from(rows, (r) => r[p]), n, p };
}

export interface ObjectiveSpec {
  family?: "gaussian" | "binomial" | "poisson";
  offset?: ArrayLike<number>;
  alpha: number;
  weights?: ArrayLike<number>;
  penaltyFactor?: ArrayLike<number>;
  standardize?: boolean;
}

/**
 * The documented objective, written out plainly (no library code):
 * Σ ŵᵢ ℓ(yᵢ, β₀ + xᵢᵀβ + offsetᵢ) + λ Σ pfⱼ (α|sⱼβⱼ| + (1−α)/2 (sⱼβⱼ)²), ℓ the family's negative
 * log-likelihood (Gaussian: ½(y − η)²), ŵ = w/Σw, pf rescaled to sum to p
 * with excluded (infinite) factors counted as 1, sⱼ the ŵ-weighted population sd or 1.
 */
export function objective(
  x: Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  spec: ObjectiveSpec,
  lambda: number,
  a0: number,
  beta: ArrayLike<number>,
): number {
  const w = Array.from({ length: n }, (_, i) => (spec.weights ? spec.weights[i] : 1));
  const W = w.reduce((a, b) => a + b, 0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let eta = a0 + (spec.offset ? spec.offset[i] : 0);
    for (let j = 0; j < p; j++) eta += x[j * n + i] * beta[j];
    // Negative log-likelihoods (constants in y dropped); the Gaussian one is ½(y − η)².
    const l =
      spec.family === "binomial"
        ? Math.log(1 + Math.exp(eta)) - y[i] * eta
        : spec.family === "poisson"
          ? Math.exp(eta) - y[i] * eta
          : 0.5 * (y[i] - eta) ** 2;
    loss += (w[i] / W) * l;
  }
  const pf = Array.from({ length: p }, (_, j) => {
    const f = spec.penaltyFactor ? spec.penaltyFactor[j] : 1;
    return f === Infinity ? 1 : f;
  });
  const pfSum = pf.reduce((a, b) => a + b, 0);
  let pen = 0;
  for (let j = 0; j < p; j++) {
    let s = 1;
    if (spec.standardize !== false) {
      let m = 0;
      for (let i = 0; i < n; i++) m += (w[i] / W) * x[j * n + i];
      let v = 0;
      for (let i = 0; i < n; i++) v += (w[i] / W) * (x[j * n + i] - m) ** 2;
      s = Math.sqrt(v);
    }
    const b = s * beta[j];
    pen += ((pf[j] * p) / pfSum) * (spec.alpha * Math.abs(b) + ((1 - spec.alpha) / 2) * b * b);
  }
  return loss + lambda * pen;
}

/** Expands a sparse coefficient vector to dense. */
export function dense(
  p: number,
  b: { index: ArrayLike<number>; value: ArrayLike<number> },
): Float64Array {
  const out = new Float64Array(p);
  for (let k = 0; k < b.index.length; k++) out[b.index[k]] = b.value[k];
  return out;
}
