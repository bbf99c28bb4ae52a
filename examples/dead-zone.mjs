// The dead zone, on real data: the lasso on the diabetes data at λ = 0.05·λ_max, solved by
// coordinate descent, proximal gradient (FISTA) and plain subgradient descent.
// Run: npm run example -- dead-zone
import {
  elasticNetPath,
  glmDatafit,
  l1,
  proximalGradient,
  subgradientDescent,
} from "../dist/index.js";
import { load } from "./load.mjs";

const { x, y, p, names } = load("diabetes");
const f = glmDatafit("squared", x, y, { intercept: true });
const grad0 = new Float64Array(p + 1);
f.gradient(
  Float64Array.from({ length: p + 1 }, (_, j) =>
    j === p ? y.reduce((s, v) => s + v) / y.length : 0,
  ),
  grad0,
);
const lambdaMax = Math.max(...Array.from(grad0.subarray(0, p), Math.abs));
const lambda = 0.05 * lambdaMax;
const g = l1(lambda, { weights: [...new Array(p).fill(1), 0] }); // the intercept is not penalized

const cd = elasticNetPath(x, y, { lambda: [lambda], standardize: false });
const cdW = new Float64Array(p);
cd.beta[0].index.forEach((j, t) => (cdW[j] = cd.beta[0].value[t]));
const fista = proximalGradient(f, g);
const sub = subgradientDescent(f, g, { maxIter: 20000 });

const fmt = (v) => (v === 0 ? "0 (exact)" : v.toExponential(3));
console.log(`lasso on diabetes, λ = ${lambda.toFixed(4)} (0.05·λ_max), standardized features\n`);
console.log("feature   coordinate descent   FISTA (prox)        subgradient");
for (let j = 0; j < p; j++)
  console.log(
    `${names[j].padEnd(9)} ${fmt(cdW[j]).padEnd(20)} ${fmt(fista.w[j]).padEnd(19)} ${fmt(sub.w[j])}`,
  );
const zeros = (w) => Array.from(w.subarray(0, p)).filter((v) => v === 0).length;
console.log(
  `\nexact zeros:   coordinate descent ${p - cd.df[0]}, FISTA ${zeros(fista.w)}, subgradient ${zeros(sub.w)}`,
);
console.log(
  `objective:     coordinate descent ${cd.objective[0].toFixed(9)}, FISTA ${fista.objective.toFixed(9)}, subgradient ${sub.objective.toFixed(9)}`,
);
console.log(
  `KKT violation: coordinate descent ${cd.kktMax[0].toExponential(1)}, FISTA ${fista.kkt.toExponential(1)}, subgradient ${sub.kkt.toExponential(1)}`,
);
console.log(
  "\nWhy: at 0 the subdifferential of λ|w| is the whole interval [−λ, λ]. The prox step (soft-" +
    "\nthresholding) sets w to exactly 0 whenever the gradient step lands in it; a subgradient step" +
    "\nuses λ·sign(w) and jumps over 0, so the weight oscillates around zero and never lands on it.",
);
