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
import { CONVOLUTIONS, KERNEL_SIDE, POOL } from "../../cnn/network.ts";
import { IMAGE_SIDE, PIXELS } from "../../data/dataset.ts";
import { CLASSES } from "../../loss.ts";
import { type ConvWorkspace, SIDES } from "./conv_workspace.ts";
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

// The convolutional network's calls (lib/kernels/memory/conv_workspace.ts); rows are samples
// unless a builder says otherwise.

/** The sizes of the CNN's layers in `workspace`: c1, c2, h, the patch rows R and positions. */
function convSizes(workspace: ConvWorkspace) {
  const { channels1: c1, channels2: c2, hidden: h } = workspace.shape;
  const k = KERNEL_SIDE;
  return {
    c1,
    c2,
    h,
    k,
    R1: k * k,
    R2: c1 * k * k,
    Z1: SIDES.Z1 ** 2,
    Z2: SIDES.Z2 ** 2,
    features: c2 * SIDES.P2 ** 2,
  };
}

/**
 * The first convolution's layer, per sample: the batch's images scaled to [0, 1], im2col, then
 * A1 = ReLU(K1 ⋆ X + b1), then P1 = maxpool(A1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const calls = convolutionForward1(workspace);
 * assert.deepEqual(calls.map((call) => call.kernel), [
 *   "loadPixels", "im2col", "convolutionLayer", "maxPool",
 * ]);
 * ```
 */
export function convolutionForward1(
  workspace: ConvWorkspace,
): [Call<"loadPixels">, Call<"im2col">, Call<"convolutionLayer">, Call<"maxPool">] {
  const { layout: L } = workspace;
  const { c1, k, R1, Z1 } = convSizes(workspace);
  const side = IMAGE_SIDE, padding = CONVOLUTIONS[0].padding!;
  return [
    { kernel: "loadPixels", args: [L.images, L.order, PIXELS, L.scale, L.X] },
    { kernel: "im2col", args: [1, side, side, k, padding, L.X, L.cols1] },
    {
      kernel: "convolutionLayer",
      args: [c1, R1, Z1, L.K1, L.b1, L.cols1, L.A1, ACTIVATION_CODES.relu],
    },
    { kernel: "maxPool", args: [c1, SIDES.Z1, SIDES.Z1, POOL, L.A1, L.P1, L.argmax1] },
  ];
}

/**
 * The second convolution's layer and the dense one, per sample: im2col of P1,
 * A2 = ReLU(K2 ⋆ P1 + b2), P2 = maxpool(A2), A3 = ReLU(W3·F + b3).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const [, convolution] = convolutionForward2(workspace);
 * assert.deepEqual(convolution.args.slice(0, 3), [3, 2 * 25, 100]); // O = c2, R = c1·5·5, P = 10·10
 * ```
 */
export function convolutionForward2(
  workspace: ConvWorkspace,
): [Call<"im2col">, Call<"convolutionLayer">, Call<"maxPool">, Call<"denseLayer">] {
  const { layout: L } = workspace;
  const { c1, c2, h, k, R2, Z2, features } = convSizes(workspace);
  const relu = ACTIVATION_CODES.relu, padding = CONVOLUTIONS[1].padding!;
  return [
    { kernel: "im2col", args: [c1, SIDES.P1, SIDES.P1, k, padding, L.P1, L.cols2] },
    { kernel: "convolutionLayer", args: [c2, R2, Z2, L.K2, L.b2, L.cols2, L.A2, relu] },
    { kernel: "maxPool", args: [c2, SIDES.Z2, SIDES.Z2, POOL, L.A2, L.P2, L.argmax2] },
    { kernel: "denseLayer", args: [features, h, L.P2, L.W3, L.b3, L.A3, relu] },
  ];
}

/**
 * The output layer, per sample: A4 = softmax(W4·A3 + b4), the prediction and, with `labelled`,
 * the loss: the MLP's kernel with A3 as its hidden layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * assert.equal(convolutionOutput(workspace, false).args[6], 0); // no labels: no loss
 * ```
 */
export function convolutionOutput(
  workspace: ConvWorkspace,
  labelled: boolean,
): Call<"outputLayer"> {
  const { layout: L } = workspace;
  const { h } = convSizes(workspace);
  return {
    kernel: "outputLayer",
    args: [h, CLASSES, L.A3, L.W4, L.b4, L.A4, labelled ? L.labels : 0, L.loss, L.predicted],
  };
}

