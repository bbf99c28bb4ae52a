import type { DuckDBConnection } from "@duckdb/node-api";
import type Bindings from "@duckdb/node-bindings";

/**
 * The embedded DuckDB engine (Node only): one in-memory instance per process, created on first
 * use, that reads CSV, TSV, Parquet and JSON-lines files for {@link readTable}.
 */
let connection: Promise<DuckDBConnection> | undefined;
let duckdb: typeof Bindings;

/**
 * The process's DuckDB connection (an in-memory database; nothing is written to disk). DuckDB is
 * loaded on first use, so commands that read no data start quickly.
 */
export function duckdbConnection(): Promise<DuckDBConnection> {
  connection ??= (async () => {
    const [{ DuckDBInstance }, bindings] = await Promise.all([
      import("@duckdb/node-api"),
      import("@duckdb/node-bindings"),
    ]);
    duckdb = bindings.default;
    return (await DuckDBInstance.create(":memory:")).connect();
  })();
  return connection;
}

/** A SQL string literal: single quotes doubled. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A SQL identifier: double quotes doubled. */
export function sqlName(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The values of a DOUBLE vector of a result chunk, as a view (valid until the next fetch). */
export function doubleValues(
  chunk: Bindings.DataChunk,
  column: number,
  rows: number,
): { values: Float64Array; validity: Uint8Array | null } {
  const v = duckdb.data_chunk_get_vector(chunk, column);
  const bytes = duckdb.vector_get_data(v, rows * 8);
  const validity = duckdb.vector_get_validity(v, Math.ceil(rows / 64) * 8);
  return {
    values: new Float64Array(bytes.buffer, bytes.byteOffset, rows),
    validity: validity ?? null,
  };
}

/** The first line of a DuckDB error message, without its "… Error: " prefix. */
export function duckdbReason(e: unknown): string {
  const first = String((e as Error).message ?? e).split("\n")[0];
  return first.replace(/^[A-Za-z ]*Error: /, "").trim();
}
