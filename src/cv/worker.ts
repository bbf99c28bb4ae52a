// Worker-thread entry for parallel jobs (src/cv/pool.ts): receives the data once, then job
// numbers, and answers each with the registered job kind's result (src/cv/jobs.ts).
import { parentPort } from "node:worker_threads";
import { jobKinds, type JobInit, type JobKind } from "./jobs.js";

let data: JobInit<JobKind> | null = null;
parentPort!.on("message", (msg: { init?: JobInit<JobKind>; fold?: number }) => {
  if (msg.init) {
    data = msg.init;
    return;
  }
  const d = data!;
  const job = msg.fold!;
  try {
    const run = jobKinds[d.kind] as (d: JobInit<JobKind>, job: number) => object;
    parentPort!.postMessage({ fold: job, ...run(d, job) });
  } catch (e) {
    parentPort!.postMessage({ fold: job, error: e instanceof Error ? e.message : String(e) });
  }
});
