/**
 * The dataset and its batches in a workspace ({@link ./workspace.ts}): the images copied in once
 * (and compressed once, for training), a batch's order, labels and entries, and the spare set
 * of batch buffers in which the next batch is prepared while the current one is computed.
 *
 * @module
 */

import { type BatchBuffers, BLOCK, type Workspace } from "./workspace.ts";

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
  kernels.countPixels(0, images.length / n, L.images, n, L.counts);
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
 * buffers `L`): their order, labels and where each one's entries start. The kernel `compressImages` then fills the entries, split
 * between threads like the rest of the forward pass. Returns the number of entries.
 *
 * @example
 * ```ts
 * loadBatch(workspace, dataset.labels, indices);
 * workspace.kernels.compressImages(0, indices.length, ...);
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

/**
 * The arguments of `compressImages` after (from, to), for the current batch.
 *
 * @example
 * ```ts
 * workspace.kernels.compressImages(0, m, ...compressArguments(workspace));
 * ```
 */
export function compressArguments(
  workspace: Workspace,
): [number, number, number, number, number, number, number] {
  const { layout: L, shape: { inputs: n } } = workspace;
  return [L.images, L.order, n, L.scale, L.starts, L.indices, L.values];
}

/**
 * The arguments of `gatherImages` after (from, to), for the current batch or the batch of the
 * buffers `batch` (the workspace must have been made with `stored`).
 *
 * @example
 * ```ts
 * workspace.kernels.gatherImages(0, m, ...gatherArguments(workspace));
 * ```
 */
export function gatherArguments(
  workspace: Workspace,
  batch: BatchBuffers = workspace.layout,
): GatherArguments {
  const { storedStarts, storedPixels, storedBytes, scale } = workspace.layout;
  const { order, starts, indices, values } = batch;
  return [order, storedStarts, storedPixels, storedBytes, scale, starts, indices, values];
}

type GatherArguments = [number, number, number, number, number, number, number, number];

/**
 * The arguments of `transposeSparse` after (from, to) for block `block` (images block·BLOCK
 * onwards) of the current batch or of the buffers `batch`: each block's transpose has its own
 * starts and follows the entries of the blocks before it. dW1ᵀ = X·dZ1ᵀ reads them.
 *
 * @example
 * ```ts
 * workspace.kernels.transposeSparse(0, m, ...transposeArguments(workspace, 0));
 * ```
 */
export function transposeArguments(
  workspace: Workspace,
  block: number,
  batch: BatchBuffers = workspace.layout,
): TransposeArguments {
  const { i32, shape: { inputs: n } } = workspace;
  const { starts, indices, values, startsT, indicesT, valuesT, cursor } = batch;
  const entriesBefore = i32[(starts >> 2) + block * BLOCK];
  return [
    n,
    starts,
    indices,
    values,
    startsT + block * (n + 1) * 4,
    indicesT + entriesBefore * 4,
    valuesT + entriesBefore * 4,
    cursor,
  ];
}

type TransposeArguments = [number, number, number, number, number, number, number, number];

/**
 * Makes the spare batch buffers the current ones and the current ones spare: the batch
 * prepared in the spare set becomes the batch the kernels work on.
 *
 * @example
 * ```ts
 * loadBatch(workspace, labels, next, workspace.layout.spare); // … fill the spare set …
 * swapBatches(workspace); // … and train on it
 * ```
 */
export function swapBatches(workspace: Workspace): void {
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
