import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, denseToCsc } from "../../src/data/matrix.js";
import { Random } from "../../src/random.js";
import { ModelSubspace, modelValue, type SubspaceModel } from "../../src/solver/modelSubspace.js";

// The subspace step of SparseGlmCd's model solves (ModelSubspace) against the weighted
// least-squares model written out densely: ½ Σ vᵢ (zᵢ − b0 − Σⱼ x̃ᵢⱼ bⱼ)² + the elastic net, with
// x̃ = (x − c)/s formed explicitly. The state it carries (q', Σ q', D) is recomputed from the
// coefficients, its optimality over the iterates' span is checked by moving along each
// difference, and the sign rules by construction.

const n = 57;
const p = 9;

function setup(seed: number, unit = false) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) if (rng.uniform() < 0.3) x[j * n + i] = 1 + rng.uniform();
  const sp = denseToCsc(denseMatrix(n, p, x));
  const v = Float64Array.from({ length: n }, (_, i) => (i === 5 ? 0 : 0.05 + 0.2 * rng.uniform()));
  const z = Float64Array.from({ length: n }, () => rng.normal());
  // Positions t ↦ features (not in order), with centering and scale per feature.
  const active = Int32Array.from([4, 0, 7, 2, 8, 1]);
  const na = active.length;
  const center = Float64Array.from({ length: p }, () => 0.3 * rng.uniform());
  const inv = Float64Array.from({ length: p }, () => 0.5 + rng.uniform());
  const vx = new Float64Array(na);
  for (let t = 0; t < na; t++) {
    const j = active[t];
    for (let k = sp.colPtr[j]; k < sp.colPtr[j + 1]; k++) vx[t] += v[sp.rowIndex[k]] * sp.values[k];
  }
  const kap = Float64Array.from({ length: na }, () => 0.01 + 0.02 * rng.uniform());
  const l2 = Float64Array.from({ length: na }, (_, t) => (t % 2 ? 0.03 : 0));
  const m: SubspaceModel = { sp, n, v, active, center, inv, vx, kap, l2, unit };
  /** The dense model objective at (b, b0). */
  const dense = (b: ArrayLike<number>, b0: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let eta = b0;
      for (let t = 0; t < na; t++) {
        const j = active[t];
        eta += (x[j * n + i] - center[j]) * inv[j] * b[t];
      }
      // (The Gaussian's form, `unit`: q = v·(z − η) is the residual itself, v = √ŵ.)
      f += 0.5 * (unit ? v[i] * v[i] : v[i]) * (z[i] - eta) ** 2;
    }
    for (let t = 0; t < na; t++) f += kap[t] * Math.abs(b[t]) + 0.5 * l2[t] * b[t] ** 2;
    return f;
  };
  // The solver's state at (b, b0), from the base point 0: q' = v·z − v·Σ x_j b_j/s_j on the
  // non-zeros, D = −Σ c_j b_j/s_j + b0 (so q = q' − v·D = v·(z − η)).
  const state = (b: ArrayLike<number>, b0: number) => {
    const q = Float64Array.from({ length: n }, (_, i) => v[i] * z[i]);
    let d = b0;
    for (let t = 0; t < na; t++) {
      const j = active[t];
      for (let k = sp.colPtr[j]; k < sp.colPtr[j + 1]; k++)
        q[sp.rowIndex[k]] -= v[sp.rowIndex[k]] * sp.values[k] * b[t] * inv[j];
      d -= center[j] * b[t] * inv[j];
    }
    let sq = 0;
    for (let i = 0; i < n; i++) sq += q[i];
    return { b: Float64Array.from(b), q, st: Float64Array.from([sq, d, 0]), b0 };
  };
  return { m, na, dense, state };
}

/** Iterates b_a = base + ρ^a·dir1 + σ^a·dir2 (two slow modes), intercepts likewise. */
function iterates(K: number, base: number[], d1: number[], d2: number[]) {
  return Array.from({ length: K + 1 }, (_, a) => ({
    b: base.map((x, t) => x + 0.8 ** a * d1[t] + 0.5 ** a * d2[t]),
    b0: 0.1 + 0.8 ** a * 0.05,
  }));
}

