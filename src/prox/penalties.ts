import { InputError } from "../errors.js";
import { enetConjugate } from "../penalty/elasticNet.js";
import {
  nonconvexDerivative,
  nonconvexUpdate,
  nonconvexValue,
  type Nonconvex,
} from "../penalty/nonconvex.js";

/**
 * A penalty (or constraint) g(w) on a coefficient vector, as the proximal solvers need it
 * (skglm's split of datafit × penalty × solver; see STYLE.md):
 *
 * - `value(w)`: g(w) (Infinity outside a constraint set);
 * - `prox(v, step, out)`: out ← prox_{step·g}(v) = argmin_u ½‖u − v‖² + step·g(u);
 * - `subdiffDistance(w, grad)`: the distance of −grad to ∂g(w) — for grad = ∇f(w) this is the KKT
 *   violation of w for f + g, zero exactly at a solution (for MCP/SCAD: at a stationary point,
 *   with Clarke's subdifferential);
 * - `convex`: whether g is convex (MCP and SCAD are not: their prox needs step < γ, resp. γ − 1).
 *
 * Separable penalties also give the subdifferential of one coordinate as an interval
 * (`subdiffInterval`) — at wⱼ = 0 the whole [−λ, λ] for the lasso: the dead zone that keeps a
 * weight exactly at zero. Convex norms give their dual norm, used in duality gaps.
 */
export interface Penalty {
  readonly name: string;
  readonly convex: boolean;
  value(w: Float64Array): number;
  prox(v: Float64Array, step: number, out: Float64Array): void;
  subdiffDistance(w: Float64Array, grad: Float64Array): number;
  /** ∂gⱼ(wⱼ) as [lo, hi], for separable penalties. */
  subdiffInterval?(w: Float64Array, j: number): [number, number];
  /** The dual norm g°(v) of a norm penalty g = λ‖·‖ (the λ included), for duality gaps. */
  dualNorm?(v: Float64Array): number;
  /** The convex conjugate g*(v) = sup_w vᵀw − g(w) (Infinity where unbounded), convex g only. */
  conjugate?(v: Float64Array): number;
}

/** Per-coordinate weights: 1 for every coordinate by default; 0 leaves one unpenalized. */
function weightsOf(weights: ArrayLike<number> | undefined, name: string): (j: number) => number {
  if (weights === undefined) return () => 1;
  for (let j = 0; j < weights.length; j++)
    if (!(weights[j] >= 0 && Number.isFinite(weights[j])))
      throw new InputError(`${name}: weight ${j} must be a finite number ≥ 0, got ${weights[j]}`, {
        option: "weights",
      });
  return (j) => (j < weights.length ? weights[j] : 1);
}

function checkNonNegative(name: string, what: string, v: number): void {
  if (!(v >= 0 && Number.isFinite(v)))
    throw new InputError(`${name}: ${what} must be a finite number ≥ 0, got ${v}`, {
      option: what,
    });
}

/** Distance of the point x to the interval [lo, hi]. */
function toInterval(x: number, lo: number, hi: number): number {
  return x < lo ? lo - x : x > hi ? x - hi : 0;
}

/** Separable penalties: the KKT violation is the largest coordinate distance of −grad to ∂gⱼ. */
function separableDistance(
  p: { subdiffInterval(w: Float64Array, j: number): [number, number] },
  w: Float64Array,
  grad: Float64Array,
): number {
  let worst = 0;
  for (let j = 0; j < w.length; j++) {
    const [lo, hi] = p.subdiffInterval(w, j);
    const d = toInterval(-grad[j], lo, hi);
    if (d > worst) worst = d;
  }
  return worst;
}

/**
 * Elastic net with box constraints, per coordinate j (weight cⱼ):
 *
 *     gⱼ(w) = λcⱼ(α|w| + (1−α)/2 w²) + indicator(lowerⱼ ≤ w ≤ upperⱼ).
 *
 * α = 1 is the lasso, α = 0 ridge; the prox is soft-thresholding by step·λcⱼα, a shrink by
 * 1 + step·λcⱼ(1−α), then clipping to the box (exact because gⱼ is convex in one variable and the
 * box holds 0).
 *
 * @example
 * ```ts
 * const g = elasticNet(0.1, 0.5); // 0.1·(0.5‖w‖₁ + 0.25‖w‖²)
 * proximalGradient(f, g);
 * ```
 */
