/**
 * Evaluating a model of either kind (lib/model_kinds.ts): the MLP by lib/evaluate.ts, the CNN
 * by lib/cnn/evaluate.ts.
 *
 * @module
 */

import { evaluateConvNet } from "./cnn/evaluate.ts";
import type { Dataset } from "./data/dataset.ts";
import { evaluate, type Evaluation } from "./evaluate.ts";
import type { Model } from "./model_kinds.ts";

/**
 * Predicts every image of `dataset` with `model`; with labels, also the loss and accuracy.
 *
 * @example
 * ```ts
 * const { accuracy } = evaluateModel({ kind: "cnn", network: cnn }, validation);
 * ```
 */
export function evaluateModel(model: Model, dataset: Dataset): Evaluation {
  return model.kind === "mlp"
    ? evaluate(model.network, dataset)
    : evaluateConvNet(model.network, dataset);
}
