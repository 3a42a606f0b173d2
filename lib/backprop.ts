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
 * const cache = forwardPropagation(network, X);
 * const { dW1, db1, dW2, db2 } = backwardPropagation(network, cache, oneHot(labels));
 * ```
 */
export function backwardPropagation(network: Network, cache: ForwardCache, Y: Matrix): Gradients {
  const { X, Z1, A1, A2, D1 } = cache;
  const m = X.cols;
  const dZ2 = softmaxCrossEntropyGradient(A2, Y);
  const dW2 = scale(matmulTransposeB(dZ2, A1), 1 / m);
  const db2 = scale(sumRows(dZ2), 1 / m);
  const dA1 = D1
    ? multiplyElementwise(matmulTransposeA(network.W2, dZ2), D1)
    : matmulTransposeA(network.W2, dZ2);
  const dZ1 = multiplyElementwise(dA1, activationDerivative(Z1, network.activation));
  const dW1 = scale(
    X instanceof SparseColumns ? matmulSparseTransposed(dZ1, X) : matmulTransposeB(dZ1, X),
    1 / m,
  );
  const db1 = scale(sumRows(dZ1), 1 / m);
  return { dW1, db1, dW2, db2 };
}
