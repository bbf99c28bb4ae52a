import { performance } from "node:perf_hooks";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { sparseFormatOf } from "../io/sparseText.js";
import { quoteCell } from "../io/assemble.js";
import { formatBytes, readTable } from "../io/table.js";
import { addInputOptions, readDesign, readOptions, type InputCliOptions } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import type { ActivationName } from "../nn/layers.js";
import { OPTIMIZERS, trainMlp, type OptimizerName, type TrainOptions } from "../nn/train.js";
import { epochChart, histogramChart } from "../report/charts.js";
import { escapeHtml, htmlTable, renderReport } from "../report/html.js";
import { alignTable } from "./format.js";
import { intOption, listOption, numberOption } from "./parse.js";
import { progressBar } from "./progress.js";

export interface TrainCliOptions extends InputCliOptions {
  target?: string;
  task?: string;
  hidden: string;
  activation: string;
  dropout?: string;
  batchNorm?: boolean;
  layerNorm?: boolean;
  optimizer: string;
  lr?: string;
  weightDecay?: string;
  l1?: string;
  group?: string;
  labelSmoothing?: string;
  mixup?: string;
  cutmix?: string;
  imageShape?: string;
  inputNoise?: string;
  featureDropout?: string;
  clipNorm?: string;
  schedule?: string;
  warmupEpochs?: string;
  epochs: string;
  batchSize: string;
  earlyStopping?: string;
  validationSplit?: string;
  prune?: string;
  pruneEpochs?: string;
  mcDropout?: string;
  test?: string;
  seed: string;
  dtype: string;
  json?: string;
  report?: string;
}

/** The options of `regularize train`. */
export function addTrainOptions(cmd: Command): Command {
  return addInputOptions(cmd)
    .option("--target <name>", "target column (default: the last column)")
    .option("--task <task>", "classification or regression (default: inferred from the target)")
    .option("--hidden <sizes>", "hidden layer sizes, comma-separated", "256,256")
    .option("--activation <name>", "relu, gelu, tanh or sigmoid", "relu")
    .option("--dropout <p>", "dropout rate after each hidden layer")
    .option("--batch-norm", "batch normalization after each hidden Dense layer")
    .option("--layer-norm", "layer normalization after each hidden Dense layer")
    .option("--optimizer <name>", OPTIMIZERS.join(", "), "adamw")
    .option("--lr <rate>", "learning rate (default 1e-3; 0.05 for sgd, momentum, proxsgd)")
    .option("--weight-decay <wd>", "decoupled for adamw (default 0.01), coupled L2 otherwise")
    .option("--l1 <lambda>", "L1: proximal with proxsgd/proxadam, in the loss otherwise")
    .option("--group <lambda>", "group lasso over each neuron's incoming weights (proximal)")
    .option("--label-smoothing <eps>", "label smoothing for classification")
    .option("--mixup <a>", "mixup with λ ~ Beta(a, a)")
    .option("--cutmix <a>", "cutmix for square image inputs with λ ~ Beta(a, a)")
    .option("--image-shape <HxW>", "height × width of image inputs for cutmix (default square)")
    .option("--input-noise <sd>", "Gaussian noise on the standardized inputs")
    .option("--feature-dropout <p>", "drop input features with this probability")
    .option("--clip-norm <c>", "clip the gradient's global norm to c")
    .option("--schedule <name>", "learning-rate schedule: constant, step or cosine", "constant")
    .option("--warmup-epochs <e>", "linear learning-rate warmup over e epochs")
    .option("--epochs <e>", "maximum number of epochs", "50")
    .option("--batch-size <b>", "mini-batch size", "32")
    .option("--early-stopping <patience>", "stop after this many epochs without improvement")
    .option(
      "--validation-split <f>",
      "fraction held out for validation (default 0.1 with early stopping)",
    )
    .option(
      "--prune <fraction>",
      "magnitude-prune this fraction of each weight matrix, then fine-tune",
    )
    .option("--prune-epochs <e>", "fine-tuning epochs after pruning", "10")
    .option("--mc-dropout <T>", "also report Monte Carlo dropout on the test data with T passes")
    .option("--test <file>", "CSV file with the same columns, evaluated after training")
    .option("--seed <s>", "seed for initialization, shuffling, dropout and augmentation", "1")
    .option("--dtype <type>", "float64 or float32 (faster)", "float64")
    .option(
      "--report <file>",
      "write a self-contained HTML report (loss curves, zeros, histograms)",
    );
}

