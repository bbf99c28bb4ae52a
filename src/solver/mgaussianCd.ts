import type { GroupPenalty } from "../core/penalty.js";
import type { CscMatrix } from "../data/matrix.js";
import {
  standardizedColumn,
  standardizedDot,
  standardizedSquare,
} from "../data/standardizedCsc.js";
import { at } from "../penalty/elasticNet.js";
import { createHeap, passKernel, type Heap } from "../wasm/heap.js";
import type { SolveStatus } from "./proxNewton.js";

/**
 * The standardized design as MGaussianCd reads it: p features x̃_j, then the column of ones
 * (variable p), through weighted products only — so that a sparse design is never densified.
 */
export interface MGaussianColumns {
  /** out[j] = Σᵢ vᵢ·x̃_ij for every variable j ≤ p. */
  products(v: Float64Array, out: Float64Array): void;
  /** out[i] = x̃_ij for variable j ≤ p. */
  column(j: number, out: Float64Array): void;
  /** out[j] = Σᵢ wᵢ·x̃_ij² for every variable j ≤ p. */
  squares(w: Float64Array, out: Float64Array): void;
}

/**
 * Columns held dense in a heap at offset 0, n apart (features 0 … p−1, then a column of ones),
 * with room after them for an n-vector and p + 1 results: products on the row-dot kernel.
 */
export function denseColumns(heap: Heap, n: number, p: number): MGaussianColumns {
  const f = heap.f64;
  const nv = p + 1;
  const u = nv * n;
  const res = u + n;
  const kernel = passKernel(heap);
  return {
    products(v, out) {
      f.set(v, u);
      if (kernel) kernel.rowdots(u, 0, nv, n, res);
      else for (let j = 0; j < nv; j++) f[res + j] = heap.dot(u, j * n, n);
      out.set(f.subarray(res, res + nv));
    },
    column(j, out) {
      out.set(f.subarray(j * n, j * n + n));
    },
    squares(w, out) {
      for (let j = 0; j < nv; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i] * f[j * n + i] * f[j * n + i];
        out[j] = s;
      }
    },
  };
}

/**
 * A sparse (CSC) design standardized implicitly, x̃_j = (x_j − center_j)/scale_j, never
 * densified: a product costs the matrix's non-zeros plus p.
 */
export function sparseColumns(
  x: CscMatrix,
  center: Float64Array,
  scale: Float64Array,
): MGaussianColumns {
  const n = x.nRows;
  const p = x.nCols;
  return {
    products(v, out) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += v[i];
      for (let j = 0; j < p; j++) out[j] = standardizedDot(x, j, v, sum, center[j], scale[j]);
      out[p] = sum;
    },
    column(j, out) {
      if (j === p) out.fill(1);
      else standardizedColumn(x, j, center[j], scale[j], n, out, 0);
    },
    squares(w, out) {
      let sw = 0;
      for (let i = 0; i < n; i++) sw += w[i];
      for (let j = 0; j < p; j++) out[j] = standardizedSquare(x, j, w, sw, center[j], scale[j]);
      out[p] = sw;
    },
  };
}

export interface MGaussianCdSetup {
  /** The standardized columns (denseColumns or sparseColumns). */
  columns: MGaussianColumns;
  n: number;
  p: number;
  /** The responses, class-major (K·n). */
  y: Float64Array;
  K: number;
  /** Observation weights summing to 1. */
  w: Float64Array;
  /** The elastic-net mixing α and penalty factors: pen_j(b) = λ·pf_j(α‖b‖ + (1−α)/2·‖b‖²). */
  alpha: number;
  pf: Float64Array;
  /** The same penalty as an object: its subdifferential distance certifies each point. */
  penalty: GroupPenalty;
  include: Uint8Array;
  intercept: boolean;
  /** A point is solved when its KKT violation is at most kktTol·max(λ, lambdaFloor). */
  kktTol: number;
  maxPasses: number;
  /** "js" runs the passes in plain loops instead of WebAssembly (the tests compare both). */
  kernels?: "wasm" | "js";
}

