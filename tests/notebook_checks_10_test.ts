import assert from "node:assert/strict";
import { PIXELS } from "../lib/data/dataset.ts";
import type { Matrix } from "../lib/matrix.ts";
import type { Random } from "../lib/random.ts";
import { shiftImages } from "../lib/shift.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  type Arrays,
  checkDecayedMomentum,
  checkInvertedDropout,
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

/** A decayed momentum step with the given slips (none: the right step). */
const momentumWith = (slip: {
  decayBiases?: boolean;
  coupled?: boolean;
  withoutEta?: boolean;
  shrinkAfter?: boolean;
  forget?: boolean;
} = {}) =>
(
  params: Arrays,
  gradients: Arrays,
  velocity: Arrays,
  eta: number,
  beta: number,
  lambda: number,
) => {
  for (const name of ["W1", "b1", "W2", "b2"]) {
    const theta = params[name], v = velocity[name], dTheta = gradients[`d${name}`];
    const decayed = name.startsWith("W") || slip.decayBiases;
    const shrink = slip.coupled || !decayed ? 1 : slip.withoutEta ? 1 - lambda : 1 - eta * lambda;
    if (!slip.shrinkAfter) { for (let i = 0; i < theta.length; i++) theta[i] *= shrink; }
    for (let i = 0; i < theta.length; i++) {
      const g = dTheta[i] + (slip.coupled && decayed ? lambda * theta[i] : 0);
      v[i] = (slip.forget ? 0 : beta * v[i]) + g;
      theta[i] -= eta * v[i];
    }
    if (slip.shrinkAfter) { for (let i = 0; i < theta.length; i++) theta[i] *= shrink; }
  }
  return params;
};

Deno.test("checkDecayedMomentum: shrink W1, W2 then momentum; no decay, decayed biases, coupled L2, no η, shrink after and a lost velocity fail", () => {
  assert.equal(checkDecayedMomentum(momentumWith()), "correct.");
  // New arrays instead of in place, and the velocity as v ← β·v − η·dθ, θ ← θ + v: the same steps.
  const copying = (
    params: Arrays,
    gradients: Arrays,
    velocity: Arrays,
    eta: number,
    beta: number,
    lambda: number,
  ) => {
    const out: Arrays = {};
    for (const name of ["W1", "b1", "W2", "b2"]) {
      const shrink = name.startsWith("W") ? 1 - eta * lambda : 1, v = velocity[name];
      out[name] = params[name].map((w, i) => {
        v[i] = beta * v[i] - eta * gradients[`d${name}`][i];
        return shrink * w + v[i];
      });
    }
    return out;
  };
  assert.equal(checkDecayedMomentum(copying), "correct.");
  assert.equal(checkDecayedMomentum(() => undefined), NOT_ANSWERED);
  const noDecay = (
    params: Arrays,
    gradients: Arrays,
    velocity: Arrays,
    eta: number,
    beta: number,
  ) => momentumWith()(params, gradients, velocity, eta, beta, 0);
  assert.throws(
    () => checkDecayedMomentum(noDecay),
    /after step 1 .*W1\[0\].*that is plain momentum/,
  );
  assert.throws(
    () => checkDecayedMomentum(momentumWith({ decayBiases: true })),
    /after step 1 .*b1\[0\].*you decayed the biases too/,
  );
  // Coupled L2 is the same as decoupled on the first step (v = 0): it shows at step 2.
  assert.throws(
    () => checkDecayedMomentum(momentumWith({ coupled: true })),
    /after step 2 .*W1\[0\].*coupled L2/,
  );
  assert.throws(
    () => checkDecayedMomentum(momentumWith({ withoutEta: true })),
    /the shrink factor is 1 − η·λ/,
  );
  assert.throws(() => checkDecayedMomentum(momentumWith({ shrinkAfter: true })), /shrink first/);
  assert.throws(
    () => checkDecayedMomentum(momentumWith({ forget: true })),
    /after step 2 .*the velocity must carry over/,
  );
  const halfDecay = (
    params: Arrays,
    gradients: Arrays,
    velocity: Arrays,
    eta: number,
    beta: number,
    lambda: number,
  ) => momentumWith()(params, gradients, velocity, eta, beta, lambda / 2);
  assert.throws(() => checkDecayedMomentum(halfDecay), /for W1 and W2 θ ← \(1 − η·λ\)·θ, then/);
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
