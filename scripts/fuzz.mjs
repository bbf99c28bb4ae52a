// npm run fuzz [-- COUNT SEED] — the seeded fuzz of the readers and the model loader at length
// (the test suite runs 2500 cases): every generated input must be read, or refused with a
// one-line InputError; anything else is printed and the exit status is 1.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { fuzz } = await import(join(ROOT, "build", "test", "helpers", "fuzz.js"));
const count = Number(process.argv[2] ?? 50000);
const seed = Number(process.argv[3] ?? 2026);
const dir = mkdtempSync(join(tmpdir(), "regularize-fuzz-"));
const model = join(dir, "model.json");
const fit = spawnSync(
  process.execPath,
  [
    join(ROOT, "dist", "cli", "main.js"),
    "fit",
    join(ROOT, "data", "diabetes.csv"),
    "--folds",
    "3",
    "--save",
    model,
  ],
  { encoding: "utf8" },
);
if (fit.status !== 0) throw new Error(fit.stderr);
const t0 = performance.now();
const r = await fuzz(seed, count, dir, JSON.parse(readFileSync(model, "utf8")));
console.log(
  `${count} inputs (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.ok} read, ${r.refused} refused with one line, ${r.failures.length} failures`,
);
for (const f of r.failures.slice(0, 20)) console.log(f);
process.exitCode = r.failures.length ? 1 : 0;
