import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, elasticNetPath, Random, type ElasticNetOptions } from "../../src/index.js";

function data(n: number, p: number, rho: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  const shared = Float64Array.from({ length: n }, () => rng.normal());
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++)
      x[j * n + i] = Math.sqrt(1 - rho) * rng.normal() + Math.sqrt(rho) * shared[i];
  const y = Float64Array.from({ length: n }, (_, i) => {
    let s = rng.normal();
    for (let j = 0; j < 10; j++) s += ((j % 2 ? 1 : -1) * x[j * n + i]) / (j + 1);
    return s;
  });
  return { m: denseMatrix(n, p, x), y };
}

describe("active-set Newton steps", () => {
  const cases: [string, ElasticNetOptions][] = [
    ["lasso", {}],
    ["elastic net α = 0.4", { alpha: 0.4 }],
    ["box limits", { lowerLimits: -0.15, upperLimits: 0.3 }],
    ["non-negative", { lowerLimits: 0 }],
    ["unpenalized features", { penaltyFactor: [0, 0, ...new Array<number>(38).fill(1)] }],
  ];
  for (const type of ["covariance", "naive"] as const) {
    for (const [name, opts] of cases) {
      it(`reach the optimum that coordinate descent approaches, and certify it (${type}, ${name}, ρ = 0.9)`, () => {
        const { m, y } = type === "covariance" ? data(300, 40, 0.9, 11) : data(60, 40, 0.9, 12);
        const base = { ...opts, type };
        const cd = elasticNetPath(m, y, { ...base, newton: false, thresh: 1e-12 });
        const nt = elasticNetPath(m, y, { ...base, lambda: cd.lambda });
        assert.equal(nt.lambda.length, cd.lambda.length);
        for (let k = 0; k < cd.lambda.length; k++) {
          const rel = (nt.objective[k] - cd.objective[k]) / cd.objective[k];
          assert.ok(rel < 1e-12, `λ #${k}: Newton objective above CD's by ${rel}`);
          // Exact on the active set: the KKT violation is rounding, far below CD's.
          assert.ok(nt.kktMax[k] < 1e-12, `λ #${k}: KKT violation ${nt.kktMax[k]}`);
          if (!Number.isNaN(nt.dualityGap[k]))
            assert.ok(
              nt.dualityGap[k] < 1e-11 * nt.objective[k],
              `λ #${k}: gap ${nt.dualityGap[k]}`,
            );
        }
        assert.ok(nt.passes <= cd.passes, `${nt.passes} passes vs ${cd.passes}`);
      });
    }
  }

  it("fall back to coordinate descent when the active Gram block is singular (duplicate columns)", () => {
    const rng = new Random(4);
    const n = 200;
    const p = 8;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    x.copyWithin(n, 0, n); // column 1 = column 0
    const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i] - x[2 * n + i] + rng.normal());
    // Elastic net with α = 1 leaves the split between twins free; ridge-free twins make G_FF
    // singular as soon as both move. Both solvers must still reach the same objective.
    const m = denseMatrix(n, p, x);
    const cd = elasticNetPath(m, y, { type: "covariance", newton: false, thresh: 1e-13 });
    const nt = elasticNetPath(m, y, { type: "covariance", lambda: cd.lambda });
    for (let k = 0; k < cd.lambda.length; k++) {
      const rel = (nt.objective[k] - cd.objective[k]) / cd.objective[k];
      assert.ok(rel < 1e-10, `λ #${k}: ${rel}`);
    }
    assert.equal(nt.warnings.length, 0);
  });
});
