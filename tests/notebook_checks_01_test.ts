/**
 * Notebook 1's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look. On synthetic digits, so no
 * data files are needed.
 */

import assert from "node:assert/strict";
import { type Dataset, IMAGE_SIDE, PIXELS } from "../lib/data/dataset.ts";
import { checkLeastCommon, checkPixelAt } from "../notebooks/checks/01_data.ts";
import { syntheticDigits } from "./synthetic.ts";

// Labels cycle 0..9, so with 205 images the digits 5..9 have 20 images and 0..4 have 21.
const digits = syntheticDigits(205, 1);

Deno.test("checkLeastCommon accepts a least common digit and rejects a more common one", () => {
  assert.equal(checkLeastCommon(undefined, digits), "not answered yet");
  assert.equal(checkLeastCommon(7, digits), "correct.");
  assert.throws(() => checkLeastCommon(2, digits), {
    message: "digit 2 has 21 images, but another digit has only 20. Look for the shortest bar.",
  });
});

Deno.test("checkPixelAt accepts row-major indexing and rejects rows and columns swapped", () => {
  const right = (d: Dataset, i: number, r: number, c: number) =>
    d.images[i * PIXELS + r * IMAGE_SIDE + c];
  assert.equal(checkPixelAt(() => Number.NaN, digits), "not answered yet");
  assert.equal(checkPixelAt(right, digits), "correct.");
  const swapped = (d: Dataset, i: number, r: number, c: number) =>
    d.images[i * PIXELS + c * IMAGE_SIDE + r];
  assert.throws(() => checkPixelAt(swapped, digits), /row r adds r × 28, column c adds c/);
  const firstImageOnly = (d: Dataset, _i: number, r: number, c: number) =>
    d.images[r * IMAGE_SIDE + c];
  assert.throws(() => checkPixelAt(firstImageOnly, digits), /Image i starts at byte i × 784/);
});
