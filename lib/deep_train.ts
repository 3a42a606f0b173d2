/**
 * Training an L-layer network (lib/deep_network.ts) on image datasets: one step (forward,
 * backward, optimizer), evaluation, and the epoch loop. The readable path only: the fast kernels
 * of lib/kernels/ know the two-layer network alone. The loop shuffles and batches exactly as
 * {@linkcode train} in lib/train.ts does, so a two-layer DeepNetwork trains like a Network.
 *
 * @module
 */

import { type Dataset, PIXELS } from "./data/dataset.ts";
import {
  deepBackward,
  type DeepCache,
  deepForward,
  type DeepGradients,
  type DeepNetwork,
} from "./deep_network.ts";
import { divergence } from "./divergence.ts";
import { TrainingDivergedError } from "./errors.ts";
import { evaluateInBatches, type Evaluation } from "./evaluate.ts";
import { crossEntropyLoss, oneHot } from "./loss.ts";
import type { Matrix } from "./matrix.ts";
import { predictions } from "./network.ts";
import type { Optimizer } from "./optimizers.ts";
import { Random } from "./random.ts";
import { SparseColumns } from "./sparse.ts";
import { learningRateAt, type Schedule } from "./train.ts";

/**
 * The parameters by the math's names, W1, b1, …, WL, bL (the arrays are 0-based, the names
 * 1-based), and their gradients dW1, db1, …: the form the optimizers step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initDeepNetwork } from "./deep_network.ts";
 *
 * const network = initDeepNetwork({ sizes: [4, 3, 2] });
 * assert.deepEqual(Object.keys(namedParameters(network)), ["W1", "b1", "W2", "b2"]);
 * assert.equal(namedParameters(network).W2, network.W[1]); // the same matrix, not a copy
 * ```
 */
export function namedParameters(network: DeepNetwork): Record<string, Matrix> {
  return Object.fromEntries(
    network.W.flatMap((W, l) => [[`W${l + 1}`, W], [`b${l + 1}`, network.b[l]]]),
  );
}

/**
 * {@linkcode namedParameters}' names for the gradients: dW1, db1, ….
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const named = namedGradients({ dW: [Matrix.zeros(3, 4)], db: [Matrix.zeros(3, 1)] });
 * assert.deepEqual(Object.keys(named), ["dW1", "db1"]);
 * ```
 */
export function namedGradients(gradients: DeepGradients): Record<string, Matrix> {
  return Object.fromEntries(
    gradients.dW.flatMap((dW, l) => [[`dW${l + 1}`, dW], [`db${l + 1}`, gradients.db[l]]]),
  );
}

/** What one {@linkcode deepTrainStep} saw: the batch's loss and correct count before the update. */
export interface DeepStep {
  loss: number;
  correct: number;
  /** The forward pass (Z[l], A[l]) of the batch, before the update. */
  cache: DeepCache;
  gradients: DeepGradients;
}

/**
 * One training step on the images at `indices`: forward, loss, backward, one optimizer step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initDeepNetwork } from "./deep_network.ts";
 * import { momentum } from "./optimizers.ts";
 *
 * const trainSet = {
 *   images: Uint8Array.from({ length: 3 * 784 }, (_, p) => (p % 3 ? 0 : 200)),
 *   labels: new Uint8Array([1, 2, 3]),
 *   count: 3,
 *   source: "example",
 * };
 * const network = initDeepNetwork({ sizes: [784, 16, 8, 10], seed: 1 });
 * const optimizer = momentum({ learningRate: 0.01 });
 * const batch = Int32Array.from([0, 1, 2]);
 * const first = deepTrainStep(network, trainSet, batch, optimizer);
 * assert.ok(deepTrainStep(network, trainSet, batch, optimizer).loss < first.loss);
 * ```
 */
export function deepTrainStep(
  network: DeepNetwork,
  trainSet: Dataset,
  indices: Int32Array,
  optimizer: Optimizer,
): DeepStep {
  const labels = indices.map((i) => trainSet.labels![i]);
  const precision = network.W[0].data instanceof Float64Array ? "f64" : "f32";
  const X = SparseColumns.fromPixels(trainSet.images, indices, PIXELS);
  const Y = oneHot(labels, network.W.at(-1)!.rows, precision);
  const cache = deepForward(network, X);
  const probabilities = cache.A.at(-1)!;
  const predicted = predictions(probabilities);
  let correct = 0;
  for (let j = 0; j < predicted.length; j++) if (predicted[j] === labels[j]) correct++;
  const loss = crossEntropyLoss(probabilities, Y);
  const gradients = deepBackward(network, cache, Y);
  optimizer.step(namedParameters(network), namedGradients(gradients));
  return { loss, correct, cache, gradients };
}

/**
 * Predictions, loss and accuracy of `network` over `dataset`, in batches of 2,000 images.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initDeepNetwork } from "./deep_network.ts";
 *
 * const dataset = { images: new Uint8Array(2 * 784), labels: new Uint8Array([0, 1]), count: 2, source: "blank" };
 * const { loss } = evaluateDeep(initDeepNetwork({ sizes: [784, 5, 10] }), dataset);
 * assert.ok(Math.abs(loss! - Math.log(10)) < 1e-6); // blank images: every class 1/10
 * ```
 */
