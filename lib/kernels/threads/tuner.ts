/**
 * Picks the fastest of a few ways to run a training step by timing each, now and then. On a
 * machine shared with other work the answer changes from one half hour to the next: splitting
 * the products between two threads wins while the second core is free and loses badly while
 * something else keeps it busy, when preparing the next batch on it barely slows down, and
 * while another process spins on the second core both lose to one thread alone
 * (docs/performance.md has the figures). Every way gives bit-identical results, so switching
 * never changes what is learned.
 *
 * What keeps the timing honest and cheap on such a machine:
 * - **Means, not medians, less the slowest step.** A way that needs the other core is fast on
 *   most steps and very slow on the few during which the system pauses its worker: a median
 *   hides those steps, while the epoch pays for every one of them. But one pause of a few
 *   milliseconds among a round's dozen steps of a third of a millisecond would decide the round
 *   alone, and such pauses come even on a quiet machine: so each way's slowest step in a round
 *   is left out of its mean, and a way slow on several steps still loses.
 * - **Interleaved visits.** A round of probing visits the ways in turn, a few steps at a time,
 *   several times over, so that a busy moment of the machine slows every way alike instead of
 *   whichever way was being timed. The first step of each visit is not counted: it pays for
 *   the switch (a worker still spinning from the way before, a batch prepared for another way).
 * - **Dropping clear losers.** After each pass over the ways from the second on, a way already
 *   far slower than the best is visited no more in that round: on a busy machine the way that
 *   needs the other core is the slow one, and each of its visits costs the epoch that much
 *   more. (After the first pass a way has only a few steps counted, and one pause among them
 *   would drop it.)
 * - **Backing off.** When a round finds the same way fastest as the round before, the next
 *   round comes twice as late (up to `maxPeriod`): probing the slow ways is what tuning costs.
 * - **Watching the way it runs.** Between rounds the steps of the chosen way are timed too;
 *   when `patience` windows of them in a row are much slower than the way's probed mean and
 *   slower than the runner-up was, the conditions have changed and a round starts at once.
 *   (Slower than its own mean alone would not do: on a busy machine a round's lucky moment sets
 *   a mean that later windows miss by half, and every needless round runs the slow ways again.
 *   One window would not do either: a single pause makes a window of fast steps slow.)
 * - **Judging the reign as a whole.** A way that needs another thread can be fast on most steps
 *   and stall on every few (the system shares the cores with other work): a round's dozen steps
 *   may miss the stalls, and windows that hold them seldom come two in a row. So the chosen
 *   way's steps since its round are also judged together, its slowest left out: once they take
 *   longer than the runner-up's probed mean (or than the fallback's, less the margin) a round
 *   starts, and in that round the way counts as no faster than the steps that started it, so
 *   that a few lucky probed steps cannot bring it back.
 * - **A safe way on near ties.** A `fallback` way (one thread alone, which needs no other core)
 *   is kept unless another way is faster by a `margin`: on a busy machine the ways' means lie
 *   within the noise of each other, and the way that needs a second core is the one that slows
 *   down most when something else takes that core. The margin is small: on a quiet machine
 *   splitting the products is about 1.6 times as fast as one thread, and its rounds, taken while
 *   the engine still compiles in the background, often show it only 1.2 times as fast.
 *
 * @module
 */

/** Options for {@linkcode StepTuner}. */
export interface StepTunerOptions<Way extends string = string> {
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
   * A window of `probe` steps of the chosen way slower than this many times its probed mean,
   * and slower than the runner-up's mean, is slow; `patience` slow windows in a row start a
   * round at once. Default 1.3.
   */
  slowdown?: number;
  /** Slow windows in a row that start a round (see `slowdown`). Default 2. */
  patience?: number;
  /**
   * Windows of the chosen way after which its steps since its round are judged together (see
   * the module comment). Default 4: fewer, and two pauses of a quiet machine would start a round.
   */
  reign?: number;
  /**
   * After each pass of a round from the second on, a way whose mean so far is more than this
   * many times the best one's is visited no more in the round. Default 1.5.
   */
  drop?: number;
  /** The way chosen unless another is faster by `margin`; default none. */
  fallback?: Way;
  /** How many times faster than the fallback another way's mean must be. Default 1.1. */
  margin?: number;
}

