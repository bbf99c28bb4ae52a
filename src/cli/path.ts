import { performance } from "node:perf_hooks";
import { InputError } from "../errors.js";
import { familyResponse, readDesign, type InputCliOptions } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import { engineData, engineOption, fallsBack, openEngine, type EngineName } from "./engine.js";
import { glmPathFromEngine } from "../engine/glm.js";
import { readOptions } from "./input.js";
import { gaussianStatsPath } from "../path/statsPath.js";
import { elasticNetPath, type PathFit } from "../path/elasticNetPath.js";
import { glmPath } from "../path/glmPath.js";
import {
  multinomialPath,
  type MultinomialFit,
  type MultinomialOptions,
} from "../path/multinomialPath.js";
import { proxPath } from "../prox/proxPath.js";
import { pathTable } from "./format.js";
import { fit as fitModel, type FitOptions, type ModelPath } from "../path/fit.js";
import { distribution, type LinkFamilyName } from "../datafit/linkFamily.js";
import { familyLink, fitsByLink, type FitFamily } from "../path/families.js";
import type { LinkName } from "../datafit/links.js";
import { inFlags, type Parsed } from "./parse.js";
import { OPTIONS, type OptionKey, type PATH_OPTIONS } from "./schema.js";

const ALL_OPTIONS = Object.keys(OPTIONS) as OptionKey[];

/** The options of `regularize path`, typed by the schema. */
export type PathCliOptions = Parsed<typeof PATH_OPTIONS>;

/**
 * What the model helpers read from any command's options: cv, explain and fit take some of the
 * path's options (and the data options).
 */
export type ModelCliOptions = InputCliOptions &
  Pick<PathCliOptions, "family"> &
  Partial<Omit<PathCliOptions, "family">>;

/**
 * Reads the data file for a family: the design and the response (see familyResponse); says on
 * stderr which binomial label is the event when the labels are not 0/1.
 */
export async function loadXY(file: string, o: ModelCliOptions, family: CliFamily) {
  const d = await readDesign(file, o);
  const r = familyResponse(family, d, o.positive);
  if (r.note) process.stderr.write(`regularize: ${r.note}\n`);
  return { x: d.x, y: r.y, features: d.features, target: d.target, design: d, classes: r.classes };
}

/**
 * The rows of a data file (loadXY), or — with an engine asked for, or past the memory budget
 * (`fallsBack`) — the work done by `viaEngine` instead, and null.
 */
export async function loadOrEngine(
  file: string,
  o: ModelCliOptions,
  family: CliFamily,
  engine: EngineName | undefined,
  viaEngine: (name: Exclude<EngineName, "memory">) => Promise<void>,
): Promise<Awaited<ReturnType<typeof loadXY>> | null> {
  if (engine && engine !== "memory") {
    await viaEngine(engine);
    return null;
  }
  try {
    return await loadXY(file, o, family);
  } catch (e) {
    if (!fallsBack(e, engine, o)) throw e;
    await viaEngine("duckdb");
    return null;
  }
}

export type CliFamily = FitFamily;

/** The library options of the command line's path options; per-feature lists checked against p. */
export function toLibraryOptions(
  o: ModelCliOptions,
  p: number,
  beforeData = false,
): MultinomialOptions {
  const perFeature = (name: string, v: number[]) => {
    if (!beforeData && v.length !== 1 && v.length !== p) {
      throw new InputError(
        `option '${name}': needs 1 or ${p} values (one per feature), got ${v.length}`,
        { option: name },
      );
    }
    return v;
  };
  const lib: MultinomialOptions = { standardize: o.standardize, intercept: o.intercept };
  if (o.grouped) lib.typeMultinomial = "grouped";
  if (o.alpha !== undefined) lib.alpha = o.alpha;
  if (o.nlambda !== undefined) lib.nLambda = o.nlambda;
  if (o.lambdaMinRatio !== undefined) lib.lambdaMinRatio = o.lambdaMinRatio;
  if (o.lambda !== undefined) lib.lambda = o.lambda;
  if (o.penaltyFactor !== undefined)
    lib.penaltyFactor = perFeature("--penalty-factor", o.penaltyFactor);
  if (o.lowerLimits !== undefined) lib.lowerLimits = perFeature("--lower-limits", o.lowerLimits);
  if (o.upperLimits !== undefined) lib.upperLimits = perFeature("--upper-limits", o.upperLimits);
  if (o.thresh !== undefined) lib.thresh = o.thresh;
  return lib;
}

/**
 * The model core's options of a family beyond the GLM paths: --link and --theta (families by
 * link), --standardize-response (mgaussian); each checked against the family.
 */
