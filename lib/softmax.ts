/**
 * Softmax turns the output layer's scores (logits) into probabilities.
 *
 * @module
 */

import { type Matrix, zerosLike } from "./matrix.ts";

/**
 * Column-wise softmax: for each sample (column) j, A[i,j] = e^(Z[i,j]) / Σₖ e^(Z[k,j]).
 * Shapes: Z (classes × m) → A (classes × m), every column sums to 1.
 *
 * e^z overflows to Infinity for z > 709 (Float64), and Infinity/Infinity is NaN. Softmax does not
 * change when the same constant is subtracted from every logit of a sample, so we subtract the
 * column's maximum first: the largest exponent is then e^0 = 1 and nothing can overflow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * // exp(1000) overflows; with the max subtracted first it never does.
 * assert.deepEqual(softmax(Matrix.from([[1000], [1000]])).toArray(), [[0.5], [0.5]]);
 * ```
 */
export function softmax(Z: Matrix): Matrix {
  const A = zerosLike(Z);
  const { rows, cols } = Z;
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let i = 0; i < rows; i++) max = Math.max(max, Z.data[i * cols + j]);
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      const e = Math.exp(Z.data[i * cols + j] - max);
      A.data[i * cols + j] = e;
      sum += e;
    }
    for (let i = 0; i < rows; i++) A.data[i * cols + j] /= sum;
  }
  return A;
}
