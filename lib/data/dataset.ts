/**
 * A labelled set of images kept as raw bytes: 60,000 MNIST images are 47 MB as bytes and would
 * be 188 MB as Float32, so pixels are scaled to [0, 1] only when a batch is built
 * ({@linkcode SparseColumns.fromPixels}, {@linkcode denseInputs}).
 *
 * @module
 */

import { Matrix } from "../matrix.ts";
import type { Random } from "../random.ts";

/** Width and height of an MNIST image. */
export const IMAGE_SIDE = 28;
/** Pixels per image: 28 × 28 = 784, the network's input size. */
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;

/** Images as bytes (0 = background, 255 = ink), and their labels when known. */
export interface Dataset {
  /** `count` images of {@linkcode PIXELS} bytes each, row by row, one image after another. */
  images: Uint8Array;
  /** The digit shown by each image (0–9); absent for unlabelled data such as Kaggle's test.csv. */
  labels?: Uint8Array;
  /** Number of images. */
  count: number;
  /** Where the images came from, for messages: "MNIST train", "data/train.csv". */
  source: string;
}

/**
 * The images at `indices`, in that order, copied into a new dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dataset = {
 *   images: Uint8Array.from({ length: 3 * PIXELS }, (_, p) => Math.floor(p / PIXELS)),
 *   labels: new Uint8Array([7, 8, 9]),
 *   count: 3,
 *   source: "example",
 * };
 * const picked = subset(dataset, [2, 0]);
 * assert.deepEqual([picked.count, ...picked.labels!], [2, 9, 7]);
 * assert.equal(picked.images[0], 2); // image 2's pixels first
 * ```
 */
export function subset(
  dataset: Dataset,
  indices: ArrayLike<number>,
  source = dataset.source,
): Dataset {
  const images = new Uint8Array(indices.length * PIXELS);
  const labels = dataset.labels ? new Uint8Array(indices.length) : undefined;
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j];
    if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new RangeError(`index ${index} is outside ${dataset.source} (${dataset.count} images)`);
    }
    images.set(dataset.images.subarray(index * PIXELS, (index + 1) * PIXELS), j * PIXELS);
    if (labels) labels[j] = dataset.labels![index];
  }
  return { images, labels, count: indices.length, source };
}

/**
 * Splits off `validationCount` randomly chosen images (by the seeded `random`) as a validation
 * set the network never trains on; the rest is the training set. Both keep the original order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 *
 * const dataset = {
 *   images: new Uint8Array(10 * PIXELS),
 *   labels: Uint8Array.from({ length: 10 }, (_, i) => i),
 *   count: 10,
 *   source: "example",
 * };
 * const { train, validation } = splitTrainValidation(dataset, 3, new Random(0));
 * assert.deepEqual([train.count, validation.count], [7, 3]);
 * // Every image lands in exactly one of the two.
 * const all = [...train.labels!, ...validation.labels!].sort((a, b) => a - b);
 * assert.deepEqual(all, [...dataset.labels]);
 * ```
 */
export function splitTrainValidation(
  dataset: Dataset,
  validationCount: number,
  random: Random,
): { train: Dataset; validation: Dataset } {
  if (
    !Number.isInteger(validationCount) || validationCount < 0 || validationCount >= dataset.count
  ) {
    throw new RangeError(
      `validation size must be an integer in 0..${
        dataset.count - 1
      } for ${dataset.source} (${dataset.count} images), got ${validationCount}`,
    );
  }
  const order = random.shuffle(Int32Array.from({ length: dataset.count }, (_, i) => i));
  const validationIndices = order.subarray(0, validationCount).sort();
  const trainIndices = order.subarray(validationCount).sort();
  return {
    train: subset(dataset, trainIndices, `${dataset.source} (training part)`),
    validation: subset(dataset, validationIndices, `${dataset.source} (validation part)`),
  };
}

/**
 * The dense input matrix X (784 × m) of the images at `indices` (default: all), one image per
 * column, pixels scaled to [0, 1]. The readable form; training uses the sparse one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dataset = { images: new Uint8Array(3 * PIXELS).fill(255), count: 3, source: "example" };
 * const X = denseInputs(dataset, [0, 1, 2]);
 * assert.deepEqual(X.shape, [PIXELS, 3]);
 * assert.equal(X.get(0, 0), 1); // pixel bytes scaled to 0..1
 * ```
 */
export function denseInputs(
  dataset: Dataset,
  indices: ArrayLike<number> = Array.from({ length: dataset.count }, (_, i) => i),
  precision: "f32" | "f64" = "f32",
): Matrix {
  const X = Matrix.zeros(PIXELS, indices.length, precision);
  for (let j = 0; j < indices.length; j++) {
    const start = indices[j] * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      X.data[p * indices.length + j] = dataset.images[start + p] / 255;
    }
  }
  return X;
}
