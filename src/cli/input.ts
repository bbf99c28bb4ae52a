import { readFileSync } from "node:fs";
import {
  denseMatrix,
  subsetColumns,
  type CscMatrix,
  type DenseMatrix,
  type Matrix,
} from "../data/matrix.js";
import {
  readMatrixMarket,
  readSvmlight,
  sparseFormatOf,
  type SparseFormat,
} from "../io/sparseText.js";
import { InputError } from "../errors.js";
import type { FitFamily } from "../path/families.js";
import { quoteCell } from "../io/assemble.js";
import { defaultMemoryBudget, readTable, type MissingPolicy } from "../io/table.js";
import type { DataTable } from "../io/types.js";

/** The input options every data command shares. */
export interface InputCliOptions {
  target?: string;
  missing?: MissingPolicy;
  categorical?: "none" | "auto";
  dropRedundant?: boolean;
  /** Bytes. */
  memoryBudget?: number;
  /** A column holding each row's fold number (cv, fit): read apart, never a feature. */
  foldColumn?: string;
  /** The feature columns (`--features a,b,…`) and columns that are not features (`--ignore`). */
  features?: string;
  ignore?: string;
  /** A column of observation weights (≥ 0), never a feature. */
  weights?: string;
  /** A column added to the linear predictor (binomial, Poisson, Cox), never a feature. */
  offset?: string;
  /** Matrix Market input: the file of labels, one per line (the response). */
  labels?: string;
  /** Cox: the survival (stop) time column (the target), the event status, start and stratum columns. */
  time?: string;
  status?: string;
  start?: string;
  strata?: string;
}

/**
 * The columns `--features` and `--ignore` name (comma-separated lists; each name once, none
 * empty), as the reader's `columns` and `ignore`.
 */
export function columnChoice(o: Pick<InputCliOptions, "features" | "ignore">): {
  columns?: string[];
  ignore?: string[];
  columnsFlag?: string;
} {
  const list = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const names = text.split(",").map((t) => t.trim());
    const empty = names.findIndex((t) => t === "");
    if (empty >= 0 || new Set(names).size !== names.length)
      throw new InputError(
        `option '${flag}': ${empty >= 0 ? "an empty column name" : "a column named twice"} in '${text}'`,
        { option: flag },
      );
    return names;
  };
  const columns = list("--features", o.features);
  const ignore = list("--ignore", o.ignore);
  const both = columns?.find((c) => ignore?.includes(c));
  if (both !== undefined)
    throw new InputError(`options '--features' and '--ignore' both name '${both}'`, {
      option: "--ignore",
    });
  return {
    ...(columns ? { columns, columnsFlag: "--features" } : {}),
    ...(ignore ? { ignore } : {}),
  };
}

/** The text of a file an option names (`--foldid`, `--groups`); unreadable: an input error. */
export function readOptionFile(flag: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new InputError(`option '${flag}': cannot read file '${file}'`, { option: flag, file });
  }
}

/** The reader's options from the command line (parsed by the schema), defaults filled in. */
export function readOptions(o: InputCliOptions) {
  return {
    labels: o.labels,
    missing: o.missing ?? "error",
    categorical: o.categorical ?? "none",
    memoryBudget: o.memoryBudget ?? defaultMemoryBudget(),
  };
}

/** A design read from a data file: features (column-major) and the target column. */
export interface Design {
  table: DataTable;
  file: string;
  target: string;
  features: string[];
  /** Dense from tables; CSC (never densified) from svmlight and Matrix Market files. */
  x: Matrix;
  y: Float64Array;
  /** Feature columns dropped as constant or duplicate (with --drop-redundant). */
  dropped: string[];
  /** Constant feature columns kept (their coefficient is 0 at every λ). */
  constant: string[];
  /** Pairs [column, the earlier column it duplicates], kept. */
  duplicates: [string, string][];
  /** The data row number (the first data row is 1) of design row i. */
  row: (i: number) => number;
  /** Each row's fold from `--fold-column`. */
  foldId?: Int32Array;
  /** Observation weights (`--weights`) and the offset (`--offset`), one per row. */
  weights?: Float64Array;
  offset?: Float64Array;
  /** Cox: event status (`--status`), interval starts (`--start`) and strata (`--strata`). */
  status?: Float64Array;
  start?: Float64Array;
  strata?: string[];
  /** mgaussian (`--target y1,y2,…`): the response names and the n × k response matrix. */
  responses?: { names: string[]; y: DenseMatrix };
}

