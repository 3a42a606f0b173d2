/**
 * Backpropagation: the gradient of the mean cross-entropy loss with respect to every parameter,
 * by the chain rule, from the output layer back to the input.
 *
 *   dZ2 = A2 − Y                        (10×m)  softmax + cross-entropy, per sample
 *   dW2 = (1/m)·dZ2·A1ᵀ                 (10×h)
 *   db2 = (1/m)·Σⱼ dZ2[:, j]            (10×1)  one value per output unit
 *   dA1 = W2ᵀ·dZ2                       (h×m)
 *   dZ1 = dA1 ∘ g′(Z1)                  (h×m)   ∘ is the element-wise product
 *                                               (dA1 ∘ D1 ∘ g′(Z1) with a dropout mask D1)
 *   dW1 = (1/m)·dZ1·Xᵀ                  (h×n)
 *   db1 = (1/m)·Σⱼ dZ1[:, j]            (h×1)
 *
 * @module
 */

import { activationDerivative } from "./activations.ts";
import { softmaxCrossEntropyGradient } from "./loss.ts";
import {
  matmulTransposeA,
  matmulTransposeB,
  type Matrix,
  multiplyElementwise,
  scale,
  sumRows,
} from "./matrix.ts";
import type { ForwardCache, Network } from "./network.ts";
import { matmulSparseTransposed, SparseColumns } from "./sparse.ts";

/** The gradient of the loss for each parameter, same shapes as the parameters. */
export interface Gradients {
  dW1: Matrix;
  db1: Matrix;
  dW2: Matrix;
  db2: Matrix;
}

/**
 * The gradients of the mean cross-entropy loss over the batch, from the forward pass's cache and
 * the one-hot labels Y (10×m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "./loss.ts";
 * import { Matrix } from "./matrix.ts";
 * import { forwardPropagation, initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ inputs: 3, hidden: 4, outputs: 2, seed: 1 });
 * const X = Matrix.from([[0, 1], [0.5, 0], [1, 1]]); // 2 samples of 3 inputs, one per column
 * const cache = forwardPropagation(network, X);
 * const { dW1, db1, dW2, db2 } = backwardPropagation(network, cache, oneHot([0, 1], 2));
 * assert.deepEqual([dW1.shape, db1.shape, dW2.shape, db2.shape], [[4, 3], [4, 1], [2, 4], [2, 1]]);
 * // Softmax's outputs sum to 1 and so do the one-hot labels: db2's entries cancel out.
 * assert.ok(Math.abs(db2.get(0, 0) + db2.get(1, 0)) < 1e-6);
 * ```
 */
export function backwardPropagation(network: Network, cache: ForwardCache, Y: Matrix): Gradients {
  return parameterGradients(cache, layerErrors(network, cache, Y));
}

/**
 * The gradients, and dX = W1ᵀ·dZ1 (n×m): how the loss changes with each input of each sample.
 * The MLP does not need it (its inputs are the pixels), but a layer below the network does: a
 * convolutional network's convolutions feed this MLP and learn from dX (lib/cnn/network.ts).
 * Like dZ1, dX is per sample: the 1/m of the mean comes with the lower layer's weight gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropyLoss, oneHot } from "./loss.ts";
 * import { Matrix } from "./matrix.ts";
 * import { forwardPropagation, initNetwork } from "./network.ts";
 *
 * const head = initNetwork({ inputs: 3, hidden: 4, outputs: 2, seed: 1, precision: "f64" });
 * const Y = oneHot([1], 2);
 * const lossAt = (x0: number) => {
 *   const X = Matrix.from([[x0], [0.5], [1]], "f64"); // one sample of 3 inputs
 *   return crossEntropyLoss(forwardPropagation(head, X).A2, Y);
 * };
 * const cache = forwardPropagation(head, Matrix.from([[0.2], [0.5], [1]], "f64"));
 * const { gradients, dX } = backwardToInputs(head, cache, Y);
 * assert.deepEqual([gradients.dW1.shape, dX.shape], [[4, 3], [3, 1]]);
 * // dX's first entry is the slope of the loss along input 0: a central difference agrees.
 * const h = 1e-5;
 * assert.ok(Math.abs(dX.get(0, 0) - (lossAt(0.2 + h) - lossAt(0.2 - h)) / (2 * h)) < 1e-6);
 * ```
 */
export function backwardToInputs(
  network: Network,
  cache: ForwardCache,
  Y: Matrix,
): { gradients: Gradients; dX: Matrix } {
  const errors = layerErrors(network, cache, Y);
  return {
    gradients: parameterGradients(cache, errors),
    dX: matmulTransposeA(network.W1, errors.dZ1),
  };
}

/** dZ2 (10×m) and dZ1 (h×m): the loss's gradient for each layer's pre-activation, per sample. */
function layerErrors(
  network: Network,
  cache: ForwardCache,
  Y: Matrix,
): { dZ2: Matrix; dZ1: Matrix } {
  const dZ2 = softmaxCrossEntropyGradient(cache.A2, Y);
  // With dropout, a unit that was dropped (D1 = 0) passed nothing forward and gets no gradient.
  const dA1 = cache.D1
    ? multiplyElementwise(matmulTransposeA(network.W2, dZ2), cache.D1)
    : matmulTransposeA(network.W2, dZ2);
  const dZ1 = multiplyElementwise(dA1, activationDerivative(cache.Z1, network.activation));
  return { dZ2, dZ1 };
}

/** The mean gradients of the parameters over the batch, from the layers' errors. */
function parameterGradients(
  { X, A1 }: ForwardCache,
  { dZ2, dZ1 }: { dZ2: Matrix; dZ1: Matrix },
): Gradients {
  const m = X.cols;
  const dW2 = scale(matmulTransposeB(dZ2, A1), 1 / m);
  const db2 = scale(sumRows(dZ2), 1 / m);
  const dW1 = scale(
    X instanceof SparseColumns ? matmulSparseTransposed(dZ1, X) : matmulTransposeB(dZ1, X),
    1 / m,
  );
  const db1 = scale(sumRows(dZ1), 1 / m);
  return { dW1, db1, dW2, db2 };
}
