/**
 * The network: a hidden layer and a softmax output layer, its parameters, and forward
 * propagation.
 *
 *   Z1 = W1·X + b1    A1 = g(Z1)         (hidden layer, g = ReLU or sigmoid)
 *   Z2 = W2·A1 + b2   A2 = softmax(Z2)   (output layer: one probability per digit)
 *
 * Shapes, for n inputs (784 pixels), h hidden units (128), 10 classes and a batch of m images:
 * X (n×m), W1 (h×n), b1 (h×1), Z1 and A1 (h×m), W2 (10×h), b2 (10×1), Z2 and A2 (10×m).
 *
 * @module
 */

import { activate, type Activation } from "./activations.ts";
import { addColumn, matmul, Matrix, multiplyElementwise } from "./matrix.ts";
import { Random } from "./random.ts";
import { SparseColumns, sparseMatmul } from "./sparse.ts";
import { softmax } from "./softmax.ts";

/** How the initial weights are drawn. */
export type Initialization = "he" | "xavier" | "uniform";

/** A two-layer network: its activation and its parameters, named as in the math. */
export interface Network {
  activation: Activation;
  W1: Matrix;
  b1: Matrix;
  W2: Matrix;
  b2: Matrix;
}

/** The names of the parameters, in the order they are saved and updated. */
export const PARAMETER_NAMES = ["W1", "b1", "W2", "b2"] as const;

/** One of {@linkcode PARAMETER_NAMES}. */
export type ParameterName = typeof PARAMETER_NAMES[number];

/** Options for {@linkcode initNetwork}. */
export interface InitOptions {
  /** Input size n: 784 for 28×28 images. */
  inputs?: number;
  /** Hidden units h. */
  hidden?: number;
  /** Output classes. */
  outputs?: number;
  activation?: Activation;
  /** Default: "he" for ReLU, "xavier" for sigmoid. */
  initialization?: Initialization;
  /** Seeds the random weights: the same seed gives bit-identical weights. */
  seed?: number;
  /** Float32 for training (default), Float64 for gradient checks. */
  precision?: "f32" | "f64";
}

/**
 * A network with random weights.
 *
 * - "he" (Kaiming): W ~ N(0, 2/fan_in). ReLU zeroes half its inputs on average, and the factor
 *   2 keeps the variance of the activations the same from layer to layer.
 * - "xavier" (Glorot): W ~ N(0, 2/(fan_in + fan_out)), made for sigmoid and tanh.
 * - "uniform": W and b ~ U(−0.5, 0.5), the original NumPy script's `np.random.rand(...) - 0.5`.
 *
 * He and Xavier start the biases at 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const network = initNetwork({ hidden: 128, activation: "relu", seed: 1 });
 * assert.deepEqual([network.W1.shape, network.b2.shape], [[128, 784], [10, 1]]);
 * ```
 */
export function initNetwork(options: InitOptions = {}): Network {
  const {
    inputs = 784,
    hidden = 128,
    outputs = 10,
    activation = "relu",
    initialization = activation === "relu" ? "he" : "xavier",
    seed = 0,
    precision = "f32",
  } = options;
  const random = new Random(seed);
  const layer = (fanOut: number, fanIn: number): [Matrix, Matrix] => {
    const W = Matrix.zeros(fanOut, fanIn, precision);
    const b = Matrix.zeros(fanOut, 1, precision);
    if (initialization === "uniform") {
      for (let i = 0; i < W.data.length; i++) W.data[i] = random.uniform() - 0.5;
      for (let i = 0; i < b.data.length; i++) b.data[i] = random.uniform() - 0.5;
    } else {
      const variance = initialization === "he" ? 2 / fanIn : 2 / (fanIn + fanOut);
      const std = Math.sqrt(variance);
      for (let i = 0; i < W.data.length; i++) W.data[i] = random.normal() * std;
    }
    return [W, b];
  };
  const [W1, b1] = layer(hidden, inputs);
  const [W2, b2] = layer(outputs, hidden);
  return { activation, W1, b1, W2, b2 };
}

/** What forward propagation computes, kept for backpropagation. */
export interface ForwardCache {
  X: Matrix | SparseColumns;
  Z1: Matrix;
  A1: Matrix;
  Z2: Matrix;
  A2: Matrix;
  /** The dropout mask applied to A1 in training (lib/dropout.ts), absent at evaluation. */
  D1?: Matrix;
}

/**
 * Z = W·X + b: one layer's pre-activation. X may be sparse (image pixels, zeros skipped) or dense.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const Z = linear(Matrix.from([[1, 2]]), Matrix.from([[3], [4]]), Matrix.from([[0.5]]));
 * assert.deepEqual(Z.toArray(), [[11.5]]);
 * ```
 */
export function linear(W: Matrix, X: Matrix | SparseColumns, b: Matrix): Matrix {
  const Z = X instanceof SparseColumns ? sparseMatmul(W, X) : matmul(W, X);
  return addColumn(Z, b);
}

/**
 * Forward propagation of a batch X (n×m) through the network; A2 (10×m) holds each sample's
 * class probabilities. A dropout mask D1 (h×m, see lib/dropout.ts) makes A1 = g(Z1) ∘ D1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const network = initNetwork({ seed: 1 });
 * const { A2 } = forwardPropagation(network, Matrix.zeros(784, 5));
 * assert.deepEqual(A2.shape, [10, 5]);
 * ```
 */
export function forwardPropagation(
  network: Network,
  X: Matrix | SparseColumns,
  D1?: Matrix,
): ForwardCache {
  const { W1, b1, W2, b2, activation } = network;
  if (X.rows !== W1.cols) {
    throw new RangeError(
      `forwardPropagation: X has ${X.rows} rows, the network expects ${W1.cols} inputs`,
    );
  }
  const Z1 = linear(W1, X, b1);
  const A1 = D1 ? multiplyElementwise(activate(Z1, activation), D1) : activate(Z1, activation);
  const Z2 = linear(W2, A1, b2);
  const A2 = softmax(Z2);
  return { X, Z1, A1, Z2, A2, ...(D1 ? { D1 } : {}) };
}

/**
 * The most probable class of each column of A2 (10×m): what the network predicts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(Array.from(predictions(Matrix.from([[0.9, 0.2], [0.1, 0.8]]))), [0, 1]);
 * ```
 */
export function predictions(A2: Matrix): Uint8Array {
  const predicted = new Uint8Array(A2.cols);
  for (let j = 0; j < A2.cols; j++) {
    let best = 0;
    for (let i = 1; i < A2.rows; i++) if (A2.get(i, j) > A2.get(best, j)) best = i;
    predicted[j] = best;
  }
  return predicted;
}

/**
 * A copy of `network` with its own parameter arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const network = initNetwork({ hidden: 4, seed: 1 });
 * const saved = cloneNetwork(network);
 * network.W1.data[0] = 42; // training `network` further...
 * assert.notEqual(saved.W1.data[0], 42); // ...leaves `saved` as it was
 * ```
 */
export function cloneNetwork(network: Network): Network {
  const { activation, W1, b1, W2, b2 } = network;
  return { activation, W1: W1.clone(), b1: b1.clone(), W2: W2.clone(), b2: b2.clone() };
}
