// Node's helper threads for large products (src/wasm/threads.ts): one worker thread each
// (src/platform/productWorker.ts), driven synchronously through a shared control block. Only
// the main thread starts them: the worker threads of cross-validation already keep the cores busy.
import { availableParallelism } from "node:os";
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { KERNELS_WASM_SHARED } from "../wasm/kernelsShared.js";
import { compileWasm } from "../wasm/load.js";
import {
  ARGS_AT,
  CONTROL_BYTES,
  DONE,
  dropHelper,
  FAILED,
  helperFailedToStart,
  memoryId,
  OP_ATTACH,
  OP_FORGET,
  POSTED,
  READY,
  setSharedKernels,
  setThreadPlatform,
  sharedBoard,
  type ProductHelper,
} from "../wasm/threads.js";

/**
 * How long a new helper may take to start before products run without it (it starts in about
 * 65 ms here; one that cannot load its file never answers, and its error event cannot be heard
 * while this thread waits).
 */
const START_MS = 2000;

/**
 * Starts a helper and returns it at once: its first `start` waits until it is ready (or fails
 * after START_MS: then no helper is started again), and `ready()` tells without waiting, so a
 * caller that can go on alone (the sparse GLM's shared reads) does not wait for it to boot.
 */
function startHelper(): ProductHelper | null {
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const ctrl = new Int32Array(control);
  const args = new Float64Array(control, ARGS_AT, (CONTROL_BYTES - ARGS_AT) / 8);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(new URL("./productWorker.js", import.meta.url), {
      workerData: { control, board: sharedBoard(), port: port2 },
      transferList: [port2],
    });
  } catch {
    return null;
  }
  worker.unref();
  port1.unref();
  worker.on("error", () => Atomics.store(ctrl, FAILED, 1));
  let ready = false;
  const awaitReady = () => {
    if (ready) return;
    if (Atomics.wait(ctrl, READY, 0, START_MS) === "timed-out" || Atomics.load(ctrl, FAILED)) {
      Atomics.store(ctrl, FAILED, 1);
      helperFailedToStart(helper);
      void worker.terminate();
      throw new Error("a product's helper thread did not start");
    }
    ready = true;
  };
  const seen = new WeakSet<WebAssembly.Memory>();
  let seq = 0;
  const post = (op: number, values: ArrayLike<number>) => {
    args[0] = op;
    args.set(values, 1);
    Atomics.store(ctrl, POSTED, ++seq);
    Atomics.notify(ctrl, POSTED);
  };
  const helper: ProductHelper = {
    ready: () => (ready ||= Atomics.load(ctrl, READY) === 1 && Atomics.load(ctrl, FAILED) === 0),
    start(memory, op, values) {
      awaitReady();
      if (!seen.has(memory)) {
        port1.postMessage({ id: memoryId(memory), memory });
        post(OP_ATTACH, [memoryId(memory)]);
        helper.join();
        seen.add(memory);
      }
      post(op, values);
    },
    join() {
      for (;;) {
        const done = Atomics.load(ctrl, DONE);
        if (done === seq) break;
        if (Atomics.load(ctrl, FAILED)) break;
        Atomics.wait(ctrl, DONE, done, 1000);
      }
      if (Atomics.load(ctrl, FAILED)) {
        dropHelper(helper);
        void worker.terminate();
        const why = receiveMessageOnPort(port1)?.message as string | undefined;
        throw new Error(`a product's helper thread failed${why ? `: ${why}` : ""}`);
      }
    },
    failed: () => Atomics.load(ctrl, FAILED) === 1,
    forget(memory) {
      if (!seen.has(memory)) return;
      seen.delete(memory);
      post(OP_FORGET, [memoryId(memory)]);
      helper.join();
    },
  };
  return helper;
}

let kernelsShared: WebAssembly.Module | null | undefined;

if (isMainThread) {
  setThreadPlatform(startHelper, availableParallelism);
  setSharedKernels(
    () =>
      (kernelsShared ??=
        typeof SharedArrayBuffer === "undefined" ? null : compileWasm(KERNELS_WASM_SHARED)),
  );
}
