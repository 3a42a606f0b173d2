/**
 * The first layer's calls split by column blocks ({@linkcode COLUMN_BLOCK} hidden units each)
 * instead of by rows, for a thread pool's `runOwned` (lib/kernels/threads/pool.ts): each thread
 * then computes, and updates, the same columns of W1ᵀ step after step, and no cache line of
 * W1ᵀ, dW1ᵀ or its velocity is written by one core and read by the other. The rows these calls
 * run on are column blocks, [0, {@linkcode columnBlocks}). Part of {@link ../arguments.ts}.
 *
 * @module
 */

import { ACTIVATION_CODES, type Call, COLUMN_BLOCK } from "../../compute/abi.ts";
import type { Workspace } from "../workspace.ts";
import type { ActivationName, ParameterBuffers } from "./layers.ts";

/**
 * The number of column blocks of a workspace's hidden layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWorkspace } from "../workspace.ts";
 *
 * const shape = { inputs: 4, hidden: 40, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * assert.equal(columnBlocks(workspace), 3); // 16 + 16 + 8 hidden units
 * ```
 */
export function columnBlocks(workspace: Workspace): number {
  return Math.ceil(workspace.shape.hidden / COLUMN_BLOCK);
}

/**
 * A1ᵀ = g(Xᵀ·W1ᵀ + b1) for the batch's first `m` rows (images), by column blocks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 * import { hiddenLayer } from "./layers.ts";
 *
 * // 2 images of 4 pixels, 20 hidden units (2 column blocks), 3 classes.
 * const shape = { inputs: 4, hidden: 20, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, kernels, i32, f32 } = workspace;
 * i32.set([0, 2, 3], L.starts >> 2); // image 0: pixels 1, 3; image 1: pixel 0
 * i32.set([1, 3, 0], L.indices >> 2);
 * f32.set([1, 0.5, 2], L.values >> 2);
 * f32.set(Array.from({ length: 80 }, (_, i) => i % 7 - 3), L.W1T >> 2);
 * runCall(kernels, hiddenLayerColumns(workspace, 2, "relu"), 0, 2);
 * const byColumns = [...f32.subarray(L.A1T >> 2, (L.A1T >> 2) + 40)];
 * runCall(kernels, hiddenLayer(workspace, "relu"), 0, 2); // the same, by rows
 * assert.deepEqual(byColumns, [...f32.subarray(L.A1T >> 2, (L.A1T >> 2) + 40)]);
 * ```
 */
export function hiddenLayerColumns(
  workspace: Workspace,
  m: number,
  activation: ActivationName,
): Call<"sparseTimesDenseColumns"> {
  const { layout: L, shape: { hidden: h } } = workspace;
  return {
    kernel: "sparseTimesDenseColumns",
    args: [
      m,
      L.starts,
      L.indices,
      L.values,
      L.W1T,
      h,
      L.b1,
      L.A1T,
      ACTIVATION_CODES[activation],
      0,
    ],
  };
}

/**
 * dW1ᵀ = X·dZ1ᵀ for a batch of one block (after transposeSparse), by column blocks; the rows of
 * each block: the pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWorkspace } from "../workspace.ts";
 * import { weightGradientW1 } from "./layers.ts";
 *
 * const shape = { inputs: 4, hidden: 20, classes: 3, images: 2, batch: 2, entries: 8 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * // The arguments of the row-split call, with the number of rows (pixels) first.
 * assert.deepEqual(weightGradientW1Columns(workspace).args, [
 *   4,
 *   ...weightGradientW1(workspace, 0).args,
 * ]);
 * ```
 */
export function weightGradientW1Columns(workspace: Workspace): Call<"sparseTimesDenseColumns"> {
  const { layout: L, shape: { inputs: n, hidden: h } } = workspace;
  return {
    kernel: "sparseTimesDenseColumns",
    args: [n, L.startsT, L.indicesT, L.valuesT, L.dZ1T, h, 0, L.dW1T, ACTIVATION_CODES.none, 0],
  };
}

/**
 * Momentum's step on the columns of a parameter of `rows`×`width` (W1ᵀ: 784×h), by column blocks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCall } from "../../compute/abi.ts";
 * import { createWorkspace } from "../workspace.ts";
 *
 * const shape = { inputs: 2, hidden: 20, classes: 3, images: 2, batch: 2, entries: 4 };
 * const workspace = createWorkspace({ ...shape, training: true }, "typescript");
 * const { layout: L, kernels, f32 } = workspace;
 * f32.fill(1, L.dW1T >> 2, (L.dW1T >> 2) + 40); // dW1ᵀ = 1 everywhere, θ and v start at 0
 * const call = momentumColumns([L.W1T, L.dW1T, L.vW1T], 2, 20, 0.9, 0.5);
 * runCall(kernels, call, 1, 2); // block 1: columns 16-19 of both rows
 * const row0 = [...f32.subarray(L.W1T >> 2, (L.W1T >> 2) + 20)];
 * assert.deepEqual(row0, [...Array(16).fill(0), -0.5, -0.5, -0.5, -0.5]);
 * ```
 */
export function momentumColumns(
  [theta, gradient, velocity]: ParameterBuffers,
  rows: number,
  width: number,
  beta: number,
  eta: number,
): Call<"momentumColumns"> {
  return { kernel: "momentumColumns", args: [rows, width, theta, gradient, velocity, beta, eta] };
}
