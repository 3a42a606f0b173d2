/**
 * One-hot labels and the cross-entropy loss that measures how far the predicted probabilities
 * are from them.
 *
 * @module
 */

import { Matrix, zerosLike } from "./matrix.ts";

/** The number of classes: the digits 0–9. */
export const CLASSES = 10;

/**
 * One-hot encoding: label y becomes a column with 1 in row y and 0 elsewhere.
 * Shape: m labels → Y (10 × m). Always 10 rows, even if a batch happens to lack some digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(oneHot([2], 3).toArray(), [[0], [0], [1]]); // one column per label
 * ```
 */
export function oneHot(
  labels: ArrayLike<number>,
  classes = CLASSES,
  precision: "f32" | "f64" = "f32",
): Matrix {
  const Y = Matrix.zeros(classes, labels.length, precision);
  for (let j = 0; j < labels.length; j++) {
    const label = labels[j];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`label ${j} is ${label}, expected an integer in 0..${classes - 1}`);
    }
    Y.data[label * labels.length + j] = 1;
  }
  return Y;
}

/**
 * Probabilities are clamped to at least this before the logarithm: a probability that rounded
 * to exactly 0 would give log(0) = −Infinity, and one Infinity poisons the whole average.
 */
export const LOG_EPSILON = 1e-12;

/**
 * Mean cross-entropy over the batch: L = −(1/m) Σⱼ Σᵢ Y[i,j]·log(A2[i,j]). With one-hot Y this is
 * the mean of −log(probability given to the right class). Shapes: A2, Y (classes × m) → number.
 * A uniform guess over 10 classes costs −log(1/10) = ln 10 ≈ 2.303.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const loss = crossEntropyLoss(Matrix.from([[0.5], [0.5]]), Matrix.from([[1], [0]]));
 * assert.ok(Math.abs(loss - Math.LN2) < 1e-7); // −ln ½
 * ```
 */
export function crossEntropyLoss(A2: Matrix, Y: Matrix): number {
  if (A2.rows !== Y.rows || A2.cols !== Y.cols) {
    throw new RangeError(
      `crossEntropyLoss: predictions (${A2.rows}, ${A2.cols}) and labels (${Y.rows}, ${Y.cols}) differ in shape`,
    );
  }
  let total = 0;
  for (let i = 0; i < A2.data.length; i++) {
    if (Y.data[i] !== 0) total -= Y.data[i] * Math.log(Math.max(A2.data[i], LOG_EPSILON));
  }
  return total / A2.cols;
}

/**
 * dZ2 = A2 − Y: the gradient of the cross-entropy with respect to the output logits Z2, for
 * softmax outputs. The softmax Jacobian and the derivative of −log collapse into this one
 * subtraction, which is why softmax and cross-entropy are always used together.
 * Shapes: A2, Y (classes × m) → dZ2 (classes × m), per sample (the 1/m comes with dW2, db2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const dZ2 = softmaxCrossEntropyGradient(Matrix.from([[0.7], [0.3]]), Matrix.from([[1], [0]]));
 * // A2 − Y = [[−0.3], [0.3]], up to float32 rounding
 * assert.deepEqual(dZ2.toArray(), [[Math.fround(0.7) - 1], [Math.fround(0.3)]]);
 * ```
 */
export function softmaxCrossEntropyGradient(A2: Matrix, Y: Matrix): Matrix {
  if (A2.rows !== Y.rows || A2.cols !== Y.cols) {
    throw new RangeError(
      `softmaxCrossEntropyGradient: predictions (${A2.rows}, ${A2.cols}) and labels (${Y.rows}, ${Y.cols}) differ in shape`,
    );
  }
  const dZ2 = zerosLike(A2);
  for (let i = 0; i < A2.data.length; i++) dZ2.data[i] = A2.data[i] - Y.data[i];
  return dZ2;
}
