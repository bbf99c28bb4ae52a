/**
 * The model helpers every data command shares: reading the rows for a family (or going through
 * an engine), the library options of the path flags, the families fitted by the model core, the
 * rows' weights, offset and survival columns, and library errors said in the command's flags.
 */
import { InputError } from "../errors.js";
import { namedWarning } from "../path/corePath.js";
import { familyResponse, readDesign, type InputCliOptions } from "./input.js";
import { fallsBack, type EngineName } from "./engine.js";
import { elasticNetPath, type PathFit } from "../path/elasticNetPath.js";
import { glmPath } from "../path/glmPath.js";
import type { MultinomialOptions } from "../path/multinomialPath.js";
import type { FitOptions } from "../path/fit.js";
import { familyLink, fitsByLink, type FitFamily } from "../path/families.js";
import type { LinkName } from "../datafit/links.js";
import { inFlags, type Parsed } from "./parse.js";
import type { PenaltyChoice } from "./penalty.js";
import { distribution, type LinkFamilyName } from "../datafit/linkFamily.js";
import { OPTIONS, type OptionKey, type PATH_OPTIONS } from "./schema.js";

const ALL_OPTIONS = Object.keys(OPTIONS) as OptionKey[];

/**
 * What the model helpers read from any command's options: cv, explain and fit take some of the
 * path's options (and the data options).
 */
export type ModelCliOptions = InputCliOptions &
  Pick<Parsed<typeof PATH_OPTIONS>, "family"> &
  Partial<Omit<Parsed<typeof PATH_OPTIONS>, "family">>;

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

/** The JSON fields of a core family's link (and θ): none for the GLM families. */
export function linkExtra(
  core: boolean,
  family: CliFamily,
  o: { link?: string; theta?: number },
): { link?: LinkName; theta?: number } {
  if (!core || family === "cox" || family === "mgaussian") return {};
  return {
    link: (o.link ?? distribution(family as LinkFamilyName, 1).links[0]) as LinkName,
    ...(o.theta !== undefined ? { theta: o.theta } : {}),
  };
}

/**
 * Refuses an engine (asked for, or the fallback past the memory budget) for what only the rows
 * in memory fit: the model core's families and the group, MCP and SCAD penalties.
 */
export function refuseEngine(
  name: EngineName,
  family: CliFamily,
  core: boolean,
  choice: PenaltyChoice,
  link: string | undefined,
): void {
  if (core)
    throw new InputError(
      `option '--engine': the ${family} family${link ? ` with the ${link} link` : ""} is fitted in memory, not by ${name}`,
      { option: "--engine" },
    );
  if (choice.core)
    throw new InputError(
      `option '--engine': ${name} fits the lasso, elastic net and ridge, not ${choice.penalty}`,
      { option: "--engine" },
    );
}

/** Whether a family (with these options) is fitted by the model core rather than a GLM path. */
export function coreFamily(family: CliFamily, o: Pick<ModelCliOptions, "link">): boolean {
  return family === "cox" || family === "mgaussian" || fitsByLink(family, o.link);
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

/**
 * A path's warnings on stderr, one line each with the features named (namedWarning): all of them
 * when there are at most four, else the first three and a count (`where` says where every one
 * is written).
 */
export function writePathWarnings(
  warnings: readonly string[],
  features: readonly string[],
  where: string,
): void {
  const named = warnings.map((w) => namedWarning(w, features));
  const lines =
    named.length <= 4
      ? named
      : [
          ...named.slice(0, 3),
          `… and ${named.length - 3} more (${named.length} in all: every one is in ${where})`,
        ];
  for (const line of lines) process.stderr.write(`regularize: warning: ${line}\n`);
}
