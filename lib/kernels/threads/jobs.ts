/**
 * The jobs the kernel threads share (see {@link ./pool.ts}): a small shared control block and a
 * block of call arguments, written by the main thread and read by every thread. A postMessage
 * per kernel call would cost more than the call itself (tens of microseconds); here a job is
 * published with a few atomic stores, and a spinning thread sees it within a microsecond. A
 * job's rows are cut into chunks of about equal work, and every thread, the main one included,
 * claims chunks until none are left: a thread that the operating system has paused (the machine
 * is busy) simply claims fewer.
 *
 * @module
 */

import type { KernelName, Kernels } from "../compute/abi.ts";

/** The kernels a job may call, by their index in the control block. */
export const POOL_KERNELS: readonly KernelName[] = [
  "compressImages",
  "gatherImages",
  "sparseTimesDense",
  "outputLayer",
  "hiddenGradient",
  "transposedProduct",
  "columnSums",
  "transposeSparse",
  "momentumStep",
  "loadPixels",
  "im2col",
  "convolutionLayer",
  "maxPool",
  "maxPoolReluBackward",
  "denseLayer",
  "denseInputGradient",
  "convolutionInputGradient",
  "col2im",
  "convolutionKernelGradient",
];

/**
 * Slots of the Int32 control block: the job's generation (bumped to wake the workers), the claim
 * word, chunks completed, stop and failure flags, the numbers of calls and chunks, then the
 * chunks' row bounds.
 *
 * The claim word is the job's generation (low 23 bits, shifted left by 8) plus the next chunk
 * to claim (8 bits). A thread claims a chunk by raising it with compareExchange, and only if
 * the generation in it is the job the thread was woken for: a thread that the system paused
 * between two jobs can never take a chunk of the next one by mistake. The number of chunks is
 * tagged with its job's generation the same way ({@linkcode jobChunks}): a thread paused just
 * after the last claim of one job, that woke while the next job was being published, would
 * otherwise compare the old job's claim word (all claimed) with the new job's larger count,
 * claim the old word, and run a chunk of the new job twice, with half-written arguments.
 */
export const CONTROL = {
  // Each counter that one thread writes while another polls gets its own 64-byte cache line
  // (16 int32): sharing a line would make every write stall the other core.
  generation: 0,
  claim: 16,
  completed: 32,
  stop: 48,
  failed: 49,
  calls: 50,
  chunks: 51,
  bounds: 52,
} as const;
/** Argument slots per call in the Float64 argument block: kernel index, then its arguments. */
export const CALL_SLOTS = 16;
/** Calls per job at most. */
export const MAX_CALLS = 4;
/** Chunks per thread in a job: enough for a paused thread's share to be taken over. */
export const CHUNKS_PER_THREAD = 4;
/** Bits of the claim word that count chunks: at most 255 chunks, so 63 threads. */
const CHUNK_BITS = 8;
/** Threads per pool at most. */
export const MAX_THREADS = 63;

/**
 * The claim word of job `generation` once `claimed` of its chunks are taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(claimWord(3, 0), 768); // job 3, nothing claimed yet
 * assert.equal(claimWord(3, 2), 770); // job 3, chunks 0 and 1 claimed
 * ```
 */
export function claimWord(generation: number, claimed: number): number {
  return ((generation & 0x7fffff) << CHUNK_BITS) + claimed;
}

/**
 * The number of chunks of job `generation` (the control block's chunks slot holds
 * `claimWord(generation, chunks)`), or 0 when the slot belongs to another job.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const control = new Int32Array(CONTROL.bounds + 1);
 * control[CONTROL.chunks] = claimWord(7, 3); // job 7 has 3 chunks
 * assert.equal(jobChunks(control, 7), 3);
 * assert.equal(jobChunks(control, 6), 0); // a thread still serving job 6 sees none
 * ```
 */
export function jobChunks(control: Int32Array, generation: number): number {
  const chunks = Atomics.load(control, CONTROL.chunks) - claimWord(generation, 0);
  return chunks > 0 && chunks <= MAX_THREADS * CHUNKS_PER_THREAD ? chunks : 0;
}