/**
 * Runs the first way during the warm-up, then probes every way in interleaved visits and keeps
 * the one with the lowest mean step time (its slowest step left out) until the next round.
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
 * assert.equal(tuner.way, "split"); // the lower mean
 * ```
 */
export class StepTuner<Way extends string> {
  readonly #ways: readonly Way[];
  readonly #probe: number;
  readonly #visit: number;
  /** Visits per way in a round: enough for `probe` counted steps. */
  readonly #visits: number;
  readonly #period: number;
  readonly #maxPeriod: number;
  readonly #slowdown: number;
  readonly #patience: number;
  /** Steps of the chosen way before its reign is judged. */
  readonly #reignSteps: number;
  readonly #fallback: number;
  readonly #margin: number;
  readonly #drop: number;
  readonly #times: number[][];
  /** The ways of the current pass's steps, one per step; empty between rounds. */
  #pass: number[] = [];
  /** How far the current pass has got. */
  #passStep = 0;
  /** Passes of the current round done. */
  #passes = 0;
  /** Steps of the current round done. */
  #roundSteps = 0;
  /** The ways still visited in the current round. */
  #live: number[] = [];
  /** Steps to run before the next round: the warm-up, then what is left of the period. */
  #wait: number;
  /** The period now: longer while the same way keeps winning. */
  #gap: number;
  #best = 0;
  /** The mean step time of the chosen way when it was probed; Infinity before any round. */
  #bestMean = Infinity;
  /** The lowest mean of the other ways in that round (0 with only one way). */
  #runnerUpMean = 0;
  /** The chosen way's step times since the last window was judged. */
  #watched: number[] = [];
  /** Slow windows of the chosen way in a row. */
  #slowWindows = 0;
  /** The chosen way's step times since its round, judged windows only. */
  #reign: number[] = [];
  /** The mean the chosen way's reign must stay under; Infinity for the fallback and one way. */
  #reignLimit = Infinity;
  /** In a round started by the chosen way's slow steps: that way and the mean of those steps. */
  #floor: { way: number; mean: number } | undefined;

