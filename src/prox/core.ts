import type { NewtonDatafit } from "../core/datafit.js";
import type { CoordinatePenalty } from "../core/penalty.js";
import type { Penalty } from "./penalties.js";
import type { Smooth } from "./smooth.js";

// The model core's datafit and penalty objects as the teaching solvers' Smooth and Penalty, so
// that proximalGradient, subgradientDescent, owlqn and proxSgd run on the very objects the fast
// solvers use (issue 17): the same loss, the same penalty, the same certificate.

/**
 * A core datafit as a smooth objective of w = [B | b0] in the core's layout (entry (j, c) at
 * j·K + c, intercept c at p·K + c): f(w) = datafit loss at η = X̃B + 1b0ᵀ (+ offset), with X̃ the
 * design's columns in `xs` (column-major, n apart; column p, the ones, is not read). The gradient
 * is −X̃ᵀr per class from the datafit's −∂f/∂η.
 */
export function coreSmooth(
  xs: Float64Array,
  n: number,
  p: number,
  datafit: NewtonDatafit,
  offset?: Float64Array,
): Smooth {
  const K = datafit.K;
  const eta = new Float64Array(K * n);
  const predictor = (w: Float64Array) => {
    for (let c = 0; c < K; c++) {
      const o = c * n;
      const b0 = w[p * K + c];
      for (let i = 0; i < n; i++) eta[o + i] = b0 + (offset ? offset[o + i] : 0);
      for (let j = 0; j < p; j++) {
        const b = w[j * K + c];
        if (b === 0) continue;
        const xj = j * n;
        for (let i = 0; i < n; i++) eta[o + i] += b * xs[xj + i];
      }
    }
    return eta;
  };
  return {
    dim: (p + 1) * K,
    value: (w) => datafit.evaluate(predictor(w)),
    gradient: (w, out) => {
      const f = datafit.evaluate(predictor(w));
      const r = datafit.r;
      for (let c = 0; c < K; c++) {
        const o = c * n;
        let s0 = 0;
        for (let i = 0; i < n; i++) s0 += r[o + i];
        out[p * K + c] = -s0;
        for (let j = 0; j < p; j++) {
          const xj = j * n;
          let s = 0;
          for (let i = 0; i < n; i++) s += xs[xj + i] * r[o + i];
          out[j * K + c] = -s;
        }
      }
      return f;
    },
  };
}

/**
 * A core coordinate penalty at a fixed λ as a teaching solver's penalty over w = [B | b0] (the
 * intercepts unpenalized): the value, the prox through the penalty's own coordinate update
 * (argmin (1/2t)(b − v)² + pen(b) is its update at curvature 1/t), and the KKT violation through
 * its subdifferential distance — the certificate the fast solvers report.
 */
export function corePenalty(
  pen: CoordinatePenalty,
  lambda: number,
  p: number,
  K: number,
  convex = true,
): Penalty {
  const n = p * K;
  // An elastic net without limits is also offered in OWL-QN's form: the name it knows and the
  // coordinate subdifferential κ·∂|b| + μb.
  const enet = pen.enet;
  const plain =
    enet !== undefined &&
    Array.from({ length: p }, (_, j) => enet(j, lambda)).every(
      (e) => e.lo === -Infinity && e.hi === Infinity,
    );
  const subdiffInterval =
    plain && enet
      ? (w: Float64Array, u: number): [number, number] => {
          if (u >= n) return [0, 0];
          const { kappa, mu } = enet((u / K) | 0, lambda);
          const b = w[u];
          if (b === 0) return [-kappa, kappa];
          const v = (b > 0 ? kappa : -kappa) + mu * b;
          return [v, v];
        }
      : undefined;
  return {
    name: plain ? "elasticNet" : "core",
    subdiffInterval,
    convex,
    value: (w) => {
      let s = 0;
      for (let u = 0; u < n; u++) if (w[u] !== 0) s += pen.value(w[u], (u / K) | 0, lambda);
      return s;
    },
    prox: (v, step, out) => {
      for (let u = 0; u < n; u++) out[u] = pen.update(v[u] / step, 1 / step, (u / K) | 0, lambda);
      for (let u = n; u < v.length; u++) out[u] = v[u];
    },
    subdiffDistance: (w, grad) => {
      let worst = 0;
      for (let u = 0; u < n; u++)
        worst = Math.max(worst, pen.subdiffDistance(w[u], -grad[u], (u / K) | 0, lambda));
      for (let u = n; u < w.length; u++) worst = Math.max(worst, Math.abs(grad[u]));
      return worst;
    },
  };
}