export function elasticNet(
  lambda: number,
  alpha = 1,
  options: { weights?: ArrayLike<number>; lower?: number; upper?: number } = {},
): Penalty {
  const name = alpha === 1 ? "l1" : alpha === 0 ? "l2" : "elasticNet";
  checkNonNegative(name, "lambda", lambda);
  if (!(alpha >= 0 && alpha <= 1))
    throw new InputError(`${name}: alpha must be in [0, 1], got ${alpha}`, { option: "alpha" });
  const c = weightsOf(options.weights, name);
  const lower = options.lower ?? -Infinity;
  const upper = options.upper ?? Infinity;
  if (!(lower <= 0 && upper >= 0))
    throw new InputError(`${name}: the box [${lower}, ${upper}] must contain 0`, {
      option: "lower",
    });
  const pen: Penalty & { subdiffInterval(w: Float64Array, j: number): [number, number] } = {
    name,
    convex: true,
    value(w) {
      let s = 0;
      for (let j = 0; j < w.length; j++) {
        const x = w[j];
        if (x < lower || x > upper) return Infinity;
        s += c(j) * (alpha * Math.abs(x) + 0.5 * (1 - alpha) * x * x);
      }
      return lambda * s;
    },
    prox(v, step, out) {
      for (let j = 0; j < v.length; j++) {
        const k = step * lambda * c(j);
        const a = Math.abs(v[j]) - k * alpha;
        let u = a > 0 ? (v[j] > 0 ? a : -a) / (1 + k * (1 - alpha)) : 0;
        if (u < lower) u = lower;
        else if (u > upper) u = upper;
        out[j] = u;
      }
    },
    subdiffInterval(w, j) {
      const k = lambda * c(j);
      const x = w[j];
      let lo: number;
      let hi: number;
      if (x > 0) lo = hi = k * (alpha + (1 - alpha) * x);
      else if (x < 0) lo = hi = k * (-alpha + (1 - alpha) * x);
      else {
        lo = -k * alpha;
        hi = k * alpha;
      }
      // The normal cone of the box at an active bound opens the interval on that side.
      if (x <= lower) lo = -Infinity;
      if (x >= upper) hi = Infinity;
      return [lo, hi];
    },
    subdiffDistance(w, grad) {
      return separableDistance(pen, w, grad);
    },
    conjugate(v) {
      let s = 0;
      for (let j = 0; j < v.length; j++) {
        const k = lambda * c(j);
        s += enetConjugate(v[j], k * alpha, k * (1 - alpha), lower, upper);
        if (s === Infinity) return Infinity;
      }
      return s;
    },
  };
  if (alpha === 1 && lower === -Infinity && upper === Infinity)
    pen.dualNorm = (v) => {
      let m = 0;
      for (let j = 0; j < v.length; j++) {
        const cj = c(j);
        const r = cj > 0 ? Math.abs(v[j]) / (lambda * cj) : v[j] === 0 ? 0 : Infinity;
        if (r > m) m = r;
      }
      return m;
    };
  return pen;
}

/** The lasso λ Σ cⱼ|wⱼ| (elastic net at α = 1).
 *
 * @example
 * ```ts
 * const g = l1(0.5, { weights: [1, 1, 1, 0] }); // the last coordinate (an intercept) unpenalized
 * proximalGradient(f, g);
 * ```
 */
export function l1(lambda: number, options: { weights?: ArrayLike<number> } = {}): Penalty {
  return elasticNet(lambda, 1, options);
}

/** Ridge (λ/2) Σ cⱼ wⱼ² (elastic net at α = 0): shrinks, never zeroes.
 *
 * @example
 * ```ts
 * const g = l2(0.1); // ridge: (0.1/2)‖w‖²
 * ```
 */
export function l2(lambda: number, options: { weights?: ArrayLike<number> } = {}): Penalty {
  return elasticNet(lambda, 0, options);
}

/** The indicator of the box lower ≤ wⱼ ≤ upper (per coordinate): its prox is clipping.
 *
 * @example
 * ```ts
 * const g = box(-1, 1); // the constraint −1 ≤ wⱼ ≤ 1 (its prox is clipping)
 * ```
 */
