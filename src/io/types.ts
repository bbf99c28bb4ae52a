// The reader's types, apart from the Node-only reader (src/io/table.ts): the browser-safe
// assembly of columns (assemble.ts, fromTable.ts) uses them too.

/** A numeric table: column names and column-major values. */
export interface NumericTable {
  file: string;
  names: string[];
  nRows: number;
  /** columns[c][i] is the value of column c at data row i. */
  columns: Float64Array[];
}

export type MissingPolicy = "error" | "drop" | "mean";
export type TableFormat = "csv" | "tsv" | "parquet" | "json" | "arrow";

export interface ReadTableOptions {
  /** Missing cells (empty, NA, N/A or null in text files; null elsewhere): an error (default), drop the row, or impute the column mean. */
  missing?: MissingPolicy;
  /** "auto": one-hot encode text feature columns (a column per level, as glmnet's makeX). */
  categorical?: "none" | "auto";
  /** The target column: never a feature, never one-hot encoded; text there is class labels (coded 0, 1, … in sorted order). */
  target?: string;
  /** With no `target`: take the last column as the target. */
  lastIsTarget?: boolean;
  /** Read only these feature columns (each must exist); the file's other columns are ignored. */
  columns?: string[];
  /** With `categorical: "auto"`: one-hot encode only these text columns (others must be numeric). */
  categoricalColumns?: string[];
  /** Columns read as text labels even when every value looks like a number. */
  textColumns?: string[];
  /** Columns that must exist but are never features (a fold column). */
  exclude?: string[];
  /** Columns that must exist and are neither read nor features (`--ignore`: an id, other outcomes). */
  ignore?: string[];
  /** The flag that gave `columns`, for its errors (default: the columns a saved model needs). */
  columnsFlag?: string;
  /** Columns returned as their text, untouched (`predict --keep`), in `kept`. */
  keep?: string[];
  /** The largest table the reader will hold, in bytes as doubles (default: half the machine's memory). */
  memoryBudget?: number;
}

/** A numeric table ready for fitting, with what was done to get it. */
export interface DataTable extends NumericTable {
  format: TableFormat;
  /** The feature columns (every column but the target), column-major in one buffer: the first `nRows × (names.length − 1)` values (all of `names` without a target). */
  featureData: Float64Array;
  /** The target column's name (the last of `names`), when there is one. */
  target?: string;
  /** One-hot encodings applied: the source column, its levels and the columns made from them. */
  encodings: { column: string; levels: string[]; names: string[] }[];
  /** The target's class labels when it held text (its values are then 0, 1, …). */
  targetLevels?: string[];
  /** Data rows (the first data row is row 1) dropped for missing values. */
  droppedRows: number[];
  /** The data row number of each kept row when rows were dropped (else row i is i + 1). */
  rowNumbers?: Int32Array;
  /** Columns whose missing cells were imputed with the mean, and how many. */
  imputed: { column: string; mean: number; count: number }[];
  /** The text of the `keep` columns, one string per kept row. */
  kept: Record<string, string[]>;
}
