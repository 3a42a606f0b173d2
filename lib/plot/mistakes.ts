/**
 * The images a network misreads, most confident mistake first, drawn with what it believed: the
 * probability it gave its wrong answer and the probability it left for the true digit.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { CLASSES } from "../loss.ts";
import type { Figure } from "./figures.ts";
import { digitGrid, type ImageGridOptions } from "./heatmaps.ts";

/** What a network said about each image: as returned by `evaluate` (lib/evaluate.ts). */
export interface Predictions {
  /** The predicted digit of each image. */
  predicted: ArrayLike<number>;
  /** 10 probabilities per image: image i's are `probabilities[10 i .. 10 i + 9]`. */
  probabilities: ArrayLike<number>;
}

/**
 * The indices of the misread images, sorted by the probability of the (wrong) prediction, highest
 * first; equal probabilities keep dataset order. A confident mistake is the interesting kind: a
 * sloppy digit, an ambiguous one, or a wrong label in the data set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Image 0 is right; images 1 and 2 are wrong, image 2 more confidently.
 * const probabilities = new Float32Array(3 * 10);
 * probabilities.set([0.9, 0.1], 0); // image 0: 90 % for 0 (right)
 * probabilities.set([0.4, 0.6], 10); // image 1: 60 % for 1
 * probabilities.set([0.2, 0, 0.8], 20); // image 2: 80 % for 2
 * assert.deepEqual(confidentMistakes({ predicted: [0, 1, 2], probabilities }, [0, 0, 0]), [2, 1]);
 * ```
 */
export function confidentMistakes(
  { predicted, probabilities }: Predictions,
  labels: ArrayLike<number>,
): number[] {
  if (predicted.length !== labels.length || probabilities.length !== CLASSES * labels.length) {
    throw new RangeError(
      `confidentMistakes: ${labels.length} labels, ${predicted.length} predictions and ` +
        `${probabilities.length} probabilities (expected ${CLASSES} per image)`,
    );
  }
  const confidence = (i: number) => probabilities[i * CLASSES + predicted[i]];
  const wrong = Array.from({ length: labels.length }, (_, i) => i)
    .filter((i) => predicted[i] !== labels[i]);
  // Array.prototype.sort is stable: ties stay in dataset order.
  return wrong.sort((a, b) => confidence(b) - confidence(a));
}

/** A probability in whole percent; "<1 %" and ">99 %" rather than a misleading 0 or 100. */
const percent = (p: number) => p < 0.01 ? "<1 %" : p > 0.99 ? ">99 %" : `${Math.round(100 * p)} %`;

/**
 * The images at `indices` of a labelled dataset in a grid, each captioned on two lines with
 * "true → predicted" and "p(predicted) · p(true)", e.g. "4 → 9" over "91 % · 8 %".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const labels = Uint8Array.from([4, 7]);
 * const test = { images: new Uint8Array(2 * 784), labels, count: 2, source: "test" };
 * const probabilities = new Float32Array(2 * 10);
 * probabilities[8] = 0.91; // image 0, a 4, read as an 8 with 91 %
 * probabilities[4] = 0.005; // and under 1 % for its true 4
 * probabilities[10 + 7] = 1; // image 1: a sure and right 7
 * const evaluation = { predicted: [8, 7], probabilities };
 * const figure = mistakesGrid(test, evaluation, confidentMistakes(evaluation, test.labels));
 * const captions = (figure.layout.annotations as { text: string }[]).map((a) => a.text);
 * assert.deepEqual(captions, ["4 → 8<br>91 % · <1 %"]);
 * ```
 */
export function mistakesGrid(
  dataset: Dataset,
  { predicted, probabilities }: Predictions,
  indices: readonly number[],
  options: ImageGridOptions = {},
): Figure {
  const labels = dataset.labels;
  if (!labels) throw new RangeError(`mistakesGrid: ${dataset.source} has no labels`);
  const captions = indices.map((i) => {
    const guess = predicted[i], label = labels[i];
    const p = (digit: number) => percent(probabilities[i * CLASSES + digit]);
    return `${label} → ${guess}<br>${p(guess)} · ${p(label)}`;
  });
  return digitGrid(dataset, indices, { ...options, captions });
}
