import { InputError } from "../errors.js";

/**
 * Optimizers as chains of gradient transformations (optax; see STYLE.md): each transformation
 * has `init(params)` → state and `update(updates, state, params)`, which rewrites `updates` in
 * place (no allocation per step). A chain threads the updates through its transformations in
 * order. Conventions, written once: `updates` enter as the gradient; `scaleByLearningRate`
 * multiplies by −lr; `applyUpdates` adds them to the parameters.
 *
 * Order is meaning: weight decay added *after* `scaleByAdam` is decoupled (AdamW); added to the
 * gradient *before* it (`addDecayedWeights` first) it is divided by √v like any gradient — Adam
 * with L2. A proximal step is one more transformation at the end: u ← prox(p + u) − p.
 */
export type Tensor = Float64Array | Float32Array;
export type Params = Tensor[];
/** A hyperparameter: a constant, or a function of the step count (0-based). */
export type Schedule = number | ((step: number) => number);

/** A gradient transformation (optax): init(params) gives its state; update(updates, state, params) rewrites the updates in place. */
export interface Transform<S = unknown> {
  init(params: Params): S;
  update(updates: Params, state: S, params: Params): void;
}

const valueAt = (s: Schedule, step: number) => (typeof s === "number" ? s : s(step));
const zerosLike = (params: Params): Params =>
  params.map((p) =>
    p instanceof Float32Array ? new Float32Array(p.length) : new Float64Array(p.length),
  );

/** Threads the updates through each transformation in turn.
 *
 * @example
 * ```ts
 * const myAdamW = chain(scaleByAdam(), addDecayedWeights(0.01), scaleByLearningRate(1e-3));
 * ```
 */
export function chain(...transforms: Transform<unknown>[]): Transform<unknown[]> {
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(updates, state, params) {
      for (let k = 0; k < transforms.length; k++) transforms[k].update(updates, state[k], params);
    },
  };
}

/** params ← params + updates.
 *
 * @example
 * ```ts
 * opt.update(model.grads, state, model.params); // gradients become updates
 * applyUpdates(model.params, model.grads); // p ← p + u
 * ```
 */
export function applyUpdates(params: Params, updates: Params): void {
  for (let k = 0; k < params.length; k++) {
    const p = params[k];
    const u = updates[k];
    for (let i = 0; i < p.length; i++) p[i] += u[i];
  }
}

/** u ← −lr(step)·u.
 *
 * @example
 * ```ts
 * const plainSgd = chain(scaleByLearningRate(0.1)); // u ← −0.1·g
 * ```
 */
export function scaleByLearningRate(lr: Schedule): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state) {
      const s = -valueAt(lr, state.step++);
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] *= s;
    },
  };
}

/** u ← u + wd·p on the masked parameters (all by default).
 *
 * @example
 * ```ts
 * const decay = addDecayedWeights(0.01, model.decayMask()); // u ← u + 0.01·p on weights
 * ```
 */
export function addDecayedWeights(
  weightDecay: Schedule,
  mask?: boolean[],
): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state, params) {
      const wd = valueAt(weightDecay, state.step++);
      if (wd === 0) return;
      for (let k = 0; k < updates.length; k++) {
        if (mask && !mask[k]) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) u[i] += wd * p[i];
      }
    },
  };
}

/**
 * Momentum as PyTorch's SGD keeps it: buf ← μ·buf + (1 − dampening)·u (buf ← u at the first
 * step), then u ← buf, or u ← u + μ·buf with Nesterov.
 *
 * @example
 * ```ts
 * const heavyBall = chain(traceMomentum(0.9, { nesterov: true }), scaleByLearningRate(0.01));
 * ```
 */
export function traceMomentum(
  momentum: number,
  options: { dampening?: number; nesterov?: boolean } = {},
): Transform<{ buf: Params; started: boolean }> {
  const damp = options.dampening ?? 0;
  const nesterov = options.nesterov ?? false;
  if (nesterov && (momentum <= 0 || damp !== 0))
    throw new InputError("Nesterov momentum needs momentum > 0 and no dampening", {
      option: "nesterov",
    });
  return {
    init: (params) => ({ buf: zerosLike(params), started: false }),
    update(updates, state) {
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const b = state.buf[k];
        for (let i = 0; i < u.length; i++) {
          b[i] = state.started ? momentum * b[i] + (1 - damp) * u[i] : u[i];
          u[i] = nesterov ? u[i] + momentum * b[i] : b[i];
        }
      }
      state.started = true;
    },
  };
}

