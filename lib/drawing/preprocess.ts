/**
 * Turning a drawing into the 28×28 image the network expects, the way MNIST itself was made
 * (LeCun et al.): the writer's digit was cropped to its ink, scaled to fit a 20×20 box keeping its
 * aspect ratio, anti-aliased into grey levels, then placed in a 28×28 field so that its centre of
 * mass sits at the centre. A network trained on those images reads a drawing well only after the
 * same steps: a digit drawn small in a corner is, pixel for pixel, nothing like MNIST.
 *
 *   RGBA canvas ─inkFromRgba→ ink (W×H) ─inkBounds→ crop ─fitToBox→ ≤20×20 ─centreByMass→ 28×28
 *
 * Values are bytes like MNIST's: 0 = background, 255 = full ink. No Deno APIs: the page runs this.
 *
 * @module
 */

import { IMAGE_SIDE, PIXELS } from "../data/dataset.ts";

/** The side of the box a digit is scaled to fit, inside the 28×28 image. */
export const BOX_SIDE = 20;

/** A greyscale image, row-major: `data[y * width + x]`, 0 = background, 255 = full ink. */
export interface InkImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** A rectangle of pixels: columns left..left+width−1, rows top..top+height−1. */
export interface Bounds {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Ink from canvas pixels (RGBA bytes, 4 per pixel): dark strokes on white paper become bright
 * strokes on black, as in MNIST (the "invert"). A transparent pixel counts as paper.
 *
 * ink = alpha/255 · (255 − luma), luma = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const whiteThenBlack = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255]);
 * assert.deepEqual(Array.from(inkFromRgba(whiteThenBlack)), [0, 255]);
 * ```
 */
export function inkFromRgba(rgba: ArrayLike<number>): Uint8Array {
  const ink = new Uint8Array(rgba.length / 4);
  for (let p = 0; p < ink.length; p++) {
    const [r, g, b, a] = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]];
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    ink[p] = Math.round((a / 255) * (255 - luma));
  }
  return ink;
}

/**
 * The smallest rectangle holding every pixel with ink (value > 0), or undefined for a blank
 * image.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(inkBounds({ width: 3, height: 2, data: [0, 0, 9, 0, 9, 0] }), {
 *   left: 1,
 *   top: 0,
 *   width: 2,
 *   height: 2,
 * });
 * ```
 */
export function inkBounds(image: InkImage): Bounds | undefined {
  let left = image.width, right = -1, top = image.height, bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[y * image.width + x] > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right === -1) return undefined;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Scales the `bounds` part of `image` so that its longer side becomes `side` pixels, keeping the
 * aspect ratio. Each new pixel is the average of the source area it covers (area averaging):
 * that is the anti-aliasing, which turns a stroke's edges into the grey levels MNIST has, and it
 * works both when shrinking a big drawing and when enlarging a small one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const image = { width: 2, height: 1, data: [255, 0] };
 * const fitted = fitToBox(image, { left: 0, top: 0, width: 2, height: 1 });
 * assert.deepEqual([fitted.width, fitted.height], [20, 10]); // the longer side becomes 20
 * assert.deepEqual([fitted.data[0], fitted.data[19]], [255, 0]); // left half 255, right half 0
 * ```
 */
export function fitToBox(image: InkImage, bounds: Bounds, side = BOX_SIDE): InkImage {
  const scale = side / Math.max(bounds.width, bounds.height);
  const width = Math.max(1, Math.round(bounds.width * scale));
  const height = Math.max(1, Math.round(bounds.height * scale));
  const columns = areaWeights(bounds.width, width);
  const rows = areaWeights(bounds.height, height);
  // Separable: average along each row first (bounds.height × width), then down each column.
  const across = new Float64Array(bounds.height * width);
  for (let y = 0; y < bounds.height; y++) {
    const rowStart = (bounds.top + y) * image.width + bounds.left;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [source, weight] of columns[x]) sum += weight * image.data[rowStart + source];
      across[y * width + x] = sum;
    }
  }
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [source, weight] of rows[y]) sum += weight * across[source * width + x];
      data[y * width + x] = sum;
    }
  }
  return { width, height, data };
}

/**
 * For each of `outputs` cells over `inputs` source cells: the [source index, weight] pairs of
 * the sources it overlaps, weight = overlap / cell length, so the weights of a cell sum to 1.
 */
function areaWeights(inputs: number, outputs: number): [number, number][][] {
  const length = inputs / outputs;
  return Array.from({ length: outputs }, (_, o) => {
    const start = o * length, end = start + length;
    const pairs: [number, number][] = [];
    for (let i = Math.floor(start); i < Math.min(inputs, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-12) pairs.push([i, overlap / length]);
    }
    return pairs;
  });
}

/**
 * Places `image` in a blank `side`×`side` image (default 28×28), shifted by whole pixels so that
 * its centre of mass (pixel indices weighted by ink) lands nearest index side/2 = 14 in both
 * directions. Measuring in indices, not pixel centres, is MNIST's own convention: with it, 9,996
 * of the 10,000 MNIST test images come back byte for byte from a 10× enlargement. Ink shifted
 * outside is dropped. Values are rounded to bytes before anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const placed = centreByMass({ width: 2, height: 2, data: [255, 255, 255, 255] });
 * // The mass centre (0.5, 0.5) moves to (14.5, 14.5): the square covers rows and columns 14, 15.
 * assert.deepEqual([placed[14 * 28 + 14], placed[15 * 28 + 15], placed[13 * 28 + 13]], [255, 255, 0]);
 * ```
 */
export function centreByMass(image: InkImage, side = IMAGE_SIDE): Uint8Array {
  // Bytes first, as MNIST stored them: integer sums make a symmetric digit's centre exactly
  // x.5, so which way it rounds never hangs on the last bits of a float average.
  const bytes = Uint8Array.from(image.data, (value) => Math.round(value));
  let mass = 0, xMoment = 0, yMoment = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const value = bytes[y * image.width + x];
      mass += value;
      xMoment += x * value;
      yMoment += y * value;
    }
  }
  const placed = new Uint8Array(side * side);
  if (mass === 0) return placed;
  const dx = Math.round(side / 2 - xMoment / mass);
  const dy = Math.round(side / 2 - yMoment / mass);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [X, Y] = [x + dx, y + dy];
      if (X >= 0 && X < side && Y >= 0 && Y < side) {
        placed[Y * side + X] = bytes[y * image.width + x];
      }
    }
  }
  return placed;
}

/**
 * The whole pipeline: a drawing's ink (any size) → the 784 bytes of a 28×28 MNIST-style image,
 * all zeros for a blank drawing. `denseInputs` from `data/dataset.ts` turns it into the
 * network's 784×1 input X.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // A 280×280 drawing: a thick vertical stroke, as the draw-a-digit page hands it over.
 * const data = new Uint8Array(280 * 280);
 * for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) data[y * 280 + x] = 255;
 * const pixels = preprocess({ width: 280, height: 280, data });
 * assert.equal(pixels.length, 784); // MNIST's 28×28, the stroke fitted into the middle 20×20
 * assert.ok(pixels[14 * 28 + 14] > 0 && pixels[0] === 0);
 * ```
 */
export function preprocess(image: InkImage): Uint8Array {
  const bounds = inkBounds(image);
  if (bounds === undefined) return new Uint8Array(PIXELS);
  return centreByMass(fitToBox(image, bounds));
}
