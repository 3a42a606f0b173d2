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
import { momentum } from "../../lib/optimizers.ts";
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

/** Flat arrays by name: parameters W1, b1, W2, b2, or gradients dW1, db1, dW2, db2. */
export type Arrays = Record<string, Float64Array>;

/** The learner's step: momentum with decoupled weight decay, in place; returns the parameters. */
export type DecayedMomentumStep = (
  params: Arrays,
  gradients: Arrays,
  velocity: Arrays,
  learningRate: number,
  beta: number,
  lambda: number,
) => Arrays | undefined;

const NAMES = ["W1", "b1", "W2", "b2"] as const;

/** The gradients of step t (1, 2, 3), the same for every answer and for the hints. */
function gradientsAt(t: number) {
  const seed = 10 * t;
  return {
    dW1: randomMatrix(4, 6, seed),
    db1: randomMatrix(4, 1, seed + 1),
    dW2: randomMatrix(3, 4, seed + 2),
    db2: randomMatrix(3, 1, seed + 3),
  };
}

/** A small f64 network with non-zero biases (so that decaying them shows). */
function startNetwork() {
  const network = initNetwork({ inputs: 6, hidden: 4, outputs: 3, seed: 2, precision: "f64" });
  network.b1.data.set([0.5, -0.3, 0.2, 0.8]);
  network.b2.data.set([-0.4, 0.6, 0.1]);
  return network;
}

/** The ways a decayed momentum step typically goes wrong, each with what to say about it. */
const MISTAKES: { hint: string; shrink: (eta: number, lambda: number, name: string) => number; coupled?: boolean; after?: boolean; forget?: boolean }[] = [
  {
    hint: "that is plain momentum: first shrink W1 and W2 by (1 − η·λ).",
    shrink: () => 1,
  },
  {
    hint: "you decayed the biases too: weight decay shrinks W1 and W2 only (a bias only shifts " +
      "a unit's threshold, and lib/weight_decay.ts leaves it alone).",
    shrink: (eta, lambda) => 1 - eta * lambda,
  },
  {
    hint: "you added λ·θ to the gradient (coupled L2), so it goes through the velocity and " +
      "builds up to 1/(1 − β) times itself. Decoupled decay shrinks θ by (1 − η·λ) directly, " +
      "outside the velocity.",
    shrink: () => 1,
    coupled: true,
  },
  {
    hint: "the shrink factor is 1 − η·λ: the decay is scaled by the learning rate like any step.",
    shrink: (_, lambda, name) => name.startsWith("W") ? 1 - lambda : 1,
  },
  {
    hint: "shrink first, then take momentum's step (withWeightDecay shrinks W1 and W2, then " +
      "calls the optimizer's step).",
    shrink: (eta, lambda, name) => name.startsWith("W") ? 1 - eta * lambda : 1,
    after: true,
  },
  {
    hint: "the velocity must carry over from step to step: update velocity[name] in place " +
      "(v ← β·v + dθ), and step with it.",
    shrink: (eta, lambda, name) => name.startsWith("W") ? 1 - eta * lambda : 1,
    forget: true,
  },
];

/** The parameters after `steps` steps of one mistaken update, from startNetwork's values. */
function mistaken(mistake: (typeof MISTAKES)[number], steps: number, eta: number, beta: number, lambda: number) {
  const network = startNetwork();
  const params: Arrays = Object.fromEntries(NAMES.map((name) => [name, Float64Array.from(network[name].data)]));
  const velocity: Arrays = Object.fromEntries(NAMES.map((name) => [name, new Float64Array(params[name].length)]));
  for (let t = 1; t <= steps; t++) {
    const gradients = gradientsAt(t);
    for (const name of NAMES) {
      const theta = params[name], v = velocity[name], dTheta = gradients[`d${name}`].data;
      const shrink = mistake.shrink(eta, lambda, name);
      if (!mistake.after) for (let i = 0; i < theta.length; i++) theta[i] *= shrink;
      for (let i = 0; i < theta.length; i++) {
        const g = dTheta[i] + (mistake.coupled && name.startsWith("W") ? lambda * theta[i] : 0);
        v[i] = (mistake.forget ? 0 : beta * v[i]) + g;
        theta[i] -= eta * v[i];
      }
      if (mistake.after) for (let i = 0; i < theta.length; i++) theta[i] *= shrink;
    }
  }
  return params;
}

