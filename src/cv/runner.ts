import type { JobInit, JobKind, JobResult } from "./jobs.js";

/** Runs jobs 1..K of a kind on `size` parallel workers (see pool.ts), results by job number. */
export type RunJobs = <Kind extends JobKind>(
  size: number,
  init: JobInit<Kind>,
  K: number,
  onResult: (job: number, r: JobResult<Kind>) => void,
  queued?: number,
) => Promise<void>;

/**
 * The platform's parallel job runner and its parallelism, registered by the entry point: Node's
 * (worker threads, `src/platform/node.ts`) or none (the browser build: cross-validation and
 * stability selection then run their jobs in the calling thread, with the same results).
 */
let runner: RunJobs | null = null;
let cores = (): number => 1;

export function setPlatform(run: RunJobs, parallelism: () => number): void {
  runner = run;
  cores = parallelism;
}

/** The registered runner, or null (jobs run in this thread). */
export function jobRunner(): RunJobs | null {
  return runner;
}

/** Workers worth starting by default: the platform's cores (1 without a runner). */
export function availableParallelism(): number {
  return runner ? cores() : 1;
}
