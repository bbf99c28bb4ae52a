import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { denseMatrix, type DenseMatrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { readTable, type DataTable, type MissingPolicy } from "../io/table.js";

/** The input options every data command shares. */
export interface InputCliOptions {
  target?: string;
  missing?: string;
  categorical?: string;
  dropRedundant?: boolean;
}

/** Adds --missing, --categorical and --drop-redundant (each command adds its own --target). */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option("--missing <policy>", "missing cells: error, drop (the row) or mean (imputed)", "error")
    .option("--categorical <mode>", "none, or auto: one-hot encode text columns", "none")
    .option(
      "--drop-redundant",
      "drop constant feature columns and exact duplicates instead of refusing them",
    );
}

/** A design read from a data file: features (column-major) and the target column. */
export interface Design {
  table: DataTable;
  target: string;
  features: string[];
  x: DenseMatrix;
  y: Float64Array;
  /** Feature columns dropped as constant or duplicate (with --drop-redundant). */
  dropped: string[];
}

/**
 * Reads a data file (CSV, TSV, Parquet, Arrow) for a command: checks the input options, finds the
 * target (default: the last column), refuses a constant target, and refuses — or with
 * --drop-redundant drops — constant and duplicate feature columns. Every problem names the file,
 * row and column.
 */
export function readDesign(file: string, o: InputCliOptions, minRows = 2): Design {
  const missing = o.missing ?? "error";
  if (!["error", "drop", "mean"].includes(missing))
    throw new InputError(`option '--missing': expected error, drop or mean, got '${missing}'`, {
      option: "--missing",
    });
  const categorical = o.categorical ?? "none";
  if (!["none", "auto"].includes(categorical))
    throw new InputError(`option '--categorical': expected none or auto, got '${categorical}'`, {
      option: "--categorical",
    });
  const table = readTable(file, {
    missing: missing as MissingPolicy,
    categorical: categorical as "none" | "auto",
    target: o.target,
  });
  const target = o.target ?? table.names[table.names.length - 1];
  const t = table.names.indexOf(target);
  if (t < 0)
    throw new InputError(
      `${file}: no column named '${target}' (columns: ${table.names.slice(0, 20).join(", ")}${table.names.length > 20 ? ", …" : ""})`,
      { file, column: target },
    );
  const n = table.nRows;
  const y = table.columns[t];
  let cols = table.names.map((_, c) => c).filter((c) => c !== t);
  if (cols.length === 0)
    throw new InputError(`${file}: needs at least one feature column besides the target`, { file });
  if (n < minRows)
    throw new InputError(`${file}: needs at least ${minRows} data rows, got ${n}`, { file });
  if (y.every((v) => v === y[0]))
    throw new InputError(
      `${file}: target column '${target}' has a single value (${table.targetLevels ? table.targetLevels[0] : y[0]}): nothing to fit`,
      { file, column: target },
    );
  const dropped: string[] = [];
  const kept: number[] = [];
  const byHash = new Map<number, number[]>();
  for (const c of cols) {
    const v = table.columns[c];
    const name = table.names[c];
    if (v.every((a) => a === v[0])) {
      if (!o.dropRedundant)
        throw new InputError(
          `${file}: column '${name}' is constant (every row is ${v[0]}); remove it or give --drop-redundant`,
          { file, column: name },
        );
      dropped.push(name);
      continue;
    }
    let h = 0;
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + ((v[i] * 1e6) | 0)) | 0;
    const same = (byHash.get(h) ?? []).find((other) =>
      table.columns[other].every((a, i) => a === v[i]),
    );
    if (same !== undefined) {
      if (!o.dropRedundant)
        throw new InputError(
          `${file}: column '${name}' duplicates column '${table.names[same]}'; remove one or give --drop-redundant`,
          { file, column: name },
        );
      dropped.push(name);
      continue;
    }
    byHash.set(h, [...(byHash.get(h) ?? []), c]);
    kept.push(c);
  }
  cols = kept;
  const data = new Float64Array(n * cols.length);
  cols.forEach((c, j) => data.set(table.columns[c], j * n));
  return {
    table,
    target,
    features: cols.map((c) => table.names[c]),
    x: denseMatrix(n, cols.length, data),
    y,
    dropped,
  };
}

/** Refuses an output path (`flag` names its option) that cannot be written, before any work is done. */
export function checkWritable(file: string, flag = "--json"): void {
  const full = resolve(file);
  try {
    if (existsSync(full)) {
      if (statSync(full).isDirectory()) throw new Error("it is a directory");
      accessSync(full, constants.W_OK);
    } else accessSync(dirname(full), constants.W_OK);
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (e as Error).message;
    throw new InputError(`option '${flag}': cannot write '${file}': ${why}`, { option: flag });
  }
}
