import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { tableFromIPC, type Table } from "apache-arrow";
import { InputError } from "../errors.js";

/** A numeric table: column names and column-major values. */
export interface NumericTable {
  file: string;
  names: string[];
  nRows: number;
  /** columns[c][i] is the value of column c at data row i. */
  columns: Float64Array[];
}

export type MissingPolicy = "error" | "drop" | "mean";

export interface ReadTableOptions {
  /** Missing cells (empty, NA, or null in Parquet/Arrow): an error (default), drop the row, or impute the column mean. */
  missing?: MissingPolicy;
  /** "auto": one-hot encode string feature columns (a column per level, as glmnet's makeX). */
  categorical?: "none" | "auto";
  /** The target column: string labels there are class labels (coded 0, 1, … in sorted order). */
  target?: string;
}

/** A numeric table ready for fitting, with what was done to get it. */
export interface DataTable extends NumericTable {
  format: "csv" | "tsv" | "parquet" | "arrow";
  /** One-hot encodings applied: the source column, its levels and the columns made from them. */
  encodings: { column: string; levels: string[]; names: string[] }[];
  /** The target's class labels when it held strings (its values are then 0, 1, …). */
  targetLevels?: string[];
  /** Data rows (1-based, as in the file) dropped for missing values. */
  droppedRows: number[];
  /** Columns whose missing cells were imputed with the mean, and how many. */
  imputed: { column: string; mean: number; count: number }[];
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NON_FINITE = /^[-+]?(nan|inf|infinity)$/i;
const MISSING = /^(|NA|N\/A|null)$/;

type Cell = number | string | null;
interface RawTable {
  names: string[];
  /** cells[c][i]: a number, a string (CSV text, or an Arrow string), or null (missing). */
  cells: Cell[][];
  /** true when the cells came as text (CSV/TSV): strings are then parsed as numbers. */
  text: boolean;
}

/**
 * Reads a data file by its extension: .csv / .tsv (header row, quoted fields), .parquet, or
 * .arrow / .feather / .ipc (Arrow IPC file or stream). Every problem is an InputError naming the
 * file, row (1-based data row) and column.
 */
export function readTable(file: string, options: ReadTableOptions = {}): DataTable {
  const ext = extname(file).toLowerCase();
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory())
      throw new InputError(`${file}: is a directory, not a data file`, { file });
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      { file },
    );
  }
  let raw: RawTable;
  let format: DataTable["format"];
  if (ext === ".parquet" || ext === ".pq") {
    format = "parquet";
    raw = fromArrow(readParquetBytes(bytes, file), file);
  } else if (ext === ".arrow" || ext === ".feather" || ext === ".ipc" || ext === ".arrows") {
    format = "arrow";
    let t: Table;
    try {
      t = tableFromIPC(bytes);
    } catch (e) {
      throw new InputError(`${file}: not a readable Arrow IPC file (${(e as Error).message})`, {
        file,
      });
    }
    raw = fromArrow(t, file);
  } else {
    format = ext === ".tsv" || ext === ".tab" ? "tsv" : "csv";
    raw = fromText(bytes.toString("utf8"), file, format === "tsv" ? "\t" : ",");
  }
  return finish(raw, file, format, options);
}

function readParquetBytes(bytes: Buffer, file: string): Table {
  const require = createRequire(import.meta.url);
  const pq = require("parquet-wasm/node") as {
    readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array };
  };
  try {
    return tableFromIPC(pq.readParquet(new Uint8Array(bytes)).intoIPCStream());
  } catch (e) {
    throw new InputError(
      `${file}: not a readable Parquet file (${String((e as Error).message ?? e).split("\n")[0]})`,
      { file },
    );
  }
}

function fromText(text: string, file: string, delimiter: string): RawTable {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number };
    const reason = err.message.replace(/^Invalid Record Length: /, "").replace(/\s+/g, " ");
    throw new InputError(`${file}: line ${err.lines ?? "?"}: ${reason}`, { file, row: err.lines });
  }
  if (records.length === 0)
    throw new InputError(`${file}: the file is empty (expected a header row)`, { file });
  const names = records[0];
  const cells = names.map((_, c) => records.slice(1).map((r) => r[c]));
  return { names, cells, text: true };
}

function fromArrow(t: Table, file: string): RawTable {
  const names = t.schema.fields.map((f) => f.name);
  const cells = names.map((name) => {
    const col = t.getChild(name)!;
    const out: Cell[] = new Array(t.numRows);
    for (let i = 0; i < t.numRows; i++) {
      const v: unknown = col.get(i);
      if (v === null || v === undefined) out[i] = null;
      else if (typeof v === "number") out[i] = v;
      else if (typeof v === "bigint") out[i] = Number(v);
      else if (typeof v === "boolean") out[i] = v ? 1 : 0;
      else if (typeof v === "string") out[i] = v;
      else
        throw new InputError(
          `${file}: column '${name}' has type ${String(t.schema.fields.find((f) => f.name === name)!.type)}, which is neither numeric nor text`,
          { file, column: name },
        );
    }
    return out;
  });
  return { names, cells, text: false };
}

