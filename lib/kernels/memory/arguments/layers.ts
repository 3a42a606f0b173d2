/**
 * The MLP's calls, layer by layer: A1ᵀ and A2ᵀ forward, dZ2ᵀ and dZ1ᵀ, the weight and bias
 * gradients, and momentum's step on one parameter. Part of {@link ../arguments.ts}, the one
 * place that turns a workspace into kernel arguments.
 *
 * @module
 */

import { ACTIVATION_CODES, type Call } from "../../compute/abi.ts";
import { BLOCK, type Workspace } from "../workspace.ts";

/** An activation by name, as the kernels know them ("none": the sums as they are). */
export type ActivationName = keyof typeof ACTIVATION_CODES;

/**
 * A1ᵀ = g(Xᵀ·W1ᵀ + b1), over the batch's rows (images).
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
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
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
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
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
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
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
 * dW2 = dZ2·A1ᵀ over `m` images of the batch from image `first` (default 0); rows: the
 * classes. From `first` > 0 on the sums go on from dW2's values: the blocks of a big batch, taken
 * in order while each is still in the cache, sum as one call over the batch would.
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
 * f32.set([1, 0, 0, 0, 1, 0], L.dZ2T >> 2); // dZ2ᵀ (2×3)
 * f32.set([2, 3, 4, 5], L.A1T >> 2); // A1ᵀ (2×2)
 * runCall(workspace.kernels, weightGradientW2(workspace, 2), 0, 3);
 * assert.deepEqual([...f32.subarray(L.dW2 >> 2, (L.dW2 >> 2) + 6)], [2, 3, 4, 5, 0, 0]);
 * // Image by image: the second image's sums go on from the first's.
 * runCall(workspace.kernels, weightGradientW2(workspace, 1, 0), 0, 3);
 * runCall(workspace.kernels, weightGradientW2(workspace, 1, 1), 0, 3);
 * assert.deepEqual([...f32.subarray(L.dW2 >> 2, (L.dW2 >> 2) + 6)], [2, 3, 4, 5, 0, 0]);
 * ```
 */
export function weightGradientW2(
  workspace: Workspace,
  m: number,
  first = 0,
): Call<"transposedProduct"> {
  const { layout: L, shape: { hidden: h, classes: c } } = workspace;
  const [dZ2, A1] = [L.dZ2T + first * c * 4, L.A1T + first * h * 4];
  return { kernel: "transposedProduct", args: [m, dZ2, c, A1, h, L.dW2, first > 0 ? 1 : 0] };
}

/**
 * db2 = Σⱼ dZ2[:, j] over `m` images of the batch from image `first` (default 0), going on from
 * db2's values from `first` > 0 on (as {@linkcode weightGradientW2}); rows: the classes.
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
 * f32.set([1, 2, 3, 4, 5, 6], L.dZ2T >> 2); // dZ2ᵀ (2×3)
 * runCall(workspace.kernels, biasGradientB2(workspace, 2), 0, 3);
 * assert.deepEqual([...f32.subarray(L.db2 >> 2, (L.db2 >> 2) + 3)], [5, 7, 9]);
 * ```
 */
export function biasGradientB2(workspace: Workspace, m: number, first = 0): Call<"columnSums"> {
  const { layout: L, shape: { classes: c } } = workspace;
  return { kernel: "columnSums", args: [m, L.dZ2T + first * c * 4, c, L.db2, first > 0 ? 1 : 0] };
}

/**
 * db1 = Σⱼ dZ1[:, j] over `m` images of the batch from image `first` (default 0), going on from
 * db1's values from `first` > 0 on (as {@linkcode weightGradientW2}); rows: the hidden units.
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
 * f32.set([1, 2, 3, 4], L.dZ1T >> 2); // dZ1ᵀ (2×2)
 * runCall(workspace.kernels, biasGradientB1(workspace, 2), 0, 2);
 * assert.deepEqual([...f32.subarray(L.db1 >> 2, (L.db1 >> 2) + 2)], [4, 6]);
 * ```
 */
export function biasGradientB1(workspace: Workspace, m: number, first = 0): Call<"columnSums"> {
  const { layout: L, shape: { hidden: h } } = workspace;
  return { kernel: "columnSums", args: [m, L.dZ1T + first * h * 4, h, L.db1, first > 0 ? 1 : 0] };
}

/** A parameter's buffers in the workspace: θ, its gradient dθ, its velocity v (float64). */
export type ParameterBuffers = readonly [theta: number, gradient: number, velocity: number];

/**
 * Momentum's v ← β·v + dθ, θ ← θ − η·v on one parameter's buffers; rows: its elements.
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
