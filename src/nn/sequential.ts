import type { Layer } from "./layers.js";
import type { Tensor } from "./optim.js";

/** Layers in sequence: forward, backward, and the parameter / gradient lists for an optimizer. */
export class Sequential {
  readonly params: Tensor[];
  readonly grads: Tensor[];

  constructor(readonly layers: Layer[]) {
    for (let k = 1; k < layers.length; k++)
      if (layers[k].inSize !== layers[k - 1].outSize)
        throw new Error(
          `layer ${k} takes ${layers[k].inSize} inputs, layer ${k - 1} gives ${layers[k - 1].outSize}`,
        );
    this.params = layers.flatMap((l) => l.params);
    this.grads = layers.flatMap((l) => l.grads);
  }

  forward(x: Tensor, batch: number, training: boolean): Tensor {
    let h = x;
    for (const l of this.layers) h = l.forward(h, batch, training);
    return h;
  }

  backward(gradOut: Tensor, batch: number): void {
    let g = gradOut;
    for (let k = this.layers.length - 1; k >= 0; k--) g = this.layers[k].backward(g, batch, k > 0);
  }

  /**
   * Which parameters weight decay (and L1) should touch: the Dense weight matrices, not biases or
   * norm scales and shifts — pass it as `weightDecayMask` to sgd, adam, adamw and the proximal
   * optimizers (trainMlp does).
   */
  decayMask(): boolean[] {
    return this.layers.flatMap((l) => l.params.map((_, k) => l.name === "dense" && k === 0));
  }

  zeroGrad(): void {
    for (const g of this.grads) g.fill(0);
  }
}
