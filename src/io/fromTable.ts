import { denseMatrix, type DenseMatrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { assemble, type ReadColumn } from "./assemble.js";
import { NumberColumn, TextColumn } from "./columns.js";
import type { MissingPolicy } from "./types.js";

/**
 * The tables `fromTable` reads: an array of row objects (d3-dsv, papaparse), an object of
 * columns (arrays or typed arrays), an Apache Arrow `Table` (duck-typed: `schema.fields` and
 * `getChild`), an Arquero table (`columnNames()` and `array(name)`), or rows as arrays
 * (`number[][]`, with `names`).
 */
export type TableLike =
  | readonly Record<string, unknown>[]
  | Record<string, ArrayLike<unknown>>
  | ArrowLike
  | ArqueroLike
  | readonly (readonly unknown[])[];

/** What is read of an Apache Arrow table. */
export interface ArrowLike {
  schema: { fields: readonly { name: string }[] };
  numRows: number;
  getChild(name: string): { get(i: number): unknown; length: number } | null;
}
/** What is read of an Arquero table. */
export interface ArqueroLike {
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
}

export interface FromTableOptions {
  /** The response column: never a feature. Text there is class labels (coded 0, 1, … sorted). */
  target: string;
  /** The feature columns, in order (default: every column but the target). */
  features?: string[];
  /** Rows as arrays only: the name of each column. */
  names?: string[];
  /** "auto": one-hot encode text feature columns (a column per level, as glmnet's makeX). */
  categorical?: "none" | "auto";
  /** Missing cells (null, undefined, NaN, or "", "NA", "N/A", "null" as text): error, drop or mean. */
  missing?: MissingPolicy;
  /** A two-label target: the label coded 1 (the others 0); default the later label in sorted order. */
  positive?: string | number;
}

/** A design ready for any fitting function, with what was done to make it. */
export interface TableDesign {
  x: DenseMatrix;
  y: Float64Array;
  /** The feature columns of x, one-hot columns named `column=level`. */
  features: string[];
  /** One-hot encodings applied (re-applied to new rows by `tableMatrix`). */
  encodings: { column: string; levels: string[]; names: string[] }[];
  /** A text (or `positive`-coded) target's class labels, in the order of their codes. */
  classes?: (string | number)[];
  /** Feature columns with a single value (their coefficient is 0 at every λ). */
  constant: string[];
  /** Rows (0-based, in the table's order) dropped for missing values. */
  droppedRows: number[];
  /** Columns whose missing cells took the column mean (`missing: "mean"`). */
  imputed: { column: string; mean: number; count: number }[];
}

/** The table's columns by name, each read by position. */
function columnsOf(
  table: TableLike,
  names?: string[],
): { names: string[]; n: number; get: (name: string) => (i: number) => unknown } {
  const t = table as Record<string, unknown>;
  if (Array.isArray(table)) {
    const rows = table as readonly unknown[];
    if (rows.length === 0) throw new InputError("table: has no rows");
    if (Array.isArray(rows[0])) {
      if (!names)
        throw new InputError("option 'names': rows given as arrays need a name for each column", {
          option: "names",
        });
      const width = (rows[0] as unknown[]).length;
      const bad = rows.findIndex((r) => !Array.isArray(r) || r.length !== width);
      if (bad >= 0)
        throw new InputError(`table: row ${bad + 1} has not ${width} values as the first row`, {
          row: bad + 1,
        });
      if (names.length !== width)
        throw new InputError(`option 'names': ${names.length} names for ${width} columns`, {
          option: "names",
        });
      return {
        names,
        n: rows.length,
        get: (name) => {
          const j = names.indexOf(name);
          return (i) => (rows[i] as unknown[])[j];
        },
      };
    }
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const r of rows)
      if (r && typeof r === "object")
        for (const k of Object.keys(r))
          if (!seen.has(k)) {
            seen.add(k);
            keys.push(k);
          }
    return {
      names: keys,
      n: rows.length,
      get: (name) => (i) => (rows[i] as Record<string, unknown> | null)?.[name],
    };
  }
  if (typeof t.columnNames === "function" && typeof t.array === "function") {
    const aq = table as ArqueroLike;
    const cols = aq.columnNames();
    const arrays = new Map(cols.map((c) => [c, aq.array(c)]));
    const n = cols.length ? (arrays.get(cols[0]) as ArrayLike<unknown>).length : 0;
    return { names: cols, n, get: (name) => (i) => (arrays.get(name) as ArrayLike<unknown>)[i] };
  }
  if (t.schema && typeof t.getChild === "function") {
    const ar = table as ArrowLike;
    const cols = ar.schema.fields.map((f) => f.name);
    return {
      names: cols,
      n: ar.numRows,
      get: (name) => {
        const v = ar.getChild(name);
        return (i) => v?.get(i);
      },
    };
  }
  const cols = Object.keys(t);
  const lengths = new Set(cols.map((c) => (t[c] as ArrayLike<unknown>)?.length));
  if (cols.length === 0 || lengths.size !== 1 || [...lengths][0] === undefined)
    throw new InputError(
      "table: expected row objects, an object of equally long columns, an Arrow or an Arquero table, or rows as arrays",
    );
  return {
    names: cols,
    n: [...lengths][0] as number,
    get: (name) => (i) => (t[name] as ArrayLike<unknown>)[i],
  };
}

