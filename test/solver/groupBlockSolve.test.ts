import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { symmetricEigen } from "../../src/linalg/symmetricEigen.js";
import { groupBlockSolve } from "../../src/penalty/groupLasso.js";
import { Random } from "../../src/random.js";

// The group lasso block solve min ½bᵀHb − cᵀb + τ‖b‖₂ against its optimality conditions:
// b = 0 exactly when ‖c‖ ≤ τ, otherwise Hb − c + τb/‖b‖ = 0 — on well-conditioned blocks,
// on blocks with a null direction (the multinomial's all-classes direction) and on blocks whose
// eigenvalues span twelve orders of magnitude (where the secular equation's root is steep).
describe("groupBlockSolve (the group lasso's exact block minimizer)", () => {
  const rng = new Random(17);
  const block = (m: number, spread: number, nullDirs: number) => {
    // H = Q diag(λ) Qᵀ with random orthonormal Q (Gram–Schmidt) and λ over `spread` decades.
    const q = Float64Array.from({ length: m * m }, () => rng.normal());
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) {
        let d = 0;
        for (let t = 0; t < m; t++) d += q[a * m + t] * q[b * m + t];
        for (let t = 0; t < m; t++) q[a * m + t] -= d * q[b * m + t];
      }
      let nrm = 0;
      for (let t = 0; t < m; t++) nrm += q[a * m + t] ** 2;
      for (let t = 0; t < m; t++) q[a * m + t] /= Math.sqrt(nrm);
    }
    const lam = Float64Array.from({ length: m }, (_, a) =>
      a < nullDirs ? 0 : 10 ** (-spread * rng.uniform()),
    );
    const h = new Float64Array(m * m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let t = 0; t < m; t++) s += q[t * m + a] * lam[t] * q[t * m + b];
        h[a * m + b] = s;
      }
    return h;
  };
  const cases: [string, number, number, number][] = [
    ["well conditioned", 6, 1, 0],
    ["a null direction", 10, 2, 1],
    ["twelve decades", 8, 12, 0],
  ];
  for (const [name, m, spread, nullDirs] of cases)
    it(name, () => {
      for (let trial = 0; trial < 50; trial++) {
        const h = block(m, spread, nullDirs);
        const { values, vectors } = symmetricEigen(Float64Array.from(h), m);
        // c in H's range (a null direction of H with c ≠ 0 there has no minimizer).
        const z = Float64Array.from({ length: m }, () => rng.normal());
        const c = new Float64Array(m);
        for (let a = 0; a < m; a++) for (let t = 0; t < m; t++) c[a] += h[a * m + t] * z[t];
        let cn = 0;
        for (const v of c) cn += v * v;
        cn = Math.sqrt(cn);
        const tau = cn * (trial % 5 === 0 ? 1.2 : rng.uniform());
        const b = new Float64Array(m);
        groupBlockSolve(h, values, vectors, m, c, 0, tau, b);
        let bn = 0;
        for (const v of b) bn += v * v;
        bn = Math.sqrt(bn);
        if (tau >= cn) {
          assert.equal(bn, 0, `trial ${trial}: zero block expected`);
          continue;
        }
        assert.ok(bn > 0, `trial ${trial}: non-zero block expected`);
        let res = 0;
        for (let a = 0; a < m; a++) {
          let s = -c[a] + (tau * b[a]) / bn;
          for (let t = 0; t < m; t++) s += h[a * m + t] * b[t];
          res = Math.max(res, Math.abs(s));
        }
        assert.ok(res <= 1e-9 * cn, `trial ${trial}: stationarity residual ${res} (‖c‖ ${cn})`);
      }
    });
});
