import { gamma as gammaDraw } from "../bayes/bayesianLasso.js";
import { InputError } from "../errors.js";
import { Random } from "../random.js";
import {
  Activation,
  BatchNorm,
  Dense,
  Dropout,
  LayerNorm,
  type ActivationName,
  type Init,
  type Layer,
} from "./layers.js";
import { bceWithLogitsLoss, mseLoss, softmaxCrossEntropyLoss } from "./losses.js";
import {
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  proxAdam,
  proxSgdOptimizer,
  rmsprop,
  sgd,
  type Transform,
} from "./optim.js";
import { Sequential } from "./sequential.js";

export const OPTIMIZERS = [
  "sgd",
  "momentum",
  "adam",
  "adamw",
  "adaml2",
  "rmsprop",
  "adagrad",
  "proxsgd",
  "proxadam",
] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface TrainOptions {
  task?: "classification" | "regression";
  hidden?: number[];
  activation?: ActivationName;
  init?: Init;
  dropout?: number;
  batchNorm?: boolean;
  layerNorm?: boolean;
  optimizer?: OptimizerName;
  lr?: number;
  /** AdamW's decoupled decay; coupled L2 for sgd, momentum, adam(L2), rmsprop. Skips biases and norms. */
  weightDecay?: number;
  /** Proximal L1 (proxsgd, proxadam) on the weight matrices. */
  l1?: number;
  /** Proximal group lasso over each neuron's incoming weights (proxsgd, proxadam). */
  group?: number;
  momentum?: number;
  labelSmoothing?: number;
  /** Mixup with λ ~ Beta(a, a) (0: off). */
  mixup?: number;
  clipNorm?: number;
  epochs?: number;
  batchSize?: number;
  /** Stop after this many epochs without a validation-loss improvement larger than minDelta. */
  earlyStopping?: number;
  minDelta?: number;
  /** Restore the weights of the best epoch at the end (default true with early stopping). */
  restoreBest?: boolean;
  validationSplit?: number;
  seed?: number;
  onEpoch?: (record: EpochRecord) => void;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Fraction of exactly-zero entries over all weight matrices. */
  zeroFraction: number;
  /** The same per Dense layer. */
  zeroFractionPerLayer: number[];
}

export interface TrainedMlp {
  model: Sequential;
  task: "classification" | "regression";
  /** Class labels (classification), in the order of the outputs. */
  classes: number[];
  history: EpochRecord[];
  /** The epoch whose weights the model holds (1-based). */
  bestEpoch: number;
  mean: Float64Array;
  sd: Float64Array;
  /** Outputs (logits, or predictions for regression) for rows of x (row-major n × p). */
  predict(x: Float64Array, n: number): Float64Array;
  /** Loss and accuracy (classification) or RMSE (regression) on labelled data. */
  evaluate(
    x: Float64Array,
    y: ArrayLike<number>,
    n: number,
  ): { loss: number; accuracy?: number; rmse?: number };
}

/**
 * Trains a multilayer perceptron on rows of x (row-major n × p, standardized inside with the
 * training rows' means and sds) with the recipe in `options`: layers Dense → [BatchNorm] →
 * [LayerNorm] → activation → [Dropout] per hidden size, then a Dense output (K logits for K ≥ 3
 * classes, one logit for two, one value for regression); seeded initialization, shuffling and
 * validation split; the optimizer as a chain (clipping first when asked); label smoothing, mixup;
 * early stopping on the validation loss with the best weights restored.
 */
