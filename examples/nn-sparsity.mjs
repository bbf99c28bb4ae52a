// Exact zeros in a neural network: proximal steps against an L1 term in the loss, on the digits
// data (64 → 256 → 256 → 10, 5 epochs each, same seed). Proximal Adam / SGD soft-threshold after
// each step and land weights exactly on 0; Adam with λ·sign(w) added to the gradient makes them
// oscillate around 0 and almost never hit it. The group prox zeroes whole neurons.
// Run: npm run example -- nn-sparsity
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainMlp } from "../dist/index.js";

const rows = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "..", "data", "digits.csv"),
  "utf8",
)
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));
const part = (keep) => {
  const r = rows.filter((_, i) => keep(i));
  return {
    x: Float64Array.from(r.flatMap((v) => v.slice(0, 64))),
    y: r.map((v) => v[64]),
    n: r.length,
  };
};
const train = part((i) => i % 5 !== 0);
const test = part((i) => i % 5 === 0);

const runs = [
  ["adam, L1 in the loss (λ = 1e-3)", { optimizer: "adam", l1: 1e-3 }],
  ["proxadam, L1 prox (λ = 1e-3)", { optimizer: "proxadam", l1: 1e-3 }],
  ["proxsgd, L1 prox (λ = 2e-3, lr 0.05)", { optimizer: "proxsgd", lr: 0.05, l1: 2e-3 }],
  ["proxadam, group prox (λ = 3e-4)", { optimizer: "proxadam", group: 3e-4 }],
  ["proxadam, group prox (λ = 1e-3)", { optimizer: "proxadam", group: 1e-3 }],
];
console.log(
  "optimizer                               exact zeros   tiny |w|<1e-4   dead neurons   test acc",
);
for (const [label, o] of runs) {
  const m = trainMlp(train.x, train.y, train.n, 64, {
    hidden: [256, 256],
    epochs: 5,
    seed: 2,
    ...o,
  });
  let zeros = 0;
  let tiny = 0;
  let size = 0;
  let dead = 0;
  for (const layer of m.model.layers.filter((l) => l.name === "dense")) {
    const w = layer.params[0];
    size += w.length;
    for (const v of w) {
      if (v === 0) zeros++;
      else if (Math.abs(v) < 1e-4) tiny++;
    }
    const width = layer.inSize;
    for (let r = 0; r < layer.outSize; r++)
      if (w.subarray(r * width, (r + 1) * width).every((v) => v === 0)) dead++;
  }
  const acc = m.evaluate(test.x, test.y, test.n).accuracy;
  console.log(
    `${label.padEnd(38)} ${((100 * zeros) / size).toFixed(1).padStart(10)}%   ${((100 * tiny) / size).toFixed(1).padStart(12)}%   ${String(dead).padStart(12)}   ${acc.toFixed(4)}`,
  );
}
