// npm run bench:io — ingest speed and memory of `regularize path` against DuckDB's own read.
//
// Files (seeded, made with DuckDB in a temporary folder): 1M × 20 Parquet, the same as CSV, and
// 1.5M × 20 CSV (over 512 MiB). For each, in the same run, alternating: the reference (DuckDB
// reading the file into one Float64Array per column, bench/io-duckdb-read.mjs) and `regularize
// path FILE --json` (wall time of the whole command, minus the fit's own fitSeconds). Peak memory
// is each process's maxRSS. Medians of REPEAT runs (default 3). Goals (issue 15): ingest ≤ 2 ×
// DuckDB's read + 1.5 s, peak ≤ 3 × the table as doubles + 400 MB.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPEAT = Number(process.env.REPEAT ?? 3);
const dir = mkdtempSync(join(tmpdir(), "regularize-bench-io-"));

async function makeFiles() {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run("SELECT setseed(0.25)");
  const cols = Array.from({ length: 20 }, (_, j) => `random() * ${j + 1} AS x${j}`).join(", ");
  await c.run(`CREATE TABLE t AS SELECT ${cols}, 0.0::DOUBLE AS y FROM range(1500000)`);
  await c.run("UPDATE t SET y = x0 - 2 * x1 + 0.5 * x2 + random()");
  const files = [
    ["1M × 20 Parquet", "m1.parquet", 1e6, "(FORMAT parquet)"],
    ["1M × 20 CSV", "m1.csv", 1e6, "(HEADER)"],
    ["1.5M × 20 CSV", "m15.csv", 1.5e6, "(HEADER)"],
  ];
  for (const [, name, rows, how] of files)
    await c.run(`COPY (SELECT * FROM t LIMIT ${rows}) TO '${join(dir, name)}' ${how}`);
  return files.map(([label, name, rows]) => ({ label, file: join(dir, name), rows }));
}

function timed(args, env = {}) {
  const rss = join(dir, "rss.txt");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", join(ROOT, "bench", "io-rss.mjs"), ...args], {
    encoding: "utf8",
    env: { ...process.env, REGULARIZE_RSS_FILE: rss, ...env },
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  return { wall, out: r.stdout, rss: Number(readFileSync(rss, "utf8")) };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const MB = (b) => (b / 1e6).toFixed(0);

const files = await makeFiles();
console.log(`bench:io — ${REPEAT} runs each, medians; node ${process.version}\n`);
const rows = [];
for (const f of files) {
  const ref = [];
  const ours = [];
  for (let k = 0; k < REPEAT; k++) {
    const d = timed([join(ROOT, "bench", "io-duckdb-read.mjs"), f.file]);
    ref.push({ seconds: JSON.parse(d.out).seconds, wall: d.wall, rss: d.rss });
    const json = join(dir, "path.json");
    const r = timed([join(ROOT, "dist", "cli", "main.js"), "path", f.file, "--json", json]);
    const fit = JSON.parse(readFileSync(json, "utf8")).fitSeconds[0];
    ours.push({ wall: r.wall, fit, ingest: r.wall - fit, rss: r.rss });
  }
  const doubles = f.rows * 21 * 8;
  const read = median(ref.map((r) => r.seconds));
  const ingest = median(ours.map((r) => r.ingest));
  const peak = median(ours.map((r) => r.rss));
  const row = {
    file: `${f.label} (${MB(statSync(f.file).size)} MB)`,
    duckdbRead: read,
    duckdbWall: median(ref.map((r) => r.wall)),
    duckdbPeak: median(ref.map((r) => r.rss)),
    pathWall: median(ours.map((r) => r.wall)),
    fit: median(ours.map((r) => r.fit)),
    ingest,
    ratio: ingest / read,
    timeGoal: 2 * read + 1.5,
    peak,
    memGoal: 3 * doubles + 400e6,
  };
  rows.push(row);
  console.log(
    `${row.file}: DuckDB read ${read.toFixed(2)} s (process ${row.duckdbWall.toFixed(2)} s, peak ${MB(row.duckdbPeak)} MB); ` +
      `regularize path ${row.pathWall.toFixed(2)} s, fit ${row.fit.toFixed(2)} s → ingest ${ingest.toFixed(2)} s = ${row.ratio.toFixed(2)} × DuckDB (goal ≤ ${row.timeGoal.toFixed(2)} s: ${ingest <= row.timeGoal ? "met" : "MISSED"}); ` +
      `peak ${MB(peak)} MB (goal ≤ ${MB(row.memGoal)} MB: ${peak <= row.memGoal ? "met" : "MISSED"})`,
  );
}
console.log(
  "\n| file | DuckDB read (s) | `regularize path` wall (s) | fit (s) | ingest = wall − fit (s) | ingest / DuckDB | goal ≤ 2×read + 1.5 s | peak (MB) | DuckDB peak (MB) | goal ≤ 3×doubles + 400 MB |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.file} | ${r.duckdbRead.toFixed(2)} | ${r.pathWall.toFixed(2)} | ${r.fit.toFixed(2)} | ${r.ingest.toFixed(2)} | ${r.ratio.toFixed(2)} | ${r.timeGoal.toFixed(2)} ${r.ingest <= r.timeGoal ? "✓" : "✗"} | ${MB(r.peak)} | ${MB(r.duckdbPeak)} | ${MB(r.memGoal)} ${r.peak <= r.memGoal ? "✓" : "✗"} |`,
  );
rmSync(dir, { recursive: true, force: true });
