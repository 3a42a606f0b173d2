/**
 * Threads for the kernels: Web Workers that share the workspace's memory and wait on Atomics.
 * A postMessage per kernel call would cost more than the call itself (tens of microseconds),
 * so the main thread writes each job into a small shared control block and wakes the workers
 * with Atomics.notify. A job's rows are cut into chunks of about equal work, and every thread,
 * the main one included, claims chunks with Atomics.add until none are left: a thread that the
 * operating system has paused (the machine is busy) simply claims fewer.
 *
 * Rows are split, never sums: every output element is computed by one thread in one fixed order,
 * so results are bit-identical whatever the number of threads and whoever claims a chunk.
 *
 * @module
 */

import type { KernelName, Kernels } from "./abi.ts";
import type { Workspace } from "./workspace.ts";

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
];

/** One kernel call in a job: the kernel and its arguments after (from, to). */
export interface Call {
  kernel: KernelName;
  args: number[];
}

/**
 * Slots of the Int32 control block: the job's generation (bumped to wake the workers), the claim
 * word, chunks completed, stop and failure flags, the numbers of calls and chunks, then the
 * chunks' row bounds.
 *
 * The claim word is the job's generation (low 23 bits, shifted left by 8) plus the next chunk
 * to claim (8 bits). A thread claims a chunk by raising it with compareExchange, and only if
 * the generation in it is the job the thread was woken for: a thread that the system paused
 * between two jobs can never take a chunk of the next one by mistake.
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
const MAX_CALLS = 4;
/** Chunks per thread in a job: enough for a paused thread's share to be taken over. */
export const CHUNKS_PER_THREAD = 4;
/** Bits of the claim word that count chunks: at most 255 chunks, so 63 threads. */
const CHUNK_BITS = 8;
const MAX_THREADS = 63;

/**
 * The claim word of job `generation` once `claimed` of its chunks are taken.
 *
 * @example
 * ```ts
 * claimWord(3, 0); // 768: job 3, nothing claimed yet
 * ```
 */
export function claimWord(generation: number, claimed: number): number {
  return ((generation & 0x7fffff) << CHUNK_BITS) + claimed;
}

/**
 * Claims and runs chunks of job `generation` until none are left: every call of the job on the
 * chunk's rows [bounds[c], bounds[c + 1]). The same function serves the main thread and the
 * workers. The job's arguments are read only after a chunk is claimed: until its chunks are
 * completed, the main thread does not write the next job.
 *
 * @example
 * ```ts
 * runChunks(kernels, control, args, Atomics.load(control, CONTROL.generation));
 * ```
 */
export function runChunks(
  kernels: Kernels,
  control: Int32Array,
  args: Float64Array,
  generation: number,
): void {
  const job = claimWord(generation, 0);
  for (;;) {
    const word = Atomics.load(control, CONTROL.claim);
    const chunk = word - job;
    if (chunk < 0 || chunk >= Atomics.load(control, CONTROL.chunks)) return;
    if (Atomics.compareExchange(control, CONTROL.claim, word, word + 1) === word) {
      runChunk(kernels, control, args, chunk);
    }
  }
}

