import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cvPath } from "../../src/cv/cvPath.js";
import { cscMatrix, denseMatrix, denseToCsc, fit, Random } from "../../src/index.js";
import { dense, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  options: { alpha?: number; "standardize.response"?: boolean; "penalty.factor"?: number[] };
  weighted: boolean;
  lambda: number[];
  a0: number[][];
  beta: number[][][];
  devRatio: number[];
}
const fx = readFixture<{
  n: number;
  p: number;
  k: number;
  x: number[];
  y: number[];
  weights: number[];
  cases: Case[];
}>("glmnet-mgaussian.json");
const { n, p, k } = fx;

/**
 * glmnet's mgaussian objective by brute force: (1/2)Σᵢŵᵢ‖ỹᵢ − ã₀ − B̃ᵀxᵢ‖² + λΣⱼ sⱼ-scaled
 * ((1−α)/2‖sⱼβⱼ‖² + α‖sⱼβⱼ‖₂) times penalty factor j (rescaled to sum to p, as glmnet does), with
 * ŵ = w/Σw, sⱼ the weighted population sd of feature j, and — with standardize.response —
 * responses and coefficients divided by each response's sd.
 */
function objective(
  c: Case,
  a0: ArrayLike<number>,
  beta: ArrayLike<number>[],
  lambda: number,
): number {
  const w = c.weighted ? fx.weights : new Array<number>(n).fill(1);
  const W = w.reduce((a, b) => a + b, 0);
  const mean = (v: (i: number) => number) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += (w[i] / W) * v(i);
    return m;
  };
  const sd = (v: (i: number) => number) => {
    const m = mean(v);
    return Math.sqrt(mean((i) => (v(i) - m) ** 2));
  };
  const ys = Array.from({ length: k }, (_, r) =>
    c.options["standardize.response"] ? sd((i) => fx.y[r * n + i]) : 1,
  );
  let f = 0;
  for (let i = 0; i < n; i++)
    for (let r = 0; r < k; r++) {
      let e = a0[r];
      for (let j = 0; j < p; j++) e += fx.x[j * n + i] * beta[r][j];
      f += (w[i] / W) * ((fx.y[r * n + i] - e) / ys[r]) ** 2;
    }
  f /= 2;
  const alpha = c.options.alpha ?? 1;
  const pf = c.options["penalty.factor"] ?? new Array<number>(p).fill(1);
  const pfSum = pf.reduce((a, b) => a + b, 0);
  for (let j = 0; j < p; j++) {
    const s = sd((i) => fx.x[j * n + i]);
    let sq = 0;
    for (let r = 0; r < k; r++) sq += ((s * beta[r][j]) / ys[r]) ** 2;
    f += ((lambda * pf[j] * p) / pfSum) * (((1 - alpha) / 2) * sq + alpha * Math.sqrt(sq));
  }
  return f;
}

const X = denseMatrix(n, p, Float64Array.from(fx.x));
const Y = denseMatrix(n, k, Float64Array.from(fx.y));
const options = (c: Case) => ({
  family: "mgaussian" as const,
  alpha: c.options.alpha,
  weights: c.weighted ? fx.weights : undefined,
  standardizeResponse: c.options["standardize.response"] === true,
  penaltyFactor: c.options["penalty.factor"],
});

