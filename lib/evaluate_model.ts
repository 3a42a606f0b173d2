/**
 * Evaluating a model of either kind (lib/io/model_kinds.ts): the MLP by lib/evaluate.ts, the CNN
 * by lib/cnn/evaluate.ts (the reference) or the fast kernels' FastConvEvaluator.
 *
 * @module
 */

import { evaluateConvNet } from "./cnn/evaluate.ts";
import type { Dataset } from "./data/dataset.ts";
import { evaluate, type EvaluateOptions, type Evaluation } from "./evaluate.ts";
import type { Model } from "./io/model_kinds.ts";
import { FastConvEvaluator, resolveKernels } from "./kernels/mod.ts";
import { accuracy } from "./metrics.ts";

/** lib/evaluate.ts's options, and the CNN's fast evaluator to reuse. */
export interface ModelEvaluateOptions extends EvaluateOptions {
  /** Keeps the CNN's fast workspace from one call to the next (validation every epoch). */
  convEvaluator?: FastConvEvaluator;
}

/**
 * Predicts every image of `dataset` with `model`; with labels, also the loss and accuracy.
 * `options.kernels` picks the kernels as for lib/evaluate.ts (default "auto": the fast ones).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "./cnn/network.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 2, hidden: 4, seed: 1 });
 * cnn.W4.data.fill(0); // equal probabilities for every image: it always predicts 0
 * const labels = Uint8Array.from([0, 3, 0, 7]);
 * const blank = { images: new Uint8Array(4 * 784), labels, count: 4, source: "blank" };
 * assert.equal(evaluateModel({ kind: "cnn", network: cnn }, blank).accuracy, 0.5);
 * ```
 */
export function evaluateModel(
  model: Model,
  dataset: Dataset,
  options: ModelEvaluateOptions = {},
): Evaluation {
  if (model.kind === "mlp") return evaluate(model.network, dataset, options);
  const kind = resolveKernels(options.kernels ?? "auto", model.network);
  if (kind === "reference") return evaluateConvNet(model.network, dataset);
  const evaluator = options.convEvaluator ?? new FastConvEvaluator();
  const prediction = evaluator.predict(model.network, dataset, kind);
  if (!dataset.labels) return prediction;
  return { ...prediction, accuracy: accuracy(prediction.predicted, dataset.labels) };
}
