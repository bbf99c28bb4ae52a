import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers/fixtures.js";

describe("API documentation", () => {
  it("every @example in the doc comments type-checks against the current API", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "check-examples.mjs")], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const count = Number(/(\d+) examples type-check/.exec(r.stdout)![1]);
    assert.ok(count >= 97, `${count} examples`);
  });
});
