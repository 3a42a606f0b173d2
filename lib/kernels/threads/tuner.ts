/**
 * Picks the fastest of a few ways to run a training step by timing each, now and then. On a
 * machine shared with other work the answer changes from one half hour to the next: splitting
 * the products between two threads wins while the second core is free and loses badly while
 * something else keeps it busy, when preparing the next batch on it barely slows down, and
 * while another process spins on the second core both lose to one thread alone
 * (docs/performance.md has the figures). Every way gives bit-identical results, so switching
 * never changes what is learned.
 *
 * @module
 */

/** Options for {@linkcode StepTuner}. */
export interface StepTunerOptions {
  /** Steps run before any is timed, while the engine compiles the hot code. Default 16. */
  warmUp?: number;
  /** Steps timed for each way in a round of probing. Default 16. */
  probe?: number;
  /** Steps from one round of probing to the next, probing included. Default 128 per way. */
  period?: number;
}

/**
 * Runs the first way during the warm-up, then every `period` steps times `probe` steps of each
 * way in turn and keeps the one with the lowest median step time until the next round.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const tuner = new StepTuner(["next-batch", "split"] as const, { warmUp: 2, probe: 3 });
 * const ms = { "next-batch": 0.6, split: 0.5 };
 * for (let step = 0; step < 8; step++) tuner.record(ms[tuner.way]); // warm-up, then both probed
 * assert.equal(tuner.way, "split"); // the lower median
 * ```
 */
export class StepTuner<Way extends string> {
  readonly #ways: readonly Way[];
  readonly #warmUp: number;
  readonly #probe: number;
  readonly #period: number;
  readonly #times: number[][];
  #steps = 0;
  #best = 0;

  constructor(ways: readonly Way[], options: StepTunerOptions = {}) {
    this.#ways = ways;
    this.#warmUp = options.warmUp ?? 16;
    this.#probe = options.probe ?? 16;
    this.#period = Math.max(options.period ?? 128 * ways.length, ways.length * this.#probe);
    this.#times = ways.map(() => []);
  }

  /** The way to run the next step. */
  get way(): Way {
    return this.#ways[this.#index(this.#steps)];
  }

  /** Records how long the step just run (the way {@linkcode StepTuner.way} said) took. */
  record(milliseconds: number): void {
    const position = this.#position(this.#steps);
    const probing = this.#ways.length * this.#probe;
    if (position >= 0 && position < probing) {
      this.#times[Math.floor(position / this.#probe)].push(milliseconds);
      if (position === probing - 1) {
        const medians = this.#times.map(median);
        this.#best = medians.indexOf(Math.min(...medians));
        this.#times.forEach((times) => times.length = 0);
      }
    }
    this.#steps++;
  }

  /** Where step `step` falls in its round: −1 during the warm-up. */
  #position(step: number): number {
    return step < this.#warmUp ? -1 : (step - this.#warmUp) % this.#period;
  }

  #index(step: number): number {
    const position = this.#position(step);
    if (position < 0) return 0;
    if (position < this.#ways.length * this.#probe) return Math.floor(position / this.#probe);
    return this.#best;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
