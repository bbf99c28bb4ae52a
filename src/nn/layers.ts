import { InputError } from "../errors.js";
import type { Random } from "../random.js";
import { allocate, matMem, type Dtype, type MatMem } from "./kernels.js";
import type { Tensor } from "./optim.js";

/**
 * Layers of a multilayer perceptron over mini-batches stored row-major (sample b, feature j at
 * b·width + j), in Float64. Each layer caches what its backward pass needs; `backward` takes
 * ∂loss/∂output, accumulates ∂loss/∂parameters into `grads` (aligned with `params`) and returns
 * ∂loss/∂input. Buffers are reused between steps of the same batch size: no allocation per step.
 * Conventions follow PyTorch (Linear weight out × in; BatchNorm momentum 0.1 with unbiased running
 * variance; Dropout inverted).
 */
export interface Layer {
  readonly name: string;
  readonly inSize: number;
  readonly outSize: number;
  readonly dtype: Dtype;
  readonly params: Tensor[];
  readonly grads: Tensor[];
  forward(x: Tensor, batch: number, training: boolean): Tensor;
  /** `needInputGrad: false` lets the first layer skip ∂loss/∂input (its result is then unspecified). */
  backward(gradOut: Tensor, batch: number, needInputGrad?: boolean): Tensor;
}

/** A buffer of at least n doubles, grown on demand (a view of exactly n). */
class Buffer {
  private data: Tensor = new Float64Array(0);
  get(n: number, dtype: Dtype): Tensor {
    if (this.data.length < n || (dtype === "float32") !== this.data instanceof Float32Array)
      this.data = allocate(dtype, n);
    return this.data.subarray(0, n);
  }
}

export type Init = "torch" | "he" | "glorot";

/**
 * Dense (PyTorch Linear): y = x Wᵀ + b, W out × in. Initialization: "torch" (uniform ±1/√in for W
 * and b, PyTorch's default), "he" (W ~ N(0, 2/in), b = 0; for ReLU), "glorot" (W uniform
 * ±√(6/(in + out)), b = 0). Parameters, gradients and the batch buffers live in one fixed block
 * of WebAssembly memory (src/nn/kernels.ts) sized for batches of up to `maxBatch` rows, where
 * the products run as register-blocked SIMD kernels.
 */
export class Dense implements Layer {
  readonly name = "dense";
  readonly params: Tensor[];
  readonly grads: Tensor[];
  private readonly mem: MatMem;
  private readonly off: {
    w: number;
    b: number;
    gw: number;
    gb: number;
    x: number;
    y: number;
    gx: number;
    g: number;
  };

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    rng: Random,
    init: Init = "torch",
    readonly maxBatch = 512,
    readonly dtype: Dtype = "float64",
  ) {
    if (!(Number.isInteger(inSize) && inSize > 0 && Number.isInteger(outSize) && outSize > 0))
      throw new InputError(`Dense: sizes must be positive integers, got ${inSize} → ${outSize}`);
    if (!(Number.isInteger(maxBatch) && maxBatch > 0))
      throw new InputError(`Dense: maxBatch must be a positive integer, got ${maxBatch}`);
    const I = inSize;
    const O = outSize;
    const w = 0;
    const b = w + O * I;
    const gw = b + O;
    const gb = gw + O * I;
    const x = gb + O;
    const y = x + maxBatch * I;
    const gx = y + maxBatch * O;
    const g = gx + maxBatch * I;
    this.off = { w, b, gw, gb, x, y, gx, g };
    this.mem = matMem(g + maxBatch * O, true, dtype);
    const f = this.mem.data;
    const W = f.subarray(w, b);
    const B = f.subarray(b, gw);
    if (init === "he") {
      const s = Math.sqrt(2 / I);
      for (let i = 0; i < W.length; i++) W[i] = s * rng.normal();
    } else if (init === "glorot") {
      const a = Math.sqrt(6 / (I + O));
      for (let i = 0; i < W.length; i++) W[i] = a * (2 * rng.uniform() - 1);
    } else {
      const a = 1 / Math.sqrt(I);
      for (let i = 0; i < W.length; i++) W[i] = a * (2 * rng.uniform() - 1);
      for (let i = 0; i < B.length; i++) B[i] = a * (2 * rng.uniform() - 1);
    }
    this.params = [W, B];
    this.grads = [f.subarray(gw, gb), f.subarray(gb, x)];
  }

  private checkBatch(batch: number): void {
    if (batch > this.maxBatch)
      throw new InputError(
        `Dense: a batch of ${batch} rows exceeds this layer's maxBatch (${this.maxBatch})`,
        { option: "batchSize" },
      );
  }

  forward(x: Tensor, batch: number): Tensor {
    this.checkBatch(batch);
    const { w, b, x: xo, y } = this.off;
    const f = this.mem.data;
    const I = this.inSize;
    const O = this.outSize;
    if (x.buffer !== f.buffer || x.byteOffset !== xo * 8) f.set(x.subarray(0, batch * I), xo);
    this.mem.nt(xo, w, b, y, batch, O, I);
    return f.subarray(y, y + batch * O);
  }

  backward(gOut: Tensor, batch: number, needInputGrad = true): Tensor {
    this.checkBatch(batch);
    const { w, gw, gb, x, gx, g } = this.off;
    const f = this.mem.data;
    const I = this.inSize;
    const O = this.outSize;
    f.set(gOut.subarray(0, batch * O), g);
    for (let s = 0; s < batch; s++) {
      const r = g + s * O;
      for (let o = 0; o < O; o++) f[gb + o] += f[r + o];
    }
    // ∂W += gᵀ x (O × I), ∂x = g W (batch × I)
    this.mem.nn(g, 1, O, x, gw, O, I, batch, true);
    if (needInputGrad) this.mem.nn(g, O, 1, w, gx, batch, I, O, false);
    return f.subarray(gx, gx + batch * I);
  }
}

