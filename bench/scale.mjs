// npm run bench:scale — Gaussian lasso with 10-fold CV past one process's memory.
//
// Seeded Parquet files of n × 20 features (ROWS, default 1M,3M,10M,30M; made with DuckDB in a
// temporary folder, y = x0 − 2·x1 + 0.5·x2 + noise). For each: `regularize fit FILE --engine duckdb
// --cv 10` (wall time, peak RSS), and for the sizes that fit in memory (≤ MEMORY_ROWS, default
// 3M) the in-memory engine on the same file. In the same run, cv.glmnet (R, Debian's
// r-cran-glmnet; skipped when Rscript is missing) on every table up to GLMNET_ROWS (default 10M
// rows; the same rows handed to R as raw doubles), timed around cv.glmnet alone.
// Also one DuckDB scan of each file (sum of every column) as the floor. Writes a table, the
// figures (docs/scale.json) and a plot of time and memory against rows (docs/scale.svg).
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { plot } from "./scale-plot.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROWS = (process.env.ROWS ?? "1000000,3000000,10000000,30000000").split(",").map(Number);
const MEMORY_ROWS = Number(process.env.MEMORY_ROWS ?? 3e6);
const GLMNET_ROWS = Number(process.env.GLMNET_ROWS ?? 1e7);
const dir = mkdtempSync(join(tmpdir(), "regularize-bench-scale-"));
const db = await DuckDBInstance.create(":memory:");
const conn = await db.connect();

async function make(rows) {
  const file = join(dir, `g${rows}.parquet`);
  await conn.run("SELECT setseed(0.5)");
  const cols = Array.from({ length: 20 }, (_, j) => `random() * ${j + 1} AS x${j}`).join(", ");
  await conn.run(
    `COPY (SELECT *, x0 - 2 * x1 + 0.5 * x2 + random() AS y FROM (SELECT ${cols} FROM range(${rows}))) TO '${file}' (FORMAT parquet)`,
  );
  return file;
}

function timed(args) {
  const rss = join(dir, "rss.txt");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", join(ROOT, "bench", "io-rss.mjs"), ...args], {
    encoding: "utf8",
    env: { ...process.env, REGULARIZE_RSS_FILE: rss },
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  return { seconds, rss: Number(readFileSync(rss, "utf8")), out: r.stdout };
}

async function scan(file) {
  const sums = [...Array.from({ length: 20 }, (_, j) => `sum(x${j})`), "sum(y)"].join(", ");
  const t0 = performance.now();
  await conn.runAndReadAll(`SELECT ${sums} FROM read_parquet('${file}')`);
  return (performance.now() - t0) / 1000;
}

async function glmnet(file, rows) {
  if (spawnSync("Rscript", ["--version"]).status !== 0) return null;
  // the same rows as raw little-endian doubles, column by column (R's readBin takes them in
  // seconds where read.csv takes minutes)
  const bin = join(dir, `g${rows}.bin`);
  const { readTable } = await import(join(ROOT, "dist", "node.js"));
  const t = await readTable(file, { lastIsTarget: true });
  const fd = openSync(bin, "w");
  for (const col of t.columns)
    writeSync(fd, new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  closeSync(fd);
  const script = `suppressMessages(library(glmnet)); n <- ${rows}; con <- file("${bin}", "rb");
d <- readBin(con, "double", n = n * 21, size = 8, endian = "little"); close(con);
x <- matrix(d[1:(n * 20)], nrow = n); y <- d[(n * 20 + 1):(n * 21)]; rm(d);
set.seed(1); foldid <- sample(rep(1:10, length.out = n));
t <- system.time(cv <- cv.glmnet(x, y, foldid = foldid))[["elapsed"]];
cat(t, cv$lambda.min, cv$lambda.1se, "\\n")`;
  const r = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 26 });
  rmSync(bin, { force: true });
  if (r.status !== 0)
    return {
      error: `exit ${r.status ?? r.signal}: ${r.stderr
        .split("\n")
        .filter((l) => l.trim() !== "")
        .slice(-3)
        .join(" ")}`,
    };
  const [seconds] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds };
}

