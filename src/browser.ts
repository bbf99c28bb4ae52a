// The browser entry of the library (package.json's "browser" export condition): the API of
// src/lib.ts with no `node:` imports. Cross-validation and stability selection run their jobs
// in the calling thread there (same results as Node's worker threads); reading data files is
// Node-only ("regularize/node"), tables come in through fromTable, saved models through
// validateModel.
export * from "./lib.js";
