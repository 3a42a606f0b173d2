/**
 * Threads for the kernels: Web Workers that share the workspace's memory and run the jobs of
 * {@link ./jobs.ts}, woken through Atomics. The main thread publishes a job and takes chunks of
 * it too ({@linkcode ThreadPool.run}), or leaves it to the workers while it does other work
 * ({@linkcode ThreadPool.start}, then {@linkcode ThreadPool.finish}).
 *
 * Rows are split, never sums: every output element is computed by one thread in one fixed order,
 * so results are bit-identical whatever the number of threads and whoever claims a chunk.
 *
 * @module
 */

import { type Call, type Kernels, runCall } from "../compute/abi.ts";
import { wasmModule } from "../compute/wasm.ts";
import {
  CALL_SLOTS,
  CHUNKS_PER_THREAD,
  claimWord,
  CONTROL,
  jobChunks,
  MAX_CALLS,
  MAX_THREADS,
  POOL_KERNELS,
  runChunks,
  waitForChange,
} from "./jobs.ts";
import type { Workspace } from "../memory/workspace.ts";

/**
 * The main thread plus `threads − 1` workers over one workspace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWorkspace } from "../memory/workspace.ts";
 *
 * const workspace = createWorkspace({
 *   inputs: 4, hidden: 3, classes: 2, images: 1, batch: 4, entries: 16, training: false,
 * }, "typescript");
 * const { layout: L, f32 } = workspace;
 * f32.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], L.A1T >> 2); // A1ᵀ (4×3)
 * const pool = await ThreadPool.create(workspace, 2);
 * // b1 = the column sums of A1ᵀ, its 3 columns split between the threads.
 * pool.run(0, 3, (r) => r, [{ kernel: "columnSums", args: [4, L.A1T, 3, L.b1, 0] }]);
 * pool.close();
 * assert.deepEqual([...f32.subarray(L.b1 >> 2, (L.b1 >> 2) + 3)], [22, 26, 30]);
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
  static async create(
    workspace: Pick<Workspace, "memory" | "kernels">,
    threads: number,
  ): Promise<ThreadPool> {
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
          module: workspace.kernels.name === "wasm-simd" ? wasmModule() : undefined,
          control,
          args,
        });
      })
    ));
    return new ThreadPool(count, workspace.kernels, control, args, workers);
  }

  /**
   * Runs `calls` on the rows [first, first + rows), in chunks of about equal cost (`cost(r)`:
   * the cumulative cost of rows first .. first + r − 1), and returns when all are done. With
   * `meanwhile`, this thread first runs it while the workers start on the chunks, then takes
   * the chunks they have not claimed: other work of about a chunk's size, which must neither
   * write what the calls read nor touch what they write.
   */
  run(
    first: number,
    rows: number,
    cost: (r: number) => number,
    calls: Call[],
    meanwhile?: () => void,
  ): void {
    if (this.workers.length === 0) {
      // This thread alone: the calls run here in turn, as one chunk would, without a job.
      meanwhile?.();
      for (const call of calls) runCall(this.kernels, call, first, first + rows);
      return;
    }
    const chunks = Math.min(rows, this.threads * CHUNKS_PER_THREAD);
    this.start(first, rows, cost, calls, chunks);
    meanwhile?.();
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
    // Each bound: the first row whose cumulative cost reaches its share, found by bisection
    // (cost never decreases), so that a job of many cheap rows is cut as fast as one of few.
    let r = 0;
    for (let c = 1; c < chunks; c++) {
      let high = rows;
      while (r < high) {
        const middle = (r + high) >> 1;
        if (cost(middle) < (total * c) / chunks) r = middle + 1;
        else high = middle;
      }
      control[CONTROL.bounds + c] = first + r;
    }
    control[CONTROL.bounds] = first;
    control[CONTROL.bounds + chunks] = first + rows;
    calls.forEach((call, i) => {
      args[i * CALL_SLOTS] = POOL_KERNELS.indexOf(call.kernel);
      args.set(call.args, i * CALL_SLOTS + 1);
    });
    control[CONTROL.calls] = calls.length;
    Atomics.store(control, CONTROL.chunks, claimWord(generation, chunks));
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
    const chunks = jobChunks(control, Atomics.load(control, CONTROL.generation));
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
    const generation = Atomics.load(control, CONTROL.generation);
    runChunks(this.kernels, control, args, generation);
    if (Atomics.load(control, CONTROL.completed) < jobChunks(control, generation)) {
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
function workersAllowed(workspace: Pick<Workspace, "memory">): boolean {
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
 * import assert from "node:assert/strict";
 *
 * // Rows with 3, 0 and 5 entries: starts 0, 3, 3, 8.
 * const cost = entryCost(Int32Array.from([0, 3, 3, 8]), 0, 0);
 * assert.deepEqual([cost(0), cost(1), cost(2), cost(3)], [0, 4, 5, 11]);
 * ```
 */
export function entryCost(i32: Int32Array, startsIndex: number, first: number) {
  const at = startsIndex + first;
  return (r: number) => i32[at + r] - i32[at] + r;
}
