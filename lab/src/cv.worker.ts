import { denseMatrix, elasticNetPath, glmPath, coefAt } from "regularize";

/**
 * 10-fold cross-validation of a lasso path in a web worker (the page stays responsive): each fold
 * is fitted at the full path's λ grid and scored on its held-out rows (MSE, or binomial deviance).
 */
self.onmessage = (ev: MessageEvent) => {
  const { x, y, n, p, lambda, family } = ev.data as {
    x: Float64Array;
    y: Float64Array;
    n: number;
    p: number;
    lambda: number[];
    family: "gaussian" | "binomial";
  };
  const K = 10;
  const fold = Int32Array.from({ length: n }, (_, i) => (i * 7919) % K); // deterministic spread
  const L = lambda.length;
  const means: number[][] = [];
  for (let f = 0; f < K; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
    const xs = new Float64Array(tr.length * p);
    for (let j = 0; j < p; j++) tr.forEach((i, t) => (xs[j * tr.length + t] = x[j * n + i]));
    const ys = Float64Array.from(tr, (i) => y[i]);
    const X = denseMatrix(tr.length, p, xs);
    const fit =
      family === "gaussian"
        ? elasticNetPath(X, ys, { lambda })
        : glmPath("binomial", X, ys, { lambda });
    const row: number[] = [];
    for (let k = 0; k < L; k++) {
      const { intercept, beta } = coefAt(
        { nFeatures: p, lambda: fit.lambda, intercept: fit.intercept, beta: fit.beta },
        lambda[k],
      );
      let err = 0;
      for (const i of te) {
        let eta = intercept;
        for (let j = 0; j < p; j++) eta += beta[j] * x[j * n + i];
        if (family === "gaussian") err += (y[i] - eta) ** 2;
        else {
          const q = Math.min(Math.max(1 / (1 + Math.exp(-eta)), 1e-9), 1 - 1e-9);
          err += -2 * (y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
        }
      }
      row.push(err / te.length);
    }
    means.push(row);
    (self as unknown as Worker).postMessage({ progress: (f + 1) / K });
  }
  const cvm = lambda.map((_, k) => means.reduce((a, r) => a + r[k], 0) / K);
  const cvsd = lambda.map((_, k) =>
    Math.sqrt(means.reduce((a, r) => a + (r[k] - cvm[k]) ** 2, 0) / (K * (K - 1))),
  );
  (self as unknown as Worker).postMessage({ cvm, cvsd });
};
