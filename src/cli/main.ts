#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { EngineError, InputError, OutputError } from "../errors.js";
import { runCv } from "./cv.js";
import { runExplain } from "./explain.js";
import { runPath } from "./path.js";
import { runFit } from "./fit.js";
import { runPredict } from "./predict.js";
import { runAssess } from "./assess.js";
import { reasonOf } from "./output.js";
import { runTrain } from "./train.js";
// Products on the cores (Node's helper threads); the fold worker pool only with --workers (below).
import "../platform/nodeThreads.js";
import { setThreads } from "../wasm/threads.js";
import { parseOptions } from "./parse.js";
import { buildProgram, type Action } from "./program.js";
import {
  ASSESS_OPTIONS,
  CV_OPTIONS,
  DATASETS,
  DEMO_OPTIONS,
  EXPLAIN_OPTIONS,
  FIT_OPTIONS,
  PATH_OPTIONS,
  PREDICT_OPTIONS,
  TRAIN_OPTIONS,
  COMMANDS,
  type CommandName,
  type CommandSpec,
} from "./schema.js";

const commandSpec = (name: CommandName): CommandSpec => COMMANDS.find((c) => c.name === name)!;

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
const DEMOS: Record<
  (typeof DATASETS)[number],
  {
    family: string;
    stability?: string;
    title: string;
    folds?: string;
    nlambda?: string;
    lambdaMinRatio?: string;
    select?: string;
    time?: string;
    status?: string;
  }
> = {
  diabetes: {
    family: "gaussian",
    stability: "50",
    title: "Lasso on the diabetes data (Efron, Hastie, Johnstone & Tibshirani 2004)",
  },
  breast_cancer: {
    family: "binomial",
    stability: "50",
    title: "L1 logistic regression on the Wisconsin breast-cancer data",
  },
  wine: { family: "multinomial", title: "Multinomial lasso on the wine data (3 cultivars)" },
  digits: {
    family: "multinomial",
    title: "Multinomial lasso on the 8×8 digits data (5 folds, 40 λ down to 0.02·λ_max)",
    folds: "5",
    nlambda: "40",
    lambdaMinRatio: "0.02",
  },
  lung: {
    family: "cox",
    title: "Cox lasso on the NCCTG lung-cancer survival data (λ_min)",
    select: "min",
    time: "time",
    status: "status",
  },
};

/**
 * --threads: the library's cap on the threads of its large products (setThreads). --workers 2
 * or more: the fold worker pool (Node's platform), which the command line registers only when
 * asked — cold workers cost about as much as they save in a one-shot process (2026-12-02: a
 * 20 000 × 40 10-fold CV took 1.26 s in this thread, 1.67 s on two workers; 200 000 × 40,
 * 7.7 s and 7.95 s).
 */
async function platformOptions<T extends { threads?: number; workers?: number }>(o: T): Promise<T> {
  if (o.threads !== undefined) setThreads(o.threads);
  if ((o.workers ?? 0) >= 2) await import("../platform/node.js");
  return o;
}

/** The commands' work: each parses its options by the schema, then runs. */
const ACTIONS: Record<CommandName, Action> = {
  path: async ([data], o) => runPath(data, await platformOptions(parseOptions(PATH_OPTIONS, o))),
  cv: async ([data], o) => runCv(data, await platformOptions(parseOptions(CV_OPTIONS, o))),
  explain: ([data], o) =>
    runExplain(data, parseOptions(EXPLAIN_OPTIONS, o, commandSpec("explain"))),
  train: ([data], o) => runTrain(data, parseOptions(TRAIN_OPTIONS, o)),
  fit: async ([data], o) => runFit(data, await platformOptions(parseOptions(FIT_OPTIONS, o))),
  predict: ([model, data], o) => runPredict(model, data, parseOptions(PREDICT_OPTIONS, o)),
  assess: ([model, data], o) => runAssess(model, data, parseOptions(ASSESS_OPTIONS, o)),
  demo: async (_, o) => {
    const { dataset, demoReport } = parseOptions(DEMO_OPTIONS, o);
    const demo = DEMOS[dataset];
    // The demo's options go through the same parser as a typed command line.
    const options: Raw = {
      family: demo.family,
      select: demo.select ?? "1se",
      dropRedundant: true,
      report: demoReport ?? `regularize-${dataset}.html`,
    };
    for (const k of ["folds", "nlambda", "lambdaMinRatio", "time", "status", "stability"] as const)
      if (demo[k] !== undefined) options[k] = demo[k];
    await runFit(join(DATA_DIR, `${dataset}.csv`), parseOptions(FIT_OPTIONS, options), demo.title);
  },
};

type Raw = Record<string, unknown>;

export async function main(argv: string[]): Promise<number> {
  // Output goes through fs.writeSync (src/cli/output.ts); an error event of the stream itself
  // (help text on a closed pipe) is reported like any other write failure.
  let streamError: NodeJS.ErrnoException | undefined;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => (streamError = e));
  try {
    const prog = buildProgram(ACTIONS);
    if (argv.length === 0) {
      process.stderr.write(prog.helpInformation());
      return 2;
    }
    await prog.parseAsync(argv, { from: "user" });
    if (streamError)
      throw new OutputError(`cannot write to standard output: ${reasonOf(streamError)}`);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return 0;
      process.stderr.write(`regularize: ${e.message.replace(/^error: /, "").split("\n")[0]}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`regularize: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof OutputError || e instanceof EngineError) {
      process.stderr.write(`regularize: ${oneLine(e.message)}\n`);
      return 1;
    }
    process.stderr.write(`regularize: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** A message on one line: line breaks shown as ⏎. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, " ⏎ ");
}

process.exitCode = await main(process.argv.slice(2));