export function box(lower: number, upper: number): Penalty {
  if (!(lower <= upper))
    throw new InputError(`box: lower ${lower} must not exceed upper ${upper}`, {
      option: "lower",
    });
  const pen: Penalty & { subdiffInterval(w: Float64Array, j: number): [number, number] } = {
    name: "box",
    convex: true,
    value(w) {
      for (let j = 0; j < w.length; j++) if (w[j] < lower || w[j] > upper) return Infinity;
      return 0;
    },
    prox(v, _step, out) {
      for (let j = 0; j < v.length; j++) out[j] = Math.min(Math.max(v[j], lower), upper);
    },
    subdiffInterval(w, j) {
      return [w[j] <= lower ? -Infinity : 0, w[j] >= upper ? Infinity : 0];
    },
    subdiffDistance(w, grad) {
      return separableDistance(pen, w, grad);
    },
    conjugate(v) {
      // The support function of the box: Σ max(vⱼ·lower, vⱼ·upper).
      let s = 0;
      for (let j = 0; j < v.length; j++) {
        if (v[j] > 0) s += v[j] * upper;
        else if (v[j] < 0) s += v[j] * lower;
      }
      return Number.isNaN(s) ? Infinity : s;
    },
  };
  return pen;
}

/** The non-negativity constraint wⱼ ≥ 0.
 *
 * @example
 * ```ts
 * const r = proximalGradient(f, nonNegative()); // non-negative least squares
 * ```
 */
export function nonNegative(): Penalty {
  return { ...box(0, Infinity), name: "nonNegative" };
}

/**
 * Euclidean projection of v onto the weighted-free L1 ball {‖u‖₁ ≤ t} (Duchi, Shalev-Shwartz,
 * Singer & Chandra 2008, Fig. 1): sort |v| decreasingly, find the largest ρ with
 * μ_ρ − (Σ_{i≤ρ} μ_i − t)/ρ > 0, threshold θ = (Σ_{i≤ρ} μ_i − t)/ρ, u = S(v, θ). O(p log p).
 * Returns θ (0 when v is already inside): the Lagrange multiplier of the constraint.
 *
 * @example
 * ```ts
 * const out = new Float64Array(3);
 * projectL1Ball(Float64Array.of(3, -1, 0.5), 2, out); // (2, 0, 0): Duchi et al. (2008)
 * ```
 */
export function projectL1Ball(v: Float64Array, t: number, out: Float64Array): number {
  checkNonNegative("projectL1Ball", "t", t);
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += Math.abs(v[j]);
  if (norm <= t) {
    out.set(v);
    return 0;
  }
  const mu = Float64Array.from(v, Math.abs).sort().reverse();
  let sum = 0;
  let theta = 0;
  for (let r = 0; r < mu.length; r++) {
    sum += mu[r];
    const th = (sum - t) / (r + 1);
    if (mu[r] - th > 0) theta = th;
    else break;
  }
  for (let j = 0; j < v.length; j++) {
    const a = Math.abs(v[j]) - theta;
    out[j] = a > 0 ? (v[j] > 0 ? a : -a) : 0;
  }
  return theta;
}

/**
 * The multiplier θ ≥ 0 of the constraint ‖w‖₁ ≤ t at w with smooth gradient `grad` (coordinates
 * with free[j] = 1 left out): the least-squares fit of −gradⱼ = θ·sign(wⱼ) over the support. At a
 * solution of the constrained problem it is the λ of the penalized problem with the same solution.
 *
 * @example
 * ```ts
 * const lambdaT = l1BallMultiplier(r.w, grad); // the λ of the penalized form at the constrained solution
 * ```
 */
export function l1BallMultiplier(w: Float64Array, grad: Float64Array, free?: Uint8Array): number {
  let num = 0;
  let cnt = 0;
  for (let j = 0; j < w.length; j++)
    if (w[j] !== 0 && !free?.[j]) {
      num -= grad[j] * Math.sign(w[j]);
      cnt++;
    }
  return Math.max(cnt > 0 ? num / cnt : 0, 0);
}

