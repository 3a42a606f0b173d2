/**
 * The training loop for a ConvNet, on the readable reference code: the MLP's loop
 * (lib/train.ts) with the CNN's forward and backward passes. Same pieces: the seeded shuffle
 * of lib/random.ts, mini-batches, any optimizer of lib/optimizers.ts, the learning-rate
 * schedule, the validation set measured after every epoch, the same history records.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { divergence } from "../divergence.ts";
import { TrainingDivergedError } from "../errors.ts";
import { crossEntropyLoss, oneHot } from "../loss.ts";
import { predictions } from "../network.ts";
import { Random } from "../random.ts";
import { type EpochRecord, learningRateAt, type TrainOptions } from "../train.ts";
import { evaluateConvNet } from "./evaluate.ts";
import { convBackward, convForward, type ConvNet, imageBatch } from "./network.ts";

/** What {@linkcode trainConvNet} takes: lib/train.ts's options without its kernel choice. */
export type ConvTrainOptions = Omit<TrainOptions, "kernels" | "threads">;

/**
 * Trains `cnn` in place on `trainSet` and returns the per-epoch history. Throws
 * {@linkcode TrainingDivergedError} as soon as a batch's loss is NaN or infinite, and after an
 * epoch whose weights exploded or whose loss is stuck (lib/divergence.ts). With the same
 * network, data, options and seed, training is bit-for-bit repeatable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { momentum } from "../optimizers.ts";
 * import { initConvNet } from "./network.ts";
 *
 * // 40 images of two kinds: the left half lit (label 0) or the right half (label 1).
 * const images = new Uint8Array(40 * 784);
 * for (let i = 0; i < 40; i++) {
 *   for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (i % 2 === 0)) images[i * 784 + p] = 200;
 * }
 * const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
 * const trainSet = { images, labels, count: 40, source: "halves" };
 * const cnn = initConvNet({ channels1: 2, channels2: 4, hidden: 8, seed: 1 });
 * const history = await trainConvNet(cnn, trainSet, {
 *   epochs: 3, batchSize: 8, optimizer: momentum({ learningRate: 0.05 }), seed: 1,
 *   validation: trainSet,
 * });
 * assert.equal(history.at(-1)!.validationAccuracy, 1);
 * ```
 */
export async function trainConvNet(
  cnn: ConvNet,
  trainSet: Dataset,
  options: ConvTrainOptions,
): Promise<EpochRecord[]> {
  const labels = trainSet.labels;
  if (!labels) throw new RangeError(`${trainSet.source} has no labels: cannot train on it`);
  const { epochs, optimizer, schedule = "constant" } = options;
  const batchSize = Math.min(options.batchSize, trainSet.count);
  const initialRate = optimizer.learningRate;
  const random = new Random(options.seed);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const batches = Math.ceil(trainSet.count / batchSize);
  const history: EpochRecord[] = [];
  const diverged = (problem: string, where: string) =>
    new TrainingDivergedError(
      `${problem} at ${where}: training diverged; try a lower learning rate than ` +
        `${optimizer.learningRate}`,
    );
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
        const cache = convForward(cnn, imageBatch(trainSet, indices));
        const loss = crossEntropyLoss(cache.probabilities, Y);
        if (!Number.isFinite(loss)) {
          throw diverged(`the loss became ${loss}`, `epoch ${epoch}, batch ${batch + 1}`);
        }
        const predicted = predictions(cache.probabilities);
        let batchCorrect = 0;
        for (let j = 0; j < predicted.length; j++) {
          if (predicted[j] === batchLabels[j]) batchCorrect++;
        }
        lossSum += loss * indices.length;
        correct += batchCorrect;
        optimizer.step(cnn, convBackward(cnn, cache, Y));
        await options.onBatch?.({
          epoch,
          batch: batch + 1,
          batches,
          loss,
          accuracy: batchCorrect / indices.length,
        });
      }
      const meanLoss = lossSum / trainSet.count;
      const problem = divergence(cnn, meanLoss, history.at(-1)?.loss);
      if (problem) throw diverged(problem, `epoch ${epoch}`);
      const record: EpochRecord = {
        epoch,
        loss: meanLoss,
        trainAccuracy: correct / trainSet.count,
        learningRate: optimizer.learningRate,
        seconds: 0,
      };
      if (options.validation) {
        const { loss, accuracy } = evaluateConvNet(cnn, options.validation);
        record.validationLoss = loss;
        record.validationAccuracy = accuracy;
      }
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      await options.onEpoch?.(record);
    }
  } finally {
    optimizer.learningRate = initialRate;
  }
  return history;
}
