import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, glmPath } from "../../src/index.js";
import { objective, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  penalty: "l1" | "l2" | "elasticnet";
  C: number;
  l1_ratio: number | null;
  fit_intercept: boolean;
  coef: number[];
  intercept: number;
}
const fx = readFixture<{
  meta: { sklearn: string };
  n: number;
  p: number;
  x: number[];
  y: number[];
  cases: Case[];
}>("sklearn-logistic.json");

describe(`agreement with scikit-learn ${fx.meta.sklearn} LogisticRegression (fixtures/sklearn-logistic.json)`, () => {
  const x = Float64Array.from(fx.x);
  const m = denseMatrix(fx.n, fx.p, x);
  for (const c of fx.cases) {
    it(`${c.name}: our objective is not above scikit-learn's at λ = 1/(nC)`, (t) => {
      const alpha = c.penalty === "l1" ? 1 : c.penalty === "l2" ? 0 : c.l1_ratio!;
      const lambda = 1 / (fx.n * c.C);
      // The data are standardized already; standardize: false keeps the penalty on these columns.
      const fit = glmPath("binomial", m, fx.y, {
        alpha,
        lambda: [lambda],
        standardize: false,
        intercept: c.fit_intercept,
      });
      const spec = { family: "binomial" as const, alpha, standardize: false };
      const beta = new Float64Array(fx.p);
      fit.beta[0].index.forEach((j, q) => (beta[j] = fit.beta[0].value[q]));
      const ours = objective(x, fx.y, fx.n, fx.p, spec, lambda, fit.intercept[0], beta);
      const theirs = objective(x, fx.y, fx.n, fx.p, spec, lambda, c.intercept, c.coef);
      const excess = (ours - theirs) / theirs;
      t.diagnostic(
        `relative excess ${excess.toExponential(2)}; non-zeros ${fit.df[0]} (scikit-learn ${c.coef.filter((v) => v !== 0).length})`,
      );
      assert.ok(excess <= 1e-7, `excess ${excess}`);
    });
  }
});
