import { performance } from "node:perf_hooks";
import { InputError } from "../errors.js";
import { sparseFormatOf } from "../io/sparseText.js";
import { quoteCell } from "../io/assemble.js";
import { formatBytes, readTable } from "../io/table.js";
import { columnChoice, readDesign, readOptions } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import { trainMlp, type TrainOptions } from "../nn/train.js";
import { epochChart, histogramChart } from "../report/charts.js";
import { escapeHtml, htmlTable, renderReport } from "../report/html.js";
import { alignTable } from "./format.js";
import { inFlags, type Parsed } from "./parse.js";
import { TRAIN_OPTIONS } from "./schema.js";
import { progressBar } from "./progress.js";

/** The options of `regularize train`, typed by the schema. */
export type TrainCliOptions = Parsed<typeof TRAIN_OPTIONS>;

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

function inferTask(y: Float64Array): "classification" | "regression" {
  const k = new Set(y).size;
  return y.every((v) => Number.isInteger(v)) && k <= 50 ? "classification" : "regression";
}

/** Runs `regularize train`: fits the network, prints the history, writes JSON if asked. */
export async function runTrain(file: string, o: TrainCliOptions): Promise<void> {
  const { hidden } = o;
  const options: TrainOptions & { batchSize: number } = {
    hidden: o.hidden,
    activation: o.activation,
    dropout: o.dropout,
    batchNorm: o.batchNorm,
    layerNorm: o.layerNorm,
    optimizer: o.optimizer,
    lr: o.lr,
    weightDecay: o.weightDecay,
    l1: o.l1,
    group: o.group,
    labelSmoothing: o.labelSmoothing,
    mixup: o.mixup,
    cutmix: o.cutmix,
    imageShape: o.imageShape,
    inputNoise: o.inputNoise,
    featureDropout: o.featureDropout,
    clipNorm: o.clipNorm,
    schedule: o.schedule,
    warmupEpochs: o.warmupEpochs,
    epochs: o.epochs,
    batchSize: o.batchSize,
    earlyStopping: o.earlyStopping,
    validationSplit: o.validationSplit,
    pruneFraction: o.prune,
    pruneEpochs: o.prune ? o.pruneEpochs : undefined,
    seed: o.seed,
    dtype: o.dtype,
  };
  const mcT = o.mcDropout;
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
      ...columnChoice(o),
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
    // The library names its options; say them as this command's flags (the schema's `sets`).
    throw e instanceof InputError ? inFlags(e, TRAIN_OPTIONS) : e;
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
