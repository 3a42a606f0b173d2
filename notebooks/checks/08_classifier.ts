/**
 * Checks for the exercises of notebook 8 (the classifier). Each returns "not answered yet" for
 * the placeholder, "correct." for a right answer, and throws an Error that says what was
 * expected and where to look for a wrong one.
 *
 * @module
 */

import { learningRateAt } from "../../lib/train.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/**
 * Exercise `most-confused`: `[trueDigit, predictedDigit]` of the most frequent mistake (any of
 * them if several tie), counted here from the predictions and labels directly rather than from
 * the confusion matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Six images: two 7s read as 2, one 4 read as 9, three right.
 * const labels = [7, 7, 4, 1, 2, 7];
 * const predicted = [2, 2, 9, 1, 2, 7];
 * assert.equal(checkMostConfused([7, 2], predicted, labels), "correct.");
 * // The transposed pair (predicted digit first) happens 0 times.
 * assert.throws(() => checkMostConfused([2, 7], predicted, labels), /happens 0 times/);
 * ```
 */
export function checkMostConfused(
  mostConfused: readonly [number, number] | undefined,
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
): string {
  if (mostConfused === undefined) return NOT_ANSWERED;
  const pairs = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const key = `${labels[i]},${predicted[i]}`;
    if (labels[i] !== predicted[i]) pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  const top = Math.max(...pairs.values());
  const yours = pairs.get(String(mostConfused)) ?? 0;
  if (yours !== top) {
    throw new Error(
      `[${mostConfused}] happens ${yours} times, but another mistake happens ${top} times. Rows ` +
        `are the true digit, columns the prediction; skip the diagonal.`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `accuracy-from-counts`: accuracy from a confusion matrix alone, tried on a 3 × 3 case
 * worked by hand (7 of 9 right) and on `counts` against `accuracy` (evaluate's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // The diagonal (right answers) over all images.
 * const right = (confusion: number[][]) => confusion.reduce((sum, row, i) => sum + row[i], 0);
 * const accuracyFromCounts = (confusion: number[][]) =>
 *   right(confusion) / confusion.flat().reduce((sum, n) => sum + n, 0);
 * const counts = [[5, 1], [2, 12]]; // 17 of 20 right
 * assert.equal(checkAccuracyFromCounts(accuracyFromCounts, counts, 17 / 20), "correct.");
 * // Right answers over the number of classes is not an accuracy.
 * assert.throws(() => checkAccuracyFromCounts((c) => right(c) / c.length, counts, 17 / 20), /7\/9/);
 * ```
 */
export function checkAccuracyFromCounts(
  accuracyFromCounts: (confusion: number[][]) => number | undefined,
  counts: number[][],
  accuracy: number,
): string {
  if (accuracyFromCounts([[1]]) === undefined) return NOT_ANSWERED;
  const small = accuracyFromCounts([[3, 1, 0], [0, 2, 0], [1, 0, 2]]);
  if (small === undefined || !(Math.abs(small - 7 / 9) <= 1e-12)) {
    throw new Error(
      `for [[3, 1, 0], [0, 2, 0], [1, 0, 2]] you return ${small}, expected 7/9: the diagonal ` +
        `(3 + 2 + 2 right answers) divided by the sum of all cells (9 images).`,
    );
  }
  const full = accuracyFromCounts(counts);
  if (full === undefined || !(Math.abs(full - accuracy) <= 1e-12)) {
    throw new Error(`on the test set you return ${full}, evaluate says ${accuracy}.`);
  }
  return CORRECT;
}

/** The learner's schedule: the learning rate of epoch `epoch` (0-based) of `epochs`. */
export type CosineRate = (initial: number, epoch: number, epochs: number) => number | undefined;

/**
 * Exercise `cosine-schedule`: the learner's rate against lib's `learningRateAt(…, "cosine", …)`
 * at both ends, the middle and in between, for 15 epochs from 0.1 and 4 epochs from 0.5.
 *
 * @example
 * ```ts
 * checkCosineSchedule((h, e, E) => h * 0.5 * (1 + Math.cos(Math.PI * e / E))); // "correct."
 * ```
 */
export function checkCosineSchedule(rate: CosineRate): string {
  if (rate(0.1, 0, 15) === undefined) return NOT_ANSWERED;
  for (const [initial, epochs] of [[0.1, 15], [0.5, 4]]) {
    for (const epoch of new Set([0, 1, Math.floor(epochs / 2), epochs - 2, epochs - 1])) {
      const expected = learningRateAt(initial, "cosine", epoch, epochs);
      const yours = rate(initial, epoch, epochs);
      if (yours === undefined || !(Math.abs(yours - expected) <= 1e-12 * Math.max(1, initial))) {
        const last = epoch === epochs - 1
          ? ` The last epoch still learns a little: cos(π·${epoch}/${epochs}), not cos(π), so ` +
            `divide by E = ${epochs}, not E − 1.`
          : "";
        throw new Error(
          `epoch ${epoch} of ${epochs} from η₀ = ${initial}: you return ${yours}, the cosine ` +
            `schedule gives ${expected} = η₀·½(1 + cos(π·${epoch}/${epochs})).${last}`,
        );
      }
    }
  }
  return CORRECT;
}
