import { sparseFormatOf } from "../io/sparseText.js";
import { InputError } from "../errors.js";
import { clickhouseEngine } from "../engine/clickhouseEngine.js";
import { duckdbEngine, type TableEngine } from "../engine/duckdbEngine.js";
import { gaussianFromEngine, type EngineData } from "../engine/gaussian.js";
import type { Folds } from "../engine/sql.js";
import { TooBigError } from "../io/table.js";
import { columnChoice, readOptions, type InputCliOptions } from "./input.js";

export const ENGINES = ["memory", "duckdb", "clickhouse"] as const;
export type EngineName = (typeof ENGINES)[number];

/** The --engine value, checked; options the engines cannot honour are refused up front. */
export function engineOption(
  o: InputCliOptions & { engine?: string; family: string },
  source: string,
): EngineName | undefined {
  // a database source names its engine
  const implied = source.startsWith("clickhouse://")
    ? "clickhouse"
    : source.startsWith("duckdb:")
      ? "duckdb"
      : undefined;
  if (implied && o.engine !== undefined && o.engine !== implied)
    throw new InputError(
      `option '--engine': ${source.split(":")[0]} sources use --engine ${implied}`,
      {
        option: "--engine",
      },
    );
  if (o.engine === undefined && implied === undefined) return undefined;
  const name = (o.engine ?? implied)!;
  if (!(ENGINES as readonly string[]).includes(name))
    throw new InputError(`option '--engine': unknown engine '${name}' (${ENGINES.join(", ")})`, {
      option: "--engine",
    });
  const engine = name as EngineName;
  if (engine !== "memory" && sparseFormatOf(source))
    throw new InputError(
      `option '--engine': ${source} is a sparse file (svmlight, Matrix Market), read and fitted in memory without densifying; the ${engine} engine reads tables (--engine memory)`,
      { option: "--engine" },
    );
  if (engine !== "memory") checkEngineFit(engine, o);
  return engine;
}

/** Refuses what the SQL engines do not do (yet): said plainly, before any work. */
function checkEngineFit(engine: string, o: InputCliOptions & { family: string }): void {
  const glm = o.family === "binomial" || o.family === "poisson";
  if (o.family !== "gaussian" && !glm)
    throw new InputError(
      `option '--engine': ${engine} fits the gaussian, binomial and poisson families; ${o.family} runs in memory (--engine memory)`,
      { option: "--engine" },
    );
  if (o.offset !== undefined && !glm)
    throw new InputError("option '--offset': only for --family binomial or poisson", {
      option: "--offset",
    });
  if (o.categorical === "auto")
    throw new InputError(
      `option '--categorical': one-hot encoding needs the rows in memory (--engine memory)`,
      { option: "--categorical" },
    );
}

/**
 * Reads the Gaussian statistics of `file` through an engine; says so on stderr when the memory
 * engine was chosen by default and the table does not fit the memory budget.
 */
export async function engineData(
  engine: Exclude<EngineName, "memory">,
  file: string,
  o: InputCliOptions,
  folds: Folds | null,
): Promise<EngineData> {
  const { missing } = readOptions(o);
  const e = await openEngine(engine, file);
  const data = await gaussianFromEngine(e, {
    target: o.target,
    missing,
    folds,
    weights: o.weights,
    ...columnChoice(o),
  });
  if (data.constant.length)
    process.stderr.write(
      `regularize: warning: constant column${data.constant.length > 1 ? "s" : ""} ${data.constant.slice(0, 8).join(", ")}: coefficient 0 at every λ\n`,
    );
  if (data.dropped)
    process.stderr.write(`regularize: ${data.dropped} rows with missing values left out\n`);
  return data;
}

/** The engine reading `file`. */
export async function openEngine(
  engine: Exclude<EngineName, "memory">,
  file: string,
): Promise<TableEngine> {
  return engine === "clickhouse" ? clickhouseEngine(file) : duckdbEngine(file);
}

/**
 * Whether a failed in-memory read moves to the duckdb engine: the table does not fit the memory
 * budget, no engine was asked for, and the fit is one the engine does (says so in one line).
 */
export function fallsBack(
  e: unknown,
  asked: EngineName | undefined,
  o: InputCliOptions & { family: string },
): boolean {
  if (!(e instanceof TooBigError) || asked !== undefined) return false;
  if (o.categorical === "auto") return false;
  if (o.family !== "gaussian" && o.family !== "binomial" && o.family !== "poisson") return false;
  process.stderr.write(
    "regularize: the table does not fit the memory budget; fitting from SQL sums with --engine duckdb\n",
  );
  return true;
}
