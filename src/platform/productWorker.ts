// A helper thread of src/platform/nodeThreads.ts: waits on its control block, then on a shared
// memory takes blocks of a product (MatMem.gemm or MatMem.ldlHat) from the shared board until
// none is left, follows a series of the Householder reduction's steps (MatMem.r2Split and
// r2Row), or runs its share of a sparse GLM's read (SparseGlmCd), and signals it done.
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { sharedProducts, type SharedProducts } from "../nn/kernels.js";
import { KERNELS_WASM_SHARED } from "../wasm/kernelsShared.js";
import { compileWasm } from "../wasm/load.js";
import {
  ARGS_AT,
  CONTROL_BYTES,
  DONE,
  FAILED,
  OP_ATTACH,
  OP_FORGET,
  OP_GEMM,
  OP_LDLHAT,
  OP_SHARE,
  OP_STEPS,
  POSTED,
  READY,
  BLOCKS_AT,
  SHARE_ARGS,
  followSteps,
  takeBlocks,
} from "../wasm/threads.js";

const { control, board, port } = workerData as {
  control: SharedArrayBuffer;
  board: SharedArrayBuffer;
  port: MessagePort;
};
const ctrl = new Int32Array(control);
const args = new Float64Array(control, ARGS_AT, (CONTROL_BYTES - ARGS_AT) / 8);
/** Each memory handed over, with the instances made on it when first needed. */
const attached = new Map<
  number,
  { memory: WebAssembly.Memory; products?: SharedProducts; sparse?: ShareKernels }
>();
const shareArgs = new Float64Array(board, BLOCKS_AT, SHARE_ARGS);
let kernelsModule: WebAssembly.Module | null = null;

/** The sparse GLM's kernels a share runs (src/solver/sparseGlmCd.ts, `share`). */
interface ShareKernels {
  spnewton(...args: number[]): void;
  spgrads(...args: number[]): void;
}

/** The sparse kernels on a handed-over memory (made on first use). */
function sparseOn(m: { memory: WebAssembly.Memory; sparse?: ShareKernels }): ShareKernels {
  if (m.sparse) return m.sparse;
  kernelsModule ??= compileWasm(KERNELS_WASM_SHARED);
  if (!kernelsModule) throw new Error("WebAssembly with shared memory is unavailable");
  const exports = new WebAssembly.Instance(kernelsModule, { env: { memory: m.memory } }).exports;
  return (m.sparse = exports as unknown as ShareKernels);
}

/** A share of a sparse read: v[0] names the kernel (0 spnewton, 1 spgrads), then its arguments. */
function runShareOn(k: ShareKernels, v: Float64Array): void {
  if (v[0] === 0) {
    const a = Array.from(v.subarray(1, 23));
    k.spnewton(...a);
  } else if (v[0] === 1) {
    const a = Array.from(v.subarray(1, 11));
    k.spgrads(...a);
  } else throw new Error(`unknown share ${v[0]}`);
}

Atomics.store(ctrl, READY, 1);
Atomics.notify(ctrl, READY);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, POSTED, seen);
  seen = Atomics.load(ctrl, POSTED);
  try {
    const op = args[0];
    const id = args[1];
    if (op === OP_ATTACH) {
      const m = receiveMessageOnPort(port)?.message as { id: number; memory: WebAssembly.Memory };
      if (!m || m.id !== id) throw new Error("no memory was handed over");
      attached.set(id, { memory: m.memory });
    } else if (op === OP_FORGET) {
      attached.delete(id);
    } else {
      const m = attached.get(id);
      if (!m) throw new Error(`memory ${id} was not handed over`);
      if (op === OP_SHARE) runShareOn(sparseOn(m), shareArgs);
      else {
        const k = (m.products ??= sharedProducts(m.memory));
        const scratch = args[2];
        if (op === OP_GEMM) takeBlocks(board, (v) => k.gemmBlock(v, scratch));
        else if (op === OP_LDLHAT) takeBlocks(board, (v) => k.ldlHatBlock(v));
        else if (op === OP_STEPS) followSteps(board, (v) => k.r2step(v));
        else throw new Error(`unknown operation ${op}`);
      }
    }
  } catch (e) {
    port.postMessage(e instanceof Error ? e.message : String(e));
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
