import { readFileSync, statSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NON_FINITE = /^[-+]?(nan|inf|infinity)$/i;

/** A numeric table read from a delimited text file: column names and column-major values. */
export interface NumericTable {
  file: string;
  names: string[];
  nRows: number;
  /** columns[c][i] is the value of column c at data row i. */
  columns: Float64Array[];
}

/**
 * Reads a CSV (or, with a .tsv name, TSV) file with a header row into numeric columns.
 * Every cell must be a finite number; the first bad cell is reported by file, row (1-based data
 * row, with its line number) and column name.
 */
export function readNumericCsv(file: string): NumericTable {
  let text: string;
  try {
    if (statSync(file).isDirectory())
      throw new InputError(`${file}: is a directory, not a data file`, { file });
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      {
        file,
      },
    );
  }
  return parseNumericCsv(text, file);
}

/** Parses CSV/TSV text (see readNumericCsv); `file` names the source in error messages. */
export function parseNumericCsv(text: string, file = "<input>"): NumericTable {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: file.endsWith(".tsv") ? "\t" : ",",
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
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === "") throw new InputError(`${file}: header column ${c + 1} has no name`, { file });
    if (seen.has(name)) {
      throw new InputError(
        `${file}: column name '${name}' appears twice (columns ${seen.get(name)! + 1} and ${c + 1})`,
        {
          file,
          column: name,
        },
      );
    }
    seen.set(name, c);
  });
  const nRows = records.length - 1;
  if (nRows === 0) throw new InputError(`${file}: has a header row but no data rows`, { file });
  const columns = names.map(() => new Float64Array(nRows));
  for (let i = 0; i < nRows; i++) {
    const rec = records[i + 1];
    for (let c = 0; c < names.length; c++) {
      const cell = rec[c];
      const where = `${file}: row ${i + 1}, column '${names[c]}'`;
      if (cell === "") {
        throw new InputError(`${where}: missing value`, { file, row: i + 1, column: names[c] });
      }
      if (!NUMBER.test(cell)) {
        const what = NON_FINITE.test(cell) ? "is not a finite number" : "is not numeric";
        throw new InputError(`${where}: value '${cell}' ${what}`, {
          file,
          row: i + 1,
          column: names[c],
        });
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) {
        throw new InputError(`${where}: value '${cell}' overflows a double`, {
          file,
          row: i + 1,
          column: names[c],
        });
      }
      columns[c][i] = v;
    }
  }
  return { file, names, nRows, columns };
}
