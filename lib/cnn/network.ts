/**
 * A LeNet-style convolutional network: two convolutions that find local features anywhere in
 * the image, then the course's multilayer perceptron on what they found.
 *
 *   Z1 = K1 ⋆ X + b1    A1 = ReLU(Z1)   P1 = maxpool₂(A1)
 *   Z2 = K2 ⋆ P1 + b2   A2 = ReLU(Z2)   P2 = maxpool₂(A2)
 *   F  = flatten(P2)
 *   Z3 = W3·F + b3      A3 = ReLU(Z3)
 *   Z4 = W4·A3 + b4     A4 = softmax(Z4)   the probabilities
 *
 * Shapes for a batch of m images: X [m, 1, 28, 28]; Z1, A1 [m, c1, 28, 28]; P1 [m, c1, 14, 14];
 * Z2, A2 [m, c2, 10, 10]; P2 [m, c2, 5, 5]; F (25·c2 × m); Z3, A3 (h × m); Z4, A4 (10 × m).
 *
 * K1 [c1, 1, 5, 5] and b1 [c1] (padding 2: "same", every pixel is a centre), K2 [c2, c1, 5, 5]
 * and b2 [c2] (no padding), W3 (h × 25·c2), b3 (h × 1), W4 (10 × h), b4 (10 × 1). Layers 3 and 4
 * are lib/network.ts's 25·c2-h-10 network (its W1, b1, W2, b2), run by its own forward and
 * backward passes. F holds one image per column, as the MLP's X does, flattened in PyTorch's
 * order: F[(c·5 + y)·5 + x, n] = P2[n, c, y, x], so W3 is what `torch.nn.Flatten` then
 * `nn.Linear` would hold.
 *
 * Backward, from the MLP's dF = W3ᵀ·dZ3 down: dP2 = unflatten(dF), dA2 = maxpool′(dP2),
 * dZ2 = dA2 ∘ ReLU′(Z2), then the convolution's backward pass gives dK2, db2 and dP1; and the
 * same again for the first layer. Everything is per sample until the weight gradients, which are
 * means over the batch (the 1/m, as in lib/backprop.ts).
 *
 * The default shapes (c1 = 8, c2 = 16, h = 128) are about LeNet-5's (6 and 16 kernels, then 120
 * and 84 units: 0.95 % test error in LeCun et al., 1998), with ReLU and max pooling: about
 * 0.53 million multiply-adds per image forward, small enough to train on two CPU cores.
 *
 * @module
 */

import { relu, reluDerivative } from "../activations.ts";
import { backwardToInputs } from "../backprop.ts";
import { type Dataset, IMAGE_SIDE, PIXELS } from "../data/dataset.ts";
import { CLASSES } from "../loss.ts";
import { Matrix, multiplyElementwise, zerosLike } from "../matrix.ts";
import { type ForwardCache, forwardPropagation, initNetwork, type Network } from "../network.ts";
import { Random } from "../random.ts";
import { type ConvolutionOptions, convolve, convolveBackward } from "./convolution.ts";
import { maxPool, maxPoolBackward } from "./pooling.ts";
import { fromMatrix, Tensor } from "./tensor.ts";

/** The side of both convolutions' kernels. */
export const KERNEL_SIDE = 5;
/** The first convolution keeps the 28×28 size ("same" padding); the second has none. */
export const CONVOLUTIONS: readonly ConvolutionOptions[] = [{ padding: 2 }, { padding: 0 }];
/** Both poolings take the maximum of 2×2 tiles. */
export const POOL = 2;
/** The side of P2: 28 → conv 28 → pool 14 → conv 10 → pool 5. */
export const FEATURE_SIDE = (IMAGE_SIDE / POOL - KERNEL_SIDE + 1) / POOL;

/** A convolutional network's parameters, named as in the module doc. */
export interface ConvNet {
  K1: Tensor;
  b1: Tensor;
  K2: Tensor;
  b2: Tensor;
  W3: Matrix;
  b3: Matrix;
  W4: Matrix;
  b4: Matrix;
}

/** The names of the parameters, in the order they are saved. */
export const CONV_PARAMETER_NAMES = ["K1", "b1", "K2", "b2", "W3", "b3", "W4", "b4"] as const;

/** The gradient of each parameter, same shapes: dK1, db1, …, db4. */
export interface ConvGradients {
  dK1: Tensor;
  db1: Tensor;
  dK2: Tensor;
  db2: Tensor;
  dW3: Matrix;
  db3: Matrix;
  dW4: Matrix;
  db4: Matrix;
}

/** The sizes a ConvNet is built with. */
export interface ConvNetShape {
  /** Kernels of the first convolution, c1 (default 8). */
  channels1?: number;
  /** Kernels of the second convolution, c2 (default 16). */
  channels2?: number;
  /** Hidden units of the dense layer, h (default 128). */
  hidden?: number;
}

