/**
 * Max pooling: each channel of each image is cut into s×s tiles, and a tile becomes its largest
 * value,
 *
 *   P[n, c, y, x] = max_{0 ≤ i, j < s} A[n, c, y·s + i, x·s + j]
 *
 * Shapes: A [N, C, H, W] → P [N, C, ⌊H/s⌋, ⌊W/s⌋] (rows and columns past the last whole tile are
 * dropped, as PyTorch's `MaxPool2d` does). The maps get s² times smaller, and a feature that
 * moves by less than a tile inside it still gives the same output: a little shift invariance.
 *
 * Backward: the maximum is a selection, so its gradient goes to the element that was selected
 * (the argmax) and the others in the tile get 0:
 *
 *   dA[n, c, u, v] = dP[n, c, y, x]  if (u, v) is the argmax of tile (y, x), else 0
 *
 * Ties go to the first maximum in reading order (row by row), a choice written down once in the
 * forward pass's `argmax`, so forward and backward always agree.
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

/** What {@linkcode maxPool} computes: the pooled maps, and where each maximum came from. */
export interface Pooled {
  /** P [N, C, ⌊H/s⌋, ⌊W/s⌋]. */
  P: Tensor;
  /** For each element of P, the storage offset in A of the element it copied. */
  argmax: Int32Array;
}

/**
 * s×s max pooling with stride s (default 2). Shapes: A [N, C, H, W] → P [N, C, ⌊H/s⌋, ⌊W/s⌋].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const { P, argmax } = maxPool(Tensor.image([[1, 5, 2, 0], [3, 4, 8, 1]]), 2);
 * assert.deepEqual(P.toImage(), [[5, 8]]);
 * assert.deepEqual(Array.from(argmax), [1, 6]); // A's elements (0, 1) and (1, 2)
 * ```
 */
export function maxPool(A: Tensor, size = 2): Pooled {
  if (A.shape.length !== 4) throw new RangeError(`maxPool: A ${A} must be N×C×H×W`);
  const [N, C, H, W] = A.shape;
  if (!Number.isInteger(size) || size < 1 || size > H || size > W) {
    throw new RangeError(`maxPool: tile size ${size} must be an integer in 1..${Math.min(H, W)}`);
  }
  const Ho = Math.floor(H / size), Wo = Math.floor(W / size);
  const P = A.zerosLike([N, C, Ho, Wo]);
  const argmax = new Int32Array(P.size);
  for (let map = 0; map < N * C; map++) {
    for (let y = 0; y < Ho; y++) {
      for (let x = 0; x < Wo; x++) {
        let best = (map * H + y * size) * W + x * size;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const at = (map * H + y * size + i) * W + x * size + j;
            if (A.data[at] > A.data[best]) best = at; // ">" keeps the first of equal maxima
          }
        }
        const out = (map * Ho + y) * Wo + x;
        P.data[out] = A.data[best];
        argmax[out] = best;
      }
    }
  }
  return { P, argmax };
}

/**
 * Backpropagation through {@linkcode maxPool}: dA has A's shape, zero everywhere except at
 * each tile's maximum, which receives that tile's dP.
 *
 * @param shape A's shape, [N, C, H, W]
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 *
 * const A = Tensor.image([[1, 5, 2, 0], [3, 4, 8, 1]]);
 * const { argmax } = maxPool(A, 2);
 * const dA = maxPoolBackward(Tensor.image([[10, 20]]), argmax, A.shape);
 * assert.deepEqual(dA.toImage(), [[0, 10, 0, 0], [0, 0, 20, 0]]); // only to each maximum
 * ```
 */
export function maxPoolBackward(
  dP: Tensor,
  argmax: Int32Array,
  shape: readonly number[],
): Tensor {
  if (dP.size !== argmax.length) {
    throw new RangeError(
      `maxPoolBackward: dP ${dP} has ${dP.size} elements, argmax has ${argmax.length}`,
    );
  }
  const dA = dP.zerosLike(shape);
  // The tiles do not overlap, so each element of A is the maximum of at most one tile.
  for (let out = 0; out < argmax.length; out++) dA.data[argmax[out]] = dP.data[out];
  return dA;
}
