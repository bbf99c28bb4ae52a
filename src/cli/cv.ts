import type { MultinomialFit } from "../path/multinomialPath.js";
import { cvPath, type CvResult } from "../cv/cvPath.js";
import { checkMeasure, defaultMeasure } from "../cv/measures.js";
import { InputError } from "../errors.js";
import type { PathFit } from "../path/elasticNetPath.js";
import { gaussianStatsCv } from "../path/statsPath.js";
import { engineData, engineOption, openEngine, type EngineName } from "./engine.js";
import { glmCvFromEngine } from "../engine/glm.js";
import { columnChoice, readOptions } from "./input.js";
import { alignTable } from "./format.js";
import { checkOutputs, Outputs } from "./output.js";
import type { Parsed } from "./parse.js";
import { checkFoldOptions, rowFoldIds } from "./folds.js";
import { groupIds, penaltyChoice, penaltyLibraryOptions } from "./penalty.js";
import type { CV_OPTIONS } from "./schema.js";
import type { ModelPath } from "../path/fit.js";
import {
  coreFamily,
  coreFamilyOptions,
  linkExtra,
  loadOrEngine,
  refuseEngine,
  toLibraryOptions,
  withFlagNames,
  withFlagNamesAsync,
  withRowOptions,
  writePathWarnings,
} from "./model.js";
import { coxJson, mgaussianJson, modelJson, multinomialJson, pathJson } from "./pathJson.js";

/** The options of `regularize cv`, typed by the schema. */
export type CvCliOptions = Parsed<typeof CV_OPTIONS>;

/** The cross-validation curve as a table, with λ_min and λ_1se marked. */
export function cvTable(
  r: Pick<
    CvResult,
    | "lambda"
    | "nzero"
    | "cvm"
    | "cvsd"
    | "indexMin"
    | "index1se"
    | "measure"
    | "lambdaMin"
    | "lambda1se"
  >,
): string {
  const rows: string[][] = [];
  for (let k = 0; k < r.lambda.length; k++) {
    const mark = k === r.indexMin ? "min" : k === r.index1se ? "1se" : "";
    rows.push([
      String(k + 1),
      r.lambda[k].toPrecision(4),
      String(r.nzero[k]),
      r.cvm[k].toPrecision(5),
      r.cvsd[k].toPrecision(3),
      mark,
    ]);
  }
  return (
    alignTable(["", "Lambda", "Df", r.measure, "SE", ""], rows) +
    `lambda.min = ${r.lambdaMin.toPrecision(6)} (${r.measure} ${r.cvm[r.indexMin].toPrecision(5)}, ${r.nzero[r.indexMin]} non-zero)\n` +
    `lambda.1se = ${r.lambda1se.toPrecision(6)} (${r.measure} ${r.cvm[r.index1se].toPrecision(5)}, ${r.nzero[r.index1se]} non-zero)\n`
  );
}