/**
 * Reads a sparse data file (svmlight / libsvm, or Matrix Market with `--labels`) as a CSC design:
 * feature j is the file's index j + 1 and is named by it; the labels are the target (numbers, or
 * text classes for Matrix Market labels). Options that need named columns are refused by name.
 */
function readSparseDesign(
  file: string,
  format: SparseFormat,
  o: InputCliOptions,
  minRows: number,
  warn: (line: string) => void,
): Design {
  const columnOptions: [string, string | undefined][] = [
    ["--target", o.target],
    ["--time", o.time],
    ["--status", o.status],
    ["--start", o.start],
    ["--strata", o.strata],
    ["--weights", o.weights],
    ["--offset", o.offset],
    ["--fold-column", o.foldColumn],
  ];
  const kind = format === "mtx" ? "Matrix Market" : "svmlight";
  for (const [flag, value] of columnOptions)
    if (value !== undefined)
      throw new InputError(
        `option '${flag}': ${kind} files have no named columns (the ${format === "mtx" ? "labels file holds the response" : "first token of each line is the label"})`,
        { option: flag },
      );
  if ((o.categorical ?? "none") !== "none")
    throw new InputError(`option '--categorical': ${kind} files hold numbers only`, {
      option: "--categorical",
    });
  if (format === "svmlight" && o.labels !== undefined)
    throw new InputError(
      "option '--labels': svmlight files carry their labels (the first token of each line)",
      {
        option: "--labels",
      },
    );
  if (format === "mtx" && o.labels === undefined)
    throw new InputError(
      `option '--labels': ${file} is a Matrix Market file; name its labels file (one label per line)`,
      {
        option: "--labels",
      },
    );
  const { x: full, labels } =
    format === "mtx" ? readMatrixMarket(file, o.labels!) : readSvmlight(file);
  const n = full.nRows;
  if (n < minRows)
    throw new InputError(`${file}: needs at least ${minRows} data rows, got ${n}`, { file });
  const numeric = labels.every((l) => Number.isFinite(Number(l)));
  const levels = numeric ? undefined : [...new Set(labels)].sort();
  const code = levels ? new Map(levels.map((l, k) => [l, k])) : null;
  const y = Float64Array.from(labels, (l) => (code ? code.get(l)! : Number(l)));
  if (y.every((v) => v === y[0]))
    throw new InputError(`${file}: every label is ${quoteCell(labels[0])}: nothing to fit`, {
      file,
    });
  // A column is constant when it is all zero, or non-zero in every row with one value.
  const constant: number[] = [];
  for (let j = 0; j < full.nCols; j++) {
    const a = full.colPtr[j];
    const b = full.colPtr[j + 1];
    let same = b - a === 0 || b - a === n;
    for (let k = a + 1; k < b && same; k++) same = full.values[k] === full.values[a];
    if (same) constant.push(j);
  }
  const names = (cols: number[]) => cols.map((j) => String(j + 1));
  let x: CscMatrix = full;
  let kept = [...Array(full.nCols).keys()];
  // --features / --ignore name a sparse file's features by their 1-based indices.
  const chosen = columnChoice(o);
  const indexOf = (flag: string, name: string) => {
    const j = Number(name);
    if (!/^[1-9]\d*$/.test(name) || j > full.nCols)
      throw new InputError(
        `${file}: no feature ${quoteCell(name)} (${flag}): a ${kind} file's features are its indices 1 … ${full.nCols}`,
        { file, option: flag },
      );
    return j - 1;
  };
  if (chosen.columns) {
    const only = new Set(chosen.columns.map((c) => indexOf("--features", c)));
    kept = kept.filter((j) => only.has(j));
  }
  if (chosen.ignore) {
    const out = new Set(chosen.ignore.map((c) => indexOf("--ignore", c)));
    kept = kept.filter((j) => !out.has(j));
  }
  if (kept.length === 0)
    throw new InputError(`${file}: --ignore leaves no feature`, { file, option: "--ignore" });
  const chosenSet = new Set(kept);
  constant.splice(0, constant.length, ...constant.filter((j) => chosenSet.has(j)));
  if (kept.length < full.nCols) x = subsetColumns(full, kept) as CscMatrix;
  if (o.dropRedundant && constant.length) {
    const drop = new Set(constant);
    kept = kept.filter((j) => !drop.has(j));
    if (kept.length === 0)
      throw new InputError(
        `${file}: every feature column is constant; nothing left after --drop-redundant`,
        { file },
      );
    x = subsetColumns(full, kept) as CscMatrix;
  } else if (constant.length)
    warn(
      `${constant.length} of ${kept.length} feature columns are constant (indices ${names(constant.slice(0, 8)).join(", ")}${constant.length > 8 ? ", …" : ""}; an index that never appears is all zero): coefficient 0 at every λ (--drop-redundant removes them)`,
    );
  const features = names(kept);
  const table: DataTable = {
    file,
    format: "csv",
    names: [...features, "label"],
    nRows: n,
    columns: [],
    featureData: new Float64Array(0),
    target: "label",
    encodings: [],
    ...(levels ? { targetLevels: levels } : {}),
    droppedRows: [],
    imputed: [],
    kept: {},
  };
  return {
    table,
    file,
    target: "label",
    features,
    x,
    y,
    dropped: o.dropRedundant ? names(constant) : [],
    constant: o.dropRedundant ? [] : names(constant),
    duplicates: [],
    row: (i) => i + 1,
  };
}

