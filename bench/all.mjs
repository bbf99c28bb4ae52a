// `npm run bench [-- flags]`: the Gaussian path benchmark (run.mjs) then the binomial path and
// cross-validation benchmark (binomial.mjs), the MLP training throughput (mlp.mjs) and the multinomial
// and Poisson paths (multiclass.mjs) and the Cox paths (cox.mjs) and the other families (families.mjs) and the sparse paths (sparse.mjs) and the exact ridge path (ridge.mjs), each given
// the same flags.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
for (const script of [
  "run.mjs",
  "binomial.mjs",
  "mlp.mjs",
  "multiclass.mjs",
  "cox.mjs",
  "families.mjs",
  "sparse.mjs",
  "ridge.mjs",
]) {
  const r = spawnSync(process.execPath, [join(HERE, script), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
