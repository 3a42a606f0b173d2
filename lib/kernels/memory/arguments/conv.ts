/**
 * The convolutional network's calls (lib/kernels/memory/conv_workspace.ts); rows are samples
 * unless a builder says otherwise. Part of {@link ../arguments.ts}, the one place that turns a
 * workspace into kernel arguments.
 *
 * @module
 */

import { ACTIVATION_CODES, type Call } from "../../compute/abi.ts";
import { CONVOLUTIONS, KERNEL_SIDE, POOL } from "../../../cnn/network.ts";
import { IMAGE_SIDE, PIXELS } from "../../../data/dataset.ts";
import { CLASSES } from "../../../loss.ts";
import { type ConvWorkspace, SIDES } from "../conv_workspace.ts";

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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
 * import { createConvWorkspace } from "../conv_workspace.ts";
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
    { kernel: "transposedProduct", args: [m, L.dZ3, h, L.P2, features, L.dW3, 0] },
    { kernel: "columnSums", args: [m, L.dZ3, h, L.db3, 0] },
    { kernel: "transposedProduct", args: [m, L.dZ4, CLASSES, L.A3, h, L.dW4, 0] },
    { kernel: "columnSums", args: [m, L.dZ4, CLASSES, L.db4, 0] },
  ];
}
