/**
 * Running a ConvNet over a whole dataset, in batches so memory stays small: the CNN's
 * counterpart of lib/evaluate.ts, on the reference code of lib/cnn/network.ts.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { evaluateInBatches, type Evaluation } from "../evaluate.ts";
import { convForward, type ConvNet, imageBatch } from "./network.ts";

/**
 * Predicts every image of `dataset`; with labels, also the mean loss and the accuracy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "./network.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 2, hidden: 4, seed: 1 });
 * cnn.W4.data.fill(0); // every image then gets the same probability, 1/10, for every class
 * const labels = Uint8Array.from([0, 3, 7]);
 * const blank = { images: new Uint8Array(3 * 784), labels, count: 3, source: "blank" };
 * const { predicted, loss, accuracy } = evaluateConvNet(cnn, blank);
 * assert.deepEqual(Array.from(predicted), [0, 0, 0]); // ties go to the first class
 * assert.equal(accuracy, 1 / 3);
 * assert.ok(Math.abs(loss! - Math.log(10)) < 1e-6); // −ln(1/10)
 * ```
 */
export function evaluateConvNet(cnn: ConvNet, dataset: Dataset, batchSize = 500): Evaluation {
  return evaluateInBatches(
    dataset,
    batchSize,
    (indices) => convForward(cnn, imageBatch(dataset, indices)).probabilities,
  );
}