/**
 * Reads a data file (CSV, TSV, Parquet, JSON lines, Arrow) for a command: the target (default:
 * the last column) is never a feature; constant and duplicate feature columns are kept with a
 * warning (a constant column's coefficient is exactly 0 at every λ, as in glmnet) or, with
 * --drop-redundant, removed. Every problem names the file, row and column.
 */
export async function readDesign(
  file: string,
  o: InputCliOptions,
  minRows = 2,
  warn: (line: string) => void = (line) => process.stderr.write(`regularize: warning: ${line}\n`),
): Promise<Design> {
  const sparse = sparseFormatOf(file);
  if (sparse) return readSparseDesign(file, sparse, o, minRows, warn);
  if (o.labels !== undefined)
    throw new InputError(
      "option '--labels': for Matrix Market (.mtx) input only; a table's target is one of its columns",
      { option: "--labels" },
    );
  const fc = o.foldColumn;
  if (o.time !== undefined && o.target !== undefined && o.time !== o.target)
    throw new InputError(
      `options '--time' and '--target' name different columns ('${o.time}', '${o.target}'): the survival time is the target`,
      { option: "--time" },
    );
  if (o.time !== undefined) o = { ...o, target: o.time };
  // Several targets (mgaussian, --target y1,y2,…): the first is the reader's target, the others
  // are read apart as numbers.
  const targets = o.target?.includes(",") ? o.target.split(",").map((t) => t.trim()) : null;
  if (targets) {
    const empty = targets.findIndex((t) => t === "");
    if (empty >= 0 || new Set(targets).size !== targets.length)
      throw new InputError(
        `option '--target': ${empty >= 0 ? "an empty column name" : "a column named twice"} in '${o.target}'`,
        { option: "--target" },
      );
    o = { ...o, target: targets[0] };
  }
  const special: [string, string | undefined][] = [
    ["--fold-column", fc],
    ["--weights", o.weights],
    ["--offset", o.offset],
    ["--status", o.status],
    ["--start", o.start],
    ["--strata", o.strata],
    ...(targets ? targets.slice(1).map((t): [string, string] => ["--target", t]) : []),
  ];
  const apart = special.filter(([, c]) => c !== undefined).map(([, c]) => c!);
  for (const [flag, c] of special)
    if (c !== undefined && (c === o.target || apart.filter((a) => a === c).length > 1))
      throw new InputError(
        `option '${flag}': '${c}' is ${c === o.target ? "the target" : "named twice"}`,
        {
          option: flag,
        },
      );
  const chosen = columnChoice(o);
  for (const [flag, c] of special) {
    if (c === undefined) continue;
    const by = chosen.columns?.includes(c)
      ? "--features"
      : chosen.ignore?.includes(c)
        ? "--ignore"
        : null;
    if (by)
      throw new InputError(`option '${by}': '${c}' is the ${flag} column, never a feature`, {
        option: by,
      });
  }
  const table = await readTable(file, {
    ...readOptions(o),
    ...chosen,
    target: o.target,
    lastIsTarget: true,
    ...(apart.length ? { exclude: apart, keep: apart } : {}),
  });
  for (const [flag, c] of special)
    if (c !== undefined && c === table.target)
      throw new InputError(`option '${flag}': '${c}' is the target`, { option: flag });
  /** A numeric column read apart: finite numbers (≥ 0 for weights), row by row. */
  const numbers = (flag: string, c: string, min: number) =>
    Float64Array.from(table.kept[c], (text, i) => {
      const v = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(v) || v < min) {
        const row = table.rowNumbers ? table.rowNumbers[i] : i + 1;
        throw new InputError(
          `${file}: row ${row}, column '${c}' (${flag}): ${quoteCell(text)} is not ${min === 0 ? "a number ≥ 0" : "a finite number"}`,
          { file, row, column: c },
        );
      }
      return v;
    });
  const weights = o.weights !== undefined ? numbers("--weights", o.weights, 0) : undefined;
  const offset = o.offset !== undefined ? numbers("--offset", o.offset, -Infinity) : undefined;
  const rowOf = (i: number) => (table.rowNumbers ? table.rowNumbers[i] : i + 1);
  let status: Float64Array | undefined;
  if (o.status !== undefined) {
    const c = o.status;
    status = Float64Array.from(table.kept[c], (text, i) => {
      const v = text.trim();
      if (v === "1" || v === "0") return Number(v);
      throw new InputError(
        `${file}: row ${rowOf(i)}, column '${c}' (--status): ${quoteCell(text)} is not 1 (an event) or 0 (censored)`,
        { file, row: rowOf(i), column: c },
      );
    });
  }
  const start = o.start !== undefined ? numbers("--start", o.start, 0) : undefined;
  const more = targets ? targets.slice(1).map((t) => numbers("--target", t, -Infinity)) : null;
  const strata = o.strata !== undefined ? table.kept[o.strata].map((t) => t.trim()) : undefined;
  if (strata) {
    const bad = strata.findIndex((t) => t === "");
    if (bad >= 0)
      throw new InputError(
        `${file}: row ${rowOf(bad)}, column '${o.strata}' (--strata): the stratum is missing`,
        { file, row: rowOf(bad), column: o.strata },
      );
  }
  if (fc !== undefined && fc === table.target)
    throw new InputError(`option '--fold-column': '${fc}' is the target`, {
      option: "--fold-column",
    });
  let foldId: Int32Array | undefined;
  if (fc !== undefined) {
    const cells = table.kept[fc];
    foldId = new Int32Array(cells.length);
    cells.forEach((text, i) => {
      const v = Number(text.trim());
      if (!(text.trim() !== "" && Number.isInteger(v) && v >= 1 && v <= cells.length)) {
        const row = table.rowNumbers ? table.rowNumbers[i] : i + 1;
        throw new InputError(
          `${file}: row ${row}, column '${fc}': ${quoteCell(text)} is not a fold number (an integer from 1 to the number of rows)`,
          { file, row, column: fc },
        );
      }
      foldId![i] = v;
    });
  }
  const target = table.target!;
  const n = table.nRows;
  const p0 = table.names.length - 1;
  const y = table.columns[p0];
  if (p0 === 0)
    throw new InputError(`${file}: needs at least one feature column besides the target`, { file });
  if (n < minRows)
    throw new InputError(`${file}: needs at least ${minRows} data rows, got ${n}`, { file });
  if (y.every((v) => v === y[0]))
    throw new InputError(
      `${file}: target column '${target}' has a single value (${table.targetLevels ? quoteCell(table.targetLevels[0]) : y[0]}): nothing to fit`,
      { file, column: target },
    );
  const constant: string[] = [];
  const duplicates: [string, string][] = [];
  const byHash = new Map<number, number[]>();
  const redundant = new Set<number>();
  for (let c = 0; c < p0; c++) {
    const v = table.columns[c];
    const name = table.names[c];
    const v0 = v[0];
    let same = true;
    for (let i = 1; i < n && same; i++) same = v[i] === v0;
    if (same) {
      constant.push(name);
      redundant.add(c);
      continue;
    }
    let h = 0;
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + ((v[i] * 1e6) | 0)) | 0;
    const earlier = (byHash.get(h) ?? []).find((other) => {
      const u = table.columns[other];
      for (let i = 0; i < n; i++) if (u[i] !== v[i]) return false;
      return true;
    });
    if (earlier !== undefined) {
      duplicates.push([name, table.names[earlier]]);
      redundant.add(c);
      continue;
    }
    byHash.set(h, [...(byHash.get(h) ?? []), c]);
  }
  const list = (a: string[]) =>
    a.slice(0, 8).join(", ") + (a.length > 8 ? `, … (${a.length})` : "");
  const dropped: string[] = [];
  let cols = [...Array(p0).keys()];
  if (o.dropRedundant) {
    cols = cols.filter((c) => !redundant.has(c));
    dropped.push(...[...redundant].sort((a, b) => a - b).map((c) => table.names[c]));
    if (cols.length === 0)
      throw new InputError(
        `${file}: every feature column is constant or a duplicate; nothing left after --drop-redundant`,
        { file },
      );
  } else {
    if (constant.length)
      warn(
        `constant column${constant.length > 1 ? "s" : ""} ${list(constant)}: coefficient 0 at every λ (--drop-redundant removes them)`,
      );
    if (duplicates.length)
      warn(
        `duplicate column${duplicates.length > 1 ? "s" : ""} ${duplicates
          .slice(0, 4)
          .map(([a, b]) => `'${a}' (= '${b}')`)
          .join(
            ", ",
          )}${duplicates.length > 4 ? ", …" : ""}: the lasso gives the weight to the first of equal columns (--drop-redundant removes them)`,
      );
  }
  const x =
    cols.length === p0
      ? denseMatrix(n, p0, table.featureData)
      : (() => {
          const data = new Float64Array(n * cols.length);
          cols.forEach((c, j) => data.set(table.columns[c], j * n));
          return denseMatrix(n, cols.length, data);
        })();
  const rowNumbers = table.rowNumbers;
  return {
    table,
    file,
    target,
    features: cols.map((c) => table.names[c]),
    x,
    y,
    dropped,
    constant: o.dropRedundant ? [] : constant,
    duplicates: o.dropRedundant ? [] : duplicates,
    row: rowNumbers ? (i) => rowNumbers[i] : (i) => i + 1,
    foldId,
    weights,
    offset,
    status,
    start,
    strata,
    ...(targets && more
      ? {
          responses: {
            names: targets,
            y: denseMatrix(
              n,
              targets.length,
              (() => {
                const data = new Float64Array(n * targets.length);
                data.set(y, 0);
                more.forEach((col, c) => data.set(col, (c + 1) * n));
                return data;
              })(),
            ),
          },
        }
      : {}),
  };
}

