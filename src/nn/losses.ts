import { InputError } from "../errors.js";
import type { Tensor } from "./optim.js";

/**
 * Losses over a mini-batch, as PyTorch computes them (reduction "mean"): each returns the loss and
 * writes ∂loss/∂prediction into `grad` (same layout as the predictions, row-major batch × width).
 */

/** Mean squared error over every element: mean((p − t)²).
 *
 * @example
 * ```ts
 * const grad = new Float64Array(3);
 * const loss = mseLoss(Float64Array.of(1, 2, 3), [1, 2, 4], grad); // mean squared error 1/3
 * ```
 */
export function mseLoss(pred: Tensor, target: ArrayLike<number>, grad: Tensor): number {
  const n = pred.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i] - target[i];
    s += d * d;
    grad[i] = (2 * d) / n;
  }
  return s / n;
}

/** Binary cross-entropy on logits z (one per sample): mean(log(1 + e^z) − y·z), stable.
 *
 * @example
 * ```ts
 * const grad = new Float64Array(4);
 * const loss = bceWithLogitsLoss(Float64Array.of(0.2, -1, 3, 0), [1, 0, 1, 0], grad); // mean loss, grad = ∂loss/∂logits
 * ```
 */
export function bceWithLogitsLoss(logits: Tensor, target: ArrayLike<number>, grad: Tensor): number {
  const n = logits.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i];
    s += Math.max(z, 0) - z * target[i] + Math.log1p(Math.exp(-Math.abs(z)));
    const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    grad[i] = (p - target[i]) / n;
  }
  return s / n;
}

/**
 * Softmax cross-entropy with label smoothing ε (PyTorch's CrossEntropyLoss(label_smoothing = ε)):
 * per sample −(1 − ε)·log p_y − (ε/K)·Σₖ log pₖ, averaged over the batch; the gradient is
 * (softmax − q)/B with q = (1 − ε)·onehot(y) + ε/K.
 *
 * @example
 * ```ts
 * const grad = new Float64Array(2 * 3);
 * const loss = softmaxCrossEntropyLoss(Float64Array.of(1, 2, 0, 0, 0, 3), [1, 2], 3, grad, 0.1); // label smoothing 0.1
 * ```
 */
export function softmaxCrossEntropyLoss(
  logits: Tensor,
  labels: ArrayLike<number>,
  classes: number,
  grad: Tensor,
  smoothing = 0,
): number {
  if (!(smoothing >= 0 && smoothing <= 1))
    throw new InputError(`label smoothing must be in [0, 1], got ${smoothing}`, {
      option: "labelSmoothing",
    });
  const B = labels.length;
  const K = classes;
  let total = 0;
  for (let s = 0; s < B; s++) {
    const o = s * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, logits[o + k]);
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(logits[o + k] - m);
    const lse = m + Math.log(z);
    const y = labels[s];
    let sumLog = 0;
    for (let k = 0; k < K; k++) {
      const logp = logits[o + k] - lse;
      sumLog += logp;
      const q = (k === y ? 1 - smoothing : 0) + smoothing / K;
      grad[o + k] = (Math.exp(logp) - q) / B;
    }
    total += -(1 - smoothing) * (logits[o + y] - lse) - (smoothing / K) * sumLog;
  }
  return total / B;
}
