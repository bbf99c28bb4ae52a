// The browser entry of the library (package.json's "browser" export condition): the API of
// src/lib.ts with no `node:` imports. Cross-validation and stability selection run their jobs
// on Web Workers there (src/platform/browser.ts; in the calling thread where workers cannot
// start, with the same results); reading data files is Node-only ("regularize/node"), tables
// come in through fromTable, saved models through validateModel.
import "./platform/browser.js";
export * from "./lib.js";
