import assert from "node:assert/strict";
import { augmentDataset, randomField } from "../lib/augment.ts";
import { ElasticBank, elasticDisplacement, elasticField, gaussianKernel } from "../lib/elastic.ts";
import { affineField, shiftField, warp } from "../lib/warp.ts";
import { PIXELS } from "../lib/data/dataset.ts";
import { Random } from "../lib/random.ts";
import { assertClose } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

/** A 28×28 image with the given (row, col) pixels set to their values. */
function image(pixels: [number, number, number][]): Uint8Array {
  const result = new Uint8Array(PIXELS);
  for (const [row, col, value] of pixels) result[row * 28 + col] = value;
  return result;
}

/** The (row, col, value) of every non-zero pixel. */
function inked(picture: Uint8Array): [number, number, number][] {
  const result: [number, number, number][] = [];
  picture.forEach((value, p) => {
    if (value) result.push([Math.floor(p / 28), p % 28, value]);
  });
  return result;
}

Deno.test("a one-pixel shift moves a known pixel one place, right or down", () => {
  const picture = image([[10, 5, 200], [0, 27, 90]]);
  // Right by 1: (10, 5) → (10, 6); (0, 27) leaves the image.
  assert.deepEqual(inked(warp(picture, shiftField(1, 0))), [[10, 6, 200]]);
  // Up by 2: (10, 5) → (8, 5); (0, 27) leaves the image.
  assert.deepEqual(inked(warp(picture, shiftField(0, -2))), [[8, 5, 200]]);
});

Deno.test("the identity transform returns the image, byte for byte", () => {
  const { images } = syntheticDigits(3, 7);
  for (let i = 0; i < 3; i++) {
    const picture = images.subarray(i * PIXELS, (i + 1) * PIXELS);
    assert.deepEqual(warp(picture, affineField({ rotation: 0, scale: 1, dx: 0, dy: 0 })), picture);
  }
});

Deno.test("a rotation by 90° turns a known pattern counter-clockwise about the centre", () => {
  // An arrow pointing right: the middle of the right edge and a pixel left of it.
  const picture = image([[13, 27, 255], [13, 20, 100], [2, 3, 50]]);
  const turned = warp(picture, affineField({ rotation: Math.PI / 2, scale: 1, dx: 0, dy: 0 }));
  // Counter-clockwise on screen, about (13.5, 13.5): pixel (row r, col c) goes to
  // (27 − c, r), so the arrow points up.
  assert.deepEqual(inked(turned), [[0, 13, 255], [7, 13, 100], [24, 2, 50]]);
});

Deno.test("scaling by 2 about the centre doubles distances from it", () => {
  // A 2×2 block around the centre 13.5 becomes a 4×4 block with a bilinear fringe.
  const picture = image([[13, 13, 80], [13, 14, 80], [14, 13, 80], [14, 14, 80]]);
  const grown = warp(picture, affineField({ rotation: 0, scale: 2, dx: 0, dy: 0 }));
  const at = (row: number, col: number) => grown[row * 28 + col];
  // Output 13 comes from 13.5 + (13 − 13.5)/2 = 13.25: between two inked pixels, all ink.
  assert.equal(at(13, 13), 80);
  // Output 12 comes from 12.75: 0.75 of pixel 13 in each axis.
  assert.equal(at(12, 12), Math.round(80 * 0.75 * 0.75));
  assert.equal(at(12, 13), Math.round(80 * 0.75));
  // Output 11 comes from 12.25: 0.25 of pixel 13; output 10 from 11.75: no ink.
  assert.equal(at(11, 11), Math.round(80 * 0.25 * 0.25));
  assert.equal(at(10, 13), 0);
  assert.equal(at(16, 16), Math.round(80 * 0.25 * 0.25));
  assert.equal(at(17, 14), 0);
});

Deno.test("bilinear sampling halfway between two pixels averages them", () => {
  const picture = image([[5, 5, 100], [5, 6, 200]]);
  const field = shiftField(0, 0);
  field.x[5 * 28 + 5] = 5.5;
  assert.equal(warp(picture, field)[5 * 28 + 5], 150);
});

