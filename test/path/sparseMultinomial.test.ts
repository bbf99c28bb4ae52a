import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cscMatrix, denseMatrix, denseToCsc, fit, multinomialPath } from "../../src/index.js";
import { sparseMultinomialPath } from "../../src/path/sparseMultinomial.js";
import { Random } from "../../src/random.js";
import { dataset } from "../helpers/fixtures.js";

// The sparse multinomial path (class sweeps of the sparse binomial solver) against the model
// core's exact multinomial Newton path on the same data.

describe("sparse multinomial path (sparseMultinomialPath)", () => {
  const wine = dataset("wine");
  const m = denseMatrix(wine.n, wine.p, wine.x);
  const classes = [0, 1, 2];
  for (const [name, opts] of [
    ["lasso", {}],
    [
      "elastic net α 0.5 with weights",
      { alpha: 0.5, weights: Array.from(wine.y, (_, i) => 0.5 + (i % 3)) },
    ],
  ] as const)
    it(`wine, ${name}: glmnet's λ_max; objective within 1e-6 (default thresh) and 1e-7 (thresh 1e-11) of the dense path`, () => {
      const ref = multinomialPath(m, wine.y, { ...opts, thresh: 1e-14 });
      const auto = sparseMultinomialPath(denseToCsc(m), wine.y, classes, { ...opts });
      assert.ok(Math.abs(auto.lambda[0] - ref.lambda[0]) <= 1e-12 * ref.lambda[0]);
      for (const [thresh, bound, kkt] of [
        [undefined, 1e-6, 1e-3],
        [1e-11, 1e-7, 1e-5],
      ] as const) {
        const s = sparseMultinomialPath(denseToCsc(m), wine.y, classes, {
          ...opts,
          thresh,
          lambda: ref.lambda,
        });
        assert.deepEqual(s.warnings, []);
        for (let k = 0; k < ref.lambda.length; k++) {
          const excess = (s.objective[k] - ref.objective[k]) / Math.abs(ref.objective[k]);
          assert.ok(
            excess <= bound && excess >= -1e-12,
            `thresh ${thresh}, λ #${k + 1}: excess ${excess}`,
          );
          assert.ok(s.kktMax[k] <= kkt * ref.lambda[k], `λ #${k + 1}: KKT ${s.kktMax[k]}`);
          // Intercepts centered over the classes, as glmnet reports them.
          assert.ok(Math.abs(s.intercept[k].reduce((a, b) => a + b, 0)) <= 1e-9);
        }
      }
    });

  it("multinomialPath and fit send a large sparse design to it (never densified) and a small one to the core", () => {
    // 3000 × 6000 at 0.3 %: past the 4M values below which the core densifies.
    const n = 3000;
    const p = 6000;
    const rng = new Random(9);
    const colPtr = new Int32Array(p + 1);
    const rowIndex: number[] = [];
    const score = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let j = 0; j < p; j++) {
      const rows = new Set<number>();
      for (let t = 0; t < 9; t++) rows.add(Math.floor(rng.uniform() * n));
      for (const i of [...rows].sort((a, b) => a - b)) {
        rowIndex.push(i);
        if (j < 30) score[j % 3][i] += 2;
      }
      colPtr[j + 1] = rowIndex.length;
    }
    const x = cscMatrix(
      n,
      p,
      colPtr,
      Int32Array.from(rowIndex),
      new Float64Array(rowIndex.length).fill(1),
    );
    const y = Array.from({ length: n }, (_, i) => {
      const e = score.map((s) => Math.exp(s[i]));
      let u = rng.uniform() * (e[0] + e[1] + e[2]);
      for (let c = 0; c < 3; c++) if ((u -= e[c]) <= 0) return c;
      return 2;
    });
    const f = fit(x, y, { family: "multinomial", nLambda: 12 });
    assert.equal(f.lambda.length, 12);
    for (let k = 0; k < 12; k++) assert.ok(f.kktMax[k] <= 1e-3 * f.lambda[k], `λ #${k + 1}`);
    assert.deepEqual(f.warnings, []);
    // The same through the sparse path directly: the same fit.
    const s = sparseMultinomialPath(x, y, [0, 1, 2], { nLambda: 12 });
    assert.deepEqual(Array.from(s.objective), Array.from(f.objective));
  });
});
