import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { addInputOptions, readDesign, type InputCliOptions } from "./input.js";
import { elasticNetPath, type PathFit } from "../path/elasticNetPath.js";
import { glmPath } from "../path/glmPath.js";
import {
  multinomialPath,
  type MultinomialFit,
  type MultinomialOptions,
} from "../path/multinomialPath.js";
import { PATH_SOLVERS, proxPath, type PathSolver } from "../prox/proxPath.js";
import { pathTable } from "./format.js";
import { intOption, listOption, numberOption } from "./parse.js";

export interface PathCliOptions extends InputCliOptions {
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

/** Reads the data file and splits it into the design matrix and the target column. */
export function loadXY(file: string, o: InputCliOptions) {
  const d = readDesign(file, o);
  if (d.dropped.length)
    process.stderr.write(
      `regularize: dropped constant or duplicate columns: ${d.dropped.join(", ")}\n`,
    );
  return { x: d.x, y: d.y, features: d.features, target: d.target };
}

const FAMILIES = ["gaussian", "binomial", "poisson", "multinomial"] as const;
export type CliFamily = (typeof FAMILIES)[number];

/** Checks the --family value. */
export function familyOption(text: string): CliFamily {
  if (!(FAMILIES as readonly string[]).includes(text))
    throw new InputError(
      `option '--family': unknown family '${text}' (available: ${FAMILIES.join(", ")})`,
      { option: "--family" },
    );
  return text as CliFamily;
}

/**
 * The response for a family, checked against the file: binomial takes 0/1, or any two distinct
 * values (the larger — or `positive` — becomes 1); Poisson takes counts ≥ 0.
 */
export function familyResponse(
  family: CliFamily,
  y: Float64Array,
  file: string,
  column: string,
  positive?: string,
): { y: Float64Array; classes?: [number, number] } {
  if (family === "poisson") {
    const bad = y.findIndex((v) => !(v >= 0));
    if (bad >= 0)
      throw new InputError(
        `${file}: row ${bad + 2}, column '${column}': Poisson needs counts ≥ 0, got ${y[bad]}`,
        { file, row: bad + 2, column },
      );
    return { y };
  }
  if (family === "multinomial") {
    const k = new Set(y).size;
    if (k > 100)
      throw new InputError(
        `${file}: column '${column}' has ${k} distinct values; multinomial takes class labels (at most 100 classes)`,
        { file, column },
      );
    return { y };
  }
  if (family !== "binomial") return { y };
  const values = [...new Set(y)].sort((a, b) => a - b);
  if (values.length !== 2)
    throw new InputError(
      `${file}: column '${column}' has ${values.length} distinct values (${values.slice(0, 5).join(", ")}${values.length > 5 ? ", …" : ""}); binomial needs exactly two`,
      { file, column },
    );
  let pos = values[1];
  if (positive !== undefined) {
    pos = numberOption("--positive", positive);
    if (!values.includes(pos))
      throw new InputError(
        `option '--positive': ${pos} is not a value of column '${column}' (${values.join(", ")})`,
        { option: "--positive" },
      );
  }
  const neg = values[0] === pos ? values[1] : values[0];
  return { y: Float64Array.from(y, (v) => (v === pos ? 1 : 0)), classes: [neg, pos] };
}

/** Turns the command-line strings into library options, validating each. */
export function toLibraryOptions(o: PathCliOptions, p: number): MultinomialOptions {
  const family = familyOption(o.family);
  if (o.grouped && family !== "multinomial")
    throw new InputError("option '--grouped': only for --family multinomial", {
      option: "--grouped",
    });
  const perFeature = (name: string, text: string) => {
    const v = listOption(name, text);
    if (v.length !== 1 && v.length !== p) {
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
  if (o.nlambda !== undefined) lib.nLambda = intOption("--nlambda", o.nlambda);
  if (o.lambdaMinRatio !== undefined) {
    lib.lambdaMinRatio = numberOption(
      "--lambda-min-ratio",
      o.lambdaMinRatio,
      Number.MIN_VALUE,
      1 - 1e-16,
    );
  }
  // Value ranges (λ ≥ 0, factors ≥ 0, limits' signs) are checked by the library, before any work.
  if (o.lambda !== undefined) lib.lambda = listOption("--lambda", o.lambda);
  if (o.penaltyFactor !== undefined)
    lib.penaltyFactor = perFeature("--penalty-factor", o.penaltyFactor);
  if (o.lowerLimits !== undefined) lib.lowerLimits = perFeature("--lower-limits", o.lowerLimits);
  if (o.upperLimits !== undefined) lib.upperLimits = perFeature("--upper-limits", o.upperLimits);
  if (o.thresh !== undefined) lib.thresh = numberOption("--thresh", o.thresh, Number.MIN_VALUE, 1);
  return lib;
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

/** Fits the path of a family (library errors carry the CLI flag names). */
export function fitFamilyCli(
  family: Exclude<CliFamily, "multinomial">,
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

export function runPath(file: string, o: PathCliOptions): void {
  const repeat = intOption("--repeat", o.repeat);
  const family = familyOption(o.family);
  const data = loadXY(file, o);
  const { x, features } = data;
  const { y } = familyResponse(family, data.y, file, data.target, o.positive);
  const lib = toLibraryOptions(o, x.nCols);
  if (family === "multinomial") {
    if (o.solver !== undefined && o.solver !== "cd")
      throw new InputError("option '--solver': the multinomial family is fitted by cd only", {
        option: "--solver",
      });
    const seconds: number[] = [];
    let mfit: MultinomialFit | undefined;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      mfit = withFlagNames(() => multinomialPath(x, y, lib));
      seconds.push((performance.now() - t0) / 1000);
    }
    if (o.json)
      writeFileSync(o.json, JSON.stringify(multinomialJson(mfit!, features, seconds)) + "\n");
    else process.stdout.write(pathTable(mfit!));
    return;
  }
  const solver = (o.solver ?? "cd") as PathSolver;
  if (!PATH_SOLVERS.includes(solver))
    throw new InputError(
      `option '--solver': unknown solver '${o.solver}' (one of ${PATH_SOLVERS.join(", ")})`,
      { option: "--solver" },
    );
  const fitSeconds: number[] = [];
  let fit: PathFit | undefined;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fit =
      solver === "cd"
        ? fitFamilyCli(family, x, y, lib)
        : withFlagNames(() => proxPath(family, solver, x, y, lib));
    fitSeconds.push((performance.now() - t0) / 1000);
  }
  const result = fit!;
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify(pathJson(result, features, fitSeconds)) + "\n");
  else process.stdout.write(pathTable(result));
}

export function addPathOptions(cmd: Command): Command {
  return addInputOptions(cmd)
    .option("--target <name>", "response column (default: the last column)")
    .option("--family <family>", "gaussian, binomial, poisson or multinomial", "gaussian")
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
      "--solver <name>",
      `path command: ${PATH_SOLVERS.join(", ")} (default cd) — the same path by another method`,
    );
}
