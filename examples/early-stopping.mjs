// Early stopping ≈ L2: gradient descent on least squares from zero, step η = 1/L, after T steps,
// against the ridge path (breast-cancer features, the 0/1 diagnosis as the response).
// Run: npm run example -- early-stopping
import { earlyStoppingVsRidge } from "../dist/index.js";
import { load } from "./load.mjs";

const { x, y } = load("breast_cancer");
const r = earlyStoppingVsRidge(x, y, [1, 3, 10, 30, 100, 300, 1000, 3000, 10000]);
console.log(
  `gradient descent, step η = ${r.step.toPrecision(4)}; the nearest ridge solution after T steps\n`,
);
console.log("     T    1/(ηT)     λ_eff   λ_eff·ηT   ‖β_GD − β_ridge‖/‖β_GD‖");
for (const q of r.points)
  console.log(
    `${String(q.steps).padStart(6)}  ${q.heuristicLambda.toExponential(2)}  ${q.effectiveLambda.toExponential(2)}  ${(q.effectiveLambda / q.heuristicLambda).toFixed(2).padStart(8)}   ${q.relativeDistance.toExponential(1)}`,
  );
console.log(
  "\nBoth shrink each eigen-direction of XᵀX/n by a filter — 1 − (1 − ηd)ᵀ for gradient descent," +
    "\nd/(d + λ) for ridge — and the two match at λ ≈ 1/(ηT) within a small factor.",
);
