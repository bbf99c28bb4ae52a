#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { EngineError, InputError, OutputError } from "../errors.js";
import { addCvOptions, runCv, type CvCliOptions } from "./cv.js";
import { runExplain, type ExplainCliOptions } from "./explain.js";
import { addPathOptions, runPath, type PathCliOptions } from "./path.js";
import { addFitOptions, runFit, type FitCliOptions } from "./fit.js";
import { runPredict, type PredictCliOptions } from "./predict.js";
import { runAssess, type AssessCliOptions } from "./assess.js";
import { reasonOf } from "./output.js";
import { VERSION } from "./version.js";
import { addTrainOptions, runTrain, type TrainCliOptions } from "./train.js";

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
const DEMOS: Record<
  string,
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

function program(): Command {
  const prog = new Command("regularize")
    .description(
      "Regularized learning: lasso / elastic-net / ridge paths with exact zeros and certificates.",
    )
    .version(VERSION, "--version", "the version (from package.json)")
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showSuggestionAfterError(false);

  addPathOptions(
    prog
      .command("path")
      .description("fit the whole regularization path and print it (λ, df, %dev) or write JSON")
      .argument("<data>", "CSV file with a header row"),
  )
    .option("--repeat <n>", "fit N times in the same process (timings in fitSeconds)", "1")
    .option("--json <file>", "write the path as JSON to this file")
    .addHelpText(
      "after",
      "\nExamples:\n  regularize path data/diabetes.csv\n  regularize path data.csv --target y --alpha 0.5 --json path.json\n",
    )
    .action((data: string, o: PathCliOptions) => runPath(data, o));

  addCvOptions(
    addPathOptions(
      prog
        .command("cv")
        .description("cross-validate the path and choose λ (lambda.min, lambda.1se)")
        .argument("<data>", "CSV file with a header row"),
    ),
  )
    .option("--json <file>", "write the path and the curve as JSON to this file")
    .addHelpText(
      "after",
      "\nExamples:\n  regularize cv data/diabetes.csv\n  regularize cv data/breast_cancer.csv --family binomial --measure auc --folds 5\n  regularize cv data.csv --foldid folds.txt --json cv.json\n",
    )
    .action((data: string, o: CvCliOptions) => runCv(data, o));

  addPathOptions(
    prog
      .command("explain")
      .description(
        "why each weight is zero or not at one λ: gradient against the dead-zone threshold",
      )
      .argument("<data>", "CSV file with a header row"),
  )
    .option("--json <file>", "write the explanation as JSON to this file")
    .addHelpText(
      "after",
      "\nThe --lambda option gives the one λ to explain.\n\nExamples:\n  regularize explain data/diabetes.csv --lambda 1.5\n  regularize explain data/breast_cancer.csv --family binomial --lambda 0.02 --json why.json\n",
    )
    .action((data: string, o: ExplainCliOptions) => runExplain(data, o));

  addTrainOptions(
    prog
      .command("train")
      .description(
        "train a multilayer perceptron with dropout, weight decay, proximal sparsity, early stopping",
      )
      .argument("<data>", "CSV file with a header row"),
  )
    .option("--json <file>", "write the history, best epoch and test results as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  regularize train data/digits.csv --dropout 0.3 --label-smoothing 0.1 --early-stopping 10\n  regularize train train.csv --test test.csv --optimizer proxadam --l1 1e-3 --json run.json\n  regularize train data/diabetes.csv --task regression --hidden 64 --epochs 200\n",
    )
    .action((data: string, o: TrainCliOptions) => runTrain(data, o));

  addFitOptions(
    prog
      .command("fit")
      .description(
        "the main job: path, cross-validated λ, the selected model (with stability and 'why zero'), report, saved model",
      )
      .argument(
        "<data>",
        "data file: .csv, .tsv, .parquet or .arrow, with a header / named columns",
      ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  regularize fit data/diabetes.csv --report report.html --save model.json\n  regularize fit data/breast_cancer.csv --family binomial --stability 50 --select min\n  regularize fit data.parquet --target y --penalty elastic-net --alpha 0.3 --categorical auto --missing mean\n  regularize fit data.csv --penalty group --groups groups.csv --json fit.json\n",
    )
    .action((data: string, o: FitCliOptions) => runFit(data, o));

  prog
    .command("predict")
    .description("apply a saved model (regularize fit --save) to new data; columns matched by name")
    .argument("<model>", "model JSON written by regularize fit --save")
    .argument("<data>", "data file with the model's feature columns")
    .option("--out <file>", "write the predictions as CSV (default: standard output)")
    .option("--missing <policy>", "missing cells: error, drop (the row) or mean", "error")
    .option("--labels <file>", "Matrix Market (.mtx) input: its labels file, one per line")
    .option("--keep <columns>", "copy these columns (an id) into the predictions, comma-separated")
    .option("--memory-budget <size>", "largest table to hold in memory, e.g. 8G")
    .option(
      "--times <list>",
      "Cox models: survival probabilities S(t | x) at these times (comma-separated)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  regularize predict model.json new.csv --out predictions.csv\n  regularize predict model.json scoring.parquet --keep id --out scores.csv\n  regularize predict cox-model.json patients.csv --times 180,365,730\n",
    )
    .action((model: string, data: string, o: PredictCliOptions) => runPredict(model, data, o));

  prog
    .command("assess")
    .description(
      "a saved model's measures on data holding its target (glmnet's assess.glmnet, ROC, confusion)",
    )
    .argument("<model>", "model JSON written by regularize fit --save")
    .argument("<data>", "data file with the model's feature and target columns")
    .option("--json <file>", "write the measures, ROC curve and confusion matrix as JSON")
    .option("--missing <policy>", "missing cells: error, drop (the row) or mean", "error")
    .option("--labels <file>", "Matrix Market (.mtx) input: its labels file, one per line")
    .option("--memory-budget <size>", "largest table to hold in memory, e.g. 8G")
    .addHelpText(
      "after",
      "\nExamples:\n  regularize assess model.json test.csv\n  regularize assess cox-model.json patients.csv --json assessment.json\n",
    )
    .action((model: string, data: string, o: AssessCliOptions) => runAssess(model, data, o));

  prog
    .command("demo")
    .description("the main job (regularize fit) on an embedded dataset, with its report")
    .option("--dataset <name>", `one of: ${Object.keys(DEMOS).join(", ")}`, "diabetes")
    .option("--report <file>", "where to write the report (default: regularize-DATASET.html)")
    .addHelpText(
      "after",
      "\nExamples:\n  regularize demo\n  regularize demo --dataset breast_cancer --report bc.html\n",
    )
    .action(async (o: { dataset: string; report?: string }) => {
      const demo = DEMOS[o.dataset];
      if (!demo)
        throw new InputError(
          `option '--dataset': unknown dataset '${o.dataset}' (available: ${Object.keys(DEMOS).join(", ")})`,
          { option: "--dataset" },
        );
      await runFit(
        join(DATA_DIR, `${o.dataset}.csv`),
        {
          family: demo.family,
          penalty: "lasso",
          folds: demo.folds ?? "10",
          nlambda: demo.nlambda,
          lambdaMinRatio: demo.lambdaMinRatio,
          select: demo.select ?? "1se",
          time: demo.time,
          status: demo.status,
          threshold: "0.6",
          seed: "1",
          missing: "error",
          categorical: "none",
          dropRedundant: true,
          stability: demo.stability,
          report: o.report ?? `regularize-${o.dataset}.html`,
        },
        demo.title,
      );
    });
  return prog;
}

export async function main(argv: string[]): Promise<number> {
  // Output goes through fs.writeSync (src/cli/output.ts); an error event of the stream itself
  // (help text on a closed pipe) is reported like any other write failure.
  let streamError: NodeJS.ErrnoException | undefined;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => (streamError = e));
  try {
    const prog = program();
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
