import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoreDesign, DesignFull } from "../../src/data/coreDesign.js";
import { cscMatrix, denseMatrix, denseToCsc, fit, Random } from "../../src/index.js";
import type { FitOptions } from "../../src/path/fit.js";
import { dense } from "../helpers/fixtures.js";

/** n × p with 15 % non-zeros of mean 1 (so that centering matters), and responses of each kind. */
function data(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let t = 0; t < x.length; t++) if (rng.uniform() < 0.15) x[t] = 1 + rng.normal();
  const eta = Float64Array.from({ length: n }, (_, i) => x[i] - x[n + i] + 0.5 * x[2 * n + i]);
  const pick = (e: number) => {
    const q = [Math.exp(e), 1, Math.exp(-e)];
    let u = rng.uniform() * (q[0] + q[1] + q[2]);
    let c = 0;
    while (c < 2 && (u -= q[c]) > 0) c++;
    return c + 1;
  };
  return {
    x: denseMatrix(n, p, x),
    gaussian: Float64Array.from(eta, (e) => e + rng.normal()),
    binomial: Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0)),
    poisson: Float64Array.from(eta, (e) => Math.round(2 * Math.exp(0.3 * e) * rng.uniform())),
    multinomial: Float64Array.from(eta, pick),
    time: Float64Array.from(eta, (e) => Math.exp(-0.3 * e) * (0.2 + rng.uniform())),
    status: Float64Array.from(eta, () => (rng.uniform() < 0.7 ? 1 : 0)),
  };
}

describe("the model core on a sparse design (CoreDesign: strong columns dense, the rest read sparse)", () => {
  const n = 200;
  const p = 30;
  const d = data(n, p, 7);
  const sparse = denseToCsc(d.x);
  const groups = Array.from({ length: p }, (_, j) => Math.floor(j / 3));
  const cases: [string, Float64Array, FitOptions][] = [
    // (`fit` runs these on the sparse GLM solver: test/path/sparseNonconvexGlm.test.ts.)
    ["binomial MCP", d.binomial, { family: "binomial", penalty: "mcp", solver: "core" }],
    ["Poisson SCAD", d.poisson, { family: "poisson", penalty: "scad", solver: "core" }],
    ["Gaussian group", d.gaussian, { penalty: "group", groups }],
    [
      "binomial sparse group, weighted",
      d.binomial,
      {
        family: "binomial",
        penalty: "group",
        groups,
        alpha: 0.5,
        weights: Float64Array.from({ length: n }, (_, i) => 1 + (i % 3)),
      },
    ],
    [
      "Poisson group, no intercept",
      d.poisson,
      {
        family: "poisson",
        penalty: "group",
        groups,
        intercept: false,
      },
    ],
    ["multinomial group", d.multinomial, { family: "multinomial", penalty: "group", groups }],
    ["grouped multinomial", d.multinomial, { family: "multinomial", typeMultinomial: "grouped" }],
    ["Cox", d.time, { family: "cox", status: d.status }],
    ["Cox group", d.time, { family: "cox", status: d.status, penalty: "group", groups }],
    ["Gamma (log link)", d.time, { family: "gamma" }],
    ["binomial probit", d.binomial, { family: "binomial", link: "probit" }],
    [
      "binomial elastic net on the core",
      d.binomial,
      {
        family: "binomial",
        solver: "core",
        alpha: 0.5,
      },
    ],
  ];
  for (const [name, y, options] of cases)
    it(`${name}: the sparse path is the dense path`, () => {
      const a = fit(d.x, y, options);
      const b = fit(sparse, y, options);
      assert.notEqual(b.solver, "irls");
      assert.equal(b.lambda.length, a.lambda.length);
      const K = a.coefficients[0].length;
      for (let l = 0; l < a.lambda.length; l++) {
        assert.ok(Math.abs(b.lambda[l] / a.lambda[l] - 1) <= 1e-12, `λ #${l + 1}`);
        assert.ok(
          Math.abs(b.objective[l] - a.objective[l]) <= 1e-10 * Math.abs(a.objective[l]),
          `objective at λ #${l + 1}: ${b.objective[l]} against ${a.objective[l]}`,
        );
        for (let c = 0; c < K; c++) {
          const u = dense(p, a.coefficients[l][c]);
          const v = dense(p, b.coefficients[l][c]);
          for (let j = 0; j < p; j++)
            assert.ok(
              Math.abs(u[j] - v[j]) <= 1e-7 * (1 + Math.abs(u[j])),
              `β ${j} at λ #${l + 1}`,
            );
        }
        assert.ok(
          b.kktMax[l] <= 1e-7 * Math.max(b.lambda[l], b.lambda[0] / 100),
          `KKT at λ #${l + 1}`,
        );
      }
    });

  it("a design past the core's 2 GiB dense fits, with λ_max computed independently", () => {
    // 70 000 × 4000 (2.2 GiB dense, refused before): a group lasso path's first points.
    const rows = 70_000;
    const cols = 4000;
    const rng = new Random(11);
    // About 20 distinct rows per column, sorted, values in [1, 2).
    const colPtr = new Int32Array(cols + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let j = 0; j < cols; j++) {
      const picked = new Set<number>();
      for (let t = 0; t < 20; t++) picked.add(Math.floor(rng.uniform() * rows));
      for (const r of [...picked].sort((a, b) => a - b)) {
        idx.push(r);
        val.push(1 + rng.uniform());
      }
      colPtr[j + 1] = idx.length;
    }
    const x = cscMatrix(rows, cols, colPtr, Int32Array.from(idx), Float64Array.from(val));
    const y = new Float64Array(rows);
    for (let j = 0; j < 6; j++)
      for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) y[x.rowIndex[k]] += x.values[k];
    for (let i = 0; i < rows; i++) y[i] += 0.1 * rng.normal();
    const g = Array.from({ length: cols }, (_, j) => Math.floor(j / 4));
    const f = fit(x, y, { penalty: "group", groups: g, nLambda: 4, lambdaMinRatio: 0.5 });
    assert.equal(f.lambda.length, 4);
    assert.deepEqual(f.warnings, []);
    // glmnet-style λ_max of the group lasso: max over groups of ‖X̃_gᵀ(y − ȳ)‖/(n·√|g|), X̃ the
    // columns centered and scaled to unit population sd, from the sparse entries.
    let ybar = 0;
    for (let i = 0; i < rows; i++) ybar += y[i] / rows;
    let lamMax = 0;
    for (let g0 = 0; g0 < cols; g0 += 4) {
      let s2 = 0;
      for (let j = g0; j < g0 + 4; j++) {
        let sum = 0;
        let sq = 0;
        let dot = 0;
        for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) {
          sum += x.values[k];
          sq += x.values[k] ** 2;
          dot += x.values[k] * (y[x.rowIndex[k]] - ybar);
        }
        const mean = sum / rows;
        const sd = Math.sqrt(sq / rows - mean * mean);
        s2 += (dot / sd / rows) ** 2;
      }
      lamMax = Math.max(lamMax, Math.sqrt(s2) / 2);
    }
    assert.ok(Math.abs(f.lambda[0] / lamMax - 1) <= 1e-9, `${f.lambda[0]} against ${lamMax}`);
    for (let l = 0; l < 4; l++) assert.ok(f.kktMax[l] <= 1e-7 * f.lambda[l]);
    assert.ok(f.df[3] > 0);
  });
});