/**
 * The constraint ‖w‖₁ ≤ t (the lasso's constrained form; its indicator) on every coordinate but
 * those listed in `free` (an intercept, say). Its prox is the projection (projectL1Ball); at a
 * boundary point −grad must lie in the normal cone {θ·s : θ ≥ 0, s ∈ ∂‖w‖₁} — −gradⱼ = θ·sign(wⱼ)
 * on the support, |gradⱼ| ≤ θ off it — and vanish on free coordinates; inside, grad must vanish.
 *
 * @example
 * ```ts
 * const r = proximalGradient(f, l1Ball(3)); // min f subject to ‖w‖₁ ≤ 3 (projected gradient)
 * ```
 */
export function l1Ball(t: number, options: { free?: ArrayLike<number> } = {}): Penalty {
  checkNonNegative("l1Ball", "t", t);
  const freeList = Array.from(options.free ?? []);
  let mask: Uint8Array | undefined;
  const isFree = (dim: number) => {
    if (!mask || mask.length !== dim) {
      mask = new Uint8Array(dim);
      for (const j of freeList) if (j >= 0 && j < dim) mask[j] = 1;
    }
    return mask;
  };
  const norm = (w: Float64Array) => {
    const m = isFree(w.length);
    let s = 0;
    for (let j = 0; j < w.length; j++) if (!m[j]) s += Math.abs(w[j]);
    return s;
  };
  return {
    name: "l1Ball",
    convex: true,
    conjugate(v) {
      const m = isFree(v.length);
      let top = 0;
      for (let j = 0; j < v.length; j++) {
        if (m[j] && v[j] !== 0) return Infinity;
        if (!m[j]) top = Math.max(top, Math.abs(v[j]));
      }
      return t * top;
    },
    value(w) {
      return norm(w) <= t * (1 + 1e-12) + 1e-300 ? 0 : Infinity;
    },
    prox(v, _step, out) {
      const m = isFree(v.length);
      if (freeList.length === 0) {
        projectL1Ball(v, t, out);
        return;
      }
      const idx: number[] = [];
      for (let j = 0; j < v.length; j++) if (!m[j]) idx.push(j);
      const sub = Float64Array.from(idx, (j) => v[j]);
      const res = new Float64Array(sub.length);
      projectL1Ball(sub, t, res);
      out.set(v);
      idx.forEach((j, k) => (out[j] = res[k]));
    },
    subdiffDistance(w, grad) {
      const m = isFree(w.length);
      let worst = 0;
      for (let j = 0; j < w.length; j++) if (m[j]) worst = Math.max(worst, Math.abs(grad[j]));
      if (norm(w) < t * (1 - 1e-9)) {
        // Interior: the normal cone is {0}, so the gradient itself must vanish.
        for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(grad[j]));
        return worst;
      }
      const theta = l1BallMultiplier(w, grad, m);
      for (let j = 0; j < w.length; j++) {
        if (m[j]) continue;
        const d =
          w[j] !== 0
            ? Math.abs(-grad[j] - theta * Math.sign(w[j]))
            : Math.max(Math.abs(grad[j]) - theta, 0);
        if (d > worst) worst = d;
      }
      return worst;
    },
  };
}

/**
 * The group lasso λ Σ_g c_g ‖w_g‖₂ over groups given as a group id per coordinate (−1: not
 * penalized); c_g defaults to √|g| (Yuan & Lin 2006). Its prox is group soft-thresholding
 * w_g ← (1 − step·λc_g/‖v_g‖)₊ v_g: whole groups become exactly zero.
 *
 * @example
 * ```ts
 * const g = groupL2(0.2, [1, 1, 2, 2, 2]); // 0.2·Σ_g √|g|·‖w_g‖₂
 * proximalGradient(f, g);
 * ```
 */
