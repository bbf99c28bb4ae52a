import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  coefAt,
  cvPath,
  denseMatrix,
  elasticNetPath,
  fit,
  fromTable,
  glmPath,
  multinomialPath,
  Random,
  type FitPenalty,
  type ModelPath,
} from "../../src/index.js";
import { rareFeatureRows } from "../helpers/rare.js";

/** A non-separable problem: n × p Gaussian features, five of them in η. */
function simulate(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const eta = new Float64Array(n);
  for (let j = 0; j < 5; j++)
    for (let i = 0; i < n; i++) eta[i] += (j % 2 ? 1 : -1) * 0.6 * x[j * n + i];
  const y = {
    gaussian: Float64Array.from(eta, (e) => e + rng.normal()),
    binomial: Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0)),
    poisson: Float64Array.from(eta, (e) => {
      const mu = Math.exp(0.5 * e);
      let k = 0;
      let t = Math.exp(-mu);
      let s = t;
      const u = rng.uniform();
      while (u > s) s += t *= mu / ++k;
      return k;
    }),
    multinomial: Float64Array.from(eta, (e, i) => {
      const v = e + 0.5 * x[6 * n + i] + rng.normal();
      return v > 0.5 ? 3 : v > -0.5 ? 2 : 1;
    }),
  };
  return { x: denseMatrix(n, p, x), y };
}

const certified = (f: ModelPath) =>
  Math.max(...Array.from(f.kktMax, (v, k) => v / Math.max(f.lambda[k], f.lambda[0] / 100)));

