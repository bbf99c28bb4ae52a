import { InputError } from "../errors.js";
import { Random } from "../random.js";
import type { Penalty } from "./penalties.js";
import type { Smooth } from "./smooth.js";

/** What every solver returns: the iterate, its objective and its own optimality certificate. */
export interface ProxResult {
  solver: string;
  w: Float64Array;
  /** f(w) + g(w). */
  objective: number;
  iterations: number;
  /** The KKT violation: distance of −∇f(w) to ∂g(w) (0 exactly at a solution). */
  kkt: number;
  /** kkt ≤ tol was reached (methods without a stopping rule: false, they run maxIter). */
  converged: boolean;
  /** Per iteration, when asked for: the objective and the number of exact zeros in w. */
  trace?: { objective: number[]; zeros: number[] };
}

/** Options shared by the proximal and subgradient solvers: iteration limits, tolerance (on the KKT violation), trace, step rules. */
export interface SolverOptions {
  /** Starting point (default 0). */
  w0?: ArrayLike<number>;
  /** Largest number of iterations (epochs for proxSgd). */
  maxIter?: number;
  /**
   * Stop once the KKT violation is at most tol (default 1e-10·‖∇f(w0)‖∞: relative to the
   * gradient's scale at the start, so that it means the same for any units of y).
   */
  tol?: number;
  /** Record objective and zero count per iteration. */
  trace?: boolean;
}

function start(f: Smooth, o: SolverOptions): Float64Array {
  const w = new Float64Array(f.dim);
  if (o.w0) {
    if (o.w0.length !== f.dim)
      throw new InputError(`w0 has ${o.w0.length} values, the problem has ${f.dim}`, {
        option: "w0",
      });
    w.set(Array.from(o.w0));
  }
  return w;
}

function tolerance(f: Smooth, w: Float64Array, o: SolverOptions): number {
  if (o.tol !== undefined) return o.tol;
  const grad = new Float64Array(f.dim);
  f.gradient(w, grad);
  let m = 0;
  for (let j = 0; j < grad.length; j++) m = Math.max(m, Math.abs(grad[j]));
  return 1e-10 * Math.max(m, 1e-300);
}

function zeros(w: Float64Array): number {
  let z = 0;
  for (let j = 0; j < w.length; j++) if (w[j] === 0) z++;
  return z;
}

function finish(
  solver: string,
  f: Smooth,
  g: Penalty,
  w: Float64Array,
  iterations: number,
  tol: number,
  trace: ProxResult["trace"],
): ProxResult {
  const grad = new Float64Array(f.dim);
  const fv = f.gradient(w, grad);
  const kkt = g.subdiffDistance(w, grad);
  return {
    solver,
    w,
    objective: fv + g.value(w),
    iterations,
    kkt,
    converged: kkt <= tol,
    ...(trace ? { trace } : {}),
  };
}

/**
 * Proximal gradient (ISTA) or its accelerated form (FISTA; Beck & Teboulle 2009) for f + g:
 *
 *     z = prox_{t·g}(y − t∇f(y)),  t halved until f(z) ≤ f(y) + ∇f(y)ᵀ(z − y) + ‖z − y‖²/(2t),
 *
 * y = the last iterate (ISTA) or the momentum point (FISTA), with O'Donoghue & Candès (2015)
 * adaptive restart (momentum dropped when (y − z)ᵀ(z − x) > 0). Exact zeros come from the prox.
 * With an indicator g (box, l1Ball) this is projected gradient. The KKT violation is checked every
 * 10 iterations and at the end.
 *
 * @example
 * ```ts
 * const f = glmDatafit("squared", x, y, { intercept: true });
 * const r = proximalGradient(f, l1(0.5)); // FISTA with backtracking and restart
 * r.w; r.kkt; // exact zeros, and the KKT violation reached
 * ```
 */
