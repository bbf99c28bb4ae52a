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
  addL1Subgradient,
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  cosineSchedule,
  keepPruned,
  linearWarmup,
  proxAdam,
  proxSgdOptimizer,
  rmsprop,
  scaleByLayerwiseDecay,
  sgd,
  stepSchedule,
  type Schedule,
  type Tensor,
  type Transform,
} from "./optim.js";
import { allocate, type Dtype } from "./kernels.js";
import { Sequential } from "./sequential.js";

/** The optimizer names trainMlp and `regularize train --optimizer` accept. */
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

/** Options of trainMlp: architecture, optimizer and its hyperparameters, regularizers, augmentation, schedule, early stopping, pruning, precision and callbacks. */
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
  /**
   * L1 on the weight matrices: a proximal step (soft-thresholding, exact zeros) with proxsgd and
   * proxadam; with every other optimizer a subgradient λ·sign(w) added to the gradient (L1 in the
   * loss, which does not give exact zeros).
   */
  l1?: number;
  /** Proximal group lasso over each neuron's incoming weights (proxsgd, proxadam). */
  group?: number;
  momentum?: number;
  labelSmoothing?: number;
  /** Mixup with λ ~ Beta(a, a) (0: off). */
  mixup?: number;
  /** Cutmix (Yun et al. 2019) for image-shaped inputs with λ ~ Beta(a, a) (0: off). */
  cutmix?: number;
  /** Height × width of image-shaped inputs (default: a square √p × √p). */
  imageShape?: [number, number];
  /** Gaussian noise of this sd added to the (standardized) training inputs. */
  inputNoise?: number;
  /** Each input feature of each training sample zeroed with this probability (inverted scaling). */
  featureDropout?: number;
  clipNorm?: number;
  /** Learning-rate schedule over the optimizer steps: constant (default), step or cosine. */
  schedule?: "constant" | "step" | "cosine";
  /** Step schedule: multiply by stepGamma every stepEpochs epochs (default 30, 0.1). */
  stepEpochs?: number;
  stepGamma?: number;
  /** Linear warmup over this many epochs. */
  warmupEpochs?: number;
  /** Layer-wise learning-rate decay: a Dense layer d layers below the output steps decay^d. */
  layerDecay?: number;
  epochs?: number;
  batchSize?: number;
  /** Stop after this many epochs without a validation-loss improvement larger than minDelta. */
  earlyStopping?: number;
  minDelta?: number;
  /** Restore the weights of the best epoch at the end (default true with early stopping). */
  restoreBest?: boolean;
  /** What early stopping and restore-best watch (default valLoss, or trainLoss without validation). */
  monitor?: "valLoss" | "valAccuracy" | "trainLoss";
  /** Whether the monitored value should go down or up (default: max for accuracy, else min). */
  mode?: "min" | "max";
  /** Weight histograms per Dense layer in each epoch record, with this many bins. */
  histogramBins?: number;
  /**
   * Magnitude pruning after training: zero this fraction of each weight matrix (smallest |w|),
   * then fine-tune for pruneEpochs epochs with the pruned weights held at zero.
   */
  pruneFraction?: number;
  pruneEpochs?: number;
  /**
   * Precision of parameters, activations and the matrix products: float64 (default; the PyTorch
   * parity tests run in it) or float32 (4 lanes per SIMD operation instead of 2).
   */
  dtype?: Dtype;
  /** Largest batch any layer will see (default max(batchSize, 512)). */
  maxBatch?: number;
  validationSplit?: number;
  seed?: number;
  onEpoch?: (record: EpochRecord) => void;
  /** Called after each optimizer step with the steps done and the steps planned. */
  onStep?: (done: number, total: number) => void;
}

/** One epoch of trainMlp's history: losses, validation metrics, exact-zero fractions (overall and per Dense layer), phase, optional weight histograms. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Fraction of exactly-zero entries over all weight matrices. */
  zeroFraction: number;
  /** The same per Dense layer. */
  zeroFractionPerLayer: number[];
  valRmse?: number | null;
  /** "train", or "fine-tune" after magnitude pruning. */
  phase: "train" | "fine-tune";
  /** Per Dense layer, when histogramBins is set: bin edges (bins + 1) and counts. */
  weightHistograms?: { edges: number[]; counts: number[] }[];
}