/**
 * Block coordinate descent with covariance updates for the multi-response Gaussian elastic net
 * (glmnet's mgaussian): minimizes ½ Σᵢ ŵᵢ‖yᵢ − Bᵀx̃ᵢ‖² + λ Σⱼ pfⱼ(α‖Bⱼ‖ + (1−α)/2·‖Bⱼ‖²) over
 * the K-vectors Bⱼ, the intercepts as a last, unpenalized feature (the column of ones). The
 * datafit's Hessian is ŵ·I per observation, so each block's minimizer is closed form:
 * Bⱼ = zⱼ·(1 − λα·pfⱼ/‖zⱼ‖)₊ / (xvⱼ + λ(1−α)pfⱼ) with zⱼ = Gⱼ + xvⱼBⱼ, G = X̃ᵀŴ(Y − X̃B) the
 * negative gradient (Friedman, Hastie & Tibshirani 2010, §2.2 and glmnet's multi-response
 * Gaussian). As glmnet's covariance method, the solver keeps c = X̃ᵀŴY and the weighted Gram
 * columns of the features that ever entered: a block update costs K·|active| instead of K·n.
 *
 * Each λ: G is formed afresh for every feature from c and the Gram columns (never from
 * accumulated updates), violators of the KKT conditions enter, and passes over the entered
 * features run until no block moves by more than a tenth of the tolerance; the point is solved
 * when the fresh KKT violation, measured by the penalty object's own subdifferential distance,
 * is at most kktTol·max(λ, lambdaFloor). The loss is ½Σŵ‖y‖² − ½ Σⱼ Bⱼ·(cⱼ + Gⱼ), the
 * quadratic expanded around B.
 *
 * The interface is ProxNewton's, so that corePath drives either.
 */
export class MGaussianCd {
  /** Coefficients, (p + 1) × K, the intercepts last. */
  readonly beta: Float64Array;
  /** Negative gradient X̃ᵀŴ(Y − X̃B), (p + 1) × K: fresh after solve and allGradients. */
  readonly grad: Float64Array;
  loss = 0;
  kkt = 0;
  tol = 0;
  /** (ProxNewton's MCP / SCAD diagnosis; the group penalties here have no flat part.) */
  readonly divergent = -1;
  passes = 0;
  lambdaFloor = 0;
  private readonly nv: number;
  private readonly xv: Float64Array;
  private readonly c: Float64Array;
  private readonly yy: number;
  /** Gram column of each entered feature (C[·, j] over all p + 1 columns), else null. */
  private readonly gram: (Float64Array | null)[];
  private readonly active: Int32Array;
  private nActive = 0;
  private readonly kappa: Float64Array;
  private readonly mu: Float64Array;
  /** The entered features' compact problem (mgpass's layout), room for `cap` of them. */
  private compact: Heap | null = null;
  private cap = 0;

