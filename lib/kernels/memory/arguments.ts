/**
 * The one place that turns a workspace ({@link ./workspace.ts}) into each kernel's arguments.
 * Every builder returns a {@linkcode Call}, typed with the kernel's own parameter tuple: an
 * argument list of the wrong length or for another kernel does not type-check. The rows
 * (`from, to`) are left to whoever runs the call: {@linkcode runCall} on one thread, or a thread
 * pool that splits them.
 *
 * The batch buffers default to the current batch's (the layout's own); the builders that take
 * `batch` also serve the spare set in which the next batch is prepared.
 *
 * @module
 */

import { ACTIVATION_CODES, type Call } from "../compute/abi.ts";
import { type BatchBuffers, BLOCK, type Workspace } from "./workspace.ts";

/** An activation by name, as the kernels know them ("none": the sums as they are). */
export type ActivationName = keyof typeof ACTIVATION_CODES;

/**
 * counts[i] = the non-zero pixels of image i, over the rows (images) of the dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
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
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
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
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
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
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
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
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
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

/**
 * A1ᵀ = g(Xᵀ·W1ᵀ + b1), over the batch's rows (images).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * const call = hiddenLayer(workspace, "relu");
 * assert.equal(call.kernel, "sparseTimesDense");
 * assert.deepEqual(call.args.slice(3, 8), [L.W1T, 2, L.b1, L.A1T, 1]); // W1ᵀ, h, b1, A1ᵀ, ReLU
 * ```
 */
export function hiddenLayer(
  workspace: Workspace,
  activation: ActivationName,
): Call<"sparseTimesDense"> {
  const { layout: L, shape: { hidden: h } } = workspace;
  return {
    kernel: "sparseTimesDense",
    args: [L.starts, L.indices, L.values, L.W1T, h, L.b1, L.A1T, ACTIVATION_CODES[activation], 0],
  };
}

/**
 * A2ᵀ = softmax(A1ᵀ·W2ᵀ + b2) and the predictions, over the batch's rows; with `labelled`, also
 * each image's loss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * assert.equal(outputLayer(workspace, true).args[6], L.labels);
 * assert.equal(outputLayer(workspace, false).args[6], 0); // no labels: no loss
 * ```
 */
export function outputLayer(workspace: Workspace, labelled: boolean): Call<"outputLayer"> {
  const { layout: L, shape: { hidden: h, classes: c } } = workspace;
  return {
    kernel: "outputLayer",
    args: [h, c, L.A1T, L.W2, L.b2, L.A2T, labelled ? L.labels : 0, L.loss, L.predicted],
  };
}

/**
 * dZ2ᵀ = (A2ᵀ − Yᵀ)/m and dZ1ᵀ = (dZ2ᵀ·W2) ∘ g′(A1ᵀ) for a batch of `m` images, over its rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * const call = hiddenGradient(workspace, 2, "relu");
 * assert.equal(call.args[6], 0.5); // the 1/m of the mean, folded into dZ2
 * ```
 */
export function hiddenGradient(
  workspace: Workspace,
  m: number,
  activation: ActivationName,
): Call<"hiddenGradient"> {
  const { layout: L, shape: { hidden: h, classes: c } } = workspace;
  const code = ACTIVATION_CODES[activation];
  return {
    kernel: "hiddenGradient",
    args: [h, c, L.A1T, L.W2, L.A2T, L.labels, 1 / m, code, L.dZ2T, L.dZ1T],
  };
}

/**
 * dW1ᵀ (+)= X_block·dZ1ᵀ_block for block `block` of the batch (after transposeSparse), added to
 * the blocks before it; rows: the pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * // Block 0 starts dW1ᵀ afresh (accumulate 0); later blocks add to it.
 * assert.equal(weightGradientW1(workspace, 0).args[8], 0);
 * assert.equal(weightGradientW1(workspace, 0).args[6], L.dW1T);
 * ```
 */
