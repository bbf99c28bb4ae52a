import type { Layer } from "./layers.js";

/** Layers in sequence: forward, backward, and the parameter / gradient lists for an optimizer. */
export class Sequential {
  readonly params: Float64Array[];
  readonly grads: Float64Array[];

  constructor(readonly layers: Layer[]) {
    for (let k = 1; k < layers.length; k++)
      if (layers[k].inSize !== layers[k - 1].outSize)
        throw new Error(
          `layer ${k} takes ${layers[k].inSize} inputs, layer ${k - 1} gives ${layers[k - 1].outSize}`,
        );
    this.params = layers.flatMap((l) => l.params);
    this.grads = layers.flatMap((l) => l.grads);
  }

  forward(x: Float64Array, batch: number, training: boolean): Float64Array {
    let h = x;
    for (const l of this.layers) h = l.forward(h, batch, training);
    return h;
  }

  backward(gradOut: Float64Array, batch: number): void {
    let g = gradOut;
    for (let k = this.layers.length - 1; k >= 0; k--) g = this.layers[k].backward(g, batch, k > 0);
  }

  zeroGrad(): void {
    for (const g of this.grads) g.fill(0);
  }
}
