/**
 * Early stopping: keep the weights of the epoch with the best validation accuracy, and stop
 * once `patience` epochs in a row have not beaten it. Training longer mostly fits the training
 * images better; the validation set says when that stops helping the images it has not seen.
 *
 * @module
 */

import type { Storage } from "./matrix.ts";

/** Tracks the best validation accuracy and a copy of its weights (any model's). */
export class BestWeights {
  /** The best validation accuracy so far (−Infinity before the first epoch). */
  bestAccuracy = -Infinity;
  /** The 1-based epoch it was reached at (0 before the first). */
  bestEpoch = 0;
  #epochsWithout = 0;
  /** A copy of each parameter's values, by name. */
  #saved: Map<string, Storage> | undefined;

  /** @param patience epochs without improvement before {@linkcode observe} says stop (≥ 1) */
  constructor(readonly patience = Infinity) {
    if (!(patience >= 1)) throw new RangeError(`patience must be at least 1, got ${patience}`);
  }

  /**
   * Records an epoch's validation accuracy; copies the weights when it beats the best so far
   * (a tie keeps the earlier, shorter-trained weights). Returns true when training should stop.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { initNetwork } from "./network.ts";
   *
   * const network = initNetwork({ hidden: 4, seed: 1 });
   * const best = new BestWeights(1); // patience 1: stop after the first epoch that is not better
   * assert.equal(best.observe(1, 0.9, network), false); // the best so far: its weights are copied
   * network.W1.data[0] = 42; // epoch 2 trains further...
   * assert.equal(best.observe(2, 0.85, network), true); // ...and is worse: stop
   * best.restore(network);
   * assert.notEqual(network.W1.data[0], 42); // epoch 1's weights are back
   * assert.equal(best.bestEpoch, 1);
   * ```
   */
  observe(epoch: number, accuracy: number, network: object): boolean {
    if (accuracy > this.bestAccuracy) {
      this.bestAccuracy = accuracy;
      this.bestEpoch = epoch;
      this.#epochsWithout = 0;
      this.#saved = new Map(parameters(network).map(([name, data]) => [name, data.slice()]));
      return false;
    }
    return ++this.#epochsWithout >= this.patience;
  }

  /** Puts the best weights back into `network` (nothing before the first observation). */
  restore(network: object): void {
    if (!this.#saved) return;
    for (const [name, data] of parameters(network)) data.set(this.#saved.get(name)!);
  }
}

/** The parameters of a model (an MLP's Network, a CNN's ConvNet): its fields holding `data`. */
function parameters(model: object): [string, Storage][] {
  return Object.entries(model).flatMap(([name, value]) => {
    const data = (value as { data?: unknown } | null)?.data;
    return data instanceof Float32Array || data instanceof Float64Array ? [[name, data]] : [];
  });
}