export function proximalGradient(
  f: Smooth,
  g: Penalty,
  options: SolverOptions & { accelerated?: boolean } = {},
): ProxResult {
  const accelerated = options.accelerated ?? true;
  const maxIter = options.maxIter ?? 100000;
  const dim = f.dim;
  const x = start(f, options);
  const tol = tolerance(f, x, options);
  const y = Float64Array.from(x);
  const grad = new Float64Array(dim);
  const z = new Float64Array(dim);
  const v = new Float64Array(dim);
  let step = 1 / (f.lipschitz && f.lipschitz > 0 ? f.lipschitz : 1);
  let theta = 1;
  const trace = options.trace ? { objective: [] as number[], zeros: [] as number[] } : undefined;
  let it = 0;
  for (; it < maxIter; it++) {
    const fy = f.gradient(y, grad);
    for (;;) {
      for (let j = 0; j < dim; j++) v[j] = y[j] - step * grad[j];
      g.prox(v, step, z);
      let lin = 0;
      let sq = 0;
      for (let j = 0; j < dim; j++) {
        const d = z[j] - y[j];
        lin += grad[j] * d;
        sq += d * d;
      }
      const fz = f.value(z);
      if (fz <= fy + lin + sq / (2 * step) + 1e-12 * Math.abs(fy) || step < 1e-300) break;
      step *= 0.5;
    }
    if (accelerated) {
      const next = (1 + Math.sqrt(1 + 4 * theta * theta)) / 2;
      let restart = 0;
      for (let j = 0; j < dim; j++) restart += (y[j] - z[j]) * (z[j] - x[j]);
      const beta = restart > 0 ? 0 : (theta - 1) / next;
      theta = restart > 0 ? 1 : next;
      for (let j = 0; j < dim; j++) y[j] = z[j] + beta * (z[j] - x[j]);
    } else y.set(z);
    x.set(z);
    if (trace) {
      trace.objective.push(f.value(x) + g.value(x));
      trace.zeros.push(zeros(x));
    }
    if ((it + 1) % 10 === 0) {
      f.gradient(x, grad);
      if (g.subdiffDistance(x, grad) <= tol) {
        it++;
        break;
      }
    }
  }
  return finish(accelerated ? "fista" : "ista", f, g, x, it, tol, trace);
}

/**
 * Plain subgradient descent on f + g, deliberately the method that does not give exact zeros:
 * w ← w − ηₖ(∇f(w) + s), s the middle of ∂g(w) (for the lasso λ·sign(w), with sign(0) = 0), and
 * diminishing steps ηₖ = η₀/√(k+1) (η₀ = 1/L). A weight near zero oscillates around it instead
 * of landing on it. `truncated`: an update that would cross zero stops at zero (the "truncated
 * gradient" of Langford, Li & Zhang 2009), which does make zeros. Runs maxIter iterations (no
 * stopping rule: its KKT violation does not go to zero); the best iterate is returned.
 *
 * @example
 * ```ts
 * const r = subgradientDescent(f, l1(0.5), { maxIter: 5000 }); // no exact zeros: the point of the comparison
 * ```
 */
export function subgradientDescent(
  f: Smooth,
  g: Penalty,
  options: SolverOptions & { truncated?: boolean; step0?: number } = {},
): ProxResult {
  if (!g.subdiffInterval)
    throw new InputError(`subgradient descent needs a separable penalty, got ${g.name}`, {
      option: "penalty",
    });
  const sub = g.subdiffInterval.bind(g);
  const maxIter = options.maxIter ?? 10000;
  const dim = f.dim;
  const w = start(f, options);
  const tol = tolerance(f, w, options);
  const grad = new Float64Array(dim);
  const step0 = options.step0 ?? 1 / (f.lipschitz && f.lipschitz > 0 ? f.lipschitz : 1);
  let best = Float64Array.from(w);
  let bestF = Infinity;
  const trace = options.trace ? { objective: [] as number[], zeros: [] as number[] } : undefined;
  for (let k = 0; k < maxIter; k++) {
    const fv = f.gradient(w, grad) + g.value(w);
    if (fv < bestF) {
      bestF = fv;
      best = Float64Array.from(w);
    }
    if (trace) {
      trace.objective.push(fv);
      trace.zeros.push(zeros(w));
    }
    const eta = step0 / Math.sqrt(k + 1);
    for (let j = 0; j < dim; j++) {
      const [lo, hi] = sub(w, j);
      const s = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : 0;
      const next = w[j] - eta * (grad[j] + s);
      w[j] = options.truncated && w[j] !== 0 && next !== 0 && next > 0 !== w[j] > 0 ? 0 : next;
    }
  }
  const fv = f.value(w) + g.value(w);
  return finish(
    options.truncated ? "truncatedSubgradient" : "subgradient",
    f,
    g,
    fv < bestF ? w : best,
    maxIter,
    tol,
    trace,
  );
}

/**
 * Proximal stochastic gradient: per mini-batch of samples (seeded shuffles each epoch),
 * w ← prox_{η·g}(w − η·∇f_batch(w)), steps ηₜ = η₀/(1 + t/T) decaying over the epochs
 * (η₀ = 1/L). The prox after every step keeps exact zeros; the noise keeps it from converging
 * to the KKT tolerance, so it runs its epochs.
 *
 * @example
 * ```ts
 * const r = proxSgd(f, l1(0.1), { batchSize: 32, maxIter: 30, seed: 1 }); // mini-batch steps, prox after each
 * ```
 */
