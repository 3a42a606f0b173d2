/**
 * The next batch, prepared by a worker while this thread computes the current one: its images'
 * entries copied out of the training set compressed once, then transposed for dW1ᵀ. That is
 * the only work of a training step that does not need the weights the step before has just
 * updated, so it can run beside the step. The batch is prepared in the workspace's spare batch
 * buffers; taking it swaps them with the current ones.
 *
 * @module
 */

import { gatherArguments, loadBatch, swapBatches, transposeArguments } from "./batch.ts";
import type { ThreadPool } from "./pool.ts";
import type { Workspace } from "./workspace.ts";

/** A batch being prepared on a pool's workers; see {@linkcode nextBatch}. */
export interface NextBatch {
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
}

/**
 * Prepares batches of `labels`'s dataset in `workspace` (made with `spare` and `stored`) on
 * `pool`'s workers.
 *
 * @example
 * ```ts
 * const next = nextBatch(workspace, pool, labels);
 * next.prepare(order.subarray(128, 256));
 * // … compute the current step on this thread …
 * if (!next.take(order.subarray(128, 256), false)) loadBatch(workspace, labels, indices);
 * ```
 */
export function nextBatch(workspace: Workspace, pool: ThreadPool, labels: Uint8Array): NextBatch {
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
        { kernel: "gatherImages", args: gatherArguments(workspace, spare) },
        { kernel: "transposeSparse", args: transposeArguments(workspace, 0, spare) },
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
  };
}
