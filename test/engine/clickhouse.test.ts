import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cvPath } from "../../src/index.js";
import { foldSql } from "../../src/engine/sql.js";
import { hasClickHouse, startCluster, type Cluster } from "../helpers/clickhouse.js";
import { ROOT } from "../helpers/fixtures.js";
import { xyOfRows } from "../helpers/rows.js";

const BIN = join(ROOT, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "regularize-ch-test-"));
const diabetes = join(ROOT, "data", "diabetes.csv");
const lines = readFileSync(diabetes, "utf8").trim().split(/\r?\n/);
const names = lines[0].split(",");

/** The CLI, asynchronously (the servers run in this process's event loop's reach). */
function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], {
      cwd: tmp,
      env: { ...process.env, ...env },
    });
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    c.on("close", (code) => resolve({ code, out, err }));
  });
}
const json = (f: string) => JSON.parse(readFileSync(f, "utf8"));
const maxRel = (a: number[], b: number[]) =>
  Math.max(...a.map((v, k) => Math.abs(v - b[k]) / Math.abs(b[k])));

describe("--engine clickhouse: a two-shard cluster on loopback, a Distributed table", () => {
  if (!hasClickHouse()) {
    // CI installs clickhouse-server (.ci/run): there the servers must be there
    it("clickhouse-server is installed", () =>
      assert.ok(!process.env.CI, "CI needs clickhouse-server"));
    return;
  }
  let c: Cluster;
  let source: string;
  before(async () => {
    c = await startCluster(18123);
    const cols = names.map((n) => `${n} Float64`).join(", ");
    for (const k of [0, 1])
      await c.query(k, `CREATE TABLE default.d (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
    await c.query(
      0,
      `CREATE TABLE default.dd AS default.d ENGINE = Distributed(${c.cluster}, default, d)`,
    );
    const rows = lines.slice(1);
    await c.query(
      0,
      "INSERT INTO default.d FORMAT CSV",
      rows.filter((_, i) => i % 2 === 0).join("\n") + "\n",
    );
    await c.query(
      1,
      "INSERT INTO default.d FORMAT CSV",
      rows.filter((_, i) => i % 2 === 1).join("\n") + "\n",
    );
    source = `clickhouse://127.0.0.1:${c.http[0]}/default.dd`;
  });
  after(() => c?.stop());

  it("both shards hold rows; the path through the Distributed table equals the in-memory path", async () => {
    assert.equal((await c.query(0, "SELECT count(*) FROM default.d")).trim(), "221");
    assert.equal((await c.query(1, "SELECT count(*) FROM default.d")).trim(), "221");
    const a = join(tmp, "mem.json");
    const b = join(tmp, "ch.json");
    assert.equal((await run(["path", diabetes, "--json", a])).code, 0);
    const r = await run(["path", source, "--json", b]);
    assert.equal(r.code, 0, r.err);
    const m = json(a);
    const e = json(b);
    assert.ok(maxRel(e.lambda, m.lambda) < 1e-12);
    assert.ok(maxRel(e.objective, m.objective) < 1e-9);
    assert.deepEqual(e.df, m.df);
  });

  it("exact CV: folds hashed from each row's values, equal to cvPath with the same folds", async () => {
    const b = join(tmp, "ch-cv.json");
    const r = await run(["cv", source, "--folds", "5", "--seed", "4", "--json", b]);
    assert.equal(r.code, 0, r.err);
    const e = json(b);
    // the rows and their folds, as the engine computes them
    const position = `cityHash64(${names.map((n) => `"${n}"`).join(", ")}) % 4294967296`;
    const text = await c.query(
      0,
      `SELECT *, ${foldSql(position, 5, 4)} FROM default.dd FORMAT TabSeparated`,
    );
    const rows = text
      .trim()
      .split("\n")
      .map((l) => l.split("\t").map(Number));
    const p = names.length - 1;
    const { x, y } = xyOfRows(rows, p);
    const foldId = Int32Array.from(rows, (row) => row[p + 1]);
    const ref = await cvPath(x, y, { family: "gaussian", foldId, workers: 0 });
    assert.ok(maxRel(e.cv.cvm, Array.from(ref.cvm)) < 1e-8);
    assert.equal(e.cv.lambdaMin, e.lambda[ref.indexMin]);
  });

  it("fit through the cluster writes the model and the report", async () => {
    const model = join(tmp, "ch-model.json");
    const r = await run([
      "fit",
      source,
      "--folds",
      "5",
      "--save",
      model,
      "--report",
      join(tmp, "ch.html"),
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(json(model).features.length, 10);
  });

  it("a Poisson path by IRLS scans through the cluster equals glmPath in memory", async () => {
    const counts = lines
      .slice(1)
      .map((l) => l.replace(/[^,]*$/, (v) => String(Math.floor(Number(v) / 25))));
    const cols = names.map((n) => `${n} Float64`).join(", ");
    for (const k of [0, 1])
      await c.query(k, `CREATE TABLE default.cnt (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
    await c.query(
      0,
      `CREATE TABLE default.dcnt AS default.cnt ENGINE = Distributed(${c.cluster}, default, cnt)`,
    );
    await c.query(
      0,
      "INSERT INTO default.cnt FORMAT CSV",
      counts.filter((_, i) => i % 2 === 0).join("\n") + "\n",
    );
    await c.query(
      1,
      "INSERT INTO default.cnt FORMAT CSV",
      counts.filter((_, i) => i % 2 === 1).join("\n") + "\n",
    );
    const file = join(tmp, "counts.csv");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, [lines[0], ...counts].join("\n") + "\n");
    const a = join(tmp, "pois-mem.json");
    const b = join(tmp, "pois-ch.json");
    assert.equal((await run(["path", file, "--family", "poisson", "--json", a])).code, 0);
    const r = await run([
      "path",
      `clickhouse://127.0.0.1:${c.http[0]}/default.dcnt`,
      "--family",
      "poisson",
      "--json",
      b,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.ok(maxRel(json(b).objective, json(a).objective) < 1e-8);
  });

  it("bad sources: one line, exit 2, credentials never printed", async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [
        ["path", "clickhouse://127.0.0.1:19999/default.dd"],
        /cannot reach the server \(ECONNREFUSED\)/,
      ],
      [
        ["path", `clickhouse://127.0.0.1:${c.http[0]}/default.nope`],
        /default\.nope.*doesn't exist/,
      ],
      [
        ["path", `clickhouse://127.0.0.1:${c.http[0]}/nodots`],
        /expected clickhouse:\/\/HOST:PORT\/DATABASE\.TABLE/,
      ],
      [["path", source, "--target", "nope"], /no column named 'nope'/],
      [
        ["path", source],
        /.+/,
        { REGULARIZE_CLICKHOUSE_USER: "intruder", REGULARIZE_CLICKHOUSE_PASSWORD: "s3cret-pw" },
      ],
      [["path", source, "--engine", "duckdb"], /clickhouse sources use --engine clickhouse/],
      [["path", source], /no answer within 0\.001 s/, { REGULARIZE_QUERY_TIMEOUT: "0.001" }],
    ];
    for (const [args, re, env] of cases) {
      const r = await run(args, env);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
      assert.doesNotMatch(r.err, /s3cret-pw/);
    }
  });

  it("a shard lost mid-run: one line naming the source, exit 1 (run last: it stops a server)", async () => {
    // a table big enough that the binomial path takes several seconds of queries
    const cols = names.map((n) => `${n} Float64`).join(", ");
    for (const k of [0, 1])
      await c.query(k, `CREATE TABLE default.big (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
    await c.query(
      0,
      `CREATE TABLE default.dbig AS default.big ENGINE = Distributed(${c.cluster}, default, big)`,
    );
    const rows = lines.slice(1).map((l, i) => l.replace(/[^,]*$/, String(i % 2)));
    const many = Array.from({ length: 40 }, () => rows.join("\n")).join("\n") + "\n";
    await c.query(0, "INSERT INTO default.big FORMAT CSV", many);
    await c.query(1, "INSERT INTO default.big FORMAT CSV", many);
    // The second shard is stopped once it has answered 20 of the path's queries (its own count
    // of queries, less this loop's): the path takes about 180, and a fixed delay raced the
    // path's speed on a fast run.
    const served = async () =>
      Number(await c.query(1, "SELECT value FROM system.events WHERE event = 'Query'"));
    const before = await served();
    let polls = 1;
    let finished = false;
    const pending = run([
      "path",
      `clickhouse://127.0.0.1:${c.http[0]}/default.dbig`,
      "--family",
      "binomial",
      "--nlambda",
      "100",
    ]).finally(() => (finished = true));
    while (!finished) {
      polls++;
      if ((await served()) - before - polls >= 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    c.kill(1);
    const r = await pending;
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^regularize: clickhouse:\/\/127\.0\.0\.1:\d+\/default\.dbig: /);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  });
});
