/**
 * Anderson extrapolation of coordinate-descent iterates (Bertrand & Massias 2021, "Anderson
 * acceleration of coordinate descent", AISTATS; as in skglm). After K+1 passes over a fixed set of
 * coordinates with iterates x_0..x_K, let U = [x_1 − x_0, …, x_K − x_{K−1}] and
 * c = (UᵀU)⁻¹1 / 1ᵀ(UᵀU)⁻¹1; the extrapolated point is Σ c_i x_{i+1}. The caller accepts it only
 * if it lowers the objective, so convergence guarantees are those of plain coordinate descent.
 */
export class Anderson {
  private store: Float64Array;
  private count = 0;
  private width = 0;
  private readonly C: Float64Array;
  private readonly z: Float64Array;

  constructor(private readonly K = 5) {
    this.store = new Float64Array(0);
    this.C = new Float64Array(K * K);
    this.z = new Float64Array(K);
  }

  /** Starts a new sequence over `width` coordinates. */
  reset(width: number): void {
    this.width = width;
    this.count = 0;
    if (this.store.length < (this.K + 1) * width)
      this.store = new Float64Array((this.K + 1) * width * 2);
  }

  /** Records x[idx[l]] for l < width; true once K+1 iterates are stored. */
  push(x: Float64Array, idx: Int32Array): boolean {
    if (this.count === this.K + 1) this.count = 0; // a full sequence nobody extrapolated
    const w = this.width;
    const off = this.count * w;
    for (let l = 0; l < w; l++) this.store[off + l] = x[idx[l]];
    this.count++;
    return this.count === this.K + 1;
  }

  /** Records x[0..width); true once K+1 iterates are stored. */
  pushCompact(x: Float64Array): boolean {
    if (this.count === this.K + 1) this.count = 0;
    const w = this.width;
    this.store.set(x.subarray(0, w), this.count * w);
    this.count++;
    return this.count === this.K + 1;
  }

  /** Writes the extrapolated point into out[0..width); false when the system is degenerate. */
  extrapolate(out: Float64Array): boolean {
    const { K, width: w, store, C, z } = this;
    this.count = 0;
    for (let a = 0; a < K; a++) {
      for (let b = a; b < K; b++) {
        let s = 0;
        for (let l = 0; l < w; l++) {
          const ua = store[(a + 1) * w + l] - store[a * w + l];
          const ub = store[(b + 1) * w + l] - store[b * w + l];
          s += ua * ub;
        }
        C[a * K + b] = C[b * K + a] = s;
      }
    }
    let trace = 0;
    for (let a = 0; a < K; a++) trace += C[a * K + a];
    if (!(trace > 0)) return false;
    for (let a = 0; a < K; a++) C[a * K + a] += 1e-12 * trace;
    // Cholesky solve of C z = 1.
    for (let a = 0; a < K; a++) {
      for (let b = 0; b <= a; b++) {
        let s = C[a * K + b];
        for (let c = 0; c < b; c++) s -= C[a * K + c] * C[b * K + c];
        if (a === b) {
          if (!(s > 0)) return false;
          C[a * K + a] = Math.sqrt(s);
        } else C[a * K + b] = s / C[b * K + b];
      }
    }
    for (let a = 0; a < K; a++) {
      let s = 1;
      for (let c = 0; c < a; c++) s -= C[a * K + c] * z[c];
      z[a] = s / C[a * K + a];
    }
    for (let a = K - 1; a >= 0; a--) {
      let s = z[a];
      for (let c = a + 1; c < K; c++) s -= C[c * K + a] * z[c];
      z[a] = s / C[a * K + a];
    }
    let sum = 0;
    for (let a = 0; a < K; a++) sum += z[a];
    if (!(Math.abs(sum) > 0) || !Number.isFinite(sum)) return false;
    out.fill(0, 0, w);
    for (let a = 0; a < K; a++) {
      const c = z[a] / sum;
      const off = (a + 1) * w;
      for (let l = 0; l < w; l++) out[l] += c * store[off + l];
    }
    return true;
  }
}
