import { closeSync, openSync, statSync } from "node:fs";
import { totalmem } from "node:os";
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { assemble, MISSING_TEXT, quoteCell, type ReadColumn } from "./assemble.js";
import { readArrow } from "./arrow.js";
import { NumberColumn, TextColumn } from "./columns.js";
import { readCsvRecords, readHeader } from "./csvHeader.js";
import { doubleValues, duckdbConnection, duckdbReason, sqlName, sqlString } from "./duckdb.js";

export type {
  DataTable,
  MissingPolicy,
  NumericTable,
  ReadTableOptions,
  TableFormat,
} from "./types.js";
import type { DataTable, ReadTableOptions, TableFormat } from "./types.js";

/**
 * The format of a data file, by its extension.
 *
 * @example
 * ```ts
 * formatOf("sales.parquet"); // "parquet"
 * ```
 */
export function formatOf(file: string): TableFormat {
  const ext = extname(file).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  if (ext === ".arrow" || ext === ".feather" || ext === ".ipc" || ext === ".arrows") return "arrow";
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "json";
  if (ext === ".tsv" || ext === ".tab") return "tsv";
  return "csv";
}

/** Human-readable bytes. */
export function formatBytes(b: number): string {
  return b >= 2 ** 30
    ? `${(b / 2 ** 30).toFixed(1)} GiB`
    : b >= 2 ** 20
      ? `${(b / 2 ** 20).toFixed(0)} MiB`
      : `${Math.ceil(b / 1024)} KiB`;
}

/** The default memory budget: half the machine's memory. */
export const defaultMemoryBudget = (): number => Math.floor(totalmem() / 2);

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\)|BOOLEAN|"NULL"|NULL)$/;
const TEXT_TYPE = /^(VARCHAR|ENUM\(.*\))$/s;

