/**
 * What the threads beyond the first do during a training step: the trainer asks
 * {@linkcode SecondThread.begin} at the start of every step which pool runs the step's products
 * and whether the batch is already loaded, and knows nothing else of how the threads are used.
 * Removing or replacing a way touches this file only. The ways:
 *
 * - **split**: every product of the step is split between all the threads, by rows. With one
 *   thread (a single core, or workers not allowed) it is the plain single-thread step.
 * - **next-batch**: this thread computes the whole step while a worker prepares the next batch
 *   (copies its images' entries out of the training set compressed once, then transposes them
 *   for dW1ᵀ): the only work of a step that does not need the weights the step before has just
 *   updated. The batch is prepared in the workspace's spare batch buffers; taking it swaps them
 *   with the current ones. A batch not ready in time is not waited for: this thread loads it.
 * - **tuned** (the default): a {@linkcode StepTuner} times both, and this thread alone (the
 *   worker left idle, so that it sleeps and leaves its core to others), in interleaved visits
 *   now and then, and runs the fastest, this thread alone unless another way is clearly faster;
 *   on a machine shared with other work the fastest one changes (docs/performance.md).
 *
 * Every way gives the same numbers, bit for bit: rows are split, never sums.
 *
 * @module
 */

import { gatherImages, transposeSparse } from "../memory/arguments.ts";
import { loadBatch } from "../memory/dataset.ts";
import { type BatchBuffers, BLOCK, type Workspace } from "../memory/workspace.ts";
import { ThreadPool } from "./pool.ts";
import { StepTuner } from "./tuner.ts";

/** The ways to use the threads beyond the first; see the module comment. */
export type SecondThreadChoice = "split" | "next-batch" | "tuned";

/** The choices, for option parsing and tests. */
export const SECOND_THREAD_CHOICES: readonly SecondThreadChoice[] = [
  "split",
  "next-batch",
  "tuned",
];

/** What a step runs on, from {@linkcode SecondThread.begin}. */
export interface StepPlan {
  /** The pool that runs the step's products. */
  pool: ThreadPool;
  /** Whether the batch asked for is already the current batch, entries and transpose included. */
  loaded: boolean;
}

/** One way of using the threads beyond the first, for the steps of one trainer. */
export interface SecondThread {
  /** The threads and the way, for reports, e.g. "2 threads (one preparing the next batch)". */
  readonly description: string;
  /**
   * Called at the start of every step that will train on the images at `indices`; `next`, when
   * known, is the batch the following step will ask for (both read during the call only).
   */
  begin(indices: Int32Array, next: Int32Array | undefined): StepPlan;
  /**
   * Called when the step's update is done. A step is timed from `begin` to here: what happens
   * between steps (evaluating the validation set after an epoch, say) is not the step's.
   */
  end(): void;
  /**
   * Waits for the batch a worker may still be preparing and drops it: called before the
   * training images change, so that no batch copied from the old ones is taken later.
   */
  discard(): void;
  /** Stops the worker threads. */
  close(): void;
}

/**
 * Whether `choice` needs the workspace's spare batch buffers and the training set compressed
 * once: every way but split does, for batches of one block (512 images) on more than one thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(needsSpareBatch("tuned", 2, 128), true);
 * assert.equal(needsSpareBatch("tuned", 1, 128), false); // one thread: nothing to pipeline
 * assert.equal(needsSpareBatch("next-batch", 2, 1024), false); // a batch of two blocks
 * ```
 */
export function needsSpareBatch(choice: SecondThreadChoice, threads: number, batch: number) {
  return choice !== "split" && threads > 1 && batch <= BLOCK;
}

/**
 * Starts `threads` threads over `workspace` and returns the way `choice` of using them. Without
 * the spare batch buffers (see {@linkcode needsSpareBatch}), or where workers cannot start, the
 * way is split.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadImages } from "../memory/dataset.ts";
 * import { createWorkspace } from "../memory/workspace.ts";
 *
 * // 64 images of 784 pixels, every 4th pixel lit, labelled 0-9 in turn.
 * const count = 64;
 * const images = Uint8Array.from({ length: count * 784 }, (_, p) => (p % 4 ? 0 : (p * 7) % 256));
 * const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
 * const trainSet = { images, labels, count, source: "example" };
 * const workspace = createWorkspace({
 *   inputs: 784, hidden: 8, classes: 10, images: count, batch: 16, entries: 16 * 784,
 *   training: true, stored: images.filter((pixel) => pixel !== 0).length, spare: true,
 * }, "wasm");
 * loadImages(workspace, images);
 * const secondThread = await createSecondThread("next-batch", workspace, 2, labels);
 * // (Where workers cannot start, the way is split and no batch is ever prepared.)
 * assert.equal(secondThread.description, "2 threads (one preparing the next batch)");
 * const first = Int32Array.from({ length: 16 }, (_, j) => j);
 * const second = first.map((j) => j + 16);
 * assert.equal(secondThread.begin(first, second).loaded, false); // nothing prepared yet
 * // … the step computes on this thread while a worker prepares `second` …
 * while (!secondThread.begin(second, undefined).loaded); // taken once the worker is done
 * // New training images: a batch still being prepared from the old ones is dropped.
 * secondThread.begin(second, first);
 * secondThread.discard();
 * assert.equal(secondThread.begin(first, undefined).loaded, false);
 * secondThread.close();
 * ```
 */
