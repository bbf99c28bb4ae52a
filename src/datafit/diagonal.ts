import { weightedCross, weightedGram } from "../wasm/gram.js";

/**
 * The quadratic model of a datafit of one linear predictor (K = 1) whose model Hessian is
 * diagonal in the observations, H = diag(h): the GLM families (exact) and the Cox partial
 * likelihood (glmnet's diagonal approximation). Keeps r = −∂f/∂η, h and the step z; [Hz]ᵢ = hᵢzᵢ.
 * A datafit fills r and h in `evaluate` and supplies its loss, deviance and start.
 */
export abstract class DiagonalModel {
  readonly K = 1;
  readonly n: number;
  readonly r: Float64Array;
  readonly step: Float64Array;
  protected readonly h: Float64Array;
  private refH: Float64Array | null = null;

  constructor(n: number) {
    this.n = n;
    this.r = new Float64Array(n);
    this.step = new Float64Array(n);
    this.h = new Float64Array(n);
  }

  acceptAlong(_t: number): number | null {
    return null;
  }

  curvature(xs: Float64Array, off: number): number {
    const { n, h } = this;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[off + i];
      s += x * x * h[i];
    }
    return s;
  }

  modelGradient(xs: Float64Array, off: number): number {
    const { n, r, h, step } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[off + i] * (r[i] - h[i] * step[i]);
    return s;
  }

  move(xs: Float64Array, off: number, _c: number, delta: number): void {
    const { n, step } = this;
    for (let i = 0; i < n; i++) step[i] += delta * xs[off + i];
  }

  stepSet(): void {
    // The step is all the model keeps.
  }

  stepCurvature(): number {
    const { n, h, step } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += h[i] * step[i] * step[i];
    return s / 2;
  }

  resetStep(): void {
    this.step.fill(0);
  }

  entryHessian(
    xs: Float64Array,
    offs: Int32Array,
    _cls: Int32Array,
    m: number,
    out: Float64Array,
  ): void {
    this.blockHessian(xs, offs, m, out);
  }

  setReference(): void {
    (this.refH ??= new Float64Array(this.n)).set(this.h);
  }

  entryBlock(
    xs: Float64Array,
    offsA: Int32Array,
    _clsA: Int32Array,
    mA: number,
    offsB: Int32Array,
    _clsB: Int32Array,
    mB: number,
    out: Float64Array,
  ): void {
    weightedCross(xs, offsA, mA, offsB, mB, this.n, this.refH as Float64Array, out);
  }

  blockHessian(xs: Float64Array, offs: Int32Array, m: number, out: Float64Array): void {
    weightedGram(xs, offs, m, this.n, this.h, out);
  }
}
