import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DenseDesign, SparseDesign } from "../../src/data/design.js";
import { denseMatrix, denseToCsc } from "../../src/data/matrix.js";
import { NonconvexCd } from "../../src/solver/nonconvexCd.js";
import {
  nonconvexDerivative,
  nonconvexLevel,
  nonconvexRegion,
  nonconvexSlope,
} from "../../src/penalty/nonconvex.js";
import {
  denseMatrix as publicDense,
  denseToCsc as publicCsc,
  nonconvexPath,
} from "../../src/index.js";
import { Random } from "../../src/random.js";

/** Equicorrelated Gaussian features (pairwise ρ) and a sparse linear response. */
function correlated(n: number, p: number, rho: number, seed: number) {
  const rng = new Random(seed);
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++)
      x[j * n + i] = Math.sqrt(rho) * z[i] + Math.sqrt(1 - rho) * rng.normal();
  const y = Float64Array.from(
    { length: n },
    (_, i) => 3 * x[i] - 2 * x[n + i] + 1.5 * x[4 * n + i] + x[9 * n + i] + 2 * rng.normal(),
  );
  return { x, y };
}

/**
 * The first-order conditions of a coordinate-wise minimum, recomputed here from the returned
 * original-scale coefficients and intercept (not from the solver's gradients): the largest
 * |x̃_jᵀr| − λ at zero, |x̃_jᵀr − p'(|b_j|)·sign b_j| elsewhere, with unit weights, centered and
 * standardized columns (population sd), b_j = sd_j·β_j.
 */
function firstOrder(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  kind: "mcp" | "scad",
  gamma: number,
  lambda: number,
  a0: number,
  beta: { index: Int32Array; value: Float64Array },
): number {
  const r = Float64Array.from(y, (v) => v - a0);
  beta.index.forEach((j, t) => {
    for (let i = 0; i < n; i++) r[i] -= beta.value[t] * x[j * n + i];
  });
  const coef = new Float64Array(p);
  beta.index.forEach((j, t) => (coef[j] = beta.value[t]));
  let worst = 0;
  for (let j = 0; j < p; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[j * n + i] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2 / n;
    const sd = Math.sqrt(v);
    let g = 0;
    for (let i = 0; i < n; i++) g += ((x[j * n + i] - mu) / sd) * r[i];
    g /= n;
    const b = coef[j] * sd;
    if (b === 0) {
      worst = Math.max(worst, Math.abs(g) - lambda);
      continue;
    }
    const t = Math.abs(b);
    let d = 0;
    if (kind === "mcp") d = t <= gamma * lambda ? lambda - t / gamma : 0;
    else d = t <= lambda ? lambda : t <= gamma * lambda ? (gamma * lambda - t) / (gamma - 1) : 0;
    worst = Math.max(worst, Math.abs(g - Math.sign(b) * d));
  }
  return worst;
}

