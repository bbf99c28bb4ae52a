// Timing helpers shared by the benchmarks.
import { execFileSync, spawnSync } from "node:child_process";
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
/**
 * Runs f untimed for at least `ms` milliseconds. A new Node process takes about 1.5 s of running
 * before a path's time settles (the compiler's tiers, first touches of new WebAssembly memories:
 * the 846 × 18 multinomial path took 268, 54, 50, 43, 42 … ms in successive 0.4 s windows), so
 * each cell warms up this long before its timed batches: the tables compare steady states.
 */
export function warmUp(f, ms = 1500) {
  const t0 = performance.now();
  do f();
  while (performance.now() - t0 < ms);
}
export const median = (a) => [...a].sort((u, v) => u - v)[Math.floor(a.length / 2)];
export const geomean = (a) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);

/** The `--reps N` flag of a benchmark's command line (default `fallback`). */
export function repsArg(fallback = 3) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--reps");
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

/**
 * Installs glmnet (R) and, unless `noSklearn`, scikit-learn from Debian when they are missing:
 * benchmarks may install their references; unit tests never need them.
 */
export function ensureReferences(noSklearn = false) {
  const has = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
  const ok = () =>
    has("Rscript", ["-e", "library(glmnet); library(jsonlite)"]) &&
    (noSklearn || has("/usr/bin/python3", ["-c", "import sklearn"]));
  if (ok()) return;
  console.log(
    "installing the reference packages from Debian (r-cran-glmnet, r-cran-jsonlite, python3-sklearn)…",
  );
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync(
    "apt-get",
    ["install", "-y", "-qq", "r-cran-glmnet", "r-cran-jsonlite", "python3-sklearn"],
    {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    },
  );
  if (!ok()) throw new Error("reference packages are still missing");
}
