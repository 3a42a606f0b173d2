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
 * checkLeastCommon(undefined, train); // "not answered yet"
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
 * checkPixelAt((d, i, r, c) => d.images[784 * i + 28 * r + c], train); // "correct."
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
