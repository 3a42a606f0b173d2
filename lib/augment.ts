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
 * Every kind is a warp (lib/warp.ts, lib/elastic.ts). Images stay bytes, so a warped copy costs
 * what the original does.
 *
 * @module
 */

import { type Dataset, IMAGE_SIDE, PIXELS } from "./data/dataset.ts";
import { ElasticBank, elasticField } from "./elastic.ts";
import type { Random } from "./random.ts";
import { affineField, shiftField, type SourceField, warp } from "./warp.ts";

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
 * A random source field of kind `augmentation` (not "none"), drawn from `random`; elastic
 * displacements come from `bank` when given, else are drawn fresh. Written into `out` when
 * given (a field per image would be 6 KB of garbage each).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "./random.ts";
 * import { warp } from "./warp.ts";
 *
 * const image = new Uint8Array(28 * 28);
 * image[14 * 28 + 14] = 255; // one lit pixel near the centre
 * const shifted = warp(image, randomField("shift", new Random(1)));
 * assert.deepEqual(shifted.filter((v) => v > 0), Uint8Array.of(255)); // moved by whole pixels
 * ```
 */
export function randomField(
  augmentation: Exclude<Augmentation, "none">,
  random: Random,
  options: AugmentOptions = {},
  bank?: ElasticBank,
  out?: SourceField,
): SourceField {
  const { shift = 2, degrees = 10, scale = 0.1, alpha = 34, sigma = 4 } = options;
  const symmetric = (limit: number) => (2 * random.uniform() - 1) * limit;
  if (augmentation === "shift") {
    const dx = random.integer(2 * shift + 1) - shift, dy = random.integer(2 * shift + 1) - shift;
    return shiftField(dx, dy, IMAGE_SIDE, out);
  }
  const field = affineField(
    {
      rotation: symmetric(degrees * Math.PI / 180),
      scale: 1 + symmetric(scale),
      dx: symmetric(shift),
      dy: symmetric(shift),
    },
    IMAGE_SIDE,
    out,
  );
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
 * import assert from "node:assert/strict";
 * import { Random } from "./random.ts";
 *
 * const images = Uint8Array.from({ length: 2 * 784 }, (_, p) => p % 28 < 14 ? 200 : 0);
 * const trainSet = { images, labels: Uint8Array.of(3, 7), count: 2, source: "left halves" };
 * const epochImages = augmentDataset(trainSet, "elastic", new Random(1));
 * assert.equal(epochImages.labels, trainSet.labels); // shared
 * assert.notDeepEqual(epochImages.images, trainSet.images); // warped copies
 * assert.deepEqual(augmentDataset(trainSet, "elastic", new Random(1)), epochImages); // same seed
 * assert.equal(augmentDataset(trainSet, "none", new Random(1)), trainSet);
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
  const out = { x: new Float32Array(PIXELS), y: new Float32Array(PIXELS) };
  for (let i = 0; i < dataset.count; i++) {
    const field = randomField(augmentation, random, options, bank, out);
    warp(
      dataset.images.subarray(i * PIXELS, (i + 1) * PIXELS),
      field,
      IMAGE_SIDE,
      images.subarray(i * PIXELS, (i + 1) * PIXELS),
    );
  }
  return { ...dataset, images, source: `${dataset.source}, ${augmentation} augmentation` };
}
