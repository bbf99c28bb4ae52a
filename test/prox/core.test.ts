import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moments } from "../../src/data/design.js";
import { binomial } from "../../src/datafit/binomial.js";
import { MultinomialDatafit } from "../../src/datafit/multinomial.js";
import { SingleDatafit } from "../../src/datafit/single.js";
import { denseMatrix, fit, owlqn, proximalGradient, Random } from "../../src/index.js";
import { elasticNetPenalty } from "../../src/penalty/elasticNet.js";
import { coreSmooth, corePenalty } from "../../src/prox/core.js";

// The teaching solvers on the model core's own datafit and penalty objects: FISTA and OWL-QN
// reach the objective the core's proximal Newton certifies, on the same standardized problem.
describe("teaching solvers on the core's datafit and penalty", () => {
  const rng = new Random(21);
  const n = 150;
  const p = 6;
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const m = denseMatrix(n, p, x);
  const w = new Float64Array(n).fill(1 / n);
  const include = new Uint8Array(p).fill(1);
  const { center, scale } = moments(m, w, true, true, include);
  const xs = new Float64Array(n * (p + 1));
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) xs[j * n + i] = (x[j * n + i] - center[j]) / scale[j];
  xs.fill(1, p * n);
  const pf = new Float64Array(p).fill(1);
  const lower = new Float64Array(p).fill(-Infinity);
  const upper = new Float64Array(p).fill(Infinity);

  it("binomial elastic net (α = 0.7): FISTA and OWL-QN match the core's objective to 1e-9", () => {
    const y = Float64Array.from({ length: n }, (_, i) =>
      x[i] - x[n + i] + rng.normal() > 0 ? 1 : 0,
    );
    const lambda = 0.02;
    const core = fit(m, y, { family: "binomial", alpha: 0.7, lambda: [lambda], solver: "core" });
    const datafit = new SingleDatafit(binomial, y, w, new Float64Array(n), true);
    const f = coreSmooth(xs, n, p, datafit);
    const g = corePenalty(elasticNetPenalty(0.7, pf, lower, upper), lambda, p, 1);
    for (const solve of [proximalGradient, owlqn]) {
      const r = solve(f, g, { tol: 1e-11, maxIter: 200000 });
      assert.ok(r.converged, `${r.solver} converged`);
      const rel = Math.abs(r.objective - core.objective[0]) / Math.abs(core.objective[0]);
      assert.ok(rel <= 1e-9, `${r.solver}: ${r.objective} vs ${core.objective[0]}`);
    }
  });

  it("multinomial lasso (3 classes): FISTA matches the core's objective to 1e-9, zeros and all", () => {
    const labels = Int32Array.from({ length: n }, (_, i) =>
      x[i] + 0.7 * rng.normal() > 0.3 ? 2 : x[2 * n + i] > 0 ? 1 : 0,
    );
    const lambda = 0.015;
    const core = fit(m, Float64Array.from(labels), {
      family: "multinomial",
      lambda: [lambda],
      solver: "core",
    });
    const f = coreSmooth(xs, n, p, new MultinomialDatafit(labels, 3, w));
    const g = corePenalty(elasticNetPenalty(1, pf, lower, upper), lambda, p, 3);
    const r = proximalGradient(f, g, { tol: 1e-11, maxIter: 200000 });
    assert.ok(r.converged);
    const rel = Math.abs(r.objective - core.objective[0]) / Math.abs(core.objective[0]);
    assert.ok(rel <= 1e-9, `${r.objective} vs ${core.objective[0]}`);
    // The same support: FISTA's exact zeros are the core's (original-scale β = b/s).
    for (let c = 0; c < 3; c++) {
      const nz = new Set(core.coefficients[0][c].index);
      for (let j = 0; j < p; j++)
        assert.equal(r.w[j * 3 + c] !== 0, nz.has(j), `class ${c}, feature ${j}`);
    }
  });
});