describe("multi-response Gaussian against glmnet 4.1's mgaussian", () => {
  for (const c of fx.cases) {
    it(`${c.name}: glmnet's λ grid and point count; objective never above its own`, (t) => {
      const f = fit(X, Y, options(c));
      assert.deepEqual(f.warnings, []);
      assert.equal(f.lambda.length, c.lambda.length);
      let worst = -Infinity;
      for (let l = 0; l < c.lambda.length; l++) {
        assert.ok(Math.abs(f.lambda[l] / c.lambda[l] - 1) <= 1e-12, `λ #${l + 1}`);
        const ours = objective(
          c,
          Array.from(f.intercepts[l]),
          f.coefficients[l].map((v) => dense(p, v)),
          c.lambda[l],
        );
        const theirs = objective(c, c.a0[l], c.beta[l], c.lambda[l]);
        worst = Math.max(worst, (ours - theirs) / Math.abs(theirs));
        assert.ok(
          Math.abs(f.devRatio[l] - c.devRatio[l]) <= 1e-8,
          `deviance ratio #${l + 1}: ${f.devRatio[l] - c.devRatio[l]}`,
        );
        assert.ok(f.kktMax[l] <= 1e-7 * Math.max(c.lambda[l], c.lambda[0] / 100), `KKT #${l + 1}`);
        // The grouped penalty: a feature is in every response or in none.
        const nz = f.coefficients[l].map((v) => new Set(v.index));
        for (let j = 0; j < p; j++) assert.ok(nz.every((s) => s.has(j) === nz[0].has(j)));
      }
      t.diagnostic(`worst relative objective excess over glmnet: ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-9);
    });
  }

  it("one response is the Gaussian family; every penalty certifies on several", () => {
    const y1 = Float64Array.from(fx.y.slice(0, n));
    const a = fit(X, denseMatrix(n, 1, y1), { family: "mgaussian" });
    const b = fit(X, y1, { family: "gaussian" });
    // (Their paths may end a point apart: glmnet's two early-end rules differ.)
    const L = Math.min(a.lambda.length, b.lambda.length);
    assert.ok(L >= b.lambda.length - 2 && L >= a.lambda.length - 2);
    for (let l = 0; l < L; l++) {
      assert.ok(Math.abs(a.lambda[l] / b.lambda[l] - 1) <= 1e-12);
      const u = dense(p, a.coefficients[l][0]);
      const v = dense(p, b.coefficients[l][0]);
      for (let j = 0; j < p; j++) assert.ok(Math.abs(u[j] - v[j]) <= 1e-7 * (1 + Math.abs(v[j])));
      assert.ok(Math.abs(a.intercepts[l][0] - b.intercepts[l][0]) <= 1e-7);
    }
    for (const extra of [
      { penalty: "mcp" as const },
      { penalty: "scad" as const },
      { penalty: "group" as const, groups: Array.from({ length: p }, (_, j) => j >> 2) },
    ]) {
      const f = fit(X, Y, { family: "mgaussian", ...extra });
      assert.deepEqual(f.warnings, [], extra.penalty);
      for (let l = 0; l < f.lambda.length; l++)
        assert.ok(f.kktMax[l] <= 1e-7 * Math.max(f.lambda[l], f.lambda[0] / 100), extra.penalty);
    }
  });

  it("a sparse design gives the dense path (never densified), weighted and unweighted", () => {
    const rng = new Random(5);
    const n2 = 300;
    const p2 = 40;
    const xd = new Float64Array(n2 * p2);
    for (let t = 0; t < xd.length; t++) if (rng.uniform() < 0.15) xd[t] = 1 + rng.normal();
    const K2 = 3;
    const yd = new Float64Array(n2 * K2);
    for (let c = 0; c < K2; c++)
      for (let i = 0; i < n2; i++)
        yd[c * n2 + i] = (c + 1) * xd[i] - 2 * xd[3 * n2 + i] + xd[(7 + c) * n2 + i] + rng.normal();
    const Xd = denseMatrix(n2, p2, xd);
    const Yd = denseMatrix(n2, K2, yd);
    const weights = Float64Array.from({ length: n2 }, (_, i) => 1 + (i % 3));
    for (const extra of [{}, { weights }, { intercept: false }, { alpha: 0.5 }]) {
      const a = fit(Xd, Yd, { family: "mgaussian", ...extra });
      const b = fit(denseToCsc(Xd), Yd, { family: "mgaussian", ...extra });
      assert.equal(a.solver, "covariance");
      assert.equal(b.solver, "covariance");
      assert.equal(b.lambda.length, a.lambda.length);
      for (let l = 0; l < a.lambda.length; l++) {
        assert.ok(Math.abs(b.lambda[l] / a.lambda[l] - 1) <= 1e-12);
        for (let c = 0; c < K2; c++) {
          const u = dense(p2, a.coefficients[l][c]);
          const v = dense(p2, b.coefficients[l][c]);
          for (let j = 0; j < p2; j++)
            assert.ok(Math.abs(u[j] - v[j]) <= 1e-9 * (1 + Math.abs(u[j])));
          assert.ok(Math.abs(a.intercepts[l][c] - b.intercepts[l][c]) <= 1e-9);
        }
        assert.ok(b.kktMax[l] <= 1e-7 * Math.max(b.lambda[l], b.lambda[0] / 100));
      }
    }
    // Dense, this design would be past the model core's 2 GiB: sparse, it fits.
    const big = 70_000;
    const wide = 4000;
    const colPtr = new Int32Array(wide + 1);
    const rowIndex = new Int32Array(big);
    const values = new Float64Array(big);
    // one non-zero per row, in column i mod wide
    let t = 0;
    for (let j = 0; j < wide; j++) {
      colPtr[j] = t;
      for (let i = j; i < big; i += wide) {
        rowIndex[t] = i;
        values[t++] = 1 + ((i * 7) % 5);
      }
    }
    colPtr[wide] = t;
    const yb = new Float64Array(2 * big);
    for (let i = 0; i < big; i++) {
      yb[i] = (i % wide < 3 ? 3 * values[i] : 0) + rng.normal();
      yb[big + i] = (i % wide === 5 ? 6 : 0) + rng.normal();
    }
    const f = fit(cscMatrix(big, wide, colPtr, rowIndex, values), denseMatrix(big, 2, yb), {
      family: "mgaussian",
      nLambda: 5,
      lambdaMinRatio: 0.3,
    });
    assert.equal(f.solver, "covariance");
    assert.deepEqual(Array.from(f.df), [0, 3, 4, 4, 4]);
    for (let l = 0; l < f.lambda.length; l++)
      assert.ok(f.kktMax[l] <= 1e-7 * Math.max(f.lambda[l], f.lambda[0] / 100));
  });

  it("refuses a vector y, a matrix y for other families, offsets and non-finite responses", () => {
    const y1 = Float64Array.from(fx.y.slice(0, n));
    assert.throws(
      () => fit(X, y1, { family: "mgaussian" }),
      /mgaussian takes the responses as a matrix/,
    );
    assert.throws(() => fit(X, Y, { family: "gaussian" }), /only the mgaussian family/);
    assert.throws(() => fit(X, Y, { family: "mgaussian", offset: y1 }), /offset/);
    const bad = Float64Array.from(fx.y);
    bad[n + 7] = NaN;
    assert.throws(
      () => fit(X, denseMatrix(n, k, bad), { family: "mgaussian" }),
      /row 8 of response 2/,
    );
    assert.throws(() => fit(X, y1, { standardizeResponse: true }), /mgaussian family only/);
  });
});

describe("mgaussian cross-validation against cv.glmnet (fixed folds)", () => {
  const all = readFixture<{
    foldid: number[];
    cv: {
      measure: "mse" | "mae";
      lambda: number[];
      cvm: number[];
      cvsd: number[];
      lambdaMin: number;
      lambda1se: number;
    }[];
  }>("glmnet-mgaussian.json");
  for (const c of all.cv)
    it(`measure ${c.measure}: cv.glmnet's curve, λ_min and λ_1se`, async (t) => {
      const cv = await cvPath(X, Y, {
        family: "mgaussian",
        foldId: all.foldid,
        measure: c.measure,
      });
      assert.equal(cv.lambda.length, c.lambda.length);
      let worst = 0;
      for (let l = 0; l < c.lambda.length; l++)
        worst = Math.max(worst, Math.abs(cv.cvm[l] / c.cvm[l] - 1));
      t.diagnostic(`largest relative difference in cvm: ${worst.toExponential(2)}`);
      // cv.glmnet's folds stop at thresh 1e-14 on the deviance; ours are certified by KKT.
      assert.ok(worst <= 1e-8, `${worst}`);
      assert.ok(Math.abs(cv.lambdaMin / c.lambdaMin - 1) <= 1e-12);
      assert.ok(Math.abs(cv.lambda1se / c.lambda1se - 1) <= 1e-12);
    });
});
