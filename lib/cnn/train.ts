/**
 * Training a ConvNet on the readable reference code: lib/train.ts's loop (the seeded shuffle,
 * mini-batches, any optimizer, the schedule, validation after every epoch, the same history)
 * with the CNN's forward and backward passes ({@link ./batch_trainer.ts}). `train(cnn, …)`
 * itself runs the same loop on the fast kernels.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { type EpochRecord, train, type TrainOptions } from "../train.ts";
import type { ConvNet } from "./network.ts";

/** What {@linkcode trainConvNet} takes: lib/train.ts's options without its kernel choice. */
export type ConvTrainOptions = Omit<TrainOptions, "kernels" | "threads">;

/**
 * Trains `cnn` in place on `trainSet` with the reference passes and returns the per-epoch
 * history: `train(cnn, trainSet, { ...options, kernels: "reference" })`. With the same network,
 * data, options and seed, training is bit-for-bit repeatable.
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
export function trainConvNet(
  cnn: ConvNet,
  trainSet: Dataset,
  options: ConvTrainOptions,
): Promise<EpochRecord[]> {
  return train(cnn, trainSet, { ...options, kernels: "reference" });
}