const relGap = (a: Float64Array, b: Float64Array) => {
  const L = Math.min(a.length, b.length);
  let w = 0;
  for (let k = 0; k < L; k++) w = Math.max(w, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return w;
};

describe("fit: one entry point for every family × penalty", () => {
  const { x, y } = simulate(300, 12, 3);
  const groups = Array.from({ length: 12 }, (_, j) => Math.floor(j / 3));
  const families: ("gaussian" | "binomial" | "poisson" | "multinomial")[] = [
    "gaussian",
    "binomial",
    "poisson",
    "multinomial",
  ];
  const penalties: [FitPenalty, number | undefined][] = [
    ["elastic-net", 1],
    ["elastic-net", 0.5],
    ["elastic-net", 0],
    ["group", 0],
    ["group", 0.3],
    ["mcp", undefined],
    ["scad", undefined],
  ];
  for (const family of families)
    for (const [penalty, alpha] of penalties)
      it(`${family} × ${penalty}${alpha !== undefined ? ` (α = ${alpha})` : ""}: every point certified to 1e-4·max(λ, λmax/100)`, () => {
        const f = fit(x, y[family], { family, penalty, alpha, groups });
        assert.ok(f.lambda.length >= 5, `${f.lambda.length} points`);
        assert.ok(certified(f) <= 1e-4, `KKT ${certified(f)}`);
        assert.equal(f.nFeatures, 12);
        assert.ok(Array.isArray(f.warnings));
        assert.equal(f.coefficients[0].length, family === "multinomial" ? 3 : 1);
        if (penalty === "group" && alpha === 0)
          for (const sets of f.coefficients)
            for (let g = 0; g < 4; g++) {
              const inGroup = (j: number) => Math.floor(j / 3) === g;
              const nz = sets.flatMap((s) => Array.from(s.index).filter(inGroup));
              const distinct = new Set(nz).size;
              assert.ok(distinct === 0 || distinct === 3, `group ${g} partly zero`);
            }
      });
});

describe("the model core agrees with the specialised solvers (identities)", () => {
  const { x, y } = simulate(250, 10, 7);
  it("elastic net, every family: core objective within 1e-9 of the fast paths", () => {
    const pairs: ["gaussian" | "binomial" | "poisson" | "multinomial", Float64Array][] = [
      ["gaussian", elasticNetPath(x, y.gaussian, { alpha: 0.7 }).objective],
      ["binomial", glmPath("binomial", x, y.binomial, { alpha: 0.7 }).objective],
      ["poisson", glmPath("poisson", x, y.poisson, { alpha: 0.7 }).objective],
      ["multinomial", multinomialPath(x, y.multinomial, { alpha: 0.7 }).objective],
    ];
    for (const [family, fast] of pairs) {
      const core = fit(x, y[family], { family, alpha: 0.7, solver: "core" });
      assert.ok(relGap(core.objective, fast) < 1e-9, `${family}: ${relGap(core.objective, fast)}`);
    }
  });
  it("grouped multinomial with two classes is the binomial lasso at λ/√2 (β = b₂ − b₁)", () => {
    // Two classes: the softmax loss is the logistic loss of η₂ − η₁, and at the optimum
    // b₁ = −b₂, so ‖(b₁, b₂)‖₂ = |b₂ − b₁|/√2.
    const lasso = glmPath("binomial", x, y.binomial, { nLambda: 30, lambdaMinRatio: 0.01 });
    const grouped = multinomialPath(x, y.binomial, {
      typeMultinomial: "grouped",
      lambda: lasso.lambda.map((l) => l * Math.SQRT2),
    });
    for (let k = 0; k < lasso.lambda.length; k++) {
      const b = coefAt(lasso, lasso.lambda[k]).beta;
      const [b1, b2] = grouped.beta[k];
      const d = new Float64Array(b.length);
      b2.index.forEach((j, q) => (d[j] += b2.value[q]));
      b1.index.forEach((j, q) => (d[j] -= b1.value[q]));
      for (let j = 0; j < b.length; j++)
        assert.ok(
          Math.abs(d[j] - b[j]) <= 1e-6 * (1 + Math.abs(b[j])),
          `λ #${k + 1}, feature ${j}`,
        );
    }
  });
  it("MCP with γ → ∞ is the lasso (binomial; first 30 points)", () => {
    for (const family of ["binomial"] as const) {
      const lasso = glmPath(family, x, y[family], { nLambda: 30, lambdaMinRatio: 0.05 });
      const mcp = fit(x, y[family], { family, penalty: "mcp", gamma: 1e6, lambda: lasso.lambda });
      for (let k = 0; k < lasso.lambda.length; k++) {
        const a = new Float64Array(10);
        const b = new Float64Array(10);
        lasso.beta[k].index.forEach((j, t) => (a[j] = lasso.beta[k].value[t]));
        mcp.coefficients[k][0].index.forEach((j, t) => (b[j] = mcp.coefficients[k][0].value[t]));
        for (let j = 0; j < 10; j++)
          assert.ok(Math.abs(a[j] - b[j]) < 1e-5, `${family} λ${k} β${j}`);
      }
    }
  });
  it("singleton groups with α = 0 are the lasso (Poisson, multinomial per feature)", () => {
    const lasso = glmPath("poisson", x, y.poisson);
    const g = fit(x, y.poisson, {
      family: "poisson",
      penalty: "group",
      groups: Array.from({ length: 10 }, (_, j) => j),
      lambda: lasso.lambda,
    });
    assert.ok(relGap(g.objective, lasso.objective) < 1e-9);
  });
  it("grouped multinomial with two classes is the binomial lasso at λ/√2 (β = ±c/2)", () => {
    const yb = y.binomial;
    const grouped = fit(x, yb, {
      family: "multinomial",
      typeMultinomial: "grouped",
      solver: "core",
    });
    const bin = glmPath("binomial", x, yb, { lambda: grouped.lambda.map((l) => l / Math.SQRT2) });
    for (let k = 0; k < grouped.lambda.length; k++) {
      const c = new Float64Array(10);
      bin.beta[k].index.forEach((j, t) => (c[j] = bin.beta[k].value[t]));
      const b1 = new Float64Array(10);
      grouped.coefficients[k][1].index.forEach(
        (j, t) => (b1[j] = grouped.coefficients[k][1].value[t]),
      );
      for (let j = 0; j < 10; j++) assert.ok(Math.abs(2 * b1[j] - c[j]) < 1e-5, `λ${k} β${j}`);
    }
  });
  it("λ_max with an unpenalized feature: the first λ at which a penalized entry moves", () => {
    // The path's λ_max comes from the fit with the unpenalized feature (and intercepts) alone.
    // Just above it every penalized coefficient is 0; just below, one is not.
    const { x, y } = simulate(300, 8, 23);
    const pf = [0, 1, 1, 1, 1, 1, 1, 1];
    const gamma = Float64Array.from(y.poisson, (v, i) => 0.5 + v + (i % 3));
    const rows: [string, Float64Array, Record<string, unknown>][] = [
      ["multinomial", y.multinomial, { family: "multinomial" }],
      ["gamma, log link", gamma, { family: "gamma", link: "log" }],
      ["binomial MCP", y.binomial, { family: "binomial", penalty: "mcp" }],
      [
        "Poisson group",
        y.poisson,
        { family: "poisson", penalty: "group", groups: [0, 1, 1, 2, 2, 3, 3, 4] },
      ],
    ];
    for (const [name, yy, options] of rows) {
      const weights = options.penalty === "group" ? { groupWeights: [0, 1, 1, 1, 1] } : {};
      const path = fit(x, yy, { ...options, ...weights, penaltyFactor: pf });
      const top = path.lambda[0];
      const at = fit(x, yy, {
        ...options,
        ...weights,
        penaltyFactor: pf,
        lambda: [top * 1.001, top * 0.995],
      });
      const moved = (k: number) =>
        at.coefficients[k].some((c) => Array.from(c.index).some((j) => j !== 0));
      assert.equal(moved(0), false, `${name}: a penalized entry moved above λ_max`);
      assert.equal(moved(1), true, `${name}: nothing penalized moved below λ_max`);
      assert.ok(
        at.coefficients[0].some((c) => Array.from(c.index).includes(0)),
        name,
      );
      assert.ok(certified(at) <= 1e-5, `${name}: KKT ${certified(at)}`);
    }
  });

  it("bad options are one-line input errors naming the option", () => {
    assert.throws(() => fit(x, y.gaussian, { penalty: "lasso" as FitPenalty }), /option 'penalty'/);
    assert.throws(
      () => fit(x, y.poisson, { family: "poisson", penalty: "mcp", gamma: 1 }),
      /option 'gamma'/,
    );
    assert.throws(
      () => fit(x, y.poisson, { family: "poisson", penalty: "group" }),
      /option 'groups'/,
    );
    assert.throws(
      () => fit(x, y.multinomial, { family: "multinomial", offset: new Float64Array(250) }),
      /option 'offset'/,
    );
  });
});

describe("cvPath cross-validates any family × penalty", () => {
  const { x, y } = simulate(200, 8, 11);
  const groups = [0, 0, 1, 1, 2, 2, 3, 3];
  for (const family of ["binomial", "poisson", "multinomial"] as const)
    for (const penalty of ["mcp", "group"] as const)
      it(`${family} × ${penalty}: a curve, λ_min on the grid, workers or not the same`, async () => {
        const opts = { family, penalty, groups, nFolds: 4, seed: 3 };
        const a = await cvPath(x, y[family], { ...opts, workers: 0 });
        const b = await cvPath(x, y[family], { ...opts, workers: 2 });
        assert.ok(Array.from(a.lambda).includes(a.lambdaMin));
        assert.deepEqual(Array.from(a.cvm), Array.from(b.cvm));
        assert.ok(a.cvm.every((v) => Number.isFinite(v)));
      });
});

describe("cross-validation folds run the full fit's solver", () => {
  it("Gaussian MCP: a fold's path is nonconvexPath's on its training rows, not the model core's", async () => {
    const { foldFit } = await import("../../src/cv/foldJob.js");
    const { x, y } = simulate(120, 6, 5);
    const n = 120;
    const foldId = Int32Array.from({ length: n }, (_, i) => i % 4);
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => foldId[i] !== 0);
    const xt = new Float64Array(train.length * 6);
    for (let j = 0; j < 6; j++)
      train.forEach((i, r) => (xt[j * train.length + r] = x.data[j * n + i]));
    const yt = Float64Array.from(train, (i) => y.gaussian[i]);
    const own = fit(denseMatrix(train.length, 6, xt), yt, { penalty: "mcp" });
    assert.equal(own.solver, "nonconvex-cd");
    // The options a fold passes on include keys left undefined (offset, status, start, strata).
    const fold = foldFit("gaussian", x, y.gaussian, { penalty: "mcp" } as never, foldId, 0);
    assert.deepEqual(Array.from(fold.lambda), Array.from(own.lambda));
    const k = own.lambda.length - 1;
    const last = own.coefficients[k][0];
    let first = -1;
    for (let i = 0; i < n && first < 0; i++) if (foldId[i] === 0) first = i;
    let eta = own.intercepts[k][0];
    last.index.forEach((j, t) => (eta += last.value[t] * x.data[j * n + first]));
    assert.equal(fold.preds[k][0], eta);
  });
});

