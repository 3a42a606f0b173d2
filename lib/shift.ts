/**
 * The shifted-digit experiment: move every test image by a few pixels and measure the accuracy
 * again. An MLP's first layer holds one weight per pixel position, so a digit two pixels to the
 * right meets different weights and looks like a new image; a convolution applies the same
 * kernels at every position, and pooling forgives small moves, so a CNN's accuracy falls less.
 *
 * @module
 */

import { type Dataset, IMAGE_SIDE, PIXELS } from "./data/dataset.ts";
import { evaluateModel } from "./evaluate_model.ts";
import type { Model } from "./model_kinds.ts";

/**
 * Every image moved `dx` pixels right and `dy` pixels down (negative: left, up). Pixels moved
 * past the edge are lost; the uncovered ones are background (0). Labels are kept.
 *
 * @example
 * ```ts
 * const moved = shiftImages(test, 2, 0); // every digit 2 px to the right
 * ```
 */
export function shiftImages(dataset: Dataset, dx: number, dy: number): Dataset {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) {
    throw new RangeError(`shifts must be whole pixels, got (${dx}, ${dy})`);
  }
  const images = new Uint8Array(dataset.images.length);
  for (let n = 0; n < dataset.count; n++) {
    for (let y = 0; y < IMAGE_SIDE; y++) {
      const from = y - dy; // the source row that lands on row y
      if (from < 0 || from >= IMAGE_SIDE) continue;
      for (let x = 0; x < IMAGE_SIDE; x++) {
        const fromX = x - dx;
        if (fromX < 0 || fromX >= IMAGE_SIDE) continue;
        images[n * PIXELS + y * IMAGE_SIDE + x] =
          dataset.images[n * PIXELS + from * IMAGE_SIDE + fromX];
      }
    }
  }
  return {
    images,
    labels: dataset.labels,
    count: dataset.count,
    source: `${dataset.source} shifted by (${dx}, ${dy}) px`,
  };
}

/** One row of {@linkcode shiftedAccuracy}: a shift and the accuracy on the shifted images. */
export interface ShiftResult {
  dx: number;
  dy: number;
  accuracy: number;
}

/**
 * The accuracy of `model` (an MLP or a CNN) on `dataset` with every image shifted by each of
 * `shifts`, as [dx, dy] pairs in pixels.
 *
 * @example
 * ```ts
 * shiftedAccuracy({ kind: "mlp", network }, validation, [[0, 0], [2, 0], [0, 3]]);
 * // [{ dx: 0, dy: 0, accuracy: 0.97 }, { dx: 2, dy: 0, accuracy: 0.8 }, …]
 * ```
 */
export function shiftedAccuracy(
  model: Model,
  dataset: Dataset,
  shifts: readonly (readonly [number, number])[],
): ShiftResult[] {
  if (!dataset.labels) throw new RangeError(`${dataset.source} has no labels: cannot measure`);
  return shifts.map(([dx, dy]) => {
    const { accuracy } = evaluateModel(model, shiftImages(dataset, dx, dy));
    return { dx, dy, accuracy: accuracy! };
  });
}
