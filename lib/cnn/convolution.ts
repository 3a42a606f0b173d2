/**
 * The 2-D convolution of a convolutional network (strictly a cross-correlation, as in every
 * deep-learning library: the kernel is not flipped), with zero padding p and stride s:
 *
 *   Z[n, o, y, x] = b[o] + Σ_c Σ_i Σ_j K[o, c, i, j] · X[n, c, y·s + i − p, x·s + j − p]
 *
 * where X is zero outside the image. Shapes: X [N, C, H, W], K [O, C, k, k], b [O] →
 * Z [N, O, H′, W′] with H′ = ⌊(H + 2p − k) / s⌋ + 1 (and W′ alike). One kernel K[o] slides
 * over every position of the image with the same weights: a feature detector that finds its
 * pattern wherever it is.
 *
 * Backward, from dZ = ∂L/∂Z: every product K[o, c, i, j]·X[n, c, u, v] of the forward sum sends
 * the gradient dZ[n, o, y, x] back to both its factors,
 *
 *   dK[o, c, i, j] = Σ_n Σ_y Σ_x dZ[n, o, y, x] · X[n, c, y·s + i − p, x·s + j − p]
 *   dX[n, c, u, v] = Σ_o Σ_(y, x, i, j) dZ[n, o, y, x] · K[o, c, i, j]
 *                    over the (y, x, i, j) with y·s + i − p = u and x·s + j − p = v
 *   db[o]          = Σ_n Σ_y Σ_x dZ[n, o, y, x]
 *
 * For stride 1, dX is itself a convolution: dZ padded by k − 1 − p, with the kernels flipped
 * (rotated 180°) and their input and output channels swapped (tests/cnn_convolution_test.ts
 * checks exactly that). The gradient of a convolution is a convolution.
 *
 * Written directly from the formula, loop for loop, rather than by im2col (copying every k×k
 * patch into a column so that the convolution becomes one matrix product): the loops *are* the
 * formula a learner checks by hand, with no patch matrix to picture first, and a reference that
 * works differently from the fast kernels' im2col-and-matmul tests them by an independent route.
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

/** Zero padding and stride of a convolution. */
export interface ConvolutionOptions {
  /** Zeros added on every side of the image (default 0, "valid"). */
  padding?: number;
  /** Step between two positions of the kernel (default 1). */
  stride?: number;
}

/**
 * The output side H′ = ⌊(H + 2p − k) / s⌋ + 1 of a convolution over a side of H pixels.
 * Throws if the kernel does not fit even once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(outputSide(28, 5, { padding: 2 }), 28); // "same" padding
 * assert.equal(outputSide(14, 5), 10);
 * assert.equal(outputSide(7, 3, { stride: 2 }), 3);
 * ```
 */
export function outputSide(side: number, kernel: number, options: ConvolutionOptions = {}): number {
  const { padding = 0, stride = 1 } = options;
  if (!Number.isInteger(padding) || padding < 0 || !Number.isInteger(stride) || stride < 1) {
    throw new RangeError(
      `padding must be an integer ≥ 0 and stride an integer ≥ 1, got ${padding} and ${stride}`,
    );
  }
  if (side + 2 * padding < kernel) {
    throw new RangeError(
      `a ${kernel}×${kernel} kernel does not fit in ${side} pixels padded by ${padding}`,
    );
  }
  return Math.floor((side + 2 * padding - kernel) / stride) + 1;
}

/**
 * The convolution Z = K ⋆ X + b (see the module doc). Shapes: X [N, C, H, W], K [O, C, k, k],
 * b [O] → Z [N, O, H′, W′].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const X = Tensor.image([[1, 2, 0], [0, 1, 3], [2, 0, 1]]);
 * const K = Tensor.image([[1, 0], [0, -1]]); // one 2×2 kernel: top-left minus bottom-right
 * assert.deepEqual(convolve(X, K, Tensor.zeros([1])).toImage(), [[0, -1], [0, 0]]);
 * ```
 */
