import { InputError } from "../errors.js";

/**
 * Helper threads that take a share of one large product on a shared WebAssembly memory
 * (MatMem.gemm and MatMem.ldlHat, src/nn/kernels.ts): the product is cut into blocks of its
 * output of about equal work, listed on a shared board; the calling thread wakes the helpers and
 * every thread takes the next block until none is left (so a slower core takes fewer), then the
 * caller waits for the helpers. Every entry of the output is summed in the same order as on one
 * thread, so the results are the same bits.
 *
 * The protocol is synchronous (Atomics.wait / notify on a small control block), so the products
 * stay synchronous calls. The platform registers how helpers start: Node's main thread
 * (src/platform/nodeThreads.ts) on worker threads; elsewhere (the browser build, the worker
 * threads of cross-validation) there are none and products run on the calling thread.
 */

/** Operations a helper runs (the control block's OP slot). */
export const OP_ATTACH = 1;
export const OP_FORGET = 2;
export const OP_GEMM = 3;
export const OP_LDLHAT = 4;
export const OP_STEPS = 5;
/** A share of the sparse GLM's reads (runShare): its arguments on the board from BLOCKS_AT. */
export const OP_SHARE = 6;

/** Int32 slots of a helper's control block: posted and done sequence numbers, ready, failed. */
export const POSTED = 0;
export const DONE = 1;
export const READY = 2;
export const FAILED = 3;
/** Byte offset of the Float64 arguments in the control block, and its size. */
export const ARGS_AT = 64;
export const CONTROL_BYTES = ARGS_AT + 8 * 8;

/**
 * The board all threads share: Int32 slots NEXT (the next block to take) and COUNT, a done flag
 * per block from DONE_AT, and each block's arguments (BLOCK_ARGS Float64s) from BLOCKS_AT.
 */
export const NEXT = 0;
export const COUNT = 1;
/** Board slots of a series of steps (OP_STEPS): the step posted, the step the helper finished. */
export const STEP_POSTED = 2;
export const STEP_DONE = 3;
export const MAX_BLOCKS = 64;
export const DONE_AT = 16;
export const BLOCK_ARGS = 16;
export const BLOCKS_AT = 4 * (DONE_AT + MAX_BLOCKS);
export const BOARD_BYTES = BLOCKS_AT + 8 * BLOCK_ARGS * MAX_BLOCKS;

let board: SharedArrayBuffer | null = null;

/** The shared board (made on first use). */
export function sharedBoard(): SharedArrayBuffer {
  return (board ??= new SharedArrayBuffer(BOARD_BYTES));
}

/**
 * Takes blocks from the board until none is left, running each with `run` (its arguments) and
 * marking it done: the loop of the calling thread and of every helper.
 */
export function takeBlocks(shared: SharedArrayBuffer, run: (args: Float64Array) => void): void {
  const ints = new Int32Array(shared);
  const count = Atomics.load(ints, COUNT);
  for (;;) {
    const b = Atomics.add(ints, NEXT, 1);
    if (b >= count) return;
    run(new Float64Array(shared, BLOCKS_AT + 8 * BLOCK_ARGS * b, BLOCK_ARGS));
    Atomics.store(ints, DONE_AT + b, 1);
  }
}

/**
 * Waits until the board's Int32 `slot` holds `value`: spinning first (a step of the reduction
 * takes microseconds, a sleeping thread's wake-up tens of them), then sleeping in short waits;
 * `broken()` is asked between them, and a true answer ends the wait with an error.
 */
export function waitFor(
  ints: Int32Array,
  slot: number,
  value: number,
  broken: () => boolean = () => false,
): void {
  for (let spin = 0; spin < 1 << 16; spin++) if (Atomics.load(ints, slot) === value) return;
  for (;;) {
    const now = Atomics.load(ints, slot);
    if (now === value) return;
    if (broken()) throw new Error("a product's helper thread failed");
    Atomics.wait(ints, slot, now, 5);
  }
}

/**
 * A helper's side of a series of steps: waits for each step posted on the board, runs it with
 * the board's block-0 arguments, and marks it done, until a step with arguments[0] < 0.
 */
export function followSteps(shared: SharedArrayBuffer, run: (args: Float64Array) => void): void {
  const ints = new Int32Array(shared);
  const args = new Float64Array(shared, BLOCKS_AT, BLOCK_ARGS);
  let seen = Atomics.load(ints, STEP_DONE);
  for (;;) {
    waitFor(ints, STEP_POSTED, seen + 1);
    seen++;
    if (args[0] < 0) return;
    run(args);
    Atomics.store(ints, STEP_DONE, seen);
    Atomics.notify(ints, STEP_DONE);
  }
}

/** One helper thread: starts an operation and waits for it. */
export interface ProductHelper {
  /** Whether the helper has started (without waiting for it: `start` waits). */
  ready(): boolean;
  /**
   * Starts `op` with `args` (args[0] is the memory's id, args[1] the byte offset of the helper's
   * scratch in it) on `memory`, handing the memory over first if the helper has not seen it:
   * the helper takes blocks from the board. Returns at once.
   */
  start(memory: WebAssembly.Memory, op: number, args: ArrayLike<number>): void;
  /** Waits for the started operation; throws if the helper failed (then it is not used again). */
  join(): void;
  /** The helper drops its instance on `memory` (evicted from the pool). */
  forget(memory: WebAssembly.Memory): void;
  /** Whether the helper's operation failed. */
  failed(): boolean;
}

