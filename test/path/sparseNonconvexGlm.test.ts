import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc, fit, glmPath, InputError, Random } from "../../src/index.js";
import type { FitOptions } from "../../src/path/fit.js";
import { dense } from "../helpers/fixtures.js";

// Binomial and Poisson MCP / SCAD on a sparse design run on the sparse GLM solver (SparseGlmCd
// with the penalty's coordinate minimizer, damped where its jumps fail). Checked against truths
// that share none of its code: the objective and its one-coordinate perturbations evaluated from
// the original-scale coefficients on the dense matrix, the model core's dense path where the
// problem has one stationary path (n ≫ p), and the lasso as MCP's γ → ∞.

/** n × p at about 6 % non-zeros (values 1 + N(0, 1)), one all-zero column, responses of each kind. */
function data(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let t = 0; t < x.length; t++)
    if (Math.floor(t / n) !== 4 && rng.uniform() < 0.06) x[t] = 1 + rng.normal();
  const eta = Float64Array.from(
    { length: n },
    (_, i) => 1.2 * x[i] - 0.9 * x[n + i] + 0.6 * x[2 * n + i] - 0.3,
  );
  return {
    x,
    binomial: Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0)),
    poisson: Float64Array.from(eta, (e) => Math.round(2 * Math.exp(0.4 * e) * rng.uniform())),
    weights: Float64Array.from({ length: n }, () => 0.5 + rng.uniform()),
    offset: Float64Array.from({ length: n }, () => 0.2 * rng.normal()),
  };
}

/** The MCP / SCAD value at t = |b| (Breheny & Huang 2011), written out here. */
function pen(kind: "mcp" | "scad", t: number, l: number, g: number): number {
  if (kind === "mcp") return t <= g * l ? l * t - (t * t) / (2 * g) : (g * l * l) / 2;
  if (t <= l) return l * t;
  if (t <= g * l) return (2 * g * l * t - t * t - l * l) / (2 * (g - 1));
  return (l * l * (g + 1)) / 2;
}

interface Spec {
  family: "binomial" | "poisson";
  kind: "mcp" | "scad";
  gamma: number;
  weights?: Float64Array;
  offset?: Float64Array;
  pf?: number[];
}

/**
 * The objective Σŵ ℓ + Σⱼ p(|sⱼβⱼ|; λ·pfⱼ, γ) at (a0, β) on the original scale, with sⱼ the
 * weighted population sd and the penalty factors rescaled to sum to the number of features.
 */
function objective(x: Float64Array, y: Float64Array, n: number, p: number, s: Spec) {
  const w = Array.from({ length: n }, (_, i) => (s.weights ? s.weights[i] : 1));
  const W = w.reduce((a, b) => a + b, 0);
  const mean = Array.from({ length: p }, (_, j) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += (w[i] / W) * x[j * n + i];
    return m;
  });
  const sd = mean.map((m, j) => {
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i] / W) * (x[j * n + i] - m) ** 2;
    return Math.sqrt(v);
  });
  const pf = Array.from({ length: p }, (_, j) => (s.pf ? s.pf[j] : 1));
  // glmnet rescales the factors to sum to the number of features.
  const total = pf.reduce((a, f) => a + f, 0);
  return (lambda: number, a0: number, beta: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let eta = a0 + (s.offset ? s.offset[i] : 0);
      for (let j = 0; j < p; j++) eta += x[j * n + i] * beta[j];
      const l =
        s.family === "binomial"
          ? Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - y[i] * eta
          : Math.exp(eta) - y[i] * eta;
      loss += (w[i] / W) * l;
    }
    let penalty = 0;
    for (let j = 0; j < p; j++)
      if (beta[j] !== 0 && pf[j] > 0)
        penalty += pen(s.kind, Math.abs(sd[j] * beta[j]), (lambda * pf[j] * p) / total, s.gamma);
    return { value: loss + penalty, sd, mean };
  };
}

