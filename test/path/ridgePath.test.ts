import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cscMatrix,
  denseMatrix,
  denseToCsc,
  elasticNetPath,
  InputError,
  Random,
  ridgePath,
} from "../../src/index.js";
import { matMem } from "../../src/nn/kernels.js";
import { certificate, ridgeCertificate } from "../../src/path/certificate.js";
import { ridgeLayout } from "../../src/path/ridgePath.js";
import { dense, diabetes, objective, readFixture } from "../helpers/fixtures.js";

const d = diabetes();
const X = denseMatrix(d.n, d.p, d.x);

function simulated(n: number, p: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float64Array(n * p);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i] - x[n + i] + rng.normal());
  return { x, y };
}

describe("ridgePath (exact, one eigen-decomposition)", () => {
  it("equals coordinate descent at α = 0 on diabetes (p ≤ n, Gram route)", () => {
    const pf = [1, 2, 1, 0.5, 1, 1, 3, 1, 1, 1];
    const ridge = ridgePath(X, d.y, { penaltyFactor: pf });
    const cd = elasticNetPath(X, d.y, {
      alpha: 0,
      penaltyFactor: pf,
      lambda: ridge.lambda,
      thresh: 1e-15,
      type: "covariance",
    });
    for (let k = 0; k < ridge.lambda.length; k++) {
      assert.ok(
        Math.abs(ridge.objective[k] - cd.objective[k]) <= 1e-9 * cd.objective[k],
        `#${k + 1}`,
      );
      assert.ok(ridge.objective[k] <= cd.objective[k] * (1 + 1e-12));
    }
  });

  it("equals coordinate descent at α = 0 when p > n (kernel route), dense and sparse alike", () => {
    const n = 40;
    const p = 90;
    const { x, y } = simulated(n, p, 3);
    const ridge = ridgePath(denseMatrix(n, p, x), y, { nLambda: 30 });
    const sparse = ridgePath(denseToCsc(denseMatrix(n, p, x)), y, { nLambda: 30 });
    // Coordinate descent by name: at α = 0 on this shape elasticNetPath would take ridgePath.
    const cd = elasticNetPath(denseMatrix(n, p, x), y, {
      alpha: 0,
      lambda: ridge.lambda,
      thresh: 1e-15,
      type: "naive",
    });
    for (let k = 0; k < ridge.lambda.length; k++) {
      assert.ok(
        Math.abs(ridge.objective[k] - cd.objective[k]) <= 1e-9 * cd.objective[k],
        `#${k + 1}`,
      );
      assert.ok(Math.abs(ridge.objective[k] - sparse.objective[k]) <= 1e-10 * ridge.objective[k]);
      assert.ok(ridge.kktMax[k] <= 1e-9 * ridge.lambda[0]);
    }
  });

  it("its one-pass certificate equals the generic elastic-net certificate at α = 0", () => {
    const rng = new Random(17);
    for (const p of [1, 7, 60]) {
      const b = Float64Array.from({ length: p }, (_, j) => (j % 5 === 3 ? 0 : rng.normal()));
      const g = Float64Array.from({ length: p }, () => rng.normal());
      const pf = Float64Array.from({ length: p }, (_, j) => (j % 4 === 1 ? 2.5 : 1));
      const include = Uint8Array.from({ length: p }, (_, j) => (j % 6 === 5 ? 0 : 1));
      for (let j = 0; j < p; j++) if (!include[j]) b[j] = 0;
      const J = Int32Array.from({ length: p }, (_, j) => j).filter((j) => include[j] === 1);
      const lower = new Float64Array(p).fill(-Infinity);
      const upper = new Float64Array(p).fill(Infinity);
      for (const lambda of [1e-3, 0.4, 30]) {
        const yTr = 3 + rng.uniform();
        const rss = 2 + rng.uniform();
        const fresh = new Uint8Array(p).fill(1);
        const want = certificate(b, g, yTr, rss, include, pf, lower, upper, lambda, 0, fresh);
        const got = ridgeCertificate(b, g, yTr, rss, J, pf, lambda);
        assert.equal(got.primal, want.primal);
        assert.equal(got.kktMax, want.kktMax);
        // b_j = 0 takes another formula for its conjugate in the generic code: same value
        assert.ok(Math.abs(got.dualityGap - want.dualityGap) <= 1e-12 * (1 + want.dualityGap));
      }
    }
  });

  it("is at least as good as glmnet's ridge path (fixture, standardized y)", () => {
    const { cases } = readFixture<{
      cases: { name: string; y: number[]; lambda: number[]; a0: number[]; beta: number[][] }[];
    }>("glmnet-gaussian.json");
    const c = cases.find((k) => k.name.startsWith("diabetes ridge"))!;
    const fit = ridgePath(X, c.y, { lambda: c.lambda });
    for (let k = 0; k < c.lambda.length; k++) {
      const ours = objective(
        d.x,
        c.y,
        d.n,
        d.p,
        { alpha: 0 },
        c.lambda[k],
        fit.intercept[k],
        dense(d.p, fit.beta[k]),
      );
      const theirs = objective(d.x, c.y, d.n, d.p, { alpha: 0 }, c.lambda[k], c.a0[k], c.beta[k]);
      assert.ok(ours <= theirs * (1 + 1e-7), `#${k + 1}: ${ours} vs ${theirs}`);
    }
  });

  for (const [n, p] of [
    [25, 6],
    [12, 30],
  ])
    it(`leave-one-out error equals brute-force refits without each row (${n} × ${p}: the ${p <= n ? "Gram" : "kernel"} route)`, () => {
      const { x, y } = simulated(n, p, 11);
      const m = denseMatrix(n, p, x);
      const fit = ridgePath(m, y, { standardize: false, nLambda: 8 });
      for (const k of [1, 4, 7]) {
        const lam = fit.lambda[k];
        let loo = 0;
        for (let i = 0; i < n; i++) {
          const w = new Float64Array(n).fill(1);
          w[i] = 0;
          // Dropping a row turns the 1/n loss weight into 1/(n−1): rescale λ to keep the problem.
          const f = elasticNetPath(m, y, {
            alpha: 0,
            standardize: false,
            weights: w,
            lambda: [(lam * n) / (n - 1)],
            thresh: 1e-16,
          });
          let pred = f.intercept[0];
          const b = dense(p, f.beta[0]);
          for (let j = 0; j < p; j++) pred += x[j * n + i] * b[j];
          loo += (y[i] - pred) ** 2 / n;
        }
        assert.ok(
          Math.abs(fit.cv.loo[k] - loo) <= 1e-7 * loo,
          `λ #${k + 1}: ${fit.cv.loo[k]} vs ${loo}`,
        );
      }
    });

  it("degrees of freedom fall from rank + 1 toward 1 and λ choices lie on the grid", () => {
    const fit = ridgePath(X, d.y, { lambda: [1e6, 1e3, 1, 1e-3, 1e-9] });
    assert.ok(Math.abs(fit.cv.dof[fit.lambda.length - 1] - (d.p + 1)) < 1e-3);
    assert.ok(fit.cv.dof[0] < 1.1);
    assert.ok(fit.lambda.includes(fit.cv.lambdaLoo));
    assert.ok(fit.lambda.includes(fit.cv.lambdaGcv));
  });

  it("elasticNetPath at α = 0 takes the exact solver where it is cheaper, with coordinate descent's path", () => {
    for (const [n, p, seed, noise] of [
      [60, 150, 4, 1],
      [30, 60, 5, 1],
      [200, 40, 6, 1],
      [200, 40, 8, 0.01], // nearly noise-free: the deviance ratio passes 0.999, the path ends early
    ]) {
      const { x, y } = simulated(n, p, seed);
      const rng = new Random(seed);
      if (noise < 1) for (let i = 0; i < n; i++) y[i] = 2 * x[i] - x[n + i] + noise * rng.normal();
      const m = denseMatrix(n, p, x);
      const ratio = noise < 1 ? { lambdaMinRatio: 1e-7 } : {};
      const auto = elasticNetPath(m, y, { alpha: 0, ...ratio });
      const cd = elasticNetPath(m, y, { alpha: 0, thresh: 1e-15, type: "naive", ...ratio });
      assert.equal(auto.solver, "ridge-eigen", `${n} × ${p}`);
      // The same λ grid, ended at the same point by glmnet's rules, the same optimum.
      assert.equal(auto.lambda.length, cd.lambda.length, `${n} × ${p}: points`);
      for (let k = 0; k < cd.lambda.length; k++) {
        assert.ok(Math.abs(auto.lambda[k] - cd.lambda[k]) <= 1e-14 * cd.lambda[k]);
        assert.ok(
          Math.abs(auto.objective[k] - cd.objective[k]) <= 1e-9 * cd.objective[k],
          `${n} × ${p}: #${k + 1}`,
        );
        assert.ok(auto.kktMax[k] <= 1e-9 * auto.lambda[0]);
      }
      assert.ok(!("cv" in auto), "the path result carries no leave-one-out fields");
      if (noise < 1) assert.ok(auto.lambda.length < 100, `ended early: ${auto.lambda.length}`);
    }
    const { x, y } = simulated(60, 150, 4);
    const m = denseMatrix(60, 150, x);
    // Options the exact solver does not honour, or a solver named: coordinate descent.
    assert.notEqual(elasticNetPath(m, y, { alpha: 0, lowerLimits: 0 }).solver, "ridge-eigen");
    assert.equal(elasticNetPath(m, y, { alpha: 0, type: "naive" }).solver, "naive");
    const pf = Array.from({ length: 150 }, (_, j) => (j === 0 ? 0 : 1));
    assert.notEqual(elasticNetPath(m, y, { alpha: 0, penaltyFactor: pf }).solver, "ridge-eigen");
    assert.notEqual(elasticNetPath(m, y, { alpha: 0.5 }).solver, "ridge-eigen");
    // Tall data (more than 10 rows per feature): the covariance solver is the faster one.
    const tall = simulated(500, 20, 7);
    assert.equal(
      elasticNetPath(denseMatrix(500, 20, tall.x), tall.y, { alpha: 0 }).solver,
      "covariance",
    );
  });

  it("refuses what it cannot solve exactly", () => {
    assert.throws(
      () => ridgePath(X, d.y, { penaltyFactor: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] }),
      /factors > 0/,
    );
    assert.throws(() => ridgePath(X, d.y, { lambda: [1, 0] }), /λ > 0/);
    assert.throws(() => ridgePath(X, d.y, { threads: 0 }), /option 'threads'/);
    // A shape whose working memory cannot fit WebAssembly's address space: an input error naming
    // the size, before any work (a sparse 20 000 × 40 000 matrix with one entry per column).
    const n = 20000;
    const p = 40000;
    const big = cscMatrix(
      n,
      p,
      Int32Array.from({ length: p + 1 }, (_, j) => j),
      Int32Array.from({ length: p }, (_, j) => j % n),
      Float64Array.from({ length: p }, (_, j) => 1 + (j % 7)),
    );
    const yBig = Float64Array.from({ length: n }, (_, i) => i % 3);
    assert.throws(
      () => ridgePath(big, yBig),
      (e: Error) => e instanceof InputError && /20000 × 40000 needs \d+\.\d GiB/.test(e.message),
    );
  });

  it("gives the same bits on 1, 2 and 3 threads, and on reused memories full of NaN", () => {
    // 800 × 450 (Gram route) and 450 × 900 (kernel route): products large enough to be split,
    // and matrices of order 450, whose reduction steps past order 362 are shared
    for (const [n, p] of [
      [800, 450],
      [450, 900],
    ]) {
      const { x, y } = simulated(n, p, n + p);
      const Xs = denseMatrix(n, p, x);
      const one = ridgePath(Xs, y, { threads: 1 });
      const same = (r: typeof one, what: string) => {
        for (let l = 0; l < one.lambda.length; l++) {
          assert.equal(r.objective[l], one.objective[l], `${n}×${p} ${what}: objective #${l + 1}`);
          assert.equal(r.kktMax[l], one.kktMax[l], `${n}×${p} ${what}: KKT #${l + 1}`);
          assert.equal(r.cv.loo[l], one.cv.loo[l], `${n}×${p} ${what}: LOO #${l + 1}`);
          assert.equal(r.cv.gcv[l], one.cv.gcv[l], `${n}×${p} ${what}: GCV #${l + 1}`);
        }
        assert.deepEqual(r.beta[50], one.beta[50], `${n}×${p} ${what}: coefficients`);
      };
      same(ridgePath(Xs, y, { threads: 2 }), "2 threads");
      same(ridgePath(Xs, y, { threads: 3 }), "3 threads");
      // ridgePath does not zero the memory it reuses (every region is written before it is
      // read): fill the pools (4 memories each) with NaN at its exact size, then fit again.
      const { size } = ridgeLayout(n, p, 100);
      for (const threads of [1, 2]) {
        const poisoned = Array.from({ length: 4 }, () =>
          matMem(size, true, "float64", true, size, threads),
        );
        for (const m of poisoned) {
          m.data.fill(NaN);
          m.release?.();
        }
        same(ridgePath(Xs, y, { threads }), `NaN-filled memory, ${threads} thread(s)`);
      }
      assert.ok(one.kktMax.every((v, l) => v <= 1e-9 * one.lambda[l]));
    }
  });
});
