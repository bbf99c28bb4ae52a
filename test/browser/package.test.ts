import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { build as esbuild } from "esbuild";
import { build as vite } from "vite";
import { cvPath, fromTable } from "../../src/index.js";
import { launchChromium } from "../helpers/chromium.js";
import { csvRecords, ROOT } from "../helpers/fixtures.js";

// The package as a user gets it: packed (npm pack), installed into a fresh app, bundled for the
// browser with esbuild and with Vite, run in headless Chromium.
const { header, rows } = csvRecords("diabetes");
const target = header[header.length - 1];

// The same CV twice: with the default (this small table stays in the calling thread) and on two
// Web Workers; the page counts the workers it starts.
const APP = `
import { cvPath, fromTable } from "regularize";
const Base = window.Worker;
window.WORKERS = 0;
window.ANSWERS = 0;
window.Worker = class extends Base {
  constructor(...a) {
    super(...a);
    window.WORKERS++;
    this.addEventListener("message", () => window.ANSWERS++);
  }
};
const d = fromTable(window.ROWS, { target: ${JSON.stringify(target)} });
const summary = (cv) => ({ lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se, cvm: Array.from(cv.cvm) });
Promise.all([cvPath(d.x, d.y, { nFolds: 5, seed: 7 }), cvPath(d.x, d.y, { nFolds: 5, seed: 7, workers: 2 })]).then(
  ([serial, parallel]) =>
    (window.RESULT = { ...summary(serial), parallel: summary(parallel), workers: window.WORKERS, answers: window.ANSWERS, n: d.x.nRows }),
  (e) => (window.RESULT = { error: String(e) }),
);
`;
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };

let tmp = "";
let app = "";
let server: Server;
let base = "";
let browser: Browser;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "regularize-pack-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: ROOT });
  const tarball = readdirSync(tmp).find((f) => f.endsWith(".tgz"))!;
  app = join(tmp, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module" }),
  );
  // From npm's cache where it can (the repository's own install filled it).
  execFileSync(
    "npm",
    [
      "install",
      join(tmp, tarball),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--omit=optional",
    ],
    { cwd: app, stdio: "ignore" },
  );
  writeFileSync(join(app, "src", "main.js"), APP);
  const page = (script: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>` +
    `<script>window.ROWS = ${JSON.stringify(rows)};</script>${script}</body></html>`;
  // esbuild, for the browser platform (the package's "browser" export condition).
  mkdirSync(join(app, "out-esbuild"));
  await esbuild({
    entryPoints: [join(app, "src", "main.js")],
    bundle: true,
    platform: "browser",
    format: "esm",
    outfile: join(app, "out-esbuild", "main.js"),
    absWorkingDir: app,
    logLevel: "silent",
  });
  writeFileSync(
    join(app, "out-esbuild", "index.html"),
    page(`<script type="module" src="./main.js"></script>`),
  );
  // Vite (production build of an index.html that loads the same module).
  writeFileSync(
    join(app, "index.html"),
    page(`<script type="module" src="/src/main.js"></script>`),
  );
  await vite({
    root: app,
    base: "./",
    logLevel: "error",
    configFile: false,
    build: { outDir: join(app, "out-vite"), emptyOutDir: true },
  });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^\/+/, "");
    try {
      const body = readFileSync(
        join(app, path.endsWith("/") || path === "" ? `${path}index.html` : path),
      );
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "text/html" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

describe("the package in the browser (npm pack, a fresh app, esbuild and Vite, Chromium)", () => {
  for (const bundler of ["esbuild", "vite"])
    it(`${bundler}: a 5-fold CV lasso from row objects, λ_min equal to Node's, on Web Workers too, no console errors`, async () => {
      const d = fromTable(rows, { target });
      const node = await cvPath(d.x, d.y, { nFolds: 5, seed: 7 });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on(
        "response",
        (res) => res.status() >= 400 && errors.push(`${res.status()} ${res.url()}`),
      );
      await page.goto(`${base}/out-${bundler}/index.html`);
      await page.waitForFunction(() => (window as unknown as { RESULT?: unknown }).RESULT, null, {
        timeout: 60000,
      });
      type Summary = { lambdaMin: number; lambda1se: number; cvm: number[] };
      const r = (await page.evaluate(() => (window as unknown as { RESULT: unknown }).RESULT)) as
        | (Summary & {
            parallel: Summary;
            workers: number;
            answers: number;
            n: number;
            error?: string;
          })
        | { error: string };
      await page.close();
      assert.ok(!("error" in r && r.error), "error" in r ? r.error : "");
      const ok = r as Summary & { parallel: Summary; workers: number; answers: number; n: number };
      assert.equal(ok.n, rows.length);
      assert.equal(ok.lambdaMin, node.lambdaMin);
      assert.equal(ok.lambda1se, node.lambda1se);
      // Folds on two Web Workers (started from the bundled worker script): the same curve.
      assert.equal(ok.workers, 2);
      assert.equal(ok.answers, 5, "each fold answered by a worker");
      assert.deepEqual(ok.parallel.cvm, Array.from(node.cvm));
      assert.equal(ok.parallel.lambdaMin, node.lambdaMin);
      assert.deepEqual(errors, []);
    });

  it("the browser bundle holds no node: import and no DuckDB", () => {
    const js = readFileSync(join(app, "out-esbuild", "main.js"), "utf8");
    assert.doesNotMatch(js, /from\s*"node:|require\("node:|@duckdb/);
  });
});
