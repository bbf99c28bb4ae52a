import type { MatMem } from "../nn/kernels.js";
import type { Reflectors } from "./householderEigen.js";

/** Reflectors per block. */
const NB = 32;

/**
 * Q = P_{m−1} ⋯ P_1 of `householderReflectors`, applied to the rows of a matrix in a packed
 * MatMem a block of NB reflectors at a time as matrix products: the block P_a ⋯ P_{a+nb−1} is
 * I − V T Vᵀ with V = [u_a … u_{a+nb−1}] and T upper triangular from the forward recurrence
 * (Schreiber & Van Loan, "A storage-efficient WY representation for products of Householder
 * transformations", SIAM J. Sci. Stat. Comput. 1989; LAPACK's dlarft and dlarfb). Qᵀ X applies the
 * blocks from the last, Q X their transposes from the first; a block touches only the K = a + nb − 1
 * leading rows its vectors reach. Q is never formed: applying it to an m × c matrix costs about
 * m²c multiply-adds, all on the packed product.
 */
export class BlockReflectors {
  private readonly m: number;
  private readonly w: number;
  private readonly w2: number;
  private readonly tn: number;
  private readonly tnt: number;
  private readonly blocks: { a: number; nb: number; k: number }[] = [];

  /** Doubles a BlockReflectors needs at `at` for order m and matrices of up to `maxCols` columns. */
  static scratch(m: number, maxCols: number): number {
    const blocks = Math.ceil(Math.max(0, m - 1) / NB);
    return m * m + 2 * NB * maxCols + 2 * blocks * NB * NB + NB * NB;
  }

  constructor(
    private readonly mem: MatMem<"float64">,
    r: Reflectors,
    private readonly at: number,
    private readonly maxCols: number,
  ) {
    const m = (this.m = r.m);
    const f = mem.data;
    // r.v may already be the view of mem at `at` (householderReflectors' options.v)
    if (r.v.buffer !== f.buffer || r.v.byteOffset !== f.byteOffset + at * 8) f.set(r.v, at);
    this.w = at + m * m;
    this.w2 = this.w + NB * maxCols;
    for (let a = 1; a < m; a += NB) {
      const nb = Math.min(NB, m - a);
      this.blocks.push({ a, nb, k: a + nb - 1 });
    }
    this.tn = this.w2 + NB * maxCols;
    this.tnt = this.tn + this.blocks.length * NB * NB;
    const s = this.tnt + this.blocks.length * NB * NB; // V_blkᵀ V_blk
    const t = new Float64Array(NB * NB);
    this.blocks.forEach(({ a, nb, k }, b) => {
      mem.gemm!(at + a * m, m, 1, at + a * m, 1, m, s, nb, nb, k, false);
      // T(r, r) = τ_r, T(0:r, r) = −τ_r T(0:r, 0:r) (Vᵀ v_r)(0:r)
      t.fill(0);
      for (let c = 0; c < nb; c++) {
        const tau = r.tau[a + c];
        for (let i = 0; i < c; i++) {
          let sum = 0;
          for (let j = i; j < c; j++) sum += t[i * NB + j] * f[s + j * nb + c];
          t[i * NB + c] = -tau * sum;
        }
        t[c * NB + c] = tau;
      }
      const tn = this.tn + b * NB * NB;
      const tnt = this.tnt + b * NB * NB;
      for (let i = 0; i < nb; i++)
        for (let j = 0; j < nb; j++) {
          f[tn + i * nb + j] = -t[i * NB + j];
          f[tnt + i * nb + j] = -t[j * NB + i];
        }
    });
  }

  /** X ← Qᵀ X for the m × cols row-major matrix at mem offset x (cols ≤ maxCols). */
  applyQt(x: number, cols: number): void {
    this.check(cols);
    for (let b = this.blocks.length - 1; b >= 0; b--) this.apply(b, x, cols, this.tn);
  }

  /** X ← Q X for the m × cols row-major matrix at mem offset x (cols ≤ maxCols). */
  applyQ(x: number, cols: number): void {
    this.check(cols);
    for (let b = 0; b < this.blocks.length; b++) this.apply(b, x, cols, this.tnt);
  }

  private check(cols: number): void {
    if (cols > this.maxCols) throw new Error("BlockReflectors: more columns than its scratch");
  }

  /** X(0:K, :) ← (I + V M Vᵀ) X(0:K, :) for block b, M = −T or −Tᵀ at `tm`. */
  private apply(b: number, x: number, cols: number, tm: number): void {
    const { a, nb, k } = this.blocks[b];
    const gemm = this.mem.gemm!;
    const m = this.m;
    const vb = this.at + a * m;
    gemm(vb, m, 1, x, cols, 1, this.w, nb, cols, k, false);
    gemm(tm + b * NB * NB, nb, 1, this.w, cols, 1, this.w2, nb, cols, nb, false);
    gemm(vb, 1, m, this.w2, cols, 1, x, k, cols, nb, true);
  }
}
