/**
 * The Node-only entry of the library (`import { readTable } from "regularize/node"`): reading
 * data files with embedded DuckDB and apache-arrow. The main entry (`regularize`) does not import
 * it, so a browser build never pulls in DuckDB or `node:` modules.
 */
export {
  readTable,
  formatOf,
  type DataTable,
  type NumericTable,
  type ReadTableOptions,
  type MissingPolicy,
  type TableFormat,
} from "./io/table.js";
export { loadModel } from "./model/load.js";
export {
  readSvmlight,
  readMatrixMarket,
  sparseFormatOf,
  type SparseData,
  type SparseFormat,
} from "./io/sparseText.js";