/**
 * Backpropagation per sample down to dZ2, for a batch of `m`: dZ4 = (A4 − Y)/m and
 * dZ3 = (dZ4·W4) ∘ ReLU′ (the MLP's kernel), dP2 = W3ᵀ·dZ3, dZ2 = maxpool′(dP2) ∘ ReLU′.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 2, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const [output] = convolutionBackward2(workspace, 2);
 * assert.equal(output.args[6], 0.5); // the 1/m of the mean, folded into dZ4
 * ```
 */
export function convolutionBackward2(
  workspace: ConvWorkspace,
  m: number,
): [Call<"hiddenGradient">, Call<"denseInputGradient">, Call<"maxPoolReluBackward">] {
  const { layout: L } = workspace;
  const { c2, h, features } = convSizes(workspace);
  const relu = ACTIVATION_CODES.relu;
  return [
    {
      kernel: "hiddenGradient",
      args: [h, CLASSES, L.A3, L.W4, L.A4, L.labels, 1 / m, relu, L.dZ4, L.dZ3],
    },
    { kernel: "denseInputGradient", args: [h, features, L.dZ3, L.W3, L.dP2] },
    {
      kernel: "maxPoolReluBackward",
      args: [c2, SIDES.Z2, SIDES.Z2, POOL, L.A2, L.argmax2, L.dP2, L.dZ2],
    },
  ];
}

/**
 * Backpropagation per sample from dZ2 to dZ1: dP1 = col2im(K2ᵀ·dZ2), dZ1 = maxpool′(dP1) ∘ ReLU′.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 2, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const [inputGradient, col2im] = convolutionBackward1(workspace);
 * assert.equal(inputGradient.args[5], col2im.args[5]); // col2im reads what the product wrote
 * ```
 */
export function convolutionBackward1(
  workspace: ConvWorkspace,
): [Call<"convolutionInputGradient">, Call<"col2im">, Call<"maxPoolReluBackward">] {
  const { layout: L } = workspace;
  const { c1, c2, k, R2, Z2 } = convSizes(workspace);
  const padding = CONVOLUTIONS[1].padding!;
  return [
    { kernel: "convolutionInputGradient", args: [c2, R2, Z2, L.K2, L.dZ2, L.dcols2] },
    { kernel: "col2im", args: [c1, SIDES.P1, SIDES.P1, k, padding, L.dcols2, L.dP1] },
    {
      kernel: "maxPoolReluBackward",
      args: [c1, SIDES.Z1, SIDES.Z1, POOL, L.A1, L.argmax1, L.dP1, L.dZ1],
    },
  ];
}

/**
 * dK and db of convolution `layer` (1 or 2) over a batch of `m`; rows: its output channels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 2, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * assert.deepEqual(kernelGradient(workspace, 2, 2).args.slice(0, 4), [2, 3, 50, 100]); // m, O, R, P
 * ```
 */
export function kernelGradient(
  workspace: ConvWorkspace,
  layer: 1 | 2,
  m: number,
): Call<"convolutionKernelGradient"> {
  const { layout: L } = workspace;
  const { c1, c2, R1, R2, Z1, Z2 } = convSizes(workspace);
  return {
    kernel: "convolutionKernelGradient",
    args: layer === 1
      ? [m, c1, R1, Z1, L.dZ1, L.cols1, L.dK1, L.db1]
      : [m, c2, R2, Z2, L.dZ2, L.cols2, L.dK2, L.db2],
  };
}

/**
 * The dense layers' weight gradients over a batch of `m` (each call's rows its output rows):
 * dW3 = dZ3·F ᵀ, db3, dW4 = dZ4·A3ᵀ, db4.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 2, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const [dW3] = denseGradients(workspace, 2);
 * assert.deepEqual(dW3.args.slice(0, 5), [2, workspace.layout.dZ3, 4, workspace.layout.P2, 75]);
 * ```
 */
export function denseGradients(
  workspace: ConvWorkspace,
  m: number,
): [Call<"transposedProduct">, Call<"columnSums">, Call<"transposedProduct">, Call<"columnSums">] {
  const { layout: L } = workspace;
  const { h, features } = convSizes(workspace);
  return [
    { kernel: "transposedProduct", args: [m, L.dZ3, h, L.P2, features, L.dW3] },
    { kernel: "columnSums", args: [m, L.dZ3, h, L.db3] },
    { kernel: "transposedProduct", args: [m, L.dZ4, CLASSES, L.A3, h, L.dW4] },
    { kernel: "columnSums", args: [m, L.dZ4, CLASSES, L.db4] },
  ];
}
