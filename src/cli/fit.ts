/**
 * `regularize fit`, the main job: options checked, the data read (or sums from an engine), the
 * path and its cross-validation, the selected model, stability selection and "why zero"; then
 * the renderers in ./fit/ write the terminal table, the saved model, the JSON and the report.
 */
import { cvPath } from "../cv/cvPath.js";
import { checkMeasure, defaultMeasure } from "../cv/measures.js";
import { columnMoments } from "../data/matrix.js";
import { addStats } from "../data/gramDesign.js";
import type { EngineData } from "../engine/gaussian.js";
import { glmCvFromEngine } from "../engine/glm.js";
import { InputError } from "../errors.js";
import { explainSparsity, type SparsityExplanation } from "../explain/explain.js";
import { namedWarning } from "../path/corePath.js";
import { ridgePath, type RidgeCv } from "../path/ridgePath.js";
import { gaussianStatsCv } from "../path/statsPath.js";
import { stabilitySelection, type StabilityResult } from "../select/stability.js";
import { engineData, engineOption, fallsBack, openEngine, type EngineName } from "./engine.js";
import { columnChoice, familyResponse, readDesign, readOptions, type Design } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import { progressBar } from "./progress.js";
import { fitJson } from "./fit/json.js";
import { savedModel } from "./fit/model.js";
import { fitReport } from "./fit/report.js";
import { wrapGlm, type AnyFit, type Curve, type FitCliOptions, type FitRun } from "./fit/result.js";
import { terminalText } from "./fit/terminal.js";
import { checkFoldOptions, rowFoldIds } from "./folds.js";
import { groupIds, penaltyChoice, penaltyLibraryOptions } from "./penalty.js";
import {
  coreFamily,
  coreFamilyOptions,
  toLibraryOptions,
  withFlagNames,
  withFlagNamesAsync,
  withRowOptions,
  writePathWarnings,
} from "./model.js";

export type { FitCliOptions } from "./fit/result.js";

