import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/random.js";
import { denseMatrix, denseToCsc, glmPath, type GlmOptions } from "../../src/index.js";
import { sparseSolverGlmPath } from "../../src/path/glmPath.js";
import { dense, objective } from "../helpers/fixtures.js";

// The sparse GLM solver (SparseGlmCd: naive coordinate descent with implicit centering) against
// the dense one (GlmCd: compact active-set Newton) on the same data: two independent solvers of
// one objective, checked also by a brute-force evaluation of that objective.

/** A text-like design: ~8 % non-zeros, log counts, one all-zero column, one dense column. */
function textLike(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) {
      if (j === 3) continue; // all zero: constant, never moves
      if (j === 5 || rng.uniform() < 0.08)
        x[j * n + i] = Math.log1p(1 + Math.floor(3 * rng.uniform()));
    }
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++)
    eta[i] = -0.3 + 1.2 * x[i] - 0.9 * x[n + i] + 0.8 * x[6 * n + i] + 0.5 * x[9 * n + i];
  const yb = Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
  const yp = Float64Array.from(eta, (e) => {
    // Poisson draws by inversion.
    const mu = Math.exp(0.5 * e);
    let k = 0;
    let q = Math.exp(-mu);
    let c = q;
    const u = rng.uniform();
    while (u > c && k < 50) {
      k++;
      q *= mu / k;
      c += q;
    }
    return k;
  });
  const weights = Array.from({ length: n }, () => 0.5 + rng.uniform());
  const offset = Array.from({ length: n }, () => 0.2 * rng.normal());
  return { x, yb, yp, weights, offset };
}

