import { jobKinds, type JobInit, type JobKind, type JobResult } from "./jobs.js";
import type { RunJobs } from "./runner.js";

/** Whether this environment can start Web Workers from a Blob URL. */
export function webWorkersAvailable(): boolean {
  return (
    typeof Worker === "function" &&
    typeof Blob === "function" &&
    typeof URL !== "undefined" &&
    typeof URL.createObjectURL === "function"
  );
}

/**
 * Runs jobs 1..K of a registered kind (src/cv/jobs.ts) on `size` Web Workers started from the
 * bundled worker script (src/cv/webWorker.ts as a Blob URL, so no bundler has to know of a
 * worker file), each given `init` once and `queued` jobs up front; results come back through
 * `onResult` by job number. Where a worker cannot start (no bundle, a content security policy
 * without blob: workers) the jobs it has not answered run in the calling thread instead, with
 * the same results; a job that fails rejects. The workers end with the call.
 */
export const runWebJobs: RunJobs = (size, init, K, onResult, queued) =>
  import("./webWorkerSource.js").then(({ WEB_WORKER_SOURCE }) =>
    runWithWorkerSource(WEB_WORKER_SOURCE, size, init, K, onResult, queued),
  );

/** runWebJobs with the workers' script given (empty: every job in the calling thread). */
export function runWithWorkerSource<Kind extends JobKind>(
  source: string,
  size: number,
  init: JobInit<Kind>,
  K: number,
  onResult: (job: number, r: JobResult<Kind>) => void,
  queued = 1,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const answered = new Uint8Array(K + 1);
    const workers: Worker[] = [];
    let url = "";
    let settled = false;
    let finished = 0;
    let next = 1;
    const stop = () => {
      settled = true;
      for (const w of workers) w.terminate();
      if (url) URL.revokeObjectURL(url);
    };
    const fail = (e: unknown) => {
      if (settled) return;
      stop();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const accept = (job: number, r: JobResult<Kind>) => {
      answered[job] = 1;
      onResult(job, r);
      if (++finished === K) {
        stop();
        resolve();
      }
    };
    // The jobs not answered yet, in this thread (workers unavailable or unable to start).
    const local = () => {
      if (settled) return;
      stop();
      try {
        const run = jobKinds[init.kind] as unknown as (
          d: JobInit<Kind>,
          job: number,
        ) => JobResult<Kind>;
        for (let job = 1; job <= K; job++)
          if (!answered[job]) {
            answered[job] = 1;
            onResult(job, run(init, job));
          }
        resolve();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    if (!source || !webWorkersAvailable()) return local();
    try {
      url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      for (let w = 0; w < size; w++) workers.push(new Worker(url));
    } catch {
      return local();
    }
    type Message = { fold: number; error?: string } & JobResult<Kind>;
    for (const wk of workers) {
      wk.onmessage = (ev: MessageEvent<Message>) => {
        if (settled) return;
        const m = ev.data;
        if (m.error) return fail(new Error(`fold ${m.fold}: ${m.error}`));
        if (next <= K) wk.postMessage({ fold: next++ });
        try {
          accept(m.fold, m);
        } catch (e) {
          fail(e);
        }
      };
      // A worker that cannot run (its script refused, say): the rest here.
      wk.onerror = (ev: ErrorEvent) => {
        ev.preventDefault();
        local();
      };
      wk.postMessage({ init });
      for (let q = 0; q < queued && next <= K; q++) wk.postMessage({ fold: next++ });
    }
  });
}