/** Runs `regularize fit`: path, cross-validation, the selected model, report and saved model. */
export async function runFit(file: string, o: FitCliOptions, title?: string): Promise<void> {
  // ---- options, all checked before any work ----
  const { family, folds, nlambda: nLambda, lambdaMinRatio, stability: pairs } = o;
  const { threshold, seed } = o;
  checkFoldOptions(o);
  // The families (and links) the model core fits: no engine, stability or "why zero" there.
  const core = coreFamily(family, o);
  const familyExtra = coreFamilyOptions(o, family);
  // --penalty, --alpha, --gamma, --groups: resolved as in path and cv (cli/penalty.ts).
  const choice = penaltyChoice(o);
  const { penalty, alpha } = choice;
  const measure =
    o.measure === undefined
      ? defaultMeasure(family)
      : withFlagNames(() => checkMeasure(family, o.measure!));
  if (pairs !== undefined && (choice.core || family === "multinomial" || core))
    throw new InputError(
      "option '--stability': stability selection runs with the lasso / elastic-net penalties and the gaussian, binomial or poisson family",
      { option: "--stability" },
    );
  checkOutputs(
    (
      [
        ["--report", o.report],
        ["--save", o.save],
        ["--json", o.json],
      ] as const
    )
      .filter(([, f]) => f !== undefined)
      .map(([flag, path]) => ({ flag, path: path! })),
    [file, ...(o.groups ? [o.groups] : []), ...(o.foldid ? [o.foldid] : [])],
  );

  // glmnet's fit arguments beyond the penalty: penalty factors, box limits, standardize,
  // intercept, thresh and an explicit λ sequence (the per-feature lists checked once the
  // features are known; `beforeData` leaves that to the library on the engines' route).
  const shapeOf = (nFeatures: number, beforeData = false) => {
    const lib = withFlagNames(() => toLibraryOptions(o, nFeatures, beforeData));
    const { standardize, intercept, penaltyFactor, lowerLimits, upperLimits, thresh, lambda } = lib;
    return { standardize, intercept, penaltyFactor, lowerLimits, upperLimits, thresh, lambda };
  };

  // ---- data: rows in memory, or sums from an engine ----
  const engine = engineOption({ ...o, family }, file);
  const engineCan = (name: string) => {
    if (core)
      throw new InputError(
        `option '--engine': the ${family} family${o.link ? ` with the ${o.link} link` : ""} is fitted in memory, not by ${name}`,
        {
          option: "--engine",
        },
      );
    if (choice.core)
      throw new InputError(`option '--engine': ${name} fits the lasso, elastic net and ridge`, {
        option: "--engine",
      });
    if (o.foldid)
      throw new InputError(
        `option '--foldid': with --engine ${name} the fold of a row is a function of its position or --fold-column (see the README)`,
        { option: "--foldid" },
      );
    if (pairs !== undefined)
      throw new InputError(`option '--stability': needs the rows in memory (--engine memory)`, {
        option: "--stability",
      });
    const glm = family === "binomial" || family === "poisson";
    if (measure !== (glm ? "deviance" : "mse"))
      throw new InputError(
        `option '--measure': --engine ${name} cross-validates by ${glm ? "deviance" : "mse"}`,
        { option: "--measure" },
      );
    if (o.positive !== undefined)
      throw new InputError("option '--positive': with an engine the target is 0/1 (1 the event)", {
        option: "--positive",
      });
  };
  let d: Design | undefined;
  let eng: EngineData | undefined;
  let glmEng: Awaited<ReturnType<typeof glmCvFromEngine>> | undefined;
  const viaEngine = async (name: Exclude<EngineName, "memory">) => {
    engineCan(name);
    if (family === "binomial" || family === "poisson") {
      glmEng = await glmCvFromEngine(await openEngine(name, file), family, {
        ...columnChoice(o),
        target: o.target,
        missing: readOptions(o).missing,
        options: { ...shapeOf(1, true), alpha, nLambda, lambdaMinRatio },
        K: folds,
        seed,
        foldColumn: o.foldColumn,
        weights: o.weights,
        offset: o.offset,
      });
      process.stderr.write(
        `regularize: ${glmEng.scans} scans of the table (path and ${folds} folds)\n`,
      );
    } else eng = await engineData(name, file, o, { K: folds, seed, column: o.foldColumn });
  };
  if (engine && engine !== "memory") await viaEngine(engine);
  else
    try {
      d = await readDesign(file, o, 3);
    } catch (e) {
      if (!fallsBack(e, engine, { ...o, family })) throw e;
      await viaEngine("duckdb");
    }
  if (d && (d.weights || d.offset) && pairs !== undefined)
    throw new InputError(`option '${d.weights ? "--weights" : "--offset"}': not with --stability`, {
      option: d.weights ? "--weights" : "--offset",
    });
  const response = d
    ? familyResponse(family, d, o.positive)
    : { y: new Float64Array(0), classes: family === "binomial" ? [0, 1] : undefined };
  const { y } = response;
  const x = d?.x;
  const features = d ? d.features : glmEng ? glmEng.full.features : eng!.features;
  const n = d ? d.x.nRows : glmEng ? glmEng.full.fit.nObs : eng!.stats.reduce((a, s) => a + s.n, 0);
  const p = features.length;
  const meta = d
    ? {
        target: d.target,
        dropped: d.dropped,
        constant: d.constant,
        duplicates: d.duplicates,
        droppedRows: d.table.droppedRows,
        imputed: d.table.imputed,
        encodings: d.table.encodings,
      }
    : {
        target: glmEng ? glmEng.full.target : eng!.target,
        dropped: [] as string[],
        constant: glmEng ? glmEng.full.constant : eng!.constant,
        duplicates: [] as [string, string][],
        droppedRows: [] as number[],
        imputed: [] as { column: string; mean: number; count: number }[],
        encodings: [] as { column: string; levels: string[]; names: string[] }[],
      };
  const givenFolds = d ? rowFoldIds(o.foldid, d) : undefined;
  if (!givenFolds && folds > n)
    throw new InputError(`option '--folds': ${folds} folds for ${n} rows`, {
      option: "--folds",
    });
  const groups = groupIds(choice, features);
  const shape = shapeOf(p);
  const tty = process.stderr.isTTY === true;

  // ---- path and cross-validation ----
  const cvBar = tty ? progressBar("cross-validation", process.stderr) : null;
  let fit: AnyFit;
  let curve: Curve;
  let foldId: Int32Array;
  let exactRidge = false;
  if (glmEng) {
    fit = wrapGlm(glmEng.full.fit, p);
    foldId = new Int32Array(0);
    curve = { ...glmEng.cv, measure: "deviance" };
  } else if (eng) {
    const r = withFlagNames(() =>
      gaussianStatsCv(eng!.stats, { ...shape, alpha, nLambda, lambdaMinRatio }),
    );
    fit = wrapGlm(r.fit, p);
    foldId = new Int32Array(0);
    curve = { ...r, measure: "mse" };
  } else {
    const r = await withFlagNamesAsync(() =>
      cvPath(x!, d!.responses ? d!.responses.y : y, {
        ...shape,
        ...withRowOptions({}, d!, family, o.ties),
        ...familyExtra,
        family,
        ...penaltyLibraryOptions(choice, groups),
        nLambda,
        lambdaMinRatio,
        nFolds: folds,
        foldId: givenFolds,
        workers: o.workers,
        seed,
        measure,
        stratified: family === "binomial" || family === "multinomial",
        onProgress: cvBar ? (a, b) => cvBar.update(a, b) : undefined,
      }),
    );
    fit = wrapGlm(r.fit, p);
    foldId = r.foldId;
    curve = { ...r, measure: r.measure };
    exactRidge = "solver" in r.fit && r.fit.solver === "ridge-eigen";
  }
  cvBar?.done();
  // Never silent: points of the path not solved to the tolerance (and early ends) are named.
  fit.warnings = fit.warnings.map((w) => namedWarning(w, features));
  writePathWarnings(fit.warnings, features, "--json and --report");
  // ---- ridge solved exactly: leave-one-out and GCV errors next to K-fold CV ----
  // (elasticNetPath took the exact solver, so the shape makes it the cheaper one.)
  const ridgeCv: RidgeCv | undefined =
    exactRidge && x
      ? ridgePath(x, y, {
          weights: d!.weights,
          lambda: curve.lambda,
          standardize: shape.standardize,
          intercept: shape.intercept,
          penaltyFactor: shape.penaltyFactor,
        }).cv
      : undefined;
  const k = o.select === "min" ? curve.indexMin : curve.index1se;
  const lambdaSel = fit.lambda[k];
  const coef = fit.coef(k);
  const intercept = fit.intercept(k);

  // ---- stability selection ----
  let stab: StabilityResult | undefined;
  if (
    pairs !== undefined &&
    (family === "gaussian" || family === "binomial" || family === "poisson")
  ) {
    const bar = tty ? progressBar("stability selection", process.stderr) : null;
    const q = o.q ?? Math.max(1, Math.round(Math.sqrt(0.8 * p)));
    if (q > p)
      throw new InputError(`option '--q': ${q} exceeds the ${p} features`, { option: "--q" });
    stab = await stabilitySelection(x!, y, {
      ...shape,
      family,
      alpha,
      pairs,
      threshold,
      q,
      seed,
      onProgress: bar ? (a, b) => bar.update(a, b) : undefined,
    });
    bar?.done();
  }

  // ---- the "why zero" explanation at the selected λ ----
  let why: SparsityExplanation | undefined;
  if (
    x &&
    (penalty === "lasso" || penalty === "elastic-net") &&
    (family === "gaussian" || family === "binomial" || family === "poisson") &&
    !core
  )
    why = explainSparsity(family, x, y, lambdaSel, {
      ...shape,
      lambda: undefined,
      ...withRowOptions({}, d!, family),
      alpha,
    });

  // ---- the renderers: terminal, saved model, JSON, report ----
  const total = eng ? addStats(eng.stats) : undefined;
  const sd = features.map((_, j) => {
    if (glmEng) return { m: glmEng.full.moments.mean[j], s: glmEng.full.moments.sd[j] };
    if (total) {
      const mean = total.sx[j] / n;
      const v = total.sxx[j * p + j] / n - mean * mean;
      return { m: total.shiftX[j] + mean, s: Math.sqrt(Math.max(0, v)) };
    }
    return columnMoments(x!, j);
  });
  const run: FitRun = {
    file,
    title,
    o,
    family,
    penalty,
    alpha,
    core,
    familyExtra,
    d,
    x,
    y,
    response,
    features,
    n,
    p,
    meta,
    fit,
    curve,
    foldId,
    nFolds: foldId.length ? new Set(foldId).size : folds,
    foldSource: o.foldid ? `--foldid ${o.foldid}` : o.foldColumn ? `column '${o.foldColumn}'` : "",
    ridgeCv,
    k,
    lambdaSel,
    coef,
    intercept,
    stab,
    why,
    standardization: { mean: sd.map((s) => s.m), sd: sd.map((s) => s.s) },
  };
  const outputs = new Outputs();
  outputs.print(terminalText(run));
  const { model, cox, assessment } = savedModel(run);
  if (o.save) outputs.file("--save", o.save, JSON.stringify(model, null, 1) + "\n");
  if (o.json)
    outputs.file("--json", o.json, JSON.stringify(fitJson(run, model, assessment), null, 1) + "\n");
  if (o.report) {
    outputs.file("--report", o.report, await fitReport(run, assessment, cox));
    outputs.print(`report written to ${o.report}\n`);
  }
  outputs.commit();
}