/** A column-major n × p block as row-major. */
function rowMajor(data: Float64Array, n: number, p: number): Float64Array {
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) x[i * p + j] = data[j * n + i];
  return x;
}

interface Table {
  names: string[];
  columns: Float64Array[];
  nRows: number;
}

/**
 * Row-major features (in `features` order, matched by name) and the target of a table; a one-hot
 * column (in `made`) of a level absent from the table is a column of zeros.
 */
function rowsOf(
  t: Table,
  features: string[],
  target: string,
  file: string,
  made = new Set<string>(),
) {
  const idx = features.map((f) => {
    const c = t.names.indexOf(f);
    if (c < 0 && !made.has(f))
      throw new InputError(`${file}: missing feature column '${f}'`, { file, column: f });
    return c;
  });
  const tc = t.names.indexOf(target);
  if (tc < 0)
    throw new InputError(`${file}: no column named '${target}' (columns: ${t.names.join(", ")})`, {
      file,
      column: target,
    });
  const p = features.length;
  const x = new Float64Array(t.nRows * p);
  for (let j = 0; j < p; j++) {
    if (idx[j] < 0) continue;
    const col = t.columns[idx[j]];
    for (let i = 0; i < t.nRows; i++) x[i * p + j] = col[i];
  }
  return { x, y: t.columns[tc], n: t.nRows };
}

function imageShapeOption(text: string): [number, number] {
  const m = /^(\d+)[x×](\d+)$/.exec(text.trim());
  if (!m || +m[1] < 1 || +m[2] < 1)
    throw new InputError(`option '--image-shape': expected HxW such as 8x8, got '${text}'`, {
      option: "--image-shape",
    });
  return [+m[1], +m[2]];
}

function inferTask(y: Float64Array): "classification" | "regression" {
  const k = new Set(y).size;
  return y.every((v) => Number.isInteger(v)) && k <= 50 ? "classification" : "regression";
}

