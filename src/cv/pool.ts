import { Worker } from "node:worker_threads";
import type { JobInit, JobKind, JobResult } from "./jobs.js";

/**
 * Worker threads kept between calls: a fresh V8 isolate compiles the solvers cold, which costs
 * about as much as a fold fit; reused workers are warm. They are unref'd, so an idle pool never
 * keeps the process alive.
 */
const pool: Worker[] = [];

function workerPool(size: number): Worker[] {
  while (pool.length < size) {
    const wk = new Worker(new URL("./worker.js", import.meta.url));
    wk.unref();
    wk.on("error", () => {
      const at = pool.indexOf(wk);
      if (at >= 0) pool.splice(at, 1);
    });
    pool.push(wk);
  }
  return pool.slice(0, size);
}

/**
 * Runs jobs 1..K of a registered kind (src/cv/jobs.ts) on `size` pooled worker threads
 * (src/cv/worker.ts), each given one copy of `init`; results come back through `onResult` keyed by job number, so they do not depend on
 * which worker ran what. Each worker is handed `queued` jobs up front (then one per answer), so
 * that it stays busy while the calling thread computes something else.
 */
export function runJobs<Kind extends JobKind>(
  size: number,
  init: JobInit<Kind>,
  K: number,
  onResult: (job: number, r: JobResult<Kind>) => void,
  queued = 1,
): Promise<void> {
  const workers = workerPool(size);
  return new Promise((resolve, reject) => {
    let next = 1;
    let finished = 0;
    let failed = false;
    type FoldMessage = { fold: number; error?: string } & JobResult<Kind>;
    const handlers: [Worker, (m: FoldMessage) => void, (e: Error) => void][] = [];
    const done = () => {
      for (const [wk, onMessage, onError] of handlers) {
        wk.off("message", onMessage);
        wk.off("error", onError);
        wk.unref();
      }
    };
    for (const wk of workers) {
      wk.ref();
      const onError = (e: Error) => {
        if (failed) return;
        failed = true;
        done();
        reject(e);
      };
      const onMessage = (m: FoldMessage) => {
        if (failed) return;
        if (m.error) {
          failed = true;
          done();
          reject(new Error(`fold ${m.fold}: ${m.error}`));
          return;
        }
        // The next job first: the worker starts on it while this thread handles the result.
        if (next <= K) wk.postMessage({ fold: next++ });
        try {
          onResult(m.fold, m);
        } catch (e) {
          failed = true;
          done();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        finished++;
        if (finished === K) {
          done();
          resolve();
        }
      };
      handlers.push([wk, onMessage, onError]);
      wk.on("message", onMessage);
      wk.on("error", onError);
      wk.postMessage({ init });
      for (let q = 0; q < queued && next <= K; q++) wk.postMessage({ fold: next++ });
    }
  });
}
