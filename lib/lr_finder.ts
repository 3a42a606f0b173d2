/**
 * The learning-rate finder (Smith 2017; fast.ai): train for part of an epoch while the learning
 * rate grows exponentially from tiny to huge, and watch the loss. It barely moves while the rate
 * is too small, falls fastest in the useful range, and shoots up once steps overshoot; a rate
 * somewhat below the loss's minimum (here a tenth of it) is a good start.
 *
 * @module
 */

import type { Dataset } from "./data/dataset.ts";
import { cloneNetwork, type Network } from "./network.ts";
import { momentum, type Optimizer } from "./optimizers.ts";
import { Random } from "./random.ts";
import { referenceTrainer } from "./batch_trainer.ts";

/** Options for {@linkcode findLearningRate}. */
export interface LearningRateFinderOptions {
  /** The first and last learning rate of the sweep (default 1e-4 and 10). */
  from?: number;
  to?: number;
  /** Steps of the sweep (default 100), each on a new batch. */
  steps?: number;
  batchSize?: number;
  /** Seeds the batches. */
  seed?: number;
  /** The optimizer to sweep (default momentum 0.9); its learning rate is set at every step. */
  optimizer?: Optimizer;
  /** The sweep ends once the loss exceeds this many times its minimum (default 4). */
  stopFactor?: number;
}

/** What the sweep measured: `losses[k]` is the batch loss before the step at `learningRates[k]`. */
export interface LearningRateSweep {
  learningRates: number[];
  losses: number[];
  /** A tenth of the learning rate at the lowest loss. */
  suggestion: number;
}

/**
 * Sweeps the learning rate on a copy of `network` (the network itself is left as it is):
 * step k uses from·(to/from)^(k/(steps − 1)).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 *
 * // 40 images of two kinds: the left half lit (label 0) or the right half (label 1).
 * const images = new Uint8Array(40 * 784);
 * for (let i = 0; i < 40; i++) {
 *   for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (i % 2 === 0)) images[i * 784 + p] = 200;
 * }
 * const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
 * const trainSet = { images, labels, count: 40, source: "halves" };
 * const network = initNetwork({ hidden: 8, seed: 1 });
 * const w = network.W1.data[0];
 * const { learningRates, losses, suggestion } = findLearningRate(network, trainSet, {
 *   steps: 20,
 *   batchSize: 8,
 *   seed: 1,
 * });
 * assert.equal(learningRates[0], 1e-4); // the sweep starts tiny
 * assert.equal(suggestion, learningRates[losses.indexOf(Math.min(...losses))] / 10);
 * assert.equal(network.W1.data[0], w); // the sweep trained a copy
 * ```
 */
export function findLearningRate(
  network: Network,
  trainSet: Dataset,
  options: LearningRateFinderOptions = {},
): LearningRateSweep {
  const { from = 1e-4, to = 10, steps = 100, batchSize = 128, seed = 1, stopFactor = 4 } = options;
  const optimizer = options.optimizer ?? momentum({ learningRate: from });
  const copy = cloneNetwork(network);
  const trainer = referenceTrainer(copy, trainSet);
  const order = new Random(seed).shuffle(Int32Array.from({ length: trainSet.count }, (_, i) => i));
  const learningRates: number[] = [], losses: number[] = [];
  let lowest = Infinity;
  for (let k = 0; k < steps; k++) {
    const first = (k * batchSize) % trainSet.count;
    const indices = order.subarray(first, Math.min(first + batchSize, trainSet.count));
    const { loss } = trainer.forward(indices);
    if (!Number.isFinite(loss) || loss > stopFactor * lowest) break;
    lowest = Math.min(lowest, loss);
    optimizer.learningRate = from * (to / from) ** (steps === 1 ? 0 : k / (steps - 1));
    learningRates.push(optimizer.learningRate);
    losses.push(loss);
    trainer.update(optimizer);
  }
  const suggestion = learningRates[losses.indexOf(lowest)] / 10;
  return { learningRates, losses, suggestion };
}