/** Runs `regularize train`: fits the network, prints the history, writes JSON if asked. */
export async function runTrain(file: string, o: TrainCliOptions): Promise<void> {
  if (o.task !== undefined && o.task !== "classification" && o.task !== "regression")
    throw new InputError(
      `option '--task': expected classification or regression, got '${o.task}'`,
      { option: "--task" },
    );
  const opt = (name: string, text: string | undefined, min = 0, max = Infinity) =>
    text === undefined ? undefined : numberOption(name, text, min, max);
  const optional = (name: string, text: string | undefined) =>
    text === undefined ? undefined : intOption(name, text);
  if (!OPTIMIZERS.includes(o.optimizer as OptimizerName))
    throw new InputError(
      `option '--optimizer': unknown '${o.optimizer}' (${OPTIMIZERS.join(", ")})`,
      { option: "--optimizer" },
    );
  if (!["relu", "gelu", "tanh", "sigmoid"].includes(o.activation))
    throw new InputError(
      `option '--activation': unknown '${o.activation}' (relu, gelu, tanh, sigmoid)`,
      { option: "--activation" },
    );
  if (!["constant", "step", "cosine"].includes(o.schedule ?? "constant"))
    throw new InputError(`option '--schedule': unknown '${o.schedule}' (constant, step, cosine)`, {
      option: "--schedule",
    });
  const hidden = listOption("--hidden", o.hidden);
  if (!hidden.every((h) => Number.isInteger(h) && h >= 1 && h <= 1e7) || hidden.length > 1000)
    throw new InputError(`option '--hidden': layer sizes must be integers ≥ 1, got '${o.hidden}'`, {
      option: "--hidden",
    });
  const epochs = intOption("--epochs", o.epochs, 1, 1e6);
  const options: TrainOptions & { batchSize: number } = {
    hidden,
    activation: o.activation as ActivationName,
    dropout: opt("--dropout", o.dropout, 0, 0.99),
    batchNorm: o.batchNorm,
    layerNorm: o.layerNorm,
    optimizer: o.optimizer as OptimizerName,
    lr: opt("--lr", o.lr, 1e-12, 100),
    weightDecay: opt("--weight-decay", o.weightDecay),
    l1: opt("--l1", o.l1),
    group: opt("--group", o.group),
    labelSmoothing: opt("--label-smoothing", o.labelSmoothing, 0, 0.99),
    mixup: opt("--mixup", o.mixup),
    cutmix: opt("--cutmix", o.cutmix),
    imageShape: o.imageShape === undefined ? undefined : imageShapeOption(o.imageShape),
    inputNoise: opt("--input-noise", o.inputNoise),
    featureDropout: opt("--feature-dropout", o.featureDropout, 0, 0.99),
    clipNorm: opt("--clip-norm", o.clipNorm, 1e-12),
    schedule: o.schedule as TrainOptions["schedule"],
    warmupEpochs: opt("--warmup-epochs", o.warmupEpochs),
    epochs,
    batchSize: intOption("--batch-size", o.batchSize, 1, 1e9),
    earlyStopping: optional("--early-stopping", o.earlyStopping),
    validationSplit: opt("--validation-split", o.validationSplit, 0, 0.9),
    pruneFraction: opt("--prune", o.prune, 0, 0.999),
    pruneEpochs: o.prune ? intOption("--prune-epochs", o.pruneEpochs ?? "10", 0) : undefined,
    seed: intOption("--seed", o.seed, 0),
    dtype: o.dtype as TrainOptions["dtype"],
  };
  if (o.dtype !== "float64" && o.dtype !== "float32")
    throw new InputError(`option '--dtype': expected float64 or float32, got '${o.dtype}'`, {
      option: "--dtype",
    });
  const mcT = optional("--mc-dropout", o.mcDropout);
  if (mcT && !options.dropout)
    throw new InputError("option '--mc-dropout' needs --dropout", { option: "--mc-dropout" });
  if (options.earlyStopping !== undefined && options.validationSplit === 0)
    throw new InputError(
      "option '--early-stopping': needs validation rows to stop on (--validation-split is 0)",
      { option: "--early-stopping" },
    );
  const { memoryBudget } = readOptions(o);
  checkOutputs(
    (
      [
        ["--json", o.json],
        ["--report", o.report],
      ] as const
    )
      .filter(([, f]) => f !== undefined)
      .map(([flag, path]) => ({ flag, path: path! })),
    [file, ...(o.test ? [o.test] : [])],
  );

  // ---- data ----
  if (sparseFormatOf(file))
    throw new InputError(
      `${file}: sparse input (svmlight, Matrix Market) is not supported by train; the network takes tables (CSV, Parquet, …)`,
      { file },
    );
  const design = await readDesign(file, o);
  const { table, target, features } = design;
  if (design.x.kind !== "dense") throw new Error("unreachable: a table gives a dense design");
  const train = {
    x: rowMajor(design.x.data, design.x.nRows, features.length),
    y: design.y,
    n: design.x.nRows,
  };
  const task = (o.task as "classification" | "regression" | undefined) ?? inferTask(train.y);
  options.task = task;
  if (task === "classification" && new Set(train.y).size > 1000)
    throw new InputError(
      `${file}: column '${target}' has ${new Set(train.y).size} distinct values; too many classes (use --task regression?)`,
      { file, column: target },
    );
  if (task === "regression" && table.targetLevels)
    throw new InputError(
      `${file}: target column '${target}' holds text labels; regression needs numbers`,
      { file, column: target },
    );
  if (options.batchSize > train.n)
    throw new InputError(
      `option '--batch-size': ${options.batchSize} is larger than the ${train.n} training rows`,
      { option: "--batch-size" },
    );
  // weights, gradients and the optimizer's moments: about six doubles per parameter
  const classesOut = task === "classification" ? Math.max(1, new Set(train.y).size) : 1;
  const widths = [features.length, ...hidden, classesOut];
  let params = 0;
  for (let l = 1; l < widths.length; l++) params += (widths[l - 1] + 1) * widths[l];
  const need = params * 8 * 6 + options.batchSize * Math.max(...widths) * 8 * 4 * widths.length;
  if (need > memoryBudget)
    throw new InputError(
      `option '--hidden': a network ${widths.join(" → ")} has ${params.toExponential(2)} parameters and needs about ${formatBytes(need)} to train, more than the memory budget of ${formatBytes(memoryBudget)} (--memory-budget)`,
      { option: "--hidden" },
    );
  // Read and check the test file before any training.
  let test: ReturnType<typeof rowsOf> | undefined;
  if (o.test) {
    const tt = await readTable(o.test, {
      ...readOptions(o),
      target,
      textColumns: table.encodings.map((e) => e.column),
      categoricalColumns: table.encodings.map((e) => e.column),
    });
    test = rowsOf(tt, features, target, o.test, new Set(table.encodings.flatMap((e) => e.names)));
    for (const enc of tt.encodings) {
      const known = table.encodings.find((e) => e.column === enc.column)!;
      const unseen = enc.levels.find((l) => !known.levels.includes(l));
      if (unseen !== undefined)
        throw new InputError(
          `${o.test}: column '${enc.column}' has the value ${quoteCell(unseen)}, which the training data never had`,
          { file: o.test, column: enc.column },
        );
    }
    // text labels: the test file's codes mapped to the training file's
    if (table.targetLevels || tt.targetLevels) {
      const trainLabels = table.targetLevels ?? [];
      const testLabels = tt.targetLevels ?? [];
      const bad = Array.from(test.y).findIndex((v) => !trainLabels.includes(testLabels[v]));
      if (bad >= 0 || !table.targetLevels || !tt.targetLevels)
        throw new InputError(
          `${o.test}: row ${tt.rowNumbers?.[Math.max(bad, 0)] ?? Math.max(bad, 0) + 1}, column '${target}': label ${quoteCell(String(testLabels[test.y[Math.max(bad, 0)]] ?? test.y[Math.max(bad, 0)]))} does not occur in the training data`,
          { file: o.test, column: target },
        );
      test.y = Float64Array.from(test.y, (v) => trainLabels.indexOf(testLabels[v]));
    }
    if (task === "classification") {
      const known = new Set(train.y);
      const bad = Array.from(test.y).findIndex((v) => !known.has(v));
      if (bad >= 0)
        throw new InputError(
          `${o.test}: row ${tt.rowNumbers?.[bad] ?? bad + 1}, column '${target}': class ${test.y[bad]} does not occur in the training data`,
          { file: o.test, row: tt.rowNumbers?.[bad] ?? bad + 1, column: target },
        );
    }
  }
  const tty = process.stderr.isTTY === true;
  const bar = tty ? progressBar("training", process.stderr) : null;
  const t0 = performance.now();
  let fit: ReturnType<typeof trainMlp>;
  try {
    fit = trainMlp(train.x, train.y, train.n, features.length, {
      ...options,
      histogramBins: o.report ? 40 : undefined,
      onStep: bar ? (done, total) => bar.update(done, total) : undefined,
    });
  } catch (e) {
    bar?.done();
    // The library names its options in camelCase; say them as this command spells them.
    if (e instanceof InputError)
      throw new InputError(
        e.message.replace(/'([a-z][A-Za-z]*)'/g, (m, k: string) =>
          k in options || k === "imageShape"
            ? `'--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}'`
            : m,
        ),
        e.where,
      );
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  bar?.done();
  const history = fit.history.map((r) => ({
    epoch: r.epoch,
    phase: r.phase,
    trainLoss: r.trainLoss,
    valLoss: r.valLoss,
    ...(task === "classification" ? { valAccuracy: r.valAccuracy } : { valRmse: r.valRmse }),
    zeroFraction: r.zeroFraction,
    zeroFractionPerLayer: r.zeroFractionPerLayer,
  }));
  const testResult = test ? fit.evaluate(test.x, test.y, test.n) : undefined;
  let mc: { accuracy?: number; rmse?: number; meanSd: number; passes: number } | undefined;
  if (test && mcT) {
    const r = fit.mcPredict(test.x, test.n, mcT, options.seed);
    const K = r.outputs;
    let good = 0;
    let sq = 0;
    for (let i = 0; i < test.n; i++) {
      if (task === "regression") sq += (r.mean[i] - test.y[i]) ** 2;
      else if (K === 1) good += fit.classes[r.mean[i] > 0.5 ? 1 : 0] === test.y[i] ? 1 : 0;
      else {
        let b = 0;
        for (let k = 1; k < K; k++) if (r.mean[i * K + k] > r.mean[i * K + b]) b = k;
        good += fit.classes[b] === test.y[i] ? 1 : 0;
      }
    }
    const meanSd = r.sd.reduce((a, b) => a + b, 0) / r.sd.length;
    mc =
      task === "regression"
        ? { rmse: Math.sqrt(sq / test.n), meanSd, passes: mcT }
        : { accuracy: good / test.n, meanSd, passes: mcT };
  }
  const valSplit = options.validationSplit ?? (options.earlyStopping ? 0.1 : 0);
  const samples = fit.history.length * (train.n - Math.floor(train.n * valSplit));
  const out = {
    data: file,
    target,
    task,
    features,
    classes:
      task === "classification"
        ? fit.classes.map((c) => (table.targetLevels ? table.targetLevels[c] : c))
        : undefined,
    options: { ...options, mcDropout: mcT },
    history,
    bestEpoch: fit.bestEpoch,
    test: testResult,
    mcDropout: mc,
    fitSeconds: seconds,
    samplesPerSecond: samples / seconds,
  };
  const f = (v: number | null | undefined, d = 4) =>
    v === null || v === undefined ? "-" : v.toFixed(d);
  // At most about 25 rows: every k-th epoch, the best and the last.
  const every = Math.max(1, Math.ceil(fit.history.length / 25));
  const shown = fit.history.filter(
    (r, i) => i % every === 0 || r.epoch === fit.bestEpoch || i === fit.history.length - 1,
  );
  const rows = shown.map((r) => [
    String(r.epoch) +
      (r.epoch === fit.bestEpoch ? "*" : "") +
      (r.phase === "fine-tune" ? " ft" : ""),
    f(r.trainLoss),
    f(r.valLoss),
    task === "classification" ? f(r.valAccuracy) : f(r.valRmse),
    f(r.zeroFraction, 3),
  ]);
  const outputs = new Outputs();
  outputs.print(
    `${task === "classification" ? `Classification (${fit.classes.length} classes)` : "Regression"} of '${target}' on ${features.length} features, ${train.n} rows; network ${[features.length, ...hidden, task === "classification" && fit.classes.length > 2 ? fit.classes.length : 1].join(" → ")}, ${options.optimizer}\n`,
  );
  outputs.print(
    alignTable(
      [
        "epoch",
        "train loss",
        "val loss",
        task === "classification" ? "val acc" : "val rmse",
        "zeros",
      ],
      rows,
    ),
  );
  const restored = fit.bestEpoch !== fit.history.length || options.earlyStopping !== undefined;
  outputs.print(
    `weights of epoch ${fit.bestEpoch} (*${restored ? ", the best by validation loss, restored" : ", the last"}); ${seconds.toFixed(2)} s\n`,
  );
  if (testResult)
    outputs.print(
      `test (${o.test}, ${test!.n} rows): loss ${testResult.loss.toFixed(4)}, ${task === "classification" ? `accuracy ${testResult.accuracy!.toFixed(4)}` : `rmse ${testResult.rmse!.toFixed(4)}`}\n`,
    );
  if (mc)
    outputs.print(
      `MC dropout (${mc.passes} passes): ${mc.accuracy !== undefined ? `accuracy ${mc.accuracy.toFixed(4)}` : `rmse ${mc.rmse!.toFixed(4)}`}, mean predictive sd ${mc.meanSd.toFixed(4)}\n`,
    );
  if (o.json) {
    outputs.file("--json", o.json, JSON.stringify(out, null, 1) + "\n");
  }
  if (o.report) {
    const h = fit.history;
    const layerNames = h[0].zeroFractionPerLayer.map((_, l) => `Dense ${l + 1}`);
    const last = h[h.length - 1].weightHistograms!;
    const charts = [
      epochChart(
        "loss",
        "Training and validation loss",
        task === "regression" ? "Loss (mean-squared error, target units²)" : "Loss (cross-entropy)",
        [
          { name: "training", values: h.map((r) => r.trainLoss) },
          { name: "validation", values: h.map((r) => r.valLoss) },
        ],
        `Loss per epoch; the model keeps the weights of epoch ${fit.bestEpoch}.`,
      ),
      ...(task === "classification" && h.some((r) => r.valAccuracy !== null)
        ? [
            epochChart(
              "accuracy",
              "Validation accuracy",
              "Accuracy (fraction correct)",
              [{ name: "validation", values: h.map((r) => r.valAccuracy) }],
              "Fraction of validation rows classified correctly after each epoch.",
            ),
          ]
        : []),
      epochChart(
        "zeros",
        "Exactly-zero weights per layer",
        "Fraction of weights exactly 0",
        layerNames.map((name, l) => ({ name, values: h.map((r) => r.zeroFractionPerLayer[l]) })),
        "The sparsity monitor: proximal optimizers (proxsgd, proxadam) and pruning set weights exactly to zero; penalties in the loss do not.",
      ),
      histogramChart(last.map((hh, l) => ({ name: layerNames[l], ...hh }))),
    ];
    const html = await renderReport(
      `regularize train: ${target}`,
      `Generated by regularize from <code>${escapeHtml(file)}</code>.`,
      [
        {
          heading: "Data and network",
          html: htmlTable(
            ["", ""],
            [
              ["data", file],
              ["task", task],
              [
                "network",
                [
                  features.length,
                  ...hidden,
                  task === "classification" && fit.classes.length > 2 ? fit.classes.length : 1,
                ].join(" → "),
              ],
              [
                "optimizer",
                `${options.optimizer} (lr ${options.lr ?? "default"}, weight decay ${options.weightDecay ?? "default"}, L1 ${options.l1 ?? 0})`,
              ],
              ["dropout", String(options.dropout ?? 0)],
              ["epochs run", `${h.length} (weights of epoch ${fit.bestEpoch})`],
              ...(testResult
                ? [
                    [
                      "test",
                      task === "classification"
                        ? `accuracy ${testResult.accuracy!.toFixed(4)}, loss ${testResult.loss.toFixed(4)}`
                        : `RMSE ${testResult.rmse!.toFixed(4)}`,
                    ],
                  ]
                : []),
            ],
          ),
        },
        { heading: "Training", charts },
      ],
    );
    outputs.file("--report", o.report, html);
    outputs.print(`report written to ${o.report}\n`);
  }
  outputs.commit();
}
