import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoxDatafit } from "../../src/datafit/cox.js";
import { denseMatrix, fit } from "../../src/index.js";
import { Random } from "../../src/random.js";
import { readFixture } from "../helpers/fixtures.js";
import { bruteLoss, coxObjective } from "../helpers/survival.js";

interface CoxCase {
  name: string;
  n: number;
  p: number;
  options: { alpha?: number; standardize?: boolean; lambda?: number[] };
  x: number[];
  time: number[];
  status: number[];
  weights: number[] | null;
  lambda: number[];
  beta: number[][];
  devRatio: number[];
}

const cases = readFixture<CoxCase[]>("glmnet-cox.json");

/**
 * glmnet's Cox objective computed here by brute force, independently of the library: with
 * ŵ = w/Σw, −Σᵢ ŵᵢδᵢ(ηᵢ − log Σ_{j: tⱼ ≥ tᵢ} ŵⱼe^{ηⱼ}) (Breslow) + λΣⱼ sⱼ(α|βⱼ| + (1−α)/2 sⱼβⱼ²),
 * sⱼ the weighted population standard deviation (1 unstandardized).
 */
function objective(c: CoxCase, beta: ArrayLike<number>, lambda: number): number {
  const w = c.weights ?? new Array<number>(c.n).fill(1);
  const surv = { time: c.time, status: c.status };
  return coxObjective(
    surv,
    w,
    c.x,
    c.p,
    beta,
    lambda,
    c.options.alpha ?? 1,
    c.options.standardize !== false,
  );
}

