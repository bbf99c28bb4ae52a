// Web Worker entry for parallel jobs in the browser (src/cv/webPool.ts): the same protocol as the
// Node worker (src/cv/worker.ts): the data once, then job numbers, each answered with the
// registered job kind's result (src/cv/jobs.ts). Bundled into one script string at build time
// (scripts/build-web-worker.mjs), so that it runs from a Blob URL under any bundler.
import { jobKinds, type JobInit, type JobKind } from "./jobs.js";

const scope = globalThis as unknown as {
  onmessage: ((ev: { data: { init?: JobInit<JobKind>; fold?: number } }) => void) | null;
  postMessage(message: unknown): void;
};
let data: JobInit<JobKind> | null = null;
scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.init) {
    data = msg.init;
    return;
  }
  const job = msg.fold!;
  try {
    const run = jobKinds[data!.kind] as (d: JobInit<JobKind>, job: number) => object;
    scope.postMessage({ fold: job, ...run(data!, job) });
  } catch (e) {
    scope.postMessage({ fold: job, error: e instanceof Error ? e.message : String(e) });
  }
};
