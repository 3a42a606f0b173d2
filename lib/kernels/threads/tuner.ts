/**
 * Picks the fastest of a few ways to run a training step by timing each, now and then. On a
 * machine shared with other work the answer changes from one half hour to the next: splitting
 * the products between two threads wins while the second core is free and loses badly while
 * something else keeps it busy, when preparing the next batch on it barely slows down, and
 * while another process spins on the second core both lose to one thread alone
 * (docs/performance.md has the figures). Every way gives bit-identical results, so switching
 * never changes what is learned.
 *
 * Three things keep the timing honest and cheap on such a machine:
 * - **Interleaved visits.** A round of probing visits the ways in turn, a few steps at a time,
 *   several times over, so that a busy moment of the machine slows every way alike instead of
 *   whichever way was being timed. The first step of each visit is not counted: it pays for
 *   the switch (a worker still spinning from the way before, a batch prepared for another way).
 * - **Backing off.** When a round finds the same way fastest as the round before, the next
 *   round comes twice as late (up to `maxPeriod`): probing the slow ways is what tuning costs.
 * - **Watching the way it runs.** Between rounds the steps of the chosen way are timed too;
 *   when a window of them is much slower than the way's probed median, the conditions have
 *   changed and a round starts at once.
 *
 * @module
 */

/** Options for {@linkcode StepTuner}. */
export interface StepTunerOptions {
  /** Steps run before any is timed, while the engine compiles the hot code. Default 16. */
  warmUp?: number;
  /** Steps counted for each way in a round of probing. Default 12. */
  probe?: number;
  /** Consecutive steps of one way per visit, the first not counted. Default 4. */
  visit?: number;
  /** Steps from the start of one round to the next, at first. Default 128 per way. */
  period?: number;
  /** The longest that period grows to while the same way keeps winning. Default 4 × period. */
  maxPeriod?: number;
  /**
   * A window of `probe` steps of the chosen way slower than this many times its probed median
   * starts a round at once. Default 1.3.
   */
  slowdown?: number;
}

/**
 * Runs the first way during the warm-up, then probes every way in interleaved visits and keeps
 * the one with the lowest median step time until the next round.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const tuner = new StepTuner(["next-batch", "split"] as const, { warmUp: 2, probe: 3, visit: 4 });
 * const ms = { "next-batch": 0.6, split: 0.5 };
 * const ways: string[] = [];
 * for (let step = 0; step < 12; step++) { // warm-up, then one visit of 4 steps to each way
 *   ways.push(tuner.way);
 *   tuner.record(ms[tuner.way]);
 * }
 * assert.deepEqual(ways.slice(0, 6), ["next-batch", "next-batch", "next-batch", "next-batch",
 *   "next-batch", "next-batch"]); // 2 warm-up steps, then next-batch's visit
 * assert.equal(tuner.way, "split"); // the lower median
 * ```
 */
export class StepTuner<Way extends string> {
  readonly #ways: readonly Way[];
  readonly #probe: number;
  readonly #visit: number;
  readonly #period: number;
  readonly #maxPeriod: number;
  readonly #slowdown: number;
  readonly #times: number[][];
  /** The ways of the current round's steps, one per step; empty between rounds. */
  #round: number[] = [];
  /** How far the current round has got. */
  #roundStep = 0;
  /** Steps to run before the next round: the warm-up, then what is left of the period. */
  #wait: number;
  /** The period now: longer while the same way keeps winning. */
  #gap: number;
  #best = 0;
  /** The median step time of the chosen way when it was probed; Infinity before any round. */
  #bestMedian = Infinity;
  /** The chosen way's step times since the last window was judged. */
  #watched: number[] = [];

  constructor(ways: readonly Way[], options: StepTunerOptions = {}) {
    this.#ways = ways;
    this.#probe = options.probe ?? 12;
    this.#visit = Math.max(2, options.visit ?? 4);
    const roundLength = ways.length * this.#visit * this.#visits();
    this.#period = Math.max(options.period ?? 128 * ways.length, roundLength);
    this.#maxPeriod = Math.max(options.maxPeriod ?? 4 * this.#period, this.#period);
    this.#slowdown = options.slowdown ?? 1.3;
    this.#times = ways.map(() => []);
    this.#gap = this.#period;
    this.#wait = options.warmUp ?? 16;
    if (this.#wait <= 0) this.#startRound();
  }

  /** The way to run the next step. */
  get way(): Way {
    return this.#ways[this.#round.length > 0 ? this.#round[this.#roundStep] : this.#best];
  }

  /** Records how long the step just run (the way {@linkcode StepTuner.way} said) took. */
  record(milliseconds: number): void {
    if (this.#round.length > 0) this.#probed(milliseconds);
    else {
      if (this.#bestMedian < Infinity) this.#watch(milliseconds);
      this.#wait--;
    }
    if (this.#round.length === 0 && this.#wait <= 0) this.#startRound();
  }

  /** Visits per way in a round: enough for `probe` counted steps. */
  #visits(): number {
    return Math.ceil(this.#probe / (this.#visit - 1));
  }

  /** A round: passes over the ways, `visit` steps to each per pass. */
  #startRound(): void {
    this.#round = [];
    for (let pass = 0; pass < this.#visits(); pass++) {
      for (let w = 0; w < this.#ways.length; w++) {
        for (let s = 0; s < this.#visit; s++) this.#round.push(w);
      }
    }
    this.#roundStep = 0;
  }

  #probed(milliseconds: number): void {
    const way = this.#round[this.#roundStep];
    const firstOfVisit = this.#roundStep === 0 || this.#round[this.#roundStep - 1] !== way;
    if (!firstOfVisit) this.#times[way].push(milliseconds);
    if (++this.#roundStep < this.#round.length) return;
    const medians = this.#times.map(median);
    const best = medians.indexOf(Math.min(...medians));
    // The same winner again: conditions look steady, so the losers are probed half as often.
    const again = this.#bestMedian < Infinity && best === this.#best;
    this.#gap = again ? Math.min(2 * this.#gap, this.#maxPeriod) : this.#period;
    this.#wait = this.#gap - this.#round.length;
    this.#best = best;
    this.#bestMedian = medians[best];
    this.#times.forEach((times) => times.length = 0);
    this.#round = [];
    this.#watched = [];
  }

  /** Judges each window of `probe` steps of the chosen way against its probed median. */
  #watch(milliseconds: number): void {
    this.#watched.push(milliseconds);
    if (this.#watched.length < this.#probe) return;
    if (median(this.#watched) > this.#slowdown * this.#bestMedian) {
      this.#gap = this.#period;
      this.#wait = 0; // a round starts with the next step
    }
    this.#watched = [];
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
