import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  box,
  elasticNet,
  groupL2,
  l1,
  l1Ball,
  l2,
  nonconvex,
  nonNegative,
  projectL1Ball,
  Random,
  type Penalty,
} from "../../src/index.js";

/** argmin over u of ½(u − v)² + step·g(u) in one dimension, by a fine grid then golden section. */
function bruteProx1d(g: Penalty, v: number, step: number): number {
  const obj = (u: number) => 0.5 * (u - v) ** 2 + step * g.value(Float64Array.of(u));
  const lo0 = -Math.abs(v) - 5;
  const hi0 = Math.abs(v) + 5;
  let best = 0;
  let bestF = obj(0);
  for (let k = 0; k <= 20000; k++) {
    const u = lo0 + ((hi0 - lo0) * k) / 20000;
    const fu = obj(u);
    if (fu < bestF) {
      bestF = fu;
      best = u;
    }
  }
  let a = best - (hi0 - lo0) / 20000;
  let b = best + (hi0 - lo0) / 20000;
  for (let it = 0; it < 200; it++) {
    const m1 = a + (b - a) * 0.382;
    const m2 = a + (b - a) * 0.618;
    if (obj(m1) < obj(m2)) b = m2;
    else a = m1;
  }
  const u = (a + b) / 2;
  return obj(0) <= obj(u) ? 0 : u;
}

describe("penalties: prox against brute-force minimization", () => {
  const rng = new Random(11);
  const cases: [string, Penalty][] = [
    ["l1", l1(0.7)],
    ["l2", l2(0.7)],
    ["elastic net α = 0.3", elasticNet(0.7, 0.3)],
    ["elastic net with box [−0.5, 2]", elasticNet(0.4, 0.6, { lower: -0.5, upper: 2 })],
    ["box [−1, 0.5]", box(-1, 0.5)],
    ["non-negative", nonNegative()],
    ["MCP γ = 3", nonconvex("mcp", 0.8, 3)],
    ["SCAD γ = 3.7", nonconvex("scad", 0.8, 3.7)],
  ];
  for (const [name, g] of cases)
    it(`${name}: the prox of one coordinate is the brute-force minimizer`, () => {
      for (let k = 0; k < 60; k++) {
        const v = 4 * rng.normal();
        const step = 0.2 + rng.uniform() * 1.5;
        const out = new Float64Array(1);
        g.prox(Float64Array.of(v), step, out);
        const brute = bruteProx1d(g, v, step);
        assert.ok(
          Math.abs(out[0] - brute) < 1e-6 * (1 + Math.abs(v)),
          `v=${v} step=${step}: ${out[0]} vs ${brute}`,
        );
      }
    });

  it("l1: exact zeros in the dead zone |v| ≤ step·λ, and ∂|w| at 0 is the interval [−λ, λ]", () => {
    const g = l1(0.5);
    const out = new Float64Array(3);
    g.prox(Float64Array.of(0.49, -0.5, 0.51), 1, out);
    assert.deepEqual(Array.from(out), [0, 0, 0.010000000000000009]);
    assert.deepEqual(g.subdiffInterval!(Float64Array.of(0), 0), [-0.5, 0.5]);
    // A zero weight with |gradient| ≤ λ satisfies KKT exactly; beyond it, by the excess.
    assert.equal(g.subdiffDistance(Float64Array.of(0), Float64Array.of(0.3)), 0);
    assert.ok(Math.abs(g.subdiffDistance(Float64Array.of(0), Float64Array.of(0.8)) - 0.3) < 1e-15);
    assert.equal(g.dualNorm!(Float64Array.of(0.25, -1)), 2);
  });

  it("groupL2: the prox minimizes ½‖u − v‖² + step·g(u) (checked against random perturbations)", () => {
    const groups = [0, 0, 0, 1, 1, -1];
    const g = groupL2(0.9, groups);
    const obj = (u: Float64Array, v: Float64Array, step: number) =>
      0.5 * u.reduce((s, x, j) => s + (x - v[j]) ** 2, 0) + step * g.value(u);
    for (let k = 0; k < 40; k++) {
      const v = Float64Array.from({ length: 6 }, () => 2 * rng.normal());
      const step = 0.3 + rng.uniform();
      const u = new Float64Array(6);
      g.prox(v, step, u);
      const f0 = obj(u, v, step);
      for (let t = 0; t < 200; t++) {
        const z = Float64Array.from(u, (x) => x + 0.05 * rng.normal());
        if (t % 3 === 0) z.fill(0, 0, 3); // try the zero group
        assert.ok(obj(z, v, step) >= f0 - 1e-12, "a perturbation did better");
      }
      assert.equal(u[5], v[5], "unpenalized coordinate untouched");
    }
    // Whole groups are exactly zero inside the dead zone ‖v_g‖ ≤ step·λ·√|g|.
    const u = new Float64Array(6);
    g.prox(Float64Array.of(0.5, 0.5, 0.5, 3, 0, 1), 1, u);
    assert.deepEqual(Array.from(u.subarray(0, 3)), [0, 0, 0]);
  });

  it("projectL1Ball (Duchi et al. 2008) matches the projection found by bisection on θ", () => {
    for (let k = 0; k < 50; k++) {
      const p = 1 + Math.floor(rng.uniform() * 30);
      const v = Float64Array.from({ length: p }, () => 3 * rng.normal());
      const t = rng.uniform() * 5;
      const out = new Float64Array(p);
      const theta = projectL1Ball(v, t, out);
      const l1v = v.reduce((s, x) => s + Math.abs(x), 0);
      if (l1v <= t) {
        assert.deepEqual(out, v);
        continue;
      }
      // Independent: ‖S(v, θ)‖₁ decreases in θ; bisect for ‖S(v, θ)‖₁ = t.
      let lo = 0;
      let hi = Math.max(...Array.from(v, Math.abs));
      for (let it = 0; it < 200; it++) {
        const mid = (lo + hi) / 2;
        const s = v.reduce((acc, x) => acc + Math.max(Math.abs(x) - mid, 0), 0);
        if (s > t) lo = mid;
        else hi = mid;
      }
      assert.ok(Math.abs(theta - lo) < 1e-9, `θ ${theta} vs ${lo}`);
      assert.ok(Math.abs(out.reduce((s, x) => s + Math.abs(x), 0) - t) < 1e-9);
      assert.equal(l1Ball(t).value(out), 0);
    }
  });

  it("conjugates: g*(v) = sup_w v·w − g(w) (brute force in one dimension) for the convex penalties", () => {
    const cases: [string, Penalty][] = [
      ["l1", l1(0.7)],
      ["l2", l2(0.7)],
      ["elastic net", elasticNet(0.7, 0.3)],
      ["elastic net with box", elasticNet(0.4, 0.6, { lower: -0.5, upper: 2 })],
      ["box", box(-1, 0.5)],
      ["l1 ball", l1Ball(1.5)],
    ];
    for (const [name, g] of cases)
      for (const v of [-2, -0.6, -0.1, 0, 0.3, 0.69, 1.4]) {
        let sup = -Infinity;
        for (let k = -40000; k <= 40000; k++) {
          const w = k / 4000;
          const val = v * w - g.value(Float64Array.of(w));
          if (val > sup) sup = val;
        }
        const c = g.conjugate!(Float64Array.of(v));
        // Where the supremum is unbounded the grid (|w| ≤ 10) sees it growing like 10·|excess|.
        if (c === Infinity) assert.ok(sup > 0.5, `${name} v=${v}: ${sup}`);
        else assert.ok(Math.abs(c - sup) < 1e-4, `${name} v=${v}: ${c} vs ${sup}`);
      }
  });
});
