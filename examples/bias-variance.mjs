// Bias–variance over λ: a degree-20 polynomial through 15 noisy points of sin(πx), with and without
// ridge, over 500 resampled training sets. Run: npm run example -- bias-variance
import { polynomialBiasVariance } from "../dist/index.js";

const lambdas = [0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];
const r = polynomialBiasVariance({ lambdas, reps: 500, seed: 1 });
console.log("      λ        bias²     variance   noise   bias²+var+noise   measured test error");
for (const q of r)
  console.log(
    `${String(q.lambda).padStart(7)}  ${q.bias2.toExponential(2).padStart(9)}  ${q.variance.toExponential(2).padStart(9)}  ${q.noise.toFixed(2)}   ${q.expected.toExponential(3).padStart(12)}      ${q.measuredTestError.toExponential(3)}`,
  );
const best = r.reduce((b, q) => (q.expected < b.expected ? q : b));
console.log(
  `\nwithout ridge (λ = 0) the interpolating polynomial's variance is ${r[0].variance.toExponential(1)};`,
);
console.log(
  `the best λ here is ${best.lambda}, with expected error ${best.expected.toFixed(3)} against the noise floor ${best.noise.toFixed(2)}.`,
);
