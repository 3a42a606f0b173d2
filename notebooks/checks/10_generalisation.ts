/**
 * Checks for the exercises of notebook 10 (generalisation and regularisation). Each returns
 * "not answered yet" for the placeholder, "correct." for a right answer, and throws an Error
 * that says what was expected and where to look for a wrong one.
 *
 * @module
 */

import { IMAGE_SIDE, PIXELS } from "../../lib/data/dataset.ts";
import { Matrix } from "../../lib/matrix.ts";
import { initNetwork } from "../../lib/network.ts";
import { gradientDescent } from "../../lib/optimizers.ts";
import { Random } from "../../lib/random.ts";
import { shiftImages } from "../../lib/shift.ts";
import { withWeightDecay } from "../../lib/weight_decay.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/** The learner's inverted dropout: A1 with each unit dropped (rate) or scaled by 1/(1 − rate). */
export type InvertedDropout = (A1: Matrix, rate: number, random: Random) => Matrix | undefined;

/**
 * Exercise `inverted-dropout`, checked by its statistics rather than against one mask (any
 * order of drawing is right): on 64,000 positive activations, every output is 0 or A/(1 − p),
 * about a fraction p of them 0, and so the mean is kept; rate 0 changes nothing.
 *
 * @example
 * ```ts
 * checkInvertedDropout((A1, rate, random) => { // "correct."
 *   const out = A1.clone();
 *   for (let i = 0; i < out.data.length; i++) out.data[i] *= random.uniform() < rate ? 0 : 1 / (1 - rate);
 *   return out;
 * });
 * ```
 */
export function checkInvertedDropout(invertedDropout: InvertedDropout): string {
  const positive = () => {
    const A = randomMatrix(128, 500, 7, { precision: "f32" });
    for (let i = 0; i < A.data.length; i++) A.data[i] = 0.5 + Math.abs(A.data[i]);
    return A;
  };
  const A = positive(), original = positive(); // a copy, in case the answer works in place
  const rate = 0.2, kept = 1 / (1 - rate);
  const out = invertedDropout(A, rate, new Random(3));
  if (out === undefined) return NOT_ANSWERED;
  if (out.rows !== A.rows || out.cols !== A.cols) {
    throw new Error(`the result is ${out.rows}×${out.cols}; it must have A1's shape, 128×500.`);
  }
  let dropped = 0;
  for (let i = 0; i < out.data.length; i++) {
    const a = original.data[i], d = out.data[i];
    if (d === 0) {
      dropped++;
    } else if (!isClose(d, a * kept, 1e-5)) {
      const hint = isClose(d, a, 1e-5)
        ? "the kept units are unchanged: scale them by 1/(1 − p), so that the expected " +
          "activation stays A1 and evaluation needs no scaling."
        : isClose(d, a / rate, 1e-5)
        ? "you scale by 1/p; the kept fraction is 1 − p, so scale by 1/(1 − p)."
        : "each unit is either dropped (0) or kept and scaled by 1/(1 − p).";
      throw new Error(
        `with p = ${rate}, an activation ${a.toFixed(4)} became ${d.toFixed(4)}: expected 0 ` +
          `or ${(a * kept).toFixed(4)}; ${hint}`,
      );
    }
  }
  const fraction = dropped / out.data.length;
  if (Math.abs(fraction - rate) > 0.02) {
    const hint = Math.abs(fraction - (1 - rate)) <= 0.02
      ? " You drop with probability 1 − p: drop when random.uniform() < p."
      : "";
    throw new Error(
      `with p = ${rate} you dropped ${(100 * fraction).toFixed(1)} % of the units; about ` +
        `${100 * rate} % should be 0.${hint}`,
    );
  }
  const unchanged = invertedDropout(positive(), 0, new Random(3));
  if (!unchanged || unchanged.data.some((d, i) => d !== original.data[i])) {
    throw new Error("with p = 0 nothing is dropped and 1/(1 − 0) = 1: the result must be A1 itself.");
  }
  return CORRECT;
}

/** The learner's step: new weights from W, the loss gradient dW, η and λ (all the same length). */
export type L2Step = (
  W: Float64Array,
  dW: Float64Array,
  learningRate: number,
  lambda: number,
) => Float64Array | undefined;

/**
 * Exercise `l2-step`: one gradient-descent step on loss + (λ/2)·‖W‖², compared with what
 * lib/weight_decay.ts's decoupled decay does to W1 around plain gradient descent (for SGD the
 * two are the same update).
 *
 * @example
 * ```ts
 * checkL2Step((W, dW, eta, lambda) => W.map((w, i) => w - eta * (dW[i] + lambda * w))); // "correct."
 * ```
 */
