import { performance } from "node:perf_hooks";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { addInputOptions, familyResponse, readDesign, type InputCliOptions } from "./input.js";
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
import { PATH_SOLVERS, proxPath, type PathSolver } from "../prox/proxPath.js";
import { pathTable } from "./format.js";
import { fit as fitModel, type FitOptions, type ModelPath } from "../path/fit.js";
import { distribution, type LinkFamilyName } from "../datafit/linkFamily.js";
import { FAMILIES, familyLink, fitsByLink, isFamily, type FitFamily } from "../path/families.js";
import type { LinkName } from "../datafit/links.js";
import { intOption, listOption, numberOption } from "./parse.js";

export interface PathCliOptions extends InputCliOptions {
  ties?: string;
  link?: string;
  theta?: string;
  standardizeResponse?: boolean;
  engine?: string;
  target?: string;
  family: string;
  alpha?: string;
  nlambda?: string;
  lambdaMinRatio?: string;
  lambda?: string;
  penaltyFactor?: string;
  lowerLimits?: string;
  upperLimits?: string;
  standardize: boolean;
  intercept: boolean;
  thresh?: string;
  positive?: string;
  grouped?: boolean;
  solver?: string;
  repeat: string;
  json?: string;
}

/** Most λ values on a path (more cannot be told apart and would only take memory). */
export const MAX_NLAMBDA = 100000;

/**
 * Reads the data file for a family: the design and the response (see familyResponse); says on
 * stderr which binomial label is the event when the labels are not 0/1.
 */