  constructor(ways: readonly Way[], options: StepTunerOptions<Way> = {}) {
    this.#ways = ways;
    this.#probe = options.probe ?? 12;
    this.#visit = Math.max(2, options.visit ?? 4);
    this.#visits = Math.ceil(this.#probe / (this.#visit - 1));
    const roundLength = ways.length * this.#visit * this.#visits;
    this.#period = Math.max(options.period ?? 128 * ways.length, roundLength);
    this.#maxPeriod = Math.max(options.maxPeriod ?? 4 * this.#period, this.#period);
    this.#slowdown = options.slowdown ?? 1.3;
    this.#patience = Math.max(1, options.patience ?? 2);
    this.#reignSteps = Math.max(1, options.reign ?? 4) * this.#probe;
    this.#fallback = options.fallback === undefined ? -1 : ways.indexOf(options.fallback);
    this.#margin = options.margin ?? 1.1;
    this.#drop = options.drop ?? 1.5;
    this.#times = ways.map(() => []);
    this.#gap = this.#period;
    this.#wait = options.warmUp ?? 16;
    if (this.#wait <= 0) this.#startRound();
  }

  /** The way to run the next step. */
  get way(): Way {
    return this.#ways[this.#pass.length > 0 ? this.#pass[this.#passStep] : this.#best];
  }

  /** Records how long the step just run (the way {@linkcode StepTuner.way} said) took. */
  record(milliseconds: number): void {
    if (this.#pass.length > 0) this.#probed(milliseconds);
    else {
      if (this.#bestMean < Infinity) this.#watch(milliseconds);
      this.#wait--;
    }
    if (this.#pass.length === 0 && this.#wait <= 0) this.#startRound();
  }

  /** A round: passes over the ways, `visit` steps to each per pass, losers dropped between. */
  #startRound(): void {
    this.#live = this.#ways.map((_, w) => w);
    this.#passes = 0;
    this.#roundSteps = 0;
    this.#startPass();
  }

  #startPass(): void {
    this.#pass = this.#live.flatMap((w) => Array<number>(this.#visit).fill(w));
    this.#passStep = 0;
  }

  /** Counts a step of a pass (not the first of a visit); after a pass, drops the losers. */
  #probed(milliseconds: number): void {
    const way = this.#pass[this.#passStep];
    if (this.#passStep % this.#visit !== 0) this.#times[way].push(milliseconds);
    this.#roundSteps++;
    if (++this.#passStep < this.#pass.length) return;
    if (++this.#passes < this.#visits) {
      if (this.#passes >= 2) {
        const means = this.#means();
        const fastest = Math.min(...this.#live.map((w) => means[w]));
        this.#live = this.#live.filter((w) => means[w] <= this.#drop * fastest);
      }
      if (this.#live.length > 1) return this.#startPass();
    }
    this.#endRound();
  }

  /** Chooses the fastest of the ways still visited and schedules the next round. */
  #endRound(): void {
    const means = this.#means();
    const live = this.#live;
    let best = live.reduce((b, w) => means[w] < means[b] ? w : b);
    const fallback = this.#fallback;
    if (live.includes(fallback) && means[best] * this.#margin > means[fallback]) best = fallback;
    // The same winner again: conditions look steady, so the losers are probed half as often.
    const again = this.#bestMean < Infinity && best === this.#best;
    this.#gap = again ? Math.min(2 * this.#gap, this.#maxPeriod) : this.#period;
    this.#wait = this.#gap - this.#roundSteps;
    this.#best = best;
    this.#bestMean = means[best];
    const others = means.filter((_, w) => w !== best);
    this.#runnerUpMean = others.length > 0 ? Math.min(...others) : 0;
    const clearlyFaster = fallback >= 0 ? means[fallback] / this.#margin : Infinity;
    this.#reignLimit = best === fallback || others.length === 0
      ? Infinity
      : Math.min(this.#runnerUpMean, clearlyFaster);
    this.#times.forEach((times) => times.length = 0);
    this.#floor = undefined;
    this.#pass = [];
    this.#watched = [];
    this.#reign = [];
    this.#slowWindows = 0;
  }

  /** Each way's mean so far this round, its slowest step left out, and no lower than its floor. */
  #means(): number[] {
    const means = this.#times.map(meanLessSlowest);
    const floor = this.#floor;
    if (floor) means[floor.way] = Math.max(means[floor.way], floor.mean);
    return means;
  }

  /** Judges each window of `probe` steps of the chosen way against the round's means. */
  #watch(milliseconds: number): void {
    this.#watched.push(milliseconds);
    if (this.#watched.length < this.#probe) return;
    const limit = Math.max(this.#slowdown * this.#bestMean, this.#runnerUpMean);
    const window = this.#watched;
    this.#slowWindows = mean(window) > limit ? this.#slowWindows + 1 : 0;
    this.#reign.push(...window);
    this.#watched = [];
    const windows = this.#slowWindows >= this.#patience
      ? mean(this.#reign.slice(-this.#patience * this.#probe))
      : 0;
    const reign = this.#reign.length >= this.#reignSteps ? meanLessSlowest(this.#reign) : 0;
    if (windows > 0 || reign > this.#reignLimit) {
      this.#floor = { way: this.#best, mean: Math.max(windows, reign) };
      this.#gap = this.#period;
      this.#wait = 0; // a round starts with the next step
    }
  }
}

/** The mean of `values` without the largest, from three values on. */
function meanLessSlowest(values: number[]): number {
  if (values.length < 3) return mean(values);
  return (values.reduce((sum, value) => sum + value, 0) - Math.max(...values)) /
    (values.length - 1);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
