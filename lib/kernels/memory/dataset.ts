/**
 * The dataset and its batches in a workspace ({@link ./workspace.ts}): the images copied in once
 * (and compressed once, for training), and a batch's order, labels and where its entries start,
 * in the current batch buffers or the spare set.
 *
 * @module
 */

import { runCall } from "../compute/abi.ts";
import { countPixels } from "./arguments.ts";
import type { BatchBuffers, Workspace } from "./workspace.ts";

/**
 * Copies a dataset's images (bytes) into the workspace, once, and counts each one's non-zero
 * pixels: batches are then gathered from them without leaving WebAssembly memory. A workspace
 * made with `stored` also gets every image compressed (3 bytes per non-zero pixel): training
 * batches copy those entries (`gatherImages`) instead of scanning 784 bytes per image again.
 *
 * @example
 * ```ts
 * loadImages(workspace, dataset.images);
 * ```
 */
export function loadImages(workspace: Workspace, images: Uint8Array): void {
  const { layout: L, kernels, shape: { inputs: n } } = workspace;
  workspace.u8.set(images, L.images);
  runCall(kernels, countPixels(workspace), 0, images.length / n);
  if (!L.storedStarts) return;
  // Compressed once, for every batch of the run: where each image starts, then its entries.
  const { i32, u8 } = workspace, u16 = new Uint16Array(workspace.memory.buffer);
  let k = i32[L.storedStarts >> 2] = 0;
  for (let i = 0; i * n < images.length; i++) {
    for (let p = 0; p < n; p++) {
      const pixel = images[i * n + p];
      if (pixel === 0) continue;
      u16[(L.storedPixels >> 1) + k] = p;
      u8[L.storedBytes + k++] = pixel;
    }
    i32[(L.storedStarts >> 2) + i + 1] = k;
  }
}

/**
 * Makes the images at `indices` (and their labels) the current batch (or the batch of the
 * buffers `L`): their order, labels and where each one's entries start. The kernel
 * `compressImages` (or `gatherImages`) then fills the entries, split between threads like the
 * rest of the forward pass. Returns the number of entries.
 *
 * @example
 * ```ts
 * loadBatch(workspace, dataset.labels, indices);
 * runCall(workspace.kernels, compressImages(workspace), 0, indices.length);
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
