/**
 * Running a trained network over a whole dataset, in batches so memory stays small.
 *
 * @module
 */

import type { Dataset } from "./data/dataset.ts";
import { PIXELS } from "./data/dataset.ts";
import { CLASSES, crossEntropyLoss, oneHot } from "./loss.ts";
import type { Matrix } from "./matrix.ts";
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

/** Images per forward pass of {@linkcode evaluate} unless its options say otherwise. */
export const EVALUATION_BATCH_SIZE = 2000;

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
  const { batchSize = EVALUATION_BATCH_SIZE, kernels = "auto" } = options;
  const kind = resolveKernels(kernels, network);
  if (kind !== "reference") {
    const evaluator = options.evaluator ?? new FastEvaluator();
    const prediction = evaluator.predict(network, dataset, batchSize, kind);
    if (!dataset.labels) return prediction;
    return { ...prediction, accuracy: accuracy(prediction.predicted, dataset.labels) };
  }
  return evaluateInBatches(dataset, batchSize, (indices) => {
    const X = SparseColumns.fromPixels(dataset.images, indices, PIXELS);
    return forwardPropagation(network, X).A2;
  });
}

/**
 * The loop every model's evaluation shares: `classProbabilities` gives the class probabilities
 * (10 × batch, one column per image) of the images at `indices`; this runs it over `dataset` in
 * batches of `batchSize` and gathers the predictions, the probabilities and, with labels, the
 * mean loss and the accuracy. {@linkcode evaluate} runs it with the MLP's forward pass,
 * lib/cnn/evaluate.ts with the CNN's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * // A "model" that gives every image probability 1 for the digit 3.
 * const sure3 = (indices: Int32Array) =>
 *   Matrix.from(Array.from({ length: 10 }, (_, i) => Array(indices.length).fill(i === 3 ? 1 : 0)));
 * const labels = Uint8Array.from([3, 3, 5]);
 * const dataset = { images: new Uint8Array(3 * 784), labels, count: 3, source: "three" };
 * const { predicted, accuracy } = evaluateInBatches(dataset, 2, sure3);
 * assert.deepEqual(Array.from(predicted), [3, 3, 3]);
 * assert.equal(accuracy, 2 / 3);
 * ```
 */
export function evaluateInBatches(
  dataset: Dataset,
  batchSize: number,
  classProbabilities: (indices: Int32Array) => Matrix,
): Evaluation {
  const predicted = new Uint8Array(dataset.count);
  const probabilities = new Float32Array(dataset.count * CLASSES);
  let totalLoss = 0;
  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(start + batchSize, dataset.count);
    const indices = Int32Array.from({ length: end - start }, (_, j) => start + j);
    const A = classProbabilities(indices);
    predicted.set(predictions(A), start);
    for (let j = 0; j < A.cols; j++) {
      for (let i = 0; i < CLASSES; i++) probabilities[(start + j) * CLASSES + i] = A.get(i, j);
    }
    if (dataset.labels) {
      totalLoss += crossEntropyLoss(A, oneHot(dataset.labels.subarray(start, end))) *
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
