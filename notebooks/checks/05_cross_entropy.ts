/**
 * The checks of notebook 5 (cross-entropy): the mean loss of a half-right network, and the
 * cross-entropy of a batch with the library's guard against log(0).
 *
 * @module
 */

import { crossEntropyLoss, oneHot } from "../../lib/loss.ts";
import { Matrix } from "../../lib/matrix.ts";
import { softmax } from "../../lib/softmax.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/**
 * Exercise `mixed-loss`: the mean loss when the right digit gets 0.9 on half of the images and
 * 0.01 on the other half, (−ln 0.9 − ln 0.01) / 2 ≈ 2.355, to about 3 decimals.
 *
 * @example
 * ```ts
 * checkMixedLoss(2.355); // "correct."
 * ```
 */
export function checkMixedLoss(mixedLoss: number | undefined): string {
  if (mixedLoss === undefined) return NOT_ANSWERED;
  // Two images, two classes: label 0 with p = 0.9, label 0 with p = 0.01.
  const A2 = Matrix.from([[0.9, 0.01], [0.1, 0.99]], "f64");
  const expected = crossEntropyLoss(A2, oneHot([0, 0], 2, "f64"));
  if (!isClose(mixedLoss, expected, 0, 0.006)) {
    throw new Error(
      `${mixedLoss} is not it. Each image costs −ln p (natural log, Math.log): average ` +
        `−ln 0.9 and −ln 0.01.`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `cross-entropy`: `crossEntropy(A2, Y)`, the mean over the m columns of
 * −log(max(A2[y, j], LOG_EPSILON)), compared with `crossEntropyLoss` on the notebook's
 * two-image example, a random batch, and a batch where the right digit's probability is exactly 0.
 *
 * @example
 * ```ts
 * checkCrossEntropy(() => Number.NaN); // "not answered yet"
 * ```
 */
export function checkCrossEntropy(crossEntropy: (A2: Matrix, Y: Matrix) => number): string {
  const tiny = Matrix.from([[0.7, 0.1], [0.2, 0.8], [0.1, 0.1]], "f64");
  const Ytiny = oneHot([0, 2], 3, "f64");
  if (Number.isNaN(crossEntropy(tiny, Ytiny))) return NOT_ANSWERED;
  const labels = [3, 0, 9, 9, 1, 4, 7];
  const cases: [string, Matrix, Matrix][] = [
    ["the two-image example", tiny, Ytiny],
    ["a batch of 7 softmax columns", softmax(randomMatrix(10, 7, 5)), oneHot(labels, 10, "f64")],
    ["a batch whose first right digit has probability 0", Matrix.from([[0, 0.5], [1, 0.5]], "f64"), oneHot([0, 1], 2, "f64")],
  ];
  for (const [name, A2, Y] of cases) {
    const expected = crossEntropyLoss(A2, Y);
    const got = crossEntropy(A2, Y);
    if (!isClose(got, expected, 1e-9, 1e-12)) {
      const hint = !Number.isFinite(got)
        ? "Clamp with Math.max(p, LOG_EPSILON) before the log, so that 0 costs 27.6, not Infinity."
        : isClose(got, expected * A2.cols, 1e-9)
        ? "That is the sum over the images: divide by m = A2.cols for the mean."
        : isClose(got, expected / Math.LN10, 1e-9)
        ? "That is log base 10: the loss uses the natural log, Math.log."
        : "Add −Math.log(Math.max(A2.get(i, j), LOG_EPSILON)) where Y.get(i, j) is 1, and " +
          "divide by the number of images m = A2.cols.";
      throw new Error(`crossEntropy on ${name} returned ${got}, expected ${expected}. ${hint}`);
    }
  }
  return CORRECT;
}