export function trainMlp(
  x: Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  options: TrainOptions = {},
): TrainedMlp {
  const task = options.task ?? "classification";
  if (x.length !== n * p) throw new InputError(`x has ${x.length} values, expected ${n}·${p}`);
  if (y.length !== n)
    throw new InputError(`y has ${y.length} values for ${n} rows`, { option: "y" });
  const rng = new Random(options.seed ?? 1);
  const hidden = options.hidden ?? [256, 256];
  const epochs = options.epochs ?? 50;
  const batchSize = options.batchSize ?? 32;
  const valSplit = options.validationSplit ?? (options.earlyStopping ? 0.1 : 0);
  if (!(valSplit >= 0 && valSplit < 1))
    throw new InputError(`option 'validationSplit': in [0, 1), got ${valSplit}`, {
      option: "validationSplit",
    });
  const classes =
    task === "classification" ? [...new Set(Array.from(y))].sort((a, b) => a - b) : [];
  if (task === "classification" && classes.length < 2)
    throw new InputError("classification needs at least two classes", { option: "target" });
  const K = task === "regression" ? 1 : classes.length === 2 ? 1 : classes.length;
  const label = Float64Array.from(y, (v) => (task === "classification" ? classes.indexOf(v) : v));
  // Shuffle once (seeded) and split off the validation rows.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(order, rng);
  const nVal = Math.floor(n * valSplit);
  const valRows = order.subarray(0, nVal);
  const trainRows = Int32Array.from(order.subarray(nVal));
  const nTrain = trainRows.length;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (const i of trainRows) m += x[i * p + j] / nTrain;
    let v = 0;
    for (const i of trainRows) v += (x[i * p + j] - m) ** 2 / nTrain;
    mean[j] = m;
    sd[j] = Math.sqrt(v) || 1;
  }
  const standardize = (rows: ArrayLike<number>, out: Float64Array) => {
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t];
      for (let j = 0; j < p; j++) out[t * p + j] = (x[i * p + j] - mean[j]) / sd[j];
    }
  };
  // The network.
  const layers: Layer[] = [];
  const weightMask: boolean[] = [];
  const rows: number[] = [];
  let width = p;
  const addLayer = (l: Layer, isDense: boolean) => {
    layers.push(l);
    l.params.forEach((_, k) => {
      weightMask.push(isDense && k === 0);
      rows.push(isDense && k === 0 ? l.outSize : 0);
    });
  };
  for (const h of hidden) {
    addLayer(new Dense(width, h, rng, options.init ?? "torch"), true);
    if (options.batchNorm) addLayer(new BatchNorm(h), false);
    if (options.layerNorm) addLayer(new LayerNorm(h), false);
    addLayer(new Activation(options.activation ?? "relu", h), false);
    if (options.dropout) addLayer(new Dropout(options.dropout, h, rng), false);
    width = h;
  }
  addLayer(new Dense(width, K, rng, options.init ?? "torch"), true);
  const model = new Sequential(layers);
  const opt = makeOptimizer(options, weightMask, rows);
  const state = opt.init(model.params);
  const updates = model.grads;

  const xb = new Float64Array(batchSize * p);
  const xmix = new Float64Array(batchSize * p);
  const yb = new Float64Array(batchSize);
  const ymix = new Float64Array(batchSize);
  const gradOut = new Float64Array(batchSize * K);
  const gradMix = new Float64Array(batchSize * K);
  const smoothing = options.labelSmoothing ?? 0;
  const lossOf = (out: Float64Array, labels: Float64Array, count: number, grad: Float64Array) => {
    const o = out.subarray(0, count * K);
    const l = labels.subarray(0, count);
    const g = grad.subarray(0, count * K);
    if (task === "regression") return mseLoss(o, l, g);
    if (K === 1) {
      const soft = smoothing ? Float64Array.from(l, (v) => v * (1 - smoothing) + smoothing / 2) : l;
      return bceWithLogitsLoss(o, soft, g);
    }
    return softmaxCrossEntropyLoss(o, l, K, g, smoothing);
  };

  // Validation data, standardized once.
  const xVal = new Float64Array(nVal * p);
  standardize(valRows, xVal);
  const yVal = Float64Array.from(valRows, (i) => label[i]);
  const evaluateStd = (xs: Float64Array, ys: Float64Array, count: number) => {
    let loss = 0;
    let correct = 0;
    let sq = 0;
    const gtmp = new Float64Array(Math.min(count, 512) * K);
    for (let s = 0; s < count; s += 512) {
      const c = Math.min(512, count - s);
      const out = model.forward(xs.subarray(s * p, (s + c) * p), c, false);
      loss += lossOf(out, ys.subarray(s, s + c), c, gtmp) * c;
      for (let t = 0; t < c; t++) {
        const truth = ys[s + t];
        if (task === "regression") sq += (out[t] - truth) ** 2;
        else if (K === 1) correct += (out[t] > 0 ? 1 : 0) === truth ? 1 : 0;
        else {
          let best = 0;
          for (let k = 1; k < K; k++) if (out[t * K + k] > out[t * K + best]) best = k;
          correct += best === truth ? 1 : 0;
        }
      }
    }
    return { loss: loss / count, accuracy: correct / count, rmse: Math.sqrt(sq / count) };
  };

  const history: EpochRecord[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestParams: Float64Array[] | null = null;
  let stale = 0;
  const restoreBest = options.restoreBest ?? options.earlyStopping !== undefined;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle(trainRows, rng);
    let total = 0;
    for (let s = 0; s < nTrain; s += batchSize) {
      const c = Math.min(batchSize, nTrain - s);
      if (c < 2 && options.batchNorm) continue; // a lone sample cannot be batch-normalized
      const rowsB = trainRows.subarray(s, s + c);
      standardize(rowsB, xb);
      for (let t = 0; t < c; t++) yb[t] = label[rowsB[t]];
      model.zeroGrad();
      let loss: number;
      if (options.mixup && options.mixup > 0) {
        // Mixup (Zhang et al. 2018): mix each sample with a permuted partner, λ ~ Beta(a, a);
        // the loss is λ·loss(y) + (1 − λ)·loss(y_partner).
        const a = options.mixup;
        const g1 = gammaDraw(rng, a, 1);
        const g2 = gammaDraw(rng, a, 1);
        const lam = g1 / (g1 + g2);
        const perm = Int32Array.from({ length: c }, (_, t) => t);
        shuffle(perm, rng);
        for (let t = 0; t < c; t++) {
          for (let j = 0; j < p; j++)
            xmix[t * p + j] = lam * xb[t * p + j] + (1 - lam) * xb[perm[t] * p + j];
          ymix[t] = yb[perm[t]];
        }
        const out = model.forward(xmix, c, true);
        const l1 = lossOf(out, yb, c, gradOut);
        const l2 = lossOf(out, ymix, c, gradMix);
        for (let i = 0; i < c * K; i++) gradOut[i] = lam * gradOut[i] + (1 - lam) * gradMix[i];
        loss = lam * l1 + (1 - lam) * l2;
      } else {
        const out = model.forward(xb, c, true);
        loss = lossOf(out, yb, c, gradOut);
      }
      model.backward(gradOut.subarray(0, c * K), c);
      opt.update(updates, state, model.params);
      applyUpdates(model.params, updates);
      total += loss * c;
    }
    const val = nVal > 0 ? evaluateStd(xVal, yVal, nVal) : null;
    const perLayer = layers
      .filter((l) => l instanceof Dense)
      .map((l) => {
        const w = l.params[0];
        let z = 0;
        for (let i = 0; i < w.length; i++) if (w[i] === 0) z++;
        return z / w.length;
      });
    let zeros = 0;
    let count = 0;
    for (const l of layers)
      if (l instanceof Dense) {
        const w = l.params[0];
        for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
        count += w.length;
      }
    const record: EpochRecord = {
      epoch,
      trainLoss: total / nTrain,
      valLoss: val ? val.loss : null,
      valAccuracy: val && task === "classification" ? val.accuracy : null,
      zeroFraction: zeros / count,
      zeroFractionPerLayer: perLayer,
    };
    history.push(record);
    options.onEpoch?.(record);
    const monitor = val ? val.loss : record.trainLoss;
    if (monitor < best - (options.minDelta ?? 0)) {
      best = monitor;
      bestEpoch = epoch;
      stale = 0;
      if (restoreBest) bestParams = model.params.map((q) => Float64Array.from(q));
    } else if (options.earlyStopping !== undefined && ++stale >= options.earlyStopping) break;
  }
  if (restoreBest && bestParams) model.params.forEach((q, k) => q.set(bestParams![k]));
  else bestEpoch = history.length;

  const predict = (xNew: Float64Array, count: number) => {
    const xs = new Float64Array(count * p);
    for (let t = 0; t < count; t++)
      for (let j = 0; j < p; j++) xs[t * p + j] = (xNew[t * p + j] - mean[j]) / sd[j];
    const out = new Float64Array(count * K);
    for (let s = 0; s < count; s += 512) {
      const c = Math.min(512, count - s);
      out.set(model.forward(xs.subarray(s * p, (s + c) * p), c, false).subarray(0, c * K), s * K);
    }
    return out;
  };
  return {
    model,
    task,
    classes,
    history,
    bestEpoch,
    mean,
    sd,
    predict,
    evaluate(xNew, yNew, count) {
      const xs = new Float64Array(count * p);
      for (let t = 0; t < count; t++)
        for (let j = 0; j < p; j++) xs[t * p + j] = (xNew[t * p + j] - mean[j]) / sd[j];
      const ys = Float64Array.from(yNew, (v) =>
        task === "classification" ? classes.indexOf(v) : v,
      );
      if (task === "classification" && ys.some((v) => v < 0))
        throw new InputError("test data holds a class the model was not trained on", {
          option: "test",
        });
      const r = evaluateStd(xs, ys, count);
      return task === "regression"
        ? { loss: r.loss, rmse: r.rmse }
        : { loss: r.loss, accuracy: r.accuracy };
    },
  };
}