export function groupL2(
  lambda: number,
  groups: ArrayLike<number>,
  options: { groupWeights?: ArrayLike<number> } = {},
): Penalty {
  checkNonNegative("groupL2", "lambda", lambda);
  const ids = [...new Set(Array.from(groups).filter((g) => g >= 0))].sort((a, b) => a - b);
  const members = ids.map((g) => {
    const m: number[] = [];
    for (let j = 0; j < groups.length; j++) if (groups[j] === g) m.push(j);
    return m;
  });
  const cw = ids.map((_, k) =>
    options.groupWeights ? options.groupWeights[k] : Math.sqrt(members[k].length),
  );
  cw.forEach((v, k) => checkNonNegative("groupL2", `group weight ${k}`, v));
  const norm = (w: Float64Array, m: number[]) => Math.sqrt(m.reduce((s, j) => s + w[j] * w[j], 0));
  const pen: Penalty = {
    name: "groupL2",
    convex: true,
    value(w) {
      let s = 0;
      members.forEach((m, k) => (s += cw[k] * norm(w, m)));
      return lambda * s;
    },
    prox(v, step, out) {
      out.set(v);
      members.forEach((m, k) => {
        const nv = norm(v, m);
        const scale = nv > step * lambda * cw[k] ? 1 - (step * lambda * cw[k]) / nv : 0;
        for (const j of m) out[j] = scale * v[j];
      });
    },
    subdiffDistance(w, grad) {
      let worst = 0;
      for (let j = 0; j < w.length; j++)
        if (!(groups[j] >= 0)) worst = Math.max(worst, Math.abs(grad[j]));
      members.forEach((m, k) => {
        const nw = norm(w, m);
        const tau = lambda * cw[k];
        let ss = 0;
        if (nw === 0) {
          // Dead zone of the group: ‖grad_g‖ ≤ λc_g.
          for (const j of m) ss += grad[j] * grad[j];
          worst = Math.max(worst, Math.sqrt(ss) - tau);
        } else {
          for (const j of m) ss += (grad[j] + (tau * w[j]) / nw) ** 2;
          worst = Math.max(worst, Math.sqrt(ss));
        }
      });
      return Math.max(worst, 0);
    },
    conjugate(v) {
      return groupDual(v) <= 1 ? 0 : Infinity;
    },
    dualNorm(v) {
      return groupDual(v);
    },
  };
  return pen;
  function groupDual(v: Float64Array): number {
    let worst = 0;
    for (let j = 0; j < v.length; j++) if (!(groups[j] >= 0) && v[j] !== 0) return Infinity;
    members.forEach((m, k) => {
      const r = norm(v, m) / (lambda * cw[k]);
      if (r > worst) worst = r;
    });
    return worst;
  }
}

/**
 * MCP or SCAD (Breheny & Huang 2011) with parameter γ, per coordinate (weights cⱼ scale λ). Not
 * convex: the prox is single-valued only for step < γ (MCP) or step < γ − 1 (SCAD), where it is
 * the firm (MCP) or SCAD thresholding rule. `subdiffDistance` uses Clarke's subdifferential:
 * [−λcⱼ, λcⱼ] at 0 (the same dead zone as the lasso), p′(|w|)·sign(w) elsewhere.
 *
 * @example
 * ```ts
 * const g = nonconvex("mcp", 0.2, 3); // MCP: λ = 0.2, γ = 3
 * proximalGradient(f, g);
 * ```
 */
export function nonconvex(
  kind: Nonconvex,
  lambda: number,
  gamma = kind === "mcp" ? 3 : 3.7,
  options: { weights?: ArrayLike<number> } = {},
): Penalty {
  checkNonNegative(kind, "lambda", lambda);
  if (!(gamma > (kind === "mcp" ? 1 : 2)))
    throw new InputError(`${kind}: gamma must be > ${kind === "mcp" ? 1 : 2}, got ${gamma}`, {
      option: "gamma",
    });
  const c = weightsOf(options.weights, kind);
  const pen: Penalty & { subdiffInterval(w: Float64Array, j: number): [number, number] } = {
    name: kind,
    convex: false,
    value(w) {
      let s = 0;
      for (let j = 0; j < w.length; j++) s += nonconvexValue(kind, w[j], lambda * c(j), gamma);
      return s;
    },
    prox(v, step, out) {
      const limit = kind === "mcp" ? gamma : gamma - 1;
      if (!(step < limit))
        throw new InputError(`${kind}: the prox needs step < ${limit}, got ${step}`, {
          option: "step",
        });
      for (let j = 0; j < v.length; j++)
        out[j] = nonconvexUpdate(kind, v[j] / step, 1 / step, lambda * c(j), gamma);
    },
    subdiffInterval(w, j) {
      const l = lambda * c(j);
      if (w[j] === 0) return [-l, l];
      const d = nonconvexDerivative(kind, Math.abs(w[j]), l, gamma) * Math.sign(w[j]);
      return [d, d];
    },
    subdiffDistance(w, grad) {
      return separableDistance(pen, w, grad);
    },
  };
  return pen;
}
