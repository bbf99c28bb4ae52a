import { createHeap, passKernel } from "./heap.js";

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
  const kernel = passKernel(heap);
  const fill = (a: number, from: number) => {
    for (let b = 0; b <= a; b++) out[a * m + b] = out[b * m + a] = f[from + b];
  };
  for (let a = 0; a < m; a += 2) {
    if (kernel && a + 1 < m) {
      kernel.rowdots2(a * n, (a + 1) * n, X, a + 2, n, res, res + m);
      fill(a, res);
      fill(a + 1, res + m);
    } else
      for (let u = a; u < Math.min(a + 2, m); u++) {
        if (kernel) kernel.rowdots(u * n, X, u + 1, n, res);
        else for (let b = 0; b <= u; b++) f[res + b] = heap.dot(u * n, X + b * n, n);
        fill(u, res);
      }
  }
  heap.release();
}