/** A network trained by trainMlp: the model, history, best epoch, the input standardization, and predict / evaluate / mcPredict. */
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
  /** Outputs (logits, or predictions on the target's scale for regression) for rows of x (row-major n × p). */
  predict(x: Float64Array, n: number): Float64Array;
  /**
   * Monte Carlo dropout (Gal & Ghahramani 2016): T stochastic passes with dropout on and batch
   * norm in evaluation mode (its statistics untouched); the mean and sd over passes of the
   * class probabilities (softmax; sigmoid for two classes) or of the regression output.
   */
  mcPredict(
    x: Float64Array,
    n: number,
    T: number,
    seed?: number,
  ): { mean: Float64Array; sd: Float64Array; outputs: number };
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
 *
 * @example
 * ```ts
 * const m = trainMlp(xRows, labels, n, p, { hidden: [256, 256], dropout: 0.3, optimizer: "adamw", earlyStopping: 10 });
 * m.evaluate(xRowsTest, yTest, nTest); // { loss, accuracy }
 * ```
 */
export function trainMlp(
  x: Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  options: TrainOptions = {},
): TrainedMlp {
  const task = options.task ?? "classification";
  checkOptions(options, p);
  if (x.length !== n * p) throw new InputError(`x has ${x.length} values, expected ${n}·${p}`);
  if (y.length !== n)
    throw new InputError(`y has ${y.length} values for ${n} rows`, { option: "y" });
  const rng = new Random(options.seed ?? 1);
  const hidden = options.hidden ?? [256, 256];
  const epochs = options.epochs ?? 50;
  const batchSize = options.batchSize ?? 32;
  const valSplit = options.validationSplit ?? (options.earlyStopping ? 0.1 : 0);
  const classes =
    task === "classification" ? [...new Set(Array.from(y))].sort((a, b) => a - b) : [];
  if (task === "classification" && classes.length < 2)
    throw new InputError("classification needs at least two classes", { option: "target" });
  const K = task === "regression" ? 1 : classes.length === 2 ? 1 : classes.length;
  // Regression targets are standardized for training (with the training rows' mean and sd);
  // losses, RMSEs and predictions are reported on the original scale.
  let yMean = 0;
  let ySd = 1;
  const label = Float64Array.from(y, (v) => (task === "classification" ? classes.indexOf(v) : v));
  // Shuffle once (seeded) and split off the validation rows.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(order, rng);
  const nVal = Math.floor(n * valSplit);
  const valRows = order.subarray(0, nVal);
  const trainRows = Int32Array.from(order.subarray(nVal));
  const nTrain = trainRows.length;
  if (nTrain < 1) throw new InputError("no training rows left after the validation split");
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
  if (task === "regression") {
    for (const i of trainRows) yMean += label[i] / nTrain;
    let v = 0;
    for (const i of trainRows) v += (label[i] - yMean) ** 2 / nTrain;
    ySd = Math.sqrt(v) || 1;
    for (let i = 0; i < n; i++) label[i] = (label[i] - yMean) / ySd;
  }
  const lossScale = task === "regression" ? ySd * ySd : 1;
  const standardize = (rows: ArrayLike<number>, out: Tensor) => {
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t];
      for (let j = 0; j < p; j++) out[t * p + j] = (x[i * p + j] - mean[j]) / sd[j];
    }
  };
  // The network.
  const EVAL_CHUNK = 512;
  const dtype: Dtype = options.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32")
    throw new InputError(`option 'dtype': float64 or float32, got ${String(dtype)}`, {
      option: "dtype",
    });
  const maxBatch = options.maxBatch ?? Math.max(batchSize, EVAL_CHUNK);
  const layers: Layer[] = [];
  const weightMask: boolean[] = [];
  const rows: number[] = [];
  const depth: number[] = [];
  let width = p;
  let denseCount = 0;
  const addLayer = (l: Layer, isDense: boolean) => {
    layers.push(l);
    if (isDense) denseCount++;
    l.params.forEach((_, k) => {
      weightMask.push(isDense && k === 0);
      rows.push(isDense && k === 0 ? l.outSize : 0);
      depth.push(denseCount);
    });
  };
  for (const h of hidden) {
    addLayer(new Dense(width, h, rng, options.init ?? "torch", maxBatch, dtype), true);
    if (options.batchNorm) addLayer(new BatchNorm(h, 0.1, 1e-5, dtype), false);
    if (options.layerNorm) addLayer(new LayerNorm(h, 1e-5, dtype), false);
    addLayer(new Activation(options.activation ?? "relu", h, dtype), false);
    if (options.dropout) addLayer(new Dropout(options.dropout, h, rng, "inverted", dtype), false);
    width = h;
  }
  addLayer(new Dense(width, K, rng, options.init ?? "torch", maxBatch, dtype), true);
  const model = new Sequential(layers);
  const denseLayers = layers.filter((l): l is Dense => l instanceof Dense);
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const updates = model.grads;

  const xb = allocate(dtype, batchSize * p);
  const xmix = allocate(dtype, batchSize * p);
  const yb = new Float64Array(batchSize);
  const ymix = new Float64Array(batchSize);
  const gradOut = allocate(dtype, batchSize * K);
  const gradMix = allocate(dtype, batchSize * K);
  const perm = new Int32Array(batchSize);
  const smoothing = options.labelSmoothing ?? 0;
  const soft = new Float64Array(Math.max(batchSize, EVAL_CHUNK));
  const lossOf = (out: Tensor, labels: Float64Array, count: number, grad: Tensor) => {
    const o = out.subarray(0, count * K);
    const l = labels.subarray(0, count);
    const g = grad.subarray(0, count * K);
    if (task === "regression") return mseLoss(o, l, g);
    if (K === 1) {
      if (!smoothing) return bceWithLogitsLoss(o, l, g);
      const t = soft.subarray(0, count);
      for (let i = 0; i < count; i++) t[i] = l[i] * (1 - smoothing) + smoothing / 2;
      return bceWithLogitsLoss(o, t, g);
    }
    return softmaxCrossEntropyLoss(o, l, K, g, smoothing);
  };

  // Validation data, standardized once.
  const xVal = allocate(dtype, nVal * p);
  standardize(valRows, xVal);
  const yVal = Float64Array.from(valRows, (i) => label[i]);
  const gtmp = allocate(dtype, EVAL_CHUNK * K);
  const evaluateStd = (xs: Tensor, ys: Float64Array, count: number) => {
    let loss = 0;
    let correct = 0;
    let sq = 0;
    for (let s = 0; s < count; s += EVAL_CHUNK) {
      const c = Math.min(EVAL_CHUNK, count - s);
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
    return {
      loss: (lossScale * loss) / count,
      accuracy: correct / count,
      rmse: ySd * Math.sqrt(sq / count),
    };
  };

  // Augmentations of a standardized batch (in place), before mixing.
  const [imgH, imgW] = options.imageShape ?? [Math.round(Math.sqrt(p)), Math.round(Math.sqrt(p))];
  const augment = (c: number) => {
    if (options.inputNoise)
      for (let i = 0; i < c * p; i++) xb[i] += options.inputNoise * rng.normal();
    if (options.featureDropout) {
      const keep = 1 / (1 - options.featureDropout);
      for (let i = 0; i < c * p; i++)
        xb[i] = rng.uniform() < options.featureDropout ? 0 : xb[i] * keep;
    }
  };
  const betaDraw = (a: number) => {
    const g1 = gammaDraw(rng, a, 1);
    const g2 = gammaDraw(rng, a, 1);
    return g1 / (g1 + g2);
  };

  const history: EpochRecord[] = [];
  const monitorName = options.monitor ?? (nVal > 0 ? "valLoss" : "trainLoss");
  if (monitorName !== "trainLoss" && nVal === 0)
    throw new InputError(`option 'monitor': ${monitorName} needs a validation split`, {
      option: "monitor",
    });
  const sign = (options.mode ?? (monitorName === "valAccuracy" ? "max" : "min")) === "max" ? -1 : 1;
  let best = Infinity;
  let bestEpoch = 0;
  let bestParams: Tensor[] | null = null;
  const restoreBest = options.restoreBest ?? options.earlyStopping !== undefined;
  const totalSteps =
    stepsPerEpoch * (epochs + (options.pruneFraction ? (options.pruneEpochs ?? 10) : 0));
  let stepsDone = 0;

  const runEpochs = (count: number, opt: Transform<unknown>, phase: EpochRecord["phase"]) => {
    const state = opt.init(model.params);
    let stale = 0;
    for (let e = 1; e <= count; e++) {
      const epoch = history.length + 1;
      shuffle(trainRows, rng);
      let total = 0;
      let seen = 0;
      for (let s = 0; s < nTrain; s += batchSize) {
        const c = Math.min(batchSize, nTrain - s);
        if (c < 2 && options.batchNorm) continue; // a lone sample cannot be batch-normalized
        const rowsB = trainRows.subarray(s, s + c);
        standardize(rowsB, xb);
        for (let t = 0; t < c; t++) yb[t] = label[rowsB[t]];
        augment(c);
        model.zeroGrad();
        let loss: number;
        let lam = 1;
        if (options.mixup || options.cutmix) {
          // Mix each sample with a permuted partner; the loss is λ·loss(y) + (1 − λ)·loss(y').
          for (let t = 0; t < c; t++) perm[t] = t;
          shuffle(perm.subarray(0, c), rng);
          for (let t = 0; t < c; t++) ymix[t] = yb[perm[t]];
          if (options.mixup) {
            // Mixup (Zhang et al. 2018): convex combinations of inputs, λ ~ Beta(a, a).
            lam = betaDraw(options.mixup);
            for (let t = 0; t < c; t++)
              for (let j = 0; j < p; j++)
                xmix[t * p + j] = lam * xb[t * p + j] + (1 - lam) * xb[perm[t] * p + j];
          } else {
            // Cutmix: paste a box of area ≈ (1 − λ) from the partner; λ is then the kept area.
            const l0 = betaDraw(options.cutmix!);
            const r = Math.sqrt(1 - l0);
            const ch = Math.floor(imgH * r);
            const cw = Math.floor(imgW * r);
            const cy = Math.floor(rng.uniform() * imgH);
            const cx = Math.floor(rng.uniform() * imgW);
            const y0 = Math.max(cy - (ch >> 1), 0);
            const y1 = Math.min(cy + (ch >> 1), imgH);
            const x0 = Math.max(cx - (cw >> 1), 0);
            const x1 = Math.min(cx + (cw >> 1), imgW);
            xmix.set(xb.subarray(0, c * p));
            for (let t = 0; t < c; t++)
              for (let yy = y0; yy < y1; yy++)
                for (let xx = x0; xx < x1; xx++)
                  xmix[t * p + yy * imgW + xx] = xb[perm[t] * p + yy * imgW + xx];
            lam = 1 - ((y1 - y0) * (x1 - x0)) / (imgH * imgW);
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
        seen += c;
        options.onStep?.(++stepsDone, totalSteps);
      }
      const val = nVal > 0 ? evaluateStd(xVal, yVal, nVal) : null;
      let zeros = 0;
      let size = 0;
      const perLayer = denseLayers.map((l) => {
        const w = l.params[0];
        let z = 0;
        for (let i = 0; i < w.length; i++) if (w[i] === 0) z++;
        zeros += z;
        size += w.length;
        return z / w.length;
      });
      const record: EpochRecord = {
        epoch,
        phase,
        trainLoss: (lossScale * total) / Math.max(seen, 1),
        valLoss: val ? val.loss : null,
        valAccuracy: val && task === "classification" ? val.accuracy : null,
        zeroFraction: zeros / size,
        zeroFractionPerLayer: perLayer,
      };
      if (task === "regression") record.valRmse = val ? val.rmse : null;
      if (options.histogramBins)
        record.weightHistograms = denseLayers.map((l) =>
          histogram(l.params[0], options.histogramBins!),
        );
      history.push(record);
      options.onEpoch?.(record);
      const monitored =
        monitorName === "trainLoss"
          ? record.trainLoss
          : monitorName === "valLoss"
            ? record.valLoss!
            : record.valAccuracy!;
      const value = sign * monitored;
      if (value < best - (options.minDelta ?? 0)) {
        best = value;
        bestEpoch = epoch;
        stale = 0;
        if (restoreBest) bestParams = model.params.map((q) => q.slice());
      } else if (options.earlyStopping !== undefined && ++stale >= options.earlyStopping) break;
    }
  };

  const optimizer = () => makeOptimizer(options, weightMask, rows, depth, stepsPerEpoch);
  runEpochs(epochs, optimizer(), "train");
  const restore = () => {
    if (restoreBest && bestParams) model.params.forEach((q, k) => q.set(bestParams![k]));
    else bestEpoch = history.length;
  };
  restore();
  if (options.pruneFraction) {
    // Magnitude pruning per weight matrix, then fine-tuning with the pruned entries held at 0.
    const keep = model.params.map((q, k) =>
      weightMask[k] ? pruneByMagnitude(q, options.pruneFraction!) : undefined,
    );
    best = Infinity;
    bestParams = null;
    const fineTune = chain(optimizer(), keepPruned(keep));
    runEpochs(options.pruneEpochs ?? 10, fineTune, "fine-tune");
    restore();
  }

  const standardizeNew = (xNew: Float64Array, count: number) => {
    if (xNew.length !== count * p)
      throw new InputError(`x has ${xNew.length} values, expected ${count}·${p}`);
    const xs = allocate(dtype, count * p);
    for (let t = 0; t < count; t++)
      for (let j = 0; j < p; j++) xs[t * p + j] = (xNew[t * p + j] - mean[j]) / sd[j];
    return xs;
  };
  const predict = (xNew: Float64Array, count: number) => {
    const xs = standardizeNew(xNew, count);
    const out = new Float64Array(count * K);
    for (let s = 0; s < count; s += EVAL_CHUNK) {
      const c = Math.min(EVAL_CHUNK, count - s);
      out.set(model.forward(xs.subarray(s * p, (s + c) * p), c, false).subarray(0, c * K), s * K);
    }
    if (task === "regression") for (let i = 0; i < count; i++) out[i] = yMean + ySd * out[i];
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
    mcPredict(xNew, count, T, seed = 1) {
      if (!(Number.isInteger(T) && T >= 1))
        throw new InputError(`mcPredict: T must be a positive integer, got ${T}`, { option: "T" });
      const xs = standardizeNew(xNew, count);
      const dropouts = layers.filter((l): l is Dropout => l instanceof Dropout);
      const mcRng = new Random(seed);
      dropouts.forEach((d) => d.setRandom(mcRng));
      const sum = new Float64Array(count * K);
      const sumSq = new Float64Array(count * K);
      for (let t = 0; t < T; t++)
        for (let s = 0; s < count; s += EVAL_CHUNK) {
          const c = Math.min(EVAL_CHUNK, count - s);
          let h: Tensor = xs.subarray(s * p, (s + c) * p);
          // Dropout in training mode, everything else (batch norm) in evaluation mode.
          for (const l of layers) h = l.forward(h, c, l instanceof Dropout);
          for (let r = 0; r < c; r++) {
            const o = h.subarray(r * K, (r + 1) * K);
            const base = (s + r) * K;
            if (task === "regression") {
              sum[base] += o[0];
              sumSq[base] += o[0] * o[0];
            } else if (K === 1) {
              const q = 1 / (1 + Math.exp(-o[0]));
              sum[base] += q;
              sumSq[base] += q * q;
            } else {
              let mx = -Infinity;
              for (let k = 0; k < K; k++) mx = Math.max(mx, o[k]);
              let z = 0;
              for (let k = 0; k < K; k++) z += Math.exp(o[k] - mx);
              for (let k = 0; k < K; k++) {
                const q = Math.exp(o[k] - mx) / z;
                sum[base + k] += q;
                sumSq[base + k] += q * q;
              }
            }
          }
        }
      dropouts.forEach((d) => d.setRandom(rng));
      const meanOut = sum.map((v) => v / T);
      const sdOut = sumSq.map((v, i) => Math.sqrt(Math.max(v / T - meanOut[i] ** 2, 0)));
      if (task === "regression")
        for (let i = 0; i < count; i++) {
          meanOut[i] = yMean + ySd * meanOut[i];
          sdOut[i] *= ySd;
        }
      return { mean: meanOut, sd: sdOut, outputs: K };
    },
    evaluate(xNew, yNew, count) {
      const xs = standardizeNew(xNew, count);
      const ys = Float64Array.from(yNew, (v) =>
        task === "classification" ? classes.indexOf(v) : (v - yMean) / ySd,
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

/** Histogram of the values of w over `bins` equal bins spanning [min, max].
 *
 * @example
 * ```ts
 * const { edges, counts } = histogram(model.params[0], 40);
 * ```
 */
export function histogram(
  w: ArrayLike<number>,
  bins: number,
): { edges: number[]; counts: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < w.length; i++) {
    lo = Math.min(lo, w[i]);
    hi = Math.max(hi, w[i]);
  }
  if (!(hi > lo)) hi = lo + 1;
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < w.length; i++) counts[Math.min(bins - 1, Math.floor((w[i] - lo) / width))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, b) => lo + b * width), counts };
}

/**
 * Zeroes the fraction `fraction` of w with the smallest magnitudes (ties broken by position) and
 * returns the mask of kept entries (1 kept, 0 pruned).
 *
 * @example
 * ```ts
 * const keep = pruneByMagnitude(model.params[0], 0.9); // the 90% smallest |w| set to 0
 * ```
 */
export function pruneByMagnitude(w: Float64Array | Float32Array, fraction: number): Uint8Array {
  const count = Math.floor(w.length * fraction);
  const idx = Int32Array.from({ length: w.length }, (_, i) => i).sort(
    (a, b) => Math.abs(w[a]) - Math.abs(w[b]) || a - b,
  );
  const keep = new Uint8Array(w.length).fill(1);
  for (let t = 0; t < count; t++) {
    keep[idx[t]] = 0;
    w[idx[t]] = 0;
  }
  return keep;
}

function checkOptions(o: TrainOptions, p: number): void {
  const bad = (option: string, what: string, v: unknown) => {
    throw new InputError(`option '${option}': ${what}, got ${v}`, { option });
  };
  const posInt = (k: keyof TrainOptions) => {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0))
      bad(k, "a positive integer", v);
  };
  const inUnit = (k: keyof TrainOptions, closed = false) => {
    const v = o[k] as number | undefined;
    if (v !== undefined && !(v >= 0 && (closed ? v <= 1 : v < 1))) bad(k, "in [0, 1)", v);
  };
  const nonNeg = (k: keyof TrainOptions) => {
    const v = o[k] as number | undefined;
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) bad(k, "a finite number ≥ 0", v);
  };
  posInt("epochs");
  posInt("batchSize");
  posInt("stepEpochs");
  posInt("histogramBins");
  posInt("maxBatch");
  inUnit("dropout");
  inUnit("validationSplit");
  inUnit("featureDropout");
  inUnit("pruneFraction");
  inUnit("labelSmoothing");
  for (const k of [
    "lr",
    "weightDecay",
    "l1",
    "group",
    "mixup",
    "cutmix",
    "inputNoise",
    "clipNorm",
    "minDelta",
    "warmupEpochs",
    "stepGamma",
    "momentum",
  ] as const)
    nonNeg(k);
  if (o.earlyStopping !== undefined && !(Number.isInteger(o.earlyStopping) && o.earlyStopping >= 1))
    bad("earlyStopping", "a patience ≥ 1 (epochs)", o.earlyStopping);
  if (o.pruneEpochs !== undefined && !(Number.isInteger(o.pruneEpochs) && o.pruneEpochs >= 0))
    bad("pruneEpochs", "an integer ≥ 0", o.pruneEpochs);
  if (o.layerDecay !== undefined && !(o.layerDecay > 0 && o.layerDecay <= 1))
    bad("layerDecay", "in (0, 1]", o.layerDecay);
  if (o.hidden && !o.hidden.every((h) => Number.isInteger(h) && h > 0))
    bad("hidden", "positive integer layer sizes", o.hidden.join(","));
  if (o.mixup && o.cutmix)
    throw new InputError("options 'mixup' and 'cutmix': choose one", { option: "cutmix" });
  if (o.cutmix) {
    const [h, w] = o.imageShape ?? [Math.round(Math.sqrt(p)), Math.round(Math.sqrt(p))];
    if (h * w !== p)
      throw new InputError(
        `option 'cutmix': inputs must be images; ${p} features are not ${h} × ${w} (give 'imageShape')`,
        { option: "imageShape" },
      );
  }
  if (o.schedule !== undefined && !["constant", "step", "cosine"].includes(o.schedule))
    bad("schedule", "constant, step or cosine", o.schedule);
  if (o.task !== undefined && !["classification", "regression"].includes(o.task))
    bad("task", "classification or regression", o.task);
}

