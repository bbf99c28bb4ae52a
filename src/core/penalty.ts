/**
 * What the solvers ask of a penalty (skglm's penalty, STYLE.md §1), on the standardized scale,
 * for the coefficient matrix B ((p features) × K linear predictors, entry (j, c) at j·K + c).
 * λ is passed explicitly: a penalty object holds only its shape (mixing, factors, limits, γ,
 * groups), never the current λ.
 *
 * Two kinds: a **coordinate** penalty is a sum over entries Σ pen_j(B_jc) (elastic net with box
 * limits, MCP, SCAD); coordinate descent needs its one-dimensional minimizer. A **group** penalty
 * is a sum over blocks of features (each block taking all K columns of its features): the group
 * lasso, the sparse group lasso, glmnet's grouped multinomial; block descent needs its block
 * minimizer.
 */
export interface CoordinatePenalty {
  readonly kind: "coordinate";
  /** Whether feature j is penalized at all. */
  penalized(j: number): boolean;
  /** pen_j(b) at λ. */
  value(b: number, j: number, lambda: number): number;
  /** argmin_b (h/2)b² − u·b + pen_j(b) at λ (h > 0): the coordinate update. */
  update(u: number, h: number, j: number, lambda: number): number;
  /**
   * Distance of g (the negative gradient of the datafit at b) to ∂pen_j(b) (for the nonconvex
   * penalties, to the set the first-order conditions allow): the KKT violation of the entry.
   */
  subdiffDistance(b: number, g: number, j: number, lambda: number): number;
  /** The smallest λ at which b = 0 is optimal for a negative gradient g (λ_max, strong rules). */
  zeroLambda(g: number, j: number): number;
  /**
   * At b ≠ 0, the penalty's local quadratic pen_j(b + d) ≈ pen_j(b) + slope·d + ½curv·d² (exact
   * while d keeps b's sign and region), or null where it has none (b at a box limit). `from` and
   * `to` bound the region in |b| (absent: 0 and ∞).
   */
  local(
    b: number,
    j: number,
    lambda: number,
  ): { slope: number; curv: number; from?: number; to?: number } | null;
  /**
   * The elastic net's own parameters of entry j at λ — pen_j(b) = κ|b| + (μ/2)b² on [lo, hi] —
   * for solvers built on that form (the compact active-set solve); absent for other penalties.
   */
  enet?(j: number, lambda: number): { kappa: number; mu: number; lo: number; hi: number };
  /**
   * How far from convex the penalty is: ρ with pen_j(b) + (ρ/2)b² convex for every j (MCP 1/γ,
   * SCAD 1/(γ − 1)); absent for convex penalties. A coordinate problem with curvature above ρ
   * has a unique minimizer, continuous in the data.
   */
  readonly concavity?: number;
}

export interface GroupPenalty {
  readonly kind: "group";
  /** The blocks: feature indices of each group. */
  readonly groups: Int32Array[];
  /** Whether group g is penalized at all. */
  penalized(g: number): boolean;
  /** The penalty of group g at λ for its coefficients b (its features × K, in block order). */
  value(b: Float64Array, g: number, lambda: number): number;
  /**
   * argmin_b ½bᵀHb − uᵀb + pen_g(b) at λ, written into `out` (H the block's m × m model Hessian,
   * row-major; `values`/`vectors` its eigen-decomposition).
   */
  update(
    h: Float64Array,
    values: Float64Array,
    vectors: Float64Array,
    u: Float64Array,
    g: number,
    lambda: number,
    out: Float64Array,
  ): void;
  /** Distance of the negative gradient g to ∂pen_g(b) (the block's KKT violation). */
  subdiffDistance(b: Float64Array, g: Float64Array, group: number, lambda: number): number;
  /** The smallest λ at which b = 0 is optimal for the block's negative gradient g. */
  zeroLambda(g: Float64Array, group: number): number;
}

export type Penalty = CoordinatePenalty | GroupPenalty;