export type Family = FitFamily;

/** The response for a family, checked against the file, with the class labels it stands for. */
export interface Response {
  y: Float64Array;
  /** binomial: [the 0 label, the 1 label]; multinomial: the labels in class order. */
  classes?: (number | string)[];
  /** binomial with labels other than 0/1: which one is the event, said in the output. */
  note?: string;
}

/**
 * The response of a family from the design's target: gaussian and Poisson need numbers (Poisson
 * counts ≥ 0); binomial takes any two distinct values, numbers or text — `positive` names the
 * event (coded 1), else the larger number or the later label in sorted order; multinomial takes
 * numbers or text labels (at most 100 classes).
 */
export function familyResponse(family: Family, d: Design, positive?: string): Response {
  const { y, table, target, file } = d;
  const labels = table.targetLevels;
  const labelOf = (v: number): number | string => (labels ? labels[v] : v);
  if (family === "cox") return { y: coxResponse(d) };
  if (family !== "mgaussian" && d.responses)
    throw new InputError(
      `option '--target': several targets (${d.responses.names.join(", ")}) are for --family mgaussian`,
      { option: "--target" },
    );
  if (family === "mgaussian") {
    if (!d.responses)
      throw new InputError(
        "option '--target': --family mgaussian needs two or more response columns (--target y1,y2,…)",
        { option: "--target" },
      );
    if (labels)
      throw new InputError(
        `${file}: target column '${target}' holds text; mgaussian needs numbers`,
        {
          file,
          column: target,
        },
      );
    return { y };
  }
  if (family === "gamma" || family === "inverse-gaussian" || family === "negative-binomial") {
    if (labels)
      throw new InputError(
        `${file}: target column '${target}' holds text; ${family} needs numbers`,
        {
          file,
          column: target,
        },
      );
    const bad = y.findIndex((v) => (family === "negative-binomial" ? !(v >= 0) : !(v > 0)));
    if (bad >= 0)
      throw new InputError(
        `${file}: row ${d.row(bad)}, column '${target}': ${family} needs ${family === "negative-binomial" ? "counts ≥ 0" : "values > 0"}, got ${y[bad]}`,
        { file, row: d.row(bad), column: target },
      );
    return { y };
  }
  if (family === "gaussian" || family === "poisson") {
    if (labels)
      throw new InputError(
        `${file}: target column '${target}' holds text labels (${labels.slice(0, 3).map(quoteCell).join(", ")}${labels.length > 3 ? ", …" : ""}); ${family} needs numbers (use --family binomial or multinomial)`,
        { file, column: target },
      );
    if (family === "poisson") {
      const bad = y.findIndex((v) => !(v >= 0));
      if (bad >= 0)
        throw new InputError(
          `${file}: row ${d.row(bad)}, column '${target}': Poisson needs counts ≥ 0, got ${y[bad]}`,
          { file, row: d.row(bad), column: target },
        );
    }
    if (positive !== undefined)
      throw new InputError("option '--positive': only for --family binomial", {
        option: "--positive",
      });
    return { y };
  }
  const values = [...new Set(y)].sort((a, b) => a - b);
  if (family === "multinomial") {
    if (values.length > 100)
      throw new InputError(
        `${file}: column '${target}' has ${values.length} distinct values; multinomial takes class labels (at most 100 classes)`,
        { file, column: target },
      );
    if (positive !== undefined)
      throw new InputError("option '--positive': only for --family binomial", {
        option: "--positive",
      });
    return { y, classes: values.map(labelOf) };
  }
  if (values.length !== 2)
    throw new InputError(
      `${file}: column '${target}' has ${values.length} distinct values (${values
        .slice(0, 5)
        .map((v) => (labels ? quoteCell(labels[v]) : String(v)))
        .join(", ")}${values.length > 5 ? ", …" : ""}); binomial needs exactly two`,
      { file, column: target },
    );
  let pos = values[1];
  if (positive !== undefined) {
    const found = values.find(
      (v) => String(labelOf(v)) === positive || (!labels && Number(positive) === v),
    );
    if (found === undefined)
      throw new InputError(
        `option '--positive': ${quoteCell(positive)} is not a value of column '${target}' (${values.map((v) => String(labelOf(v))).join(", ")})`,
        { option: "--positive" },
      );
    pos = found;
  }
  const neg = values[0] === pos ? values[1] : values[0];
  const classes = [labelOf(neg), labelOf(pos)];
  const plain = !labels && neg === 0 && pos === 1;
  return {
    y: Float64Array.from(y, (v) => (v === pos ? 1 : 0)),
    classes,
    note: plain
      ? undefined
      : `binomial target '${target}': ${quoteCell(String(classes[1]))} is the event (coded 1), ${quoteCell(String(classes[0]))} is 0${positive === undefined ? " (the later value; --positive chooses)" : ""}`,
  };
}