function shuffle(a: Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const u = Math.floor(rng.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[u];
    a[u] = t;
  }
}

function makeOptimizer(
  o: TrainOptions,
  weightMask: boolean[],
  rows: number[],
  depth: number[],
  stepsPerEpoch: number,
): Transform<unknown> {
  const name = o.optimizer ?? "adamw";
  if (!OPTIMIZERS.includes(name))
    throw new InputError(`option 'optimizer': unknown '${name}' (${OPTIMIZERS.join(", ")})`, {
      option: "optimizer",
    });
  const base = o.lr ?? (name === "sgd" || name === "momentum" || name === "proxsgd" ? 0.05 : 1e-3);
  let lr: Schedule = base;
  const epochs = o.epochs ?? 50;
  if (o.schedule === "step")
    lr = stepSchedule(base, (o.stepEpochs ?? 30) * stepsPerEpoch, o.stepGamma ?? 0.1);
  else if (o.schedule === "cosine") lr = cosineSchedule(base, epochs * stepsPerEpoch);
  if (o.warmupEpochs)
    lr = linearWarmup(lr, Math.max(1, Math.round(o.warmupEpochs * stepsPerEpoch)));
  const decay = { weightDecay: o.weightDecay ?? 0, weightDecayMask: weightMask };
  const prox = { ...decay, l1: o.l1, l1Mask: weightMask, group: o.group, groupRows: rows };
  const isProx = name === "proxsgd" || name === "proxadam";
  let opt: Transform<unknown>;
  switch (name) {
    case "sgd":
      opt = sgd({ lr, ...decay });
      break;
    case "momentum":
      opt = sgd({ lr, momentum: o.momentum ?? 0.9, ...decay });
      break;
    case "adam":
    case "adaml2":
      opt = adam({ lr, ...decay });
      break;
    case "adamw":
      opt = adamw({ lr, ...decay, weightDecay: o.weightDecay ?? 0.01 });
      break;
    case "rmsprop":
      opt = rmsprop({ lr, ...decay, momentum: o.momentum });
      break;
    case "adagrad":
      opt = adagrad({ lr });
      break;
    case "proxsgd":
      opt = proxSgdOptimizer({ lr, momentum: o.momentum, ...prox });
      break;
    case "proxadam":
      opt = proxAdam({ lr, ...prox });
      break;
  }
  if (o.group && !isProx)
    throw new InputError("option 'group': the group prox needs optimizer proxsgd or proxadam", {
      option: "group",
    });
  const parts: Transform<unknown>[] = [];
  if (o.clipNorm) parts.push(clipByGlobalNorm(o.clipNorm));
  if (o.l1 && !isProx) parts.push(addL1Subgradient(o.l1, weightMask));
  parts.push(opt!);
  // Layer-wise decay scales the whole step, so it cannot follow a prox (which is not linear).
  if (o.layerDecay && o.layerDecay !== 1) {
    if (isProx)
      throw new InputError("option 'layerDecay' cannot be combined with a proximal optimizer", {
        option: "layerDecay",
      });
    parts.push(scaleByLayerwiseDecay(o.layerDecay, depth));
  }
  return parts.length === 1 ? parts[0] : chain(...parts);
}