export async function loadXY(file: string, o: PathCliOptions, family: CliFamily) {
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
  o: PathCliOptions,
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

/** Checks the --family value. */
export function familyOption(text: string): CliFamily {
  if (!isFamily(text))
    throw new InputError(
      `option '--family': unknown family '${text}' (available: ${FAMILIES.join(", ")})`,
      { option: "--family" },
    );
  return text as CliFamily;
}

/** Turns the command-line strings into library options, validating each. */
export function toLibraryOptions(
  o: PathCliOptions,
  p: number,
  beforeData = false,
): MultinomialOptions {
  const family = familyOption(o.family);
  if (o.grouped && family !== "multinomial")
    throw new InputError("option '--grouped': only for --family multinomial", {
      option: "--grouped",
    });
  const perFeature = (name: string, text: string) => {
    const v = listOption(name, text);
    if (!beforeData && v.length !== 1 && v.length !== p) {
      throw new InputError(
        `option '${name}': needs 1 or ${p} values (one per feature), got ${v.length}`,
        {
          option: name,
        },
      );
    }
    return v;
  };
  const lib: MultinomialOptions = { standardize: o.standardize, intercept: o.intercept };
  if (o.grouped) lib.typeMultinomial = "grouped";
  if (o.alpha !== undefined) lib.alpha = numberOption("--alpha", o.alpha, 0, 1);
  if (o.nlambda !== undefined) lib.nLambda = intOption("--nlambda", o.nlambda, 1, MAX_NLAMBDA);
  if (o.lambdaMinRatio !== undefined) {
    lib.lambdaMinRatio = numberOption(
      "--lambda-min-ratio",
      o.lambdaMinRatio,
      Number.MIN_VALUE,
      1 - 1e-16,
    );
  }
  // Value ranges (λ ≥ 0, factors ≥ 0, limits' signs) are checked by the library, before any work.
  if (o.lambda !== undefined) {
    lib.lambda = listOption("--lambda", o.lambda);
    if (lib.lambda.length > MAX_NLAMBDA)
      throw new InputError(`option '--lambda': at most ${MAX_NLAMBDA} values`, {
        option: "--lambda",
      });
  }
  if (o.penaltyFactor !== undefined)
    lib.penaltyFactor = perFeature("--penalty-factor", o.penaltyFactor);
  if (o.lowerLimits !== undefined) lib.lowerLimits = perFeature("--lower-limits", o.lowerLimits);
  if (o.upperLimits !== undefined) lib.upperLimits = perFeature("--upper-limits", o.upperLimits);
  if (o.thresh !== undefined) lib.thresh = numberOption("--thresh", o.thresh, Number.MIN_VALUE, 1);
  return lib;
}

/**
 * The model core's options of a family beyond the GLM paths: --link and --theta (families by
 * link), --standardize-response (mgaussian); each checked against the family.
 */
export function coreFamilyOptions(
  o: Pick<PathCliOptions, "link" | "theta" | "standardizeResponse">,
  family: CliFamily,
): Partial<FitOptions> {
  const theta = o.theta === undefined ? undefined : numberOption("--theta", o.theta);
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
export function coreFamily(family: CliFamily, o: Pick<PathCliOptions, "link">): boolean {
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

const FLAG: Record<string, string> = {
  alpha: "--alpha",
  nLambda: "--nlambda",
  lambdaMinRatio: "--lambda-min-ratio",
  lambda: "--lambda",
  penaltyFactor: "--penalty-factor",
  lowerLimits: "--lower-limits",
  upperLimits: "--upper-limits",
  thresh: "--thresh",
  measure: "--measure",
  foldId: "--foldid",
  nFolds: "--folds",
  stratified: "--stratified",
  offset: "--offset",
  typeMultinomial: "--grouped",
  status: "--status",
  start: "--start",
  strata: "--strata",
  ties: "--ties",
  link: "--link",
  theta: "--theta",
  standardizeResponse: "--standardize-response",
};

/** Rethrows a library input error with the command-line flag in place of the option name. */
export function withFlagNames<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    const option = e instanceof InputError ? e.where.option : undefined;
    if (option && FLAG[option]) {
      throw new InputError(
        e instanceof Error ? e.message.replace(`'${option}'`, `'${FLAG[option]}'`) : "",
        {
          option: FLAG[option],
        },
      );
    }
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
  const repeat = intOption("--repeat", o.repeat, 1, 10000);
  const family = familyOption(o.family);
  if (o.json) checkOutputs([{ flag: "--json", path: o.json }], [file]);
  const solver = (o.solver ?? "cd") as PathSolver;
  if (!PATH_SOLVERS.includes(solver))
    throw new InputError(
      `option '--solver': unknown solver '${o.solver}' (one of ${PATH_SOLVERS.join(", ")})`,
      { option: "--solver" },
    );
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
                ...(o.theta !== undefined ? { theta: Number(o.theta) } : {}),
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

export function addPathOptions(cmd: Command): Command {
  return addInputOptions(cmd)
    .option("--target <name>", "response column (default: the last column)")
    .option(
      "--family <family>",
      "gaussian, binomial, poisson, multinomial, cox, mgaussian (--target y1,y2,…), gamma, inverse-gaussian or negative-binomial",
      "gaussian",
    )
    .option(
      "--link <link>",
      "the link of a GLM family: identity, log, inverse, inverse-squared, logit, probit, cloglog or sqrt (default: R's for the family)",
    )
    .option("--theta <θ>", "negative-binomial: θ of the variance μ + μ²/θ")
    .option("--standardize-response", "mgaussian: scale each response to unit sd (glmnet's)")
    .option("--time <column>", "cox: the survival (stop) time column (the target)")
    .option("--status <column>", "cox: the event column (1 event, 0 censored), never a feature")
    .option("--start <column>", "cox: each row's interval start, (start, time] data")
    .option("--strata <column>", "cox: a stratum label per row (a baseline hazard per stratum)")
    .option("--ties <rule>", "cox: breslow (default, glmnet's) or efron (coxph's)")
    .option("--positive <value>", "binomial: the target value counted as 1 (default: the larger)")
    .option(
      "--grouped",
      "multinomial: one group per feature across the classes (glmnet's type.multinomial = grouped)",
    )
    .option("--alpha <a>", "elastic-net mixing: 1 = lasso, 0 = ridge (default 1)")
    .option("--nlambda <k>", "number of λ values (default 100)")
    .option("--lambda-min-ratio <r>", "λ_min / λ_max (default 1e-4 if n > p, else 0.01)")
    .option("--lambda <list>", "explicit comma-separated λ values")
    .option("--penalty-factor <list>", "per-feature penalty factors (0 = unpenalized)")
    .option(
      "--lower-limits <list>",
      "lower bounds on coefficients (≤ 0; one value or one per feature)",
    )
    .option(
      "--upper-limits <list>",
      "upper bounds on coefficients (≥ 0; one value or one per feature)",
    )
    .option("--no-standardize", "do not standardize features")
    .option("--no-intercept", "fit without an intercept")
    .option("--thresh <t>", "convergence threshold relative to the null deviance (default 1e-9)")
    .option(
      "--engine <name>",
      "memory (default), duckdb or clickhouse (a clickhouse://HOST:PORT/DB.TABLE source): gaussian, binomial and poisson lasso / elastic net / ridge from SQL sums, never holding the rows (duckdb automatic past --memory-budget); group, MCP, SCAD and multinomial stay in memory",
    )
    .option(
      "--solver <name>",
      `path command: ${PATH_SOLVERS.join(", ")} (default cd) — the same path by another method`,
    );
}
