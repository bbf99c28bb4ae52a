import { writeFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { readTable } from "../io/table.js";
import { loadModel, predictModel } from "../model/model.js";
import { checkWritable } from "./input.js";

export interface PredictCliOptions {
  out?: string;
  missing: string;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Runs `regularize predict MODEL DATA`: applies a saved model to new rows, columns matched by
 * name (one-hot encodings re-applied), and writes one prediction per row as CSV.
 */
export function runPredict(modelFile: string, file: string, o: PredictCliOptions): void {
  if (!["error", "drop", "mean"].includes(o.missing))
    throw new InputError(`option '--missing': expected error, drop or mean, got '${o.missing}'`, {
      option: "--missing",
    });
  if (o.out) checkWritable(o.out, "--out");
  const model = loadModel(modelFile);
  const table = readTable(file, {
    missing: o.missing as "error" | "drop" | "mean",
    categorical: model.encodings.length ? "auto" : "none",
  });
  const n = table.nRows;
  // Every encoded column must be there, as text, with levels the model knows.
  for (const enc of model.encodings) {
    const here = table.encodings.find((e) => e.column === enc.column);
    if (!here)
      throw new InputError(
        `${file}: missing text column '${enc.column}' (the model one-hot encodes it)`,
        { file, column: enc.column },
      );
    const unseen = here.levels.find((l) => !enc.levels.includes(l));
    if (unseen !== undefined)
      throw new InputError(
        `${file}: column '${enc.column}' has the value '${unseen}', which the model never saw (levels: ${enc.levels.join(", ")})`,
        { file, column: enc.column },
      );
  }
  // Columns by name.
  const column = (name: string): Float64Array => {
    const c = table.names.indexOf(name);
    if (c >= 0) return table.columns[c];
    // A one-hot column of a level that does not occur in this file (levels were checked above).
    if (model.encodings.some((e) => e.names.includes(name))) return new Float64Array(n);
    throw new InputError(`${file}: missing column '${name}' (the model needs it)`, {
      file,
      column: name,
    });
  };
  const p = model.features.length;
  const x = new Float64Array(n * p);
  model.features.forEach((f, j) => x.set(column(f), j * n));
  const r = predictModel(model, x, n);
  const lines: string[] = [];
  if (model.family === "gaussian") {
    lines.push("prediction");
    r.response[0].forEach((v) => lines.push(String(v)));
  } else if (model.family === "poisson") {
    lines.push("prediction,link");
    r.response[0].forEach((v, i) => lines.push(`${v},${r.eta[0][i]}`));
  } else if (model.family === "binomial") {
    lines.push(`class,probability_${csvCell(model.classes![1])}`);
    r.response[0].forEach((v, i) => lines.push(`${csvCell(r.label![i])},${v}`));
  } else {
    lines.push(["class", ...model.classes!.map((c) => csvCell(`probability_${c}`))].join(","));
    for (let i = 0; i < n; i++)
      lines.push([csvCell(r.label![i]), ...r.response.map((q) => String(q[i]))].join(","));
  }
  const text = lines.join("\n") + "\n";
  if (o.out) {
    writeFileSync(o.out, text);
    process.stdout.write(`${n} predictions written to ${o.out}\n`);
  } else process.stdout.write(text);
}
