import { InputError } from "../errors.js";
import { quoteCell } from "../io/assemble.js";
import { readTable } from "../io/table.js";
import type { CscMatrix } from "../data/matrix.js";
import {
  readMatrixMarket,
  readSvmlight,
  sparseFormatOf,
  type SparseFormat,
} from "../io/sparseText.js";
import { loadModel } from "../model/load.js";
import { predictModel, type SavedModel } from "../model/model.js";
import type { DataTable } from "../io/types.js";
import { readOptions } from "./input.js";
import type { Parsed } from "./parse.js";
import type { PREDICT_OPTIONS } from "./schema.js";
import { survivalAt } from "../path/survival.js";
import { checkOutputs, Outputs } from "./output.js";

/** The options of `regularize predict`, typed by the schema. */
export type PredictCliOptions = Parsed<typeof PREDICT_OPTIONS>;

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Runs `regularize predict MODEL DATA`: applies a saved model to new rows. Only the columns the
 * model needs are read, by name (one-hot encodings re-applied); other columns are ignored, and
 * `--keep` copies some of them (an id column) into the predictions. Writes one prediction per
 * row as CSV.
 */
export async function runPredict(
  modelFile: string,
  file: string,
  o: PredictCliOptions,
): Promise<void> {
  const read = readOptions(o);
  const keep =
    o.keep === undefined
      ? []
      : o.keep.split(",").map((s) => {
          const k = s.trim();
          if (k === "")
            throw new InputError(`option '--keep': expected column names separated by commas`, {
              option: "--keep",
            });
          return k;
        });
  if (o.out) checkOutputs([{ flag: "--out", path: o.out }], [modelFile, file]);
  const times = o.times;
  const model = loadModel(modelFile);
  if (times && model.family !== "cox")
    throw new InputError(`option '--times': only for Cox models (this one is ${model.family})`, {
      option: "--times",
    });
  // A stratified Cox model reads each row's stratum too.
  const strataColumn = model.survival?.strata;
  const twice = keep.find((k, i) => keep.indexOf(k) !== i);
  if (twice !== undefined)
    throw new InputError(`option '--keep': names ${quoteCell(twice)} twice`, { option: "--keep" });
  const { table, x, n } = await modelRows(
    model,
    file,
    read,
    strataColumn && !keep.includes(strataColumn) ? [...keep, strataColumn] : keep,
  );
  const r = predictModel(model, x, n);
  const lines: string[] = [];
  const kept = keep.map((k) => table.kept[k]);
  const prefix = (i: number) => kept.map((col) => csvCell(col[i]) + ",").join("");
  const head = keep.map((k) => csvCell(k) + ",").join("");
  if (model.family === "gaussian") {
    lines.push(`${head}prediction`);
    r.response[0].forEach((v, i) => lines.push(`${prefix(i)}${v}`));
  } else if (model.family === "mgaussian") {
    lines.push(head + model.responses!.map((r) => csvCell(`prediction_${r}`)).join(","));
    for (let i = 0; i < n; i++)
      lines.push(prefix(i) + r.response.map((q) => String(q[i])).join(","));
  } else if (
    model.family === "poisson" ||
    model.family === "gamma" ||
    model.family === "inverse-gaussian" ||
    model.family === "negative-binomial"
  ) {
    lines.push(`${head}prediction,link`);
    r.response[0].forEach((v, i) => lines.push(`${prefix(i)}${v},${r.eta[0][i]}`));
  } else if (model.family === "cox") {
    // The linear predictor, the relative risk e^η and, at --times, S(t | x).
    const sv = model.survival!;
    const base = {
      ties: sv.ties,
      strata: sv.baseline.strata,
      curves: sv.baseline.curves.map((c) => ({
        times: Float64Array.from(c.times),
        cumhaz: Float64Array.from(c.cumhaz),
      })),
    };
    const labels = strataColumn ? table.kept[strataColumn].map((t) => t.trim()) : undefined;
    // Stratum labels were saved as read (numbers where the column was numeric).
    const strata = labels?.map((t) =>
      base.strata!.some((l) => typeof l === "number") && t !== "" && Number.isFinite(Number(t))
        ? Number(t)
        : t,
    );
    let S: Float64Array[] = [];
    if (times)
      try {
        S = survivalAt(base, r.eta[0], times, strata);
      } catch (e) {
        if (e instanceof InputError && e.where.row !== undefined) {
          const row = table.rowNumbers ? table.rowNumbers[e.where.row - 1] : e.where.row;
          throw new InputError(
            `${file}: row ${row}, column '${strataColumn}': ${e.message.replace(/ at row \d+/, "")}`,
            { file, row, column: strataColumn },
          );
        }
        throw e;
      }
    lines.push(
      head + ["link", "relative_risk", ...(times ?? []).map((t) => `survival_${t}`)].join(","),
    );
    for (let i = 0; i < n; i++)
      lines.push(
        prefix(i) +
          [r.eta[0][i], r.response[0][i], ...(times ? Array.from(S[i]) : [])].map(String).join(","),
      );
  } else if (model.family === "binomial") {
    lines.push(`${head}class,${csvCell(`probability_${model.classes![1]}`)}`);
    r.response[0].forEach((v, i) => lines.push(`${prefix(i)}${csvCell(r.label![i])},${v}`));
  } else {
    lines.push(
      head + ["class", ...model.classes!.map((c) => csvCell(`probability_${c}`))].join(","),
    );
    for (let i = 0; i < n; i++)
      lines.push(
        prefix(i) + [csvCell(r.label![i]), ...r.response.map((q) => String(q[i]))].join(","),
      );
  }
  const text = lines.join("\n") + "\n";
  const out = new Outputs();
  if (table.droppedRows.length)
    process.stderr.write(
      `regularize: ${table.droppedRows.length} rows with missing values dropped (no prediction)\n`,
    );
  if (o.out) {
    out.file("--out", o.out, text);
    out.print(`${n} predictions written to ${o.out}\n`);
  } else out.print(text);
  out.commit();
}

