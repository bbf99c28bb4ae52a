import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  constraintPath,
  l1BallMultiplier,
  customSmooth,
  denseMatrix,
  groupL2,
  groupLassoPath,
  elasticNetPath,
  glmDatafit,
  glmPath,
  l1,
  l1Ball,
  owlqn,
  proximalGradient,
  proxSgd,
  subgradientDescent,
} from "../../src/index.js";
import { dataset } from "../helpers/fixtures.js";

/** Centered, population-sd-scaled columns: glmnet's standardization, done here once. */
function standardized(name: string) {
  const { x, y, n, p } = dataset(name);
  const xs = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2 / n;
    const sd = Math.sqrt(v);
    for (let i = 0; i < n; i++) xs[j * n + i] = (x[j * n + i] - mu) / sd;
  }
  return { x: denseMatrix(n, p, xs), y, n, p };
}

const support = (w: ArrayLike<number>, p: number) =>
  Array.from({ length: p }, (_, j) => j).filter((j) => w[j] !== 0);

describe("proximal solvers against coordinate descent (diabetes lasso, breast-cancer logistic L1)", () => {
  const d = standardized("diabetes");
  let lamMax = 0;
  const ybar = d.y.reduce((s, v) => s + v, 0) / d.n;
  for (let j = 0; j < d.p; j++) {
    let s = 0;
    for (let i = 0; i < d.n; i++)
      s += (d.x as { data: Float64Array }).data[j * d.n + i] * (d.y[i] - ybar);
    lamMax = Math.max(lamMax, Math.abs(s) / d.n);
  }
  const lam = 0.05 * lamMax;
  const cd = elasticNetPath(d.x, d.y, { lambda: [lam], standardize: false });
  const cdW = new Float64Array(d.p);
  cd.beta[0].index.forEach((j, t) => (cdW[j] = cd.beta[0].value[t]));
  const f = glmDatafit("squared", d.x, d.y, { intercept: true });
  const weights = [...new Array(d.p).fill(1), 0];
  const g = l1(lam, { weights });
  const cdSupport = support(cdW, d.p);

  it("FISTA, ISTA and OWL-QN reach coordinate descent's objective (1e-8) with the same exact support", () => {
    assert.ok(cdSupport.length > 2 && cdSupport.length < d.p, "λ leaves some zeros");
    for (const r of [
      proximalGradient(f, g),
      proximalGradient(f, g, { accelerated: false, maxIter: 200000 }),
      owlqn(f, g),
    ]) {
      assert.ok(r.converged, `${r.solver}: KKT ${r.kkt}`);
      const rel = (r.objective - cd.objective[0]) / cd.objective[0];
      assert.ok(
        Math.abs(rel) < 1e-8,
        `${r.solver}: objective ${r.objective} vs ${cd.objective[0]}`,
      );
      assert.deepEqual(support(r.w, d.p), cdSupport, `${r.solver}: support`);
    }
  });

  it("subgradient descent ends with no exact zeros but tiny weights where the solution is zero", () => {
    const r = subgradientDescent(f, g, { maxIter: 20000 });
    const zeros = r.w.subarray(0, d.p).filter((v) => v === 0).length;
    assert.equal(zeros, 0, "plain subgradient steps never land on zero");
    const big = Math.max(...Array.from(r.w.subarray(0, d.p), Math.abs));
    for (let j = 0; j < d.p; j++)
      if (cdW[j] === 0) assert.ok(Math.abs(r.w[j]) < 0.05 * big, `feature ${j}: ${r.w[j]}`);
    assert.ok(r.kkt > 1e-3 * lam, "and it does not certify optimality");
    // Truncating at zero crossings does make zeros.
    const t = subgradientDescent(f, g, { maxIter: 20000, truncated: true });
    assert.ok(t.w.subarray(0, d.p).filter((v) => v === 0).length > 0);
  });

  it("proximal SGD keeps exact zeros and comes near the optimum", () => {
    const r = proxSgd(f, g, { maxIter: 200, batchSize: 32, seed: 5 });
    assert.ok(r.w.subarray(0, d.p).some((v) => v === 0));
    assert.ok((r.objective - cd.objective[0]) / cd.objective[0] < 1e-2, `${r.objective}`);
  });

  it("the constrained form ‖β‖₁ ≤ t at t = ‖β(λ)‖₁ gives the same solution, its multiplier λ", () => {
    const t = cdW.reduce((s, v) => s + Math.abs(v), 0);
    // The intercept is not constrained: the ball acts on the features only.
    const ball = l1Ball(t);
    const g2 = {
      ...ball,
      value: (w: Float64Array) => ball.value(w.subarray(0, d.p)),
      prox(v: Float64Array, s: number, out: Float64Array) {
        ball.prox(v.subarray(0, d.p), s, out.subarray(0, d.p));
        out[d.p] = v[d.p];
      },
      subdiffDistance(w: Float64Array, grad: Float64Array) {
        return Math.max(
          ball.subdiffDistance(w.subarray(0, d.p), grad.subarray(0, d.p)),
          Math.abs(grad[d.p]),
        );
      },
    };
    const r = proximalGradient(f, g2, { maxIter: 200000 });
    assert.ok(r.converged, `KKT ${r.kkt}`);
    for (let j = 0; j < d.p; j++)
      assert.ok(Math.abs(r.w[j] - cdW[j]) < 1e-6 * (1 + Math.abs(cdW[j])), `β${j}`);
    // The multiplier: |∂f/∂βⱼ| on the support equals λ.
    const grad = new Float64Array(d.p + 1);
    f.gradient(r.w, grad);
    for (const j of cdSupport) assert.ok(Math.abs(Math.abs(grad[j]) - lam) < 1e-6 * lam);
  });

  it("logistic L1 on breast cancer: FISTA and OWL-QN reach glmPath's objective to 1e-8", () => {
    const b = standardized("breast_cancer");
    const lamB = 0.02;
    const fit = glmPath("binomial", b.x, b.y, { lambda: [lamB], standardize: false });
    const fb = glmDatafit("logistic", b.x, b.y, { intercept: true });
    const gb = l1(lamB, { weights: [...new Array(b.p).fill(1), 0] });
    for (const r of [proximalGradient(fb, gb), owlqn(fb, gb)]) {
      assert.ok(r.converged, `${r.solver}: KKT ${r.kkt}`);
      const rel = (r.objective - fit.objective[0]) / fit.objective[0];
      assert.ok(Math.abs(rel) < 1e-8, `${r.solver}: ${r.objective} vs ${fit.objective[0]}`);
      assert.deepEqual(support(r.w, b.p), Array.from(fit.beta[0].index), `${r.solver}: support`);
    }
  });

  it("Poisson L1 (diabetes progression as counts): FISTA and OWL-QN reach glmPath's objective", () => {
    const lamP = 0.5;
    const fit = glmPath("poisson", d.x, d.y, { lambda: [lamP], standardize: false });
    const fp = glmDatafit("poisson", d.x, d.y, { intercept: true });
    const gp = l1(lamP, { weights });
    for (const r of [proximalGradient(fp, gp), owlqn(fp, gp)]) {
      assert.ok(r.converged, `${r.solver}: KKT ${r.kkt}`);
      const rel = (r.objective - fit.objective[0]) / Math.abs(fit.objective[0]);
      assert.ok(Math.abs(rel) < 1e-8, `${r.solver}: ${r.objective} vs ${fit.objective[0]}`);
    }
  });

  it("group lasso: FISTA with the group prox reaches groupLassoPath's objective, same zero groups", () => {
    const groups = [0, 0, 1, 1, 2, 2, 2, 3, 3, 3];
    const lamG = 3;
    const fit = groupLassoPath(d.x, d.y, { groups, lambda: [lamG], standardize: false });
    // groupLassoPath weighs groups by √|g| on ½Σŵ(y − η)²: the same as the mean loss here.
    const g = groupL2(lamG, [...groups, -1]);
    const r = proximalGradient(f, g);
    assert.ok(r.converged, `KKT ${r.kkt}`);
    const rel = (r.objective - fit.objective[0]) / fit.objective[0];
    assert.ok(Math.abs(rel) < 1e-8, `${r.objective} vs ${fit.objective[0]}`);
    assert.deepEqual(support(r.w, d.p), Array.from(fit.beta[0].index));
  });

  it("a user-supplied smooth function: FISTA on ½‖w − c‖² + λ‖w‖₁ is soft-thresholding of c", () => {
    const c = Float64Array.of(3, -0.2, 0.5, -2, 0);
    const fc = customSmooth(
      5,
      (w) => 0.5 * w.reduce((s, v, j) => s + (v - c[j]) ** 2, 0),
      (w, out) => w.forEach((v, j) => (out[j] = v - c[j])),
      1,
    );
    const r = proximalGradient(fc, l1(0.5));
    assert.deepEqual(Array.from(r.w), [2.5, 0, 0, -1.5, 0]);
  });

  it("the constrained form along the path: at t_k = ‖β̃(λ_k)‖₁ projected gradient returns β(λ_k), multiplier λ_k", () => {
    const path = elasticNetPath(d.x, d.y, { standardize: false });
    const ts = constraintPath(path);
    for (let k = 1; k < ts.length; k++) assert.ok(ts[k] >= ts[k - 1] - 1e-9, "t grows as λ falls");
    for (const k of [10, 25, 40, 60]) {
      const r = proximalGradient(f, l1Ball(ts[k], { free: [d.p] }), { maxIter: 500000 });
      assert.ok(r.converged, `λ #${k + 1}: KKT ${r.kkt}`);
      const beta = new Float64Array(d.p);
      path.beta[k].index.forEach((j, q) => (beta[j] = path.beta[k].value[q]));
      for (let j = 0; j < d.p; j++)
        assert.ok(
          Math.abs(r.w[j] - beta[j]) < 1e-6 * (1 + Math.abs(beta[j])),
          `λ #${k + 1}, β${j}`,
        );
      const grad = new Float64Array(d.p + 1);
      f.gradient(r.w, grad);
      const theta = l1BallMultiplier(
        r.w,
        grad,
        Uint8Array.from({ length: d.p + 1 }, (_, j) => (j === d.p ? 1 : 0)),
      );
      assert.ok(
        Math.abs(theta - path.lambda[k]) < 1e-6 * path.lambda[k],
        `λ #${k + 1}: θ ${theta}`,
      );
    }
  });
});