export function coreFamilyOptions(
  o: Pick<ModelCliOptions, "link" | "theta" | "standardizeResponse">,
  family: CliFamily,
): Partial<FitOptions> {
  const theta = o.theta;
  if (family === "negative-binomial" && theta === undefined)
    throw new InputError(
      "option '--theta': --family negative-binomial needs θ (its dispersion, > 0)",
      {
        option: "--theta",
      },
    );
  const { link } = withFlagNames(() => familyLink(family, o.link, theta));
  if (o.standardizeResponse && family !== "mgaussian")
    throw new InputError("option '--standardize-response': only for --family mgaussian", {
      option: "--standardize-response",
    });
  return {
    ...(o.link !== undefined ? { link: link as LinkName } : {}),
    ...(theta !== undefined ? { theta } : {}),
    ...(o.standardizeResponse ? { standardizeResponse: true } : {}),
  };
}

/** Whether a family (with these options) is fitted by the model core rather than a GLM path. */
export function coreFamily(family: CliFamily, o: Pick<ModelCliOptions, "link">): boolean {
  return family === "cox" || family === "mgaussian" || fitsByLink(family, o.link);
}

/** The JSON document of a multi-response path: per λ one intercept and coefficient set per response. */
export function mgaussianJson(
  fit: ModelPath,
  features: string[],
  responses: string[],
  fitSeconds: number[],
) {
  return {
    family: "mgaussian",
    alpha: fit.alpha,
    features,
    responses,
    lambda: Array.from(fit.lambda),
    intercept: fit.intercepts.map((a) => Array.from(a)),
    coefficients: fit.coefficients.map((sets) =>
      sets.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    ),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/** The JSON document of a core path with one coefficient set (families by link, as pathJson). */
export function modelJson(fit: ModelPath, features: string[], fitSeconds: number[], extra: object) {
  return {
    family: fit.family,
    ...extra,
    alpha: fit.alpha,
    features,
    lambda: Array.from(fit.lambda),
    intercept: fit.intercepts.map((a) => a[0]),
    coefficients: fit.coefficients.map(([b]) => ({
      index: Array.from(b.index),
      value: Array.from(b.value),
    })),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    solver: fit.solver,
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/** The JSON document of `regularize path --json` (the contract other tools rely on). */
export function pathJson(fit: PathFit, features: string[], fitSeconds: number[]) {
  return {
    family: fit.family,
    alpha: fit.alpha,
    features,
    lambda: Array.from(fit.lambda),
    intercept: Array.from(fit.intercept),
    coefficients: fit.beta.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    dualityGap: Array.from(fit.dualityGap, (v) => (Number.isNaN(v) ? null : v)),
    objective: Array.from(fit.objective),
    solver: fit.solver,
    passes: fit.passes,
    warnings: fit.warnings,
    fitSeconds,
  };
}

/** Rethrows a library input error with the command-line flag in place of the option name. */
export function withFlagNames<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError) throw inFlags(e, ALL_OPTIONS);
    throw e;
  }
}

/**
 * The library options with the rows' weights and offset (`--weights`, `--offset`); an offset
 * is for the binomial and Poisson families.
 */
export function withRowOptions(
  lib: MultinomialOptions,
  d: {
    weights?: Float64Array;
    offset?: Float64Array;
    status?: Float64Array;
    start?: Float64Array;
    strata?: string[];
  },
  family: string,
  ties?: string,
): MultinomialOptions & { offset?: Float64Array } & Pick<
    FitOptions,
    "status" | "start" | "strata" | "ties"
  > {
  if (d.offset && family !== "binomial" && family !== "poisson" && family !== "cox")
    throw new InputError("option '--offset': only for --family binomial, poisson or cox", {
      option: "--offset",
    });
  if (family !== "cox")
    for (const [flag, v] of [
      ["--status", d.status],
      ["--start", d.start],
      ["--strata", d.strata],
      ["--ties", ties],
    ] as const)
      if (v !== undefined)
        throw new InputError(`option '${flag}': only for --family cox`, { option: flag });
  if (ties !== undefined && ties !== "breslow" && ties !== "efron")
    throw new InputError(`option '--ties': breslow or efron, got '${ties}'`, { option: "--ties" });
  return {
    ...lib,
    ...(d.weights ? { weights: d.weights } : {}),
    ...(d.offset ? { offset: d.offset } : {}),
    ...(family === "cox"
      ? {
          status: d.status,
          start: d.start,
          strata: d.strata,
          ties: ties as "breslow" | "efron" | undefined,
        }
      : {}),
  };
}

/** The JSON document of a Cox path (as `pathJson`; no intercept: 0 at every point). */
export function coxJson(fit: ModelPath, features: string[], fitSeconds: number[], ties: string) {
  return modelJson(fit, features, fitSeconds, { ties, nullDeviance: fit.nullDeviance });
}

/** withFlagNames for a promise. */
export async function withFlagNamesAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    return withFlagNames(() => {
      throw e;
    });
  }
}

