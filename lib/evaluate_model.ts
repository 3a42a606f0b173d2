/**
 * Evaluating a model of either kind (lib/io/model_kinds.ts): the MLP by lib/evaluate.ts, the CNN
 * by lib/cnn/evaluate.ts.
 *
 * @module
 */

import { evaluateConvNet } from "./cnn/evaluate.ts";
import type { Dataset } from "./data/dataset.ts";
import { evaluate, type Evaluation } from "./evaluate.ts";
import type { Model } from "./io/model_kinds.ts";

/**
 * Predicts every image of `dataset` with `model`; with labels, also the loss and accuracy.
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
export function evaluateModel(model: Model, dataset: Dataset): Evaluation {
  return model.kind === "mlp"
    ? evaluate(model.network, dataset)
    : evaluateConvNet(model.network, dataset);
}