export async function createSecondThread(
  choice: SecondThreadChoice,
  workspace: Workspace,
  threads: number,
  labels: Uint8Array,
): Promise<SecondThread> {
  const pool = await ThreadPool.create(workspace, threads);
  const threadsText = `${pool.threads} thread${pool.threads > 1 ? "s" : ""}`;
  if (choice === "split" || pool.threads === 1 || !workspace.layout.spare) {
    return {
      description: threadsText,
      begin: () => ({ pool, loaded: false }),
      end: () => {},
      discard: () => {},
      close: () => pool.close(),
    };
  }
  // Pipelined steps compute on this thread alone (a pool without workers), while the pool's
  // workers prepare the next batch.
  const local = await ThreadPool.create(workspace, 1);
  const upcoming = nextBatch(workspace, pool, labels);
  const close = () => {
    pool.close();
    local.close();
  };
  const pipelined = (indices: Int32Array, next: Int32Array | undefined): StepPlan => {
    // A batch not ready yet (the system may have paused the worker) is not waited for: this
    // thread loads it itself, and announces none until the worker is done.
    const loaded = upcoming.busy && upcoming.take(indices, false);
    if (next && !upcoming.busy) upcoming.prepare(next);
    return { pool: local, loaded };
  };
  if (choice === "next-batch") {
    return {
      description: `${threadsText} (one preparing the next batch)`,
      begin: pipelined,
      end: () => {},
      discard: () => upcoming.discard(),
      close,
    };
  }
  const tuner = new StepTuner(["next-batch", "split", "alone"] as const, { fallback: "alone" });
  /** When the step now running began; undefined between steps. */
  let started: number | undefined;
  return {
    description: `${threadsText} (the next batch prepared, the products split or one thread ` +
      `alone, whichever is fastest)`,
    begin(indices, next) {
      started = performance.now(); // a forward pass without an update is not timed
      if (tuner.way === "next-batch") return pipelined(indices, next);
      // Split or alone: a batch the workers are preparing is finished first (split needs them;
      // alone gives them nothing more, so they fall asleep).
      const loaded = upcoming.busy && upcoming.take(indices, true);
      return { pool: tuner.way === "split" ? pool : local, loaded };
    },
    end() {
      if (started !== undefined) tuner.record(performance.now() - started);
      started = undefined;
    },
    discard: () => upcoming.discard(),
    close,
  };
}

/** A batch being prepared on a pool's workers; see {@linkcode nextBatch}. */
interface NextBatch {
  /** Whether a batch is being prepared, or prepared and neither taken nor dropped yet. */
  readonly busy: boolean;
  /**
   * Starts preparing the images at `indices` (read during the call only) on the pool's workers;
   * the pool must not be used for anything else until {@linkcode NextBatch.take} returns.
   */
  prepare(indices: Int32Array): void;
  /**
   * Makes the prepared batch the current one if it is done and holds exactly the images at
   * `indices`; returns whether it did. A batch of other images is dropped. `wait`: wait for the
   * workers; without it a batch not done yet stays busy and this returns false.
   */
  take(indices: Int32Array, wait: boolean): boolean;
  /** Waits for the batch being prepared, if any, and drops it. */
  discard(): void;
}

/**
 * Prepares batches of `labels`'s dataset in `workspace` (made with `spare` and `stored`) on
 * `pool`'s workers.
 */
function nextBatch(workspace: Workspace, pool: ThreadPool, labels: Uint8Array): NextBatch {
  const { layout: L, i32 } = workspace;
  /** Images in the batch being prepared (0: none). */
  let preparing = 0;
  const holds = (indices: Int32Array) => {
    if (preparing !== indices.length) return false;
    const order = L.spare!.order >> 2;
    for (let j = 0; j < indices.length; j++) if (i32[order + j] !== indices[j]) return false;
    return true;
  };
  return {
    get busy() {
      return preparing > 0;
    },
    prepare(indices) {
      const spare = L.spare!;
      loadBatch(workspace, labels, indices, spare);
      // One chunk: the whole batch is gathered, then transposed, by whichever thread takes it.
      pool.start(0, indices.length, (r) => r, [
        gatherImages(workspace, spare),
        transposeSparse(workspace, 0, spare),
      ], 1);
      preparing = indices.length;
    },
    take(indices, wait) {
      if (!preparing) return false;
      if (wait) pool.finish();
      else if (!pool.tryFinish()) return false;
      const taken = holds(indices);
      if (taken) swapBatches(workspace);
      preparing = 0;
      return taken;
    },
    discard() {
      if (preparing) pool.finish();
      preparing = 0;
    },
  };
}

/**
 * Makes the spare batch buffers the current ones and the current ones spare: the batch
 * prepared in the spare set becomes the batch the kernels work on.
 */
function swapBatches(workspace: Workspace): void {
  const L = workspace.layout, spare = L.spare!;
  for (const key of BATCH_BUFFERS) [L[key], spare[key]] = [spare[key], L[key]];
}

const BATCH_BUFFERS: readonly (keyof BatchBuffers)[] = [
  "order",
  "labels",
  "starts",
  "indices",
  "values",
  "startsT",
  "indicesT",
  "valuesT",
  "cursor",
];