/** Fits the path of a family (library errors carry the CLI flag names). */
export function fitFamilyCli(
  family: "gaussian" | "binomial" | "poisson",
  x: Parameters<typeof elasticNetPath>[0],
  y: Float64Array,
  lib: MultinomialOptions,
): PathFit {
  return withFlagNames(() =>
    family === "gaussian" ? elasticNetPath(x, y, lib) : glmPath(family, x, y, lib),
  );
}

/** The JSON document of a multinomial path: per λ, one intercept and coefficient set per class. */
export function multinomialJson(fit: MultinomialFit, features: string[], fitSeconds: number[]) {
  return {
    family: fit.family,
    alpha: fit.alpha,
    features,
    classes: fit.classes,
    lambda: Array.from(fit.lambda),
    intercept: fit.intercept.map((a) => Array.from(a)),
    coefficients: fit.beta.map((perClass) =>
      perClass.map((b) => ({ index: Array.from(b.index), value: Array.from(b.value) })),
    ),
    df: Array.from(fit.df),
    devRatio: Array.from(fit.devRatio),
    kktMax: Array.from(fit.kktMax),
    objective: Array.from(fit.objective),
    passes: fit.passes,
    fitSeconds,
  };
}

export async function runPath(file: string, o: PathCliOptions): Promise<void> {
  const { repeat, family, solver } = o;
  if (o.json) checkOutputs([{ flag: "--json", path: o.json }], [file]);
  if (family === "multinomial" && solver !== "cd")
    throw new InputError("option '--solver': the multinomial family is fitted by cd only", {
      option: "--solver",
    });
  toLibraryOptions(o, 1, true);
  const engine = engineOption(o, file);
  if (engine && engine !== "memory" && solver !== "cd")
    throw new InputError(`option '--solver': --engine ${engine} fits by coordinate descent only`, {
      option: "--solver",
    });
  const out = new Outputs();
  const viaEngine = async (name: Exclude<EngineName, "memory">) => {
    if (family === "binomial" || family === "poisson") {
      const t0 = performance.now();
      const { missing } = readOptions(o);
      const r = await withFlagNamesAsync(async () =>
        glmPathFromEngine(await openEngine(name, file), family, {
          target: o.target,
          missing,
          options: toLibraryOptions(o, 1, true),
          weights: o.weights,
          offset: o.offset,
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      for (const w of r.fit.warnings) process.stderr.write(`warning: ${w}\n`);
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
    const lib = toLibraryOptions(o, data.features.length);
    const seconds: number[] = [];
    let fit: PathFit | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      fit = withFlagNames(() => gaussianStatsPath(data.stats[0], lib));
      seconds.push((performance.now() - t0) / 1000);
    }
    for (const w of fit!.warnings) process.stderr.write(`warning: ${w}\n`);
    if (o.json)
      out.file("--json", o.json, JSON.stringify(pathJson(fit!, data.features, seconds)) + "\n");
    else out.print(pathTable(fit!));
    out.commit();
  };
  const core = coreFamily(family, o);
  coreFamilyOptions(o, family);
  if (core) {
    if (solver !== "cd" || (engine && engine !== "memory"))
      throw new InputError(
        `option '${solver !== "cd" ? "--solver" : "--engine"}': the ${family} family${o.link ? ` with the ${o.link} link` : ""} is fitted in memory by the model core`,
        { option: solver !== "cd" ? "--solver" : "--engine" },
      );
  }
  const data = await loadOrEngine(file, o, family, engine, viaEngine);
  if (!data) return;
  const { x, y, features } = data;
  const lib = withRowOptions(toLibraryOptions(o, x.nCols), data.design, family, o.ties);
  if (core) {
    const seconds: number[] = [];
    let cfit: ModelPath | undefined;
    const responses = data.design.responses;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      cfit = withFlagNames(() =>
        fitModel(x, responses ? responses.y : y, {
          ...lib,
          ...coreFamilyOptions(o, family),
          family,
        }),
      );
      seconds.push((performance.now() - t0) / 1000);
    }
    for (const w of cfit!.warnings) process.stderr.write(`warning: ${w}\n`);
    if (o.json) {
      const doc =
        family === "cox"
          ? coxJson(cfit!, features, seconds, o.ties ?? "breslow")
          : responses
            ? mgaussianJson(cfit!, features, responses.names, seconds)
            : modelJson(cfit!, features, seconds, {
                link: o.link ?? distribution(family as LinkFamilyName, 1).links[0],
                ...(o.theta !== undefined ? { theta: o.theta } : {}),
              });
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
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (o.json)
    out.file("--json", o.json, JSON.stringify(pathJson(result, features, fitSeconds)) + "\n");
  else out.print(pathTable(result));
  out.commit();
}
