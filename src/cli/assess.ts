import { InputError } from "../errors.js";
import { quoteCell } from "../io/assemble.js";
import { assess, type Assessment } from "../model/assess.js";
import { loadModel } from "../model/load.js";
import { predictModel } from "../model/model.js";
import { alignTable } from "./format.js";
import { readOptions } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import { modelRows } from "./predict.js";
import type { Parsed } from "./parse.js";
import type { ASSESS_OPTIONS } from "./schema.js";

/** The options of `regularize assess`, typed by the schema. */
export type AssessCliOptions = Parsed<typeof ASSESS_OPTIONS>;

/**
 * Runs `regularize assess MODEL DATA`: the saved model's measures on the rows of a data file
 * holding its target (for a Cox model its time and status columns), as glmnet's assess.glmnet,
 * with the ROC curve and the confusion matrix for classifiers. A table, or JSON with --json.
 */
export async function runAssess(
  modelFile: string,
  file: string,
  o: AssessCliOptions,
): Promise<void> {
  const read = readOptions(o);
  if (o.json) checkOutputs([{ flag: "--json", path: o.json }], [modelFile, file]);
  const model = loadModel(modelFile);
  const sv = model.survival;
  const targets =
    model.family === "cox"
      ? [
          sv!.time,
          sv!.status,
          ...(sv!.start ? [sv!.start] : []),
          ...(sv!.strata ? [sv!.strata] : []),
        ]
      : model.family === "mgaussian"
        ? model.responses!
        : [model.target];
  const { table, x, n } = await modelRows(model, file, read, targets).catch((e: unknown) => {
    // The reader names the columns read apart as --keep's; here they are the model's targets.
    if (e instanceof InputError)
      throw new InputError(e.message.replace("(--keep)", "(the model's target)"), e.where);
    throw e;
  });
  const at = (i: number) => (table.rowNumbers ? table.rowNumbers[i] : i + 1);
  const numbers = (c: string) =>
    Float64Array.from(table.kept[c], (text, i) => {
      const v = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(v))
        throw new InputError(
          `${file}: row ${at(i)}, column '${c}': ${quoteCell(text)} is not a number`,
          {
            file,
            row: at(i),
            column: c,
          },
        );
      return v;
    });
  const labels = (c: string, classes: (string | number)[]) =>
    Float64Array.from(table.kept[c], (text, i) => {
      const k = classes.findIndex((l) => String(l) === text.trim());
      if (k < 0)
        throw new InputError(
          `${file}: row ${at(i)}, column '${c}': ${quoteCell(text)} is not a class of the model (${classes.join(", ")})`,
          { file, row: at(i), column: c },
        );
      return k;
    });
  const { eta } = predictModel(model, x, n);
  let y: Float64Array;
  let survival;
  if (model.family === "cox") {
    y = numbers(sv!.time);
    survival = {
      time: y,
      status: numbers(sv!.status),
      start: sv!.start ? numbers(sv!.start) : undefined,
      strata: sv!.strata ? table.kept[sv!.strata].map((t) => t.trim()) : undefined,
      ties: sv!.ties,
    };
    survival.status.forEach((v, i) => {
      if (v !== 0 && v !== 1)
        throw new InputError(
          `${file}: row ${at(i)}, column '${sv!.status}': status ${v} is not 1 or 0`,
          {
            file,
            row: at(i),
            column: sv!.status,
          },
        );
    });
  } else if (model.family === "mgaussian") {
    y = new Float64Array(n * model.responses!.length);
    model.responses!.forEach((r, c) => y.set(numbers(r), c * n));
  } else if (model.family === "binomial" || model.family === "multinomial")
    y = labels(model.target, model.classes!);
  else y = numbers(model.target);
  const r = assess(model.family, eta, y, {
    survival,
    link: model.link,
    theta: model.theta,
    classes: model.classes,
  });
  const out = new Outputs();
  if (o.json) out.file("--json", o.json, JSON.stringify(r) + "\n");
  else out.print(assessTable(r));
  out.commit();
}

/** The measures as a table, then the confusion matrix (rows predicted, columns true). */
function assessTable(r: Assessment): string {
  let s = alignTable(
    ["measure", "value"],
    Object.entries(r.measures).map(([k, v]) => [k, (v as number).toPrecision(6)]),
  );
  s += `(${r.n} rows, family ${r.family})\n`;
  if (r.confusion) {
    const { labels, counts } = r.confusion;
    s +=
      "\nconfusion (rows: predicted, columns: true)\n" +
      alignTable(
        ["", ...labels.map(String)],
        counts.map((row, k) => [String(labels[k]), ...row.map(String)]),
      );
  }
  return s;
}
