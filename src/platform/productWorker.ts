// A helper thread of src/platform/nodeThreads.ts: waits on its control block, then on a shared
// memory takes blocks of a product (MatMem.gemm or MatMem.ldlHat) from the shared board until
// none is left, or follows a series of the Householder reduction's steps (MatMem.r2Split and
// r2Row), and signals it done.
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { sharedProducts, type SharedProducts } from "../nn/kernels.js";
import {
  ARGS_AT,
  CONTROL_BYTES,
  DONE,
  FAILED,
  OP_ATTACH,
  OP_FORGET,
  OP_GEMM,
  OP_LDLHAT,
  OP_STEPS,
  POSTED,
  READY,
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
const attached = new Map<number, SharedProducts>();

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
      attached.set(id, sharedProducts(m.memory));
    } else if (op === OP_FORGET) {
      attached.delete(id);
    } else {
      const k = attached.get(id);
      if (!k) throw new Error(`memory ${id} was not handed over`);
      const scratch = args[2];
      if (op === OP_GEMM) takeBlocks(board, (v) => k.gemmBlock(v, scratch));
      else if (op === OP_LDLHAT) takeBlocks(board, (v) => k.ldlHatBlock(v));
      else if (op === OP_STEPS) followSteps(board, (v) => k.r2step(v));
      else throw new Error(`unknown operation ${op}`);
    }
  } catch (e) {
    port.postMessage(e instanceof Error ? e.message : String(e));
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
