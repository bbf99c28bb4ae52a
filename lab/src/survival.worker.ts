import { cvPath, denseMatrix } from "regularize";

/**
 * Cross-validates the #survival panel's Cox lasso path off the page's thread: 10 folds (seed 1),
 * Harrell's concordance per fold, on the same λ grid as the page's fit.
 */
self.onmessage = async (ev: MessageEvent) => {
  const { x, n, p, time, status } = ev.data as {
    x: Float64Array;
    n: number;
    p: number;
    time: Float64Array;
    status: Float64Array;
  };
  const cv = await cvPath(denseMatrix(n, p, x), time, {
    family: "cox",
    status,
    measure: "C",
    nFolds: 10,
    seed: 1,
    onProgress: (done, total) =>
      (self as unknown as Worker).postMessage({ progress: done / total }),
  });
  (self as unknown as Worker).postMessage({
    lambda: Array.from(cv.lambda),
    cvm: Array.from(cv.cvm),
    cvsd: Array.from(cv.cvsd),
    indexMin: cv.indexMin,
    index1se: cv.index1se,
  });
};