export function weightGradientW1(workspace: Workspace, block: number): Call<"sparseTimesDense"> {
  const { layout: L, i32, shape: { inputs: n, hidden: h } } = workspace;
  const first = block * BLOCK, entriesBefore = i32[(L.starts >> 2) + first];
  return {
    kernel: "sparseTimesDense",
    args: [
      L.startsT + block * (n + 1) * 4,
      L.indicesT + entriesBefore * 4,
      L.valuesT + entriesBefore * 4,
      L.dZ1T + first * h * 4,
      h,
      0,
      L.dW1T,
      ACTIVATION_CODES.none,
      block > 0 ? 1 : 0,
    ],
  };
}

/**
 * dW2 = dZ2·A1ᵀ for a batch of `m` images; rows: the classes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * f32.set([1, 0, 0, 0, 1, 0], L.dZ2T >> 2); // dZ2ᵀ (2×3)
 * f32.set([2, 3, 4, 5], L.A1T >> 2); // A1ᵀ (2×2)
 * runCall(workspace.kernels, weightGradientW2(workspace, 2), 0, 3);
 * assert.deepEqual([...f32.subarray(L.dW2 >> 2, (L.dW2 >> 2) + 6)], [2, 3, 4, 5, 0, 0]);
 * ```
 */
export function weightGradientW2(workspace: Workspace, m: number): Call<"transposedProduct"> {
  const { layout: L, shape: { hidden: h, classes: c } } = workspace;
  return { kernel: "transposedProduct", args: [m, L.dZ2T, c, L.A1T, h, L.dW2] };
}

/**
 * db2 = Σⱼ dZ2[:, j] for a batch of `m` images; rows: the classes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * f32.set([1, 2, 3, 4, 5, 6], L.dZ2T >> 2); // dZ2ᵀ (2×3)
 * runCall(workspace.kernels, biasGradientB2(workspace, 2), 0, 3);
 * assert.deepEqual([...f32.subarray(L.db2 >> 2, (L.db2 >> 2) + 3)], [5, 7, 9]);
 * ```
 */
export function biasGradientB2(workspace: Workspace, m: number): Call<"columnSums"> {
  const { layout: L, shape: { classes: c } } = workspace;
  return { kernel: "columnSums", args: [m, L.dZ2T, c, L.db2] };
}

/**
 * db1 = Σⱼ dZ1[:, j] for a batch of `m` images; rows: the hidden units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * f32.set([1, 2, 3, 4], L.dZ1T >> 2); // dZ1ᵀ (2×2)
 * runCall(workspace.kernels, biasGradientB1(workspace, 2), 0, 2);
 * assert.deepEqual([...f32.subarray(L.db1 >> 2, (L.db1 >> 2) + 2)], [4, 6]);
 * ```
 */
export function biasGradientB1(workspace: Workspace, m: number): Call<"columnSums"> {
  const { layout: L, shape: { hidden: h } } = workspace;
  return { kernel: "columnSums", args: [m, L.dZ1T, h, L.db1] };
}

/** A parameter's buffers in the workspace: θ, its gradient dθ, its velocity v (float64). */
export type ParameterBuffers = readonly [theta: number, gradient: number, velocity: number];

/**
 * Momentum's v ← β·v + dθ, θ ← θ − η·v on one parameter's buffers; rows: its elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../compute/abi.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * // 2 images of 4 pixels, 2 hidden units, 3 classes.
 * const shape = { inputs: 4, hidden: 2, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, i32, f32 } = workspace;
 * f32.set([1, 2, 3, 4, 5, 6], L.W2 >> 2); // W2 (3×2)
 * f32.fill(10, L.dW2 >> 2, (L.dW2 >> 2) + 6); // dW2
 * runCall(workspace.kernels, momentumStep([L.W2, L.dW2, L.vW2], 0.9, 0.1), 0, 6);
 * // From v = 0: v = 10, θ − 0.1·10.
 * assert.deepEqual([...f32.subarray(L.W2 >> 2, (L.W2 >> 2) + 6)], [0, 1, 2, 3, 4, 5]);
 * ```
 */
export function momentumStep(
  [theta, gradient, velocity]: ParameterBuffers,
  beta: number,
  eta: number,
): Call<"momentumStep"> {
  return { kernel: "momentumStep", args: [theta, gradient, velocity, beta, eta] };
}
