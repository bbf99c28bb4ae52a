// Node's platform for the library (imported for its effect by the Node entry, src/index.ts):
// parallel cross-validation folds and stability-selection half-samples on worker threads.
import { availableParallelism } from "node:os";
import { runJobs } from "../cv/pool.js";
import { setPlatform } from "../cv/runner.js";

setPlatform(runJobs, availableParallelism);
// Helper threads for large products (the exact ridge path's): src/platform/nodeThreads.ts.
import "./nodeThreads.js";
