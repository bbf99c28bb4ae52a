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
    let d = a[j * m + j];
    for (let k = 0; k < j; k++) d -= a[j * m + k] * a[j * m + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * m + j];
      for (let k = 0; k < j; k++) s -= a[i * m + k] * a[j * m + k];
      a[i * m + j] = s / ljj;
    }
  }
  return true;
}
