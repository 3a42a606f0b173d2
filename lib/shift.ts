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
import type { Model } from "./io/model_kinds.ts";

/**
 * Every image moved `dx` pixels right and `dy` pixels down (negative: left, up). Pixels moved
 * past the edge are lost; the uncovered ones are background (0). Labels are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const images = new Uint8Array(784);
 * images[10 * 28 + 5] = 255; // row 10, column 5
 * const moved = shiftImages({ images, count: 1, source: "one dot" }, 2, 0); // 2 px to the right
 * assert.deepEqual([moved.images[10 * 28 + 7], moved.images[10 * 28 + 5]], [255, 0]);
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
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ hidden: 4, seed: 1 });
 * network.W2.data.fill(0); // equal probabilities for every image: it always predicts 0
 * const labels = Uint8Array.from([0, 0, 1, 5]);
 * const dataset = { images: new Uint8Array(4 * 784), labels, count: 4, source: "blank" };
 * assert.deepEqual(shiftedAccuracy({ kind: "mlp", network }, dataset, [[0, 0], [2, 0]]), [
 *   { dx: 0, dy: 0, accuracy: 0.5 },
 *   { dx: 2, dy: 0, accuracy: 0.5 },
 * ]);
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