describe("CoreDesign", () => {
  const n = 50;
  /** A design's population moments, and its standardized column j. */
  function standardized(x: { data: Float64Array; nCols: number }) {
    const p = x.nCols;
    const center = new Float64Array(p);
    const scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x.data[j * n + i] / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x.data[j * n + i] - m) ** 2 / n;
      center[j] = m;
      scale[j] = Math.sqrt(v) || 1;
    }
    const column = (j: number) =>
      Float64Array.from({ length: n }, (_, i) => (x.data[j * n + i] - center[j]) / scale[j]);
    return { center, scale, include: new Uint8Array(p).fill(1), column };
  }

  it("dense input: every column at j·n, the ones at p·n", () => {
    const { x } = data(n, 12, 3);
    const { center, scale, include, column } = standardized(x);
    const design = new CoreDesign(x, center, scale, include);
    for (let j = 0; j < 12; j++) {
      assert.equal(design.off(j), j * n);
      const c = column(j);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(design.xs[j * n + i] - c[i]) <= 1e-15);
    }
    assert.equal(design.off(12), 12 * n);
    assert.equal(design.xs[12 * n + 7], 1);
    design.release();
  });

  it("sparse input: the columns asked for only; the rest read sparse; a limit refuses more", () => {
    const p = 12;
    const { x } = data(n, p, 3);
    const { center, scale, include, column } = standardized(x);
    const design = new CoreDesign(denseToCsc(x), center, scale, include, 4 * n);
    assert.equal(design.has(p), true);
    assert.equal(design.has(0), false);
    const r = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i));
    let sum = 0;
    for (let i = n; i < 2 * n; i++) sum += r[i];
    for (let j = 0; j < p; j++) {
      const c = column(j);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += c[i] * r[n + i];
      assert.ok(
        Math.abs(design.sparseDot(j, r.subarray(n), sum) - dot) <= 1e-12 * (1 + Math.abs(dot)),
      );
    }
    design.ensure([5, 2], 2);
    const off5 = design.off(5);
    assert.equal(design.ensure([2], 1), false);
    design.ensure([9], 1);
    for (const j of [5, 2, 9]) {
      const c = column(j);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(design.xs[design.off(j) + i] - c[i]) <= 1e-15);
    }
    assert.equal(design.has(3), false);
    // The limit holds 4 columns (the ones included): a fifth is refused, the others kept.
    assert.throws(() => design.ensure([3], 1), DesignFull);
    assert.equal(design.off(5), off5);
    assert.equal(design.has(3), false);
    design.release();
  });

  it("sparse input: the heap grows by doubling, each column keeping its slot and values", () => {
    const p = 80;
    const { x } = data(n, p, 4);
    const { center, scale, include, column } = standardized(x);
    const design = new CoreDesign(denseToCsc(x), center, scale, include);
    assert.equal(design.cap, 32);
    design.ensure([70, 3], 2);
    const offs = [design.off(70), design.off(3)];
    const first = design.xs;
    assert.equal(
      design.ensure(
        Int32Array.from({ length: 40 }, (_, j) => j),
        40,
      ),
      true,
    );
    assert.notEqual(design.xs, first);
    assert.equal(design.cap, 64);
    assert.deepEqual([design.off(70), design.off(3)], offs);
    for (const j of [70, 3, 0, 39]) {
      const c = column(j);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(design.xs[design.off(j) + i] - c[i]) <= 1e-15);
    }
    for (let i = 0; i < n; i++) assert.equal(design.xs[design.off(p) + i], 1);
    design.release();
  });
});
