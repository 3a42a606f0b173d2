/**
 * Warping an image: output pixel p takes the value of the source image at position s(p),
 * sampled bilinearly (the four nearest source pixels weighted by closeness; outside the image
 * is background, 0). Shifts and affine transforms are warps with a simple s; lib/elastic.ts
 * adds smooth random displacements to s.
 *
 * @module
 */

import { IMAGE_SIDE } from "./data/dataset.ts";

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
 * import assert from "node:assert/strict";
 *
 * const image = new Uint8Array(28 * 28);
 * image[5 * 28 + 10] = 255; // row 5, column 10
 * const moved = warp(image, shiftField(1, 0)); // one pixel to the right
 * assert.deepEqual([moved[5 * 28 + 10], moved[5 * 28 + 11]], [0, 255]);
 * const half = warp(image, shiftField(0.5, 0)); // half a pixel: bilinear sampling splits it
 * assert.deepEqual([half[5 * 28 + 10], half[5 * 28 + 11]], [128, 128]); // 255/2, rounded
 * ```
 */
export function warp(
  image: Uint8Array,
  field: SourceField,
  side = IMAGE_SIDE,
  out = new Uint8Array(side * side),
): Uint8Array {
  const last = side - 1;
  for (let p = 0; p < side * side; p++) {
    const x = field.x[p], y = field.y[p];
    const col = Math.floor(x), row = Math.floor(y);
    // The four source pixels around (x, y): (row, col) top left to (row + 1, col + 1).
    const i = row * side + col;
    const top = row >= 0 && row <= last, bottom = row >= -1 && row < last;
    const left = col >= 0 && col <= last, right = col >= -1 && col < last;
    const topLeft = top && left ? image[i] : 0, topRight = top && right ? image[i + 1] : 0;
    const bottomLeft = bottom && left ? image[i + side] : 0;
    const bottomRight = bottom && right ? image[i + side + 1] : 0;
    // Most of a digit is background: no ink around, nothing to weigh.
    if ((topLeft | topRight | bottomLeft | bottomRight) === 0) {
      out[p] = 0;
      continue;
    }
    const fx = x - col, fy = y - row;
    const upper = topLeft * (1 - fx) + topRight * fx;
    const lower = bottomLeft * (1 - fx) + bottomRight * fx;
    out[p] = Math.round(upper * (1 - fy) + lower * fy);
  }
  return out;
}

/**
 * The field that moves an image by (dx, dy) pixels: right and down for positive values (into
 * `out` when given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(shiftField(1, 0).x[0], -1); // output pixel (0, 0) comes from column −1 (background)
 * ```
 */
export function shiftField(
  dx: number,
  dy: number,
  side = IMAGE_SIDE,
  out?: SourceField,
): SourceField {
  return affineField({ rotation: 0, scale: 1, dx, dy }, side, out);
}

/** A rotation (radians, counter-clockwise on screen), a scale and a shift, about the centre. */
export interface Affine {
  rotation: number;
  scale: number;
  dx: number;
  dy: number;
}

/**
 * The field of an affine transform (written into `out` when given, to reuse its arrays): the output point p comes from s = c + R(−θ)·(p − c − t)/k,
 * the inverse of "scale by k and rotate by θ about the centre c, then shift by t". With y
 * pointing down, a counter-clockwise rotation on screen is x' = x·cos θ + y·sin θ,
 * y' = −x·sin θ + y·cos θ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const image = new Uint8Array(28 * 28);
 * image[27] = 255; // the top-right corner (row 0, column 27)
 * const field = affineField({ rotation: Math.PI / 2, scale: 1, dx: 0, dy: 0 });
 * assert.equal(warp(image, field)[0], 255); // a quarter turn counter-clockwise: now top-left
 * ```
 */
export function affineField(
  transform: Affine,
  side = IMAGE_SIDE,
  out: SourceField = { x: new Float32Array(side * side), y: new Float32Array(side * side) },
): SourceField {
  const { rotation, scale, dx, dy } = transform;
  const centre = (side - 1) / 2;
  const cos = Math.cos(rotation) / scale, sin = Math.sin(rotation) / scale;
  const { x, y } = out;
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const u = col - centre - dx, v = row - centre - dy;
      // R(−θ) undoes x' = x·cos θ + y·sin θ, y' = −x·sin θ + y·cos θ.
      x[row * side + col] = centre + cos * u - sin * v;
      y[row * side + col] = centre + sin * u + cos * v;
    }
  }
  return out;
}
