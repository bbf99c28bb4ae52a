// Why is this weight zero? The dead-zone margins of the diabetes lasso at λ = 2.
// Run: npm run example -- explain
import { explainSparsity } from "../dist/index.js";
import { load } from "./load.mjs";

const { x, y, names } = load("diabetes");
const e = explainSparsity("gaussian", x, y, 2, { standardize: false });
console.log(`λ = ${e.lambda}: a weight is zero while |∂f/∂βⱼ| ≤ λ (its threshold)\n`);
for (const f of e.features) {
  const what =
    f.status === "active"
      ? `non-zero ${f.coefficient.toFixed(4)}: gradient ${f.gradient.toFixed(6)} balances the penalty (residual ${f.balance.toExponential(1)}), entered at λ = ${f.enterLambda.toFixed(4)}`
      : `zero: |gradient| ${Math.abs(f.gradient).toFixed(6)} is ${f.margin.toFixed(6)} inside the dead zone (${f.status})`;
  console.log(`${names[f.index].padEnd(4)} ${what}`);
}
console.log(`\nlargest KKT violation: ${e.kktMax.toExponential(2)}`);