/** Reads one column into the reader's accumulator: numbers (and null / NaN missing), or text. */
function accumulate(get: (i: number) => unknown, n: number, name: string): ReadColumn["acc"] {
  let text = false;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (typeof v === "string" || typeof v === "boolean") {
      text = true;
      break;
    }
    if (v !== null && v !== undefined && typeof v !== "number" && typeof v !== "bigint")
      throw new InputError(
        `table: row ${i + 1}, column '${name}': ${v instanceof Date ? "a date" : `a ${typeof v}`} is neither a number nor text`,
        { row: i + 1, column: name },
      );
  }
  if (text) {
    const acc = new TextColumn();
    acc.push((i) => {
      const v = get(i);
      return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))
        ? null
        : String(v);
    }, n);
    return acc;
  }
  const acc = new NumberColumn();
  const values = new Float64Array(n);
  const validity = new Uint8Array((n + 7) >> 3).fill(0xff);
  let anyMissing = false;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      validity[i >> 3] &= ~(1 << (i & 7));
      anyMissing = true;
    } else values[i] = Number(v);
  }
  acc.push(values, n, anyMissing ? validity : null);
  return acc;
}

/** The reader's messages, in the library's option names rather than the command line's flags. */
function libraryWording(e: unknown): never {
  if (e instanceof InputError)
    throw new InputError(
      e.message
        .replace("(choose --missing drop or --missing mean)", "(choose missing: 'drop' or 'mean')")
        .replace(
          "(--categorical auto one-hot encodes text columns; --ignore leaves a column out)",
          "(categorical: 'auto' one-hot encodes text columns; `features` leaves a column out)",
        ),
      e.where,
    );
  throw e;
}

/**
 * A design from a JavaScript table — row objects, an object of columns, an Arrow or Arquero
 * table, or rows as arrays — with the command-line reader's checks and messages: missing cells
 * (an error, or `missing: "drop" | "mean"`), text in CSV-like string cells read as numbers where
 * every cell is one, text features one-hot encoded with `categorical: "auto"` (else an error
 * naming the row), a text target coded as class labels, the target never a feature, constant
 * feature columns listed. Rows in messages are numbered from 1.
 *
 * @example
 * ```ts
 * // records: row objects such as { age: "59", bmi: "32.1", sex: "F", y: "151" } (d3.csvParse)
 * const d = regularize.fromTable(records, { target: "y", categorical: "auto" }); // import * as regularize from "regularize"
 * const cv = await regularize.cvPath(d.x, d.y, { nFolds: 5 });
 * d.features; // ["age", "bmi", "sex=F", "sex=M"]
 * ```
 */
