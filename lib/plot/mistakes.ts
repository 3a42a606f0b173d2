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
 * // Image 0 is right; images 1 and 2 are wrong, image 2 more confidently.
 * confidentMistakes({ predicted: [0, 1, 2], probabilities }, [0, 0, 0]); // [2, 1]
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
 * const evaluation = evaluate(network, test);
 * await show(mistakesGrid(test, evaluation, confidentMistakes(evaluation, test.labels!).slice(0, 20)));
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
