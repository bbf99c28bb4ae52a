/**
 * A generalized-linear-model datafit for the path solvers: the loss of one observation as a
 * function of its linear predictor η, and what iteratively reweighted least squares needs of it
 * (McCullagh & Nelder 1989; Friedman, Hastie & Tibshirani 2010, §3). The objective of a path point
 * is glmnet's,
 *
 *     Σᵢ ŵᵢ ℓ(yᵢ, ηᵢ)  +  λ Σⱼ pfⱼ ( α|sⱼβⱼ| + (1−α)/2 (sⱼβⱼ)² ),    ηᵢ = β₀ + xᵢᵀβ + offsetᵢ,
 *
 * with ŵ the observation weights normalized to sum to 1 and ℓ the negative log-likelihood
 * (constants in y dropped).
 */
export interface GlmFamily {
  readonly name: "binomial" | "poisson";
  /** ℓ(y, η). */
  loss(y: number, eta: number): number;
  /** The mean μ = h(η) (inverse link). */
  mean(eta: number): number;
  /**
   * ∂²ℓ/∂η² at μ: the IRLS weight per unit observation weight. Both links here are canonical, so
   * −∂ℓ/∂η = y − μ.
   */
  variance(mu: number): number;
  /** Unit deviance 2(ℓ(y, η) − ℓ_saturated(y)) at μ. */
  deviance(y: number, mu: number): number;
  /**
   * All of an evaluation in one pass (one exponential per observation): writes μᵢ and the
   * weighted residual resᵢ = wᵢ(yᵢ − μᵢ), returns Σᵢ wᵢ ℓ(yᵢ, ηᵢ).
   */
  evaluate(
    y: Float64Array,
    w: Float64Array,
    eta: Float64Array,
    mu: Float64Array,
    res: Float64Array,
  ): number;
  /** Link g(μ) = η, for the intercept-only start. */
  link(mu: number): number;
  /** A clear error for a response the family cannot take (before any work), or null. */
  checkResponse(y: ArrayLike<number>): string | null;
}
