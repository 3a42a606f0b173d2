/**
 * A network with any number of layers: L weight matrices, ReLU (or sigmoid) between them and
 * softmax at the end, e.g. 784-256-128-10. The two-layer network of network.ts is the case
 * L = 2; the same two lines repeat for every layer l = 1..L:
 *
 *   forward:  Z[l] = W[l]·A[l−1] + b[l],  A[l] = g(Z[l])   (A[0] = X, A[L] = softmax(Z[L]))
 *   backward: dZ[L] = A[L] − Y,
 *             dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ,  db[l] = (1/m)·Σⱼ dZ[l][:, j],
 *             dZ[l−1] = (W[l]ᵀ·dZ[l]) ∘ g′(Z[l−1])
 *
 * Shapes: W[l] is (units[l] × units[l−1]), b[l] (units[l] × 1), Z[l] and A[l] (units[l] × m).
 * Arrays are 0-based: `W[0]` is the math's W[1].
 *
 * @module
 */

import { activate, type Activation, activationDerivative } from "./activations.ts";
import { softmaxCrossEntropyGradient } from "./loss.ts";
import {
  matmulTransposeA,
  matmulTransposeB,
  Matrix,
  multiplyElementwise,
  scale,
  sumRows,
} from "./matrix.ts";
import { linear } from "./network.ts";
import { Random } from "./random.ts";
import { softmax } from "./softmax.ts";
import { matmulSparseTransposed, SparseColumns } from "./sparse.ts";

/** An L-layer network: `W[l]` and `b[l]` for l = 0..L−1. */
export interface DeepNetwork {
  activation: Activation;
  W: Matrix[];
  b: Matrix[];
}

/** Options for {@linkcode initDeepNetwork}. */
export interface DeepInitOptions {
  /** Units per layer, input first, classes last: [784, 256, 128, 10]. */
  sizes: number[];
  activation?: Activation;
  seed?: number;
  precision?: "f32" | "f64";
}

/**
 * A network with He-initialised weights (W ~ N(0, 2/fan_in)) and zero biases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const network = initDeepNetwork({ sizes: [784, 256, 128, 10], seed: 1 });
 * assert.deepEqual(network.W.map((W) => W.shape), [[256, 784], [128, 256], [10, 128]]);
 * ```
 */
export function initDeepNetwork(options: DeepInitOptions): DeepNetwork {
  const { sizes, activation = "relu", seed = 0, precision = "f32" } = options;
  if (sizes.length < 2) throw new RangeError(`a network needs at least 2 sizes, got ${sizes}`);
  const random = new Random(seed);
  const W: Matrix[] = [], b: Matrix[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const weights = Matrix.zeros(sizes[l], sizes[l - 1], precision);
    const std = Math.sqrt(2 / sizes[l - 1]);
    for (let i = 0; i < weights.data.length; i++) weights.data[i] = random.normal() * std;
    W.push(weights);
    b.push(Matrix.zeros(sizes[l], 1, precision));
  }
  return { activation, W, b };
}

/** What {@linkcode deepForward} computes: Z[l] and A[l] per layer, A[L−1] the probabilities. */
export interface DeepCache {
  X: Matrix | SparseColumns;
  Z: Matrix[];
  A: Matrix[];
}

/**
 * Forward propagation of X (n×m) through every layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const network = initDeepNetwork({ sizes: [4, 3, 3, 2], seed: 1 });
 * const { A } = deepForward(network, Matrix.zeros(4, 5)); // 5 samples of 4 inputs
 * assert.deepEqual(A.at(-1)!.shape, [2, 5]);
 * assert.equal(A.at(-1)!.get(0, 0), 0.5); // zero inputs, zero biases: Z = 0, both classes 1/2
 * ```
 */
export function deepForward(network: DeepNetwork, X: Matrix | SparseColumns): DeepCache {
  const Z: Matrix[] = [], A: Matrix[] = [];
  const L = network.W.length;
  for (let l = 0; l < L; l++) {
    Z.push(linear(network.W[l], l === 0 ? X : A[l - 1], network.b[l]));
    A.push(l === L - 1 ? softmax(Z[l]) : activate(Z[l], network.activation));
  }
  return { X, Z, A };
}

/** The gradients of the mean cross-entropy loss, `dW[l]` and `db[l]` shaped as W[l], b[l]. */
export interface DeepGradients {
  dW: Matrix[];
  db: Matrix[];
}

/**
 * Backpropagation through every layer, from the output back, for one-hot labels Y (10×m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "./loss.ts";
 * import { Matrix } from "./matrix.ts";
 *
 * const network = initDeepNetwork({ sizes: [2, 3, 2], seed: 1 });
 * const X = Matrix.from([[1], [0]]), Y = oneHot([1], 2);
 * const { dW, db } = deepBackward(network, deepForward(network, X), Y);
 * assert.deepEqual(dW.map((d) => d.shape), [[3, 2], [2, 3]]); // shaped as W
 * assert.ok(db[1].get(1, 0) < 0); // p − 1 for the right class: a step raises its bias
 * ```
 */
export function deepBackward(network: DeepNetwork, cache: DeepCache, Y: Matrix): DeepGradients {
  const { X, Z, A } = cache;
  const m = X.cols, L = network.W.length;
  const dW: Matrix[] = new Array(L), db: Matrix[] = new Array(L);
  let dZ = softmaxCrossEntropyGradient(A[L - 1], Y);
  for (let l = L - 1; l >= 0; l--) {
    const input = l === 0 ? X : A[l - 1];
    dW[l] = scale(
      input instanceof SparseColumns
        ? matmulSparseTransposed(dZ, input)
        : matmulTransposeB(dZ, input),
      1 / m,
    );
    db[l] = scale(sumRows(dZ), 1 / m);
    if (l > 0) {
      const dA = matmulTransposeA(network.W[l], dZ);
      dZ = multiplyElementwise(dA, activationDerivative(Z[l - 1], network.activation));
    }
  }
  return { dW, db };
}
