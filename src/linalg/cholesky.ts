/**
 * Solves A x = b in place (b ← x) for a symmetric positive-definite m×m matrix A (row-major,
 * lower triangle read, overwritten by its Cholesky factor L). If a pivot is not positive —
 * A singular or indefinite to rounding — a ridge of `jitter`·max diag(A) is added and the
 * factorization restarted (up to 3 times, ×100 each); returns the ridge used (0 when none).
 * Throws if A stays indefinite, which for a Hessian means a bug upstream, not a user error.
 */
export function choleskySolveInPlace(
  a: Float64Array,
  m: number,
  b: Float64Array,
  jitter = 1e-13,
): number {
  const orig = a.slice(0, m * m);
  let maxDiag = 0;
  for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, Math.abs(orig[i * m + i]));
  let ridge = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) {
      ridge = jitter * Math.max(maxDiag, 1e-300) * 100 ** (attempt - 1);
      a.set(orig);
      for (let i = 0; i < m; i++) a[i * m + i] += ridge;
    }
    if (factor(a, m)) {
      // Forward then backward substitution with L and Lᵀ.
      for (let i = 0; i < m; i++) {
        let s = b[i];
        for (let k = 0; k < i; k++) s -= a[i * m + k] * b[k];
        b[i] = s / a[i * m + i];
      }
      for (let i = m - 1; i >= 0; i--) {
        let s = b[i];
        for (let k = i + 1; k < m; k++) s -= a[k * m + i] * b[k];
        b[i] = s / a[i * m + i];
      }
      return ridge;
    }
  }
  throw new Error("choleskySolveInPlace: matrix is not positive definite");
}

function factor(a: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    const rj = j * m;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    // Two rows per sweep of row j, two accumulators each (independent chains).
    let i = j + 1;
    for (; i + 1 < m; i += 2) {
      const r0 = i * m;
      const r1 = r0 + m;
      let s0 = 0;
      let s1 = 0;
      let t0 = 0;
      let t1 = 0;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const x0 = a[rj + k];
        const x1 = a[rj + k + 1];
        s0 += a[r0 + k] * x0;
        s1 += a[r0 + k + 1] * x1;
        t0 += a[r1 + k] * x0;
        t1 += a[r1 + k + 1] * x1;
      }
      if (k < j) {
        s0 += a[r0 + k] * a[rj + k];
        t0 += a[r1 + k] * a[rj + k];
      }
      a[r0 + j] = (a[r0 + j] - (s0 + s1)) * inv;
      a[r1 + j] = (a[r1 + j] - (t0 + t1)) * inv;
    }
    if (i < m) {
      const r0 = i * m;
      let s = 0;
      for (let k = 0; k < j; k++) s += a[r0 + k] * a[rj + k];
      a[r0 + j] = (a[r0 + j] - s) * inv;
    }
  }
  return true;
}
