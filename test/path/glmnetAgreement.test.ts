import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  denseMatrix,
  denseToCsc,
  elasticNetPath,
  type ElasticNetOptions,
} from "../../src/index.js";
import { dense, diabetes, objective, readFixture } from "../helpers/fixtures.js";

interface GlmnetCase {
  name: string;
  n: number;
  p: number;
  sparse: boolean;
  options: {
    alpha?: number;
    weights?: number[];
    "penalty.factor"?: number[];
    "lower.limits"?: number | number[];
    "upper.limits"?: number | number[];
    intercept?: boolean;
    standardize?: boolean;
  };
  lambda: number[];
  a0: number[];
  beta: number[][];
  devRatio: number[];
  df: number[];
  x?: number[];
  data?: string;
  y: number[];
}

const { meta, cases } = readFixture<{ meta: { glmnet: string }; cases: GlmnetCase[] }>(
  "glmnet-gaussian.json",
);

function setup(c: GlmnetCase) {
  const x = c.data === "diabetes" ? diabetes().x : Float64Array.from(c.x!);
  const m = denseMatrix(c.n, c.p, x);
  const o = c.options;
  const lim = (v: number | number[] | undefined) => (Array.isArray(v) ? v : v);
  const opts: ElasticNetOptions = {
    alpha: o.alpha ?? 1,
    weights: o.weights,
    penaltyFactor: o["penalty.factor"],
    lowerLimits: lim(o["lower.limits"]),
    upperLimits: lim(o["upper.limits"]),
    intercept: o.intercept ?? true,
    standardize: o.standardize ?? true,
  };
  return { x, matrix: c.sparse ? denseToCsc(m) : m, opts };
}

describe(`agreement with glmnet ${meta.glmnet} (fixtures/glmnet-gaussian.json)`, () => {
  for (const c of cases) {
    it(`${c.name}: objective never above glmnet's by more than 1e-7 relative at glmnet's λ`, (t) => {
      const { x, matrix, opts } = setup(c);
      const fit = elasticNetPath(matrix, c.y, { ...opts, lambda: c.lambda });
      assert.equal(fit.lambda.length, c.lambda.length);
      const spec = {
        alpha: opts.alpha!,
        weights: opts.weights,
        penaltyFactor: opts.penaltyFactor,
        standardize: opts.standardize,
      };
      let worst = -Infinity;
      for (let k = 0; k < c.lambda.length; k++) {
        const ours = objective(
          x,
          c.y,
          c.n,
          c.p,
          spec,
          c.lambda[k],
          fit.intercept[k],
          dense(c.p, fit.beta[k]),
        );
        const theirs = objective(x, c.y, c.n, c.p, spec, c.lambda[k], c.a0[k], c.beta[k]);
        worst = Math.max(worst, (ours - theirs) / theirs);
        // Our reported objective is the same quantity.
        assert.ok(
          Math.abs(fit.objective[k] - ours) <= 1e-9 * ours,
          `reported objective at λ #${k + 1}`,
        );
      }
      t.diagnostic(`worst relative excess over glmnet: ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-7, `worst relative excess ${worst}`);
      // Active sets are solved exactly (Newton steps): we are at or below glmnet up to rounding.
      assert.ok(worst <= 1e-12, `worst relative excess ${worst} (not exact)`);
    });

    it(`${c.name}: box constraints hold and excluded features stay zero`, () => {
      const { matrix, opts } = setup(c);
      const fit = elasticNetPath(matrix, c.y, { ...opts, lambda: c.lambda });
      const per = (v: number | ArrayLike<number> | undefined, j: number, d: number) =>
        v === undefined ? d : typeof v === "number" ? v : v[j];
      for (const b of fit.beta) {
        for (let t = 0; t < b.index.length; t++) {
          const j = b.index[t];
          assert.ok(b.value[t] >= per(opts.lowerLimits, j, -Infinity) - 1e-12);
          assert.ok(b.value[t] <= per(opts.upperLimits, j, Infinity) + 1e-12);
          assert.notEqual(per(opts.penaltyFactor, j, 1), Infinity);
        }
      }
    });

    it(`${c.name}: the automatic λ sequence is glmnet's`, () => {
      const { matrix, opts } = setup(c);
      const fit = elasticNetPath(matrix, c.y, opts);
      const m = Math.min(fit.lambda.length, c.lambda.length);
      assert.ok(m >= Math.min(c.lambda.length, 5));
      for (let k = 0; k < m; k++) {
        assert.ok(Math.abs(fit.lambda[k] - c.lambda[k]) <= 1e-9 * c.lambda[k], `λ #${k + 1}`);
      }
      // glmnet ends the path on deviance stalls, which depend on its convergence noise.
      assert.ok(
        Math.abs(fit.lambda.length - c.lambda.length) <= 5,
        `${fit.lambda.length} vs ${c.lambda.length}`,
      );
    });
  }
});