/**
 * Adam's scaling (Kingma & Ba 2015): m ← β₁m + (1−β₁)u, v ← β₂v + (1−β₂)u², and
 * u ← (m/(1−β₁ᵗ)) / (√v/√(1−β₂ᵗ) + ε) — ε outside the square root, as PyTorch and optax.
 *
 * @example
 * ```ts
 * const adamL2 = chain(addDecayedWeights(0.01), scaleByAdam(0.9, 0.999, 1e-8), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleByAdam(
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
): Transform<{ m: Params; v: Params; t: number }> {
  return {
    init: (params) => ({ m: zerosLike(params), v: zerosLike(params), t: 0 }),
    update(updates, state) {
      state.t++;
      const c1 = 1 - b1 ** state.t;
      const c2 = Math.sqrt(1 - b2 ** state.t);
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const m = state.m[k];
        const v = state.v[k];
        for (let i = 0; i < u.length; i++) {
          const g = u[i];
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          u[i] = m[i] / c1 / (Math.sqrt(v[i]) / c2 + eps);
        }
      }
    },
  };
}

/** RMSprop's scaling as PyTorch (uncentered): s ← αs + (1−α)u², u ← u / (√s + ε).
 *
 * @example
 * ```ts
 * const opt = chain(scaleByRms(0.99, 1e-8), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleByRms(alpha = 0.99, eps = 1e-8): Transform<{ s: Params }> {
  return {
    init: (params) => ({ s: zerosLike(params) }),
    update(updates, state) {
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const s = state.s[k];
        for (let i = 0; i < u.length; i++) {
          s[i] = alpha * s[i] + (1 - alpha) * u[i] * u[i];
          u[i] = u[i] / (Math.sqrt(s[i]) + eps);
        }
      }
    },
  };
}

/** Adagrad's scaling as PyTorch: G ← G + u², u ← u / (√G + ε).
 *
 * @example
 * ```ts
 * const opt = chain(scaleByAdagrad(), scaleByLearningRate(0.01));
 * ```
 */
export function scaleByAdagrad(eps = 1e-10): Transform<{ sum: Params }> {
  return {
    init: (params) => ({ sum: zerosLike(params) }),
    update(updates, state) {
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const s = state.sum[k];
        for (let i = 0; i < u.length; i++) {
          s[i] += u[i] * u[i];
          u[i] = u[i] / (Math.sqrt(s[i]) + eps);
        }
      }
    },
  };
}

/**
 * Clips the updates to global L2 norm at most `maxNorm`, as PyTorch's clip_grad_norm_:
 * u ← u·min(1, maxNorm/(‖u‖ + eps)), eps = 1e-6 (optax's clip_by_global_norm uses eps = 0).
 *
 * @example
 * ```ts
 * const clipped = chain(clipByGlobalNorm(1.0), adamw({ lr: 1e-3 })); // as torch.nn.utils.clip_grad_norm_
 * ```
 */
