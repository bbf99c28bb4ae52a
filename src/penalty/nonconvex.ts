import type { CoordinatePenalty } from "../core/penalty.js";
import { at } from "./elasticNet.js";

/**
 * The minimax concave penalty (MCP, Zhang 2010) and SCAD (Fan & Li 2001), in the forms Breheny &
 * Huang (2011) use for coordinate descent, for a coefficient b on the standardized scale:
 *
 *   MCP:  p(t) = λt − t²/(2γ)            for t ≤ γλ,   γλ²/2 beyond        (γ > 1)
 *   SCAD: p(t) = λt                       for t ≤ λ,
 *              (2γλt − t² − λ²)/(2(γ−1))  for λ < t ≤ γλ,   λ²(γ+1)/2 beyond  (γ > 2)
 *
 * (t = |b|). Both start like the lasso (p'(0+) = λ, so zeros have the same dead zone |g| ≤ λ) and
 * flatten to a constant, so large coefficients are not shrunk — the lasso's bias removed.
 */
export type Nonconvex = "mcp" | "scad";

/** ncvreg's default concavity: γ = 3 for MCP, 3.7 for SCAD. */
export function defaultGamma(kind: Nonconvex): number {
  return kind === "mcp" ? 3 : 3.7;
}

/**
 * The MCP or SCAD penalty value at b for λ and concavity γ (Breheny & Huang 2011).
 *
 * @example
 * ```ts
 * nonconvexValue("mcp", 1, 0.5, 3); // MCP(1) with λ = 0.5, γ = 3
 * ```
 */
export function nonconvexValue(kind: Nonconvex, b: number, lambda: number, gamma: number): number {
  const t = Math.abs(b);
  if (kind === "mcp")
    return t <= gamma * lambda ? lambda * t - (t * t) / (2 * gamma) : (gamma * lambda * lambda) / 2;
  if (t <= lambda) return lambda * t;
  if (t <= gamma * lambda)
    return (2 * gamma * lambda * t - t * t - lambda * lambda) / (2 * (gamma - 1));
  return (lambda * lambda * (gamma + 1)) / 2;
}

/** p'(t) for t > 0.
 *
 * @example
 * ```ts
 * nonconvexDerivative("scad", 0.1, 0.5, 3.7); // the penalty's slope at |b| = 0.1 (= λ below λ)
 * ```
 */
export function nonconvexDerivative(
  kind: Nonconvex,
  t: number,
  lambda: number,
  gamma: number,
): number {
  if (kind === "mcp") return t <= gamma * lambda ? lambda - t / gamma : 0;
  if (t <= lambda) return lambda;
  if (t <= gamma * lambda) return (gamma * lambda - t) / (gamma - 1);
  return 0;
}

/**
 * The piece of the penalty that t = |b| lies on: 0 the first (below γλ for MCP, below λ for SCAD),
 * 1 SCAD's middle (λ < t ≤ γλ), 2 the flat part. On each, p'(t) = nonconvexLevel − nonconvexSlope·t.
 *
 * @example
 * ```ts
 * nonconvexRegion("scad", 0.8, 0.5, 3.7); // 1: SCAD's middle piece
 * ```
 */
export function nonconvexRegion(kind: Nonconvex, t: number, lambda: number, gamma: number): number {
  if (kind === "mcp") return t <= gamma * lambda ? 0 : 2;
  return t <= lambda ? 0 : t <= gamma * lambda ? 1 : 2;
}

/** The constant a of p'(t) = a − c·t on a piece (`nonconvexRegion`). */
export function nonconvexLevel(
  kind: Nonconvex,
  region: number,
  lambda: number,
  gamma: number,
): number {
  if (region === 2) return 0;
  return kind === "mcp" || region === 0 ? lambda : (gamma * lambda) / (gamma - 1);
}

/** The slope c of p'(t) = a − c·t on a piece (`nonconvexRegion`). */
export function nonconvexSlope(kind: Nonconvex, region: number, gamma: number): number {
  if (region === 2) return 0;
  if (kind === "mcp") return 1 / gamma;
  return region === 0 ? 0 : 1 / (gamma - 1);
}

function soft(z: number, k: number): number {
  return z > k ? z - k : z < -k ? z + k : 0;
}

/**
 * The coordinate update argmin_b (v/2)b² − u·b + p(|b|) for curvature v > 1/γ (MCP) or
 * v > 1/(γ − 1) (SCAD) — the firm and SCAD thresholding rules (Breheny & Huang 2011, eqs. 2.3 and
 * 2.4, written for a general v so that unstandardized columns work too).
 *
 * @example
 * ```ts
 * nonconvexUpdate("mcp", 2, 1, 0.5, 3); // the coordinate minimizer for ½b² − 2b + MCP(b)
 * ```
 */
export function nonconvexUpdate(
  kind: Nonconvex,
  u: number,
  v: number,
  lambda: number,
  gamma: number,
): number {
  const a = Math.abs(u);
  if (kind === "mcp") {
    if (a <= gamma * lambda * v) return soft(u, lambda) / (v - 1 / gamma);
    return u / v;
  }
  if (a <= lambda * (v + 1)) return soft(u, lambda) / v;
  if (a <= gamma * lambda * v)
    return soft(u, (gamma * lambda) / (gamma - 1)) / (v - 1 / (gamma - 1));
  return u / v;
}

