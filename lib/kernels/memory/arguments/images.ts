/**
 * The calls that bring a batch's images to the kernels: each image's non-zero pixels counted,
 * compressed or gathered into the batch's entries (Xᵀ by image), and transposed (X by pixel).
 * Part of {@link ../arguments.ts}, the one place that turns a workspace into kernel arguments.
 *
 * @module
 */

import { type Call } from "../../compute/abi.ts";
import { type BatchBuffers, BLOCK, type Workspace } from "../workspace.ts";

/**
 * counts[i] = the non-zero pixels of image i, over the rows (images) of the dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * workspace.u8.set([0, 7, 0, 9, 1, 2, 3, 0], L.images);
 * runCall(workspace.kernels, countPixels(workspace), 0, 2);
 * assert.deepEqual([...i32.subarray(L.counts >> 2, (L.counts >> 2) + 2)], [2, 3]);
 * ```
 */
export function countPixels(workspace: Workspace): Call<"countPixels"> {
  const { layout: L, shape: { inputs: n } } = workspace;
  return { kernel: "countPixels", args: [L.images, n, L.counts] };
}

/**
 * The batch's entries (pixel, value) scanned from its images' bytes, over the batch's rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * workspace.u8.set([0, 255, 0, 51], L.images); // image 0
 * i32.set([0], L.order >> 2); // the batch: image 0
 * i32.set([0, 2], L.starts >> 2); // its 2 entries start at 0
 * runCall(workspace.kernels, compressImages(workspace), 0, 1);
 * assert.deepEqual([...i32.subarray(L.indices >> 2, (L.indices >> 2) + 2)], [1, 3]);
 * assert.deepEqual([...f32.subarray(L.values >> 2, (L.values >> 2) + 2)], [1, Math.fround(0.2)]);
 * ```
 */
export function compressImages(
  workspace: Workspace,
  batch: BatchBuffers = workspace.layout,
): Call<"compressImages"> {
  const { layout: L, shape: { inputs: n } } = workspace;
  const { order, starts, indices, values } = batch;
  return { kernel: "compressImages", args: [L.images, order, n, L.scale, starts, indices, values] };
}

/**
 * The batch's entries copied from the training set compressed once (a workspace made with
 * `stored`), over the batch's rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * const call = gatherImages(workspace);
 * assert.equal(call.kernel, "gatherImages");
 * assert.deepEqual(call.args.slice(5), [L.starts, L.indices, L.values]); // where it writes
 * ```
 */
export function gatherImages(
  workspace: Workspace,
  batch: BatchBuffers = workspace.layout,
): Call<"gatherImages"> {
  const { storedStarts, storedPixels, storedBytes, scale } = workspace.layout;
  const { order, starts, indices, values } = batch;
  return {
    kernel: "gatherImages",
    args: [order, storedStarts, storedPixels, storedBytes, scale, starts, indices, values],
  };
}

/**
 * The dataset compressed once (a workspace made with `stored`), over the rows (images) of the
 * dataset: each image's non-zero pixels and bytes from storedStarts[i] on, for `gatherImages`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * // 2 images of 4 pixels with 2 and 3 non-zero pixels.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true, stored: 5 }, "wasm");
 * const { layout: L, i32, u8 } = workspace;
 * u8.set([0, 7, 0, 9, 1, 2, 3, 0], L.images);
 * i32.set([0, 2, 5], L.storedStarts >> 2); // the prefix sums of the counts
 * runCall(workspace.kernels, storeImages(workspace), 0, 2);
 * const pixels = new Uint16Array(workspace.memory.buffer, L.storedPixels, 5);
 * assert.deepEqual([...pixels], [1, 3, 0, 1, 2]);
 * assert.deepEqual([...u8.subarray(L.storedBytes, L.storedBytes + 5)], [7, 9, 1, 2, 3]);
 * ```
 */
export function storeImages(workspace: Workspace): Call<"storeImages"> {
  const { layout: L, shape: { inputs: n } } = workspace;
  return {
    kernel: "storeImages",
    args: [L.images, n, L.storedStarts, L.storedPixels, L.storedBytes],
  };
}

/**
 * X in compressed rows per pixel for block `block` of the batch (images block·BLOCK onwards),
 * dW1ᵀ's input: each block's transpose has its own starts and follows the entries of the blocks
 * before it. Rows: the block's images, numbered as in the batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * // Block 0 of the batch: its transpose starts at the layout's own buffers.
 * const call = transposeSparse(workspace, 0);
 * const { starts, indices, values, startsT, indicesT, valuesT } = L;
 * const expected = [4, starts, indices, values, startsT, indicesT, valuesT];
 * assert.deepEqual(call.args.slice(0, 7), expected);
 * ```
 */
export function transposeSparse(
  workspace: Workspace,
  block: number,
  batch: BatchBuffers = workspace.layout,
): Call<"transposeSparse"> {
  const { i32, shape: { inputs: n } } = workspace;
  const { starts, indices, values, startsT, indicesT, valuesT, cursor } = batch;
  const entriesBefore = i32[(starts >> 2) + block * BLOCK];
  return {
    kernel: "transposeSparse",
    args: [
      n,
      starts,
      indices,
      values,
      startsT + block * (n + 1) * 4,
      indicesT + entriesBefore * 4,
      valuesT + entriesBefore * 4,
      cursor,
    ],
  };
}
