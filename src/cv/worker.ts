// Worker-thread entry for parallel cross-validation folds (see cvPath): receives the data once,
// then fold numbers, and answers each with the held-out predictions.
import { parentPort } from "node:worker_threads";
import type { Matrix } from "../data/matrix.js";
import type { GlmOptions } from "../path/glmPath.js";
import { foldPredictions } from "./foldJob.js";
import type { Family } from "./measures.js";

interface Init {
  family: Family;
  x: Matrix;
  y: Float64Array;
  options: GlmOptions;
  lambda: Float64Array;
  foldId: Int32Array;
}

let data: Init | null = null;
parentPort!.on("message", (msg: { init?: Init; fold?: number }) => {
  if (msg.init) {
    data = msg.init;
    return;
  }
  const d = data!;
  try {
    const r = foldPredictions(d.family, d.x, d.y, d.options, d.lambda, d.foldId, msg.fold!);
    parentPort!.postMessage({ fold: msg.fold, ...r });
  } catch (e) {
    parentPort!.postMessage({ fold: msg.fold, error: e instanceof Error ? e.message : String(e) });
  }
});
