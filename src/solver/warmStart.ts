/**
 * Warm starts along a path: each coefficient non-zero in the last two solutions moves on along
 * its secant in log λ, or — on a geometric grid, when it was non-zero with the same sign in the
 * last three — along the parabola through them (3b₁ − 3b₂ + b₃); one that would cross zero or a
 * bound stops there. The solvers converge from any start; a start nearer the solution saves
 * Newton steps.
 */
export class PathWarmStart {
  private readonly bPrev: Float64Array;
  private readonly bPrev2: Float64Array;
  private b0Prev = 0;
  private quadratic = false;
  private lastLambda = 0;
  /** The features `next` moved and by how much (the first `moved` entries). */
  readonly cols: Int32Array;
  readonly by: Float64Array;
  moved = 0;
  /** The intercept's move. */
  d0 = 0;

  constructor(p: number) {
    this.bPrev = new Float64Array(p);
    this.bPrev2 = new Float64Array(p);
    this.cols = new Int32Array(p);
    this.by = new Float64Array(p);
  }

  /**
   * Records the solution b, b0 at λ_prev and computes the moves toward λ (in `cols`, `by`,
   * `moved`, `d0`; none before the path has two points). The caller applies them. `features`,
   * when given, lists in increasing order every feature that has been non-zero on the path (a
   * list that only grows: the others stay zero here), and only those are read.
   */
  next(
    b: Float64Array,
    b0: number,
    lambda: number,
    lambdaPrev: number,
    lower: Float64Array,
    upper: Float64Array,
    intercept: boolean,
    features?: Int32Array,
  ): void {
    const prev = this.lastLambda;
    this.lastLambda = lambdaPrev;
    this.moved = 0;
    this.d0 = 0;
    const bPrev = this.bPrev;
    if (prev > 0 && Number.isFinite(prev) && prev > lambdaPrev && lambdaPrev > lambda) {
      const ratio = Math.log(lambdaPrev / lambda) / Math.log(prev / lambdaPrev);
      const parabola = this.quadratic && Math.abs(ratio - 1) < 1e-9;
      let moved = 0;
      const count = features ? features.length : b.length;
      for (let t = 0; t < count; t++) {
        const j = features ? features[t] : t;
        const bj = b[j];
        const pj = bPrev[j];
        if (bj === 0 || pj === 0 || bj > 0 !== pj > 0) continue;
        const qj = this.bPrev2[j];
        let next =
          parabola && qj !== 0 && qj > 0 === bj > 0 ? 3 * bj - 3 * pj + qj : bj + ratio * (bj - pj);
        if (next > 0 !== bj > 0) next = 0;
        next = Math.min(Math.max(next, lower[j]), upper[j]);
        if (next === bj) continue;
        this.cols[moved] = j;
        this.by[moved++] = next - bj;
      }
      this.moved = moved;
      this.d0 = intercept ? ratio * (b0 - this.b0Prev) : 0;
      if (features) for (const j of features) this.bPrev2[j] = bPrev[j];
      else this.bPrev2.set(bPrev);
      this.quadratic = true;
    }
    if (features) for (const j of features) bPrev[j] = b[j];
    else bPrev.set(b);
    this.b0Prev = b0;
  }
}
