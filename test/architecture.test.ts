import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers/fixtures.js";

/** Every .ts file under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** The modules a file imports at run time (type-only imports and re-exports left out). */
function valueImports(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+"(\.[^"]+)";/gms;
  for (const m of text.matchAll(re)) {
    if (m[2]) continue; // import type / export type
    const names = m[3];
    // `import { type A, type B }` is type-only too.
    if (
      /^\{[^}]*\}$/s.test(names) &&
      names
        .slice(1, -1)
        .split(",")
        .every((s) => /^\s*type\s/.test(s) || !s.trim())
    )
      continue;
    out.push(resolve(dirname(file), m[4].replace(/\.js$/, ".ts")));
  }
  return out;
}

describe("architecture", () => {
  it("src/ has no import cycles (Tarjan's strongly connected components of the run-time imports)", () => {
    const src = join(ROOT, "src");
    const files = sources(src);
    const edges = new Map(files.map((f) => [f, valueImports(f, readFileSync(f, "utf8"))]));
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of edges.get(v) ?? []) {
        if (!edges.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(relative(src, w));
        } while (w !== v);
        if (scc.length > 1) cycles.push(scc);
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    assert.ok(files.length > 50, `${files.length} source files`);
    assert.deepEqual(cycles, [], `import cycles: ${cycles.map((c) => c.join(" ↔ ")).join("; ")}`);
  });
});