const results = [];
for (const rows of ROWS) {
  const file = await make(rows);
  const floor = await scan(file);
  const eng = timed([
    join(ROOT, "dist", "cli", "main.js"),
    "fit",
    file,
    "--engine",
    "duckdb",
    "--cv",
    "10",
  ]);
  const mem =
    rows <= MEMORY_ROWS
      ? timed([
          join(ROOT, "dist", "cli", "main.js"),
          "fit",
          file,
          "--engine",
          "memory",
          "--cv",
          "10",
        ])
      : null;
  const r = rows <= GLMNET_ROWS ? await glmnet(file, rows) : null;
  const row = { rows, floor, engine: eng, memory: mem, glmnet: r };
  results.push(row);
  console.log(
    `${(rows / 1e6).toFixed(0)}M × 20 (${((rows * 21 * 8) / 1e9).toFixed(2)} GB as doubles): one DuckDB scan ${floor.toFixed(2)} s; ` +
      `fit --engine duckdb --cv 10 ${eng.seconds.toFixed(2)} s, peak ${(eng.rss / 2 ** 20).toFixed(0)} MiB (${(eng.seconds / floor).toFixed(2)} × the scan)` +
      (mem
        ? `; in memory ${mem.seconds.toFixed(2)} s, peak ${(mem.rss / 2 ** 20).toFixed(0)} MiB`
        : "") +
      (r
        ? r.seconds !== undefined
          ? `; cv.glmnet ${r.seconds.toFixed(2)} s (cv.glmnet alone, data in R)`
          : `; cv.glmnet failed: ${r.error}`
        : ""),
  );
  rmSync(file, { force: true });
}

// the binomial path through DuckDB (goal: 2M × 20 in ≤ 120 s, passes per λ reported)
const BINOMIAL_ROWS = Number(process.env.BINOMIAL_ROWS ?? 2e6);
let binomialResult = null;
if (BINOMIAL_ROWS > 0) {
  const file = join(dir, "b.parquet");
  await conn.run("SELECT setseed(0.3)");
  const cols = Array.from({ length: 20 }, (_, j) => `random() * 2 - 1 AS x${j}`).join(", ");
  await conn.run(
    `COPY (SELECT *, CASE WHEN random() < 1 / (1 + exp(-(x0 - 2 * x1 + 0.5 * x2))) THEN 1 ELSE 0 END AS y FROM (SELECT ${cols} FROM range(${BINOMIAL_ROWS}))) TO '${file}' (FORMAT parquet)`,
  );
  const je = join(dir, "b-engine.json");
  const jm = join(dir, "b-memory.json");
  const e = timed([
    join(ROOT, "dist", "cli", "main.js"),
    "path",
    file,
    "--family",
    "binomial",
    "--engine",
    "duckdb",
    "--json",
    je,
  ]);
  const m = timed([
    join(ROOT, "dist", "cli", "main.js"),
    "path",
    file,
    "--family",
    "binomial",
    "--engine",
    "memory",
    "--json",
    jm,
  ]);
  const de = JSON.parse(readFileSync(je, "utf8"));
  const dm = JSON.parse(readFileSync(jm, "utf8"));
  const L = Math.min(de.objective.length, dm.objective.length);
  let worst = 0;
  for (let k = 0; k < L; k++)
    worst = Math.max(worst, Math.abs(de.objective[k] - dm.objective[k]) / dm.objective[k]);
  const passes = de.passesPerLambda.reduce((a, b) => a + b, 0);
  binomialResult = {
    rows: BINOMIAL_ROWS,
    engine: {
      seconds: e.seconds,
      rss: e.rss,
      lambdas: de.lambda.length,
      scans: passes,
      gramScans: de.gramScans,
    },
    memory: { seconds: m.seconds, rss: m.rss },
    objectiveRel: worst,
  };
  console.log(
    `binomial ${(BINOMIAL_ROWS / 1e6).toFixed(0)}M × 20: path --engine duckdb ${e.seconds.toFixed(1)} s, peak ${(e.rss / 2 ** 20).toFixed(0)} MiB, ${de.lambda.length} λ, ${(passes / de.lambda.length).toFixed(2)} scans per λ (${de.gramScans} with the Gram); in memory ${m.seconds.toFixed(1)} s, peak ${(m.rss / 2 ** 20).toFixed(0)} MiB; objective within ${worst.toExponential(1)} (relative)`,
  );
}
writeFileSync(
  join(ROOT, "docs", "scale.json"),
  JSON.stringify({ gaussian: results, binomial: binomialResult }, null, 1) + "\n",
);
writeFileSync(join(ROOT, "docs", "scale.svg"), plot(results));
console.log(
  "\n| rows × 20 | as doubles | one DuckDB scan (s) | fit --engine duckdb --cv 10 (s) | × scan | peak (MiB) | in memory (s) | in-memory peak (MiB) | cv.glmnet (s) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of results)
  console.log(
    `| ${(r.rows / 1e6).toFixed(0)}M | ${((r.rows * 21 * 8) / 1e9).toFixed(2)} GB | ${r.floor.toFixed(2)} | ${r.engine.seconds.toFixed(2)} | ${(r.engine.seconds / r.floor).toFixed(2)} | ${(r.engine.rss / 2 ** 20).toFixed(0)} | ${r.memory ? r.memory.seconds.toFixed(2) : "—"} | ${r.memory ? (r.memory.rss / 2 ** 20).toFixed(0) : "—"} | ${r.glmnet?.seconds !== undefined ? r.glmnet.seconds.toFixed(2) : "—"} |`,
  );
rmSync(dir, { recursive: true, force: true });
