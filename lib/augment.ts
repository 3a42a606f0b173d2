/**
 * More training data for free: every epoch can see a slightly different copy of each training
 * image. Three kinds, each including the one before it:
 *
 * - "shift": moved by a whole number of pixels, −2..2 in each direction;
 * - "affine": rotated (±`degrees`), scaled (1 ± `scale`) about the centre and shifted ±2 px;
 * - "elastic": the affine transform plus an elastic distortion (Simard, Steinkraus & Platt 2003):
 *   a random displacement field, uniform in (−1, 1) per pixel and coordinate, smoothed with a
 *   Gaussian of standard deviation σ and scaled by α, so that nearby pixels move together.
 *
 * Every kind is a warp: output pixel p takes the value of the source image at position s(p),
 * sampled bilinearly (the four nearest source pixels weighted by closeness; outside the image
 * is background, 0). Images stay bytes, so a warped copy costs what the original does.
 *
 * @module
 */

import { type Dataset, IMAGE_SIDE, PIXELS } from "./data/dataset.ts";
import type { Random } from "./random.ts";

/** What {@linkcode augmentDataset} does to each image. */
export type Augmentation = "none" | "shift" | "affine" | "elastic";

/** The kinds, for flag parsing and help texts. */
export const AUGMENTATIONS: readonly Augmentation[] = ["none", "shift", "affine", "elastic"];

/** How strong the random transforms are. */
export interface AugmentOptions {
  /** Largest shift in pixels (default 2). */
  shift?: number;
  /** Largest rotation in degrees (default 10). */
  degrees?: number;
  /** Largest relative change of size (default 0.1: 90 % to 110 %). */
  scale?: number;
  /** Elastic strength α in pixels (default 34, Simard et al.'s value for 28×28 digits). */
  alpha?: number;
  /** Elastic smoothness σ in pixels (default 4, likewise). */
  sigma?: number;
}

/**
 * The source position of every output pixel: x and y of pixel (row r, column c) at index
 * r·side + c. The identity field is x = c, y = r.
 */
export interface SourceField {
  x: Float32Array;
  y: Float32Array;
}

/**
 * Samples `image` (side×side bytes) at each position of `field`, bilinearly, into `out`.
 *
 * @example
 * ```ts
 * const moved = warp(image, shiftField(1, 0)); // one pixel to the right
 * ```
 */
export function warp(
  image: Uint8Array,
  field: SourceField,
  side = IMAGE_SIDE,
  out = new Uint8Array(side * side),
): Uint8Array {
  const pixel = (row: number, col: number) =>
    row < 0 || col < 0 || row >= side || col >= side ? 0 : image[row * side + col];
  for (let p = 0; p < side * side; p++) {
    const x = field.x[p], y = field.y[p];
    const col = Math.floor(x), row = Math.floor(y);
    const fx = x - col, fy = y - row;
    const top = pixel(row, col) * (1 - fx) + pixel(row, col + 1) * fx;
    const bottom = pixel(row + 1, col) * (1 - fx) + pixel(row + 1, col + 1) * fx;
    out[p] = Math.round(top * (1 - fy) + bottom * fy);
  }
  return out;
}

/**
 * The field that moves an image by (dx, dy) pixels: right and down for positive values.
 *
 * @example
 * ```ts
 * shiftField(1, 0).x[0]; // -1: output pixel (0, 0) comes from column −1 (background)
 * ```
 */
export function shiftField(dx: number, dy: number, side = IMAGE_SIDE): SourceField {
  return affineField({ rotation: 0, scale: 1, dx, dy }, side);
}

/** A rotation (radians, counter-clockwise on screen), a scale and a shift, about the centre. */
export interface Affine {
  rotation: number;
  scale: number;
  dx: number;
  dy: number;
}

/**
 * The field of an affine transform: the output point p comes from s = c + R(−θ)·(p − c − t)/k,
 * the inverse of "scale by k and rotate by θ about the centre c, then shift by t". With y
 * pointing down, a counter-clockwise rotation on screen is x' = x·cos θ + y·sin θ,
 * y' = −x·sin θ + y·cos θ.
 *
 * @example
 * ```ts
 * const field = affineField({ rotation: Math.PI / 2, scale: 1, dx: 0, dy: 0 });
 * ```
 */
