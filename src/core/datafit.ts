/**
 * What the proximal-Newton solver asks of a datafit f(η) (skglm's datafit, STYLE.md §1): the loss
 * of the K linear predictors η = [η₁ … η_K] (K = 1 for Gaussian, binomial and Poisson; one per
 * class for the multinomial), averaged with observation weights ŵ that sum to 1, and its
 * quadratic model at the current η,
 *
 *     f(η + z) ≈ f(η) − rᵀz + ½ Σᵢ zᵢᵀ Hᵢ zᵢ,
 *
 * with r = −∂f/∂η (weighted) and Hᵢ the K × K Hessian of observation i. The model's operations
 * take a column x of the design (standardized, n long, at `off` in `xs`; the intercept is a
 * column of ones) and a class c, so that the solver's coordinate loop stays family-agnostic and
 * the per-observation loops stay inside the datafit (one call per coordinate, none per sample).
 * All arrays are class-major: entry (c, i) at c·n + i.
 */
export interface NewtonDatafit {
  /** Number of linear predictors (1, or the number of classes). */
  readonly K: number;
  readonly n: number;
  /** −∂f/∂η at the last `evaluate` (class-major, K·n). */
  readonly r: Float64Array;
  /** The model step z = X̃Δ accumulated by `move` since `resetStep` (K·n). */
  readonly step: Float64Array;
  /** Loss Σᵢ ŵᵢ ℓᵢ(ηᵢ) at η (K·n), and r and the Hessians there, kept for the model. */
  evaluate(eta: Float64Array): number;
  /** Loss at η + t·step, leaving the state alone (the line search). */
  lossAlong(eta: Float64Array, t: number): number;
  /**
   * Optional: an η (K·n) in the datafit's own memory, for the solver to keep its linear
   * predictor in: lossAlong and evaluate then read it without a copy, and `advance` moves it.
   */
  readonly eta?: Float64Array;
  /** With `eta`: η += t·step on the datafit's kernels (the same bits as the loop). */
  advance?(t: number): void;
  /**
   * Moves the state to η + t·step when the last `lossAlong` was at this t (the caller has added
   * t·step to η, the same sums), returning the loss there without evaluating anew; null when it
   * kept nothing for this t (the caller then calls `evaluate`).
   */
  acceptAlong(t: number): number | null;
  /** Σᵢ xᵢ² Hᵢ[c, c]: the model's curvature in coordinate (x, c). */
  curvature(xs: Float64Array, off: number, c: number): number;
  /** Σᵢ xᵢ (rᵢc − [Hᵢ zᵢ]_c): the model's negative gradient in coordinate (x, c) at the step. */
  modelGradient(xs: Float64Array, off: number, c: number): number;
  /** Adds δ·x to the step's class c (z_c += δx) and whatever the model keeps from it. */
  move(xs: Float64Array, off: number, c: number, delta: number): void;
  /** Refreshes what the model keeps from the step after the caller added to `step` directly. */
  stepSet(): void;
  /** ½ Σᵢ zᵢᵀHᵢzᵢ at the current step: the model's quadratic term. */
  stepCurvature(): number;
  /** Sets the step to zero. */
  resetStep(): void;
  /**
   * The model Hessian of a block: columns `offs` (m of them) × all K classes, entry
   * ((a, c), (b, d)) at ((a·K + c)·mK + b·K + d) = Σᵢ x_ia x_ib Hᵢ[c, d].
   */
  blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void;
  /**
   * The model Hessian over single entries: entry a is column offs[a] in class cls[a], and
   * out[a·m + b] = Σᵢ x_ia x_ib Hᵢ[cls[a], cls[b]] — only the entries a step moves, not every
   * class of their features (the active-set solve's matrix).
   */
  entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void;
  /**
   * entryHessian at the reference, right after setReference (optional: a datafit that keeps
   * what entryBlock's extensions reuse forms it here; the compact solve calls it when present).
   */
  referenceHessian?(
    xs: Float64Array,
    offs: Int32Array,
    cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void;
  /**
   * Keeps the current model Hessians as the reference (a lagged Hessian: the compact solve
   * forms its matrix at the reference and extends it there while it serves).
   */
  setReference(): void;
  /**
   * Rows of the model Hessian at the reference: out[a·mB + b] = Σᵢ x_ia x_ib Hᵢ^ref[clsA[a],
   * clsB[b]] for entries A (rows) against entries B (a rectangular block).
   */
  entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void;
  /** Deviance of a loss value: 2·(loss − the saturated model's loss). */
  deviance(loss: number): number;
  /** Deviance of the intercept-only model (offsets kept). */
  readonly nullDeviance: number;
  /** Starting intercepts (K), for the intercept-only Newton iterations. */
  interceptStart(): Float64Array;
  /** Hands back WebAssembly memories the datafit holds for a path (optional; usable after). */
  release?(): void;
}