/** Options for {@linkcode initConvNet}. */
export interface ConvNetOptions extends ConvNetShape {
  /** Seeds the random weights: the same seed gives bit-identical weights. */
  seed?: number;
  /** Float32 for training (default), Float64 for gradient checks. */
  precision?: "f32" | "f64";
}

/**
 * A ConvNet with He-initialised weights: every kernel element ~ N(0, 2/fan_in) with
 * fan_in = (input channels)·5·5, the inputs each output sums over (the same reason as in
 * lib/network.ts: ReLU zeroes half its inputs, the 2 keeps the activations' variance). Biases
 * start at 0. The dense layers are lib/network.ts's initNetwork, seeded with `seed + 1` so
 * that they do not repeat the kernels' draws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const cnn = initConvNet({ seed: 1 });
 * assert.deepEqual(cnn.K1.shape, [8, 1, 5, 5]);
 * assert.deepEqual(cnn.W3.shape, [128, 16 * 5 * 5]); // 16 maps of 5×5 pixels
 * ```
 */
export function initConvNet(options: ConvNetOptions = {}): ConvNet {
  const { channels1 = 8, channels2 = 16, hidden = 128, seed = 0, precision = "f32" } = options;
  for (const [name, value] of Object.entries({ channels1, channels2, hidden })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  const random = new Random(seed);
  const kernels = (out: number, inputs: number): Tensor => {
    const K = Tensor.zeros([out, inputs, KERNEL_SIDE, KERNEL_SIDE], precision);
    const std = Math.sqrt(2 / (inputs * KERNEL_SIDE * KERNEL_SIDE));
    for (let i = 0; i < K.size; i++) K.data[i] = random.normal() * std;
    return K;
  };
  const K1 = kernels(channels1, 1), K2 = kernels(channels2, channels1);
  const head = initNetwork({
    inputs: channels2 * FEATURE_SIDE * FEATURE_SIDE,
    hidden,
    outputs: CLASSES,
    activation: "relu",
    seed: seed + 1,
    precision,
  });
  return {
    K1,
    b1: Tensor.zeros([channels1], precision),
    K2,
    b2: Tensor.zeros([channels2], precision),
    W3: head.W1,
    b3: head.b1,
    W4: head.W2,
    b4: head.b2,
  };
}

/**
 * Layers 3 and 4 as the course's MLP: the same matrices (not copies), under the MLP's names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const cnn = initConvNet({ seed: 1 });
 * assert.equal(denseHead(cnn).W1, cnn.W3);
 * ```
 */
export function denseHead(cnn: ConvNet): Network {
  return { activation: "relu", W1: cnn.W3, b1: cnn.b3, W2: cnn.W4, b2: cnn.b4 };
}

/** What the forward pass computes, kept for the backward pass. */
export interface ConvForwardCache {
  X: Tensor;
  Z1: Tensor;
  A1: Tensor;
  /** P1 and where each of its maxima came from in A1. */
  P1: Tensor;
  argmax1: Int32Array;
  Z2: Tensor;
  A2: Tensor;
  P2: Tensor;
  argmax2: Int32Array;
  /** The MLP's cache: its X is F, its Z1, A1, Z2, A2 are Z3, A3, Z4, A4. */
  head: ForwardCache;
  /** The class probabilities A4 (10 × m). */
  probabilities: Matrix;
}

/**
 * Forward propagation of a batch of images X [m, 1, 28, 28]; `probabilities` (10 × m) holds
 * each image's class probabilities, column by column as the MLP's A2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const { probabilities } = convForward(initConvNet({ seed: 1 }), Tensor.zeros([3, 1, 28, 28]));
 * assert.deepEqual(probabilities.shape, [10, 3]);
 * ```
 */
export function convForward(cnn: ConvNet, X: Tensor): ConvForwardCache {
  if (
    X.shape.length !== 4 || X.shape[1] !== 1 || X.shape[2] !== IMAGE_SIDE ||
    X.shape[3] !== IMAGE_SIDE
  ) {
    throw new RangeError(`convForward: X ${X} must be m×1×${IMAGE_SIDE}×${IMAGE_SIDE}`);
  }
  const Z1 = convolve(X, cnn.K1, cnn.b1, CONVOLUTIONS[0]);
  const A1 = fromMatrix(relu(Z1.asMatrix()), Z1.shape);
  const { P: P1, argmax: argmax1 } = maxPool(A1, POOL);
  const Z2 = convolve(P1, cnn.K2, cnn.b2, CONVOLUTIONS[1]);
  const A2 = fromMatrix(relu(Z2.asMatrix()), Z2.shape);
  const { P: P2, argmax: argmax2 } = maxPool(A2, POOL);
  const head = forwardPropagation(denseHead(cnn), flatten(P2));
  return { X, Z1, A1, P1, argmax1, Z2, A2, P2, argmax2, head, probabilities: head.A2 };
}

/**
 * The gradients of the mean cross-entropy over the batch for every parameter, from the forward
 * pass's cache and the one-hot labels Y (10 × m). The steps are the module doc's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "../loss.ts";
 * import { Tensor } from "./tensor.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 2, hidden: 4, seed: 1 });
 * const X = Tensor.zeros([2, 1, 28, 28]); // two blank images
 * const cache = convForward(cnn, X);
 * const { dK1, dW3, db4 } = convBackward(cnn, cache, oneHot([3, 7]));
 * assert.deepEqual([dK1.shape, dW3.shape], [cnn.K1.shape, cnn.W3.shape]);
 * // Each column of A4 − Y sums to 1 − 1 = 0, and so does db4, their mean.
 * assert.ok(Math.abs(Array.from(db4.data).reduce((sum, d) => sum + d)) < 1e-6);
 * ```
 */
export function convBackward(cnn: ConvNet, cache: ConvForwardCache, Y: Matrix): ConvGradients {
  const m = cache.X.shape[0];
  const { gradients, dX: dF } = backwardToInputs(denseHead(cnn), cache.head, Y);
  const dP2 = unflatten(dF, cache.P2.shape);
  const dA2 = maxPoolBackward(dP2, cache.argmax2, cache.A2.shape);
  const dZ2 = reluBackward(dA2, cache.Z2);
  const second = convolveBackward(dZ2, cache.P1, cnn.K2, CONVOLUTIONS[1]);
  const dA1 = maxPoolBackward(second.dX!, cache.argmax1, cache.A1.shape);
  const dZ1 = reluBackward(dA1, cache.Z1);
  const first = convolveBackward(dZ1, cache.X, cnn.K1, CONVOLUTIONS[0], false);
  const mean = (T: Tensor) => {
    for (let i = 0; i < T.size; i++) T.data[i] /= m;
    return T;
  };
  return {
    dK1: mean(first.dK),
    db1: mean(first.db),
    dK2: mean(second.dK),
    db2: mean(second.db),
    dW3: gradients.dW1,
    db3: gradients.db1,
    dW4: gradients.dW2,
    db4: gradients.db2,
  };
}

/**
 * The images at `indices` of `dataset` as a batch X [m, 1, 28, 28], pixels scaled to [0, 1]:
 * the CNN's input, as lib/data/dataset.ts's denseInputs is the MLP's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const images = new Uint8Array(2 * 784);
 * images[784 + 29] = 255; // image 1, row 1, column 1
 * const X = imageBatch({ images, count: 2, source: "two images" }, [1, 0, 1]);
 * assert.deepEqual(X.shape, [3, 1, 28, 28]);
 * assert.deepEqual([X.get(0, 0, 1, 1), X.get(1, 0, 1, 1)], [1, 0]); // scaled to [0, 1]
 * ```
 */
export function imageBatch(
  dataset: Dataset,
  indices: ArrayLike<number>,
  precision: "f32" | "f64" = "f32",
): Tensor {
  const X = Tensor.zeros([indices.length, 1, IMAGE_SIDE, IMAGE_SIDE], precision);
  for (let n = 0; n < indices.length; n++) {
    const image = indices[n];
    if (!Number.isInteger(image) || image < 0 || image >= dataset.count) {
      throw new RangeError(`index ${image} is outside ${dataset.source} (${dataset.count} images)`);
    }
    for (let p = 0; p < PIXELS; p++) {
      X.data[n * PIXELS + p] = dataset.images[image * PIXELS + p] / 255;
    }
  }
  return X;
}

/**
 * F (features × m): image n's maps P[n] laid out as column n, in PyTorch's flatten order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const P = new Tensor([2, 1, 1, 2], Float32Array.from([1, 2, 3, 4])); // 2 images of 1×2
 * assert.deepEqual(flatten(P).toArray(), [[1, 3], [2, 4]]); // one column per image
 * ```
 */
export function flatten(P: Tensor): Matrix {
  const m = P.shape[0], features = P.size / m;
  const F = new Matrix(features, m, P.zerosLike([features, m]).data);
  for (let n = 0; n < m; n++) {
    for (let f = 0; f < features; f++) F.data[f * m + n] = P.data[n * features + f];
  }
  return F;
}

/**
 * The inverse of {@linkcode flatten}: column n of dF becomes image n's maps of `shape`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "../matrix.ts";
 *
 * const dP = unflatten(Matrix.from([[1, 3], [2, 4]]), [2, 1, 1, 2]);
 * assert.deepEqual(Array.from(dP.data), [1, 2, 3, 4]);
 * ```
 */
export function unflatten(dF: Matrix, shape: readonly number[]): Tensor {
  const dP = new Tensor(shape, zerosLike(dF).data);
  const m = dF.cols, features = dF.rows;
  for (let n = 0; n < m; n++) {
    for (let f = 0; f < features; f++) dP.data[n * features + f] = dF.data[f * m + n];
  }
  return dP;
}

/** dZ = dA ∘ ReLU′(Z), with lib/activations.ts's ReLU′ (0 at the kink, as PyTorch). */
function reluBackward(dA: Tensor, Z: Tensor): Tensor {
  return fromMatrix(multiplyElementwise(dA.asMatrix(), reluDerivative(Z.asMatrix())), Z.shape);
}
