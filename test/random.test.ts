import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../src/index.js";

describe("Random", () => {
  it("the same seed gives the same sequence; another seed another", () => {
    const a = new Random(1);
    const b = new Random(1);
    const c = new Random(2);
    const sa = Array.from({ length: 20 }, () => a.uniform());
    assert.deepEqual(
      sa,
      Array.from({ length: 20 }, () => b.uniform()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 20 }, () => c.uniform()),
    );
  });

  it("uniform() lies in [0, 1) with mean 1/2 and variance 1/12", () => {
    const r = new Random(3);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      assert.ok(u >= 0 && u < 1);
      s += u;
      s2 += u * u;
    }
    const m = s / n;
    assert.ok(Math.abs(m - 0.5) < 4 * Math.sqrt(1 / 12 / n));
    assert.ok(Math.abs(s2 / n - m * m - 1 / 12) < 2e-3);
  });

  it("normal() has mean 0, variance 1 and kurtosis 3", () => {
    const r = new Random(4);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      s4 += z ** 4;
    }
    assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
    assert.ok(Math.abs(s2 / n - 1) < 0.02);
    assert.ok(Math.abs(s4 / n - 3) < 0.1);
  });
});
