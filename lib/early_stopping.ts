/**
 * Early stopping: keep the weights of the epoch with the best validation accuracy, and stop
 * once `patience` epochs in a row have not beaten it. Training longer mostly fits the training
 * images better; the validation set says when that stops helping the images it has not seen.
 *
 * @module
 */

import { cloneNetwork, type Network, PARAMETER_NAMES } from "./network.ts";

/** Tracks the best validation accuracy and a copy of its weights. */
export class BestWeights {
  /** The best validation accuracy so far (−Infinity before the first epoch). */
  bestAccuracy = -Infinity;
  /** The 1-based epoch it was reached at (0 before the first). */
  bestEpoch = 0;
  #epochsWithout = 0;
  #saved: Network | undefined;

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
   * const best = new BestWeights(3);
   * if (best.observe(epoch, accuracy, network)) break;
   * best.restore(network);
   * ```
   */
  observe(epoch: number, accuracy: number, network: Network): boolean {
    if (accuracy > this.bestAccuracy) {
      this.bestAccuracy = accuracy;
      this.bestEpoch = epoch;
      this.#epochsWithout = 0;
      this.#saved = cloneNetwork(network);
      return false;
    }
    return ++this.#epochsWithout >= this.patience;
  }

  /** Puts the best weights back into `network` (nothing before the first observation). */
  restore(network: Network): void {
    if (!this.#saved) return;
    for (const name of PARAMETER_NAMES) network[name].data.set(this.#saved[name].data);
  }
}
