#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { InputError } from "../errors.js";
import { addCvOptions, runCv, type CvCliOptions } from "./cv.js";
import { runExplain, type ExplainCliOptions } from "./explain.js";
import { addPathOptions, runPath, type PathCliOptions } from "./path.js";
import { addTrainOptions, runTrain, type TrainCliOptions } from "./train.js";

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
const DATASETS = ["diabetes"];

function program(): Command {
  const prog = new Command("regularize")
    .description(
      "Regularized learning: lasso / elastic-net / ridge paths with exact zeros and certificates.",
    )
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

  prog
    .command("demo")
    .description("the lasso path on an embedded dataset")
    .option("--dataset <name>", `one of: ${DATASETS.join(", ")}`, "diabetes")
    .action((o: { dataset: string }) => {
      if (!DATASETS.includes(o.dataset)) {
        throw new InputError(
          `option '--dataset': unknown dataset '${o.dataset}' (available: ${DATASETS.join(", ")})`,
        );
      }
      process.stdout.write(
        `Lasso path on the ${o.dataset} data (Efron, Hastie, Johnstone & Tibshirani 2004), target 'progression':\n`,
      );
      runPath(join(DATA_DIR, `${o.dataset}.csv`), {
        family: "gaussian",
        standardize: true,
        intercept: true,
        repeat: "1",
      });
    });
  return prog;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
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
      process.stderr.write(`regularize: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`regularize: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
