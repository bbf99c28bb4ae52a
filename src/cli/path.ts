import { performance } from "node:perf_hooks";
import { InputError } from "../errors.js";
import { checkOutputs, Outputs } from "./output.js";
import { engineData, engineOption, openEngine, type EngineName } from "./engine.js";
import { glmPathFromEngine } from "../engine/glm.js";
import { columnChoice, readOptions } from "./input.js";
import { gaussianStatsPath } from "../path/statsPath.js";
import { type PathFit } from "../path/elasticNetPath.js";
import { multinomialPath, type MultinomialFit } from "../path/multinomialPath.js";
import { proxPath } from "../prox/proxPath.js";
import { pathTable } from "./format.js";
import { fit as fitModel, type ModelPath } from "../path/fit.js";
import { type Parsed } from "./parse.js";
import { groupIds, penaltyChoice, penaltyLibraryOptions } from "./penalty.js";
import { type PATH_OPTIONS } from "./schema.js";
import {
  coreFamily,
  coreFamilyOptions,
  fitFamilyCli,
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

/** The options of `regularize path`, typed by the schema. */
export type PathCliOptions = Parsed<typeof PATH_OPTIONS>;

export async function runPath(file: string, o: PathCliOptions): Promise<void> {
  const { repeat, family, solver } = o;
  if (o.json)
    checkOutputs([{ flag: "--json", path: o.json }], [file, ...(o.groups ? [o.groups] : [])]);
  if (family === "multinomial" && solver !== "cd")
    throw new InputError("option '--solver': the multinomial family is fitted by cd only", {
      option: "--solver",
    });
  toLibraryOptions(o, 1, true);
  const choice = penaltyChoice(o);
  // the α the penalty resolved to (--penalty elastic-net alone: 0.5, as in fit)
  const po = { ...o, alpha: choice.alpha };
  if (choice.core && solver !== "cd")
    throw new InputError(
      `option '--solver': the ${choice.penalty} penalty is fitted by the model core (--solver cd)`,
      { option: "--solver" },
    );
  const engine = engineOption(o, file);
  if (engine && engine !== "memory" && solver !== "cd")
    throw new InputError(`option '--solver': --engine ${engine} fits by coordinate descent only`, {
      option: "--solver",
    });
  const out = new Outputs();
  const viaEngine = async (name: Exclude<EngineName, "memory">) => {
    refuseEngine(name, family, core, choice, o.link);
    if (family === "binomial" || family === "poisson") {
      const t0 = performance.now();
      const { missing } = readOptions(o);
      const r = await withFlagNamesAsync(async () =>
        glmPathFromEngine(await openEngine(name, file), family, {
          ...columnChoice(o),
          target: o.target,
          missing,
          options: toLibraryOptions(po, 1, true),
          weights: o.weights,
          offset: o.offset,
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      writePathWarnings(r.fit.warnings, r.features, "--json");
      const per = r.fit.passesPerLambda;
      process.stderr.write(
        `regularize: ${r.fit.passes} scans of the table (${r.fit.fullScans} with the weighted Gram): ${r.fit.setupScans} for the null model, then ${(per.reduce((a, b) => a + b, 0) / per.length).toFixed(1)} per λ (IRLS steps)\n`,
      );
      if (o.json)
        out.file(
          "--json",
          o.json,
          JSON.stringify({
            ...pathJson(r.fit, r.features, [seconds]),
            engine: name,
            passesPerLambda: per,
            gramScans: r.fit.fullScans,
          }) + "\n",
        );
      else out.print(pathTable(r.fit));
      out.commit();
      return;
    }
    const data = await engineData(name, file, o, null);
    const lib = toLibraryOptions(po, data.features.length);
    const seconds: number[] = [];
    let fit: PathFit | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      fit = withFlagNames(() => gaussianStatsPath(data.stats[0], lib));
      seconds.push((performance.now() - t0) / 1000);
    }
    writePathWarnings(fit!.warnings, data.features, "--json");
    if (o.json)
      out.file("--json", o.json, JSON.stringify(pathJson(fit!, data.features, seconds)) + "\n");
    else out.print(pathTable(fit!));
    out.commit();
  };
  const core = coreFamily(family, o);
  coreFamilyOptions(o, family);
  if (engine && engine !== "memory") refuseEngine(engine, family, core, choice, o.link);
  if (core) {
    if (solver !== "cd")
      throw new InputError(
        `option '--solver': the ${family} family${o.link ? ` with the ${o.link} link` : ""} is fitted in memory by the model core`,
        { option: "--solver" },
      );
  }
  const data = await loadOrEngine(file, o, family, engine, viaEngine);
  if (!data) return;
  const { x, y, features } = data;
  const lib = withRowOptions(toLibraryOptions(po, x.nCols), data.design, family, o.ties);
  if (core || choice.core) {
    const groups = groupIds(choice, features);
    const seconds: number[] = [];
    let cfit: ModelPath | undefined;
    const responses = data.design.responses;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      cfit = withFlagNames(() =>
        fitModel(x, responses ? responses.y : y, {
          ...lib,
          ...coreFamilyOptions(o, family),
          ...penaltyLibraryOptions(choice, groups),
          family,
        }),
      );
      seconds.push((performance.now() - t0) / 1000);
    }
    writePathWarnings(cfit!.warnings, features, "--json");
    if (o.json) {
      const doc =
        family === "cox"
          ? coxJson(cfit!, features, seconds, o.ties ?? "breslow")
          : responses
            ? mgaussianJson(cfit!, features, responses.names, seconds)
            : modelJson(cfit!, features, seconds, linkExtra(core, family, o));
      out.file("--json", o.json, JSON.stringify(doc) + "\n");
    } else out.print(pathTable(cfit!));
    out.commit();
    return;
  }
  if (family === "multinomial") {
    const seconds: number[] = [];
    let mfit: MultinomialFit | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      mfit = withFlagNames(() => multinomialPath(x, y, lib));
      seconds.push((performance.now() - t0) / 1000);
    }
    if (o.json)
      out.file("--json", o.json, JSON.stringify(multinomialJson(mfit!, features, seconds)) + "\n");
    else out.print(pathTable(mfit!));
    out.commit();
    return;
  }
  // Every family but these three went to the core above.
  const glm = family as "gaussian" | "binomial" | "poisson";
  const fitSeconds: number[] = [];
  let fit: PathFit | undefined;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fit =
      solver === "cd"
        ? fitFamilyCli(glm, x, y, lib)
        : withFlagNames(() => proxPath(glm, solver, x, y, lib));
    fitSeconds.push((performance.now() - t0) / 1000);
  }
  const result = fit!;
  writePathWarnings(result.warnings, features, "--json");
  if (o.json)
    out.file("--json", o.json, JSON.stringify(pathJson(result, features, fitSeconds)) + "\n");
  else out.print(pathTable(result));
  out.commit();
}