function shuffle(a: Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const u = Math.floor(rng.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[u];
    a[u] = t;
  }
}

function makeOptimizer(o: TrainOptions, weightMask: boolean[], rows: number[]): Transform<unknown> {
  const name = o.optimizer ?? "adamw";
  if (!OPTIMIZERS.includes(name))
    throw new InputError(`option 'optimizer': unknown '${name}' (${OPTIMIZERS.join(", ")})`, {
      option: "optimizer",
    });
  const lr = o.lr ?? (name === "sgd" || name === "momentum" || name === "proxsgd" ? 0.05 : 1e-3);
  const wd = o.weightDecay ?? 0;
  let opt: Transform<unknown>;
  switch (name) {
    case "sgd":
      opt = sgd({ lr, weightDecay: wd, weightDecayMask: weightMask });
      break;
    case "momentum":
      opt = sgd({ lr, momentum: o.momentum ?? 0.9, weightDecay: wd, weightDecayMask: weightMask });
      break;
    case "adam":
    case "adaml2":
      opt = adam({ lr, weightDecay: wd, weightDecayMask: weightMask });
      break;
    case "adamw":
      opt = adamw({ lr, weightDecay: o.weightDecay ?? 0.01, weightDecayMask: weightMask });
      break;
    case "rmsprop":
      opt = rmsprop({ lr, weightDecay: wd, weightDecayMask: weightMask, momentum: o.momentum });
      break;
    case "adagrad":
      opt = adagrad({ lr });
      break;
    case "proxsgd":
      opt = proxSgdOptimizer({
        lr,
        momentum: o.momentum,
        weightDecay: wd,
        weightDecayMask: weightMask,
        l1: o.l1,
        l1Mask: weightMask,
        group: o.group,
        groupRows: rows,
      });
      break;
    case "proxadam":
      opt = proxAdam({
        lr,
        weightDecay: wd,
        weightDecayMask: weightMask,
        l1: o.l1,
        l1Mask: weightMask,
        group: o.group,
        groupRows: rows,
      });
      break;
  }
  return o.clipNorm ? chain(clipByGlobalNorm(o.clipNorm), opt!) : opt!;
}
