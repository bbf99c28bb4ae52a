// Every solver reaches the same optimum (lasso on diabetes, logistic L1 on breast cancer), and the
// constrained form ‖β‖₁ ≤ t gives the penalized solution at t = ‖β(λ)‖₁ with multiplier λ.
// Run: npm run example -- solvers-agree
import {
  elasticNetPath,
  glmDatafit,
  glmPath,
  l1,
  l1Ball,
  owlqn,
  proximalGradient,
} from "../dist/index.js";
import { load } from "./load.mjs";

for (const [name, family, lambda] of [
  ["diabetes", "gaussian", 2],
  ["breast_cancer", "binomial", 0.02],
]) {
  const { x, y, p } = load(name);
  const f = glmDatafit(family === "gaussian" ? "squared" : "logistic", x, y, { intercept: true });
  const g = l1(lambda, { weights: [...new Array(p).fill(1), 0] });
  const cd =
    family === "gaussian"
      ? elasticNetPath(x, y, { lambda: [lambda], standardize: false })
      : glmPath("binomial", x, y, { lambda: [lambda], standardize: false });
  console.log(
    `${name} (${family}), λ = ${lambda}: objective, relative difference to coordinate descent, KKT`,
  );
  console.log(
    `  coordinate descent ${cd.objective[0].toPrecision(15)}   KKT ${cd.kktMax[0].toExponential(1)}`,
  );
  for (const r of [
    proximalGradient(f, g, { accelerated: false, maxIter: 500000 }),
    proximalGradient(f, g),
    owlqn(f, g),
  ]) {
    const rel = (r.objective - cd.objective[0]) / Math.abs(cd.objective[0]);
    console.log(
      `  ${r.solver.padEnd(18)} ${r.objective.toPrecision(15)}   ${rel.toExponential(1)}   KKT ${r.kkt.toExponential(1)}   ${r.iterations} iterations`,
    );
  }
}

// Constrained vs penalized (diabetes): project onto the ball of radius t = ‖β(λ)‖₁.
const { x, y, p } = load("diabetes");
const lambda = 2;
const cd = elasticNetPath(x, y, { lambda: [lambda], standardize: false });
const beta = new Float64Array(p);
cd.beta[0].index.forEach((j, t) => (beta[j] = cd.beta[0].value[t]));
const t = beta.reduce((s, v) => s + Math.abs(v), 0);
const f = glmDatafit("squared", x, y, { intercept: true });
// The intercept (the last coordinate) is left out of the constraint.
const constraint = l1Ball(t, { free: [p] });
const r = proximalGradient(f, constraint, { maxIter: 500000 });
const grad = new Float64Array(p + 1);
f.gradient(r.w, grad);
const maxDiff = Math.max(...Array.from(beta, (b, j) => Math.abs(b - r.w[j])));
const support = cd.beta[0].index;
const multipliers = Array.from(support, (j) => Math.abs(grad[j]));
console.log(`\nconstrained form on diabetes: t = ‖β(λ = ${lambda})‖₁ = ${t.toFixed(6)}`);
console.log(`  largest |β_constrained − β_penalized| = ${maxDiff.toExponential(2)}`);
console.log(
  `  multiplier |∂f/∂βⱼ| on the support: ${Math.min(...multipliers).toFixed(9)} … ${Math.max(...multipliers).toFixed(9)} (λ = ${lambda})`,
);
