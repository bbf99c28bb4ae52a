import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MultinomialDatafit } from "../../src/datafit/multinomial.js";
import { Random } from "../../src/random.js";

// The multinomial datafit's loss along a step and the softmax state it then keeps (r, the step's
// model), on the softmax / softaccept kernels, against the definition written out per
// observation: f(η + tz) = Σᵢ ŵᵢ[log Σ_c e^{η_ic + t z_ic} − (η + tz)_{i,yᵢ}], rᵢc = ŵᵢ(1{yᵢ = c} − pᵢc).
describe("the multinomial softmax kernels", () => {
  for (const n of [1, 2, 37, 64]) {
    for (const K of [2, 3, 10]) {
      it(`n = ${n}, K = ${K}: the loss and the state equal the definition, with and without the kernels`, () => {
        const rng = new Random(n * 31 + K);
        const y = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * K));
        // Some zero weights, one large linear predictor (the max shift matters there).
        const w = Float64Array.from({ length: n }, (_, i) => (i % 5 === 3 ? 0 : rng.uniform()));
        const eta = Float64Array.from({ length: K * n }, () => 3 * rng.normal());
        eta[0] = 700;
        const z = Float64Array.from({ length: K * n }, () => rng.normal());
        const t = 0.375;
        let want = 0;
        const r = new Float64Array(K * n);
        for (let i = 0; i < n; i++) {
          const v = Array.from({ length: K }, (_, c) => eta[c * n + i] + t * z[c * n + i]);
          const m = Math.max(...v);
          const s = v.reduce((a, u) => a + Math.exp(u - m), 0);
          want += w[i] * (m + Math.log(s) - v[y[i]]);
          for (let c = 0; c < K; c++)
            r[c * n + i] = w[i] * ((c === y[i] ? 1 : 0) - Math.exp(v[c] - m) / s);
        }
        for (const kernels of ["wasm", "js"] as const) {
          const f = new MultinomialDatafit(y, K, w, kernels);
          f.evaluate(eta);
          f.step.set(z);
          const got = f.lossAlong(eta, t);
          assert.ok(
            Math.abs(got - want) <= 1e-13 * Math.max(1, Math.abs(want)),
            `${kernels}: ${got} vs ${want}`,
          );
          assert.equal(f.acceptAlong(t), got);
          for (let k = 0; k < K * n; k++)
            assert.ok(Math.abs(f.r[k] - r[k]) <= 1e-15, `${kernels} r[${k}]: ${f.r[k]} vs ${r[k]}`);
          // acceptAlong serves only the t of the last lossAlong.
          assert.equal(f.acceptAlong(t), null);
          f.release();
        }
      });
    }
  }
});