export function convolve(
  X: Tensor,
  K: Tensor,
  b: Tensor,
  options: ConvolutionOptions = {},
): Tensor {
  const { padding = 0, stride = 1 } = options;
  const [N, C, H, W] = X.shape;
  const [O, k] = checkShapes(X, K, b);
  const Ho = outputSide(H, k, options), Wo = outputSide(W, k, options);
  const Z = X.zerosLike([N, O, Ho, Wo]);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let y = 0; y < Ho; y++) {
        for (let x = 0; x < Wo; x++) {
          let sum = b.data[o];
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              const u = y * stride + i - padding;
              if (u < 0 || u >= H) continue; // a row of padding: zeros add nothing
              for (let j = 0; j < k; j++) {
                const v = x * stride + j - padding;
                if (v < 0 || v >= W) continue;
                sum += K.data[((o * C + c) * k + i) * k + j] *
                  X.data[((n * C + c) * H + u) * W + v];
              }
            }
          }
          Z.data[((n * O + o) * Ho + y) * Wo + x] = sum;
        }
      }
    }
  }
  return Z;
}

/** What {@linkcode convolveBackward} returns: the gradient for each input of the convolution. */
export interface ConvolutionGradients {
  /** ∂L/∂X, shape of X; absent when not asked for (the first layer's input is the image). */
  dX?: Tensor;
  /** ∂L/∂K, shape of K. */
  dK: Tensor;
  /** ∂L/∂b, shape of b. */
  db: Tensor;
}

/**
 * Backpropagation through {@linkcode convolve}: from dZ = ∂L/∂Z and the forward inputs, the
 * sums of the module doc. These are the exact gradients of L for the dZ given (a mean over the
 * batch is the caller's 1/m, as dW = (1/m)·dZ·Aᵀ is in lib/backprop.ts). The loop nest is the
 * forward one: each product of the forward sum hands dZ back to its two factors.
 *
 * @param inputGradient compute dX (default true); the first layer has no use for it
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const X = Tensor.image([[1, 2, 0], [0, 1, 3], [2, 0, 1]]);
 * const K = Tensor.image([[1, 0], [0, -1]]);
 * const dZ = Tensor.image([[1, 1], [1, 1]]); // ∂L/∂Z for L = the sum of Z's four elements
 * const { dX, dK, db } = convolveBackward(dZ, X, K);
 * assert.deepEqual(dK.toImage(), [[4, 6], [3, 5]]); // the sums of X's four 2×2 windows
 * assert.deepEqual(dX!.toImage(), [[1, 1, 0], [1, 0, -1], [0, -1, -1]]);
 * assert.deepEqual(Array.from(db.data), [4]);
 * ```
 */
export function convolveBackward(
  dZ: Tensor,
  X: Tensor,
  K: Tensor,
  options: ConvolutionOptions = {},
  inputGradient = true,
): ConvolutionGradients {
  const { padding = 0, stride = 1 } = options;
  const [N, C, H, W] = X.shape;
  const [O, , k] = K.shape;
  const [, , Ho, Wo] = dZ.shape;
  if (
    dZ.shape.length !== 4 || dZ.shape[0] !== N || dZ.shape[1] !== O ||
    Ho !== outputSide(H, k, options) || Wo !== outputSide(W, k, options)
  ) {
    throw new RangeError(`convolveBackward: dZ ${dZ} does not match X ${X} and K ${K}`);
  }
  const dX = inputGradient ? X.zerosLike() : undefined;
  const dK = K.zerosLike(), db = K.zerosLike([O]);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let y = 0; y < Ho; y++) {
        for (let x = 0; x < Wo; x++) {
          const g = dZ.data[((n * O + o) * Ho + y) * Wo + x];
          db.data[o] += g;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              const u = y * stride + i - padding;
              if (u < 0 || u >= H) continue;
              for (let j = 0; j < k; j++) {
                const v = x * stride + j - padding;
                if (v < 0 || v >= W) continue;
                const kernelAt = ((o * C + c) * k + i) * k + j;
                const inputAt = ((n * C + c) * H + u) * W + v;
                dK.data[kernelAt] += g * X.data[inputAt];
                if (dX) dX.data[inputAt] += g * K.data[kernelAt];
              }
            }
          }
        }
      }
    }
  }
  return { dX, dK, db };
}

/** [O, k] after checking that X, K and b fit together; a RangeError naming the shapes if not. */
function checkShapes(X: Tensor, K: Tensor, b: Tensor): [number, number] {
  const [O, C, k, k2] = K.shape;
  if (
    X.shape.length !== 4 || K.shape.length !== 4 || k !== k2 || X.shape[1] !== C ||
    b.shape.length !== 1 || b.shape[0] !== O
  ) {
    throw new RangeError(
      `convolve: X ${X} (N×C×H×W), K ${K} (O×C×k×k) and b ${b} (O) do not fit together`,
    );
  }
  return [O, k];
}