/**
 * Exercise `decayed-momentum`: three steps of momentum with decoupled weight decay from zero
 * velocity, compared with `withWeightDecay(momentum(...), λ)` from lib/weight_decay.ts and
 * lib/optimizers.ts on a small network. A wrong answer is compared with the usual mistakes
 * (no decay, decayed biases, coupled L2, a shrink without η, the shrink after the step, a
 * velocity that does not carry over) to say which it is.
 *
 * @example
 * ```ts
 * checkDecayedMomentum((params, gradients, velocity, eta, beta, lambda) => { // "correct."
 *   for (const name of ["W1", "b1", "W2", "b2"]) {
 *     const theta = params[name], v = velocity[name], dTheta = gradients[`d${name}`];
 *     const shrink = name.startsWith("W") ? 1 - eta * lambda : 1;
 *     for (let i = 0; i < theta.length; i++) {
 *       v[i] = beta * v[i] + dTheta[i];
 *       theta[i] = shrink * theta[i] - eta * v[i];
 *     }
 *   }
 *   return params;
 * });
 * ```
 */
export function checkDecayedMomentum(step: DecayedMomentumStep): string {
  const eta = 0.1, beta = 0.9, lambda = 0.5;
  const network = startNetwork();
  const reference = withWeightDecay(momentum({ learningRate: eta, momentum: beta }), lambda);
  let params: Arrays = Object.fromEntries(NAMES.map((name) => [name, Float64Array.from(network[name].data)]));
  const velocity: Arrays = Object.fromEntries(NAMES.map((name) => [name, new Float64Array(params[name].length)]));
  for (let t = 1; t <= 3; t++) {
    const gradients = gradientsAt(t);
    const flat = Object.fromEntries(Object.entries(gradients).map(([name, M]) => [name, Float64Array.from(M.data)]));
    const yours = step(params, flat, velocity, eta, beta, lambda);
    if (yours === undefined) return NOT_ANSWERED;
    reference.step(network, gradients);
    for (const name of NAMES) {
      const expected = network[name].data, got = yours[name];
      if (!got || got.length !== expected.length) {
        throw new Error(`after step ${t}, ${name} has ${got?.length ?? "no"} values; expected ${expected.length}.`);
      }
      for (let i = 0; i < expected.length; i++) {
        if (isClose(got[i], expected[i], 1e-9, 1e-12)) continue;
        const known = MISTAKES.find((mistake) => isClose(got[i], mistaken(mistake, t, eta, beta, lambda)[name][i], 1e-9, 1e-12));
        throw new Error(
          `after step ${t} (η = ${eta}, β = ${beta}, λ = ${lambda}), ${name}[${i}] is ${got[i].toFixed(6)}, ` +
            `expected ${expected[i].toFixed(6)}; ` +
            (known?.hint ?? "for W1 and W2 θ ← (1 − η·λ)·θ, then for every parameter v ← β·v + dθ, θ ← θ − η·v."),
        );
      }
    }
    params = yours;
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
 * import { shiftImages } from "../../lib/shift.ts";
 *
 * const digit = new Uint8Array(784).fill(255, 300, 310); // a short stroke in row 10
 * const shiftImage = (image: Uint8Array, dx: number, dy: number) =>
 *   shiftImages({ images: image, count: 1, source: "" }, dx, dy).images;
 * checkShiftImage(shiftImage, digit); // "correct."
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
