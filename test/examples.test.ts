import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers/fixtures.js";

function example(name: string) {
  const r = spawnSync(process.execPath, [join(ROOT, "examples", "run.mjs"), name], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("examples/ run and print their claims", () => {
  it("nn-sparsity: proximal steps give exact zeros, L1 in the loss gives none", () => {
    const out = example("nn-sparsity");
    const row = (re: RegExp) => re.exec(out)!.slice(1).map(Number);
    const [adamZeros] = row(/L1 in the loss.*?\s([\d.]+)%/);
    const [proxZeros] = row(/proxadam, L1 prox.*?\s([\d.]+)%/);
    assert.equal(adamZeros, 0);
    assert.ok(proxZeros > 30);
    const dead = [...out.matchAll(/group prox.*\s(\d+)\s+(0\.\d+)$/gm)];
    assert.equal(dead.length, 2);
    for (const m of dead) assert.ok(Number(m[1]) > 10 && Number(m[2]) > 0.9, m[0]);
  });
  it("dead-zone: prox and coordinate descent agree on exact zeros, subgradient has none", () => {
    const out = example("dead-zone");
    assert.match(out, /exact zeros: {3}coordinate descent 3, FISTA 3, subgradient 0/);
  });
  it("solvers-agree: every solver within 1e-8 of coordinate descent; constrained = penalized", () => {
    const out = example("solvers-agree");
    for (const m of out.matchAll(/^ {2}(ista|fista|owlqn) +\S+ +(\S+)/gm))
      assert.ok(Math.abs(Number(m[2])) < 1e-8, m[0]);
    const diff = Number(/largest \|β_constrained − β_penalized\| = (\S+)/.exec(out)![1]);
    assert.ok(diff < 1e-6);
  });
  it("explain: a line per feature and a KKT certificate", () => {
    const out = example("explain");
    assert.equal(out.match(/inside the dead zone|balances the penalty/g)!.length, 10);
    assert.ok(Number(/largest KKT violation: (\S+)/.exec(out)![1]) < 1e-9);
  });
  it("early-stopping: λ_eff·ηT within a small factor of 1 at every T", () => {
    const out = example("early-stopping");
    const rows = [...out.matchAll(/^ +(\d+) +\S+ +\S+ +(\S+) +\S+$/gm)];
    assert.equal(rows.length, 9);
    for (const m of rows) assert.ok(Number(m[2]) > 0.2 && Number(m[2]) < 1.5, m[0]);
  });
  it("bias-variance: bias² + variance + noise equals the measured test error at every λ", () => {
    const out = example("bias-variance");
    const rows = [...out.matchAll(/^ *\S+ +\S+ +\S+ +\S+ +(\S+) +(\S+)$/gm)];
    assert.equal(rows.length, 9);
    for (const m of rows) assert.ok(Math.abs(Number(m[1]) / Number(m[2]) - 1) < 0.03, m[0]);
  });
});