/**
 * Claims and runs chunks of job `generation` until none are left: every call of the job on the
 * chunk's rows [bounds[c], bounds[c + 1]). The same function serves the main thread and the
 * workers. The job's arguments are read only after a chunk is claimed: until its chunks are
 * completed, the main thread does not write the next job.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typescriptKernels } from "../compute/typescript.ts";
 *
 * // One job of one call (columnSums of a 2×3 A at byte 0 into byte 64), in 1 chunk of rows 0..3.
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const f32 = new Float32Array(memory.buffer);
 * f32.set([1, 2, 3, 4, 5, 6]);
 * const control = new Int32Array(CONTROL.bounds + 2);
 * const args = new Float64Array(CALL_SLOTS);
 * args.set([POOL_KERNELS.indexOf("columnSums"), 2, 0, 3, 64, 0]);
 * control[CONTROL.calls] = 1;
 * control[CONTROL.chunks] = claimWord(5, 1); // job 5: 1 chunk,
 * control.set([0, 3], CONTROL.bounds); // rows 0 to 3
 * control[CONTROL.claim] = claimWord(5, 0); // published
 * runChunks(typescriptKernels(memory), control, args, 5);
 * assert.deepEqual([...f32.subarray(16, 19)], [5, 7, 9]);
 * assert.equal(control[CONTROL.completed], 1);
 * ```
 */
export function runChunks(
  kernels: Kernels,
  control: Int32Array,
  args: Float64Array,
  generation: number,
): void {
  const job = claimWord(generation, 0);
  const chunks = jobChunks(control, generation);
  /** The job's calls, read once this thread has claimed a chunk. */
  let calls: JobCall[] | undefined;
  for (;;) {
    const word = Atomics.load(control, CONTROL.claim);
    const chunk = word - job;
    if (chunk < 0 || chunk >= chunks) return;
    if (Atomics.compareExchange(control, CONTROL.claim, word, word + 1) === word) {
      calls ??= jobCalls(kernels, control, args);
      runChunk(calls, control, chunk, chunks);
    }
  }
}

/** One call of a job: its kernel and its arguments after the chunk's rows. */
interface JobCall {
  run: (...values: number[]) => void;
  values: number[];
}

/**
 * The current job's calls, decoded once per job and thread rather than once per chunk: a job
 * of a training step has up to 4 calls in each of its 8 chunks.
 */
function jobCalls(kernels: Kernels, control: Int32Array, args: Float64Array): JobCall[] {
  return Array.from({ length: control[CONTROL.calls] }, (_, call) => {
    const slots = args.subarray(call * CALL_SLOTS, (call + 1) * CALL_SLOTS);
    const run = kernels[POOL_KERNELS[slots[0]]] as (...values: number[]) => void;
    // Whole numbers as small integers (| 0): read from a Float64Array they would stay
    // doubles, and the TypeScript kernels' index arithmetic would run twice as slow.
    return { run, values: Array.from(slots.subarray(1), (x) => (x | 0) === x ? x | 0 : x) };
  });
}

/**
 * Every call of the current job on chunk `chunk`'s rows; then counts the chunk completed, and
 * the last of the job's `chunks` to complete wakes the thread waiting for the job.
 */
function runChunk(calls: JobCall[], control: Int32Array, chunk: number, chunks: number) {
  const from = control[CONTROL.bounds + chunk], to = control[CONTROL.bounds + chunk + 1];
  try {
    for (const { run, values } of calls) run(from, to, ...values);
  } catch (error) {
    // The thread that waits for the job throws; the cause is only known here.
    console.error(`kernel job failed on rows ${from}-${to}:`, error);
    Atomics.store(control, CONTROL.failed, 1);
  }
  if (Atomics.add(control, CONTROL.completed, 1) + 1 === chunks) {
    Atomics.notify(control, CONTROL.completed);
  }
}

/**
 * Milliseconds to spin before sleeping. Waking a sleeping thread costs tens of µs (the idle
 * core has to be woken too), a sizeable part of a training step, while a spinning one sees a
 * new job within a µs (docs/performance.md). 2 ms covers the gap between two steps' jobs.
 */
export const SPIN_MS = 2;

/**
 * Waits until control[slot] differs from `value`, spinning first; returns the new value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const control = new Int32Array(new SharedArrayBuffer(4 * 64));
 * Atomics.store(control, CONTROL.generation, 4); // already changed: returns at once
 * assert.equal(waitForChange(control, CONTROL.generation, 3), 4);
 * ```
 */
export function waitForChange(control: Int32Array, slot: number, value: number): number {
  const until = performance.now() + SPIN_MS;
  do {
    // The clock is read once per 256 polls: it costs more than a poll.
    for (let i = 0; i < 256; i++) {
      const current = Atomics.load(control, slot);
      if (current !== value) return current;
    }
  } while (performance.now() < until);
  Atomics.wait(control, slot, value);
  return Atomics.load(control, slot);
}
