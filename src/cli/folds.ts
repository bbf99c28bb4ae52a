/**
 * The folds of `regularize fit` and `cv` given by the user: `--foldid FILE` (one fold per data
 * row of the file) or `--fold-column NAME` (read with the data, see input.ts).
 */
import { InputError } from "../errors.js";
import { quoteCell } from "../io/assemble.js";
import { readOptionFile, type Design } from "./input.js";

/** Refuses both ways of giving the folds at once. */
export function checkFoldOptions(o: { foldid?: string; foldColumn?: string }): void {
  if (o.foldid && o.foldColumn)
    throw new InputError("options '--foldid' and '--fold-column' both give the folds; choose one", {
      option: "--fold-column",
    });
}

/**
 * The fold of each row in memory: `--foldid`'s file (one id per data row of the file; rows
 * dropped for missing values drop their ids too), else the fold column's, else undefined.
 */
export function rowFoldIds(
  foldid: string | undefined,
  design: Pick<Design, "x" | "table" | "foldId">,
): ArrayLike<number> | undefined {
  if (!foldid) return design.foldId;
  const all = readFoldIds(foldid, design.x.nRows + design.table.droppedRows.length);
  const rows = design.table.rowNumbers;
  return rows ? Array.from(rows, (r) => all[r - 1]) : all;
}

/** Reads a fold-id file: one integer ≥ 1 per data row (an optional header line is skipped). */
export function readFoldIds(file: string, n: number): number[] {
  const lines = readOptionFile("--foldid", file)
    .split(/\r?\n/)
    .map((l) => l.trim());
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const start = lines.length && !/^\d+$/.test(lines[0]) && lines.length === n + 1 ? 1 : 0;
  const ids: number[] = [];
  for (let i = start; i < lines.length; i++) {
    if (!/^\d+$/.test(lines[i]) || Number(lines[i]) < 1)
      throw new InputError(
        `${file}: line ${i + 1}: expected a fold number (an integer ≥ 1), got ${quoteCell(lines[i])}`,
        { file, row: i + 1 },
      );
    if (Number(lines[i]) > n)
      throw new InputError(
        `${file}: line ${i + 1}: fold ${lines[i]} is larger than the number of data rows (${n})`,
        { file, row: i + 1 },
      );
    ids.push(Number(lines[i]));
  }
  if (ids.length !== n)
    throw new InputError(`${file}: has ${ids.length} fold ids but the data have ${n} rows`, {
      file,
    });
  return ids;
}
