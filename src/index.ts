export { InputError } from "./errors.js";
export * from "./data/matrix.js";
export { elasticNetPath } from "./path/elasticNetPath.js";
export type { PathFit, SparseVector } from "./path/elasticNetPath.js";
export type { ElasticNetOptions } from "./path/options.js";
export * from "./penalty/elasticNet.js";
export { Random } from "./random.js";
