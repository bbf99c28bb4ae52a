// The main entry of the library in Node: everything of src/lib.ts, with Node's platform
// (worker threads for cross-validation folds and stability selection). The browser entry
// (src/browser.ts, chosen by bundlers through the "browser" export condition) has the same API
// without it.
import "./platform/node.js";
export * from "./lib.js";
