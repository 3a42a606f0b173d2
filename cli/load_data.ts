/**
 * `--data mnist` or `--data PATH.csv`: where the CLI commands get their images.
 *
 * @module
 */

import type { Dataset } from "../lib/data/dataset.ts";
import { DataError } from "../lib/errors.ts";
import { readKaggleCsv } from "../lib/data/kaggle_csv.ts";
import { loadMnist } from "../lib/data/mnist.ts";

/** The `--data` flag's description, shared by the commands. */
export const DATA_HELP =
  "'mnist' (the embedded MNIST, 60,000 training + 10,000 test images) or a Kaggle CSV file";

/**
 * Labelled training images and, for MNIST, the official test set. For a CSV there is no known
 * test set: the held-out validation part is the only unseen data.
 *
 * @example
 * ```ts
 * const { train, test } = await loadTrainingData("mnist");
 * ```
 */
export async function loadTrainingData(data: string): Promise<{ train: Dataset; test?: Dataset }> {
  if (data === "mnist") return { train: await loadMnist("train"), test: await loadMnist("test") };
  const train = await readKaggleCsv(data);
  if (!train.labels) {
    throw new DataError(
      data,
      "has no label column: training needs Kaggle's train.csv format (label,pixel0,...)",
      1,
    );
  }
  return { train };
}

/**
 * The images to predict: the MNIST test set, or any Kaggle CSV (labelled or not).
 *
 * @example
 * ```ts
 * const images = await loadPredictionData("data/test.csv");
 * ```
 */
export function loadPredictionData(data: string): Promise<Dataset> {
  return data === "mnist" ? loadMnist("test") : readKaggleCsv(data);
}
