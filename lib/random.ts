/**
 * A small seeded pseudo-random number generator. Every random choice in training (initial
 * weights, shuffling, the validation split) draws from one of these, so the same seed gives
 * bit-identical weights and results on every run.
 *
 * @module
 */

/**
 * Mulberry32: a 32-bit state PRNG, fast and good enough for initialising weights and shuffling
 * (it passes the gjrand and PractRand tests that matter at this scale). All arithmetic is exact
 * 32-bit integer math, so results do not depend on the machine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const random = new Random(42);
 * const u = random.uniform(); // in [0, 1)
 * const z = random.normal(); // mean 0, variance 1
 * const again = new Random(42); // the same seed gives the same numbers
 * assert.deepEqual([again.uniform(), again.normal()], [u, z]);
 * ```
 */
export class Random {
  #state: number;
  #spareNormal: number | null = null;

  /** @param seed any integer; it is reduced to 32 bits */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.#state = seed >>> 0;
  }

  /** A float uniformly distributed in [0, 1), with 32 random bits. */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer uniformly distributed in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * A sample of the standard normal distribution, by the Box–Muller transform: two uniforms
   * u1, u2 give two independent normals √(−2 ln u1)·cos(2πu2) and √(−2 ln u1)·sin(2πu2).
   */
  normal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return spare;
    }
    const u1 = 1 - this.uniform(); // in (0, 1]: log(0) would be -Infinity
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.#spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `array` in place (Fisher–Yates: every permutation equally likely) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const swap = array[i];
      array[i] = array[j];
      array[j] = swap;
    }
    return array;
  }
}
