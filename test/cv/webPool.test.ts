import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denseMatrix } from "../../src/index.js";
import { jobKinds, type JobInit } from "../../src/cv/jobs.js";
import { runWithWorkerSource } from "../../src/cv/webPool.js";
import { diabetes } from "../helpers/fixtures.js";

// The browser's job pool (src/cv/webPool.ts) in Node, with stand-ins for the Web Worker global:
// a worker that speaks the protocol (answering from the registered job kinds, asynchronously),
// one that fails to load its script, and one whose constructor throws. Whatever happens, every
// job is answered exactly once and with what the job kind computes in this thread; the real
// workers in Chromium are tested in test/browser/package.test.ts.

const d = diabetes();
const K = 5;
const init: JobInit<"cv"> = {
  kind: "cv",
  family: "gaussian",
  x: denseMatrix(d.n, d.p, d.x),
  y: d.y,
  options: { nLambda: 20 },
  foldId: Int32Array.from({ length: d.n }, (_, i) => 1 + (i % K)),
};
const expected = Array.from({ length: K }, (_, f) => jobKinds.cv(init, f + 1).fit);

type Handler = ((ev: { data: unknown }) => void) | null;
const started: string[] = [];
let terminated = 0;

/** A worker that answers like src/cv/webWorker.ts, one macrotask later. */
class EchoWorker {
  onmessage: Handler = null;
  onerror: ((ev: { preventDefault(): void }) => void) | null = null;
  private data: JobInit<"cv"> | null = null;
  constructor(url: string) {
    started.push(url);
  }
  postMessage(msg: { init?: JobInit<"cv">; fold?: number }): void {
    if (msg.init) {
      this.data = msg.init;
      return;
    }
    const job = msg.fold!;
    setTimeout(() => this.onmessage?.({ data: { fold: job, ...jobKinds.cv(this.data!, job) } }));
  }
  terminate(): void {
    terminated++;
  }
}
/** A worker whose script cannot load: an error event, no answer. */
class BrokenWorker extends EchoWorker {
  override postMessage(): void {
    setTimeout(() => this.onerror?.({ preventDefault: () => undefined }));
  }
}
class ThrowingWorker {
  constructor() {
    throw new Error("refused by the content security policy");
  }
}

async function collect(source: string, WorkerClass: unknown): Promise<unknown[]> {
  const g = globalThis as unknown as { Worker?: unknown };
  const saved = g.Worker;
  g.Worker = WorkerClass;
  try {
    const got: unknown[] = new Array(K);
    const seen: number[] = [];
    await runWithWorkerSource(source, 2, init, K, (job, r) => {
      seen.push(job);
      got[job - 1] = r.fit;
    });
    assert.deepEqual(
      seen.slice().sort((a, b) => a - b),
      [1, 2, 3, 4, 5],
    );
    return got;
  } finally {
    g.Worker = saved;
  }
}

describe("the browser's job pool (Web Workers, with the calling thread as fallback)", () => {
  it("answers every job through workers that speak the protocol, then ends them", async () => {
    started.length = 0;
    terminated = 0;
    assert.deepEqual(await collect("/* worker */", EchoWorker), expected);
    assert.equal(started.length, 2);
    assert.ok(started.every((u) => u.startsWith("blob:")));
    assert.equal(terminated, 2);
  });

  it("runs the unanswered jobs in the calling thread when a worker cannot load", async () => {
    terminated = 0;
    assert.deepEqual(await collect("/* worker */", BrokenWorker), expected);
    assert.equal(terminated, 2);
  });

  it("runs every job in the calling thread when workers cannot be made, or no bundle exists", async () => {
    assert.deepEqual(await collect("/* worker */", ThrowingWorker), expected);
    assert.deepEqual(await collect("", EchoWorker), expected);
    assert.deepEqual(await collect("/* worker */", undefined), expected);
  });

  it("rejects when a job itself fails", async () => {
    class FailingWorker extends EchoWorker {
      override postMessage(msg: { fold?: number }): void {
        if (msg.fold)
          setTimeout(() => this.onmessage?.({ data: { fold: msg.fold, error: "bad fold" } }));
      }
    }
    const g = globalThis as unknown as { Worker?: unknown };
    const saved = g.Worker;
    g.Worker = FailingWorker;
    try {
      await assert.rejects(
        runWithWorkerSource("/* worker */", 2, init, K, () => undefined),
        /fold \d: bad fold/,
      );
    } finally {
      g.Worker = saved;
    }
  });
});
