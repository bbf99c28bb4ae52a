// npm run example -- NAME   (runs examples/NAME.mjs; without a name, lists them)
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && !["run.mjs", "load.mjs"].includes(f))
  .map((f) => f.replace(/\.mjs$/, ""));
const name = process.argv[2];
if (!name || !all.includes(name)) {
  console.error(`${name ? `unknown example '${name}'. ` : ""}Examples: ${all.join(", ")}`);
  process.exit(name ? 2 : 0);
}
await import(`./${name}.mjs`);