/**
 * Reads a data file by its extension: .csv / .tsv (header row, quoted fields), .parquet,
 * .jsonl / .ndjson / .json (JSON lines) through embedded DuckDB, or .arrow / .feather / .ipc
 * (Arrow IPC) through apache-arrow — batch by batch into typed arrays, never the whole file as
 * text. Node only. Every problem is an InputError naming the file, row (the first data row is
 * row 1) and column.
 *
 * @example
 * ```ts
 * // import { readTable } from "regularize/node";
 * const t = await readTable("data/diabetes.csv", { lastIsTarget: true, missing: "drop" });
 * const design = denseMatrix(t.nRows, t.names.length - 1, t.featureData);
 * const fit = elasticNetPath(design, t.columns[t.names.length - 1]);
 * ```
 */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<DataTable> {
  const format = formatOf(file);
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory())
      throw new InputError(`${file}: is a directory, not a data file`, { file });
    closeSync(openSync(file, "r"));
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${file}: cannot read the file (${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "error")})`,
      { file },
    );
  }
  const budget = options.memoryBudget ?? defaultMemoryBudget();
  const planOf = (names: string[]) => plan(file, names, options);
  let cols: ReadColumn[];
  let shared: Float64Array | undefined;
  if (format === "arrow") cols = await readArrow(file, planOf, budget, options.textColumns);
  else
    try {
      ({ cols, shared } = await readDuckdb(file, format, size, options, budget));
    } catch (e) {
      if (!(e instanceof CsvRefused)) throw e;
      // DuckDB could not read this text file: read it record by record, which also names the
      // line of a structural problem.
      cols = await readCsvRecords(file, format, planOf, budget);
    }
  return assemble(file, format, cols, options, shared);
}

/** Which columns of the file to read, and in which role; checks the names asked for exist. */
export function plan(
  file: string,
  names: string[],
  o: ReadTableOptions,
): { name: string; role: ReadColumn["role"] }[] {
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === "") throw new InputError(`${file}: header column ${c + 1} has no name`, { file });
    if (seen.has(name))
      throw new InputError(
        `${file}: column name ${quoteCell(name)} appears twice (columns ${seen.get(name)! + 1} and ${c + 1})`,
        { file, column: name },
      );
    seen.set(name, c);
  });
  const list = (wanted: string[]) =>
    `columns: ${wanted.slice(0, 20).join(", ")}${wanted.length > 20 ? ", …" : ""}`;
  const need = (name: string, what: string) => {
    if (!seen.has(name))
      throw new InputError(
        what === "model"
          ? `${file}: missing column ${quoteCell(name)} (the model needs it)`
          : `${file}: no column named ${quoteCell(name)}${what} (${list(names)})`,
        { file, column: name },
      );
  };
  const target = o.target ?? (o.lastIsTarget ? names[names.length - 1] : undefined);
  if (target !== undefined) need(target, "");
  for (const k of o.keep ?? []) need(k, o.exclude?.includes(k) ? " (--fold-column)" : " (--keep)");
  const roles: { name: string; role: ReadColumn["role"] }[] = [];
  if (o.columns)
    for (const f of o.columns) need(f, o.columnsFlag ? ` (${o.columnsFlag})` : "model");
  for (const f of o.ignore ?? []) need(f, " (--ignore)");
  for (const [flag, list] of [
    [o.columnsFlag, o.columns],
    ["--ignore", o.ignore],
  ] as const)
    if (flag && target !== undefined && list?.includes(target))
      throw new InputError(`option '${flag}': '${target}' is the target`, { option: flag });
  const wanted = o.columns ? new Set(o.columns) : undefined;
  for (const name of names) {
    if (name === target) roles.push({ name, role: "target" });
    else if (o.exclude?.includes(name) || o.ignore?.includes(name)) continue;
    else if (!wanted || wanted.has(name)) roles.push({ name, role: "feature" });
  }
  for (const k of o.keep ?? []) roles.push({ name: k, role: "keep" });
  return roles;
}

/** The table function that reads `file` in DuckDB. */
function source(file: string, format: TableFormat, types: Map<string, string>): string {
  const f = sqlString(file);
  if (format === "parquet") return `read_parquet(${f})`;
  if (format === "json")
    return `read_json(${f}, format = ${/\.json$/i.test(file) ? "'auto'" : "'newline_delimited'"})`;
  const override = types.size
    ? `, types = {${[...types].map(([k, t]) => `${sqlString(k)}: ${sqlString(t)}`).join(", ")}}`
    : "";
  return (
    `read_csv(${f}, header = true, delim = ${format === "tsv" ? "'\\t'" : "','"}, quote = '"', ` +
    `escape = '"', comment = '', auto_type_candidates = ['DOUBLE', 'VARCHAR'], ` +
    `nullstr = [${MISSING_TEXT.map(sqlString).join(", ")}]${override})`
  );
}

async function readDuckdb(
  file: string,
  format: TableFormat,
  size: number,
  o: ReadTableOptions,
  budget: number,
): Promise<{ cols: ReadColumn[]; shared?: Float64Array }> {
  const text = format === "csv" || format === "tsv";
  let header: string[] | undefined;
  let lineBytes = 0;
  if (text) {
    const h = readHeader(file, format === "tsv" ? "\t" : ",");
    header = h.names;
    lineBytes = h.lineBytes;
  }
  const conn = await duckdbConnection();
  const types = new Map<string, string>();
  const fail = (e: unknown): never => {
    if (text && !(e instanceof InputError)) throw new CsvRefused(e);
    throw duckdbInputError(e, file, format);
  };
  // CSV: a conversion error past the sniffer's sample makes that column text, and we start again.
  for (let attempt = 0; ; attempt++) {
    const src = source(file, format, types);
    const described = await conn
      .runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)
      .catch((e: unknown) => fail(e));
    const rows = described.getRows();
    const dbNames = rows.map((r) => String(r[0]));
    const dbTypes = rows.map((r) => String(r[1]));
    if (header && header.length !== dbNames.length)
      throw new InputError(
        `${file}: the header has ${header.length} columns but the rows have ${dbNames.length}`,
        { file },
      );
    const names = header ?? dbNames;
    const roles = plan(file, names, o);
    const index = new Map(names.map((nm, c) => [nm, c]));
    // keep columns of a text file are read as their text (described again with the override)
    let added = false;
    if (text)
      for (const r of roles) {
        const db = dbNames[index.get(r.name)!];
        if ((r.role === "keep" || o.textColumns?.includes(r.name)) && !types.has(db)) {
          types.set(db, "VARCHAR");
          added = true;
        }
      }
    if (added) continue;
    const exprs: string[] = [];
    const cols: ReadColumn[] = roles.map((r) => {
      const c = index.get(r.name)!;
      const type = dbTypes[c];
      const id = sqlName(dbNames[c]);
      if (r.role === "keep" || TEXT_TYPE.test(type) || o.textColumns?.includes(r.name)) {
        exprs.push(`CAST(${id} AS VARCHAR)`);
        return { ...r, acc: new TextColumn() };
      }
      if (!NUMERIC_TYPE.test(type))
        throw new InputError(
          `${file}: column ${quoteCell(r.name)} has type ${type}, which is neither numeric nor text`,
          { file, column: r.name },
        );
      exprs.push(`CAST(${id} AS DOUBLE)`);
      return { ...r, acc: new NumberColumn() };
    });
    const bytesPerRow = cols.reduce((a, c) => a + (c.acc.kind === "number" ? 8 : 4), 0);
    // Before reading: the size the table will take (estimated from a text file's size and its
    // first lines), then the exact row count (Parquet's metadata; a counting pass over a text
    // file, which also finds a ragged row or a bad byte anywhere in it).
    if (text && lineBytes > 0 && (size / lineBytes) * bytesPerRow > budget)
      tooBig(file, size / lineBytes, cols.length, budget, true);
    const counted = await conn
      .runAndReadAll(`SELECT count(*) FROM ${src}`)
      .catch((e: unknown) => fail(e));
    const n = Number(counted.getRows()[0][0]);
    if (n * bytesPerRow > budget) tooBig(file, n, cols.length, budget, false);
    const sql = `SELECT ${exprs.join(", ") || "NULL"} FROM ${src}`;
    try {
      const shared = await stream(conn, sql, cols, n);
      return { cols, shared };
    } catch (caught) {
      let e = caught;
      if (e instanceof InputError) throw e;
      if (e instanceof Truncated) {
        // A conversion error part-way (a text cell past the type sample): the same query run
        // to the end names the column, which is then read as text.
        if (text)
          e = await conn.run(sql).then(
            () => new CsvRefused(e),
            (err: unknown) => err,
          );
        else
          throw new InputError(
            `${file}: DuckDB stopped after ${e.got} of ${e.expected} rows (a damaged ${format} file?)`,
            { file },
          );
      }
      if (e instanceof CsvRefused) throw e;
      const m = /converting column "((?:[^"]|"")*)"/.exec(String((e as Error).message));
      if (text && m && attempt < dbNames.length && !types.has(m[1].replace(/""/g, '"'))) {
        types.set(m[1].replace(/""/g, '"'), "VARCHAR");
        continue;
      }
      fail(e);
    }
  }
}

/**
 * Streams the read into the columns. The numeric columns are reserved in one buffer of `n` rows —
 * numeric features first, then a numeric target — which `assemble` keeps as the design when
 * nothing needs moving (no text feature, no dropped row). A DuckDB stream that fails part-way
 * ends like a finished one (an empty chunk), so the rows are counted against `n`: fewer is an
 * error (`Truncated`), never a shorter table.
 */
async function stream(
  conn: Awaited<ReturnType<typeof duckdbConnection>>,
  sql: string,
  cols: ReadColumn[],
  n: number,
): Promise<Float64Array> {
  const result = await conn.stream(sql);
  const numeric = [
    ...cols.filter((c) => c.role === "feature" && c.acc instanceof NumberColumn),
    ...cols.filter((c) => c.role === "target" && c.acc instanceof NumberColumn),
  ];
  const shared = new Float64Array(n * numeric.length);
  numeric.forEach((c, k) => (c.acc as NumberColumn).reserve(shared.subarray(k * n, (k + 1) * n)));
  let total = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (total + rows > n) throw new Truncated(total + rows, n);
    cols.forEach((c, j) => {
      if (c.acc instanceof NumberColumn) {
        const { values, validity } = doubleValues(chunk.chunk, j, rows);
        c.acc.push(values, rows, validity);
      } else {
        const v = chunk.getColumnVector(j);
        c.acc.push((i) => v.getItem(i) as string | null, rows);
      }
    });
    total += rows;
  }
  if (total !== n) throw new Truncated(total, n);
  return shared;
}

/** DuckDB's stream gave another number of rows than the file has. */
class Truncated extends Error {
  constructor(
    readonly got: number,
    readonly expected: number,
  ) {
    super(`read ${got} of ${expected} rows`);
  }
}

/** A table too large for the memory budget (the out-of-core engines can take it). */
export class TooBigError extends InputError {}

function tooBig(
  file: string,
  rows: number,
  cols: number,
  budget: number,
  estimate: boolean,
): never {
  const bytes = rows * cols * 8;
  throw new TooBigError(
    `${file}: ${estimate ? "about " : "more than "}${Math.round(rows).toLocaleString("en-US")} rows × ${cols} columns need ${estimate ? "about " : "more than "}${formatBytes(bytes)} as doubles, more than the memory budget of ${formatBytes(budget)} (--memory-budget); read fewer columns or rows, raise the budget on a machine with more memory, or fit from SQL sums with --engine duckdb (gaussian path, CV and fit; binomial and poisson paths)`,
    { file },
  );
}

/** DuckDB refused a text file (it is then read record by record). */
class CsvRefused extends Error {
  constructor(readonly reason: unknown) {
    super("DuckDB could not read the file");
  }
}

/** A DuckDB read error as one line naming the file (and the line, when DuckDB gives it). */
function duckdbInputError(e: unknown, file: string, format: TableFormat): InputError {
  if (e instanceof InputError) return e;
  const msg = String((e as Error).message ?? e);
  const line = /CSV Error on Line: (\d+)/.exec(msg);
  const lines = msg.split("\n").map((l) => l.trim());
  const what = format === "parquet" ? "Parquet" : format === "json" ? "JSON-lines" : "CSV";
  if (line) {
    const reason =
      lines.find(
        (l, k) => k > 0 && l !== "" && !l.startsWith("Original Line") && !l.startsWith("Possible"),
      ) ?? duckdbReason(e);
    return new InputError(`${file}: line ${line[1]}: ${reason.slice(0, 200)}`, {
      file,
      row: Number(line[1]) - 1,
    });
  }
  const reason = duckdbReason(e)
    .replace(/ in file "[^"]*"/, "")
    .replace(/^Error when sniffing file "[^"]*"\./, "cannot detect the CSV layout");
  return new InputError(`${file}: not a readable ${what} file (${reason.slice(0, 200)})`, {
    file,
  });
}