describe("featureNames: the path's warnings name the columns", () => {
  // A rare feature present only in rows of class 0: once MCP's flat part holds it, the loss keeps
  // falling as its coefficient grows (no minimizer at small λ), and the path says which feature.
  const d = fromTable(rareFeatureRows(), { target: "y" });
  const options = { family: "binomial", penalty: "mcp" } as const;

  it("fit and cvPath say 'feature c' with them and 'feature 2 (counting from 0)' without", async () => {
    const plain = fit(d.x, d.y, options);
    const named = fit(d.x, d.y, { ...options, featureNames: d.features });
    assert.deepEqual(d.features, ["a", "b", "c"]);
    assert.ok(plain.warnings.some((w) => /feature 2 \(counting from 0\) grows/.test(w)));
    assert.ok(named.warnings.length > 0);
    assert.deepEqual(
      named.warnings,
      plain.warnings.map((w) => w.replace("feature 2 (counting from 0)", "feature 'c'")),
    );
    // nothing else changes
    assert.deepEqual(named.objective, plain.objective);
    const cv = await cvPath(d.x, d.y, { ...options, nFolds: 3, featureNames: d.features });
    assert.ok(
      cv.fit.warnings.some((w) => /feature 'c' grows/.test(w)),
      cv.fit.warnings.join("\n"),
    );
  });

  it("refuses names that are not one string per column", () => {
    assert.throws(
      () => fit(d.x, d.y, { ...options, featureNames: ["a", "b"] }),
      /option 'featureNames': needs 3 names \(one string per column of x\), got 2/,
    );
  });
});
