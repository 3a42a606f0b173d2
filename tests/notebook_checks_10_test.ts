import assert from "node:assert/strict";
import { PIXELS } from "../lib/data/dataset.ts";
import type { Matrix } from "../lib/matrix.ts";
import type { Random } from "../lib/random.ts";
import { shiftImages } from "../lib/shift.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkInvertedDropout,
  checkL2Step,
  checkShiftImage,
} from "../notebooks/checks/10_generalisation.ts";

/** A dropout written with the given draw rule and scale of the kept units. */
const dropoutWith =
  (drop: (u: number, rate: number) => boolean, kept: (rate: number) => number) =>
  (A1: Matrix, rate: number, random: Random) => {
    const out = A1.clone();
    for (let i = 0; i < out.data.length; i++) {
      out.data[i] *= drop(random.uniform(), rate) ? 0 : kept(rate);
    }
    return out;
  };

Deno.test("checkInvertedDropout: the right mask, in place or not; unscaled, 1/p, 1 − p and a fixed mask fail", () => {
  const right = dropoutWith((u, p) => u < p, (p) => 1 / (1 - p));
  assert.equal(checkInvertedDropout(right), "correct.");
  // In place, and drawing "keep" first (u ≥ p): the statistics are the same.
  const inPlace = (A1: Matrix, rate: number, random: Random) => {
    for (let i = 0; i < A1.data.length; i++) {
      A1.data[i] *= random.uniform() >= rate ? 1 / (1 - rate) : 0;
    }
    return A1;
  };
  assert.equal(checkInvertedDropout(inPlace), "correct.");
  assert.equal(checkInvertedDropout(() => undefined), NOT_ANSWERED);
  assert.throws(
    () => checkInvertedDropout(dropoutWith((u, p) => u < p, () => 1)),
    /the kept units are unchanged: scale them by 1\/\(1 − p\)/,
  );
  assert.throws(
    () => checkInvertedDropout(dropoutWith((u, p) => u < p, (p) => 1 / p)),
    /you scale by 1\/p/,
  );
  assert.throws(
    () => checkInvertedDropout(dropoutWith((u, p) => u < 1 - p, (p) => 1 / (1 - p))),
    /you dropped (79|80)\.\d % of the units; about 20 % should be 0\. You drop with probability 1 − p/,
  );
  // Every other unit, whatever the rate: half dropped at p = 0.2.
  const everyOther = (A1: Matrix, rate: number) => {
    const out = A1.clone();
    for (let i = 0; i < out.data.length; i++) out.data[i] *= i % 2 ? 0 : 1 / (1 - rate);
    return out;
  };
  assert.throws(() => checkInvertedDropout(everyOther), /you dropped 50\.0 % of the units/);
});

Deno.test("checkL2Step: W − η(dW + λW); the plain step, λW without η, a flipped sign and λ/2 fail", () => {
  type Step = (w: number, g: number, eta: number, lambda: number) => number;
  const of = (step: Step) => (W: Float64Array, dW: Float64Array, eta: number, lambda: number) =>
    W.map((w, i) => step(w, dW[i], eta, lambda));
  assert.equal(checkL2Step(of((w, g, eta, l) => w - eta * (g + l * w))), "correct.");
  // The decayed form (1 − ηλ)·W − η·dW is the same update.
  assert.equal(checkL2Step(of((w, g, eta, l) => (1 - eta * l) * w - eta * g)), "correct.");
  assert.equal(checkL2Step(() => undefined), NOT_ANSWERED);
  assert.throws(() => checkL2Step(of((w, g, eta) => w - eta * g)), /that is the plain step/);
  assert.throws(
    () => checkL2Step(of((w, g, eta, l) => w - eta * g - l * w)),
    /multiplied by η too/,
  );
  assert.throws(() => checkL2Step(of((w, g, eta, l) => w - eta * (g - l * w))), /the sign of λ·W/);
  assert.throws(
    () => checkL2Step(of((w, g, eta, l) => w - eta * (g + l * w / 2))),
    /the ½ cancels the square's 2/,
  );
});

Deno.test("checkShiftImage: shiftImages's result; wrap-around, the opposite direction, dx and dy swapped and in-place fail", () => {
  const digit = new Uint8Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) if ((p * 7919) % 13 < 4) digit[p] = (p * 31) % 256;
  const right = (image: Uint8Array, dx: number, dy: number) =>
    shiftImages({ images: image, count: 1, source: "x" }, dx, dy).images;
  assert.equal(checkShiftImage(right, digit), "correct.");
  assert.equal(checkShiftImage(() => undefined, digit), NOT_ANSWERED);
  // Moving the flat array by dx + 28·dy: rows wrap into each other.
  const flat = (image: Uint8Array, dx: number, dy: number) => {
    const out = new Uint8Array(PIXELS), offset = dx + 28 * dy;
    for (let p = 0; p < PIXELS; p++) {
      if (p + offset >= 0 && p + offset < PIXELS) out[p + offset] = image[p];
    }
    return out;
  };
  assert.throws(
    () => checkShiftImage(flat, digit),
    /\(row 10, column 27\) shifted by dx = 1, dy = 0: yours is at \(row 11, column 0\), expected nowhere/,
  );
  assert.throws(
    () => checkShiftImage((image, dx, dy) => right(image, -dx, -dy), digit),
    /yours is at \(row 10, column 4\), expected \(row 10, column 6\) \(dx = 1 moves it one column right\)/,
  );
  assert.throws(
    () => checkShiftImage((image, dx, dy) => right(image, dy, dx), digit),
    /yours is at \(row 11, column 5\), expected \(row 10, column 6\)/,
  );
  const inPlace = (image: Uint8Array, dx: number, dy: number) => {
    image.set(right(image, dx, dy));
    return image;
  };
  assert.throws(
    () => checkShiftImage(inPlace, digit),
    /differs from shiftImages's|changed the image/,
  );
});
