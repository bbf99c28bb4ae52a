// Worker-thread entry for parallel jobs (src/cv/pool.ts): receives the data once, then job
// numbers, and answers each — a cross-validation fold's fitted path (cvPath), or a half-sample's
// selected features along the path (stabilitySelection).
import { parentPort } from "node:worker_threads";
import type { Matrix } from "../data/matrix.js";
import type { GlmOptions } from "../path/glmPath.js";
import { halfSampleSelection } from "../select/halfSample.js";
import { foldFit } from "./foldJob.js";
import type { Family } from "./measures.js";

interface Init {
  kind: "cv" | "stability";
  family: Family;
  x: Matrix;
  y: Float64Array;
  options: GlmOptions;
  lambda?: Float64Array;
  foldId?: Int32Array;
  halves?: Int32Array[];
}

let data: Init | null = null;
parentPort!.on("message", (msg: { init?: Init; fold?: number }) => {
  if (msg.init) {
    data = msg.init;
    return;
  }
  const d = data!;
  const job = msg.fold!;
  try {
    if (d.kind === "stability") {
      const selected = halfSampleSelection(
        d.family,
        d.x,
        d.y,
        d.options,
        d.lambda!,
        d.halves![job - 1],
      );
      parentPort!.postMessage({ fold: job, selected });
    } else {
      const fit = foldFit(d.family, d.x, d.y, d.options, d.foldId!, job);
      parentPort!.postMessage({ fold: job, fit });
    }
  } catch (e) {
    parentPort!.postMessage({ fold: job, error: e instanceof Error ? e.message : String(e) });
  }
});
