import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";

/** Every file the module graph from `entry` reaches (static and dynamic relative imports). */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("entries: the main one never pulls in the Node-only reader", () => {
  it("src/index.ts reaches neither the Node-only reader nor src/engine/, and not DuckDB", () => {
    const { files, packages } = closure(join(ROOT, "src", "index.ts"));
    // The browser-safe part of src/io (assembling columns: fromTable) is allowed.
    const nodeOnly = [...files].filter(
      (f) =>
        ["table.ts", "arrow.ts", "csvHeader.ts", "duckdb.ts"].some((b) =>
          f.endsWith(join("io", b)),
        ) || f.includes(`${join("src", "engine")}/`),
    );
    assert.deepEqual(nodeOnly, []);
    for (const p of packages) assert.doesNotMatch(p, /@duckdb|csv-parse|apache-arrow/);
  });

  it("src/browser.ts reaches no node: module; src/index.ts only through Node's platform", () => {
    const browser = closure(join(ROOT, "src", "browser.ts"));
    assert.deepEqual(
      [...browser.packages].filter((p) => p.startsWith("node:")),
      [],
    );
    const main = closure(join(ROOT, "src", "index.ts"));
    const withNode = [...main.files].filter((f) => /from\s*"node:/.test(readFileSync(f, "utf8")));
    for (const f of withNode)
      assert.ok(
        f.endsWith(join("platform", "node.ts")) ||
          f.endsWith(join("platform", "nodeThreads.ts")) ||
          f.endsWith(join("platform", "productWorker.ts")) ||
          f.endsWith(join("cv", "pool.ts")) ||
          f.endsWith(join("cv", "worker.ts")),
        f,
      );
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.exports["."].browser, "./dist/browser.js");
  });

  it("src/node.ts is the reader's entry and package.json exports it as regularize/node", async () => {
    const { files } = closure(join(ROOT, "src", "node.ts"));
    assert.ok([...files].some((f) => f.endsWith(join("io", "table.ts"))));
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.exports["./node"].import, "./dist/node.js");
    const node = await import(join(ROOT, "dist", "node.js"));
    assert.equal(typeof node.readTable, "function");
  });
});
