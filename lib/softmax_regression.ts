/**
 * Softmax regression: the classifier without a hidden layer. Each digit's score is one weighted
 * sum of the 784 pixels, so it can only draw straight boundaries (hyperplanes) between the
 * classes; what the 128 hidden units of the 784-128-10 network buy is measured against it.
 *
 *   Z = W·X + b,   A = softmax(Z)      X (784×m), W (10×784), b (10×1), Z and A (10×m)
 *   dZ = A − Y,    dW = (1/m)·dZ·Xᵀ,    db = (1/m)·Σⱼ dZ[:, j]
 *
 * It is lib/deep_network.ts with one layer (sizes [784, 10]): forward and backward are that
 * module's, and the loop is lib/train.ts's reference loop without what only the two-layer
 * network has (fast kernels, dropout, weight decay of W1 and W2).
 *
 * @module
 */

import type { Dataset } from "./data/dataset.ts";
import { PIXELS } from "./data/dataset.ts";
import { deepBackward, deepForward, type DeepNetwork } from "./deep_network.ts";
import { evaluateInBatches, type Evaluation } from "./evaluate.ts";
import { CLASSES, crossEntropyLoss, oneHot } from "./loss.ts";
import { Matrix } from "./matrix.ts";
import { predictions } from "./network.ts";
import { Random } from "./random.ts";
import { SparseColumns } from "./sparse.ts";
import { type EpochRecord, learningRateAt, type TrainOptions } from "./train.ts";

/** The parameters: W (10×784) and b (10×1). */
export interface SoftmaxRegression {
  W: Matrix;
  b: Matrix;
}

/**
 * A softmax regression with all parameters 0: every class starts at probability 1/10. (No
 * random start is needed: with no hidden layer there is no symmetry to break, and the loss is
 * convex, so there is one minimum to find.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const model = initSoftmaxRegression();
 * assert.deepEqual([model.W.shape, model.b.shape], [[10, 784], [10, 1]]);
 * ```
 */
export function initSoftmaxRegression(): SoftmaxRegression {
  return { W: Matrix.zeros(CLASSES, PIXELS), b: Matrix.zeros(CLASSES, 1) };
}

/** The one-layer DeepNetwork that shares the model's W and b (the activation is unused). */
function asDeep(model: SoftmaxRegression): DeepNetwork {
  return { activation: "relu", W: [model.W], b: [model.b] };
}

/**
 * The class probabilities A (classes × m) of the images at `indices`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dataset = { images: new Uint8Array(2 * 784), count: 2, source: "blank" };
 * const A = softmaxRegressionProbabilities(initSoftmaxRegression(), dataset, Int32Array.of(0, 1));
 * assert.deepEqual(A.shape, [10, 2]);
 * assert.ok(Math.abs(A.get(3, 1) - 0.1) < 1e-7); // all-zero parameters: every digit 1/10
 * ```
 */
export function softmaxRegressionProbabilities(
  model: SoftmaxRegression,
  dataset: Dataset,
  indices: Int32Array,
): Matrix {
  const X = SparseColumns.fromPixels(dataset.images, indices, PIXELS);
  return deepForward(asDeep(model), X).A[0];
}

/**
 * Predictions of every image of `dataset`; with labels, the mean loss and the accuracy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dataset = { images: new Uint8Array(784), labels: Uint8Array.of(4), count: 1, source: "one" };
 * const { loss } = evaluateSoftmaxRegression(initSoftmaxRegression(), dataset);
 * assert.ok(Math.abs(loss! - Math.log(10)) < 1e-6); // −log(1/10)
 * ```
 */
export function evaluateSoftmaxRegression(
  model: SoftmaxRegression,
  dataset: Dataset,
  batchSize = 2000,
): Evaluation {
  return evaluateInBatches(
    dataset,
    batchSize,
    (indices) => softmaxRegressionProbabilities(model, dataset, indices),
  );
}

/** What {@linkcode trainSoftmaxRegression} takes: the options of lib/train.ts that apply. */
export type SoftmaxRegressionOptions = Pick<
  TrainOptions,
  "epochs" | "batchSize" | "optimizer" | "seed" | "validation" | "schedule"
>;

/**
 * Trains `model` in place: the seeded shuffle, mini-batches, the optimizer's step and the
 * learning-rate schedule as in lib/train.ts; returns the same per-epoch history.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { momentum } from "./optimizers.ts";
 *
 * // 40 images of two kinds: the left half lit (label 0) or the right half (label 1).
 * const images = new Uint8Array(40 * 784);
 * for (let i = 0; i < 40; i++) {
 *   for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (i % 2 === 0)) images[i * 784 + p] = 200;
 * }
 * const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
 * const trainSet = { images, labels, count: 40, source: "halves" };
 * const history = trainSoftmaxRegression(initSoftmaxRegression(), trainSet, {
 *   epochs: 2, batchSize: 8, optimizer: momentum({ learningRate: 0.1 }), seed: 1,
 *   validation: trainSet,
 * });
 * assert.equal(history.at(-1)!.validationAccuracy, 1);
 * ```
 */
export function trainSoftmaxRegression(
  model: SoftmaxRegression,
  trainSet: Dataset,
  options: SoftmaxRegressionOptions,
): EpochRecord[] {
  const labels = trainSet.labels;
  if (!labels) throw new RangeError(`${trainSet.source} has no labels: cannot train on it`);
  const { epochs, optimizer, schedule = "constant" } = options;
  const batchSize = Math.min(options.batchSize, trainSet.count);
  const initialRate = optimizer.learningRate;
  const random = new Random(options.seed);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const batches = Math.ceil(trainSet.count / batchSize);
  const network = asDeep(model);
  const history: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      optimizer.learningRate = learningRateAt(initialRate, schedule, epoch - 1, epochs);
      if (batches > 1) random.shuffle(order);
      let lossSum = 0, correct = 0;
      for (let batch = 0; batch < batches; batch++) {
        const indices = order.subarray(batch * batchSize, (batch + 1) * batchSize);
        const batchLabels = indices.map((i) => labels[i]);
        const Y = oneHot(batchLabels);
        const cache = deepForward(
          network,
          SparseColumns.fromPixels(trainSet.images, indices, PIXELS),
        );
        const loss = crossEntropyLoss(cache.A[0], Y);
        if (!Number.isFinite(loss)) {
          throw new RangeError(`the loss became ${loss} at epoch ${epoch}, batch ${batch + 1}`);
        }
        lossSum += loss * indices.length;
        const predicted = predictions(cache.A[0]);
        for (let j = 0; j < predicted.length; j++) if (predicted[j] === batchLabels[j]) correct++;
        const { dW, db } = deepBackward(network, cache, Y);
        optimizer.step(model, { dW: dW[0], db: db[0] });
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / trainSet.count,
        trainAccuracy: correct / trainSet.count,
        learningRate: optimizer.learningRate,
        seconds: 0,
      };
      if (options.validation) {
        const { loss, accuracy } = evaluateSoftmaxRegression(model, options.validation);
        record.validationLoss = loss;
        record.validationAccuracy = accuracy;
      }
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
    }
  } finally {
    optimizer.learningRate = initialRate;
  }
  return history;
}