/** Every call of the current job on chunk `chunk`'s rows; then counts the chunk completed. */
function runChunk(kernels: Kernels, control: Int32Array, args: Float64Array, chunk: number) {
  const from = control[CONTROL.bounds + chunk], to = control[CONTROL.bounds + chunk + 1];
  try {
    for (let call = 0; call < control[CONTROL.calls]; call++) {
      const slots = args.subarray(call * CALL_SLOTS, (call + 1) * CALL_SLOTS);
      const run = kernels[POOL_KERNELS[slots[0]]] as (...values: number[]) => void;
      // Whole numbers as small integers (| 0): read from a Float64Array they would stay
      // doubles, and the TypeScript kernels' index arithmetic would run twice as slow.
      run(from, to, ...Array.from(slots.subarray(1), (x) => (x | 0) === x ? x | 0 : x));
    }
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  Atomics.add(control, CONTROL.completed, 1);
  Atomics.notify(control, CONTROL.completed);
}

/**
 * Milliseconds to spin before sleeping. Waking a sleeping thread costs tens of µs (measured
 * ~37 µs here: the idle core has to be woken too), about a tenth of a training step, while a
 * spinning one sees a new job within a µs. 2 ms covers the gap between two steps' jobs.
 */
export const SPIN_MS = 2;

/**
 * Waits until control[slot] differs from `value`, spinning first; returns the new value.
 *
 * @example
 * ```ts
 * generation = waitForChange(control, CONTROL.generation, generation);
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

/**
 * The main thread plus `threads − 1` workers over one workspace.
 *
 * @example
 * ```ts
 * const pool = await ThreadPool.create(workspace, 2);
 * pool.run(0, 128, (r) => r, [{ kernel: "outputLayer", args: [...] }]);
 * pool.close();
 * ```
 */
export class ThreadPool {
  private constructor(
    readonly threads: number,
    private readonly kernels: Kernels,
    private readonly control: Int32Array,
    private readonly args: Float64Array,
    private readonly workers: Worker[],
  ) {}

  /**
   * Starts the workers. Where they cannot start (Deno without read permission for the worker's
   * module, no SharedArrayBuffer), the pool has one thread and runs everything on the caller's.
   */
  static async create(workspace: Workspace, threads: number): Promise<ThreadPool> {
    const count = workersAllowed(workspace)
      ? Math.min(MAX_THREADS, Math.max(1, Math.floor(threads)))
      : 1;
    const maxChunks = count * CHUNKS_PER_THREAD;
    const control = new Int32Array(new SharedArrayBuffer((CONTROL.bounds + maxChunks + 1) * 4));
    const args = new Float64Array(new SharedArrayBuffer(MAX_CALLS * CALL_SLOTS * 8));
    const workers = Array.from(
      { length: count - 1 },
      () => new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" }),
    );
    await Promise.all(workers.map((worker) =>
      new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => reject(new Error(`kernel worker failed: ${event.message}`));
        worker.postMessage({
          memory: workspace.memory,
          kernels: workspace.kernels.name,
          control,
          args,
        });
      })
    ));
    return new ThreadPool(count, workspace.kernels, control, args, workers);
  }

  /**
   * Runs `calls` on the rows [first, first + rows), in chunks of about equal cost (`cost(r)`:
   * the cumulative cost of rows first .. first + r − 1), and returns when all are done.
   */
  run(first: number, rows: number, cost: (r: number) => number, calls: Call[]): void {
    const chunks = this.workers.length === 0 ? 1 : Math.min(rows, this.threads * CHUNKS_PER_THREAD);
    this.start(first, rows, cost, calls, chunks);
    this.finish();
  }

  /**
   * Publishes the same job as {@linkcode ThreadPool.run} in `chunks` chunks, for the workers
   * alone, and returns at once: the caller goes on with other work (which must not touch what
   * the job writes, and must not use this pool) and later calls
   * {@linkcode ThreadPool.finish}. With one chunk the whole job is one call of each kernel.
   */
  start(first: number, rows: number, cost: (r: number) => number, calls: Call[], chunks: number) {
    const { control, args } = this;
    const generation = control[CONTROL.generation] + 1;
    const total = cost(rows);
    let r = 0;
    for (let c = 1; c < chunks; c++) {
      while (r < rows && cost(r) < (total * c) / chunks) r++;
      control[CONTROL.bounds + c] = first + r;
    }
    control[CONTROL.bounds] = first;
    control[CONTROL.bounds + chunks] = first + rows;
    calls.forEach((call, i) => {
      args[i * CALL_SLOTS] = POOL_KERNELS.indexOf(call.kernel);
      args.set(call.args, i * CALL_SLOTS + 1);
    });
    control[CONTROL.calls] = calls.length;
    Atomics.store(control, CONTROL.chunks, chunks);
    Atomics.store(control, CONTROL.completed, 0);
    Atomics.store(control, CONTROL.claim, claimWord(generation, 0));
    Atomics.store(control, CONTROL.generation, generation);
    if (this.workers.length > 0) Atomics.notify(control, CONTROL.generation);
  }

  /**
   * Returns when the job last started is done. The calling thread first takes the chunks no
   * worker has claimed yet, so a job finishes even when every worker is busy or paused.
   */
  finish(): void {
    if (this.tryFinish()) return;
    const { control } = this;
    const chunks = Atomics.load(control, CONTROL.chunks);
    let completed = Atomics.load(control, CONTROL.completed);
    while (completed < chunks) completed = waitForChange(control, CONTROL.completed, completed);
    this.checkFailures();
  }

  /**
   * Whether the job last started is done, without waiting for the workers: the calling thread
   * runs the chunks no worker has claimed yet, then looks whether the claimed ones are done.
   */
  tryFinish(): boolean {
    const { control, args } = this;
    runChunks(this.kernels, control, args, Atomics.load(control, CONTROL.generation));
    if (Atomics.load(control, CONTROL.completed) < Atomics.load(control, CONTROL.chunks)) {
      return false;
    }
    this.checkFailures();
    return true;
  }

  private checkFailures(): void {
    if (Atomics.load(this.control, CONTROL.failed)) {
      throw new Error("a kernel failed in a worker");
    }
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    for (const worker of this.workers) worker.terminate();
  }
}

/** Workers need shared memory and, under Deno, permission to read their module's file. */
function workersAllowed(workspace: Workspace): boolean {
  if (!(workspace.memory.buffer instanceof SharedArrayBuffer)) return false;
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  const url = new URL("./worker.ts", import.meta.url);
  if (!deno || url.protocol !== "file:") return true;
  return deno.permissions.querySync({ name: "read", path: url }).state === "granted";
}

/**
 * The cost function for {@linkcode ThreadPool.run} over sparse rows: rows first .. first + r − 1
 * cost their entries (from the compressed rows' `starts`, read in the workspace's Int32 view at
 * `startsIndex`) plus one each.
 *
 * @example
 * ```ts
 * pool.run(0, m, entryCost(workspace.i32, layout.starts >> 2, 0), calls);
 * ```
 */
export function entryCost(i32: Int32Array, startsIndex: number, first: number) {
  const at = startsIndex + first;
  return (r: number) => i32[at + r] - i32[at] + r;
}