export type ActivationName = "relu" | "gelu" | "tanh" | "sigmoid";

/**
 * erf(x) = (2/√π) e^{−x²} Σₙ 2ⁿx^{2n+1} / (1·3·…·(2n+1)) — a series of positive terms (no
 * cancellation), to double precision for |x| ≤ 6; beyond, |erf| = 1 to double precision.
 *
 * @example
 * ```ts
 * erf(1); // 0.8427007929497149
 * ```
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  const x2 = ax * ax;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x2) / (2 * k + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  const v = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  return x < 0 ? -v : v;
}

/** Elementwise activation: ReLU, GELU (exact, with erf, as PyTorch's default), tanh, sigmoid. */
export class Activation implements Layer {
  readonly name: string;
  readonly params: Tensor[] = [];
  readonly grads: Tensor[] = [];
  readonly outSize: number;
  private x: Tensor = new Float64Array(0);
  private readonly out = new Buffer();
  private readonly gin = new Buffer();

  constructor(
    readonly kind: ActivationName,
    readonly inSize: number,
    readonly dtype: Dtype = "float64",
  ) {
    if (!["relu", "gelu", "tanh", "sigmoid"].includes(kind))
      throw new InputError(`unknown activation '${kind}' (relu, gelu, tanh, sigmoid)`, {
        option: "activation",
      });
    this.name = kind;
    this.outSize = inSize;
  }

  forward(x: Tensor, batch: number): Tensor {
    this.x = x;
    const n = batch * this.inSize;
    const y = this.out.get(n, this.dtype);
    const k = this.kind;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] =
        k === "relu"
          ? v > 0
            ? v
            : 0
          : k === "tanh"
            ? Math.tanh(v)
            : k === "sigmoid"
              ? 1 / (1 + Math.exp(-v))
              : 0.5 * v * (1 + erf(v / Math.SQRT2));
    }
    return y;
  }

  backward(g: Tensor, batch: number): Tensor {
    const n = batch * this.inSize;
    const gx = this.gin.get(n, this.dtype);
    const x = this.x;
    const y = this.out.get(n, this.dtype);
    const k = this.kind;
    for (let i = 0; i < n; i++) {
      let d: number;
      if (k === "relu") d = x[i] > 0 ? 1 : 0;
      else if (k === "tanh") d = 1 - y[i] * y[i];
      else if (k === "sigmoid") d = y[i] * (1 - y[i]);
      else {
        const v = x[i];
        d = 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI);
      }
      gx[i] = g[i] * d;
    }
    return gx;
  }
}