export function affineField(transform: Affine, side = IMAGE_SIDE): SourceField {
  const { rotation, scale, dx, dy } = transform;
  const centre = (side - 1) / 2;
  const cos = Math.cos(rotation) / scale, sin = Math.sin(rotation) / scale;
  const x = new Float32Array(side * side), y = new Float32Array(side * side);
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const u = col - centre - dx, v = row - centre - dy;
      // R(−θ) undoes x' = x·cos θ + y·sin θ, y' = −x·sin θ + y·cos θ.
      x[row * side + col] = centre + cos * u - sin * v;
      y[row * side + col] = centre + sin * u + cos * v;
    }
  }
  return { x, y };
}

/**
 * A Gaussian kernel of standard deviation σ, truncated at 3σ and normalised to sum 1.
 *
 * @example
 * ```ts
 * gaussianKernel(1).length; // 7
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
 * const { x: dx, y: dy } = elasticDisplacement(new Random(1), 34, 4);
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
 * const field = elasticField(shiftField(0, 0), new Random(1), 34, 4);
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
   * const bank = new ElasticBank(1024, random, 34, 4);
   * bank.addTo(shiftField(0, 0), random);
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

/**
 * A random source field of kind `augmentation` (not "none"), drawn from `random`; elastic
 * displacements come from `bank` when given, else are drawn fresh.
 *
 * @example
 * ```ts
 * const image2 = warp(image, randomField("affine", new Random(1)));
 * ```
 */
export function randomField(
  augmentation: Exclude<Augmentation, "none">,
  random: Random,
  options: AugmentOptions = {},
  bank?: ElasticBank,
): SourceField {
  const { shift = 2, degrees = 10, scale = 0.1, alpha = 34, sigma = 4 } = options;
  const symmetric = (limit: number) => (2 * random.uniform() - 1) * limit;
  if (augmentation === "shift") {
    const dx = random.integer(2 * shift + 1) - shift, dy = random.integer(2 * shift + 1) - shift;
    return shiftField(dx, dy);
  }
  const field = affineField({
    rotation: symmetric(degrees * Math.PI / 180),
    scale: 1 + symmetric(scale),
    dx: symmetric(shift),
    dy: symmetric(shift),
  });
  if (augmentation !== "elastic") return field;
  return bank ? bank.addTo(field, random) : elasticField(field, random, alpha, sigma);
}

/** Elastic displacements drawn per call of {@linkcode augmentDataset} (see {@linkcode ElasticBank}). */
export const ELASTIC_BANK_SIZE = 1024;

/**
 * A copy of `dataset` with every image warped by its own random field (labels shared):
 * the same `random` state gives the same images. Elastic displacements come from a fresh
 * {@linkcode ElasticBank} of {@linkcode ELASTIC_BANK_SIZE} (or fewer for fewer images).
 *
 * @example
 * ```ts
 * const epochImages = augmentDataset(trainSet, "elastic", random);
 * ```
 */
export function augmentDataset(
  dataset: Dataset,
  augmentation: Augmentation,
  random: Random,
  options: AugmentOptions = {},
): Dataset {
  if (augmentation === "none") return dataset;
  const { alpha = 34, sigma = 4 } = options;
  const bank = augmentation === "elastic"
    ? new ElasticBank(Math.min(ELASTIC_BANK_SIZE, dataset.count), random, alpha, sigma)
    : undefined;
  const images = new Uint8Array(dataset.count * PIXELS);
  for (let i = 0; i < dataset.count; i++) {
    const field = randomField(augmentation, random, options, bank);
    warp(
      dataset.images.subarray(i * PIXELS, (i + 1) * PIXELS),
      field,
      IMAGE_SIDE,
      images.subarray(i * PIXELS, (i + 1) * PIXELS),
    );
  }
  return { ...dataset, images, source: `${dataset.source}, ${augmentation} augmentation` };
}
