import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Command } from "commander";
import { denseMatrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { readNumericCsv } from "../io/csv.js";
import { elasticNetPath, type PathFit } from "../path/elasticNetPath.js";
import type { ElasticNetOptions } from "../path/options.js";
import { pathTable } from "./format.js";
import { intOption, listOption, numberOption } from "./parse.js";

export interface PathCliOptions {
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
  repeat: string;
  json?: string;
}

/** Reads the data file and splits it into the design matrix and the target column. */
export function loadXY(file: string, target: string | undefined) {
  const table = readNumericCsv(file);
  const name = target ?? table.names[table.names.length - 1];
  const t = table.names.indexOf(name);
  if (t < 0) {
    throw new InputError(
      `${file}: no column named '${name}' (columns: ${table.names.join(", ")})`,
      {
        file,
        column: name,
      },
    );
  }
  if (table.names.length < 2)
    throw new InputError(`${file}: needs at least one feature column besides the target`, { file });
  if (table.nRows < 2)
    throw new InputError(`${file}: needs at least 2 data rows, got ${table.nRows}`, { file });
  const features = table.names.filter((_, c) => c !== t);
  const n = table.nRows;
  const data = new Float64Array(n * features.length);
  let j = 0;
  for (let c = 0; c < table.names.length; c++) if (c !== t) data.set(table.columns[c], n * j++);
  const y = table.columns[t];
  if (y.every((v) => v === y[0])) {
    throw new InputError(
      `${file}: target column '${name}' has a single value (${y[0]}): nothing to fit`,
      {
        file,
        column: name,
      },
    );
  }
  return { x: denseMatrix(n, features.length, data), y, features, target: name };
}

/** Turns the command-line strings into library options, validating each. */
export function toLibraryOptions(o: PathCliOptions, p: number): ElasticNetOptions {
  if (o.family !== "gaussian") {
    throw new InputError(
      `option '--family': '${o.family}' is not available yet (supported: gaussian)`,
      {
        option: "--family",
      },
    );
  }
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
  const lib: ElasticNetOptions = { standardize: o.standardize, intercept: o.intercept };
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
};

/** Fits once to validate the options (cheaply rethrowing library errors with CLI flag names). */
function fitOnce(
  x: Parameters<typeof elasticNetPath>[0],
  y: Float64Array,
  lib: ElasticNetOptions,
): PathFit {
  try {
    return elasticNetPath(x, y, lib);
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

export function runPath(file: string, o: PathCliOptions): void {
  const repeat = intOption("--repeat", o.repeat);
  const { x, y, features } = loadXY(file, o.target);
  const lib = toLibraryOptions(o, x.nCols);
  const fitSeconds: number[] = [];
  let fit: PathFit | undefined;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fit = fitOnce(x, y, lib);
    fitSeconds.push((performance.now() - t0) / 1000);
  }
  const result = fit!;
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify(pathJson(result, features, fitSeconds)) + "\n");
  else process.stdout.write(pathTable(result));
}

export function addPathOptions(cmd: Command): Command {
  return cmd
    .option("--target <name>", "response column (default: the last column)")
    .option("--family <family>", "model family", "gaussian")
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
    .option("--thresh <t>", "convergence threshold relative to the null deviance (default 1e-9)");
}
