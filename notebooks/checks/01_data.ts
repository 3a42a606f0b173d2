/**
 * The checks of notebook 1 (the data): the least common digit, and reading one pixel.
 *
 * @module
 */

import { type Dataset, denseInputs, IMAGE_SIDE } from "../../lib/data/dataset.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/**
 * Exercise `least-common`: the digit with the fewest images in `dataset`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Only the labels are counted, so blank images do. Digit 3 has no images at all.
 * const labels = new Uint8Array([0, 1, 1, 2, 4, 5, 6, 7, 8, 9, 9]);
 * const count = labels.length;
 * const dataset = { images: new Uint8Array(count * 784), labels, count, source: "example" };
 * assert.equal(checkLeastCommon(undefined, dataset), "not answered yet");
 * assert.equal(checkLeastCommon(3, dataset), "correct.");
 * assert.throws(() => checkLeastCommon(9, dataset), /digit 9 has 2 images/);
 * ```
 */
export function checkLeastCommon(leastCommon: number | undefined, dataset: Dataset): string {
  if (leastCommon === undefined) return NOT_ANSWERED;
  const counts = new Array(10).fill(0);
  for (const label of dataset.labels!) counts[label] += 1;
  const fewest = Math.min(...counts);
  if (counts[leastCommon] !== fewest) {
    throw new Error(
      `digit ${leastCommon} has ${counts[leastCommon] ?? "no"} images, but another digit has ` +
        `only ${fewest}. Look for the shortest bar.`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `pixel-at`: `pixelAt(dataset, index, row, column)` must return the byte at that row
 * and column of image `index`. Checked against the dense input matrix, where that pixel is row
 * 28·row + column of the image's column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Eight images (the check reads images 0, 7 and the last); bytes vary, so a wrong offset shows.
 * const images = Uint8Array.from({ length: 8 * 784 }, (_, p) => p % 251);
 * const dataset = { images, labels: new Uint8Array(8), count: 8, source: "example" };
 * assert.equal(checkPixelAt((d, i, r, c) => d.images[784 * i + 28 * r + c], dataset), "correct.");
 * // Rows and columns swapped: the check names the first pixel that differs.
 * assert.throws(() => checkPixelAt((d, i, r, c) => d.images[784 * i + 28 * c + r], dataset), /pixelAt/);
 * ```
 */
export function checkPixelAt(
  pixelAt: (dataset: Dataset, index: number, row: number, column: number) => number,
  dataset: Dataset,
): string {
  if (Number.isNaN(pixelAt(dataset, 0, 0, 0))) return NOT_ANSWERED;
  // Every pixel of four images, expected from the dense input matrix (row 28·r + c, scaled).
  for (const index of new Set([0, 7, 123 % dataset.count, dataset.count - 1])) {
    const X = denseInputs(dataset, [index]);
    for (let row = 0; row < IMAGE_SIDE; row++) {
      for (let column = 0; column < IMAGE_SIDE; column++) {
        const expected = Math.round(X.get(row * IMAGE_SIDE + column, 0) * 255);
        const got = pixelAt(dataset, index, row, column);
        if (got !== expected) {
          throw new Error(
            `pixelAt(dataset, ${index}, ${row}, ${column}) returned ${got}, expected ` +
              `${expected}. Image i starts at byte i × 784; row r adds r × 28, column c adds c.`,
          );
        }
      }
    }
  }
  return CORRECT;
}