export function clipByGlobalNorm(maxNorm: number, eps = 1e-6): Transform<null> {
  if (!(maxNorm > 0))
    throw new InputError(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`, {
      option: "clipNorm",
    });
  return {
    init: () => null,
    update(updates) {
      let ss = 0;
      for (const u of updates) for (let i = 0; i < u.length; i++) ss += u[i] * u[i];
      const coef = Math.min(1, maxNorm / (Math.sqrt(ss) + eps));
      if (coef === 1) return;
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] *= coef;
    },
  };
}

/** Applies `inner` to the parameters where mask[k] is true only; the others pass unchanged.
 *
 * @example
 * ```ts
 * const decayWeightsOnly = masked(addDecayedWeights(0.01), model.decayMask());
 * ```
 */
export function masked<S>(inner: Transform<S>, mask: boolean[]): Transform<S> {
  const pick = <T>(xs: T[]) => xs.filter((_, k) => mask[k]);
  return {
    init: (params) => inner.init(pick(params)),
    update(updates, state, params) {
      inner.update(pick(updates), state, pick(params));
    },
  };
}

/**
 * Proximal steps, applied last (after the learning rate): the new parameter is the prox of
 * lr·λ·pen at p + u, so u ← prox(p + u) − p. L1: soft-thresholding, exact zeros.
 *
 * @example
 * ```ts
 * const opt = chain(sgd({ lr: 0.05 }), proxL1(1e-3, 0.05, model.decayMask())); // soft-thresholding last
 * ```
 */
export function proxL1(
  lambda: Schedule,
  lr: Schedule,
  mask?: boolean[],
): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state, params) {
      const t = valueAt(lambda, state.step) * valueAt(lr, state.step);
      state.step++;
      for (let k = 0; k < updates.length; k++) {
        if (mask && !mask[k]) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) {
          const z = p[i] + u[i];
          const s = z > t ? z - t : z < -t ? z + t : 0;
          u[i] = s - p[i];
        }
      }
    },
  };
}

/**
 * Group soft-thresholding over the rows of weight matrices (`rows[k]` rows for parameter k, 0 to
 * skip it): with a layer's weights stored out × in, a row is one neuron's incoming weights, so
 * whole neurons become exactly zero (structured sparsity). Threshold lr·λ·√(row length).
 *
 * @example
 * ```ts
 * const rows = model.params.map((q, k) => (model.decayMask()[k] ? model.layers.find((l) => l.params[0] === q)!.outSize : 0));
 * const opt = chain(sgd({ lr: 0.05 }), proxGroupRows(1e-3, 0.05, rows)); // whole neurons to zero
 * ```
 */
export function proxGroupRows(
  lambda: Schedule,
  lr: Schedule,
  rows: number[],
): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state, params) {
      const base = valueAt(lambda, state.step) * valueAt(lr, state.step);
      state.step++;
      for (let k = 0; k < updates.length; k++) {
        const r = rows[k] ?? 0;
        if (r <= 0) continue;
        const u = updates[k];
        const p = params[k];
        const len = u.length / r;
        const t = base * Math.sqrt(len);
        for (let q = 0; q < r; q++) {
          let ss = 0;
          for (let i = q * len; i < (q + 1) * len; i++) ss += (p[i] + u[i]) ** 2;
          const norm = Math.sqrt(ss);
          const scale = norm > t ? 1 - t / norm : 0;
          for (let i = q * len; i < (q + 1) * len; i++) u[i] = scale * (p[i] + u[i]) - p[i];
        }
      }
    },
  };
}

/** Projection onto p ≥ 0 after the step: u ← max(p + u, 0) − p.
 *
 * @example
 * ```ts
 * const opt = chain(adam({ lr: 1e-3 }), proxNonNegative()); // parameters kept ≥ 0
 * ```
 */
export function proxNonNegative(mask?: boolean[]): Transform<null> {
  return {
    init: () => null,
    update(updates, _state, params) {
      for (let k = 0; k < updates.length; k++) {
        if (mask && !mask[k]) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) if (p[i] + u[i] < 0) u[i] = -p[i];
      }
    },
  };
}

// ---- Named optimizers: chains, matching PyTorch 1.13's update rules. ----

/** Options of sgd: learning rate (or schedule), momentum, dampening, Nesterov, coupled weight decay and its mask (PyTorch's SGD conventions). */
export interface SgdOptions {
  lr: Schedule;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /** Coupled L2 (added to the gradient), as torch.optim.SGD's weight_decay. */
  weightDecay?: number;
  weightDecayMask?: boolean[];
}

/**
 * SGD as torch.optim.SGD: coupled weight decay, momentum (dampening, Nesterov), learning rate.
 *
 * @example
 * ```ts
 * const opt = sgd({ lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4, weightDecayMask: model.decayMask() });
 * ```
 */
export function sgd(o: SgdOptions): Transform<unknown[]> {
  const parts: Transform<unknown>[] = [];
  if (o.weightDecay) parts.push(addDecayedWeights(o.weightDecay, o.weightDecayMask));
  if (o.momentum)
    parts.push(traceMomentum(o.momentum, { dampening: o.dampening, nesterov: o.nesterov }));
  parts.push(scaleByLearningRate(o.lr));
  return chain(...parts);
}

/** Options of adam / adamw: learning rate (or schedule), β₁, β₂, ε (outside the square root, as PyTorch), weight decay and the mask of parameters it touches. */
export interface AdamOptions {
  lr: Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: boolean[];
}

/** Adam; a weightDecay here is coupled L2 (torch.optim.Adam's weight_decay): Adam + L2.
 *
 * @example
 * ```ts
 * const opt = adam({ lr: 1e-3, weightDecay: 1e-4 }); // Adam + coupled L2 (torch.optim.Adam)
 * const state = opt.init(model.params);
 * ```
 */
export function adam(o: AdamOptions): Transform<unknown[]> {
  const parts: Transform<unknown>[] = [];
  if (o.weightDecay) parts.push(addDecayedWeights(o.weightDecay, o.weightDecayMask));
  parts.push(scaleByAdam(o.b1, o.b2, o.eps), scaleByLearningRate(o.lr));
  return chain(...parts);
}

/** Adam with L2 in the gradient (the decay is then divided by √v): an alias of adam. */
export const adamL2 = adam;

/** AdamW (Loshchilov & Hutter 2019): weight decay decoupled, after Adam's scaling.*
 * @example
 * ```ts
 * const opt = adamw({ lr: 1e-3, weightDecay: 0.01, weightDecayMask: model.decayMask() });
 * const state = opt.init(model.params);
 * opt.update(model.grads, state, model.params); // grads become updates
 * applyUpdates(model.params, model.grads);
 * ```
 */
export function adamw(o: AdamOptions): Transform<unknown[]> {
  return chain(
    scaleByAdam(o.b1, o.b2, o.eps),
    addDecayedWeights(o.weightDecay ?? 0.01, o.weightDecayMask),
    scaleByLearningRate(o.lr),
  );
}

/**
 * RMSprop as PyTorch (uncentered): coupled weight decay, scaleByRms, optional momentum, learning rate.
 *
 * @example
 * ```ts
 * const opt = rmsprop({ lr: 1e-3, alpha: 0.99, momentum: 0.9 }); // torch.optim.RMSprop
 * ```
 */
export function rmsprop(o: {
  lr: Schedule;
  alpha?: number;
  eps?: number;
  momentum?: number;
  weightDecay?: number;
  weightDecayMask?: boolean[];
}): Transform<unknown[]> {
  const parts: Transform<unknown>[] = [];
  if (o.weightDecay) parts.push(addDecayedWeights(o.weightDecay, o.weightDecayMask));
  parts.push(scaleByRms(o.alpha, o.eps));
  // PyTorch's RMSprop momentum: buf ← μ·buf + u (no dampening, a zero start is the same).
  if (o.momentum) parts.push(traceMomentum(o.momentum));
  parts.push(scaleByLearningRate(o.lr));
  return chain(...parts);
}

/**
 * Adagrad (torch.optim.Adagrad without decay): scaleByAdagrad then the learning rate.
 *
 * @example
 * ```ts
 * const opt = adagrad({ lr: 0.01 }); // torch.optim.Adagrad
 * ```
 */
export function adagrad(o: { lr: Schedule; eps?: number }): Transform<unknown[]> {
  return chain(scaleByAdagrad(o.eps), scaleByLearningRate(o.lr));
}

/** Proximal SGD: SGD (with momentum if given) then soft-thresholding by lr·l1 and/or the group prox.
 *
 * @example
 * ```ts
 * const opt = proxSgdOptimizer({ lr: 0.05, momentum: 0.9, l1: 1e-3, l1Mask: model.decayMask() });
 * ```
 */
export function proxSgdOptimizer(
  o: SgdOptions & { l1?: number; l1Mask?: boolean[]; group?: number; groupRows?: number[] },
): Transform<unknown[]> {
  return chain(sgd(o), ...proxParts(o));
}

/**
 * Proximal Adam: Adam's step, then the prox of the penalty in Adam's own metric — the step on
 * coordinate i is lr/dᵢ with dᵢ = √v̂ᵢ + ε, so its L1 threshold is lr·λ/dᵢ (a fixed point then
 * satisfies the L1 optimality conditions exactly: exact zeros that stay zero; a plain lr·λ
 * threshold would be swamped by Adam's normalized steps). The group prox uses the row's mean dᵢ
 * (a scalar metric per group, where the exact prox has no closed form). Coupled weight decay, if
 * given, is added to the gradient first.
 *
 * @example
 * ```ts
 * const opt = proxAdam({ lr: 1e-3, l1: 1e-3, l1Mask: model.decayMask() }); // exact zeros in the weights
 * ```
 */
export function proxAdam(
  o: AdamOptions & { l1?: number; l1Mask?: boolean[]; group?: number; groupRows?: number[] },
): Transform<{ m: Params; v: Params; t: number }> {
  const b1 = o.b1 ?? 0.9;
  const b2 = o.b2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  if (o.group && !o.groupRows)
    throw new InputError("group prox: groupRows is required", { option: "groupRows" });
  return {
    init: (params) => ({ m: zerosLike(params), v: zerosLike(params), t: 0 }),
    update(updates, state, params) {
      const step = state.t++;
      const lr = valueAt(o.lr, step);
      const c1 = 1 - b1 ** state.t;
      const c2 = Math.sqrt(1 - b2 ** state.t);
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const p = params[k];
        const m = state.m[k];
        const v = state.v[k];
        const wd =
          o.weightDecay && (!o.weightDecayMask || o.weightDecayMask[k]) ? o.weightDecay : 0;
        const l1 = o.l1 && (!o.l1Mask || o.l1Mask[k]) ? o.l1 : 0;
        const rows = o.group ? (o.groupRows![k] ?? 0) : 0;
        const len = rows > 0 ? u.length / rows : 0;
        for (let i = 0; i < u.length; i++) {
          const g = u[i] + wd * p[i];
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          const d = Math.sqrt(v[i]) / c2 + eps;
          const z = p[i] - (lr * (m[i] / c1)) / d;
          const th = (lr * l1) / d;
          const sz = z > th ? z - th : z < -th ? z + th : 0;
          u[i] = sz - p[i];
        }
        for (let q = 0; q < rows; q++) {
          let ss = 0;
          let dm = 0;
          for (let i = q * len; i < (q + 1) * len; i++) {
            ss += (p[i] + u[i]) ** 2;
            dm += Math.sqrt(v[i]) / c2 + eps;
          }
          const t = (lr * o.group! * Math.sqrt(len)) / (dm / len);
          const norm = Math.sqrt(ss);
          const scale = norm > t ? 1 - t / norm : 0;
          for (let i = q * len; i < (q + 1) * len; i++) u[i] = scale * (p[i] + u[i]) - p[i];
        }
      }
    },
  };
}

function proxParts(o: {
  lr: Schedule;
  l1?: number;
  l1Mask?: boolean[];
  group?: number;
  groupRows?: number[];
}): Transform<unknown>[] {
  const parts: Transform<unknown>[] = [];
  if (o.l1) parts.push(proxL1(o.l1, o.lr, o.l1Mask));
  if (o.group) {
    if (!o.groupRows)
      throw new InputError("group prox: groupRows is required", { option: "groupRows" });
    parts.push(proxGroupRows(o.group, o.lr, o.groupRows));
  }
  return parts;
}

// ---- Schedules: functions of the 0-based step count. ----

/** A constant.
 *
 * @example
 * ```ts
 * const lr = constantSchedule(1e-3); // lr(step) = 1e-3
 * ```
 */
export const constantSchedule =
  (value: number): ((step: number) => number) =>
  () =>
    value;

/** value·gamma^⌊step / stepSize⌋ (PyTorch StepLR, counted in optimizer steps).
 *
 * @example
 * ```ts
 * const lr = stepSchedule(0.1, 1000, 0.1); // ×0.1 every 1000 steps (StepLR)
 * ```
 */
export function stepSchedule(
  value: number,
  stepSize: number,
  gamma = 0.1,
): (step: number) => number {
  if (!(stepSize > 0)) throw new InputError(`stepSchedule: stepSize must be > 0, got ${stepSize}`);
  return (step) => value * gamma ** Math.floor(step / stepSize);
}

/**
 * Cosine decay from value to minValue over totalSteps (constant afterwards):
 * min + (value − min)·(1 + cos(π·step/total))/2 (PyTorch CosineAnnealingLR without restarts).
 *
 * @example
 * ```ts
 * const lr = cosineSchedule(1e-3, 10000, 1e-5); // cosine decay over 10000 steps
 * const opt = adamw({ lr });
 * ```
 */
export function cosineSchedule(
  value: number,
  totalSteps: number,
  minValue = 0,
): (step: number) => number {
  if (!(totalSteps > 0))
    throw new InputError(`cosineSchedule: totalSteps must be > 0, got ${totalSteps}`);
  return (step) =>
    minValue +
    ((value - minValue) * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps))) / 2;
}

/** Linear warmup: inner(step)·(step + 1)/warmupSteps for the first warmupSteps steps.
 *
 * @example
 * ```ts
 * const lr = linearWarmup(cosineSchedule(1e-3, 10000), 500); // 500 warmup steps, then cosine
 * ```
 */
export function linearWarmup(inner: Schedule, warmupSteps: number): (step: number) => number {
  return (step) => valueAt(inner, step) * (step < warmupSteps ? (step + 1) / warmupSteps : 1);
}

// ---- More transforms. ----

/**
 * Layer-wise learning-rate decay: u_k ← decay^(maxDepth − depth[k])·u_k, so that layers far from
 * the output (small depth) take smaller steps. Place it after scaleByLearningRate or anywhere
 * the update is linear in the step.
 *
 * @example
 * ```ts
 * const opt = chain(adamw({ lr: 1e-3 }), scaleByLayerwiseDecay(0.8, [1, 1, 2, 2, 3, 3])); // lower layers step less
 * ```
 */
export function scaleByLayerwiseDecay(decay: number, depth: number[]): Transform<null> {
  const top = Math.max(...depth);
  return {
    init: () => null,
    update(updates) {
      for (let k = 0; k < updates.length; k++) {
        const s = decay ** (top - depth[k]);
        if (s === 1) continue;
        const u = updates[k];
        for (let i = 0; i < u.length; i++) u[i] *= s;
      }
    },
  };
}

/**
 * The elastic-net prox, applied last: p + u ← softThreshold(p + u, lr·l1)/(1 + lr·l2) — exact
 * zeros from the L1 part, shrinkage from the L2 part.
 *
 * @example
 * ```ts
 * const opt = chain(sgd({ lr: 0.05 }), proxElasticNet(1e-3, 1e-2, 0.05));
 * ```
 */
export function proxElasticNet(
  l1: Schedule,
  l2: Schedule,
  lr: Schedule,
  mask?: boolean[],
): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state, params) {
      const eta = valueAt(lr, state.step);
      const t = valueAt(l1, state.step) * eta;
      const shrink = 1 / (1 + valueAt(l2, state.step) * eta);
      state.step++;
      for (let k = 0; k < updates.length; k++) {
        if (mask && !mask[k]) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) {
          const z = p[i] + u[i];
          const s = z > t ? z - t : z < -t ? z + t : 0;
          u[i] = s * shrink - p[i];
        }
      }
    },
  };
}

/**
 * The L1 penalty put in the loss instead of a prox: u ← u + λ·sign(p) (a subgradient, 0 at 0).
 * Chained before an optimizer, it is "Adam with L1 in the loss": the weights oscillate around 0
 * and almost never land on it — the contrast with proximal steps.
 *
 * @example
 * ```ts
 * const adamWithL1InLoss = chain(addL1Subgradient(1e-3), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
export function addL1Subgradient(lambda: Schedule, mask?: boolean[]): Transform<{ step: number }> {
  return {
    init: () => ({ step: 0 }),
    update(updates, state, params) {
      const l = valueAt(lambda, state.step++);
      for (let k = 0; k < updates.length; k++) {
        if (mask && !mask[k]) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) u[i] += l * Math.sign(p[i]);
      }
    },
  };
}

/**
 * Keeps pruned weights at zero: u ← −p wherever keep[k][i] is 0 (after magnitude pruning, the
 * fine-tuning steps then leave the pruned entries exactly zero). Parameters with no mask
 * (undefined) are untouched.
 *
 * @example
 * ```ts
 * const keep = model.params.map((q, k) => (model.decayMask()[k] ? pruneByMagnitude(q, 0.8) : undefined));
 * const fineTune = chain(adamw({ lr: 1e-4 }), keepPruned(keep));
 * ```
 */
export function keepPruned(keep: (Uint8Array | undefined)[]): Transform<null> {
  return {
    init: () => null,
    update(updates, _state, params) {
      for (let k = 0; k < updates.length; k++) {
        const m = keep[k];
        if (!m) continue;
        const u = updates[k];
        const p = params[k];
        for (let i = 0; i < u.length; i++) if (m[i] === 0) u[i] = -p[i];
      }
    },
  };
}