  constructor(private readonly s: MGaussianCdSetup) {
    const { n, p, y, K, w } = s;
    const nv = (this.nv = p + 1);
    this.beta = new Float64Array(nv * K);
    this.grad = new Float64Array(nv * K);
    this.xv = new Float64Array(nv);
    this.c = new Float64Array(nv * K);
    this.gram = new Array<Float64Array | null>(nv).fill(null);
    this.active = new Int32Array(nv);
    this.kappa = new Float64Array(nv);
    this.mu = new Float64Array(nv);
    s.columns.squares(w, this.xv);
    const v = new Float64Array(n);
    const out = new Float64Array(nv);
    let yy = 0;
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        v[i] = w[i] * y[k * n + i];
        yy += v[i] * y[k * n + i];
      }
      s.columns.products(v, out);
      for (let j = 0; j < nv; j++) this.c[j * K + k] = out[j];
    }
    this.yy = yy;
  }

  /** Whether variable j (a feature, or p: the intercept) may move. */
  private moves(j: number): boolean {
    return j < this.s.p ? this.s.include[j] === 1 : this.s.intercept;
  }

  /** Enters variable j: its weighted Gram column. */
  private enter(j: number): void {
    const { n, w, columns } = this.s;
    const v = new Float64Array(n);
    columns.column(j, v);
    for (let i = 0; i < n; i++) v[i] *= w[i];
    const col = (this.gram[j] = new Float64Array(this.nv));
    columns.products(v, col);
    const a = this.nActive++;
    this.active[a] = j;
    this.reserve(a + 1);
    const h = this.compact!.f64;
    const { gram, cap } = this.layout(this.cap);
    for (let e = 0; e <= a; e++) {
      const v = col[this.active[e]];
      h[gram + a * cap + e] = v;
      h[gram + e * cap + a] = v;
    }
  }

  /** mgpass's layout for room `cap`: offsets of g, b (cap × K), xv, κ, μ, z (K), the Gram block. */
  private layout(cap: number) {
    const K = this.s.K;
    const xv = 2 * cap * K;
    const gram = xv + 3 * cap + K;
    return { b: cap * K, xv, kappa: xv + cap, mu: xv + 2 * cap, gram, size: gram + cap * cap, cap };
  }

  /** Room in the compact problem for `count` features (doubling; the Gram block is copied). */
  private reserve(count: number): void {
    if (count <= this.cap) return;
    const cap = Math.min(this.nv, Math.max(count, 2 * this.cap, 16));
    const next = createHeap(this.layout(cap).size, this.s.kernels ?? "wasm");
    if (this.compact) {
      const from = this.layout(this.cap);
      const to = this.layout(cap);
      const old = this.compact.f64;
      for (let a = 0; a < this.nActive - 1; a++)
        next.f64.set(
          old.subarray(from.gram + a * this.cap, from.gram + a * this.cap + this.nActive - 1),
          to.gram + a * cap,
        );
      this.compact.release();
    }
    this.compact = next;
    this.cap = cap;
  }

  /** Starting intercepts (the intercept-only fit). */
  setIntercepts(start: Float64Array): void {
    const { p, K, intercept } = this.s;
    if (!intercept) return;
    for (let k = 0; k < K; k++) this.beta[p * K + k] = start[k];
    if (this.gram[p] === null) this.enter(p);
  }

  /** G = c − Σ_{entered l} C[·, l]·B_l for every variable. */
  private fresh(): void {
    const { K } = this.s;
    const g = this.grad;
    g.set(this.c);
    for (let a = 0; a < this.nActive; a++) {
      const l = this.active[a];
      const col = this.gram[l]!;
      for (let k = 0; k < K; k++) {
        const b = this.beta[l * K + k];
        if (b === 0) continue;
        for (let j = 0; j < this.nv; j++) g[j * K + k] -= col[j] * b;
      }
    }
  }

  allGradients(): void {
    this.fresh();
  }

  /** Solves at λ from the current coefficients (warm start). */
  solve(lam: number, _lamPrev: number): SolveStatus {
    const { K, p, alpha, pf, kktTol, maxPasses } = this.s;
    const nv = this.nv;
    const tol = (this.tol = kktTol * (Number.isFinite(lam) ? Math.max(lam, this.lambdaFloor) : 1));
    for (let j = 0; j < p; j++) {
      // The penalty object's own thresholds (0 for a zero weight, even at λ = ∞).
      this.kappa[j] = at(lam, alpha * pf[j]);
      this.mu[j] = at(lam, (1 - alpha) * pf[j]);
    }
    const g = this.grad;
    const b = this.beta;
    let passes = 0;
    for (;;) {
      this.fresh();
      // Violators enter: ‖G_j‖ above the threshold at which B_j = 0 is optimal.
      for (let j = 0; j < nv; j++) {
        if (this.gram[j] !== null || !this.moves(j)) continue;
        let s = 0;
        for (let k = 0; k < K; k++) s += g[j * K + k] ** 2;
        if (Math.sqrt(s) > this.kappa[j]) this.enter(j);
      }
      const kkt = this.violation(lam);
      if (kkt <= tol) {
        this.kkt = kkt;
        this.loss = this.lossAt();
        this.passes += passes;
        return "ok";
      }
      // Passes over the entered variables until no block moves by more than tol/10, on their
      // compact problem.
      const na = this.nActive;
      const h = this.compact!.f64;
      const at = this.layout(this.cap);
      for (let a = 0; a < na; a++) {
        const j = this.active[a];
        for (let k = 0; k < K; k++) {
          h[a * K + k] = g[j * K + k];
          h[at.b + a * K + k] = b[j * K + k];
        }
        h[at.xv + a] = this.xv[j];
        h[at.kappa + a] = this.kappa[j];
        h[at.mu + a] = this.mu[j];
      }
      const kernel = passKernel(this.compact!);
      let moved: number;
      let status: SolveStatus = "ok";
      do {
        if (++passes > maxPasses) {
          status = "maxPasses";
          break;
        }
        moved = kernel ? kernel.mgpass(0, na, this.cap, K) : this.pass(na);
      } while (Math.sqrt(moved) > 0.1 * tol);
      for (let a = 0; a < na; a++) {
        const j = this.active[a];
        for (let k = 0; k < K; k++) b[j * K + k] = h[at.b + a * K + k];
      }
      if (status !== "ok") {
        this.fresh();
        this.kkt = this.violation(lam);
        this.loss = this.lossAt();
        this.passes += passes;
        return status;
      }
    }
  }

  /** mgpass in plain loops (where WebAssembly is missing): the same operations. */
  private pass(na: number): number {
    const K = this.s.K;
    const h = this.compact!.f64;
    const { b, xv, kappa, mu, gram, cap } = this.layout(this.cap);
    const z = gram - K;
    let moved = 0;
    for (let a = 0; a < na; a++) {
      const o = a * K;
      const x = h[xv + a];
      let nz = 0;
      for (let k = 0; k < K; k++) {
        const v = h[o + k] + x * h[b + o + k];
        h[z + k] = v;
        nz += v * v;
      }
      nz = Math.sqrt(nz);
      const kap = h[kappa + a];
      const scale = kap < nz ? (1 - kap / nz) / (x + h[mu + a]) : 0;
      let d2 = 0;
      for (let k = 0; k < K; k++) {
        const d = h[z + k] * scale - h[b + o + k];
        h[z + k] = d;
        d2 += d * d;
      }
      if (d2 === 0) continue;
      for (let k = 0; k < K; k++) h[b + o + k] += h[z + k];
      const row = gram + a * cap;
      for (let e = 0; e < na; e++) {
        const c = h[row + e];
        for (let k = 0; k < K; k++) h[e * K + k] -= c * h[z + k];
      }
      if (x * d2 > moved) moved = x * d2;
    }
    return moved;
  }

  /** The largest distance of a block's negative gradient to its subdifferential (fresh G). */
  private violation(lam: number): number {
    const { K, p, penalty } = this.s;
    const g = this.grad;
    const b = this.beta;
    let v = 0;
    for (let j = 0; j < this.nv; j++) {
      if (!this.moves(j)) continue;
      let d: number;
      if (j === p || !penalty.penalized(j)) {
        let s = 0;
        for (let k = 0; k < K; k++) s += g[j * K + k] ** 2;
        d = Math.sqrt(s);
      } else if (!Number.isFinite(lam)) d = 0;
      else
        d = penalty.subdiffDistance(
          b.subarray(j * K, j * K + K),
          g.subarray(j * K, j * K + K),
          j,
          lam,
        );
      if (d > v) v = d;
    }
    return v;
  }

  /** ½Σŵ‖y − Bᵀx̃‖² = ½Σŵ‖y‖² − ½ Σⱼ Bⱼ·(cⱼ + Gⱼ), from a fresh G. */
  private lossAt(): number {
    const K = this.s.K;
    let s = 0;
    for (let a = 0; a < this.nActive; a++) {
      const j = this.active[a];
      for (let k = 0; k < K; k++) {
        const u = j * K + k;
        s += this.beta[u] * (this.c[u] + this.grad[u]);
      }
    }
    return 0.5 * (this.yy - s);
  }

  release(): void {
    this.compact?.release();
    this.compact = null;
  }
}