describe("Cox proportional hazards on the model core (glmnet 4.1 fixtures, Breslow ties)", () => {
  for (const c of cases) {
    const m = denseMatrix(c.n, c.p, Float64Array.from(c.x));
    const options = {
      family: "cox" as const,
      status: c.status,
      alpha: c.options.alpha,
      standardize: c.options.standardize,
      weights: c.weights ?? undefined,
    };
    it(`${c.name}: objective never above glmnet's at its λ, every point certified`, (t) => {
      const f = fit(m, c.time, { ...options, lambda: c.lambda });
      assert.deepEqual(f.warnings, []);
      let worst = -Infinity;
      for (let k = 0; k < c.lambda.length; k++) {
        const b = new Float64Array(c.p);
        f.coefficients[k][0].index.forEach((j, q) => (b[j] = f.coefficients[k][0].value[q]));
        const ours = objective(c, b, c.lambda[k]);
        const theirs = objective(c, c.beta[k], c.lambda[k]);
        worst = Math.max(worst, (ours - theirs) / Math.abs(theirs));
        assert.ok(
          Math.abs(f.objective[k] - ours) <= 1e-9 * Math.abs(ours),
          `objective at λ #${k + 1}`,
        );
        assert.equal(f.intercepts[k][0], 0);
        assert.ok(Math.abs(f.devRatio[k] - c.devRatio[k]) <= 1e-6, `deviance ratio at λ #${k + 1}`);
      }
      t.diagnostic(`worst relative excess over glmnet: ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-9, `objective above glmnet's by ${worst}`);
    });
    if (!c.options.lambda)
      it(`${c.name}: glmnet's λ_max and its early end (same number of points)`, () => {
        const f = fit(m, c.time, options);
        assert.ok(Math.abs(f.lambda[0] - c.lambda[0]) <= 1e-12 * c.lambda[0]);
        assert.equal(f.lambda.length, c.lambda.length);
        for (let k = 0; k < f.lambda.length; k++)
          assert.ok(f.kktMax[k] <= 1e-7 * Math.max(f.lambda[k], f.lambda[0] / 100));
      });
  }

  it("every penalty works with the Cox datafit (MCP, SCAD, group), certified", () => {
    const c = cases[0];
    const m = denseMatrix(c.n, c.p, Float64Array.from(c.x));
    for (const extra of [
      { penalty: "mcp" as const },
      { penalty: "scad" as const },
      { penalty: "group" as const, groups: [1, 1, 2, 2, 2, 3, 3] },
    ]) {
      const f = fit(m, c.time, { family: "cox", status: c.status, ...extra });
      assert.deepEqual(f.warnings, [], extra.penalty);
      assert.ok(f.df[f.df.length - 1] > 0, extra.penalty);
      for (let k = 0; k < f.lambda.length; k++)
        assert.ok(f.kktMax[k] <= 1e-7 * Math.max(f.lambda[k], f.lambda[0] / 100), extra.penalty);
    }
  });

  /**
   * Random survival data with many ties, optionally with strata, (start, stop] intervals and
   * Efron's ties, for the datafit checks below.
   */
  const variants = [
    { name: "Breslow" },
    { name: "Efron", ties: "efron" as const },
    { name: "strata", strata: true },
    { name: "start-stop", start: true },
    { name: "Efron, strata, start-stop", ties: "efron" as const, strata: true, start: true },
  ];
  function survivalData(seed: number, n: number, v: (typeof variants)[number]) {
    const rng = new Random(seed);
    const time = Float64Array.from({ length: n }, () => Math.ceil(rng.uniform() * 10) + 1);
    const status = Float64Array.from({ length: n }, () => (rng.uniform() < 0.7 ? 1 : 0));
    const start = v.start
      ? Float64Array.from(time, (t) => Math.floor(rng.uniform() * (t - 0.5)))
      : undefined;
    const strata = v.strata
      ? Array.from({ length: n }, () => (rng.uniform() < 0.4 ? "a" : "b"))
      : undefined;
    const w = Float64Array.from({ length: n }, () => rng.uniform() + 0.5);
    const W = w.reduce((a, b) => a + b, 0);
    const wn = w.map((u) => u / W);
    const eta = Float64Array.from({ length: n }, () => 0.7 * rng.normal());
    return { surv: { time, status, start, strata, ties: v.ties }, wn, eta, rng };
  }

  const unit = (n: number, i: number) => Float64Array.from({ length: n }, (_, j) => +(j === i));

  for (const v of variants)
    it(`the datafit is the partial likelihood, its gradient and exact Hessian too (${v.name})`, () => {
      const n = 60;
      const m = 3;
      const { surv, wn, eta, rng } = survivalData(4, n, v);
      const d = new CoxDatafit(surv, wn, new Float64Array(n));
      const f = d.evaluate(eta);
      const truth = bruteLoss(surv, wn, eta);
      assert.ok(Math.abs(f - truth) <= 1e-13 * Math.abs(truth), `${f} vs ${truth}`);
      const r = Float64Array.from(d.r);
      // The coordinate route's row curvature h is the diagonal of the Hessian in η.
      const h = Float64Array.from({ length: n }, (_, i) => d.curvature(unit(n, i), 0));
      for (let i = 0; i < n; i++) {
        const e = Float64Array.from(eta);
        e[i] += 1e-6;
        const up = d.evaluate(e);
        const ru = d.r[i];
        e[i] -= 2e-6;
        const down = d.evaluate(e);
        const rd = d.r[i];
        assert.ok(Math.abs(-(up - down) / 2e-6 - r[i]) <= 1e-8, `observation ${i}`);
        assert.ok(Math.abs(-(ru - rd) / 2e-6 - h[i]) <= 1e-8, `curvature ${i}`);
      }
      const xs = Float64Array.from({ length: n * m }, () => rng.normal());
      const offs = Int32Array.from({ length: m }, (_, a) => a * n);
      d.evaluate(eta);
      const H = new Float64Array(m * m);
      d.entryHessian(xs, offs, new Int32Array(m), m, H);
      d.setReference();
      const Hb = new Float64Array(m * m);
      d.entryBlock(xs, offs, new Int32Array(m), m, offs, new Int32Array(m), m, Hb);
      // Column b of XᵀHX: −∂(Xᵀr)/∂β_b by central differences along η ± εx_b.
      const grad = (e: Float64Array) => {
        d.evaluate(e);
        return Array.from({ length: m }, (_, a) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += xs[a * n + i] * d.r[i];
          return s;
        });
      };
      // The reference's kept columns (CoxReferenceBlocks): a rectangular block of the newest slot against
      // all, and, after a new reference at another point, the rows there (its second-term rows
      // formed anew) — as the general route computes them at that point.
      const last = Int32Array.of(offs[m - 1]);
      const row = new Float64Array(m);
      d.entryBlock(xs, last, new Int32Array(1), 1, offs, new Int32Array(m), m, row);
      for (let b = 0; b < m; b++)
        assert.ok(Math.abs(row[b] - H[(m - 1) * m + b]) <= 1e-13 * Math.abs(H[(m - 1) * m + b]));
      const eta2 = Float64Array.from(eta, (u, i) => u + 0.3 * xs[i]);
      d.evaluate(eta2);
      const H2 = new Float64Array(m * m);
      d.entryHessian(xs, offs, new Int32Array(m), m, H2);
      d.setReference();
      d.entryBlock(xs, last, new Int32Array(1), 1, offs, new Int32Array(m), m, row);
      for (let b = 0; b < m; b++)
        assert.ok(
          Math.abs(row[b] - H2[(m - 1) * m + b]) <= 1e-13 * Math.abs(H2[(m - 1) * m + b]),
          `reference row ${b}: ${row[b]} vs ${H2[(m - 1) * m + b]}`,
        );
      d.release();
      d.evaluate(eta);
      for (let b = 0; b < m; b++) {
        const gu = grad(Float64Array.from(eta, (u, i) => u + 1e-6 * xs[b * n + i]));
        const gd = grad(Float64Array.from(eta, (u, i) => u - 1e-6 * xs[b * n + i]));
        for (let a = 0; a < m; a++) {
          const fd = -(gu[a] - gd[a]) / 2e-6;
          assert.ok(Math.abs(H[a * m + b] - fd) <= 1e-7, `H[${a}, ${b}] ${H[a * m + b]} vs ${fd}`);
          assert.equal(Hb[a * m + b], H[a * m + b]);
        }
      }
    });

  it("unit weights with tied deaths: the loss summed as logs of products, even at e^−640", () => {
    // Unit weights make every death weight a multiple of one: the log terms are summed as logs
    // of runs of products, guarded against underflow and overflow; the loss is shift-invariant,
    // so the brute force runs on η − max η.
    const n = 80;
    const rng = new Random(11);
    const time = Float64Array.from({ length: n }, () => Math.ceil(rng.uniform() * 12));
    const status = Float64Array.from({ length: n }, () => (rng.uniform() < 0.8 ? 1 : 0));
    const surv = { time, status };
    // Unit weights, and whole-number weights 1 or 2 (the fit hands the datafit ŵ = w/Σw).
    const twos = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 2));
    const total = twos.reduce((a, b) => a + b, 0);
    for (const w of [new Float64Array(n).fill(1 / n), twos.map((u) => u / total)])
      for (const spread of [0.7, 40, 700]) {
        const d = new CoxDatafit(surv, w, new Float64Array(n));
        // Late rows get the smallest η: their risk sums fall to 1e-279 at spread 700.
        const eta = Float64Array.from(time, (t) => -spread * (t / 12) + 0.3 * rng.normal());
        const top = Math.max(...eta);
        const truth = bruteLoss(
          surv,
          w,
          eta.map((u) => u - top),
        );
        const f = d.evaluate(eta);
        assert.ok(
          Math.abs(f - truth) <= 1e-13 * Math.max(1, Math.abs(truth)),
          `w ${w[0]}, spread ${spread}: ${f} vs ${truth}`,
        );
      }
  });

  it("refuses bad survival data before any work, naming the row", () => {
    const c = cases[0];
    const m = denseMatrix(c.n, c.p, Float64Array.from(c.x));
    const status = Array.from(c.status);
    status[4] = 2;
    assert.throws(() => fit(m, c.time, { family: "cox", status }), /status 2 at row 5/);
    const time = Array.from(c.time);
    time[2] = -1;
    assert.throws(() => fit(m, time, { family: "cox", status: c.status }), /row 3/);
    assert.throws(
      () => fit(m, c.time, { family: "cox", status: c.status.map(() => 0) }),
      /no events/,
    );
    assert.throws(() => fit(m, c.time, { family: "cox" }), /status/);
    assert.throws(() => fit(m, c.time, { family: "gaussian", status: c.status }), /status/);
  });
});
