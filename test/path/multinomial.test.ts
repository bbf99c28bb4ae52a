import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, multinomialPath } from "../../src/index.js";
import { dataset, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  data: string;
  options: { alpha?: number };
  classes: number[];
  lambda: number[];
  a0: number[][];
  beta: number[][][];
  devRatio: number[];
}
const { meta, cases } = readFixture<{ meta: { glmnet: string }; cases: Case[] }>(
  "glmnet-multinomial.json",
);

/** −Σ (1/n)[η_{i,y_i} − log Σ_c e^{η_ic}] + λ Σ_c Σ_j (α|s_jβ_jc| + (1−α)/2 (s_jβ_jc)²), plainly. */
function objective(
  x: Float64Array,
  y: number[],
  n: number,
  p: number,
  classes: number[],
  alpha: number,
  lam: number,
  a0: ArrayLike<number>,
  B: ArrayLike<number>[],
) {
  const sd = Array.from({ length: p }, (_, j) => {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2 / n;
    return Math.sqrt(v);
  });
  let f = 0;
  for (let i = 0; i < n; i++) {
    const eta = classes.map((_, c) => {
      let e = a0[c];
      for (let j = 0; j < p; j++) e += B[c][j] * x[j * n + i];
      return e;
    });
    const m = Math.max(...eta);
    f +=
      (m + Math.log(eta.reduce((u, e) => u + Math.exp(e - m), 0)) - eta[classes.indexOf(y[i])]) / n;
  }
  let pen = 0;
  for (const b of B)
    for (let j = 0; j < p; j++) {
      const t = sd[j] * b[j];
      pen += alpha * Math.abs(t) + ((1 - alpha) / 2) * t * t;
    }
  return f + lam * pen;
}

describe(`multinomialPath agrees with glmnet ${meta.glmnet} (fixtures/glmnet-multinomial.json)`, () => {
  for (const c of cases) {
    it(`${c.name}: objective never above glmnet's by more than 1e-7 relative at glmnet's λ`, (t) => {
      const { x, y, n, p } = dataset(c.data);
      const alpha = c.options.alpha ?? 1;
      const f = multinomialPath(denseMatrix(n, p, x), y, { alpha, lambda: c.lambda });
      assert.deepEqual(f.classes, c.classes);
      let worst = -Infinity;
      const ys = Array.from(y);
      for (let k = 0; k < c.lambda.length; k++) {
        const B = f.beta[k].map((bv) => {
          const d = new Float64Array(p);
          bv.index.forEach((j, q) => (d[j] = bv.value[q]));
          return d;
        });
        const ours = objective(x, ys, n, p, c.classes, alpha, c.lambda[k], f.intercept[k], B);
        const theirs = objective(x, ys, n, p, c.classes, alpha, c.lambda[k], c.a0[k], c.beta[k]);
        worst = Math.max(worst, (ours - theirs) / theirs);
        assert.ok(
          Math.abs(f.objective[k] - ours) <= 1e-9 * ours,
          `reported objective at λ #${k + 1}`,
        );
        assert.ok(f.kktMax[k] <= 1e-4 * c.lambda[k], `KKT ${f.kktMax[k]} at λ #${k + 1}`);
        assert.ok(
          Math.abs(f.intercept[k].reduce((u, v) => u + v, 0)) < 1e-9,
          "centered intercepts",
        );
      }
      t.diagnostic(`worst relative excess over glmnet: ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-7, `worst excess ${worst}`);
    });
  }

  it("the automatic λ sequence and early end follow glmnet's", () => {
    const c = cases[0];
    const { x, y, n, p } = dataset(c.data);
    const f = multinomialPath(denseMatrix(n, p, x), y);
    assert.ok(Math.abs(f.lambda[0] - c.lambda[0]) <= 1e-9 * c.lambda[0]);
    assert.ok(
      Math.abs(f.lambda.length - c.lambda.length) <= 3,
      `${f.lambda.length} vs ${c.lambda.length}`,
    );
  });
});
