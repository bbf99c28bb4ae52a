import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  denseMatrix,
  elasticNetPath,
  glmPath,
  groupLassoPath,
  groupProx,
  Random,
} from "../../src/index.js";
import { dataset } from "../helpers/fixtures.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("groupLassoPath", () => {
  const d = dataset("diabetes");
  const m = denseMatrix(d.n, d.p, d.x);
  const singles = Array.from({ length: d.p }, (_, j) => j);

  it("with one feature per group and α = 0 is the lasso (Gaussian)", () => {
    const lasso = elasticNetPath(m, d.y);
    const g = groupLassoPath(m, d.y, { groups: singles, lambda: lasso.lambda });
    for (let k = 0; k < lasso.lambda.length; k++) {
      assert.ok(rel(g.objective[k], lasso.objective[k]) < 1e-10, `λ #${k + 1}`);
      const a = new Float64Array(d.p);
      lasso.beta[k].index.forEach((j, t) => (a[j] = lasso.beta[k].value[t]));
      g.beta[k].index.forEach((j, t) => (a[j] -= g.beta[k].value[t]));
      const scale = Math.max(1, ...lasso.beta[k].value.map(Math.abs));
      assert.ok(Math.max(...a.map(Math.abs)) < 1e-6 * scale, `coefficients at λ #${k + 1}`);
    }
  });

  it("with one feature per group, group weights act as penalty factors (weighted lasso)", () => {
    const pf = [0.5, 1, 1.5, 0.5, 1, 1.5, 0.5, 1, 1.5, 1]; // sums to p, so glmnet's rescaling is moot
    const lasso = elasticNetPath(m, d.y, { penaltyFactor: pf });
    const g = groupLassoPath(m, d.y, { groups: singles, groupWeights: pf, lambda: lasso.lambda });
    for (let k = 0; k < lasso.lambda.length; k += 7)
      assert.ok(rel(g.objective[k], lasso.objective[k]) < 1e-10, `λ #${k + 1}`);
  });

  it("with one feature per group is the logistic lasso (binomial)", () => {
    const b = dataset("breast_cancer");
    const bm = denseMatrix(b.n, b.p, b.x);
    const lasso = glmPath("binomial", bm, b.y, { nLambda: 30 });
    const g = groupLassoPath(bm, b.y, {
      family: "binomial",
      groups: Array.from({ length: b.p }, (_, j) => j),
      lambda: lasso.lambda,
    });
    for (let k = 0; k < lasso.lambda.length; k++)
      assert.ok(rel(g.objective[k], lasso.objective[k]) < 1e-8, `λ #${k + 1}`);
  });

  it("sets whole groups exactly to zero, enters at λ_max, and certifies every point", () => {
    const groups = [0, 0, 1, 1, 2, 2, 2, 2, 2, 3];
    const g = groupLassoPath(m, d.y, { groups });
    assert.equal(g.groupsActive[0], 0);
    assert.ok(g.groupsActive[1] >= 1);
    for (let k = 0; k < g.lambda.length; k++) {
      const nz = new Set(Array.from(g.beta[k].index));
      for (const id of [0, 1, 2, 3]) {
        const members = groups.map((v, j) => (v === id ? j : -1)).filter((j) => j >= 0);
        const inside = members.filter((j) => nz.has(j)).length;
        assert.ok(inside === 0 || inside === members.length, `group ${id} split at λ #${k + 1}`);
      }
      // The core's certificate: KKT ≤ 1e-7·max(λ, λ_max/100), and no warning.
      const tol = 1e-7 * Math.max(g.lambda[k], g.lambda[0] / 100);
      assert.ok(g.kktMax[k] <= tol, `KKT ${g.kktMax[k]} at λ #${k + 1}`);
    }
    assert.deepEqual(g.warnings, []);
  });

  it("sparse group lasso (α = 0.5) reaches the optimum an independent FISTA finds, with zeros inside groups", () => {
    const rng = new Random(2);
    const n = 60;
    const p = 12;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    // Standardize columns (population sd, centered) so the library's standardization is the identity.
    for (let j = 0; j < p; j++) {
      let mu = 0;
      for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2 / n;
      for (let i = 0; i < n; i++) x[j * n + i] = (x[j * n + i] - mu) / Math.sqrt(v);
    }
    const y = Float64Array.from(
      { length: n },
      (_, i) => 2 * x[i] - x[n + i] + 1.5 * x[5 * n + i] + rng.normal(),
    );
    let ym = 0;
    for (const v of y) ym += v / n;
    const groups = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    const lam = 0.3;
    const alpha = 0.5;
    const g = groupLassoPath(denseMatrix(n, p, x), y, { groups, alpha, lambda: [lam] });
    // FISTA on ½·mean((y − ȳ − Xb)²) + λ(α‖b‖₁ + (1 − α)Σ√3‖b_g‖) with step 1/L, L ≥ ‖X‖²/n.
    let L = 0;
    for (let j = 0; j < p; j++) L += 1; // trace bound on λ_max(XᵀX/n) = Σ column variances
    const b = new Float64Array(p);
    const z = new Float64Array(p);
    let t = 1;
    for (let it = 0; it < 20000; it++) {
      const grad = new Float64Array(p);
      for (let i = 0; i < n; i++) {
        let r = y[i] - ym;
        for (let j = 0; j < p; j++) r -= x[j * n + i] * z[j];
        for (let j = 0; j < p; j++) grad[j] -= (x[j * n + i] * r) / n;
      }
      const u = Float64Array.from(z, (v, j) => v - grad[j] / L);
      for (let q = 0; q < 4; q++)
        groupProx(u, 3 * q, 3, (lam * alpha) / L, (lam * (1 - alpha) * Math.sqrt(3)) / L);
      const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      for (let j = 0; j < p; j++) {
        z[j] = u[j] + ((t - 1) / tn) * (u[j] - b[j]);
        b[j] = u[j];
      }
      t = tn;
    }
    const ours = new Float64Array(p);
    g.beta[0].index.forEach((j, q) => (ours[j] = g.beta[0].value[q]));
    for (let j = 0; j < p; j++)
      assert.ok(Math.abs(ours[j] - b[j]) < 1e-6, `β_${j}: ${ours[j]} vs ${b[j]}`);
    // Within-group sparsity: some active group has a zero member.
    const nz = new Set(Array.from(g.beta[0].index));
    assert.ok(
      [0, 1, 2, 3].some(
        (q) =>
          [0, 1, 2].some((t2) => nz.has(3 * q + t2)) && [0, 1, 2].some((t2) => !nz.has(3 * q + t2)),
      ),
    );
  });

  it("refuses malformed groups before any work", () => {
    assert.throws(() => groupLassoPath(m, d.y, { groups: [0, 1] }), /groups.*10/);
    assert.throws(
      () => groupLassoPath(m, d.y, { groups: singles, groupWeights: [1] }),
      /groupWeights/,
    );
    assert.throws(
      () => groupLassoPath(m, d.y, { groups: singles, family: "multinomial" as never }),
      /family/,
    );
  });
});
