import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cvPath,
  denseMatrix,
  randomFolds,
  Random,
  type Family,
  type Measure,
} from "../../src/index.js";
import { dataset, readFixture } from "../helpers/fixtures.js";

interface CvCase {
  name: string;
  family: Family;
  data: string;
  measure: Measure;
  foldid: number[];
  options: { "type.multinomial"?: "grouped"; lambda?: number[] };
  lambda: number[];
  cvm: number[];
  cvsd: number[];
  nzero: number[];
  lambdaMin: number;
  lambda1se: number;
}

const { meta, cv } = readFixture<{ meta: { glmnet: string }; cv: CvCase[] }>("glmnet-glm.json");
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe(`cvPath agrees with cv.glmnet ${meta.glmnet} given the same fold ids`, () => {
  for (const c of cv) {
    it(`${c.name}: the same curve, λ_min and λ_1se`, async (t) => {
      const { x, y, n, p } = dataset(c.data);
      const r = await cvPath(denseMatrix(n, p, x), y, {
        family: c.family,
        measure: c.measure,
        foldId: c.foldid,
        workers: 0,
        ...(c.options["type.multinomial"]
          ? { typeMultinomial: c.options["type.multinomial"] }
          : {}),
        ...(c.options.lambda ? { lambda: c.options.lambda } : {}),
      });
      assert.equal(r.lambda.length, c.lambda.length);
      // Breast cancer (and wine) is nearly separable: at small λ the objective is so flat that
      // glmnet's fold fits (even at thresh 1e-14) stop ~4e-11 (relative) above ours, and the
      // held-out deviance of the two moves by up to ~1e-5. There the curve is compared to 1e-6
      // over the first 60% of the path and to 1e-4 beyond.
      const tail =
        (c.family === "binomial" || c.family === "multinomial") && c.measure === "deviance"
          ? Math.floor(0.6 * c.lambda.length)
          : c.lambda.length;
      let worstM = 0;
      let worstS = 0;
      let worstTail = 0;
      for (let k = 0; k < c.lambda.length; k++) {
        assert.ok(rel(r.lambda[k], c.lambda[k]) < 1e-9, `λ #${k + 1}`);
        // cv.glmnet's nzero for a multinomial fit counts the first class only; ours counts the
        // features non-zero in any class.
        if (c.family !== "multinomial")
          assert.equal(r.nzero[k], c.nzero[k], `non-zeros at λ #${k + 1}`);
        const dm = rel(r.cvm[k], c.cvm[k]);
        const ds = rel(r.cvsd[k], c.cvsd[k]);
        if (k < tail) {
          worstM = Math.max(worstM, dm);
          worstS = Math.max(worstS, ds);
        } else worstTail = Math.max(worstTail, dm, ds);
      }
      t.diagnostic(
        `cvm within ${worstM.toExponential(1)}, cvsd within ${worstS.toExponential(1)}` +
          (tail < c.lambda.length ? `; last 40% within ${worstTail.toExponential(1)}` : ""),
      );
      assert.ok(worstM < 1e-6, `cvm differs by ${worstM}`);
      assert.ok(worstS < 1e-5, `cvsd differs by ${worstS}`);
      assert.ok(worstTail < 1e-4, `tail differs by ${worstTail}`);
      assert.ok(rel(r.lambdaMin, c.lambdaMin) < 1e-12, "λ_min");
      assert.ok(rel(r.lambda1se, c.lambda1se) < 1e-12, "λ_1se");
      assert.ok(r.cvup.every((v, k) => v === r.cvm[k] + r.cvsd[k]));
    });
  }
});

describe("cvPath", () => {
  const { x, y, n, p } = dataset("breast_cancer");
  const m = denseMatrix(n, p, x);

  it("gives the same result on worker threads as in one thread, and reports progress", async () => {
    const seen: number[] = [];
    const one = await cvPath(m, y, { family: "binomial", nFolds: 5, seed: 3, workers: 0 });
    const two = await cvPath(m, y, {
      family: "binomial",
      nFolds: 5,
      seed: 3,
      workers: 2,
      onProgress: (done, total) => seen.push(done / total),
    });
    assert.deepEqual(Array.from(two.cvm), Array.from(one.cvm));
    assert.deepEqual(Array.from(two.cvsd), Array.from(one.cvsd));
    assert.deepEqual(seen, [0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("seeded folds are reproducible, balanced, and stratified folds keep the class balance", () => {
    const a = randomFolds(n, 10, new Random(7));
    const b = randomFolds(n, 10, new Random(7));
    assert.deepEqual(Array.from(a), Array.from(b));
    const sizes = new Array(11).fill(0);
    a.forEach((f) => sizes[f]++);
    assert.ok(Math.max(...sizes.slice(1)) - Math.min(...sizes.slice(1)) <= 1);
    const s = randomFolds(n, 10, new Random(7), y);
    const pos = y.reduce((u, v) => u + v, 0) / n;
    for (let f = 1; f <= 10; f++) {
      const rows = [...s.keys()].filter((i) => s[i] === f);
      const share = rows.reduce((u, i) => u + y[i], 0) / rows.length;
      assert.ok(Math.abs(share - pos) < 0.03, `fold ${f}: ${share} vs ${pos}`);
    }
  });

  it("refuses bad folds and measures before any work", async () => {
    await assert.rejects(
      cvPath(m, y, { family: "binomial", measure: "auc", foldId: [1, 2] }),
      /foldId.*569/,
    );
    await assert.rejects(cvPath(m, y, { family: "poisson", measure: "class" }), /measure.*poisson/);
    const ids = Array.from({ length: n }, (_, i) => (i % 3) + 1);
    ids[5] = 0;
    await assert.rejects(cvPath(m, y, { family: "binomial", foldId: ids }), /row 6/);
    await assert.rejects(cvPath(m, y, { family: "gaussian", stratified: true }), /stratified/);
  });
});
