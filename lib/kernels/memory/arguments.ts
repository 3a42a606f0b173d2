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
 * runCall(workspace.kernels, countPixels(workspace), 0, workspace.shape.images);
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
 * runCall(workspace.kernels, compressImages(workspace), 0, m);
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
 * runCall(workspace.kernels, gatherImages(workspace), 0, m);
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
 * X in compressed rows per pixel for block `block` of the batch (images block·BLOCK onwards),
 * dW1ᵀ's input: each block's transpose has its own starts and follows the entries of the blocks
 * before it. Rows: the block's images, numbered as in the batch.
 *
 * @example
 * ```ts
 * runCall(workspace.kernels, transposeSparse(workspace, 0), 0, m);
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
 * runCall(workspace.kernels, hiddenLayer(workspace, "relu"), 0, m);
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
 * runCall(workspace.kernels, outputLayer(workspace, true), 0, m);
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
 * runCall(workspace.kernels, hiddenGradient(workspace, m, "relu"), 0, m);
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
 * runCall(workspace.kernels, weightGradientW1(workspace, 0), 0, workspace.shape.inputs);
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
 * runCall(workspace.kernels, weightGradientW2(workspace, m), 0, workspace.shape.classes);
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
 * runCall(workspace.kernels, biasGradientB2(workspace, m), 0, workspace.shape.classes);
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
 * runCall(workspace.kernels, biasGradientB1(workspace, m), 0, workspace.shape.hidden);
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
 * const { W2, dW2, vW2 } = workspace.layout;
 * runCall(workspace.kernels, momentumStep([W2, dW2, vW2], 0.9, 0.1), 0, 10 * 128);
 * ```
 */
export function momentumStep(
  [theta, gradient, velocity]: ParameterBuffers,
  beta: number,
  eta: number,
): Call<"momentumStep"> {
  return { kernel: "momentumStep", args: [theta, gradient, velocity, beta, eta] };
}