/**
 * The global minimizer of the one-dimensional problem (h/2)b² − u·b + p(|b|) for any curvature
 * h > 0 (also below 1/γ, where the problem is not convex and the firm / SCAD rules of
 * `nonconvexUpdate` do not apply — the case of IRLS weights in a GLM): the candidates are each
 * piece's stationary point clipped to the piece, and the pieces' ends; the smallest objective wins
 * (the smaller |b| on a tie).
 *
 * @example
 * ```ts
 * nonconvexCoordinateMin("mcp", 2, 0.1, 0.5, 3); // a curvature below 1/γ: still the global minimizer
 * ```
 */
export function nonconvexCoordinateMin(
  kind: Nonconvex,
  u: number,
  h: number,
  lambda: number,
  gamma: number,
): number {
  // The pieces' ends: MCP [0, γλ], [γλ, ∞); SCAD [0, λ], [λ, γλ], [γλ, ∞). No closures or arrays:
  // the sparse GLM solver calls this once per coordinate update.
  const a = Math.abs(u);
  const mcp = kind === "mcp";
  const pieces = mcp ? 2 : 3;
  let best = 0;
  let fBest = 0;
  for (let k = 0; k < pieces; k++) {
    const lo = k === 0 ? 0 : mcp || k === 2 ? gamma * lambda : lambda;
    const hi = k === pieces - 1 ? Infinity : mcp || k === 1 ? gamma * lambda : lambda;
    const finite = hi !== Infinity;
    // On (lo, hi) the objective is a quadratic: its curvature and slope at 0 from p's piece.
    const mid = finite ? (lo + hi) / 2 : lo + 1;
    const d = nonconvexDerivative(kind, mid, lambda, gamma);
    const curv =
      h -
      (mcp
        ? mid <= gamma * lambda
          ? 1 / gamma
          : 0
        : mid > lambda && mid <= gamma * lambda
          ? 1 / (gamma - 1)
          : 0);
    // The candidates in turn (the first of equal objectives kept: the smaller |b|).
    for (let c = 0; c < 3; c++) {
      let t: number;
      if (c === 0) t = lo;
      else if (c === 1) {
        if (!finite) continue;
        t = hi;
      } else {
        if (!(curv > 0)) continue;
        // Stationary point: h·t − a + p'(t) = 0, with p'(t) = d + (curv − h)(t − mid) on the piece.
        t = Math.min(Math.max((a - d + (curv - h) * mid) / curv, lo), hi);
      }
      if (!Number.isFinite(t)) continue;
      const f = 0.5 * h * t * t - a * t + nonconvexValue(kind, t, lambda, gamma);
      if (f < fBest) {
        fBest = f;
        best = t;
      }
    }
  }
  return u > 0 ? best : -best;
}

/**
 * MCP or SCAD as an object for the model core: pen_j(b) = p(|b|; λ·pfⱼ, γ) (ncvreg's penalty
 * factors scale λ), with `pf[j] = 0` unpenalized.
 *
 * @example
 * ```ts
 * const pen = nonconvexPenalty("scad", 3.7, Float64Array.of(1, 1));
 * pen.update(3, 1, 0, 0.5); // 3: beyond γλ SCAD does not shrink
 * ```
 */
export function nonconvexPenalty(
  kind: Nonconvex,
  gamma: number,
  pf: Float64Array,
): CoordinatePenalty {
  return {
    kind: "coordinate",
    concavity: kind === "mcp" ? 1 / gamma : 1 / (gamma - 1),
    penalized: (j) => pf[j] > 0,
    value: (b, j, lam) => (pf[j] > 0 ? nonconvexValue(kind, b, lam * pf[j], gamma) : 0),
    update: (u, h, j, lam) =>
      pf[j] > 0 ? nonconvexCoordinateMin(kind, u, h, lam * pf[j], gamma) : u / h,
    subdiffDistance: (b, g, j, lam) => {
      const l = at(lam, pf[j]);
      if (b === 0) return Math.max(Math.abs(g) - l, 0);
      const slope = l > 0 ? nonconvexDerivative(kind, Math.abs(b), l, gamma) : 0;
      return Math.abs(g - (b > 0 ? slope : -slope));
    },
    zeroLambda: (g, j) => (pf[j] > 0 ? Math.abs(g) / pf[j] : g !== 0 ? Infinity : 0),
    local: (b, j, lam) => {
      const l = at(lam, pf[j]);
      const t = Math.abs(b);
      const s = Math.sign(b);
      if (l === 0 || t >= gamma * l) return { slope: 0, curv: 0, from: gamma * l, to: Infinity };
      if (kind === "mcp")
        return { slope: s * (l - t / gamma), curv: -1 / gamma, from: 0, to: gamma * l };
      if (t <= l) return { slope: s * l, curv: 0, from: 0, to: l };
      return {
        slope: (s * (gamma * l - t)) / (gamma - 1),
        curv: -1 / (gamma - 1),
        from: l,
        to: gamma * l,
      };
    },
  };
}
