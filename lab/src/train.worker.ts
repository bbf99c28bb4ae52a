import digitsCsv from "../../data/digits.csv?raw";
import { BatchNorm, trainMlp, type TrainOptions } from "regularize";

/**
 * Trains the MLP on the digits data in a web worker (the page stays responsive), posting each
 * epoch's record; at the end, the validation accuracy with batch norm in evaluation mode (running
 * statistics) and in training mode (each batch's own statistics).
 */
const rows = digitsCsv
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(",").map(Number));
const split = (keep: (i: number) => boolean) => {
  const r = rows.filter((_, i) => keep(i));
  return {
    x: Float64Array.from(r.flatMap((v) => v.slice(0, 64))),
    y: r.map((v) => v[64]),
    n: r.length,
  };
};
const train = split((i) => i % 5 !== 0);
const test = split((i) => i % 5 === 0);

self.onmessage = (ev: MessageEvent) => {
  const o = ev.data as TrainOptions;
  const m = trainMlp(train.x, train.y, train.n, 64, {
    ...o,
    validationSplit: 0.15,
    histogramBins: 30,
    onEpoch: (r) => (self as unknown as Worker).postMessage({ epoch: r }),
  });
  const evalMode = m.evaluate(test.x, test.y, test.n);
  let trainModeAccuracy: number | null = null;
  const bn = m.model.layers.filter((l) => l instanceof BatchNorm);
  if (bn.length) {
    // batch norm in training mode at test time: each chunk normalized by its own statistics
    // (the running statistics saved and restored, so nothing changes)
    const saved = bn.map((b) => [
      Float64Array.from((b as BatchNorm).runningMean),
      Float64Array.from((b as BatchNorm).runningVar),
    ]);
    const chunk = 16;
    let correct = 0;
    for (let s = 0; s < test.n; s += chunk) {
      const c = Math.min(chunk, test.n - s);
      if (c < 2) continue;
      const xs = new Float64Array(c * 64);
      for (let t = 0; t < c; t++)
        for (let j = 0; j < 64; j++)
          xs[t * 64 + j] = (test.x[(s + t) * 64 + j] - m.mean[j]) / m.sd[j];
      let h = xs as Float64Array | Float32Array;
      for (const l of m.model.layers) h = l.forward(h, c, l instanceof BatchNorm);
      for (let t = 0; t < c; t++) {
        let best = 0;
        for (let k = 1; k < 10; k++) if (h[t * 10 + k] > h[t * 10 + best]) best = k;
        if (m.classes[best] === test.y[s + t]) correct++;
      }
    }
    bn.forEach((b, i) => {
      (b as BatchNorm).runningMean.set(saved[i][0]);
      (b as BatchNorm).runningVar.set(saved[i][1]);
    });
    trainModeAccuracy = correct / test.n;
  }
  (self as unknown as Worker).postMessage({
    done: { test: evalMode, trainModeAccuracy, bestEpoch: m.bestEpoch },
  });
};