Deno.test("the Gaussian kernel is symmetric, sums to 1 and has the normal density's ratios", () => {
  const kernel = gaussianKernel(2);
  assert.equal(kernel.length, 13);
  assertClose(kernel.reduce((a, b) => a + b), 1, { absolute: 1e-6 });
  assertClose(kernel[6 + 2] / kernel[6], Math.exp(-4 / 8), { relative: 1e-6 });
  assert.equal(kernel[6 - 3], kernel[6 + 3]);
});

Deno.test("elastic distortion with zero strength is the identity", () => {
  const { images } = syntheticDigits(1, 3);
  const field = elasticField(shiftField(0, 0), new Random(5), 0, 4);
  assert.deepEqual(warp(images, field), images);
});

Deno.test("elastic displacements are smooth: neighbours move together, far pixels do not", () => {
  const { x } = elasticField(shiftField(0, 0), new Random(9), 34, 4);
  const displacement = (row: number, col: number) => x[row * 28 + col] - col;
  let neighbours = 0, far = 0, size = 0;
  for (let row = 4; row < 24; row++) {
    for (let col = 4; col < 20; col++) {
      neighbours += (displacement(row, col) - displacement(row, col + 1)) ** 2;
      far += (displacement(row, col) - displacement(row, col + 8)) ** 2;
      size += displacement(row, col) ** 2;
    }
  }
  assert.ok(size > 0, "the field moves pixels");
  // For a Gaussian-smoothed field the correlation at distance d is exp(−d²/4σ²): 0.98 at 1 px,
  // 0.02 at 8 px, so neighbours differ far less than pixels 8 apart.
  assert.ok(neighbours * 10 < far, `neighbours ${neighbours}, 8 px apart ${far}`);
});

Deno.test("augmentDataset: the same seed gives the same images, another seed others", () => {
  const dataset = syntheticDigits(20, 1);
  for (const kind of ["shift", "affine", "elastic"] as const) {
    const a = augmentDataset(dataset, kind, new Random(4));
    const b = augmentDataset(dataset, kind, new Random(4));
    const c = augmentDataset(dataset, kind, new Random(5));
    assert.deepEqual(a.images, b.images, kind);
    assert.notDeepEqual(a.images, c.images, kind);
    assert.notDeepEqual(a.images, dataset.images, kind);
    assert.equal(a.labels, dataset.labels);
    assert.equal(a.count, 20);
  }
  assert.equal(augmentDataset(dataset, "none", new Random(4)), dataset);
});

Deno.test("random shifts are whole pixels within ±2 and keep every ink value", () => {
  const picture = image([[14, 14, 255]]);
  const random = new Random(2);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const [[row, col, value]] = inked(warp(picture, randomField("shift", random)));
    assert.equal(value, 255);
    assert.ok(Math.abs(row - 14) <= 2 && Math.abs(col - 14) <= 2, `${row}, ${col}`);
    seen.add(`${row},${col}`);
  }
  assert.equal(seen.size, 25, "all 5×5 shifts occur");
});

Deno.test("random affine transforms stay within their limits", () => {
  // With rotation, scale and shift at most 10°, 10 % and 2 px, pixel (13, 13), √½ px from the
  // centre, has its source at most (√½ + 2·√2)/0.9 px from the centre.
  const random = new Random(3);
  for (let i = 0; i < 100; i++) {
    const { x, y } = randomField("affine", random);
    const p = 13 * 28 + 13;
    assert.ok(Math.hypot(x[p] - 13.5, y[p] - 13.5) <= (Math.SQRT1_2 + 2 * Math.SQRT2) / 0.9 + 1e-5);
  }
});

Deno.test("an elastic bank hands out its fields in all 8 swapped and negated variants", () => {
  const bank = new ElasticBank(1, new Random(1), 34, 4);
  const [reference] = [elasticDisplacement(new Random(1), 34, 4)];
  const [a, b] = [reference.x[100], reference.y[100]];
  const expected = new Set<string>();
  for (const [u, v] of [[a, b], [b, a]]) {
    for (const su of [1, -1]) for (const sv of [1, -1]) expected.add(`${su * u},${sv * v}`);
  }
  const random = new Random(2);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const zero = { x: new Float32Array(PIXELS), y: new Float32Array(PIXELS) };
    const { x, y } = bank.addTo(zero, random);
    seen.add(`${x[100]},${y[100]}`);
  }
  assert.deepEqual(seen, expected);
});