/**
 * Dropout with rate p. "inverted" (PyTorch's): in training each unit is kept with probability
 * 1 − p and scaled by 1/(1 − p), identity in evaluation. "standard" (Srivastava et al. 2014):
 * kept units unscaled in training, every unit scaled by 1 − p in evaluation. Both have the same
 * expectation in training as in evaluation.
 */
export class Dropout implements Layer {
  readonly name = "dropout";
  readonly params: Tensor[] = [];
  readonly grads: Tensor[] = [];
  readonly outSize: number;
  private mask = new Float64Array(0);
  private readonly out = new Buffer();
  private readonly gin = new Buffer();
  private training = false;

  constructor(
    readonly p: number,
    readonly inSize: number,
    private rng: Random,
    readonly mode: "inverted" | "standard" = "inverted",
    readonly dtype: Dtype = "float64",
  ) {
    if (!(p >= 0 && p < 1))
      throw new InputError(`dropout rate must be in [0, 1), got ${p}`, { option: "dropout" });
    this.outSize = inSize;
  }

  /** Draws the masks from another generator from now on (Monte Carlo dropout uses its own). */
  setRandom(rng: Random): void {
    this.rng = rng;
  }

  forward(x: Tensor, batch: number, training: boolean): Tensor {
    const n = batch * this.inSize;
    const y = this.out.get(n, this.dtype);
    this.training = training;
    if (!training) {
      const s = this.mode === "inverted" ? 1 : 1 - this.p;
      for (let i = 0; i < n; i++) y[i] = s * x[i];
      return y;
    }
    if (this.mask.length < n) this.mask = new Float64Array(n);
    const keep = this.mode === "inverted" ? 1 / (1 - this.p) : 1;
    // A unit is dropped when a uniform 32-bit draw falls below p·2³² (one draw per unit).
    const cut = this.p * 4294967296;
    for (let i = 0; i < n; i++) {
      const m = this.rng.nextUint32() >= cut ? keep : 0;
      this.mask[i] = m;
      y[i] = m * x[i];
    }
    return y;
  }

  backward(g: Tensor, batch: number): Tensor {
    const n = batch * this.inSize;
    const gx = this.gin.get(n, this.dtype);
    if (!this.training) {
      const s = this.mode === "inverted" ? 1 : 1 - this.p;
      for (let i = 0; i < n; i++) gx[i] = s * g[i];
    } else for (let i = 0; i < n; i++) gx[i] = this.mask[i] * g[i];
    return gx;
  }
}

/**
 * Batch normalization over the batch (PyTorch BatchNorm1d): in training x̂ = (x − μ_B)/√(σ²_B + ε)
 * with the batch mean and biased variance, and running statistics updated as
 * r ← (1 − momentum)·r + momentum·(batch statistic), the variance's unbiased (÷(B − 1)); in
 * evaluation the running statistics are used. Output γ·x̂ + β.
 */
export class BatchNorm implements Layer {
  readonly name = "batchNorm";
  readonly params: Tensor[];
  readonly grads: Tensor[];
  readonly outSize: number;
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;
  private xhat = new Buffer();
  private invStd = new Float64Array(0);
  private readonly out = new Buffer();
  private readonly gin = new Buffer();
  private training = false;

  constructor(
    readonly inSize: number,
    readonly momentum = 0.1,
    readonly eps = 1e-5,
    readonly dtype: Dtype = "float64",
  ) {
    this.outSize = inSize;
    this.params = [allocate(dtype, inSize).fill(1), allocate(dtype, inSize)];
    this.grads = [allocate(dtype, inSize), allocate(dtype, inSize)];
    this.runningMean = new Float64Array(inSize);
    this.runningVar = new Float64Array(inSize).fill(1);
    this.invStd = new Float64Array(inSize);
  }