/** The most arguments of a share (OP_SHARE): two blocks' worth. */
export const SHARE_ARGS = 2 * BLOCK_ARGS;

/**
 * Runs one share of a split read on a helper and the rest here: the share's arguments go on the
 * board, the helper starts on `memory`, this thread runs `mine`, then waits for the helper.
 * Returns false when the helper could not run its share (it is dropped; the caller runs that
 * share itself: every share overwrites its own outputs). The board is not shared with another
 * operation at the same time (one thread drives every helper).
 */
export function runShare(
  memory: WebAssembly.Memory,
  helper: ProductHelper,
  args: ArrayLike<number>,
  mine: () => void,
): boolean {
  new Float64Array(sharedBoard(), BLOCKS_AT, SHARE_ARGS).set(args);
  try {
    helper.start(memory, OP_SHARE, [memoryId(memory)]);
  } catch {
    mine();
    return false;
  }
  let ok = true;
  try {
    mine();
  } finally {
    try {
      helper.join();
    } catch {
      ok = false;
    }
  }
  return ok;
}

let sharedKernels: (() => WebAssembly.Module | null) | null = null;

/**
 * Registers how the kernels module on a shared memory is compiled (the platform's entry: Node's
 * main thread; elsewhere there are no helpers to share a memory with).
 */
export function setSharedKernels(compile: () => WebAssembly.Module | null): void {
  sharedKernels = compile;
}

/** kernels.wat on a shared memory, or null where no platform registered it. */
export function sharedKernelsModule(): WebAssembly.Module | null {
  return sharedKernels ? sharedKernels() : null;
}

let makeHelper: (() => ProductHelper | null) | null = null;
let parallelism = (): number => 1;
const helpers: ProductHelper[] = [];
let broken = false;

/** Registers how helper threads start and how many cores there are (the platform's entry). */
export function setThreadPlatform(make: () => ProductHelper | null, cores: () => number): void {
  makeHelper = make;
  parallelism = cores;
}

let cap = Infinity;

/**
 * The most threads the library's large products and reductions use by default (the exact ridge
 * path, the covariance solver's Gram matrix), as PyTorch's `set_num_threads`: at most the
 * platform's cores; `Infinity` lifts the cap. Results are the same bits for any count.
 *
 * @example
 * ```ts
 * setThreads(1); // every product on the calling thread
 * ```
 */
export function setThreads(n: number): void {
  if (!(n === Infinity || (Number.isInteger(n) && n >= 1)))
    throw new InputError(`setThreads: expected a whole number ≥ 1, got ${n}`);
  cap = n;
}

/** Threads a product may use by default: the platform's cores (at most setThreads'), 1 without helpers. */
export function defaultThreads(): number {
  return makeHelper && !broken ? Math.max(1, Math.min(cap, parallelism())) : 1;
}

/**
 * Up to `threads − 1` started helpers (fewer if they cannot start: none without a platform, and
 * none ever again after one failed to start).
 */
export function productHelpers(threads: number): ProductHelper[] {
  if (!makeHelper || broken) return [];
  while (helpers.length < threads - 1) {
    const h = makeHelper();
    if (!h) {
      broken = helpers.length === 0;
      break;
    }
    helpers.push(h);
  }
  return helpers.slice(0, Math.max(0, threads - 1));
}

/** Every started helper drops `memory` (a pooled shared memory being discarded). */
export function forgetMemory(memory: WebAssembly.Memory): void {
  for (const h of helpers) h.forget(memory);
}

/** A helper that never started is dropped, and no helper is started again. */
export function helperFailedToStart(h: ProductHelper): void {
  dropHelper(h);
  broken = true;
}

/** A helper that failed is dropped; products go on with the others (or alone). */
export function dropHelper(h: ProductHelper): void {
  const at = helpers.indexOf(h);
  if (at >= 0) helpers.splice(at, 1);
}

const ids = new WeakMap<WebAssembly.Memory, number>();
let nextId = 1;

/** A number naming a shared memory to the helpers. */
export function memoryId(memory: WebAssembly.Memory): number {
  let id = ids.get(memory);
  if (id === undefined) ids.set(memory, (id = nextId++));
  return id;
}

/**
 * Boundaries 0 = b₀ ≤ b₁ ≤ … ≤ b_T = total splitting [0, total) into parts whose costs are in
 * the proportions of `weights` (T = its length), each boundary a multiple of `align`; `cost(m)`
 * is the cost of the first m units (increasing). Parts may be empty when total is small.
 */
export function splitCost(
  total: number,
  weights: number[],
  align: number,
  cost: (m: number) => number,
): number[] {
  const all = cost(total);
  const sum = weights.reduce((u, v) => u + v, 0);
  const b = [0];
  let m = 0;
  let cum = 0;
  for (let t = 1; t < weights.length; t++) {
    cum += weights[t - 1];
    const goal = (all * cum) / sum;
    while (m < total && cost(m) < goal) m++;
    b.push(Math.min(total, Math.max(b[t - 1], Math.round(m / align) * align)));
  }
  b.push(total);
  return b;
}
