/**
 * A ConvNet's parameters in a convolutional workspace ({@link ./conv_workspace.ts}): views that
 * an optimizer updates in place, and the copies in and out. The workspace stores each parameter
 * exactly as lib/cnn/network.ts does, so a copy is a `set`.
 *
 * @module
 */

import { CONV_PARAMETER_NAMES, type ConvGradients, type ConvNet } from "../../cnn/network.ts";
import { Tensor } from "../../cnn/tensor.ts";
import { Matrix } from "../../matrix.ts";
import type { ConvWorkspace } from "./conv_workspace.ts";

/**
 * The workspace's parameters (or, with `gradients`, their gradients) shaped as `cnn`'s, as
 * views of the workspace: writing them writes the workspace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../../cnn/network.ts";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const views = convParameterViews(workspace, cnn);
 * views.b4.data.fill(0.5);
 * assert.equal(workspace.f32[workspace.layout.b4 >> 2], 0.5);
 * assert.deepEqual(views.K2.shape, [3, 2, 5, 5]);
 * ```
 */
export function convParameterViews(workspace: ConvWorkspace, cnn: ConvNet): ConvNet {
  const views = {} as Record<string, Tensor | Matrix>;
  for (const name of CONV_PARAMETER_NAMES) views[name] = viewOf(workspace, name, cnn[name]);
  return views as unknown as ConvNet;
}

/**
 * The gradients' views, dK1 … db4, shaped as `cnn`'s parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../../cnn/network.ts";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: true };
 * const workspace = createConvWorkspace(shape, "typescript");
 * const { dK1 } = convGradientViews(workspace, cnn);
 * workspace.f32[workspace.layout.dK1 >> 2] = 2;
 * assert.equal(dK1.data[0], 2); // a view of the workspace
 * ```
 */
export function convGradientViews(workspace: ConvWorkspace, cnn: ConvNet): ConvGradients {
  const views = {} as Record<string, Tensor | Matrix>;
  for (const name of CONV_PARAMETER_NAMES) {
    views[`d${name}`] = viewOf(workspace, `d${name}` as keyof ConvWorkspace["layout"], cnn[name]);
  }
  return views as unknown as ConvGradients;
}

/**
 * Copies `cnn`'s parameters into the workspace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../../cnn/network.ts";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * writeConvParameters(workspace, cnn);
 * const copy = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 2 });
 * readConvParameters(workspace, copy);
 * assert.deepEqual(copy.W3.data, cnn.W3.data);
 * ```
 */
export function writeConvParameters(workspace: ConvWorkspace, cnn: ConvNet): void {
  const views = convParameterViews(workspace, cnn);
  for (const name of CONV_PARAMETER_NAMES) views[name].data.set(cnn[name].data);
}

/**
 * Copies the workspace's parameters back into `cnn`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../../cnn/network.ts";
 * import { createConvWorkspace } from "./conv_workspace.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * workspace.f32[workspace.layout.b1 >> 2] = 0.25; // b1[0] in the workspace
 * readConvParameters(workspace, cnn);
 * assert.equal(cnn.b1.data[0], 0.25);
 * ```
 */
export function readConvParameters(workspace: ConvWorkspace, cnn: ConvNet): void {
  const views = convParameterViews(workspace, cnn);
  for (const name of CONV_PARAMETER_NAMES) cnn[name].data.set(views[name].data);
}

/** A view of the float32 buffer `name` shaped like `like` (a Tensor or a Matrix). */
function viewOf(
  workspace: ConvWorkspace,
  name: keyof ConvWorkspace["layout"],
  like: Tensor | Matrix,
): Tensor | Matrix {
  const at = workspace.layout[name] >> 2;
  const data = workspace.f32.subarray(at, at + like.data.length);
  if (data.length !== like.data.length || workspace.layout[name] === 0) {
    throw new RangeError(`the workspace has no room for ${name} of ${like.data.length} values`);
  }
  return like instanceof Matrix
    ? new Matrix(like.rows, like.cols, data)
    : new Tensor(like.shape, data);
}
