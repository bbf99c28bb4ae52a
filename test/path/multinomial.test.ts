import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix, multinomialPath, Random, type MultinomialOptions } from "../../src/index.js";
import { dataset, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  data: string;
  options: {
    alpha?: number;
    "type.multinomial"?: "grouped";
    standardize?: boolean;
    "penalty.factor"?: number[];
    nlambda?: number;
  };
  classes: number[];
  lambda: number[];
  a0: number[][];
  beta: number[][][];
  devRatio: number[];
}
const { meta, cases } = readFixture<{ meta: { glmnet: string }; cases: Case[] }>(
  "glmnet-multinomial.json",
);

/**
 * −Σ (1/n)[η_{i,y_i} − log Σ_c e^{η_ic}] + λ Σ_j pf_j Σ_c (α|s_jβ_jc| + (1−α)/2 (s_jβ_jc)²), or
 * for the grouped type λ Σ_j pf_j (α‖s_jβ_j‖₂ + (1−α)/2 ‖s_jβ_j‖₂²), plainly (pf rescaled to sum
 * to p as glmnet; s_j the population standard deviation, or 1 without standardization).
 */
function objective(
  x: Float64Array,
  y: number[],
  n: number,
  p: number,
  classes: number[],
  o: Case["options"],
  lam: number,
  a0: ArrayLike<number>,
  B: ArrayLike<number>[],
) {
  const alpha = o.alpha ?? 1;
  const pf0 = o["penalty.factor"] ?? new Array(p).fill(1);
  const pfSum = pf0.reduce((u, v) => u + v, 0);
  const pf = pf0.map((v) => (v * p) / pfSum);
  const sd = Array.from({ length: p }, (_, j) => {
    if (o.standardize === false) return 1;
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
  for (let j = 0; j < p; j++) {
    const t = B.map((b) => sd[j] * b[j]);
    const sq = t.reduce((u, v) => u + v * v, 0);
    const l1 =
      o["type.multinomial"] === "grouped" ? Math.sqrt(sq) : t.reduce((u, v) => u + Math.abs(v), 0);
    pen += pf[j] * (alpha * l1 + ((1 - alpha) / 2) * sq);
  }
  return f + lam * pen;
}

describe(`multinomialPath agrees with glmnet ${meta.glmnet} (fixtures/glmnet-multinomial.json)`, () => {
  for (const c of cases) {
    it(`${c.name}: objective never above glmnet's by more than 1e-7 relative at glmnet's λ`, (t) => {
      const { x, y, n, p } = dataset(c.data);
      const f = multinomialPath(denseMatrix(n, p, x), y, {
        alpha: c.options.alpha ?? 1,
        lambda: c.lambda,
        typeMultinomial: c.options["type.multinomial"] ?? "ungrouped",
        standardize: c.options.standardize ?? true,
        penaltyFactor: c.options["penalty.factor"],
      });
      assert.deepEqual(f.classes, c.classes);
      let worst = -Infinity;
      const ys = Array.from(y);
      for (let k = 0; k < c.lambda.length; k++) {
        const B = f.beta[k].map((bv) => {
          const d = new Float64Array(p);
          bv.index.forEach((j, q) => (d[j] = bv.value[q]));
          return d;
        });
        const ours = objective(x, ys, n, p, c.classes, c.options, c.lambda[k], f.intercept[k], B);
        const theirs = objective(
          x,
          ys,
          n,
          p,
          c.classes,
          c.options,
          c.lambda[k],
          c.a0[k],
          c.beta[k],
        );
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

describe("grouped multinomial (one group per feature across classes)", () => {
  const c = cases.find((k) => k.options["type.multinomial"] === "grouped")!;
  const { x, y, n, p } = dataset(c.data);
  const f = multinomialPath(denseMatrix(n, p, x), y, { typeMultinomial: "grouped" });

  it("starts at glmnet's λ_max and zeroes whole features: every class or none", () => {
    assert.ok(Math.abs(f.lambda[0] - c.lambda[0]) <= 1e-9 * c.lambda[0]);
    assert.equal(f.df[0], 0);
    for (let k = 0; k < f.lambda.length; k++) {
      const sets = f.beta[k].map((b) => Array.from(b.index).join(","));
      assert.ok(
        sets.every((s) => s === sets[0]),
        `λ #${k + 1}: classes select different features`,
      );
      assert.equal(f.beta[k][0].index.length, f.df[k]);
    }
    assert.ok(f.df[f.lambda.length - 1] > 5, "the path reaches a dense model");
  });

  it("every feature's coefficients sum to zero over the classes, and KKT holds", () => {
    for (let k = 0; k < f.lambda.length; k++) {
      // The core's certificate: KKT ≤ 1e-7·max(λ, λ_max/100) at every point.
      const tol = 1e-7 * Math.max(f.lambda[k], f.lambda[0] / 100);
      assert.ok(f.kktMax[k] <= tol, `KKT ${f.kktMax[k]} at λ #${k + 1}`);
      const K = f.classes.length;
      for (let q = 0; q < f.df[k]; q++) {
        let sum = 0;
        let size = 0;
        for (let cl = 0; cl < K; cl++) {
          sum += f.beta[k][cl].value[q];
          size = Math.max(size, Math.abs(f.beta[k][cl].value[q]));
        }
        assert.ok(Math.abs(sum) <= 1e-7 * size, `λ #${k + 1}: row sum ${sum}`);
      }
    }
  });

  it("refuses box limits and unknown types, naming the option", () => {
    assert.throws(
      () =>
        multinomialPath(denseMatrix(n, p, x), y, { typeMultinomial: "grouped", lowerLimits: 0 }),
      /lowerLimits/,
    );
    assert.throws(
      () =>
        multinomialPath(denseMatrix(n, p, x), y, {
          typeMultinomial: "both" as unknown as "grouped",
        }),
      /typeMultinomial/,
    );
  });
});

describe("every multinomial point is certified or warned, whatever the options", () => {
  const rng = new Random(9);
  const n = 300;
  const p = 8;
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) =>
    x[i] + 0.8 * rng.normal() > 0.5 ? 3 : x[n + i] - x[2 * n + i] > 0 ? 1 : 2,
  );
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  const cases: [string, MultinomialOptions][] = [
    ["weights", { weights: w }],
    ["lower limits 0", { lowerLimits: 0 }],
    ["both limits", { upperLimits: 0.3, lowerLimits: -0.2 }],
    ["penalty factors with zeros", { penaltyFactor: [0, 1, 1, 2, 1, 1, 0.5, 1] }],
    ["excluded features", { exclude: [2, 5] }],
    ["no intercept", { intercept: false }],
    ["no standardization", { standardize: false }],
    ["α = 0.2", { alpha: 0.2 }],
    ["ridge", { alpha: 0 }],
  ];
  for (const [name, options] of cases)
    it(name, () => {
      const f = multinomialPath(denseMatrix(n, p, x), y, options);
      assert.ok(f.lambda.length > 3);
      const floor = f.lambda[0] / 100;
      for (let k = 0; k < f.lambda.length; k++) {
        const tol = 1e-7 * Math.max(f.lambda[k], floor);
        const warned = f.warnings.some((m) => m.startsWith(`λ #${k + 1} `));
        assert.ok(f.kktMax[k] <= tol || warned, `λ #${k + 1}: KKT ${f.kktMax[k]} > ${tol}`);
      }
      if (options.lowerLimits === 0)
        for (const point of f.beta)
          for (const b of point) for (const v of b.value) assert.ok(v >= 0);
    });
});
