import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const DIABETES = join(ROOT, "data", "diabetes.csv");
const tmp = mkdtempSync(join(tmpdir(), "regularize-solver-"));

interface Doc {
  lambda: number[];
  coefficients: { index: number[]; value: number[] }[];
  objective: number[];
  kktMax: number[];
  solver: string;
}

function path(...args: string[]): Doc {
  const out = join(tmp, `${args.join("_").replace(/[^a-z0-9_]/gi, "")}.json`);
  const r = spawnSync(process.execPath, [BIN, "path", DIABETES, ...args, "--json", out], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(out, "utf8")) as Doc;
}

describe("regularize path --solver: the same path by another method (diabetes lasso)", () => {
  const cd = path();
  it("fista and owlqn: coordinate descent's λ, objective (1e-8) and exact support at every point", () => {
    for (const solver of ["fista", "owlqn"]) {
      const d = path("--solver", solver);
      assert.equal(d.solver, solver);
      assert.deepEqual(d.lambda, cd.lambda);
      for (let k = 0; k < cd.lambda.length; k++) {
        assert.ok(
          Math.abs(d.objective[k] - cd.objective[k]) <= 1e-8 * cd.objective[k],
          `${solver} λ #${k + 1}`,
        );
        // At λ_max the first feature's |gradient| equals λ: a borderline zero either way.
        if (k > 0)
          assert.deepEqual(
            d.coefficients[k].index,
            cd.coefficients[k].index,
            `${solver} λ #${k + 1}`,
          );
      }
    }
  });

  it("subgradient: no exact zeros once any feature is in, where coordinate descent has several", () => {
    const d = path("--solver", "subgradient", "--nlambda", "20");
    const c = path("--nlambda", "20");
    let cdZeros = 0;
    let sgZeros = 0;
    for (let k = 1; k < d.lambda.length; k++) {
      cdZeros += 10 - c.coefficients[k].index.length;
      sgZeros += 10 - d.coefficients[k].index.length;
    }
    assert.ok(cdZeros >= 30, `coordinate descent zeros ${cdZeros}`);
    assert.equal(sgZeros, 0);
    // ... and its KKT violation shows it is not at the solution.
    assert.ok(Math.max(...d.kktMax) > 1e-3);
  });

  it("an unknown solver is an input error naming the option", () => {
    const r = spawnSync(process.execPath, [BIN, "path", DIABETES, "--solver", "adam"], {
      encoding: "utf8",
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--solver.*adam/);
  });
});
