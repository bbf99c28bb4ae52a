import { bayesianLasso, denseMatrix, elasticNetPath, Random, trainMlp } from "regularize";

/**
 * The #bayes panel's slow computations, off the page's thread:
 * - "lasso": the lasso on the standardized diabetes features at the λ where `nonzero` features
 *   are in, and the Bayesian lasso (Gibbs, Park & Casella) with the λ_B that makes that lasso its
 *   posterior mode with σ fixed (λ = λ_B·σ/n);
 * - "dropout": an MLP with dropout trained on a noisy 1-D sine, then Monte Carlo dropout's
 *   predictive mean and spread over a grid wider than the data.
 */
type Request =
  | {
      kind: "lasso";
      x: Float64Array;
      y: Float64Array;
      n: number;
      p: number;
      draws: number;
      nonzero: number;
    }
  | { kind: "dropout"; rate: number };

self.onmessage = (ev: MessageEvent<Request>) => {
  const r = ev.data;
  if (r.kind === "lasso") {
    const X = denseMatrix(r.n, r.p, r.x);
    // The lasso λ at which the path first holds `nonzero` features, and σ² from the path's
    // least-regularized end (residual mean square with n − p − 1 degrees of freedom).
    const path = elasticNetPath(X, r.y, { standardize: false });
    const k = Math.max(
      0,
      path.df.findIndex((v) => v >= r.nonzero),
    );
    const lambda = path.lambda[k];
    const last = path.lambda.length - 1;
    const sigma2 = ((1 - path.devRatio[last]) * path.nullDeviance * r.n) / (r.n - r.p - 1);
    // Park & Casella's λ_B whose posterior mode (σ fixed) is that lasso: λ = λ_B·σ/n.
    const lambdaB = (lambda * r.n) / Math.sqrt(sigma2);
    const post = bayesianLasso(X, r.y, {
      lambda: lambdaB,
      draws: r.draws,
      burnIn: 500,
      seed: 7,
      standardize: false,
    });
    const beta = new Float64Array(r.p);
    path.beta[k].index.forEach((j, t) => (beta[j] = path.beta[k].value[t]));
    (self as unknown as Worker).postMessage({
      kind: "lasso",
      median: post.median,
      lower: post.lower95,
      upper: post.upper95,
      mean: post.mean,
      lambdaB,
      lambda,
      lasso: beta,
      pathLambda: Array.from(path.lambda),
      pathBeta: path.beta.map((b) => {
        const v = new Array<number>(r.p).fill(0);
        b.index.forEach((j, t) => (v[j] = b.value[t]));
        return v;
      }),
      k,
    });
    return;
  }
  // 1-D regression: 120 points of sin(x) + noise on [−3, 3], predictions on [−6, 6].
  const rng = new Random(3);
  const n = 120;
  const x = Float64Array.from({ length: n }, () => -3 + 6 * rng.uniform());
  const y = Float64Array.from(x, (v) => Math.sin(v) + 0.15 * rng.normal());
  const m = trainMlp(x, y, n, 1, {
    task: "regression",
    hidden: [64, 64],
    activation: "tanh",
    dropout: r.rate,
    optimizer: "adam",
    lr: 0.01,
    epochs: 300,
    batchSize: 32,
    seed: 5,
  });
  const G = 121;
  const grid = Float64Array.from({ length: G }, (_, k) => -6 + (12 * k) / (G - 1));
  const mc = m.mcPredict(grid, G, 100, 11);
  (self as unknown as Worker).postMessage({
    kind: "dropout",
    rate: r.rate,
    x: Array.from(x),
    y: Array.from(y),
    grid: Array.from(grid),
    mean: Array.from(mc.mean),
    sd: Array.from(mc.sd),
  });
};