export async function runCv(file: string, o: CvCliOptions): Promise<void> {
  const { family, seed, workers, folds: nFolds } = o;
  const measure =
    o.measure === undefined
      ? defaultMeasure(family)
      : withFlagNames(() => checkMeasure(family, o.measure!));
  checkFoldOptions(o);
  if (o.json)
    checkOutputs(
      [{ flag: "--json", path: o.json }],
      [file, ...(o.foldid ? [o.foldid] : []), ...(o.groups ? [o.groups] : [])],
    );
  toLibraryOptions(o, 1, true);
  const choice = penaltyChoice(o);
  // the α the penalty resolved to (--penalty elastic-net alone: 0.5, as in fit)
  const po = { ...o, alpha: choice.alpha };
  const engine = engineOption(o, file);
  const viaEngine = async (name: Exclude<EngineName, "memory">) => {
    refuseEngine(name, family, core, choice, o.link);
    if (o.foldid || o.stratified)
      throw new InputError(
        `option '${o.foldid ? "--foldid" : "--stratified"}': with --engine ${name} the fold of a row is a function of its position (see the README)`,
        { option: o.foldid ? "--foldid" : "--stratified" },
      );
    const glm = family === "binomial" || family === "poisson";
    if (measure !== (glm ? "deviance" : "mse"))
      throw new InputError(
        `option '--measure': --engine ${name} cross-validates by ${glm ? "deviance" : "mse"}`,
        { option: "--measure" },
      );
    const t0 = performance.now();
    if (glm) {
      const r = await withFlagNamesAsync(async () =>
        glmCvFromEngine(await openEngine(name, file), family, {
          ...columnChoice(o),
          target: o.target,
          missing: readOptions(o).missing,
          options: toLibraryOptions(po, 1, true),
          K: nFolds,
          seed,
          foldColumn: o.foldColumn,
          weights: o.weights,
          offset: o.offset,
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      process.stderr.write(
        `regularize: ${r.scans} scans of the table (path and ${nFolds} folds)\n`,
      );
      writeCv(
        o.json,
        { ...pathJson(r.full.fit, r.full.features, [seconds]), engine: name },
        { ...r.cv, measure: "deviance" },
        { foldRule: foldRule(name, seed, nFolds, o.foldColumn), foldSizes: r.cv.foldSizes },
      );
      return;
    }
    const data = await engineData(name, file, o, { K: nFolds, seed, column: o.foldColumn });
    const lib = toLibraryOptions(po, data.features.length);
    const r = withFlagNames(() => gaussianStatsCv(data.stats, lib));
    const seconds = (performance.now() - t0) / 1000;
    writePathWarnings(r.fit.warnings, data.features, "--json");
    writeCv(
      o.json,
      { ...pathJson(r.fit, data.features, [seconds]), engine: name },
      { ...r, measure: "mse" },
      { foldRule: foldRule(name, seed, nFolds, o.foldColumn), foldSizes: r.foldSizes },
    );
  };
  const core = coreFamily(family, o);
  const extra = coreFamilyOptions(o, family);
  if (engine && engine !== "memory") refuseEngine(engine, family, core, choice, o.link);
  const data = await loadOrEngine(file, o, family, engine, viaEngine);
  if (!data) return;
  const { x, y, features } = data;
  const lib = withRowOptions(toLibraryOptions(po, x.nCols), data.design, family, o.ties);
  const groups = groupIds(choice, features);
  const foldId = rowFoldIds(o.foldid, data.design);
  if (!foldId && nFolds > x.nRows)
    throw new InputError(`option '--folds': ${nFolds} folds for ${x.nRows} rows`, {
      option: "--folds",
    });
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  const responses = data.design.responses;
  const r = await withFlagNamesAsync(() =>
    cvPath(x, responses ? responses.y : y, {
      ...lib,
      ...extra,
      ...penaltyLibraryOptions(choice, groups),
      family,
      measure,
      nFolds,
      foldId,
      seed,
      stratified: o.stratified,
      workers,
      onProgress: tty
        ? (done, total) => {
            const s = (performance.now() - t0) / 1000;
            const eta = (s / done) * (total - done);
            process.stderr.write(
              `\rcross-validation: fold ${done}/${total}  ${s.toFixed(1)} s, about ${eta.toFixed(1)} s left\x1b[K${done === total ? "\n" : ""}`,
            );
          }
        : undefined,
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const fit = r.fit;
  if ("warnings" in fit) writePathWarnings(fit.warnings, features, "--json");
  writeCv(
    o.json,
    fit.family === "cox"
      ? coxJson(fit as ModelPath, features, [seconds], o.ties ?? "breslow")
      : responses
        ? mgaussianJson(fit as ModelPath, features, responses.names, [seconds])
        : core || choice.core
          ? modelJson(fit as ModelPath, features, [seconds], linkExtra(core, family, o))
          : fit.family === "multinomial"
            ? multinomialJson(fit as MultinomialFit, features, [seconds])
            : pathJson(fit as PathFit, features, [seconds]),
    r,
    { foldId: Array.from(r.foldId) },
  );
}

/**
 * Writes a cross-validation: the curve as a table on stdout, or with --json the path document
 * plus `"cv": { measure, lambda, cvm, cvsd, cvup, cvlo, nzero, lambdaMin, lambda1se, … }` (the
 * folds: `foldId`, or an engine's `foldRule` and `foldSizes`).
 */
function writeCv(
  json: string | undefined,
  doc: object,
  r: Parameters<typeof cvTable>[0] & { cvup: Float64Array; cvlo: Float64Array },
  folds: Record<string, unknown>,
): void {
  const out = new Outputs();
  if (json) {
    const cv = {
      measure: r.measure,
      lambda: Array.from(r.lambda),
      cvm: Array.from(r.cvm),
      cvsd: Array.from(r.cvsd),
      cvup: Array.from(r.cvup),
      cvlo: Array.from(r.cvlo),
      nzero: Array.from(r.nzero),
      lambdaMin: r.lambdaMin,
      lambda1se: r.lambda1se,
      ...folds,
    };
    out.file("--json", json, JSON.stringify({ ...doc, cv }) + "\n");
  } else out.print(cvTable(r));
  out.commit();
}

/** The documented fold rule of an engine. */
function foldRule(engine: string, seed: number, K: number, column?: string): string {
  if (column !== undefined) return `fold = column '${column}'`;
  const position = engine === "clickhouse" ? "(cityHash64(columns) mod 2^32)" : "position";
  return `fold = ((${position} * 2654435761 + ${seed}) mod 2^32) mod ${K} + 1`;
}
