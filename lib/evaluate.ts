/**
 * Running a trained network over a whole dataset, in batches so memory stays small.
 *
 * @module
 */

import type { Dataset } from "./data/dataset.ts";
import { PIXELS } from "./data/dataset.ts";
import { crossEntropyLoss, oneHot } from "./loss.ts";
import { accuracy } from "./metrics.ts";
import { fastEvaluate } from "./kernels/fast_evaluate.ts";
import { type KernelChoice, resolveKernels } from "./kernels/select.ts";
import { forwardPropagation, type Network, predictions } from "./network.ts";
import { SparseColumns } from "./sparse.ts";

/** What {@linkcode evaluate} returns. */
export interface Evaluation {
  /** The predicted digit of each image. */
  predicted: Uint8Array;
  /** Class probabilities, 10 per image: image i's are `probabilities[10 i .. 10 i + 9]`. */
  probabilities: Float32Array;
  /** Mean cross-entropy; only for labelled data. */
  loss?: number;
  /** Fraction correct; only for labelled data. */
  accuracy?: number;
}

/**
 * Predicts every image of `dataset`; with labels, also the loss and accuracy. `kernels` picks
 * the fast kernels of lib/kernels/ ("auto", the default) or the readable path ("reference").
 *
 * @example
 * ```ts
 * const { accuracy } = evaluate(network, await loadMnist("test"));
 * ```
 */
export function evaluate(
  network: Network,
  dataset: Dataset,
  batchSize = 2000,
  kernels: KernelChoice = "auto",
): Evaluation {
  const kind = resolveKernels(kernels, network);
  if (kind !== "reference") return fastEvaluate(network, dataset, batchSize, kind);
  const predicted = new Uint8Array(dataset.count);
  const probabilities = new Float32Array(dataset.count * 10);
  let totalLoss = 0;
  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(start + batchSize, dataset.count);
    const indices = Int32Array.from({ length: end - start }, (_, j) => start + j);
    const X = SparseColumns.fromPixels(dataset.images, indices, PIXELS);
    const { A2 } = forwardPropagation(network, X);
    predicted.set(predictions(A2), start);
    for (let j = 0; j < A2.cols; j++) {
      for (let i = 0; i < A2.rows; i++) probabilities[(start + j) * 10 + i] = A2.get(i, j);
    }
    if (dataset.labels) {
      totalLoss += crossEntropyLoss(A2, oneHot(dataset.labels.subarray(start, end))) *
        (end - start);
    }
  }
  if (!dataset.labels) return { predicted, probabilities };
  return {
    predicted,
    probabilities,
    loss: totalLoss / dataset.count,
    accuracy: accuracy(predicted, dataset.labels),
  };
}
