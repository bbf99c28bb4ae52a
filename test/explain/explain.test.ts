import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { denseMatrix, explainSparsity } from "../../src/index.js";
import { dataset, ROOT } from "../helpers/fixtures.js";

/** glmnet's Gaussian objective at original-scale coefficients, computed plainly. */
function gaussianObjective(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  a0: number,
  b: Float64Array,
  lam: number,
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
    let e = a0;
    for (let j = 0; j < p; j++) e += b[j] * x[j * n + i];
    f += (y[i] - e) ** 2 / (2 * n);
  }
  return f + lam * b.reduce((s, v, j) => s + sd[j] * Math.abs(v), 0);
}

describe("explainSparsity: why each weight is zero or not", () => {
  const { x, y, n, p } = dataset("diabetes");
  const lam = 2;
  const e = explainSparsity("gaussian", denseMatrix(n, p, x), y, lam);

  it("zeros sit inside the dead zone, non-zeros balance the penalty (KKT to rounding)", () => {
    assert.equal(e.features.length, p);
    const zeros = e.features.filter((f) => f.coefficient === 0);
    assert.ok(zeros.length >= 2 && zeros.length < p);
    for (const f of zeros) {
      assert.ok(f.margin! >= -1e-9 * lam, `feature ${f.index}: margin ${f.margin}`);
      assert.equal(f.balance, null);
      assert.ok(Math.abs(f.threshold - lam) < 1e-12);
    }
    for (const f of e.features.filter((g) => g.coefficient !== 0)) {
      assert.ok(Math.abs(f.balance!) < 1e-9 * lam, `feature ${f.index}: balance ${f.balance}`);
      assert.equal(f.status, "active");
      assert.ok(f.enterLambda! >= lam);
    }
    assert.ok(e.kktMax < 1e-9 * lam);
  });

  it("a zero with a positive margin is a strict minimum: moving it either way raises the objective", () => {
    const b = new Float64Array(p);
    e.features.forEach((f) => (b[f.index] = f.coefficient));
    const f0 = gaussianObjective(x, y, n, p, e.intercept, b, lam);
    for (const f of e.features.filter((g) => g.status === "zero")) {
      for (const step of [1e-3, -1e-3]) {
        const moved = Float64Array.from(b);
        moved[f.index] += step;
        assert.ok(
          gaussianObjective(x, y, n, p, e.intercept, moved, lam) > f0,
          `feature ${f.index}`,
        );
      }
    }
  });

  it("features enter the path in the order of their entry λ, all at or above λ", () => {
    for (const f of e.features) if (f.enterLambda !== null) assert.ok(f.enterLambda >= lam);
    const firstIn = e.features.filter(
      (f) => f.enterLambda === e.path.lambda[1] || f.enterLambda === e.path.lambda[0],
    );
    assert.ok(firstIn.length >= 1);
  });

  it("with a lower limit of 0: the limit holds the zeros it blocks, and the certificate is the fit's", () => {
    // (The margin was two-sided before: a zero the limit held counted as a KKT violation of 6.35.)
    const el = explainSparsity("gaussian", denseMatrix(n, p, x), y, 1, { lowerLimits: 0 });
    assert.ok(el.kktMax < 1e-9, `KKT ${el.kktMax}`);
    const held = el.features.filter((f) => f.limit === "lower");
    assert.ok(held.length >= 2, "some zeros are held by the limit");
    const b = new Float64Array(p);
    el.features.forEach((f) => (b[f.index] = f.coefficient));
    const f0 = gaussianObjective(x, y, n, p, el.intercept, b, 1);
    for (const f of el.features) {
      assert.ok(f.coefficient >= 0);
      if (f.coefficient !== 0) continue;
      // Held by the limit: the gradient pulls below 0 by more than the dead zone; only the
      // feasible side is a direction, and moving there raises the objective.
      if (f.limit === "lower") assert.ok(f.gradient > f.threshold, `feature ${f.index}`);
      else assert.ok(Math.abs(f.gradient) <= f.threshold + 1e-9);
      assert.ok(f.margin! > 0, `feature ${f.index}: margin ${f.margin}`);
      const moved = Float64Array.from(b);
      moved[f.index] += 1e-3;
      assert.ok(gaussianObjective(x, y, n, p, el.intercept, moved, 1) > f0, `feature ${f.index}`);
    }
  });

  it("logistic: the same certificate on breast cancer", () => {
    const b = dataset("breast_cancer");
    const eb = explainSparsity("binomial", denseMatrix(b.n, b.p, b.x), b.y, 0.02);
    assert.ok(eb.kktMax < 1e-5 * 0.02, `KKT ${eb.kktMax}`);
    assert.ok(
      eb.features.some((f) => f.status === "zero") &&
        eb.features.some((f) => f.status === "active"),
    );
  });

  it("regularize explain --json writes the documented document; a missing --lambda is exit 2", () => {
    const tmp = mkdtempSync(join(tmpdir(), "regularize-explain-"));
    const bin = join(ROOT, "dist", "cli", "main.js");
    const out = join(tmp, "why.json");
    const r = spawnSync(
      process.execPath,
      [bin, "explain", join(ROOT, "data", "diabetes.csv"), "--lambda", "2", "--json", out],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(doc.lambda, 2);
    assert.deepEqual(Object.keys(doc.features[0]).slice(0, 6), [
      "name",
      "coefficient",
      "gradient",
      "threshold",
      "margin",
      "balance",
    ]);
    assert.ok("enterLambda" in doc.features[0]);
    assert.equal(doc.features[2].name, "bmi");
    e.features.forEach((f, j) => assert.equal(doc.features[j].coefficient, f.coefficient));
    const bad = spawnSync(process.execPath, [bin, "explain", join(ROOT, "data", "diabetes.csv")], {
      encoding: "utf8",
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--lambda/);
  });
});