describe("sparse GLM paths (SparseGlmCd) agree with the dense solver", () => {
  const n = 240;
  const p = 40;
  const d = textLike(n, p, 17);
  const m = denseMatrix(n, p, d.x);
  const sparse = denseToCsc(m);
  const pf = Array.from({ length: p }, (_, j) => (j === 7 ? 0 : j % 4 === 1 ? 2 : 1));
  const cases: [string, "binomial" | "poisson", GlmOptions][] = [
    ["binomial lasso", "binomial", {}],
    ["binomial elastic net α 0.4, weights", "binomial", { alpha: 0.4, weights: d.weights }],
    [
      "binomial, penalty factors (one 0), lower limit 0",
      "binomial",
      { penaltyFactor: pf, lowerLimits: 0 },
    ],
    [
      "binomial without intercept, unstandardized",
      "binomial",
      { intercept: false, standardize: false },
    ],
    ["poisson lasso with an offset", "poisson", { offset: d.offset }],
    [
      "poisson α 0.7, weights, upper limit 0.5",
      "poisson",
      { alpha: 0.7, weights: d.weights, upperLimits: 0.5 },
    ],
  ];
  for (const [name, family, opts] of cases)
    it(`${name}: same objective (1e-12), the sparse solver's KKT ≤ 1e-8·λ at thresh 1e-14`, () => {
      const y = family === "binomial" ? d.yb : d.yp;
      const ref = glmPath(family, m, y, { ...opts, thresh: 1e-14 });
      const fit = sparseSolverGlmPath(family, sparse, y, {
        ...opts,
        thresh: 1e-14,
        lambda: ref.lambda,
      });
      assert.equal(fit.lambda.length, ref.lambda.length);
      const spec = {
        family,
        alpha: opts.alpha ?? 1,
        weights: opts.weights,
        offset: opts.offset,
        penaltyFactor: opts.penaltyFactor,
        standardize: opts.standardize,
      };
      for (let k = 0; k < ref.lambda.length; k++) {
        const lam = ref.lambda[k];
        const scale = Math.abs(ref.objective[k]);
        assert.ok(
          Math.abs(fit.objective[k] - ref.objective[k]) <= 1e-12 * scale,
          `λ #${k + 1}: sparse ${fit.objective[k]} vs dense ${ref.objective[k]}`,
        );
        const brute = objective(d.x, y, n, p, spec, lam, fit.intercept[k], dense(p, fit.beta[k]));
        assert.ok(
          Math.abs(brute - fit.objective[k]) <= 1e-12 * scale,
          `λ #${k + 1}: reported ${fit.objective[k]}, brute force ${brute}`,
        );
        assert.ok(fit.kktMax[k] <= 1e-8 * lam, `λ #${k + 1}: KKT ${fit.kktMax[k]}`);
        // The same coefficients (on the original scale) to 1e-6 of the largest: the objective is
        // flat near its optimum, so 1e-12 in value allows about 1e-6 in the coefficients.
        const bs = dense(p, fit.beta[k]);
        const bd = dense(p, ref.beta[k]);
        const big = Math.max(1, ...bd.map(Math.abs));
        for (let j = 0; j < p; j++)
          assert.ok(Math.abs(bs[j] - bd[j]) <= 1e-6 * big, `λ #${k + 1}, β${j}`);
        // The all-zero column never moves.
        assert.ok(!Array.from(fit.beta[k].index).includes(3));
      }
    });

  it("an odd number of rows (the binomial evaluation kernel's zero-weight pad): same objective as dense and brute force", () => {
    const n1 = 239;
    const d1 = textLike(n1, p, 18);
    const m1 = denseMatrix(n1, p, d1.x);
    const opts = { thresh: 1e-14, weights: d1.weights.slice(0, n1) };
    const ref = glmPath("binomial", m1, d1.yb, opts);
    const fit = sparseSolverGlmPath("binomial", denseToCsc(m1), d1.yb, {
      ...opts,
      lambda: ref.lambda,
    });
    const spec = { family: "binomial" as const, alpha: 1, weights: opts.weights };
    for (let k = 0; k < ref.lambda.length; k++) {
      const scale = Math.abs(ref.objective[k]);
      assert.ok(Math.abs(fit.objective[k] - ref.objective[k]) <= 1e-12 * scale, `λ #${k + 1}`);
      const brute = objective(
        d1.x,
        d1.yb,
        n1,
        p,
        spec,
        ref.lambda[k],
        fit.intercept[k],
        dense(p, fit.beta[k]),
      );
      assert.ok(Math.abs(brute - fit.objective[k]) <= 1e-12 * scale, `λ #${k + 1}: brute force`);
    }
  });

  it("at the default thresh, a design small enough to hold dense is certified as the dense solver certifies (KKT ≤ 1e-7·λ), with its coefficients", () => {
    // 240 × 40: denseIsBetter, so the sparse solver takes the dense target (100·thresh·λ), not
    // the large-design one (1e6·thresh·λ, the 3000 × 400 000 test below): the same data as CSV
    // and as svmlight give the same path.
    const ref = glmPath("binomial", m, d.yb, { thresh: 1e-12 });
    const onDense = glmPath("binomial", m, d.yb, { lambda: ref.lambda });
    const fit = sparseSolverGlmPath("binomial", sparse, d.yb, { lambda: ref.lambda });
    let worst = 0;
    for (let k = 0; k < ref.lambda.length; k++) {
      assert.ok(fit.kktMax[k] <= 1.0001e-7 * ref.lambda[k], `λ #${k + 1}: KKT ${fit.kktMax[k]}`);
      const excess = (fit.objective[k] - ref.objective[k]) / Math.abs(ref.objective[k]);
      assert.ok(excess >= -1e-12 && excess <= 1e-12, `λ #${k + 1}: excess ${excess}`);
      assert.ok(fit.dualityGap[k] >= excess * Math.abs(ref.objective[k]) - 1e-15);
      const a = dense(p, fit.beta[k]);
      const b = dense(p, onDense.beta[k]);
      const scale = Math.max(...Array.from(b, Math.abs), 1e-300);
      for (let j = 0; j < p; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]) / scale);
    }
    // Measured 2.0e-7 (largest coefficient difference over the largest coefficient).
    assert.ok(worst <= 1e-6, `coefficients differ by ${worst} of the largest`);
  });

  it("glmPath runs a sparse design small enough to hold dense on the dense solver: its dense copy's path, to the last bit", () => {
    for (const family of ["binomial", "poisson"] as const) {
      const y = family === "binomial" ? d.yb : d.yp;
      const a = glmPath(family, sparse, y, { weights: d.weights });
      const b = glmPath(family, m, y, { weights: d.weights });
      assert.deepEqual(a.objective, b.objective);
      assert.deepEqual(a.beta, b.beta);
      assert.deepEqual(a.kktMax, b.kktMax);
    }
  });

  it("never densifies: a 3000 × 400 000 design with 30 000 non-zeros fits", () => {
    // Dense, this design would need 9.6 GB.
    const rows = 3000;
    const cols = 400000;
    const rng = new Random(5);
    const colPtr = new Int32Array(cols + 1);
    const rowIndex: number[] = [];
    const values: number[] = [];
    for (let j = 0; j < cols; j++) {
      if (j < 3000) {
        const used = new Set<number>();
        for (let t = 0; t < 10; t++) used.add(Math.floor(rng.uniform() * rows));
        for (const i of [...used].sort((a, b) => a - b)) {
          rowIndex.push(i);
          values.push(1);
        }
      }
      colPtr[j + 1] = rowIndex.length;
    }
    const x = {
      kind: "csc" as const,
      nRows: rows,
      nCols: cols,
      colPtr,
      rowIndex: Int32Array.from(rowIndex),
      values: Float64Array.from(values),
    };
    const y = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0));
    for (let k = 0; k < 10; k++) y[rowIndex[k]] = 1;
    const fit = glmPath("binomial", x, y, { nLambda: 10 });
    assert.equal(fit.lambda.length, 10);
    for (let k = 0; k < 10; k++) assert.ok(fit.kktMax[k] <= 1e-3 * fit.lambda[k]);
  });
});
