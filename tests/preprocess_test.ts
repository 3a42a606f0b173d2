import assert from "node:assert/strict";
import { IMAGE_SIDE, PIXELS } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import {
  centreByMass,
  fitToBox,
  inkBounds,
  inkFromRgba,
  type InkImage,
  preprocess,
} from "../lib/drawing/preprocess.ts";
import { assertAllClose, granted } from "./assert.ts";

/** A width×height image, 0 except the filled rectangle (left, top, w, h), which is 255. */
function rectangle(
  width: number,
  height: number,
  [left, top, w, h]: [number, number, number, number],
): InkImage {
  const data = new Uint8Array(width * height);
  for (let y = top; y < top + h; y++) data.fill(255, y * width + left, y * width + left + w);
  return { width, height, data };
}

/** The 28×28 bytes that are 255 in rows top..bottom and columns left..right, 0 elsewhere. */
function expectedBlock(top: number, bottom: number, left: number, right: number): Uint8Array {
  const image = new Uint8Array(PIXELS);
  for (let y = top; y <= bottom; y++) {
    image.fill(255, y * IMAGE_SIDE + left, y * IMAGE_SIDE + right + 1);
  }
  return image;
}

Deno.test("inkFromRgba inverts paper and ink: white → 0, black → 255, by BT.601 luma and alpha", () => {
  const rgba = [
    [255, 255, 255, 255], // white paper
    [0, 0, 0, 255], // black ink
    [128, 128, 128, 255], // grey: 255 − 128
    [0, 0, 0, 0], // transparent: paper
    [255, 0, 0, 255], // red: 255 − 0.299·255 = 178.755
    [0, 0, 0, 51], // black at 20 % opacity: 0.2 · 255
  ].flat();
  assert.deepEqual(Array.from(inkFromRgba(rgba)), [0, 255, 127, 0, 179, 51]);
});

Deno.test("inkBounds finds the ink's bounding box, and nothing on a blank image", () => {
  assert.deepEqual(inkBounds(rectangle(40, 30, [7, 3, 10, 20])), {
    left: 7,
    top: 3,
    width: 10,
    height: 20,
  });
  const twoDots = { width: 5, height: 4, data: new Uint8Array(20) };
  twoDots.data[1 * 5 + 3] = 1;
  twoDots.data[3 * 5 + 1] = 200;
  assert.deepEqual(inkBounds(twoDots), { left: 1, top: 1, width: 3, height: 3 });
  assert.equal(inkBounds({ width: 3, height: 3, data: new Uint8Array(9) }), undefined);
});

Deno.test("fitToBox area-averages: a 30×30 crop shrinks by 2/3, the stroke edge turns grey", () => {
  // Columns 0..15 inked. Output column o covers source columns [1.5·o, 1.5·o + 1.5): columns
  // 0..9 cover [0, 15), all ink; column 10 covers [15, 16.5), one inked column of 1.5 → 255/1.5.
  const image = rectangle(30, 30, [0, 0, 16, 30]);
  const fitted = fitToBox(image, { left: 0, top: 0, width: 30, height: 30 });
  assert.deepEqual([fitted.width, fitted.height], [20, 20]);
  const row = [...Array(10).fill(255), 170, ...Array(9).fill(0)];
  assertAllClose(fitted.data, Array(20).fill(row).flat(), { absolute: 1e-9 });
});

Deno.test("fitToBox keeps the aspect ratio and enlarges small drawings: 2×1 → 20×10", () => {
  const fitted = fitToBox({ width: 2, height: 1, data: [255, 0] }, {
    left: 0,
    top: 0,
    width: 2,
    height: 1,
  });
  assert.deepEqual([fitted.width, fitted.height], [20, 10]);
  const row = [...Array(10).fill(255), ...Array(10).fill(0)];
  assertAllClose(fitted.data, Array(10).fill(row).flat(), { absolute: 1e-9 });
});

Deno.test("centreByMass moves the mass centre to (14, 14) by whole pixels, dropping what falls out", () => {
  // 255 at (x 0, y 0) and 85 at (3, 1): mass centre x = 3·85/340 = 0.75, y = 85/340 = 0.25, so
  // the shifts are round(14 − 0.75) = 13 across and round(14 − 0.25) = 14 down.
  const two = new Uint8Array(8);
  two[0] = 255;
  two[1 * 4 + 3] = 85;
  const placed = centreByMass({ width: 4, height: 2, data: two });
  const expected = new Uint8Array(PIXELS);
  expected[14 * IMAGE_SIDE + 13] = 255;
  expected[15 * IMAGE_SIDE + 16] = 85;
  assert.deepEqual(placed, expected);

  // 255 at x 0 and 1 at x 19 of a 20×1 row: centre x = 19/256 ≈ 0.07, shift 14, so x 19 lands
  // at 33, outside; y: centre 0, shift 14.
  const row = new Uint8Array(20);
  row[0] = 255;
  row[19] = 1;
  const clipped = new Uint8Array(PIXELS);
  clipped[14 * IMAGE_SIDE + 14] = 255;
  assert.deepEqual(centreByMass({ width: 20, height: 1, data: row }), clipped);
});

Deno.test("preprocess: a filled square anywhere becomes the 20×20 block at rows and columns 5..24", () => {
  // Any square scales to a uniform 20×20; its mass centre (9.5, 9.5) moves by round(4.5) = 5.
  for (const [left, top, side] of [[30, 50, 100], [0, 0, 7], [200, 180, 80]]) {
    const pixels = preprocess(rectangle(280, 280, [left, top, side, side]));
    assert.deepEqual(pixels, expectedBlock(5, 24, 5, 24), `square ${side} at ${left},${top}`);
  }
});

Deno.test("preprocess: a 100×55 rectangle becomes 20×11, mass centre (9.5, 5) moved to rows 9..19", () => {
  const pixels = preprocess(rectangle(280, 200, [90, 30, 100, 55]));
  assert.deepEqual(pixels, expectedBlock(9, 19, 5, 24));
});

Deno.test("preprocess: a blank drawing gives 784 zeros", () => {
  assert.deepEqual(
    preprocess({ width: 280, height: 280, data: new Uint8Array(280 * 280) }),
    new Uint8Array(PIXELS),
  );
});

Deno.test({
  name: "preprocess gives MNIST test digits back byte for byte from a 10× enlargement",
  ignore: !granted({ name: "read" }),
  async fn() {
    // MNIST was made by this very procedure, so its digits are fixed points: the enlargement
    // has the same ink box (×10), shrinks back to the same pixels and has the same mass centre.
    const test = await loadMnist("test");
    const scale = 10, side = IMAGE_SIDE * scale;
    for (let n = 0; n < 200; n++) {
      const digit = test.images.subarray(n * PIXELS, (n + 1) * PIXELS);
      const large = new Uint8Array(side * side);
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          large[y * side + x] = digit[Math.floor(y / scale) * IMAGE_SIDE + Math.floor(x / scale)];
        }
      }
      assert.deepEqual(
        preprocess({ width: side, height: side, data: large }),
        digit,
        `test image ${n}`,
      );
    }
  },
});