describe("ModelSubspace: the model minimized over the span of its last iterates", () => {
  for (const unit of [false, true])
    it(`${unit ? "Gaussian form: " : ""}its objective is the dense weighted least squares + elastic net (a zero weight included)`, () => {
      const { m, na, dense, state } = setup(3, unit);
      const b = [0.4, -0.2, 0, 0.7, -0.1, 0.3];
      const s = state(b, 0.25);
      const base = state(new Array(na).fill(0), 0);
      // Both up to the same constant: compare differences between two points.
      const diff = modelValue(m, s.b, s.q, s.st[1], na) - modelValue(m, base.b, base.q, 0, na);
      assert.ok(Math.abs(diff - (dense(b, 0.25) - dense(new Array(na).fill(0), 0))) < 1e-12);
    });

  for (const unit of [false, true])
    it(`${unit ? "Gaussian form: " : ""}the step's state is the one its coefficients give, the model is lower, and no move along a difference lowers it further`, () => {
      const { m, na, dense, state } = setup(5, unit);
      const K = 2;
      const sub = new ModelSubspace(K);
      const its = iterates(
        K,
        [0.5, -0.4, 0.3, 0.6, -0.25, 0.45],
        [0.05, 0.02, -0.03, 0.04, 0.01, -0.02],
        [-0.02, 0.03, 0.01, -0.01, 0.02, 0.03],
      );
      let cur = state(its[0].b, its[0].b0);
      for (const it2 of its) {
        cur = state(it2.b, it2.b0);
        if (sub.record(cur.b, cur.q, cur.st, cur.b0, na, n)) break;
      }
      const before = dense(cur.b, cur.b0);
      const b0 = sub.step(m, cur.b, cur.q, cur.st, na);
      assert.notEqual(b0, null, "the step is taken");
      const after = dense(cur.b, b0!);
      assert.ok(after < before - 1e-9, `${after} < ${before}`);
      // q', Σ q' and D: what the coefficients give.
      const fresh = state(cur.b, b0!);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(fresh.q[i] - cur.q[i]) < 1e-12);
      assert.ok(Math.abs(fresh.st[0] - cur.st[0]) < 1e-12);
      assert.ok(Math.abs(fresh.st[1] - cur.st[1]) < 1e-12);
      // Optimal over the span: along each difference of the iterates, both ways, no lower value.
      for (let a = 0; a < K; a++)
        for (const eps of [1e-4, -1e-4]) {
          const b = cur.b.map((x, t) => x + eps * (its[a + 1].b[t] - its[a].b[t]));
          const c0 = b0! + eps * (its[a + 1].b0 - its[a].b0);
          assert.ok(dense(b, c0) >= after - 1e-13, `direction ${a}, ${eps}`);
        }
    });

  it("holds a coefficient whose sign differs among the iterates, and sets one it would carry across zero to zero", () => {
    const { m, na, dense, state } = setup(8);
    const sub = new ModelSubspace(2);
    // Position 1 changes sign among the iterates (held at its last value); position 3 heads for
    // zero fast enough (0.3, 0.2, 0.1: the span's optimum is past it) and stops there.
    const its = [
      { b: [0.5, 0.02, 0.3, 0.3, -0.25, 0.45], b0: 0.1 },
      { b: [0.52, -0.01, 0.31, 0.2, -0.24, 0.44], b0: 0.11 },
      { b: [0.53, 0.01, 0.315, 0.1, -0.235, 0.435], b0: 0.115 },
    ];
    let cur = state(its[0].b, its[0].b0);
    for (const x of its) {
      cur = state(x.b, x.b0);
      sub.record(cur.b, cur.q, cur.st, cur.b0, na, n);
    }
    const before = dense(cur.b, cur.b0);
    const b0 = sub.step(m, cur.b, cur.q, cur.st, na);
    assert.notEqual(b0, null);
    assert.equal(cur.b[1], 0.01, "the coefficient that changed sign is held");
    assert.ok(cur.b[3] >= 0, "no coefficient crosses zero");
    assert.ok(dense(cur.b, b0!) < before);
    const fresh = state(cur.b, b0!);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(fresh.q[i] - cur.q[i]) < 1e-12);
    assert.ok(Math.abs(fresh.st[1] - cur.st[1]) < 1e-12);
  });

  it("takes no step from identical iterates, nor one whose decrease is within rounding", () => {
    const { m, na, state } = setup(9);
    const sub = new ModelSubspace(2);
    const s = state([0.1, 0.2, -0.3, 0.4, 0.5, -0.6], 0.2);
    for (let a = 0; a < 3; a++) sub.record(s.b, s.q, s.st, s.b0, na, n);
    const q = s.q.slice();
    assert.equal(sub.step(m, s.b, s.q, s.st, na), null);
    assert.deepEqual(s.q, q);
    // Iterates that differ by rounding only.
    const sub2 = new ModelSubspace(2);
    for (let a = 0; a < 3; a++) {
      const t = state(
        [0.1, 0.2, -0.3, 0.4, 0.5, -0.6].map((x) => x * (1 + a * 2 ** -52)),
        0.2,
      );
      sub2.record(t.b, t.q, t.st, t.b0, na, n);
      if (a === 2) assert.equal(sub2.step(m, t.b, t.q, t.st, na), null);
    }
  });
});
