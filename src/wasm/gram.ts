import { createHeap, passKernel, type Heap } from "./heap.js";

/**
 * The lower triangle of the products between m rows (n long, n apart from f64 offset `rows`) and
 * m columns (likewise from `cols`): row a against columns 0 … a, two rows per sweep on the
 * row-dot kernel (rowdots2), else one at a time or in plain loops. `emit(a, from)` reads row a's
 * a + 1 products at heap.f64[from …]; `res` needs room for 2m results.
 */
export function lowerRowDots(
  heap: Heap,
  rows: number,
  cols: number,
  m: number,
  n: number,
  res: number,
  emit: (a: number, from: number) => void,
): void {
  const kernel = passKernel(heap);
  for (let a = 0; a < m; a += 2) {
    if (kernel && a + 1 < m) {
      kernel.rowdots2(rows + a * n, rows + (a + 1) * n, cols, a + 2, n, res, res + m);
      emit(a, res);
      emit(a + 1, res + m);
    } else
      for (let u = a; u < Math.min(a + 2, m); u++) {
        if (kernel) kernel.rowdots(rows + u * n, cols, u + 1, n, res);
        else
          for (let b = 0; b <= u; b++) heap.f64[res + b] = heap.dot(rows + u * n, cols + b * n, n);
        emit(u, res);
      }
  }
}

/**
 * out[a·m + b] = Σᵢ wᵢ·x_ia·x_ib for the m columns of xs at offsets `offs` (n long each): a
 * weighted Gram matrix, both triangles filled, formed on the WebAssembly row-dot kernel (two rows
 * per sweep) over [w∘x_a | x_b] copied into one heap; plain loops where the kernel is missing.
 */
export function weightedGram(
  xs: Float64Array,
  offs: Int32Array,
  m: number,
  n: number,
  w: Float64Array,
  out: Float64Array,
): void {
  const heap = createHeap(2 * m * n + 2 * m + 2);
  const f = heap.f64;
  const X = m * n;
  const res = 2 * m * n;
  for (let a = 0; a < m; a++) {
    const xa = offs[a];
    const at = a * n;
    for (let i = 0; i < n; i++) {
      const x = xs[xa + i];
      f[at + i] = w[i] * x;
      f[X + at + i] = x;
    }
  }
  lowerRowDots(heap, 0, X, m, n, res, (a, from) => {
    for (let b = 0; b <= a; b++) out[a * m + b] = out[b * m + a] = f[from + b];
  });
  heap.release();
}

/**
 * out[a·mB + b] = Σᵢ wᵢ·x_ia·x_ib for columns A (rows) against columns B: a rectangular block of
 * a weighted Gram matrix, one row-dot kernel call per row.
 */
export function weightedCross(
  xs: Float64Array,
  offsA: Int32Array,
  mA: number,
  offsB: Int32Array,
  mB: number,
  n: number,
  w: Float64Array,
  out: Float64Array,
): void {
  const heap = createHeap(mB * n + n + mB + 1);
  const f = heap.f64;
  const U = mB * n;
  const res = U + n;
  for (let b = 0; b < mB; b++) f.set(xs.subarray(offsB[b], offsB[b] + n), b * n);
  const kernel = passKernel(heap);
  for (let a = 0; a < mA; a++) {
    const xa = offsA[a];
    for (let i = 0; i < n; i++) f[U + i] = w[i] * xs[xa + i];
    if (kernel) kernel.rowdots(U, 0, mB, n, res);
    else for (let b = 0; b < mB; b++) f[res + b] = heap.dot(U, b * n, n);
    for (let b = 0; b < mB; b++) out[a * mB + b] = f[res + b];
  }
  heap.release();
}
