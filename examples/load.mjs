// Shared by the examples: an embedded dataset, standardized as glmnet does (centered, divided by
// the population standard deviation), as a column-major dense matrix.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix } from "../dist/index.js";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "..", "data");

export function load(name) {
  const lines = readFileSync(join(DATA, `${name}.csv`), "utf8")
    .trim()
    .split(/\r?\n/);
  const names = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  const n = rows.length;
  const p = names.length - 1;
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += rows[i][j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (rows[i][j] - mu) ** 2 / n;
    const sd = Math.sqrt(v);
    for (let i = 0; i < n; i++) x[j * n + i] = (rows[i][j] - mu) / sd;
  }
  return {
    x: denseMatrix(n, p, x),
    y: Float64Array.from(rows, (r) => r[p]),
    n,
    p,
    names: names.slice(0, p),
  };
}