/**
 * The rows of a data file a saved model applies to: the columns it needs, by name (one-hot
 * encodings re-applied, levels checked), the design in the model's feature order, and `keep`
 * columns as text.
 */
export async function modelRows(
  model: SavedModel,
  file: string,
  read: ReturnType<typeof readOptions>,
  keep: string[],
): Promise<{ table: DataTable; x: Float64Array | CscMatrix; n: number }> {
  const sparse = sparseFormatOf(file);
  if (sparse) return sparseModelRows(model, file, sparse, read.labels, keep);
  const made = new Set(model.encodings.flatMap((e) => e.names));
  const sources = model.encodings.map((e) => e.column);
  const needed = [...model.features.filter((f) => !made.has(f)), ...sources];
  const table = await readTable(file, {
    ...read,
    categorical: sources.length ? "auto" : "none",
    categoricalColumns: sources,
    textColumns: sources,
    columns: needed,
    keep,
  });
  const n = table.nRows;
  // Every encoded column must be there, as text, with levels the model knows.
  for (const enc of model.encodings) {
    const here = table.encodings.find((e) => e.column === enc.column);
    if (!here) continue; // every cell missing: imputed below as a zero column
    const unseen = here.levels.find((l) => !enc.levels.includes(l));
    if (unseen !== undefined)
      throw new InputError(
        `${file}: column '${enc.column}' has the value ${quoteCell(unseen)}, which the model never saw (levels: ${enc.levels.slice(0, 10).join(", ")}${enc.levels.length > 10 ? ", …" : ""})`,
        { file, column: enc.column },
      );
  }
  // Columns by name.
  const column = (name: string): Float64Array => {
    const c = table.names.indexOf(name);
    if (c >= 0) return table.columns[c];
    // a one-hot column of a level that does not occur in this file (levels were checked above)
    return new Float64Array(n);
  };
  const p = model.features.length;
  const x = new Float64Array(n * p);
  model.features.forEach((f, j) => x.set(column(f), j * n));
  return { table, x, n };
}

/**
 * The rows of a sparse file (svmlight, or Matrix Market with its labels) for a model fitted on
 * one: the file's index i is the model's feature named "i"; indices the model does not have are
 * ignored, and features the file lacks are zero. `keep` may name only `label`.
 */
function sparseModelRows(
  model: SavedModel,
  file: string,
  format: SparseFormat,
  labelFile: string | undefined,
  keep: string[],
): { table: DataTable; x: CscMatrix; n: number } {
  const position = new Map(model.features.map((f, j) => [f, j]));
  const named = model.features.find((f) => !/^[1-9]\d*$/.test(f));
  if (named !== undefined)
    throw new InputError(
      `${file}: the model's features are named columns (such as ${quoteCell(named)}), not the indices of a sparse file; predict from a table with those columns`,
      { file },
    );
  const other = keep.find((k) => k !== "label");
  if (other !== undefined)
    throw new InputError(
      `${file}: a sparse file has no column ${quoteCell(other)} (only its label)`,
      { file, column: other },
    );
  const wantLabels = keep.includes("label");
  if (format === "mtx" && wantLabels && labelFile === undefined)
    throw new InputError(
      `option '--labels': ${file} is a Matrix Market file; name its labels file`,
      {
        option: "--labels",
      },
    );
  const { x: full, labels } =
    format === "mtx" ? readMatrixMarket(file, labelFile) : readSvmlight(file);
  const n = full.nRows;
  const p = model.features.length;
  const cols: number[] = [];
  const at: number[] = [];
  for (let c = 0; c < full.nCols; c++) {
    const j = position.get(String(c + 1));
    if (j !== undefined) {
      cols.push(c);
      at.push(j);
    }
  }
  const colPtr = new Int32Array(p + 1);
  cols.forEach((c, t) => (colPtr[at[t] + 1] = full.colPtr[c + 1] - full.colPtr[c]));
  for (let j = 0; j < p; j++) colPtr[j + 1] += colPtr[j];
  const rowIndex = new Int32Array(colPtr[p]);
  const values = new Float64Array(colPtr[p]);
  cols.forEach((c, t) => {
    const from = full.colPtr[c];
    const len = full.colPtr[c + 1] - from;
    rowIndex.set(full.rowIndex.subarray(from, from + len), colPtr[at[t]]);
    values.set(full.values.subarray(from, from + len), colPtr[at[t]]);
  });
  const x: CscMatrix = { kind: "csc", nRows: n, nCols: p, colPtr, rowIndex, values };
  const table: DataTable = {
    file,
    format: "csv",
    names: [...model.features],
    nRows: n,
    columns: [],
    featureData: new Float64Array(0),
    encodings: [],
    droppedRows: [],
    imputed: [],
    // Numeric labels as the model saved its classes (+1 is the class 1).
    kept: wantLabels
      ? { label: labels.map((l) => (Number.isFinite(Number(l)) ? String(Number(l)) : l)) }
      : {},
  };
  return { table, x, n };
}