function finish(
  raw: RawTable,
  file: string,
  format: DataTable["format"],
  o: ReadTableOptions,
): DataTable {
  const { names, cells } = raw;
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === "") throw new InputError(`${file}: header column ${c + 1} has no name`, { file });
    if (seen.has(name))
      throw new InputError(
        `${file}: column name '${name}' appears twice (columns ${seen.get(name)! + 1} and ${c + 1})`,
        { file, column: name },
      );
    seen.set(name, c);
  });
  const n0 = cells.length ? cells[0].length : 0;
  if (n0 === 0) throw new InputError(`${file}: has a header row but no data rows`, { file });
  const missing = o.missing ?? "error";
  // Classify every cell: number, missing, or string; a non-finite number is always an error.
  const kinds = names.map((name, c) => {
    const nums = new Float64Array(n0);
    const miss = new Uint8Array(n0);
    let firstString = -1;
    for (let i = 0; i < n0; i++) {
      const cell = cells[c][i];
      const where = `${file}: row ${i + 1}, column '${name}'`;
      if (cell === null || (raw.text && MISSING.test(cell as string))) {
        miss[i] = 1;
        continue;
      }
      if (typeof cell === "number") {
        if (!Number.isFinite(cell))
          throw new InputError(`${where}: value ${cell} is not a finite number`, {
            file,
            row: i + 1,
            column: name,
          });
        nums[i] = cell;
        continue;
      }
      const s = cell as string;
      if (raw.text && NUMBER.test(s)) {
        const v = Number(s);
        if (!Number.isFinite(v))
          throw new InputError(`${where}: value '${s}' overflows a double`, {
            file,
            row: i + 1,
            column: name,
          });
        nums[i] = v;
      } else if (raw.text && NON_FINITE.test(s))
        throw new InputError(`${where}: value '${s}' is not a finite number`, {
          file,
          row: i + 1,
          column: name,
        });
      else if (firstString < 0) firstString = i;
    }
    return { nums, miss, firstString };
  });
  // Rows to keep under the missing-value policy.
  const keep = new Uint8Array(n0).fill(1);
  const droppedRows: number[] = [];
  for (let c = 0; c < names.length; c++) {
    const { miss } = kinds[c];
    for (let i = 0; i < n0; i++) {
      if (!miss[i]) continue;
      const isTarget = names[c] === o.target;
      if (missing === "error")
        throw new InputError(
          `${file}: row ${i + 1}, column '${names[c]}': missing value (choose --missing drop or --missing mean)`,
          { file, row: i + 1, column: names[c] },
        );
      if (missing === "drop" || isTarget) keep[i] = 0;
    }
  }
  for (let i = 0; i < n0; i++) if (!keep[i]) droppedRows.push(i + 1);
  const rows = Array.from({ length: n0 }, (_, i) => i).filter((i) => keep[i]);
  const nRows = rows.length;
  if (nRows === 0)
    throw new InputError(`${file}: no rows left after dropping rows with missing values`, { file });
  const outNames: string[] = [];
  const columns: Float64Array[] = [];
  const encodings: DataTable["encodings"] = [];
  const imputed: DataTable["imputed"] = [];
  let targetLevels: string[] | undefined;
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    const { nums, miss, firstString } = kinds[c];
    if (firstString >= 0) {
      const labels = rows.map((i) => (miss[i] ? null : String(cells[c][i])));
      if (name === o.target) {
        // class labels: every value (numbers included) becomes a level
        const levels = [...new Set(labels as string[])].sort();
        targetLevels = levels;
        outNames.push(name);
        columns.push(Float64Array.from(labels, (v) => levels.indexOf(v!)));
        continue;
      }
      if (o.categorical !== "auto")
        throw new InputError(
          `${file}: row ${firstString + 1}, column '${name}': value '${String(cells[c][firstString])}' is not numeric (--categorical auto one-hot encodes text columns)`,
          { file, row: firstString + 1, column: name },
        );
      const levels = [...new Set(labels.filter((v): v is string => v !== null))].sort();
      if (levels.length > 1000)
        throw new InputError(
          `${file}: column '${name}' has ${levels.length} distinct text values; too many to one-hot encode`,
          { file, column: name },
        );
      const made = levels.map((l) => `${name}=${l}`);
      for (const [k, level] of levels.entries()) {
        if (seen.has(made[k]))
          throw new InputError(
            `${file}: one-hot column '${made[k]}' would clash with an existing column`,
            { file, column: name },
          );
        const col = new Float64Array(nRows);
        let count = 0;
        labels.forEach((v, t) => {
          if (v === level) {
            col[t] = 1;
            count++;
          }
        });
        // a missing label under --missing mean: the level frequencies
        const freq = count / labels.filter((v) => v !== null).length;
        labels.forEach((v, t) => {
          if (v === null) col[t] = freq;
        });
        outNames.push(made[k]);
        columns.push(col);
      }
      encodings.push({ column: name, levels, names: made });
      continue;
    }
    const col = Float64Array.from(rows, (i) => nums[i]);
    let nMiss = 0;
    let sum = 0;
    rows.forEach((i, t) => {
      if (miss[i]) nMiss++;
      else sum += col[t];
    });
    if (nMiss > 0) {
      const mean = sum / (nRows - nMiss);
      rows.forEach((i, t) => {
        if (miss[i]) col[t] = mean;
      });
      imputed.push({ column: name, mean, count: nMiss });
    }
    outNames.push(name);
    columns.push(col);
  }
  return {
    file,
    names: outNames,
    nRows,
    columns,
    format,
    encodings,
    targetLevels,
    droppedRows,
    imputed,
  };
}
