/**
 * A tiny synthetic digit set for tests that must run without file permissions: class c is a
 * bright horizontal bar at rows 2c+4..2c+5, plus random specks of noise.
 *
 * @module
 */

import { type Dataset, PIXELS } from "../lib/data/dataset.ts";
import { Random } from "../lib/random.ts";

/** `count` synthetic images, labels cycling 0..9, noise drawn from `seed`. */
export function syntheticDigits(count: number, seed: number): Dataset {
  const random = new Random(seed);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 10;
    labels[n] = label;
    const image = images.subarray(n * PIXELS, (n + 1) * PIXELS);
    for (let row = 2 * label + 4; row < 2 * label + 6; row++) {
      for (let col = 4; col < 24; col++) image[row * 28 + col] = 150 + random.integer(106);
    }
    for (let speck = 0; speck < 30; speck++) image[random.integer(PIXELS)] = random.integer(256);
  }
  return { images, labels, count, source: "synthetic digits" };
}
