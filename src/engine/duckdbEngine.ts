import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import { duckdbConnection, duckdbReason, sqlString } from "../io/duckdb.js";
import { formatOf } from "../io/table.js";
import { MISSING_TEXT } from "../io/assemble.js";
import type { EngineDialect } from "./sql.js";

/** A table that lives outside this process, answering SQL. */
export interface TableEngine {
  /** "duckdb" or "clickhouse". */
  kind: string;
  /** The source as the user wrote it (credentials never included). */
  source: string;
  dialect: EngineDialect;
  /** The columns and their engine types, in order. */
  describe(): Promise<{ name: string; type: string }[]>;
  /** Runs a query; rows of numbers (null for NULL). */
  query(sql: string): Promise<(number | null)[][]>;
  /** Whether `type` holds numbers. */
  isNumeric(type: string): boolean;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\)|BOOLEAN)$/;

/**
 * DuckDB as an engine (Node only): a file — CSV, TSV, Parquet, JSON lines — a glob of files
 * (`data/*.parquet`), or a table of a DuckDB database written `duckdb:FILE.duckdb/TABLE`, scanned
 * by embedded DuckDB without ever holding the rows in this process. A row's position is its
 * place in the scan: `file_row_number` for one Parquet file, the table's `rowid`, else
 * `row_number() OVER ()` (files in name order, rows in file order).
 */
export async function duckdbEngine(source: string): Promise<TableEngine> {
  const conn = await duckdbConnection();
  let relation: string;
  let position = "row_number() OVER () - 1";
  const db = /^duckdb:(.+)\/([^/]+)$/.exec(source);
  if (db) {
    const [, file, table] = db;
    if (!existsSync(file))
      throw new InputError(`${source}: no DuckDB database '${file}'`, { file: source });
    const alias = "regularize_src";
    await conn.run(`DETACH DATABASE IF EXISTS ${alias}`).catch(() => undefined);
    await conn.run(`ATTACH ${sqlString(file)} AS ${alias} (READ_ONLY)`).catch((e: unknown) => {
      throw new InputError(`${source}: cannot open the database (${duckdbReason(e)})`, {
        file: source,
      });
    });
    relation = `${alias}."${table.replace(/"/g, '""')}"`;
    position = "rowid";
  } else {
    const glob = /[*?[]/.test(source);
    if (!glob && !existsSync(source))
      throw new InputError(`${source}: cannot read the file (no such file)`, { file: source });
    const f = sqlString(source);
    const format = formatOf(source.replace(/[*?[\]]/g, "x"));
    if (format === "parquet") {
      relation = glob ? `read_parquet(${f})` : `read_parquet(${f}, file_row_number = true)`;
      if (!glob) position = "file_row_number";
    } else if (format === "json") relation = `read_json(${f})`;
    else if (format === "arrow")
      throw new InputError(`${source}: the duckdb engine reads CSV, TSV, Parquet and JSON lines`, {
        file: source,
      });
    else
      relation =
        `read_csv(${f}, header = true, delim = ${format === "tsv" ? "'\\t'" : "','"}, ` +
        `auto_type_candidates = ['DOUBLE', 'VARCHAR'], ` +
        `nullstr = [${MISSING_TEXT.map(sqlString).join(", ")}])`;
  }
  const run = async (sql: string) => {
    try {
      return await conn.runAndReadAll(sql);
    } catch (e) {
      // (DuckDB's sniffer names no line; the in-memory reader, record by record, does.)
      const reason = duckdbReason(e).replace(
        /^Error when sniffing file "[^"]*"\.?/,
        "DuckDB cannot detect the CSV layout (a ragged row, mixed line endings or quoting it refuses; without --engine the in-memory reader names the line at fault)",
      );
      throw new InputError(`${source}: ${reason.slice(0, 320)}`, { file: source });
    }
  };
  return {
    kind: "duckdb",
    source,
    dialect: { relation, position, isFinite: (e) => `isfinite(${e})`, ln: (e) => `ln(${e})` },
    async describe() {
      const r = await run(`DESCRIBE SELECT * FROM ${relation}`);
      return r
        .getRows()
        .map((row) => ({ name: String(row[0]), type: String(row[1]) }))
        .filter((c) => c.name !== "file_row_number");
    },
    async query(sql: string) {
      const r = await run(sql);
      return r
        .getRows()
        .map((row) =>
          row.map((v) => (v === null ? null : typeof v === "bigint" ? Number(v) : Number(v))),
        );
    },
    isNumeric: (type) => NUMERIC.test(type),
  };
}
