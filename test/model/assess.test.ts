import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assess } from "../../src/index.js";
import { dataset, readFixture } from "../helpers/fixtures.js";

interface Case {
  name: string;
  family: "gaussian" | "binomial" | "poisson" | "multinomial" | "cox";
  test: number[];
  measures: Record<string, number>;
  intercept: number | number[];
  beta: number[] | number[][];
  classes?: string[];
  roc?: { fpr: number[]; tpr: number[] };
  confusion?: { predicted: string[]; true: string[]; counts: number[][] };
}
const fx = readFixture<{
  cases: Case[];
  sims: {
    poisson: { x: number[]; y: number[]; n: number; p: number };
    cox: { x: number[]; time: number[]; status: number[]; n: number; p: number };
  };
}>("glmnet-assess.json");

/** The held-out rows' design and responses, read independently of the library. */
function data(c: Case) {
  const d =
    c.family === "poisson"
      ? fx.sims.poisson
      : c.family === "cox"
        ? { ...fx.sims.cox, y: fx.sims.cox.time }
        : dataset(
            c.family === "gaussian"
              ? "diabetes"
              : c.family === "binomial"
                ? "breast_cancer"
                : "wine",
          );
  const { n, p } = d;
  const x = (i: number, j: number) => d.x[j * n + i];
  return { n, p, x, y: (i: number) => d.y[i] };
}

describe("assess, ROC and confusion against glmnet's assess.glmnet / roc.glmnet / confusion.glmnet", () => {
  for (const c of fx.cases)
    it(`${c.name}: every measure to 1e-12`, () => {
      const d = data(c);
      const m = c.test.length;
      // (R writes the multinomial's per-class list as an object keyed by class.)
      const sets =
        c.family === "multinomial" ? (Object.values(c.beta) as number[][]) : [c.beta as number[]];
      const a0 = c.family === "multinomial" ? (c.intercept as number[]) : [c.intercept as number];
      const eta = sets.map((b, k) =>
        Float64Array.from(c.test, (i) => {
          let e = a0[k];
          for (let j = 0; j < d.p; j++) e += b[j] * d.x(i, j);
          return e;
        }),
      );
      const y = Float64Array.from(c.test, (i) => d.y(i));
      const surv =
        c.family === "cox"
          ? {
              time: c.test.map((i) => fx.sims.cox.time[i]),
              status: c.test.map((i) => fx.sims.cox.status[i]),
            }
          : undefined;
      const r = assess(c.family, eta, y, { survival: surv, classes: c.classes });
      assert.equal(r.n, m);
      assert.deepEqual(Object.keys(r.measures).sort(), Object.keys(c.measures).sort());
      for (const [k, v] of Object.entries(c.measures))
        assert.ok(
          Math.abs((r.measures as Record<string, number>)[k] - v) <= 1e-12 * Math.abs(v),
          `${k}: ${(r.measures as Record<string, number>)[k]} vs glmnet ${v}`,
        );
      if (c.roc) {
        assert.equal(r.roc!.fpr.length, c.roc.fpr.length);
        r.roc!.fpr.forEach((v, k) => assert.ok(Math.abs(v - c.roc!.fpr[k]) <= 1e-15));
        r.roc!.tpr.forEach((v, k) => assert.ok(Math.abs(v - c.roc!.tpr[k]) <= 1e-15));
      }
      if (c.confusion) {
        // glmnet's table lists the predicted classes that occur; ours every class.
        c.confusion.predicted.forEach((label, row) =>
          c.confusion!.true.forEach((t, col) =>
            assert.equal(
              r.confusion!.counts[Number(label)][Number(t)],
              c.confusion!.counts[row][col],
              `predicted ${label}, true ${t}`,
            ),
          ),
        );
      }
    });
});
