// The browser's platform for the library (imported for its effect by the browser entry,
// src/browser.ts): cross-validation folds and stability-selection half-samples on Web Workers
// where the environment has them (else in the calling thread, with the same results).
import { setPlatform } from "../cv/runner.js";
import { runWebJobs, webWorkersAvailable } from "../cv/webPool.js";

if (webWorkersAvailable())
  setPlatform(runWebJobs, () =>
    typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0
      ? navigator.hardwareConcurrency
      : 1,
  );