/**
 * The Cox response: the target holds survival (stop) times, numbers ≥ 0; `--status` is required;
 * starts lie below their stop times; strata have two rows or more; there are events. Each problem
 * names the file, row and column.
 */
function coxResponse(d: Design): Float64Array {
  const { y, table, target, file } = d;
  if (!d.status)
    throw new InputError(
      "option '--status': --family cox needs the event column (1 event, 0 censored)",
      {
        option: "--status",
      },
    );
  if (table.targetLevels)
    throw new InputError(
      `${file}: time column '${target}' holds text (${quoteCell(table.targetLevels[0])}); survival times are numbers ≥ 0`,
      { file, column: target },
    );
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && Number.isFinite(y[i])))
      throw new InputError(
        `${file}: row ${d.row(i)}, column '${target}': survival time ${y[i]} must be a finite number ≥ 0`,
        { file, row: d.row(i), column: target },
      );
    if (d.start && !(d.start[i] < y[i]))
      throw new InputError(
        `${file}: row ${d.row(i)}: start time ${d.start[i]} must be below the stop time ${y[i]} (column '${target}')`,
        { file, row: d.row(i), column: target },
      );
  }
  if (!d.status.some((v) => v === 1))
    throw new InputError(`${file}: no events (every status is 0): there is nothing to fit`, {
      file,
    });
  if (d.strata) {
    const count = new Map<string, number>();
    for (const s of d.strata) count.set(s, (count.get(s) ?? 0) + 1);
    for (const [label, c] of count)
      if (c === 1)
        throw new InputError(
          `${file}: stratum ${quoteCell(label)} (--strata) has a single row: it carries no information`,
          { file, option: "--strata" },
        );
  }
  return y;
}
