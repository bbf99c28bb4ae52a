import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { distribution, LinkDatafit, type LinkFamilyName } from "../../src/datafit/linkFamily.js";
import { normalCdf, type LinkName } from "../../src/datafit/links.js";
import { poisson } from "../../src/datafit/poisson.js";
import { SingleDatafit } from "../../src/datafit/single.js";
import { cvPath } from "../../src/cv/cvPath.js";
import { denseMatrix, fit } from "../../src/index.js";
import { Random } from "../../src/random.js";
import { readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  family: LinkFamilyName;
  link: LinkName;
  theta: number | null;
  options: { alpha?: number };
  weighted: boolean;
  y: number[];
  lambda: number[];
  a0: number[];
  beta: number[][];
  devRatio: number[];
}
const fx = readFixture<{ n: number; p: number; x: number[]; weights: number[]; cases: Case[] }>(
  "glmnet-links.json",
);
const { n, p } = fx;

/** The normal CDF by the erfc series of the test (Abramowitz–Stegun 7.1.26 is too coarse). */
const Phi = (z: number) => {
  // Φ(z) by Simpson's rule on the density from −40 (1e-15 accurate at 20000 panels).
  const a = -40;
  const m = 20000;
  const h = (z - a) / m;
  let s = 0;
  for (let k = 0; k <= m; k++) {
    const t = a + k * h;
    const f = Math.exp(-0.5 * t * t);
    s += (k === 0 || k === m ? 1 : k % 2 ? 4 : 2) * f;
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
};

/** Unit deviances and inverse links written out again, independently of the library. */
function unitDeviance(c: Case, y: number, mu: number): number {
  const xl = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(b));
  switch (c.family) {
    case "gaussian":
      return (y - mu) ** 2;
    case "binomial":
      return 2 * (xl(y, y / mu) + xl(1 - y, (1 - y) / (1 - mu)));
    case "poisson":
      return 2 * (xl(y, y / mu) - (y - mu));
    case "gamma":
      return -2 * (Math.log(y / mu) - (y - mu) / mu);
    case "inverse-gaussian":
      return (y - mu) ** 2 / (y * mu * mu);
    case "negative-binomial": {
      const th = c.theta as number;
      return 2 * (xl(y, y / mu) - (y + th) * Math.log((y + th) / (mu + th)));
    }
  }
}
function mean(link: LinkName, eta: number): number {
  switch (link) {
    case "log":
      return Math.exp(eta);
    case "inverse":
      return 1 / eta;
    case "probit":
      return Phi(eta);
    case "cloglog":
      return 1 - Math.exp(-Math.exp(eta));
    case "sqrt":
      return eta * eta;
    default:
      throw new Error(link);
  }
}

/** glmnet's objective for a family object: ½Σŵd(y, μ) + λΣ sⱼ-scaled elastic net. */
function objective(c: Case, a0: number, beta: ArrayLike<number>, lambda: number): number {
  const w = c.weighted ? fx.weights : new Array<number>(n).fill(1);
  const W = w.reduce((a, b) => a + b, 0);
  let f = 0;
  for (let i = 0; i < n; i++) {
    let eta = a0;
    for (let j = 0; j < p; j++) eta += fx.x[j * n + i] * beta[j];
    f += (w[i] / W) * unitDeviance(c, c.y[i], mean(c.link, eta));
  }
  f /= 2;
  const alpha = c.options.alpha ?? 1;
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += (w[i] / W) * fx.x[j * n + i];
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i] / W) * (fx.x[j * n + i] - m) ** 2;
    const b = Math.sqrt(v) * beta[j];
    f += lambda * (alpha * Math.abs(b) + ((1 - alpha) / 2) * b * b);
  }
  return f;
}

const X = denseMatrix(n, p, Float64Array.from(fx.x));