export function fromTable(table: TableLike, options: FromTableOptions): TableDesign {
  const { target, categorical = "none", missing = "error" } = options;
  if (typeof target !== "string" || target === "")
    throw new InputError("option 'target': name the response column", { option: "target" });
  const t = columnsOf(table, options.names);
  if (!t.names.includes(target))
    throw new InputError(
      `option 'target': no column '${target}' (columns: ${t.names.slice(0, 8).join(", ")}${t.names.length > 8 ? ", …" : ""})`,
      {
        option: "target",
      },
    );
  const features = options.features ?? t.names.filter((c) => c !== target);
  for (const f of features) {
    if (f === target)
      throw new InputError(`option 'features': '${f}' is the target`, { option: "features" });
    if (!t.names.includes(f))
      throw new InputError(`option 'features': no column '${f}'`, { option: "features" });
  }
  if (features.length === 0)
    throw new InputError("table: needs at least one feature column besides the target");
  const cols: ReadColumn[] = [
    ...features.map((name) => ({
      name,
      role: "feature" as const,
      acc: accumulate(t.get(name), t.n, name),
    })),
    { name: target, role: "target" as const, acc: accumulate(t.get(target), t.n, target) },
  ];
  let dt;
  try {
    dt = assemble("table", "csv", cols, { missing, categorical, target });
  } catch (e) {
    libraryWording(e);
  }
  const n = dt.nRows;
  const p = dt.names.length - 1;
  let y = Float64Array.from(dt.columns[p]);
  let classes: (string | number)[] | undefined = dt.targetLevels;
  if (options.positive !== undefined) {
    const labels: (string | number)[] = classes ?? [...new Set(y)].sort((a, b) => a - b);
    const codeOf = (v: number): string | number => (classes ? classes[v] : v);
    const pos = labels.findIndex((l) => String(l) === String(options.positive));
    if (pos < 0 || labels.length !== 2)
      throw new InputError(
        labels.length !== 2
          ? `option 'positive': the target has ${labels.length} values; positive is for two`
          : `option 'positive': '${options.positive}' is not a value of '${target}' (${labels.join(", ")})`,
        { option: "positive" },
      );
    const neg = labels[1 - pos];
    y = Float64Array.from(y, (v) => (String(codeOf(v)) === String(labels[pos]) ? 1 : 0));
    classes = [neg, labels[pos]];
  }
  const constant: string[] = [];
  for (let j = 0; j < p; j++) {
    const c = dt.columns[j];
    let same = true;
    for (let i = 1; i < n && same; i++) same = c[i] === c[0];
    if (same) constant.push(dt.names[j]);
  }
  return {
    x: denseMatrix(n, p, Float64Array.from(dt.featureData)),
    y,
    features: dt.names.slice(0, p),
    encodings: dt.encodings,
    classes,
    constant,
    droppedRows: dt.droppedRows.map((r) => r - 1),
    imputed: dt.imputed,
  };
}

/**
 * The design matrix of new rows for a fitted model's features: numeric columns by name, one-hot
 * columns re-made from the model's encodings (a level the model never saw is an error naming
 * the row; a level absent here is a column of zeros). Missing cells are an error.
 *
 * @example
 * ```ts
 * const d = regularize.fromTable(records, { target: "y", categorical: "auto" });
 * const xTest = regularize.tableMatrix(newRecords, d); // the same columns, in the same order
 * ```
 */
export function tableMatrix(
  table: TableLike,
  model: Pick<TableDesign, "features" | "encodings">,
  names?: string[],
): DenseMatrix {
  const t = columnsOf(table, names);
  const made = new Map<string, { column: string; level: string }>();
  for (const e of model.encodings)
    e.names.forEach((nm, k) => made.set(nm, { column: e.column, level: e.levels[k] }));
  const n = t.n;
  const p = model.features.length;
  const data = new Float64Array(n * p);
  model.features.forEach((f, j) => {
    const oneHot = made.get(f);
    const source = oneHot ? oneHot.column : f;
    if (!t.names.includes(source))
      throw new InputError(`table: no column '${source}', which the model needs`, {
        column: source,
      });
    const get = t.get(source);
    const enc = oneHot && model.encodings.find((e) => e.column === source);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      if (
        v === null ||
        v === undefined ||
        (typeof v === "number" && Number.isNaN(v)) ||
        (typeof v === "string" && ["", "NA", "N/A", "null"].includes(v.trim()))
      )
        throw new InputError(`table: row ${i + 1}, column '${source}': missing value`, {
          row: i + 1,
          column: source,
        });
      if (oneHot) {
        const s = String(v).trim();
        if (!enc!.levels.includes(s))
          throw new InputError(
            `table: row ${i + 1}, column '${source}': the value '${s}' was never seen by the model (levels: ${enc!.levels.slice(0, 10).join(", ")})`,
            { row: i + 1, column: source },
          );
        data[j * n + i] = s === oneHot.level ? 1 : 0;
      } else {
        const x = typeof v === "string" ? Number(v.trim()) : Number(v);
        if (!Number.isFinite(x))
          throw new InputError(
            `table: row ${i + 1}, column '${f}': ${JSON.stringify(v)} is not a finite number`,
            {
              row: i + 1,
              column: f,
            },
          );
        data[j * n + i] = x;
      }
    }
  });
  return denseMatrix(n, p, data);
}