export function proxSgd(
  f: Smooth,
  g: Penalty,
  options: SolverOptions & { batchSize?: number; seed?: number; step0?: number } = {},
): ProxResult {
  if (!f.batchGradient || !f.nSamples)
    throw new InputError("proxSgd needs a datafit with mini-batch gradients (glmDatafit)", {
      option: "datafit",
    });
  const n = f.nSamples;
  const epochs = options.maxIter ?? 100;
  const batch = Math.min(options.batchSize ?? 32, n);
  const rng = new Random(options.seed ?? 1);
  const dim = f.dim;
  const w = start(f, options);
  const tol = tolerance(f, w, options);
  const grad = new Float64Array(dim);
  const v = new Float64Array(dim);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const step0 = options.step0 ?? 1 / (f.lipschitz && f.lipschitz > 0 ? f.lipschitz : 1);
  const perEpoch = Math.ceil(n / batch);
  const trace = options.trace ? { objective: [] as number[], zeros: [] as number[] } : undefined;
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const u = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[u]] = [order[u], order[i]];
    }
    for (let s = 0; s < n; s += batch) {
      const count = Math.min(batch, n - s);
      f.batchGradient(w, order.subarray(s, s + count), count, grad);
      const eta = step0 / (1 + t / perEpoch);
      for (let j = 0; j < dim; j++) v[j] = w[j] - eta * grad[j];
      g.prox(v, eta, w);
      t++;
    }
    if (trace) {
      trace.objective.push(f.value(w) + g.value(w));
      trace.zeros.push(zeros(w));
    }
  }
  return finish("proxSgd", f, g, w, epochs, tol, trace);
}

/**
 * OWL-QN (Andrew & Gao 2007): L-BFGS for f + Σⱼ κⱼ|wⱼ|. Directions come from the two-loop
 * recursion applied to the pseudo-gradient (the minimum-norm element of the subdifferential of
 * f + g, whose largest entry is the KKT violation), are aligned with its orthant, and every trial
 * point is projected onto the orthant of the current point (a coordinate that would change sign
 * stops at zero): so it lands on exact zeros. `g` must be a lasso or elastic net without a box;
 * its L2 part joins the smooth function.
 *
 * @example
 * ```ts
 * const r = owlqn(f, l1(0.5)); // orthant-wise L-BFGS: exact zeros, quasi-Newton speed
 * ```
 */