  forward(x: Tensor, batch: number, training: boolean): Tensor {
    const F = this.inSize;
    const [gamma, beta] = this.params;
    const y = this.out.get(batch * F, this.dtype);
    const xh = this.xhat.get(batch * F, this.dtype);
    this.training = training;
    if (training && batch < 2)
      throw new InputError("batch normalization needs at least 2 samples per training batch", {
        option: "batchSize",
      });
    for (let f = 0; f < F; f++) {
      let mean: number;
      let inv: number;
      if (training) {
        let m = 0;
        for (let s = 0; s < batch; s++) m += x[s * F + f];
        m /= batch;
        let v = 0;
        for (let s = 0; s < batch; s++) v += (x[s * F + f] - m) ** 2;
        const biased = v / batch;
        this.runningMean[f] = (1 - this.momentum) * this.runningMean[f] + this.momentum * m;
        this.runningVar[f] =
          (1 - this.momentum) * this.runningVar[f] + (this.momentum * v) / (batch - 1);
        mean = m;
        inv = 1 / Math.sqrt(biased + this.eps);
      } else {
        mean = this.runningMean[f];
        inv = 1 / Math.sqrt(this.runningVar[f] + this.eps);
      }
      this.invStd[f] = inv;
      for (let s = 0; s < batch; s++) {
        const h = (x[s * F + f] - mean) * inv;
        xh[s * F + f] = h;
        y[s * F + f] = gamma[f] * h + beta[f];
      }
    }
    return y;
  }

  backward(g: Tensor, batch: number): Tensor {
    const F = this.inSize;
    const [gamma] = this.params;
    const [gg, gbeta] = this.grads;
    const xh = this.xhat.get(batch * F, this.dtype);
    const gx = this.gin.get(batch * F, this.dtype);
    for (let f = 0; f < F; f++) {
      let sg = 0;
      let sgx = 0;
      for (let s = 0; s < batch; s++) {
        sg += g[s * F + f];
        sgx += g[s * F + f] * xh[s * F + f];
      }
      gbeta[f] += sg;
      gg[f] += sgx;
      const k = gamma[f] * this.invStd[f];
      for (let s = 0; s < batch; s++) {
        const i = s * F + f;
        gx[i] = this.training ? (k / batch) * (batch * g[i] - sg - xh[i] * sgx) : k * g[i];
      }
    }
    return gx;
  }
}

/** Layer normalization over each sample's features (PyTorch LayerNorm, elementwise affine). */
export class LayerNorm implements Layer {
  readonly name = "layerNorm";
  readonly params: Tensor[];
  readonly grads: Tensor[];
  readonly outSize: number;
  private xhat = new Buffer();
  private invStd = new Buffer();
  private readonly out = new Buffer();
  private readonly gin = new Buffer();

  constructor(
    readonly inSize: number,
    readonly eps = 1e-5,
    readonly dtype: Dtype = "float64",
  ) {
    this.outSize = inSize;
    this.params = [allocate(dtype, inSize).fill(1), allocate(dtype, inSize)];
    this.grads = [allocate(dtype, inSize), allocate(dtype, inSize)];
  }

  forward(x: Tensor, batch: number): Tensor {
    const F = this.inSize;
    const [gamma, beta] = this.params;
    const y = this.out.get(batch * F, this.dtype);
    const xh = this.xhat.get(batch * F, this.dtype);
    const inv = this.invStd.get(batch, "float64");
    for (let s = 0; s < batch; s++) {
      let m = 0;
      for (let f = 0; f < F; f++) m += x[s * F + f];
      m /= F;
      let v = 0;
      for (let f = 0; f < F; f++) v += (x[s * F + f] - m) ** 2;
      inv[s] = 1 / Math.sqrt(v / F + this.eps);
      for (let f = 0; f < F; f++) {
        const h = (x[s * F + f] - m) * inv[s];
        xh[s * F + f] = h;
        y[s * F + f] = gamma[f] * h + beta[f];
      }
    }
    return y;
  }

  backward(g: Tensor, batch: number): Tensor {
    const F = this.inSize;
    const [gamma] = this.params;
    const [gg, gbeta] = this.grads;
    const xh = this.xhat.get(batch * F, this.dtype);
    const inv = this.invStd.get(batch, "float64");
    const gx = this.gin.get(batch * F, this.dtype);
    for (let s = 0; s < batch; s++) {
      let a = 0;
      let b = 0;
      for (let f = 0; f < F; f++) {
        const i = s * F + f;
        gbeta[f] += g[i];
        gg[f] += g[i] * xh[i];
        const gh = g[i] * gamma[f];
        a += gh;
        b += gh * xh[i];
      }
      for (let f = 0; f < F; f++) {
        const i = s * F + f;
        gx[i] = (inv[s] / F) * (F * g[i] * gamma[f] - a - xh[i] * b);
      }
    }
    return gx;
  }
}