describe("binomial and Poisson MCP / SCAD on a sparse design (the sparse GLM solver)", () => {
  const n = 300;
  const p = 40;
  const d = data(n, p, 23);
  const m = denseMatrix(n, p, d.x);
  const sparse = denseToCsc(m);
  const pf = Array.from({ length: p }, (_, j) => (j === 6 ? 0 : j % 5 === 2 ? 2 : 1));
  const cases: [string, Spec, FitOptions][] = [
    ["binomial MCP", { family: "binomial", kind: "mcp", gamma: 3 }, {}],
    [
      "binomial SCAD, weights and penalty factors (one 0)",
      { family: "binomial", kind: "scad", gamma: 3.7, weights: d.weights, pf },
      { weights: d.weights, penaltyFactor: pf },
    ],
    [
      "Poisson MCP γ 2, offset",
      { family: "poisson", kind: "mcp", gamma: 2, offset: d.offset },
      { gamma: 2, offset: d.offset },
    ],
    ["Poisson SCAD", { family: "poisson", kind: "scad", gamma: 3.7 }, {}],
  ];
  for (const [name, spec, extra] of cases)
    it(`${name}: every point certified, its objective and local minimality checked independently`, () => {
      const y = d[spec.family];
      const f = fit(sparse, y, {
        family: spec.family,
        penalty: spec.kind,
        nLambda: 40,
        ...extra,
      });
      assert.equal(f.solver, "irls");
      assert.equal(f.penalty, spec.kind);
      assert.equal(f.gamma, spec.gamma);
      assert.deepEqual(f.warnings, []);
      const F = objective(d.x, y, n, p, spec);
      let moved = 0;
      for (let l = 0; l < f.lambda.length; l++) {
        const lam = f.lambda[l];
        // First-order conditions to 1e6·thresh·λ (the sparse GLM solver's rule; 1e-3·λ at the
        // default thresh, so that the slopes below can tell a violation the certificate hides).
        assert.ok(f.kktMax[l] <= 1e-3 * lam, `KKT ${f.kktMax[l]} at λ #${l + 1}`);
        const beta = dense(p, f.coefficients[l][0]);
        const a0 = f.intercepts[l][0];
        const at = F(lam, a0, beta);
        assert.ok(
          Math.abs(at.value - f.objective[l]) <= 1e-12 * Math.abs(at.value),
          `objective at λ #${l + 1}: ${f.objective[l]} against ${at.value}`,
        );
        // The one-sided slopes of the objective along each standardized coordinate, by finite
        // differences: none falls below −(the certified violation), up to the differences'
        // rounding and curvature (2e-7).
        const eps = 1e-6;
        for (let j = 0; j < p; j++) {
          if (at.sd[j] === 0) continue;
          for (const sgn of [-1, 1]) {
            // Along the standardized (centered) coordinate: the intercept makes up the mean.
            const b = Float64Array.from(beta);
            const e = (sgn * eps) / at.sd[j];
            b[j] += e;
            const slope = (F(lam, a0 - at.mean[j] * e, b).value - at.value) / eps;
            assert.ok(
              slope >= -(f.kktMax[l] + 2e-7),
              `β${j} ${sgn > 0 ? "+" : "−"} at λ #${l + 1}: slope ${slope}`,
            );
          }
        }
        if (f.coefficients[l][0].index.length > 0) moved++;
      }
      assert.ok(moved >= 30, `only ${moved} points with a non-zero coefficient`);
    });

  // Where n ≫ p the path of stationary points is one: the core (dense, proximal Newton) finds it
  // too. (At 300 × 40 the binomial's can branch: each solver may follow another.)
  const q = 20;
  const tall = data(1000, q, 29);
  const mt = denseMatrix(1000, q, tall.x);
  for (const [name, family, kind] of [
    ["binomial MCP", "binomial", "mcp"],
    ["binomial SCAD", "binomial", "scad"],
    ["Poisson MCP", "poisson", "mcp"],
    ["Poisson SCAD", "poisson", "scad"],
  ] as const)
    it(`${name}: the sparse path is the model core's dense path (1000 × 20)`, () => {
      const y = tall[family];
      const a = fit(mt, y, { family, penalty: kind, thresh: 1e-12 });
      const b = fit(denseToCsc(mt), y, { family, penalty: kind, thresh: 1e-12 });
      assert.equal(a.solver, "prox-newton");
      assert.equal(b.solver, "irls");
      assert.equal(b.lambda.length, a.lambda.length);
      assert.deepEqual(b.warnings, []);
      let same = 0;
      for (let l = 0; l < a.lambda.length; l++) {
        // Never above the core's objective (which stalls on some binomial SCAD points a few
        // 1e-6·λ short, and can follow another branch of stationary points); where the two reach
        // the same objective and the core certifies its point, the same coefficients.
        const gap = (b.objective[l] - a.objective[l]) / Math.abs(a.objective[l]);
        assert.ok(
          gap <= 1e-9,
          `objective at λ #${l + 1}: ${b.objective[l]} against ${a.objective[l]}`,
        );
        if (gap < -1e-9 || a.kktMax[l] > 1e-7 * Math.max(a.lambda[l], a.lambda[0] / 100)) continue;
        same++;
        const u = dense(q, a.coefficients[l][0]);
        const v = dense(q, b.coefficients[l][0]);
        for (let j = 0; j < q; j++)
          assert.ok(Math.abs(u[j] - v[j]) <= 1e-5 * (1 + Math.abs(u[j])), `β${j} at λ #${l + 1}`);
      }
      assert.ok(
        same >= 0.8 * a.lambda.length,
        `the same point at only ${same} of ${a.lambda.length}`,
      );
    });

  it("MCP with γ → ∞ is the lasso (the sparse lasso path at the same λ)", () => {
    const lasso = glmPath("binomial", sparse, d.binomial, { thresh: 1e-12, nLambda: 30 });
    const mcp = fit(sparse, d.binomial, {
      family: "binomial",
      penalty: "mcp",
      gamma: 1e7,
      thresh: 1e-12,
      lambda: lasso.lambda,
    });
    assert.equal(mcp.solver, "irls");
    for (let l = 0; l < lasso.lambda.length; l++) {
      const u = dense(p, lasso.beta[l]);
      const v = dense(p, mcp.coefficients[l][0]);
      for (let j = 0; j < p; j++)
        assert.ok(Math.abs(u[j] - v[j]) <= 1e-5 * (1 + Math.abs(u[j])), `β${j} at λ #${l + 1}`);
    }
  });

  it("a small sparse design at the default thresh: every point converges (no warning), KKT ≤ 1e-3·λ", () => {
    // 500 × 2000 at 2 %: small enough to hold dense, where the elastic net takes the dense KKT
    // target; MCP / SCAD keep the sparse one (with the dense one their damped steps hit the
    // Newton-step limit at 21 of 29 points here).
    const n = 500;
    const p = 2000;
    const rng = new Random(3);
    const x = new Float64Array(n * p);
    for (let t = 0; t < x.length; t++)
      if (rng.uniform() < 0.02) x[t] = 1 + Math.floor(3 * rng.uniform());
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < 20; j++) e += (j % 2 ? 1 : -1) * x[j * n + i];
      y[i] = rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
    }
    const sp = denseToCsc(denseMatrix(n, p, x));
    for (const penalty of ["mcp", "scad"] as const) {
      const f = fit(sp, y, { family: "binomial", penalty });
      assert.deepEqual(f.warnings, [], penalty);
      for (let k = 0; k < f.lambda.length; k++)
        assert.ok(f.kktMax[k] <= 1e-3 * f.lambda[k], `${penalty} λ #${k + 1}: KKT ${f.kktMax[k]}`);
    }
  });

  it("a sparse design with more than 10 % non-zeros runs on the model core", () => {
    const rng = new Random(5);
    const x = Float64Array.from({ length: 200 * 8 }, () =>
      rng.uniform() < 0.3 ? rng.normal() : 0,
    );
    const y = Float64Array.from({ length: 200 }, (_, i) => (x[i] + rng.normal() > 0 ? 1 : 0));
    const f = fit(denseToCsc(denseMatrix(200, 8, x)), y, { family: "binomial", penalty: "scad" });
    assert.equal(f.solver, "prox-newton");
  });

  it("box limits, an α and a bad γ are refused, naming the option", () => {
    for (const x of [m, sparse]) {
      assert.throws(
        () => fit(x, d.binomial, { family: "binomial", penalty: "mcp", lowerLimits: 0 }),
        (e: unknown) => e instanceof InputError && /lowerLimits.*mcp/.test(e.message),
      );
      assert.throws(
        () => fit(x, d.poisson, { family: "poisson", penalty: "scad", alpha: 0.5 }),
        (e: unknown) => e instanceof InputError && /alpha/.test(e.message),
      );
      assert.throws(
        () => fit(x, d.poisson, { family: "poisson", penalty: "scad", gamma: 2 }),
        (e: unknown) => e instanceof InputError && /gamma.*> 2 for scad/.test(e.message),
      );
    }
    assert.throws(
      () => fit(m, d.binomial, { family: "binomial", penalty: "group", upperLimits: 1 }),
      /upperLimits.*group/,
    );
  });
});