describe("NonconvexCd (MCP / SCAD working sets)", () => {
  it("each piece's line (level − slope·t, what the exact solves use) is the penalty's derivative there", () => {
    const lambda = 0.5;
    for (const [kind, gamma] of [
      ["mcp", 3],
      ["scad", 3.7],
    ] as const)
      for (let t = 0.01; t < 3; t += 0.013) {
        const r = nonconvexRegion(kind, t, lambda, gamma);
        const line = nonconvexLevel(kind, r, lambda, gamma) - nonconvexSlope(kind, r, gamma) * t;
        assert.ok(
          Math.abs(line - nonconvexDerivative(kind, t, lambda, gamma)) < 1e-15,
          `${kind} ${t}`,
        );
      }
  });

  for (const kind of ["mcp", "scad"] as const)
    it(`${kind} on correlated features (ρ = 0.8): every point a coordinate-wise minimum to 1e-7·λ, checked from the coefficients`, () => {
      // Where the pass rule alone stopped SCAD at 2e-2·λ (the loop before this solver, 1000×100).
      const n = 1000;
      const p = 100;
      const { x, y } = correlated(n, p, 0.8, 3);
      const f = nonconvexPath(publicDense(n, p, x), y, { penalty: kind });
      assert.deepEqual(f.warnings, []);
      for (let k = 1; k < f.lambda.length; k += 3) {
        const foc = firstOrder(x, y, n, p, kind, f.gamma, f.lambda[k], f.intercept[k], f.beta[k]);
        assert.ok(foc <= 1e-7 * f.lambda[k] + 1e-12, `λ #${k + 1}: ${foc / f.lambda[k]}·λ`);
        assert.ok(Math.abs(f.kktMax[k] - Math.max(foc, 0)) <= 1e-9 * f.lambda[k] + 1e-12);
      }
    });

  it("past 400 non-zero coefficients (no exact solves): the reported certificate is the coefficients' own", () => {
    const rng = new Random(5);
    const n = 700;
    const p = 900;
    const x = new Float64Array(n * p);
    for (let j = 0; j < p; j++)
      for (let i = 0; i < n; i++) if (rng.uniform() < 0.05) x[j * n + i] = 1 + rng.uniform();
    const y = Float64Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < n; i++) for (let j = 0; j < 40; j++) y[i] += 0.3 * x[j * n + i];
    const f = nonconvexPath(publicCsc(publicDense(n, p, x)), y, {
      penalty: "mcp",
      nLambda: 30,
      lambdaMinRatio: 0.005,
    });
    assert.deepEqual(f.warnings, []);
    assert.ok(Math.max(...f.df) > 400, `largest model ${Math.max(...f.df)}`);
    for (let k = 0; k < f.lambda.length; k += 4) {
      const foc = firstOrder(x, y, n, p, "mcp", f.gamma, f.lambda[k], f.intercept[k], f.beta[k]);
      assert.ok(Math.abs(f.kktMax[k] - Math.max(foc, 0)) <= 1e-8 * f.lambda[k], `λ #${k + 1}`);
      // The pass rule's accuracy there (thresh 1e-9), as the sparse lasso's: about 2e-2·λ.
      assert.ok(foc <= 5e-2 * f.lambda[k], `λ #${k + 1}: ${foc / f.lambda[k]}·λ`);
    }
  });

  it("a point stopped at maxPasses is a warning", () => {
    const { x, y } = correlated(200, 30, 0.8, 4);
    const f = nonconvexPath(publicDense(200, 30, x), y, { penalty: "scad", maxPasses: 2 });
    assert.ok(f.warnings.length > 0);
    assert.match(f.warnings[0], /maxPasses \(2\)/);
  });

  for (const sparse of [false, true])
    for (const kind of ["mcp", "scad"] as const)
      it(`${kind}, ${sparse ? "sparse" : "dense"} design: the WebAssembly passes are the JavaScript passes${sparse ? ", bit for bit" : ""}`, () => {
        const rng = new Random(sparse ? 8 : 9);
        const n = 151;
        const p = 90;
        const x = new Float64Array(n * p);
        for (let j = 0; j < p; j++)
          for (let i = 0; i < n; i++)
            if (!sparse || rng.uniform() < 0.1) x[j * n + i] = rng.normal() + (sparse ? 2 : 0);
        const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
        const sw = w.reduce((s, v) => s + v, 0);
        for (let i = 0; i < n; i++) w[i] /= sw;
        const y = Float64Array.from({ length: n }, (_, i) => x[i] - x[2 * n + i] + rng.normal());
        let ym = 0;
        for (let i = 0; i < n; i++) ym += w[i] * y[i];
        const yTilde = Float64Array.from(y, (v, i) => Math.sqrt(w[i]) * (v - ym));
        const m = denseMatrix(n, p, x);
        const run = (kernels: "wasm" | "js") => {
          const include = new Uint8Array(p).fill(1);
          const design = sparse
            ? new SparseDesign(denseToCsc(m), w, true, true, include, kernels)
            : new DenseDesign(m, w, true, true, include, kernels);
          const cd = new NonconvexCd({
            design,
            kind,
            gamma: kind === "mcp" ? 3 : 3.7,
            include,
            yTilde,
            thr: 1e-12,
            maxPasses: 10000,
            kktTol: 1e-7,
          });
          const out: number[][] = [];
          let prev = Infinity;
          for (let k = 0; k < 25; k++) {
            const lam = 0.5 * 0.85 ** k;
            cd.solve(lam, prev);
            prev = lam;
            out.push(Array.from(cd.b));
          }
          const passes = cd.passes;
          cd.release();
          return { out, passes };
        };
        const a = run("wasm");
        const b = run("js");
        if (sparse) {
          // The same kernels' arithmetic (spncpass against SparseDesign's gradient and update).
          assert.equal(a.passes, b.passes);
          assert.deepEqual(a.out, b.out);
        } else {
          // The dense heap's plain-loop dot sums in another order: equal to rounding.
          a.out.forEach((row, k) =>
            row.forEach((v, j) =>
              assert.ok(
                Math.abs(v - b.out[k][j]) <= 1e-9 * (1 + Math.abs(v)),
                `λ #${k + 1}, b${j}`,
              ),
            ),
          );
        }
      });
});
