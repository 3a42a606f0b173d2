/**
 * How good are the predictions? Accuracy, and the confusion matrix that shows which digits are
 * mistaken for which.
 *
 * @module
 */

import { CLASSES } from "./loss.ts";

function assertSameLength(predicted: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (predicted.length !== labels.length) {
    throw new RangeError(`${predicted.length} predictions but ${labels.length} labels`);
  }
}

/**
 * The fraction of predictions equal to the label, in [0, 1] (NaN for no samples).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(accuracy([1, 2, 3, 4], [1, 2, 0, 4]), 0.75);
 * ```
 */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  assertSameLength(predicted, labels);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/**
 * The confusion matrix: `counts[label][predicted]` is how many images of digit `label` the
 * network read as `predicted`. The diagonal holds the correct answers; each row sums to the
 * number of images of that digit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const counts = confusionMatrix([0, 1, 1], [0, 1, 2], 3);
 * assert.equal(counts[2][1], 1); // one "2" was read as a "1"
 * ```
 */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes = CLASSES,
): number[][] {
  assertSameLength(predicted, labels);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i], guess = predicted[i];
    if (!(label >= 0 && label < classes && guess >= 0 && guess < classes)) {
      throw new RangeError(
        `sample ${i}: label ${label} or prediction ${guess} is not in 0..${classes - 1}`,
      );
    }
    counts[label][guess]++;
  }
  return counts;
}

/**
 * The confusion matrix as aligned text, rows = true digit, columns = predicted digit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const counts = confusionMatrix(new Uint8Array([1, 1]), new Uint8Array([1, 7]));
 * const text = formatConfusionMatrix(counts);
 * assert.ok(text.split("\n").length >= 11); // a header and one row per digit
 * ```
 */
export function formatConfusionMatrix(counts: number[][]): string {
  const width = Math.max(5, ...counts.flat().map((count) => String(count).length + 1));
  const cell = (value: string | number) => String(value).padStart(width);
  const header = "true\\pred".padEnd(9) + counts.map((_, j) => cell(j)).join("");
  const rows = counts.map((row, i) => String(i).padEnd(9) + row.map(cell).join(""));
  return [header, ...rows].join("\n");
}
