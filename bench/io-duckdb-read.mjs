// The reference of bench/io.mjs: DuckDB's own read of a file into one Float64Array per column
// (chunk by chunk, each column vector's values copied as a typed array), in a process of its own.
// Prints {"seconds": …, "rows": …} — the time from creating the database to the last copy.
import { DuckDBInstance } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
const file = process.argv[2];
const t0 = performance.now();
const db = await DuckDBInstance.create(":memory:");
const conn = await db.connect();
const src = file.endsWith(".parquet") ? `read_parquet('${file}')` : `read_csv('${file}')`;
const result = await conn.stream(`SELECT COLUMNS(*)::DOUBLE FROM ${src}`);
const p = result.columnCount;
const chunks = Array.from({ length: p }, () => []);
let rows = 0;
for (;;) {
  const chunk = await result.fetchChunk();
  if (!chunk || chunk.rowCount === 0) break;
  const m = chunk.rowCount;
  for (let j = 0; j < p; j++) {
    const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, j), m * 8);
    chunks[j].push(new Float64Array(bytes.buffer, bytes.byteOffset, m).slice());
  }
  rows += m;
}
const columns = chunks.map((cs) => {
  const out = new Float64Array(rows);
  let at = 0;
  for (const c of cs) {
    out.set(c, at);
    at += c.length;
  }
  return out;
});
process.stdout.write(
  JSON.stringify({ seconds: (performance.now() - t0) / 1000, rows, columns: columns.length }) +
    "\n",
);