describe("GLM families by link against glmnet 4.1's family objects", () => {
  for (const c of fx.cases) {
    const options = {
      family: c.family,
      link: c.link,
      theta: c.theta ?? undefined,
      alpha: c.options.alpha,
      weights: c.weighted ? fx.weights : undefined,
    };
    it(`${c.name}: glmnet's λ grid and points; objective never above its; certified`, (t) => {
      const auto = fit(X, c.y, options);
      assert.equal(auto.lambda.length, c.lambda.length);
      assert.ok(Math.abs(auto.lambda[0] / c.lambda[0] - 1) <= 1e-12);
      const f = fit(X, c.y, { ...options, lambda: c.lambda });
      assert.deepEqual(f.warnings, []);
      let worst = -Infinity;
      let same = 0;
      for (let k = 0; k < c.lambda.length; k++) {
        const b = new Float64Array(p);
        const s = f.coefficients[k][0];
        s.index.forEach((j, q) => (b[j] = s.value[q]));
        const ours = objective(c, f.intercepts[k][0], b, c.lambda[k]);
        const theirs = objective(c, c.a0[k], c.beta[k], c.lambda[k]);
        worst = Math.max(worst, (ours - theirs) / Math.abs(theirs));
        // glmnet's IRLS for family objects stops on a relative change of the deviance, and
        // leaves some points short: its deviance ratio where it reached our objective (to 1e-10,
        // which leaves the deviance free to 1e-5 along the flat directions of the objective).
        if (Math.abs(ours - theirs) <= 1e-10 * Math.abs(theirs)) {
          same++;
          assert.ok(Math.abs(f.devRatio[k] - c.devRatio[k]) <= 1e-5, `deviance ratio #${k + 1}`);
        }
        assert.ok(f.kktMax[k] <= 1e-7 * Math.max(c.lambda[k], c.lambda[0] / 100), `KKT #${k + 1}`);
      }
      t.diagnostic(
        `worst relative objective excess over glmnet: ${worst.toExponential(2)}; glmnet converged (to 1e-10) at ${same} of ${c.lambda.length} points`,
      );
      assert.ok(worst <= 1e-9, `${worst}`);
      assert.ok(same >= c.lambda.length / 2, `${same} points`);
    });
  }

  it("Φ to 1e-14 relative, tails included (R's pnorm)", () => {
    const table = [
      [-30, 4.9067139271481872e-198],
      [-12, 1.776482112077679e-33],
      [-8, 6.2209605742717849e-16],
      [-5, 2.8665157187919391e-7],
      [-2.6, 0.0046611880237187476],
      [-2.4, 0.0081975359245961346],
      [-1, 0.15865525393145705],
      [0, 0.5],
      [0.3, 0.61791142218895267],
      [1, 0.84134474606854293],
      [2.4, 0.99180246407540384],
      [2.6, 0.99533881197628127],
      [6, 0.9999999990134123],
    ];
    for (const [z, want] of table)
      assert.ok(Math.abs(normalCdf(z) - want) <= 1e-14 * want, `Φ(${z}) ${normalCdf(z)}`);
    // and the Simpson integral of the density where it is accurate
    for (const z of [-3, -0.5, 1.7]) assert.ok(Math.abs(normalCdf(z) - Phi(z)) <= 1e-13);
  });

  it("the datafit's gradient and exact curvature by differences; the log-link Poisson is poisson's", () => {
    const rng = new Random(9);
    const m = 30;
    const w = new Float64Array(m).fill(1 / m);
    const pairs: [LinkFamilyName, LinkName, (u: number) => number][] = [
      ["gamma", "log", () => 0.2 + 3 * rng.uniform()],
      ["inverse-gaussian", "inverse-squared", () => 0.5 + rng.uniform()],
      ["binomial", "probit", () => +(rng.uniform() < 0.5)],
      ["binomial", "cloglog", () => +(rng.uniform() < 0.5)],
      ["negative-binomial", "sqrt", () => Math.floor(5 * rng.uniform())],
      ["gaussian", "inverse", () => 1 + rng.uniform()],
    ];
    for (const [family, link, draw] of pairs) {
      const y = Float64Array.from({ length: m }, draw);
      const d = new LinkDatafit(distribution(family, 2), link, y, w, new Float64Array(m), true);
      const eta = Float64Array.from({ length: m }, () =>
        link === "inverse-squared" || link === "sqrt" || link === "inverse"
          ? 0.8 + 0.4 * rng.uniform()
          : 0.3 * rng.normal(),
      );
      d.evaluate(eta);
      const r = Float64Array.from(d.r);
      for (let i = 0; i < m; i++) {
        const e = Float64Array.from(eta);
        e[i] += 1e-6;
        const up = d.evaluate(e);
        e[i] -= 2e-6;
        const down = d.evaluate(e);
        assert.ok(Math.abs(-(up - down) / 2e-6 - r[i]) <= 1e-8, `${family} ${link} gradient ${i}`);
      }
    }
    // Poisson with the log link through the family interface: poisson's loss (up to the
    // saturated constant), gradient and curvature.
    const y = Float64Array.from({ length: m }, () => Math.floor(4 * rng.uniform()));
    const a = new LinkDatafit(distribution("poisson"), "log", y, w, new Float64Array(m), true);
    const b = new SingleDatafit(poisson, y, w, new Float64Array(m), true);
    const eta = Float64Array.from({ length: m }, () => 0.5 * rng.normal());
    const fa = a.deviance(a.evaluate(eta));
    const fb = b.deviance(b.evaluate(eta));
    assert.ok(Math.abs(fa - fb) <= 1e-13 * fb);
    assert.ok(Math.abs(a.nullDeviance - b.nullDeviance) <= 1e-13 * b.nullDeviance);
    for (let i = 0; i < m; i++) assert.ok(Math.abs(a.r[i] - b.r[i]) <= 1e-15);
  });

  it("refuses a link the family lacks, θ where it does not apply, responses outside the support", () => {
    const c = fx.cases[0];
    assert.throws(
      () => fit(X, c.y, { family: "gamma", link: "logit" }),
      /gamma takes inverse, identity, log/,
    );
    assert.throws(() => fit(X, c.y, { family: "negative-binomial" }), /needs θ > 0/);
    assert.throws(
      () => fit(X, c.y, { family: "gamma", theta: 2 }),
      /negative-binomial family only/,
    );
    const neg = c.y.map((v, i) => (i === 4 ? -1 : v));
    assert.throws(
      () => fit(X, neg, { family: "gamma" }),
      /gamma response must be > 0, got -1 at row 5/,
    );
    assert.throws(() => fit(X, c.y, { family: "multinomial", link: "log" }), /no choice of link/);
  });
});

describe("cross-validation of a family by link against cv.glmnet (fixed folds)", () => {
  const all = readFixture<{
    cv: {
      name: string;
      family: LinkFamilyName;
      link: LinkName;
      measure: "deviance" | "mse";
      y: number[];
      lambda: number[];
      cvm: number[];
      cvsd: number[];
      lambdaMin: number;
      lambda1se: number;
    }[];
    foldid: number[];
  }>("glmnet-links.json");
  for (const c of all.cv)
    it(`${c.name}: cv.glmnet's curve and λ_min`, async (t) => {
      const cv = await cvPath(X, c.y, {
        family: c.family,
        link: c.link,
        foldId: all.foldid,
        measure: c.measure,
      });
      assert.equal(cv.lambda.length, c.lambda.length);
      let worst = 0;
      for (let k = 0; k < c.lambda.length; k++)
        worst = Math.max(worst, Math.abs(cv.cvm[k] / c.cvm[k] - 1));
      t.diagnostic(`largest relative difference in cvm: ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-5, `${worst}`);
      assert.ok(Math.abs(cv.lambdaMin / c.lambdaMin - 1) <= 1e-12);
      assert.ok(Math.abs(cv.lambda1se / c.lambda1se - 1) <= 1e-12);
    });
});
