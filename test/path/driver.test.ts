import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix } from "../../src/data/matrix.js";
import {
  earlyEndRule,
  originalScale,
  PathRecord,
  statusOutcome,
  walkPath,
} from "../../src/path/driver.js";
import { elasticNetPath } from "../../src/path/elasticNetPath.js";
import { fit } from "../../src/path/fit.js";
import { glmPath } from "../../src/path/glmPath.js";
import { multinomialPath } from "../../src/path/multinomialPath.js";
import { nonconvexPath } from "../../src/path/nonconvexPath.js";
import { resolveOptions } from "../../src/path/options.js";
import { Random } from "../../src/random.js";

const lambdas = Float64Array.of(8, 4, 2, 1, 0.5, 0.25, 0.125, 0.0625);

describe("the path driver", () => {
  it("warm-starts each point from the previous λ, the first from max(λ_max, λ₀)", () => {
    const seen: [number, number][] = [];
    walkPath(
      lambdas,
      10,
      null,
      (lam, prev) => void seen.push([lam, prev]),
      () => ({ df: 0, devRatio: 0 }),
    );
    assert.deepEqual(seen[0], [8, 10]);
    for (let k = 1; k < lambdas.length; k++)
      assert.deepEqual(seen[k], [lambdas[k], lambdas[k - 1]]);
    const first: number[] = [];
    walkPath(
      lambdas,
      5,
      null,
      (_lam, prev) => void first.push(prev),
      () => ({ df: 0, devRatio: 0 }),
    );
    assert.equal(first[0], 8);
  });

  it("a stop ends the path before its point; a warning keeps it, both named by λ", () => {
    const path = walkPath(
      lambdas,
      8,
      null,
      (_lam, _prev, k) =>
        k === 2 ? { warning: "slow" } : k === 4 ? { stop: "too many features" } : null,
      (k) => ({ df: k, devRatio: k / 10 }),
    );
    assert.equal(path.points.length, 4);
    assert.deepEqual(Array.from(path.lambda()), [8, 4, 2, 1]);
    assert.deepEqual(path.warnings, ["λ #3 (2): slow", "stopped at λ #5 (0.5): too many features"]);
    assert.equal(path.endedEarly, true);
    assert.deepEqual(Array.from(path.df()), [0, 1, 2, 3]);
  });

  it("ends by glmnet's rules only when the options ask for them", () => {
    const o = resolveOptions({}, 10, 3);
    const stall = (k: number) => ({ df: 1, devRatio: k < 5 ? k / 10 : 0.4 + 1e-9 * k });
    const ended = walkPath(lambdas, 8, earlyEndRule("gaussian", o), () => null, stall);
    assert.equal(ended.points.length, 6); // the 6th point rises by less than fdev·dev
    assert.equal(ended.warnings.length, 0);
    const given = resolveOptions({ lambda: Array.from(lambdas) }, 10, 3);
    assert.equal(earlyEndRule("gaussian", given), null);
    const off = resolveOptions({ earlyStop: false }, 10, 3);
    assert.equal(earlyEndRule("gaussian", off), null);
    const whole = walkPath(lambdas, 8, earlyEndRule("gaussian", off), () => null, stall);
    assert.equal(whole.points.length, lambdas.length);
    // dfMax ends it too, and a stall threshold of −∞ turns only the stall rule off.
    const few = resolveOptions({ dfMax: 2 }, 10, 3);
    const noStall = earlyEndRule("gaussian", few, -Infinity);
    const grow = (k: number) => ({ df: k, devRatio: 0.5 });
    assert.equal(walkPath(lambdas, 8, noStall, () => null, grow).points.length, 5);
    const flat = (k: number) => ({ df: 1, devRatio: 0.5 + 1e-12 * k });
    assert.equal(walkPath(lambdas, 8, noStall, () => null, flat).points.length, lambdas.length);
  });

  it("a record driven by hand (an asynchronous solver) behaves as walkPath", () => {
    const rec = new PathRecord<{ df: number; devRatio: number; x: number }>(lambdas, 8, null);
    for (let k = 0; k < lambdas.length; k++) {
      if (!rec.outcome(k, k === 1 ? { warning: "w" } : null)) break;
      if (!rec.record(k, { df: 0, devRatio: 0, x: 2 * k })) break;
    }
    assert.deepEqual(Array.from(rec.column("x")), [0, 2, 4, 6, 8, 10, 12, 14]);
    assert.deepEqual(rec.warnings, ["λ #2 (4): w"]);
    assert.equal(rec.endedEarly, false);
  });

  it("statuses: pMax stops, maxPasses warns, others pass", () => {
    assert.deepEqual(statusOutcome("pMax", 100, 7), {
      stop: "more than pMax = 7 features became non-zero",
    });
    assert.deepEqual(statusOutcome("maxPasses", 100, 7), {
      warning: "did not converge in 100 passes",
    });
    assert.equal(statusOutcome("ok", 100, 7), null);
  });

  it("original scale: β = b/s at the non-zeros, intercept a0 − Σ βc", () => {
    const b = Float64Array.of(2, 0, -3);
    const r = originalScale(Int32Array.of(0, 2), b, 1, [1, 5, 2], [2, 1, 3], true);
    assert.deepEqual(Array.from(r.beta.value), [1, -1]);
    assert.equal(r.intercept, 1 - 1 * 1 - -1 * 2);
    assert.equal(originalScale(Int32Array.of(0), b, 1, [1, 5, 2], [2, 1, 3], false).intercept, 0);
  });

  it("every path ends at pMax with the same warning, before the point that passes it", () => {
    const rng = new Random(3);
    const n = 60;
    const p = 12;
    const data = new Float64Array(n * p);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const x = denseMatrix(n, p, data);
    const eta = Float64Array.from({ length: n }, (_, i) => data[i] - data[n + i] + data[2 * n + i]);
    const yg = Float64Array.from(eta, (e) => e + rng.normal());
    const yb = Float64Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
    const ym = Float64Array.from(eta, (e) => (e > 0.7 ? 2 : e > -0.7 ? 1 : 0));
    const fits = [
      elasticNetPath(x, yg, { pMax: 3 }),
      glmPath("binomial", x, yb, { pMax: 3 }),
      fit(x, yg, { solver: "core", pMax: 3 }),
      multinomialPath(x, ym, { pMax: 3 }),
    ];
    for (const f of fits) {
      const stops = f.warnings.filter((w) => w.startsWith("stopped at λ #"));
      assert.equal(stops.length, 1, f.warnings.join("\n"));
      assert.match(stops[0], /more than pMax = 3 features became non-zero/);
      const k = Number(/#(\d+)/.exec(stops[0])?.[1]);
      assert.equal(f.lambda.length, k - 1);
    }
    // The non-convex path runs the whole grid (as ncvreg), its warnings named by λ too.
    const nc = nonconvexPath(x, yg, { penalty: "mcp", maxPasses: 1 });
    assert.equal(nc.lambda.length, 100);
    assert.ok(nc.warnings.length > 0 && nc.warnings.every((w) => /^λ #\d+ \(/.test(w)));
  });
});