export function owlqn(
  f: Smooth,
  g: Penalty,
  options: SolverOptions & { memory?: number } = {},
): ProxResult {
  if (!g.subdiffInterval || !(g.name === "l1" || g.name === "elasticNet" || g.name === "l2"))
    throw new InputError(`OWL-QN handles the lasso and elastic net, got ${g.name}`, {
      option: "penalty",
    });
  const sub = g.subdiffInterval.bind(g);
  const dim = f.dim;
  // κⱼ and the ridge coefficient ρⱼ of each coordinate, read off ∂g at ±1 and 0.
  const probe = new Float64Array(dim);
  const kappa = new Float64Array(dim);
  const ridge = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    probe[j] = 0;
    kappa[j] = sub(probe, j)[1];
    probe[j] = 1;
    ridge[j] = sub(probe, j)[0] - kappa[j];
    probe[j] = 0;
  }
  const maxIter = options.maxIter ?? 10000;
  const m = options.memory ?? 10;
  const smooth = (w: Float64Array, out: Float64Array) => {
    let v = f.gradient(w, out);
    for (let j = 0; j < dim; j++) {
      v += 0.5 * ridge[j] * w[j] * w[j];
      out[j] += ridge[j] * w[j];
    }
    return v;
  };
  const l1Value = (w: Float64Array) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += kappa[j] * Math.abs(w[j]);
    return s;
  };
  const pseudo = (w: Float64Array, gr: Float64Array, out: Float64Array) => {
    let worst = 0;
    for (let j = 0; j < dim; j++) {
      const k = kappa[j];
      let v: number;
      if (w[j] > 0) v = gr[j] + k;
      else if (w[j] < 0) v = gr[j] - k;
      else if (gr[j] + k < 0) v = gr[j] + k;
      else if (gr[j] - k > 0) v = gr[j] - k;
      else v = 0;
      out[j] = v;
      worst = Math.max(worst, Math.abs(v));
    }
    return worst;
  };
  let w = start(f, options);
  const tol = tolerance(f, w, options);
  let gr = new Float64Array(dim);
  let fw = smooth(w, gr) + l1Value(w);
  const pg = new Float64Array(dim);
  const d = new Float64Array(dim);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const trace = options.trace ? { objective: [] as number[], zeros: [] as number[] } : undefined;
  let it = 0;
  // Stall guard: stop when the pseudo-gradient has not halved in 200 iterations.
  let bestPg = Infinity;
  let bestAt = 0;
  for (; it < maxIter; it++) {
    const pgn = pseudo(w, gr, pg);
    if (pgn <= tol) break;
    if (pgn < 0.5 * bestPg) {
      bestPg = pgn;
      bestAt = it;
    } else if (it - bestAt > 200) break;
    // Two-loop recursion: d = −H·pg.
    for (let j = 0; j < dim; j++) d[j] = -pg[j];
    const alphas: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const rho = 1 / dot(Y[k], S[k]);
      const a = rho * dot(S[k], d);
      alphas.push(a);
      for (let j = 0; j < dim; j++) d[j] -= a * Y[k][j];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let j = 0; j < dim; j++) d[j] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const rho = 1 / dot(Y[k], S[k]);
      const bta = rho * dot(Y[k], d);
      const a = alphas[S.length - 1 - k];
      for (let j = 0; j < dim; j++) d[j] += (a - bta) * S[k][j];
    }
    // Keep the direction in the orthant the pseudo-gradient points to.
    for (let j = 0; j < dim; j++) if (d[j] * pg[j] >= 0) d[j] = 0;
    const xi = Float64Array.from(w, (v, j) => (v !== 0 ? Math.sign(v) : -Math.sign(pg[j])));
    let alpha = S.length === 0 ? 1 / Math.max(norm(pg), 1e-300) : 1;
    const wNew = new Float64Array(dim);
    const gNew = new Float64Array(dim);
    const pgNew = new Float64Array(dim);
    let fNew = Infinity;
    let accepted = false;
    const pgNorm = pseudo(w, gr, pg);
    for (let ls = 0; ls < 60; ls++, alpha *= 0.5) {
      for (let j = 0; j < dim; j++) {
        const v = w[j] + alpha * d[j];
        wNew[j] = Math.sign(v) === xi[j] ? v : 0;
      }
      fNew = smooth(wNew, gNew) + l1Value(wNew);
      let dec = 0;
      for (let j = 0; j < dim; j++) dec += pg[j] * (wNew[j] - w[j]);
      // Armijo; or, once objective differences are down to rounding, any step that does not
      // raise the objective beyond rounding and shrinks the pseudo-gradient.
      if (
        fNew <= fw + 1e-4 * dec ||
        (fNew <= fw + 1e-14 * Math.abs(fw) && pseudo(wNew, gNew, pgNew) < 0.9 * pgNorm)
      ) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // No descent at this precision. What usually remains is a coordinate a hair away from zero
      // inside its dead zone (|∂f/∂wⱼ| < κⱼ): OWL-QN only zeroes on sign changes, so snap such
      // coordinates to zero when that does not raise the objective, and go on; else stop.
      const snapped = Float64Array.from(w);
      let count = 0;
      let big = 0;
      for (let j = 0; j < dim; j++) big = Math.max(big, Math.abs(w[j]));
      for (let j = 0; j < dim; j++)
        if (w[j] !== 0 && Math.abs(w[j]) <= 1e-6 * big && Math.abs(gr[j]) < kappa[j]) {
          snapped[j] = 0;
          count++;
        }
      if (count === 0) break;
      const gs = new Float64Array(dim);
      const fs = smooth(snapped, gs) + l1Value(snapped);
      if (!(fs <= fw + 1e-14 * Math.abs(fw))) break;
      w = snapped;
      gr = gs;
      fw = fs;
      S.length = 0;
      Y.length = 0;
      continue;
    }
    const s = Float64Array.from(wNew, (v, j) => v - w[j]);
    const yv = Float64Array.from(gNew, (v, j) => v - gr[j]);
    if (dot(s, yv) > 1e-16 * dot(yv, yv)) {
      S.push(s);
      Y.push(yv);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    w = wNew;
    gr = gNew;
    fw = fNew;
    if (trace) {
      trace.objective.push(fw);
      trace.zeros.push(zeros(w));
    }
  }
  return finish("owlqn", f, g, w, it, tol, trace);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** The solvers by name (`regularize path --solver`). */
export type SolverName = "ista" | "fista" | "subgradient" | "owlqn" | "proxsgd";

/**
 * Runs a solver by name (ista, fista, subgradient, owlqn, proxsgd) on f + g.
 *
 * @example
 * ```ts
 * const r = solveWith("owlqn", f, l1(0.5), {}); // any solver by name
 * ```
 */
export function solveWith(
  name: SolverName,
  f: Smooth,
  g: Penalty,
  options: SolverOptions & { seed?: number } = {},
): ProxResult {
  switch (name) {
    case "ista":
      return proximalGradient(f, g, { ...options, accelerated: false });
    case "fista":
      return proximalGradient(f, g, options);
    case "subgradient":
      return subgradientDescent(f, g, options);
    case "owlqn":
      return owlqn(f, g, options);
    case "proxsgd":
      return proxSgd(f, g, options);
    default:
      throw new InputError(`unknown solver '${String(name)}'`, { option: "solver" });
  }
}
