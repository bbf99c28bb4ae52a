/**
 * Least squares with an intercept on the columns `cols` of column-major x (n rows), by the normal
 * equations and Gaussian elimination: a brute-force truth for refits. Returns [β₀, β...].
 */
export function ols(x: Float64Array, y: Float64Array, n: number, cols: number[]): number[] {
  const q = cols.length + 1;
  const col = (c: number, i: number) => (c === 0 ? 1 : x[cols[c - 1] * n + i]);
  const a = Array.from({ length: q }, (_, r) =>
    Array.from({ length: q + 1 }, (_, c) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += col(r, i) * (c === q ? y[i] : col(c, i));
      return s;
    }),
  );
  for (let c = 0; c < q; c++)
    for (let r = c + 1; r < q; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= q; k++) a[r][k] -= f * a[c][k];
    }
  const b = new Array<number>(q).fill(0);
  for (let r = q - 1; r >= 0; r--) {
    let s = a[r][q];
    for (let k = r + 1; k < q; k++) s -= a[r][k] * b[k];
    b[r] = s / a[r][r];
  }
  return b;
}
