import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coefficientPathChart, MAX_PATH_LINES } from "../../src/report/charts.js";

/** The points of a path chart's line layer (one per λ and drawn feature). */
function lines(chart: ReturnType<typeof coefficientPathChart>) {
  const spec = chart.spec as { layer: { data?: { values: { f: string }[] } }[] };
  return spec.layer[0].data!.values;
}

describe("coefficient path chart", () => {
  const lambda = Float64Array.of(1, 0.5, 0.25, 0.125);
  it("a wide design draws only the features that are ever non-zero", () => {
    const p = 5000;
    const features = Array.from({ length: p }, (_, j) => `t${j}`);
    const coef = (k: number) => {
      const b = new Float64Array(p);
      if (k >= 1) b[17] = 0.5 * k;
      if (k >= 2) b[4000] = -k;
      if (k >= 3) b[2] = 0.1;
      return b;
    };
    const values = lines(coefficientPathChart(lambda, features, coef, []));
    assert.deepEqual([...new Set(values.map((v) => v.f))].sort(), ["t17", "t2", "t4000"]);
    assert.equal(values.length, 3 * lambda.length);
  });

  it("a wide design with more entering features than lines draws those entering first", () => {
    const p = 500;
    const features = Array.from({ length: p }, (_, j) => `t${j}`);
    // Feature j enters at point j mod 4 (the first 125 + … at the first λ with a non-zero).
    const coef = (k: number) =>
      Float64Array.from({ length: p }, (_, j) => (k >= (j % 4) + 1 ? 1 : 0));
    const chart = coefficientPathChart(Float64Array.of(1, 0.8, 0.6, 0.4, 0.2), features, coef, []);
    const drawn = new Set(lines(chart).map((v) => v.f));
    assert.equal(drawn.size, MAX_PATH_LINES);
    for (const f of drawn) assert.equal(Number(f.slice(1)) % 4, 0, `${f} entered first`);
    assert.match(
      chart.caption,
      /500 of the 500 features are non-zero somewhere on the path; the 60 that/,
    );
  });

  it("a narrow design draws every feature, zero or not", () => {
    const features = ["a", "b", "c"];
    const coef = (k: number) => Float64Array.of(k, 0, 0);
    const values = lines(coefficientPathChart(lambda, features, coef, []));
    assert.equal(values.length, 3 * lambda.length);
  });
});
