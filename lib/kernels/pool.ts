/**
 * Threads for the kernels: Web Workers that share the workspace's memory and wait on Atomics.
 * A postMessage per kernel call would cost more than the call itself (tens of microseconds),
 * so the main thread writes each job into a small shared control block, wakes the workers with
 * Atomics.notify, does its own share of the rows, and waits until every worker has done its.
 *
 * Rows are split, never sums: every output element is computed by one thread in one fixed order,
 * so results are bit-identical whatever the number of threads.
 *
 * @module
 */

import type { KernelName, Kernels } from "./abi.ts";
import type { Workspace } from "./workspace.ts";

/** The kernels a job may call, by their index in the control block. */
export const POOL_KERNELS: readonly KernelName[] = [
  "compressImages",
  "sparseTimesDense",
  "outputLayer",
  "hiddenGradient",
  "transposedProduct",
  "columnSums",
];

/** One kernel call in a job: the kernel and its arguments after (from, to). */
export interface Call {
  kernel: KernelName;
  args: number[];
}

/** Slots of the Int32 control block. */
export const CONTROL = { generation: 0, done: 1, stop: 2, failed: 3, calls: 4, bounds: 5 } as const;
/** Argument slots per call in the Float64 argument block: kernel index, then its arguments. */
export const CALL_SLOTS = 16;
const MAX_CALLS = 4;

/**
 * Runs one thread's share of the job in the control block: every call on the rows
 * [bounds[thread], bounds[thread + 1]). The same function serves the main thread and workers.
 */
export function runShare(
  kernels: Kernels,
  control: Int32Array,
  args: Float64Array,
  thread: number,
) {
  const from = control[CONTROL.bounds + thread], to = control[CONTROL.bounds + thread + 1];
  for (let call = 0; call < control[CONTROL.calls]; call++) {
    const slots = args.subarray(call * CALL_SLOTS, (call + 1) * CALL_SLOTS);
    const run = kernels[POOL_KERNELS[slots[0]]] as (...values: number[]) => void;
    run(from, to, ...slots.subarray(1));
  }
}

/** Spins this many times before sleeping: a wake-up from Atomics.wait takes tens of µs. */
export const SPIN = 10000;

/** Waits until control[slot] differs from `value`, spinning first; returns the new value. */
export function waitForChange(control: Int32Array, slot: number, value: number): number {
  for (let i = 0; i < SPIN; i++) {
    const current = Atomics.load(control, slot);
    if (current !== value) return current;
  }
  Atomics.wait(control, slot, value);
  return Atomics.load(control, slot);
}

/**
 * The main thread plus `threads − 1` workers over one workspace.
 *
 * @example
 * ```ts
 * const pool = await ThreadPool.create(workspace, 2);
 * pool.run([0, 64, 128], [{ kernel: "outputLayer", args: [...] }]);
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
    const count = workersAllowed(workspace) ? Math.max(1, Math.floor(threads)) : 1;
    const control = new Int32Array(new SharedArrayBuffer((CONTROL.bounds + count + 1) * 4));
    const args = new Float64Array(new SharedArrayBuffer(MAX_CALLS * CALL_SLOTS * 8));
    const workers = Array.from(
      { length: count - 1 },
      () => new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" }),
    );
    await Promise.all(workers.map((worker, i) =>
      new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => reject(new Error(`kernel worker failed: ${event.message}`));
        worker.postMessage({
          memory: workspace.memory,
          kernels: workspace.kernels.name,
          control,
          args,
          thread: i + 1,
        });
      })
    ));
    return new ThreadPool(count, workspace.kernels, control, args, workers);
  }

  /**
   * Runs `calls` on every thread, thread t on rows [bounds[t], bounds[t + 1]), and returns when
   * all are done. `bounds` has threads + 1 entries.
   */
  run(bounds: ArrayLike<number>, calls: Call[]): void {
    const { control, args } = this;
    for (let t = 0; t <= this.threads; t++) control[CONTROL.bounds + t] = bounds[t];
    calls.forEach((call, i) => {
      args[i * CALL_SLOTS] = POOL_KERNELS.indexOf(call.kernel);
      args.set(call.args, i * CALL_SLOTS + 1);
    });
    control[CONTROL.calls] = calls.length;
    if (this.workers.length === 0) return runShare(this.kernels, control, args, 0);
    Atomics.store(control, CONTROL.done, 0);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    runShare(this.kernels, control, args, 0);
    let done = Atomics.load(control, CONTROL.done);
    while (done < this.workers.length) done = waitForChange(control, CONTROL.done, done);
    if (Atomics.load(control, CONTROL.failed)) throw new Error("a kernel failed in a worker");
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
 * Split points that give each thread about the same work: rows [first, first + rows) where
 * row r costs its entries (starts[r+1] − starts[r], read from the workspace's Int32 view at
 * `startsIndex`) plus one.
 *
 * @example
 * ```ts
 * balancedBounds(workspace.i32, layout.starts >> 2, 0, 128, 2); // [0, 61, 128] or so
 * ```
 */
export function balancedBounds(
  i32: Int32Array,
  startsIndex: number,
  first: number,
  rows: number,
  threads: number,
): Int32Array {
  const bounds = new Int32Array(threads + 1);
  const at = startsIndex + first;
  const cost = (r: number) => i32[at + r] - i32[at] + r;
  const total = cost(rows);
  let r = 0;
  for (let t = 1; t < threads; t++) {
    while (r < rows && cost(r) < (total * t) / threads) r++;
    bounds[t] = first + r;
  }
  bounds[0] = first;
  bounds[threads] = first + rows;
  return bounds;
}
