import type { DenseMatrix, Matrix } from "../data/matrix.js";
import type { GlmOptions } from "../path/glmPath.js";
import { halfSampleSelection } from "../select/halfSample.js";
import { foldFit, type FoldFit } from "./foldJob.js";
import type { CvFamily, Family } from "./measures.js";

/** The data every job kind is given once per worker. */
interface Shared {
  family: Family;
  x: Matrix;
  y: Float64Array;
  options: GlmOptions;
}

/**
 * The kinds of job the worker pool (src/cv/pool.ts) runs, by name: each takes the data a worker
 * was given once and a job number (1-based) and returns what is posted back. A new kind of
 * parallel work registers here; neither the pool nor the worker switches on kinds.
 */
export const jobKinds = {
  /** One cross-validation fold: the path fitted without fold `job`, predicted on it (cvPath). */
  cv: (
    d: Omit<Shared, "family" | "y"> & {
      family: CvFamily;
      y: Float64Array | DenseMatrix;
      foldId: Int32Array;
    },
    job: number,
  ): { fit: FoldFit } => ({
    fit: foldFit(d.family, d.x, d.y, d.options, d.foldId, job),
  }),
  /** One half-sample's selected features along the path (stabilitySelection). */
  stability: (
    d: Shared & { lambda: Float64Array; halves: Int32Array[] },
    job: number,
  ): { selected: Int32Array[] } => ({
    selected: halfSampleSelection(d.family, d.x, d.y, d.options, d.lambda, d.halves[job - 1]),
  }),
};

export type JobKind = keyof typeof jobKinds;
/** A worker's data for jobs of kind K, tagged with the kind. */
export type JobInit<K extends JobKind> = Parameters<(typeof jobKinds)[K]>[0] & { kind: K };
export type JobResult<K extends JobKind> = ReturnType<(typeof jobKinds)[K]>;