export function evaluateDeep(network: DeepNetwork, dataset: Dataset): Evaluation {
  return evaluateInBatches(dataset, 2000, (indices) => {
    const X = SparseColumns.fromPixels(dataset.images, indices, PIXELS);
    return deepForward(network, X).A.at(-1)!;
  });
}

/** Options for {@linkcode trainDeep}: those of lib/train.ts's `train` that it supports. */
export interface DeepTrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  /** Seeds the shuffling, as in `train`. */
  seed: number;
  /** "cosine" lowers the learning rate along a half cosine over the epochs, as in `train`. */
  schedule?: Schedule;
  /** Evaluated after every epoch when given. */
  validation?: Dataset;
  /** Called after every step, e.g. to measure it with lib/training_stats.ts. */
  onStep?: (step: RecordedStep) => void;
}

/** What {@linkcode DeepTrainOptions.onStep} sees: the step, its number, the weights before it. */
export interface RecordedStep extends DeepStep {
  /** 0-based, counted over all epochs. */
  index: number;
  /** Copies of W[l] from before the update (the network holds the updated ones). */
  WBefore: Matrix[];
}

/** One epoch of {@linkcode trainDeep}: the mean batch loss and accuracy, and validation's. */
export interface DeepEpochRecord {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  /** The learning rate of this epoch. */
  learningRate: number;
  validationLoss?: number;
  validationAccuracy?: number;
}

/**
 * Trains `network` in place: every epoch a fresh shuffle (the same as `train`'s for the same
 * seed), batches of `batchSize`, one {@linkcode deepTrainStep} each, the learning rate set per
 * epoch by the schedule (and restored at the end). Throws
 * TrainingDivergedError (lib/errors.ts) for a loss that is not finite, and after an epoch whose
 * weights exploded or whose loss is stuck (lib/divergence.ts), as `train` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initDeepNetwork } from "./deep_network.ts";
 * import { momentum } from "./optimizers.ts";
 *
 * // 40 images of two kinds: the left half lit (digit 0) or the right half (digit 1).
 * const images = new Uint8Array(40 * 784);
 * for (let i = 0; i < 40; i++) {
 *   for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (i % 2 === 0)) images[i * 784 + p] = 200;
 * }
 * const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
 * const trainSet = { images, labels, count: 40, source: "halves" };
 * const network = initDeepNetwork({ sizes: [784, 16, 16, 10], seed: 1 });
 * const history = trainDeep(network, trainSet, {
 *   epochs: 3, batchSize: 8, optimizer: momentum({ learningRate: 0.05 }), seed: 1,
 *   validation: trainSet,
 * });
 * assert.equal(history.at(-1)!.validationAccuracy, 1);
 * ```
 */
export function trainDeep(
  network: DeepNetwork,
  trainSet: Dataset,
  options: DeepTrainOptions,
): DeepEpochRecord[] {
  if (!trainSet.labels) {
    throw new RangeError(`${trainSet.source} has no labels: cannot train on it`);
  }
  const { epochs, optimizer, validation, schedule = "constant" } = options;
  const initialRate = optimizer.learningRate;
  const batchSize = Math.min(options.batchSize, trainSet.count);
  const random = new Random(options.seed);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const batches = Math.ceil(trainSet.count / batchSize);
  const history: DeepEpochRecord[] = [];
  let steps = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    optimizer.learningRate = learningRateAt(initialRate, schedule, epoch - 1, epochs);
    if (batches > 1) random.shuffle(order);
    let lossSum = 0, correct = 0;
    for (let batch = 0; batch < batches; batch++) {
      const indices = order.subarray(batch * batchSize, (batch + 1) * batchSize);
      const WBefore = options.onStep ? network.W.map((W) => W.clone()) : [];
      const step = deepTrainStep(network, trainSet, indices, optimizer);
      options.onStep?.({ ...step, index: steps++, WBefore });
      if (!Number.isFinite(step.loss)) {
        throw new TrainingDivergedError(
          `the loss became ${step.loss} at epoch ${epoch}, batch ${batch + 1}: training ` +
            `diverged; try a lower learning rate than ${optimizer.learningRate}`,
        );
      }
      lossSum += step.loss * indices.length;
      correct += step.correct;
    }
    const meanLoss = lossSum / trainSet.count;
    const problem = divergence(namedParameters(network), meanLoss, history.at(-1)?.loss);
    if (problem) {
      throw new TrainingDivergedError(
        `${problem} at epoch ${epoch}: training diverged; try a lower learning rate than ` +
          `${optimizer.learningRate}`,
      );
    }
    const record: DeepEpochRecord = {
      epoch,
      loss: meanLoss,
      trainAccuracy: correct / trainSet.count,
      learningRate: optimizer.learningRate,
    };
    if (validation) {
      const { loss, accuracy } = evaluateDeep(network, validation);
      record.validationLoss = loss;
      record.validationAccuracy = accuracy;
    }
    history.push(record);
  }
  optimizer.learningRate = initialRate;
  return history;
}
