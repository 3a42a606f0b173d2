/**
 * The dataset and its batches in a workspace ({@link ./workspace.ts}): the images copied in once
 * (and compressed once, for training), and a batch's order, labels and where its entries start,
 * in the current batch buffers or the spare set.
 *
 * @module
 */

import { runCall } from "../compute/abi.ts";
import { countPixels, storeImages } from "./arguments.ts";
import type { BatchBuffers, Workspace } from "./workspace.ts";

/**
 * Copies a dataset's images (bytes) into the workspace, once, and counts each one's non-zero
 * pixels: batches are then gathered from them without leaving WebAssembly memory. A workspace
 * made with `stored` also gets every image compressed (3 bytes per non-zero pixel): training
 * batches copy those entries (`gatherImages`) instead of scanning 784 bytes per image again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 3, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * loadImages(workspace, new Uint8Array([0, 5, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4]));
 * const { i32, layout: L } = workspace;
 * assert.deepEqual([...i32.subarray(L.counts >> 2, (L.counts >> 2) + 3)], [2, 0, 4]);
 * ```
 */
export function loadImages(workspace: Workspace, images: Uint8Array): void {
  const { layout: L, kernels, shape: { inputs: n } } = workspace;
  workspace.u8.set(images, L.images);
  runCall(kernels, countPixels(workspace), 0, images.length / n);
  if (!L.storedStarts) return;
  // Compressed once, for every batch of the run: where each image starts, then its entries.
  const { i32 } = workspace, counts = L.counts >> 2, starts = L.storedStarts >> 2;
  i32[starts] = 0;
  for (let i = 0; i * n < images.length; i++) {
    i32[starts + i + 1] = i32[starts + i] + i32[counts + i];
  }
  runCall(kernels, storeImages(workspace), 0, images.length / n);
}

/**
 * The number of non-zero bytes in `bytes`: the room the images need compressed once
 * (`stored`). Four bytes at a time, without a branch: in each byte of a 32-bit word, adding
 * 0x7f to its low seven bits sets its top bit unless they were all zero, and or-ing in the
 * byte itself sets it when the byte's own top bit was set; so the top bits left mark the
 * non-zero bytes, and shifted down they count them in four byte-wide lanes, added up every 255
 * words, before a lane can overflow. It runs before every training run, over all the training
 * images (docs/performance.md has what branching on each byte cost).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(countNonZero(new Uint8Array([0, 0, 0, 0, 3, 0, 255, 0, 0, 1])), 3);
 * ```
 */
export function countNonZero(bytes: Uint8Array): number {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes.length >> 2 : 0;
  const words = aligned
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, aligned)
    : new Uint32Array(0);
  let count = 0;
  for (let start = 0; start < words.length; start += 255) {
    const end = Math.min(start + 255, words.length);
    let lanes = 0; // byte k counts the words whose byte k is not zero
    for (let w = start; w < end; w++) {
      const word = words[w];
      lanes += ((((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word) >>> 7) & 0x01010101;
    }
    count += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
  }
  for (let p = aligned * 4; p < bytes.length; p++) if (bytes[p] !== 0) count++;
  return count;
}

/**
 * Makes the images at `indices` (and their labels) the current batch (or the batch of the
 * buffers `L`): their order, labels and where each one's entries start. The kernel
 * `compressImages` (or `gatherImages`) then fills the entries, split between threads like the
 * rest of the forward pass. Returns the number of entries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 3, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * import { runCall } from "../compute/abi.ts";
 * import { compressImages } from "./arguments.ts";
 *
 * loadImages(workspace, new Uint8Array([0, 5, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4]));
 * const entries = loadBatch(workspace, new Uint8Array([7, 8, 9]), [2, 0]);
 * assert.equal(entries, 6); // 4 + 2 non-zero pixels
 * runCall(workspace.kernels, compressImages(workspace), 0, 2);
 * const { i32, u8, layout: L } = workspace;
 * assert.deepEqual([...u8.subarray(L.labels, L.labels + 2)], [9, 7]);
 * assert.deepEqual([...i32.subarray(L.indices >> 2, (L.indices >> 2) + 6)], [0, 1, 2, 3, 1, 3]);
 * ```
 */
export function loadBatch(
  workspace: Workspace,
  labels: Uint8Array | undefined,
  indices: ArrayLike<number>,
  L: BatchBuffers = workspace.layout,
): number {
  const { u8, i32 } = workspace;
  const starts = L.starts >> 2;
  i32[starts] = 0;
  for (let j = 0; j < indices.length; j++) {
    i32[(L.order >> 2) + j] = indices[j];
    i32[starts + j + 1] = i32[starts + j] + i32[(workspace.layout.counts >> 2) + indices[j]];
    if (labels) u8[L.labels + j] = labels[indices[j]];
  }
  return i32[starts + indices.length];
}
