// Timing helpers shared by the benchmarks.
import { performance } from "node:perf_hooks";

/**
 * Seconds per call of f, from a batch of calls lasting at least `minMs` (the rule of the R
 * scripts, whose clock counts milliseconds).
 */
export function batch(f, minMs = 100) {
  let k = 0;
  const t0 = performance.now();
  let el;
  do {
    f();
    k++;
    el = performance.now() - t0;
  } while (el < minMs);
  return el / k / 1000;
}
export const median = (a) => [...a].sort((u, v) => u - v)[Math.floor(a.length / 2)];
export const geomean = (a) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);

/** The `--reps N` flag of a benchmark's command line (default `fallback`). */
export function repsArg(fallback = 3) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--reps");
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}
