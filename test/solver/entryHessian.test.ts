import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MultinomialDatafit } from "../../src/datafit/multinomial.js";
import { poisson } from "../../src/datafit/poisson.js";
import { SingleDatafit } from "../../src/datafit/single.js";
import { choleskySolveInPlace } from "../../src/linalg/cholesky.js";
import { Random } from "../../src/random.js";
// (The Node entry registers the helper threads the packed products run on.)
import "../../src/index.js";
import { setThreads } from "../../src/wasm/threads.js";

// The active-set solve's Hessian over single (column, class) entries, formed on the row-dot
// kernel, against the definition summed observation by observation: Σᵢ x_ia x_ib Hᵢ[c_a, c_b]
// with Hᵢ = ŵᵢ(diag pᵢ − pᵢpᵢᵀ) for the multinomial, ŵᵢμᵢ for the Poisson.
describe("entry Hessians of the model core", () => {
  const rng = new Random(5);
  const n = 37;
  const p = 6;
  const xs = Float64Array.from({ length: (p + 1) * n }, (_, k) => (k >= p * n ? 1 : rng.normal()));
  const w = new Float64Array(n).fill(1 / n);
  /**
   * The multinomial Hessian summed observation by observation at η: entry (a, b) for column
   * fa[a] in class ca[a] against column fb[b] in class cb[b].
   */
  const bruteHessian = (
    K: number,
    eta: Float64Array,
    fa: number[],
    ca: number[],
    fb: number[],
    cb: number[],
  ) => {
    const prob = new Float64Array(K * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < K; c++) s += Math.exp(eta[c * n + i]);
      for (let c = 0; c < K; c++) prob[c * n + i] = Math.exp(eta[c * n + i]) / s;
    }
    return fa.map((ja, a) =>
      fb.map((jb, b) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const h = w[i] * prob[ca[a] * n + i] * ((ca[a] === cb[b] ? 1 : 0) - prob[cb[b] * n + i]);
          s += xs[ja * n + i] * xs[jb * n + i] * h;
        }
        return s;
      }),
    );
  };

  it("multinomial: every entry pair, same class and across classes, to 1e-12", () => {
    const K = 4;
    const y = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * K));
    const f = new MultinomialDatafit(y, K, w);
    const eta = Float64Array.from({ length: K * n }, () => rng.normal());
    f.evaluate(eta);
    // Softmax probabilities, recomputed here.
    const prob = new Float64Array(K * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < K; c++) s += Math.exp(eta[c * n + i]);
      for (let c = 0; c < K; c++) prob[c * n + i] = Math.exp(eta[c * n + i]) / s;
    }
    // Entries in no particular class order, the intercept column among them.
    const feats = [3, 0, 6, 2, 5, 3, 6, 1, 0];
    const cls = Int32Array.from([1, 0, 2, 1, 3, 0, 0, 2, 3]);
    const m = feats.length;
    const offs = Int32Array.from(feats, (j) => j * n);
    const out = new Float64Array(m * m);
    f.entryHessian(xs, offs, cls, m, out);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const pa = prob[cls[a] * n + i];
          const pb = prob[cls[b] * n + i];
          const h = w[i] * pa * ((cls[a] === cls[b] ? 1 : 0) - pb);
          s += xs[offs[a] + i] * xs[offs[b] + i] * h;
        }
        assert.ok(Math.abs(out[a * m + b] - s) <= 1e-12, `(${a}, ${b}): ${out[a * m + b]} vs ${s}`);
      }
  });

  it("multinomial blocks at the reference: rows against a growing slot list, and after a new reference", () => {
    const K = 3;
    const y = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * K));
    const f = new MultinomialDatafit(y, K, w);
    const brute = (eta: Float64Array, fa: number[], ca: number[], fb: number[], cb: number[]) =>
      bruteHessian(K, eta, fa, ca, fb, cb);
    const check = (eta: Float64Array, fa: number[], ca: number[], fb: number[], cb: number[]) => {
      const out = new Float64Array(fa.length * fb.length);
      f.entryBlock(
        xs,
        Int32Array.from(fa, (j) => j * n),
        Int32Array.from(ca),
        fa.length,
        Int32Array.from(fb, (j) => j * n),
        Int32Array.from(cb),
        fb.length,
        out,
      );
      const want = brute(eta, fa, ca, fb, cb);
      want.forEach((row, a) =>
        row.forEach((v, b) =>
          assert.ok(
            Math.abs(out[a * fb.length + b] - v) <= 1e-12,
            `(${a}, ${b}): ${out[a * fb.length + b]} vs ${v}`,
          ),
        ),
      );
    };
    const eta1 = Float64Array.from({ length: K * n }, () => rng.normal());
    f.evaluate(eta1);
    f.setReference();
    const fb = [2, 0, 6, 4, 1];
    const cb = [0, 2, 1, 1, 0];
    check(eta1, [5, 3, 6], [1, 0, 2], fb, cb); // three rows: a pair and a single
    // The state moves on; blocks stay at the reference, and the slot list grows.
    f.evaluate(Float64Array.from({ length: K * n }, () => rng.normal()));
    check(eta1, [0], [2], [...fb, 3, 5], [...cb, 2, 0]);
    // A new reference.
    const eta2 = Float64Array.from({ length: K * n }, () => 0.5 * rng.normal());
    f.evaluate(eta2);
    f.setReference();
    check(eta2, [1, 2], [0, 1], [...fb, 3], [...cb, 1]);
  });

  for (const kernels of ["wasm", "js"] as const)
    it(`multinomial at the reference (${kernels}): the whole Hessian, then rows of new slots reusing its columns, then a new reference`, () => {
      const K = 3;
      const y = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * K));
      const f = new MultinomialDatafit(y, K, w, kernels);
      const brute = (eta: Float64Array, fa: number[], ca: number[], fb: number[], cb: number[]) =>
        bruteHessian(K, eta, fa, ca, fb, cb);
      const close = (out: Float64Array, want: number[][], what: string) =>
        want.forEach((row, a) =>
          row.forEach((v, b) =>
            assert.ok(
              Math.abs(out[a * row.length + b] - v) <= 1e-12,
              `${what} (${a}, ${b}): ${out[a * row.length + b]} vs ${v}`,
            ),
          ),
        );
      const whole = (eta: Float64Array, fs: number[], cs: number[]) => {
        const m = fs.length;
        const out = new Float64Array(m * m);
        f.referenceHessian(
          xs,
          Int32Array.from(fs, (j) => j * n),
          Int32Array.from(cs),
          m,
          out,
        );
        close(out, brute(eta, fs, cs, fs, cs), `whole ${m}`);
      };
      const block = (eta: Float64Array, fa: number[], ca: number[], fb: number[], cb: number[]) => {
        const out = new Float64Array(fa.length * fb.length);
        const offs = (fs: number[]) => Int32Array.from(fs, (j) => j * n);
        f.entryBlock(
          xs,
          offs(fa),
          Int32Array.from(ca),
          fa.length,
          offs(fb),
          Int32Array.from(cb),
          fb.length,
          out,
        );
        close(out, brute(eta, fa, ca, fb, cb), "block");
      };
      // Slots in no class order, with the intercept column and a class three times (odd count:
      // the last row alone).
      const fs = [3, 0, 6, 2, 5, 3, 6];
      const cs = [1, 0, 2, 1, 1, 0, 1];
      const eta1 = Float64Array.from({ length: K * n }, () => rng.normal());
      f.evaluate(eta1);
      f.setReference();
      whole(eta1, fs, cs);
      // The state moves on; new slots' rows stay at the reference.
      f.evaluate(Float64Array.from({ length: K * n }, () => rng.normal()));
      block(eta1, [1, 4], [2, 0], [...fs, 1, 4], [...cs, 2, 0]);
      // A new reference, more slots than the heap held (it grows).
      const eta2 = Float64Array.from({ length: K * n }, () => 0.5 * rng.normal());
      f.evaluate(eta2);
      f.setReference();
      const many = Array.from({ length: 40 }, (_, t) => t % (p + 1));
      const manyCls = Array.from({ length: 40 }, (_, t) => Math.floor(t / (p + 1)) % K);
      whole(eta2, many, manyCls);
      block(eta2, [2], [2], [...many, 2], [...manyCls, 2]);
      // More slots than one block of the cross products (128 rows).
      const more = Array.from({ length: 150 }, (_, t) => (7 * t) % (p + 1));
      const moreCls = Array.from({ length: 150 }, (_, t) => (t * 5 + Math.floor(t / 7)) % K);
      whole(eta2, more, moreCls);
      f.release();
    });

  it("multinomial at the reference with many slots (the packed products' route, 1 and 2 threads): the whole Hessian and new slots' rows equal the definition to 1e-12, the same bits on any number of threads", () => {
    // n·m²/2 ≥ 2²⁴ multiply-adds: VᵀV and W_cᵀW_c on the packed product, on the cores.
    const N = 2100;
    const P = 60;
    const K = 4;
    const m = 128;
    const r = new Random(23);
    const X = Float64Array.from({ length: (P + 1) * N }, (_, k) => (k >= P * N ? 1 : r.normal()));
    const y = Int32Array.from({ length: N }, () => Math.floor(r.uniform() * K));
    const wt = Float64Array.from({ length: N }, () => r.uniform() / N);
    const eta = Float64Array.from({ length: K * N }, () => r.normal());
    // Slots in no class order, the intercept column among them; classes of unequal sizes.
    const fs = Array.from({ length: m }, (_, t) => (11 * t) % (P + 1));
    const cs = Int32Array.from({ length: m }, (_, t) => (t * t + Math.floor(t / 5)) % K);
    const offs = Int32Array.from(fs, (j) => j * N);
    const prob = new Float64Array(K * N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let c = 0; c < K; c++) s += Math.exp(eta[c * N + i]);
      for (let c = 0; c < K; c++) prob[c * N + i] = Math.exp(eta[c * N + i]) / s;
    }
    // Then 21 new slots' rows against all (18 of one class: more than one chunk of 16 rows), at the reference
    // while the state has moved on.
    const mA = 21;
    const mB = m + mA;
    const offsB = Int32Array.from({ length: mB }, (_, t) =>
      t < m ? offs[t] : ((5 * t) % (P + 1)) * N,
    );
    const clsB = Int32Array.from({ length: mB }, (_, t) => (t < m ? cs[t] : t % 7 === 0 ? 2 : 1));
    const run = () => {
      const f = new MultinomialDatafit(y, K, wt);
      f.evaluate(eta);
      f.setReference();
      const out = new Float64Array(m * m);
      f.referenceHessian(X, offs, cs, m, out);
      f.evaluate(Float64Array.from({ length: K * N }, (_, k) => 0.5 * Math.sin(k)));
      const rows = new Float64Array(mA * mB);
      f.entryBlock(X, offsB.subarray(m), clsB.subarray(m), mA, offsB, clsB, mB, rows);
      f.release();
      return [out, rows];
    };
    setThreads(1);
    const one = run();
    setThreads(Infinity);
    const two = run();
    for (const t of [0, 1])
      for (let k = 0; k < one[t].length; k++)
        assert.ok(
          Object.is(one[t][k], two[t][k]),
          `${t} ${k}: ${one[t][k]} on 1 thread, ${two[t][k]} on 2`,
        );
    const h = (oa: number, ca: number, ob: number, cb: number) => {
      let s = 0;
      for (let i = 0; i < N; i++) {
        const pa = prob[ca * N + i];
        s += X[oa + i] * X[ob + i] * wt[i] * pa * ((ca === cb ? 1 : 0) - prob[cb * N + i]);
      }
      return s;
    };
    for (let a = 0; a < m; a += 3)
      for (let b = 0; b < m; b++) {
        const s = h(offs[a], cs[a], offs[b], cs[b]);
        assert.ok(
          Math.abs(one[0][a * m + b] - s) <= 1e-12,
          `(${a}, ${b}): ${one[0][a * m + b]} vs ${s}`,
        );
      }
    for (let a = 0; a < mA; a++)
      for (let b = 0; b < mB; b += 2) {
        const s = h(offsB[m + a], clsB[m + a], offsB[b], clsB[b]);
        const v = one[1][a * mB + b];
        assert.ok(Math.abs(v - s) <= 1e-12, `row ${a}, (${b}): ${v} vs ${s}`);
      }
  });

  it("Poisson: the weighted Gram Σ ŵμ x_a x_b, to 1e-12", () => {
    const y = Float64Array.from({ length: n }, () => Math.floor(3 * rng.uniform()));
    const f = new SingleDatafit(poisson, y, w, new Float64Array(n), true);
    const eta = Float64Array.from({ length: n }, () => 0.3 * rng.normal());
    f.evaluate(eta);
    const offs = Int32Array.from([6, 2, 4, 0, 5], (j) => j * n);
    const m = offs.length;
    const out = new Float64Array(m * m);
    f.entryHessian(xs, offs, new Int32Array(m), m, out);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let i = 0; i < n; i++)
          s += w[i] * Math.exp(eta[i]) * xs[offs[a] + i] * xs[offs[b] + i];
        assert.ok(Math.abs(out[a * m + b] - s) <= 1e-12 * Math.max(1, Math.abs(s)), `(${a}, ${b})`);
      }
  });

  it("the Cholesky solve returns x with A x = b to 1e-10 on a 41 × 41 system (odd order: the two-row sweep's tail)", () => {
    const m = 41;
    const g = Float64Array.from({ length: m * m }, () => rng.normal());
    const A = new Float64Array(m * m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = a === b ? 1 : 0;
        for (let k = 0; k < m; k++) s += g[a * m + k] * g[b * m + k];
        A[a * m + b] = s;
      }
    const rhs = Float64Array.from({ length: m }, () => rng.normal());
    const x = rhs.slice();
    choleskySolveInPlace(A.slice(), m, x);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let b = 0; b < m; b++) s += A[a * m + b] * x[b];
      assert.ok(Math.abs(s - rhs[a]) <= 1e-10 * Math.max(1, Math.abs(rhs[a])), `row ${a}`);
    }
  });
});
