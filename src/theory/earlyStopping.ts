import type { Matrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";

/** Gradient descent after T steps against the nearest ridge solution: T, the effective λ and λ_eff·ηT. */
export interface EarlyStoppingPoint {
  /** Gradient-descent steps taken. */
  steps: number;
  /** 1/(ηT): the ridge λ that early stopping is said to mimic. */
  heuristicLambda: number;
  /** The ridge λ whose solution is nearest the iterate (golden section on log λ). */
  effectiveLambda: number;
  /** ‖β_GD(T) − β_ridge(λ_eff)‖ / ‖β_GD(T)‖. */
  relativeDistance: number;
  /** ‖β_GD(T)‖₂ and the ridge norm at λ_eff (standardized scale). */
  norm: number;
  /** The iterate (standardized scale). */
  beta: Float64Array;
}

/**
 * Early stopping as implicit L2 regularization: plain gradient descent on the least-squares
 * loss (1/2n)‖ỹ − X̃β‖² (standardized X̃, centered ỹ) from β = 0 with step η (default 1/L, L the
 * largest eigenvalue of X̃ᵀX̃/n), recorded after each T in `checkpoints`, against the ridge path
 * β(λ) = (X̃ᵀX̃/n + λI)⁻¹X̃ᵀỹ/n. In the eigenbasis of X̃ᵀX̃/n = V diag(d) Vᵀ gradient descent
 * applies the filter 1 − (1 − ηdₖ)ᵀ to each component and ridge dₖ/(dₖ + λ); both pass large
 * directions and damp small ones, and for ηdₖ ≪ 1 they match at λ ≈ 1/(ηT). For each T this
 * reports the λ whose ridge solution is nearest the iterate, and how near it is.
 *
 * @example
 * ```ts
 * const { points } = earlyStoppingVsRidge(x, y, [10, 100, 1000]);
 * points.map((q) => q.effectiveLambda / q.heuristicLambda); // ≈ 1 when λ ≈ 1/(ηT)
 * ```
 */
export function earlyStoppingVsRidge(
  x: Matrix,
  y: ArrayLike<number>,
  checkpoints: number[],
  options: { step?: number } = {},
): { step: number; points: EarlyStoppingPoint[] } {
  if (x.kind !== "dense") throw new InputError("earlyStoppingVsRidge: needs a dense design");
  const n = x.nRows;
  const p = x.nCols;
  const sorted = [...checkpoints].sort((a, b) => a - b);
  if (!sorted.every((t) => Number.isInteger(t) && t >= 1))
    throw new InputError("option 'checkpoints': positive integers", { option: "checkpoints" });
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] / n;
  const xs = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x.data[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x.data[j * n + i] - m) ** 2 / n;
    const s = Math.sqrt(v) || 1;
    for (let i = 0; i < n; i++) xs[j * n + i] = (x.data[j * n + i] - m) / s;
  }
  // Gram G = X̃ᵀX̃/n and c = X̃ᵀỹ/n.
  const G = new Float64Array(p * p);
  const c = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[j * n + i] * xs[k * n + i];
      G[j * p + k] = G[k * p + j] = s / n;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[j * n + i] * (y[i] - ybar);
    c[j] = s / n;
  }
  const { values, vectors } = symmetricEigen(G, p);
  const L = Math.max(...values);
  const step = options.step ?? 1 / L;
  if (!(step > 0 && step < 2 / L))
    throw new InputError(`option 'step': must be in (0, 2/L) = (0, ${2 / L}), got ${step}`, {
      option: "step",
    });
  // Ridge solutions in the eigenbasis: β(λ) = V diag(1/(d + λ)) Vᵀc.
  const vc = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += vectors[j * p + k] * c[j];
    vc[k] = s;
  }
  const ridge = (lam: number) => {
    const b = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      const f = vc[k] / (values[k] + lam);
      for (let j = 0; j < p; j++) b[j] += vectors[j * p + k] * f;
    }
    return b;
  };
  const dist = (a: Float64Array, b: Float64Array) =>
    Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0));
  // Gradient descent itself (not its closed form): β ← β − η(Gβ − c).
  const beta = new Float64Array(p);
  const grad = new Float64Array(p);
  const points: EarlyStoppingPoint[] = [];
  let t = 0;
  for (const T of sorted) {
    for (; t < T; t++) {
      for (let j = 0; j < p; j++) {
        let s = -c[j];
        for (let k = 0; k < p; k++) s += G[j * p + k] * beta[k];
        grad[j] = s;
      }
      for (let j = 0; j < p; j++) beta[j] -= step * grad[j];
    }
    // Golden section on log λ for the nearest ridge solution.
    let lo = Math.log(1e-12 * L);
    let hi = Math.log(1e6 * L);
    const at = (u: number) => dist(ridge(Math.exp(u)), beta);
    for (let it = 0; it < 200; it++) {
      const m1 = lo + 0.382 * (hi - lo);
      const m2 = lo + 0.618 * (hi - lo);
      if (at(m1) < at(m2)) hi = m2;
      else lo = m1;
    }
    const lamEff = Math.exp((lo + hi) / 2);
    const norm = Math.sqrt(beta.reduce((s, v) => s + v * v, 0));
    points.push({
      steps: T,
      heuristicLambda: 1 / (step * T),
      effectiveLambda: lamEff,
      relativeDistance: dist(ridge(lamEff), beta) / Math.max(norm, 1e-300),
      norm,
      beta: Float64Array.from(beta),
    });
  }
  return { step, points };
}
