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
