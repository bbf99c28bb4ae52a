import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc, elasticNetPath, nonconvexPath } from "../../src/index.js";
import { Random } from "../../src/random.js";
import { dataset } from "../helpers/fixtures.js";
import { ols } from "../helpers/ols.js";

describe("nonconvexPath (MCP, SCAD)", () => {
  const d = dataset("diabetes");
  const m = denseMatrix(d.n, d.p, d.x);

  for (const penalty of ["mcp", "scad"] as const)
    it(`${penalty} on a sparse design: the dense design's path, with every point certified`, () => {
      // 2 % non-zeros with a non-zero mean per column: the centering is carried implicitly.
      const rng = new Random(21);
      const n = 400;
      const p = 120;
      const x = new Float64Array(n * p);
      for (let j = 0; j < p; j++)
        for (let i = 0; i < n; i++) if (rng.uniform() < 0.05) x[j * n + i] = 1 + rng.uniform();
      const y = Float64Array.from(
        { length: n },
        (_, i) => 2 * x[i] - 1.5 * x[3 * n + i] + x[7 * n + i] + 0.5 * rng.normal(),
      );
      const dense = nonconvexPath(denseMatrix(n, p, x), y, { penalty, nLambda: 40 });
      const sparse = nonconvexPath(denseToCsc(denseMatrix(n, p, x)), y, { penalty, nLambda: 40 });
      assert.equal(sparse.lambda.length, dense.lambda.length);
      for (let k = 0; k < dense.lambda.length; k++) {
        assert.ok(
          Math.abs(sparse.objective[k] - dense.objective[k]) <= 1e-9 * Math.abs(dense.objective[k]),
          `λ #${k + 1}: ${sparse.objective[k]} against ${dense.objective[k]}`,
        );
        assert.deepEqual(Array.from(sparse.beta[k].index), Array.from(dense.beta[k].index));
        assert.ok(sparse.kktMax[k] <= 1e-6 * sparse.lambda[k] + 1e-12, `λ #${k + 1}`);
      }
    });

  it("MCP with γ → ∞ is the lasso", () => {
    const lasso = elasticNetPath(m, d.y);
    const mcp = nonconvexPath(m, d.y, { penalty: "mcp", gamma: 1e9, lambda: lasso.lambda });
    // From the second point: at λ_max itself |g| = λ ties, and rounding may leave a ~1e-15 entry.
    for (let k = 1; k < lasso.lambda.length; k += 5) {
      assert.deepEqual(Array.from(mcp.beta[k].index), Array.from(lasso.beta[k].index));
      mcp.beta[k].value.forEach((v, t) =>
        assert.ok(Math.abs(v - lasso.beta[k].value[t]) < 1e-5 * (1 + Math.abs(v)), `λ #${k + 1}`),
      );
    }
  });

  for (const penalty of ["mcp", "scad"] as const) {
    it(`${penalty}: every point is a coordinate-wise minimum (first-order conditions hold)`, () => {
      const f = nonconvexPath(m, d.y, { penalty });
      for (let k = 0; k < f.lambda.length; k++)
        assert.ok(f.kktMax[k] <= 1e-9 * f.lambda[k] + 1e-12, `λ #${k + 1}: ${f.kktMax[k]}`);
    });

    it(`${penalty}: coefficients beyond γλ are not shrunk — they equal least squares on the active set`, () => {
      const f = nonconvexPath(m, d.y, { penalty });
      const lasso = elasticNetPath(m, d.y, { lambda: f.lambda });
      let checked = 0;
      for (let k = 0; k < f.lambda.length; k++) {
        const idx = Array.from(f.beta[k].index);
        if (idx.length < 2) continue;
        // All active standardized coefficients past γλ: the penalty is flat there.
        const flat = idx.every(
          (j, t) => Math.abs(f.beta[k].value[t] * dataSd(j)) > f.gamma * f.lambda[k],
        );
        if (!flat) continue;
        const truth = ols(d.x, d.y, d.n, idx);
        f.beta[k].value.forEach((v, t) =>
          assert.ok(Math.abs(v - truth[t + 1]) < 1e-6 * Math.abs(truth[t + 1])),
        );
        // The lasso at the same λ shrinks: its fit explains less of the deviance.
        assert.ok(lasso.devRatio[k] < f.devRatio[k]);
        checked++;
      }
      assert.ok(checked > 5, `only ${checked} points with every coefficient past γλ`);
    });
  }

  function dataSd(j: number): number {
    let mu = 0;
    for (let i = 0; i < d.n; i++) mu += d.x[j * d.n + i] / d.n;
    let v = 0;
    for (let i = 0; i < d.n; i++) v += (d.x[j * d.n + i] - mu) ** 2 / d.n;
    return Math.sqrt(v);
  }

  it("refuses a bad penalty or γ", () => {
    assert.throws(() => nonconvexPath(m, d.y, { penalty: "l0" as never }), /penalty/);
    assert.throws(() => nonconvexPath(m, d.y, { penalty: "scad", gamma: 1.5 }), /gamma.*2/);
  });
});