export function checkL2Step(l2Step: L2Step): string {
  const network = initNetwork({ inputs: 6, hidden: 4, outputs: 3, seed: 2, precision: "f64" });
  const W = Float64Array.from(network.W1.data);
  const gradients = {
    dW1: randomMatrix(4, 6, 11),
    db1: randomMatrix(4, 1, 12),
    dW2: randomMatrix(3, 4, 13),
    db2: randomMatrix(3, 1, 14),
  };
  const dW = Float64Array.from(gradients.dW1.data);
  const eta = 0.1, lambda = 0.5;
  const yours = l2Step(W, dW, eta, lambda);
  if (yours === undefined) return NOT_ANSWERED;
  withWeightDecay(gradientDescent({ learningRate: eta }), lambda).step(network, gradients);
  const expected = network.W1.data;
  for (let i = 0; i < expected.length; i++) {
    if (isClose(yours[i], expected[i], 1e-9, 1e-12)) continue;
    const w = W[i], g = dW[i];
    const hint = isClose(yours[i], w - eta * g, 1e-9, 1e-12)
      ? "that is the plain step: the penalty (λ/2)·‖W‖² adds λ·W to the gradient."
      : isClose(yours[i], w - eta * g - lambda * w, 1e-9, 1e-12)
      ? "the penalty's gradient λ·W is part of the gradient, so it is multiplied by η too."
      : isClose(yours[i], w - eta * (g - lambda * w), 1e-9, 1e-12)
      ? "the sign of λ·W: the penalty grows with |W|, so its gradient points away from 0 and " +
        "the step towards 0."
      : isClose(yours[i], w - eta * (g + lambda * w / 2), 1e-9, 1e-12)
      ? "the derivative of (λ/2)·w² is λ·w (the ½ cancels the square's 2)."
      : "W − η·(dW + λ·W).";
    throw new Error(
      `weight ${i}: W = ${w.toFixed(6)}, dW = ${g.toFixed(6)}, η = ${eta}, λ = ${lambda}: you ` +
        `return ${yours[i]}, expected ${expected[i].toFixed(6)}; ${hint}`,
    );
  }
  return CORRECT;
}

/** The learner's shift: a 28×28 image moved dx pixels right and dy down (a new array). */
export type ShiftImage = (image: Uint8Array, dx: number, dy: number) => Uint8Array | undefined;

/**
 * Exercise `shift-image`: a single pixel moved by hand-worked shifts (including off the right
 * edge, where a flat index + dx would wrap into the next row), then `digit` shifted every way by
 * up to 2 pixels, against lib/shift.ts's `shiftImages`.
 *
 * @example
 * ```ts
 * checkShiftImage((image, dx, dy) => shiftImages({ images: image, count: 1, source: "" }, dx, dy).images, digit);
 * ```
 */
export function checkShiftImage(shiftImage: ShiftImage, digit: Uint8Array): string {
  const dot = (row: number, col: number) => {
    const image = new Uint8Array(PIXELS);
    image[row * IMAGE_SIDE + col] = 255;
    return image;
  };
  const where = (image: Uint8Array) => {
    const lit = [...image.keys()].filter((p) => image[p] > 0);
    return lit.length === 0
      ? "nowhere (the image is blank)"
      : lit.map((p) => `(row ${Math.floor(p / IMAGE_SIDE)}, column ${p % IMAGE_SIDE})`).join(", ");
  };
  if (shiftImage(dot(10, 5), 1, 0) === undefined) return NOT_ANSWERED;
  const original = digit.slice();
  const cases: [number, number, number, number, string][] = [
    [10, 5, 1, 0, "dx = 1 moves it one column right"],
    [10, 5, 0, 1, "dy = 1 moves it one row down"],
    [10, 5, -2, 1, "dx = −2 moves it two columns left"],
    [10, 27, 1, 0, "a pixel in the last column moves off the image: it must not wrap around"],
    [0, 3, 0, -1, "a pixel in the top row moves off the image"],
  ];
  for (const [row, col, dx, dy, why] of cases) {
    const yours = shiftImage(dot(row, col), dx, dy);
    const expected = shiftImages({ images: dot(row, col), count: 1, source: "dot" }, dx, dy).images;
    if (!yours || yours.length !== PIXELS || yours.some((v, p) => v !== expected[p])) {
      throw new Error(
        `a pixel at (row ${row}, column ${col}) shifted by dx = ${dx}, dy = ${dy}: yours is at ` +
          `${yours ? where(yours) : "undefined"}, expected ${where(expected)} (${why}).`,
      );
    }
  }
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const yours = shiftImage(digit, dx, dy);
      const expected = shiftImages({ images: original, count: 1, source: "digit" }, dx, dy).images;
      if (!yours || yours.some((v, p) => v !== expected[p])) {
        throw new Error(`the digit shifted by dx = ${dx}, dy = ${dy} differs from shiftImages's.`);
      }
    }
  }
  if (digit.some((v, p) => v !== original[p])) {
    throw new Error("shiftImage changed the image it was given: write the result to a new array.");
  }
  return CORRECT;
}
