/**
 * Elastic distortions (Simard, Steinkraus & Platt 2003): a random displacement field, uniform
 * in (−1, 1) per pixel and coordinate, smoothed with a Gaussian of standard deviation σ and
 * scaled by α, so that nearby pixels move together, like a hand's wobble.
 *
 * @module
 */

import { IMAGE_SIDE } from "./data/dataset.ts";
import type { Random } from "./random.ts";
import type { SourceField } from "./warp.ts";

/**
 * A Gaussian kernel of standard deviation σ, truncated at 3σ and normalised to sum 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const kernel = gaussianKernel(1); // radius 3σ = 3: 7 weights
 * assert.equal(kernel.length, 7);
 * assert.equal(kernel[0], kernel[6]); // symmetric
 * assert.ok(Math.abs(kernel.reduce((sum, w) => sum + w) - 1) < 1e-6);
 * ```
 */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma ** 2));
  }
  return kernel.map((value) => value / sum);
}

/**
 * `values` (side×side) convolved with `kernel` along rows, then along columns (a 2-D Gaussian
 * is the product of two 1-D ones, so this costs 2·(2r+1) products per pixel instead of
 * (2r+1)²); outside the image counts as 0.
 */
function smooth(values: Float32Array, kernel: Float32Array, side: number): Float32Array {
  const radius = (kernel.length - 1) / 2;
  const along = (input: Float32Array, step: number, stride: number) => {
    const output = new Float32Array(side * side);
    for (let line = 0; line < side; line++) {
      for (let i = 0; i < side; i++) {
        let sum = 0;
        const from = Math.max(-radius, -i), to = Math.min(radius, side - 1 - i);
        for (let k = from; k <= to; k++) {
          sum += kernel[k + radius] * input[line * stride + (i + k) * step];
        }
        output[line * stride + i * step] = sum;
      }
    }
    return output;
  };
  return along(along(values, 1, side), side, 1);
}

/**
 * An elastic displacement: α·(G_σ ∗ u) for fields u uniform in (−1, 1), one for x and one for
 * y, drawn from `random`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "./random.ts";
 *
 * const { x: dx, y: dy } = elasticDisplacement(new Random(1), 34, 4);
 * assert.equal(dx.length, 28 * 28);
 * // α times an average of noise in (−1, 1) (weights summing to at most 1): under α pixels.
 * assert.ok([...dx, ...dy].every((d) => Math.abs(d) < 34));
 * ```
 */
export function elasticDisplacement(
  random: Random,
  alpha: number,
  sigma: number,
  side = IMAGE_SIDE,
): SourceField {
  const kernel = gaussianKernel(sigma);
  const [x, y] = [0, 1].map(() => {
    const noise = new Float32Array(side * side);
    for (let p = 0; p < noise.length; p++) noise[p] = 2 * random.uniform() - 1;
    return smooth(noise, kernel, side).map((value) => alpha * value);
  });
  return { x, y };
}

/**
 * Adds an elastic displacement ({@linkcode elasticDisplacement}) to `field` in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "./random.ts";
 * import { shiftField } from "./warp.ts";
 *
 * const field = elasticField(shiftField(0, 0), new Random(1), 34, 4);
 * const { x: dx } = elasticDisplacement(new Random(1), 34, 4); // the same draws
 * assert.ok(Math.abs(field.x[5] - (5 + dx[5])) < 1e-5); // pixel (0, 5): column 5, displaced
 * ```
 */
export function elasticField(
  field: SourceField,
  random: Random,
  alpha: number,
  sigma: number,
  side = IMAGE_SIDE,
): SourceField {
  const { x, y } = elasticDisplacement(random, alpha, sigma, side);
  for (let p = 0; p < x.length; p++) {
    field.x[p] += x[p];
    field.y[p] += y[p];
  }
  return field;
}

/**
 * A bank of elastic displacements to draw from: smoothing costs 2·(6σ + 1) products per pixel
 * and coordinate (about 15 s for 55,000 images here, ten times the warps), so an epoch draws
 * `size` displacements and gives each image one of them, in one of 8 equally likely variants:
 * dx and dy swapped or not, each negated or not. The fields' distribution is symmetric under
 * these (their noise is i.i.d. and symmetric about 0), so every variant is as likely as a fresh
 * draw; with a fresh affine transform per image no two images share a warp.
 */
export class ElasticBank {
  readonly #fields: SourceField[];

  /** Draws `size` displacements of strength α and smoothness σ from `random`. */
  constructor(size: number, random: Random, alpha: number, sigma: number) {
    this.#fields = Array.from({ length: size }, () => elasticDisplacement(random, alpha, sigma));
  }

  /**
   * Adds a random one of the bank's displacements (a random variant) to `field` in place.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Random } from "./random.ts";
   * import { shiftField } from "./warp.ts";
   *
   * const random = new Random(1);
   * const bank = new ElasticBank(1, random, 34, 4); // a single displacement, in 8 variants
   * const field = bank.addTo(shiftField(0, 0), random);
   * const { x, y } = elasticDisplacement(new Random(1), 34, 4); // the bank's one, drawn again
   * // Pixel (0, 5) comes from (5, 0) plus (±x, ±y), maybe swapped: the same length.
   * const moved = Math.hypot(field.x[5] - 5, field.y[5] - 0);
   * assert.ok(Math.abs(moved - Math.hypot(x[5], y[5])) < 1e-4);
   * ```
   */
  addTo(field: SourceField, random: Random): SourceField {
    const variant = random.integer(8);
    const chosen = this.#fields[random.integer(this.#fields.length)];
    const [dx, dy] = variant & 1 ? [chosen.y, chosen.x] : [chosen.x, chosen.y];
    const signX = variant & 2 ? -1 : 1, signY = variant & 4 ? -1 : 1;
    for (let p = 0; p < dx.length; p++) {
      field.x[p] += signX * dx[p];
      field.y[p] += signY * dy[p];
    }
    return field;
  }
}
