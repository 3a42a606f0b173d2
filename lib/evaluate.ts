/**
 * Running a trained network over a whole dataset, in batches so memory stays small.
 *
 * @module
 */

import type { Dataset } from "./data/dataset.ts";
import { PIXELS } from "./data/dataset.ts";
import { crossEntropyLoss, oneHot } from "./loss.ts";
import { accuracy } from "./metrics.ts";
import { FastEvaluator, type KernelChoice, resolveKernels } from "./kernels/mod.ts";
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

/** Options for {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** Images per forward pass (default 2000; the fast kernels use blocks of at most 512). */
  batchSize?: number;
  /**
   * "auto" (the default): the fast kernels of lib/kernels/ (WebAssembly SIMD, else TypeScript);
   * "reference": the readable path of lib/network.ts.
   */
  kernels?: KernelChoice;
  /**
   * The fast kernels' evaluator to reuse, for callers that evaluate again and again (train()
   * after every epoch): it keeps its memory between calls. Default: a new one for this call.
   */
  evaluator?: FastEvaluator;
}

/**
 * Predicts every image of `dataset`; with labels, also the loss and accuracy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ seed: 1 });
 * const dataset = {
 *   images: new Uint8Array(4 * 784).fill(100),
 *   labels: new Uint8Array([0, 1, 2, 3]),
 *   count: 4,
 *   source: "example",
 * };
 * const fast = evaluate(network, dataset);
 * const reference = evaluate(network, dataset, { kernels: "reference" });
 * assert.deepEqual(fast.predicted, reference.predicted);
 * assert.equal(fast.accuracy, reference.accuracy);
 * ```
 */
export function evaluate(
  network: Network,
  dataset: Dataset,
  options: EvaluateOptions = {},
): Evaluation {
  const { batchSize = 2000, kernels = "auto" } = options;
  const kind = resolveKernels(kernels, network);
  if (kind !== "reference") {
    const evaluator = options.evaluator ?? new FastEvaluator();
    const prediction = evaluator.predict(network, dataset, batchSize, kind);
    if (!dataset.labels) return prediction;
    return { ...prediction, accuracy: accuracy(prediction.predicted, dataset.labels) };
  }
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
