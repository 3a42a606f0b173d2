/**
 * Checks for the exercises of notebook 7 (the training loop). Each returns "not answered yet" for
 * the placeholder, "correct." for a right answer, and throws an Error that says what was
 * expected and where to look for a wrong one.
 *
 * @module
 */

import { type Dataset, subset } from "../../lib/data/dataset.ts";
import { evaluate } from "../../lib/evaluate.ts";
import { Matrix } from "../../lib/matrix.ts";
import { initNetwork, type Network, PARAMETER_NAMES } from "../../lib/network.ts";
import { gradientDescent, momentum, type Optimizer } from "../../lib/optimizers.ts";
import { Random } from "../../lib/random.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/**
 * Exercise `steps-per-epoch`: optimizer steps in one epoch of `images` images in batches of
 * `batchSize`; `reported` is what the training loop counted (BatchProgress.batches).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkStepsPerEpoch(79, 10000, 128, 79), "correct.");
 * // 10,000 / 128 rounded down forgets the last, smaller batch.
 * assert.throws(() => checkStepsPerEpoch(78, 10000, 128, 79), /round up/);
 * ```
 */
export function checkStepsPerEpoch(
  steps: number | undefined,
  images: number,
  batchSize: number,
  reported: number,
): string {
  if (steps === undefined) return NOT_ANSWERED;
  if (steps !== reported) {
    throw new Error(
      `${steps} is not it. Divide ${images} images by ${batchSize} per batch and round up: the ` +
        `${images % batchSize} images left over form one more, smaller batch.`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `momentum-by-hand`: how far θ moves in 3 momentum steps (η = 0.1, β = 0.9) when every
 * gradient is 1. The expectation is lib's momentum run on a one-weight network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkMomentumByHand(0.561), "correct."); // 0.1 + 0.19 + 0.271
 * // Gradient descent's 3 × 0.1 ignores the velocity.
 * assert.throws(() => checkMomentumByHand(0.3));
 * ```
 */
export function checkMomentumByHand(distance: number | undefined): string {
  if (distance === undefined) return NOT_ANSWERED;
  const tiny = initNetwork({ inputs: 1, hidden: 1, outputs: 1, precision: "f64", seed: 1 });
  const start = tiny.W1.data[0];
  const ones = () => new Matrix(1, 1, Float64Array.of(1));
  const optimizer = momentum({ learningRate: 0.1, momentum: 0.9 });
  for (let step = 0; step < 3; step++) {
    optimizer.step(tiny, { dW1: ones(), db1: ones(), dW2: ones(), db2: ones() });
  }
  const expected = start - tiny.W1.data[0];
  if (!(Math.abs(distance - expected) <= 1e-6)) {
    throw new Error(
      `${distance} is not it. Step by step: v = 0.9·v + 1 gives v = 1, then 1.9, then ...; each ` +
        `step moves θ by 0.1·v. Add up the three moves.`,
    );
  }
  return CORRECT;
}

/** One momentum step on one parameter array, in place: v and θ are updated. */
export type MomentumStep = (
  theta: Float64Array,
  v: Float64Array,
  dTheta: Float64Array,
  eta: number,
  beta: number,
) => void;

/**
 * Exercise `momentum-step`: the learner's step, run for 5 steps on 3 elements with changing
 * gradients, against lib's `momentum` optimizer (lib/optimizers.ts) on W1 of a 1-3-1 network.
 *
 * @example
 * ```ts
 * checkMomentumStep((theta, v, d, eta, beta) => {
 *   for (let i = 0; i < theta.length; i++) { v[i] = beta * v[i] + d[i]; theta[i] -= eta * v[i]; }
 * }); // "correct."
 * ```
 */
export function checkMomentumStep(step: MomentumStep | undefined): string {
  if (step === undefined) return NOT_ANSWERED;
  const eta = 0.05, beta = 0.8;
  const network = initNetwork({ inputs: 1, hidden: 3, outputs: 1, precision: "f64", seed: 4 });
  const theta = Float64Array.from(network.W1.data), v = new Float64Array(3);
  const optimizer = momentum({ learningRate: eta, momentum: beta });
  const zeros = (M: Matrix) => new Matrix(M.rows, M.cols, new Float64Array(M.data.length));
  for (let t = 1; t <= 5; t++) {
    // Gradients that change sign and size, so that a velocity which is not kept shows.
    const dTheta = Float64Array.of(1, -2 * t, (-1) ** t * 3);
    optimizer.step(network, {
      dW1: new Matrix(3, 1, Float64Array.from(dTheta)),
      db1: zeros(network.b1),
      dW2: zeros(network.W2),
      db2: zeros(network.b2),
    });
    step(theta, v, dTheta, eta, beta);
    const expected = network.W1.data;
    if (!theta.every((x, i) => Math.abs(x - expected[i]) <= 1e-12)) {
      const velocity = optimizer.velocity("W1", 3);
      throw new Error(
        `after step ${t}, θ is [${Array.from(theta, (x) => x.toFixed(4))}], lib's momentum gives ` +
          `[${Array.from(expected, (x) => x.toFixed(4))}] (velocity [${
            Array.from(velocity, (x) => x.toFixed(4))
          }]). Update v first, v ← β·v + dθ, then θ ← θ − η·v, element by element, in place.`,
      );
    }
  }
  return CORRECT;
}

/** One epoch of training: shuffle, cut into batches, forward, backward, optimizer step. */
export type EpochLoop = (
  network: Network,
  trainSet: Dataset,
  optimizer: Optimizer,
  batchSize: number,
  random: Random,
) => void;

/** The validation accuracy {@linkcode checkEpochLoop} asks for. */
export const EPOCH_LOOP_FLOOR = 0.8;

/**
 * Exercise `epoch-loop`: the learner's epoch, run 3 times with SGD (η = 0.1, batches of 48) on
 * 2,000 images of `trainSet` **sorted by label** (all 0s first, then all 1s, ...), must reach
 * {@linkcode EPOCH_LOOP_FLOOR} validation accuracy on `validation`. Without shuffling, every
 * epoch ends on a run of 9s and the network forgets the rest; a loop that skips the last,
 * smaller batch or steps more than once per batch is caught by counting the steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardPropagation } from "../../lib/backprop.ts";
 * import { denseInputs } from "../../lib/data/dataset.ts";
 * import { oneHot } from "../../lib/loss.ts";
 * import { forwardPropagation } from "../../lib/network.ts";
 *
 * // Stand-in digits, so no MNIST is loaded: image i shows digit i mod 10 as two inked rows.
 * const digits = (count: number) => {
 *   const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
 *   const images = new Uint8Array(count * 784);
 *   labels.forEach((d, i) => images.fill(255, 784 * i + 56 * d + 112, 784 * i + 56 * d + 168));
 *   return { images, labels, count, source: "stand-in digits" };
 * };
 * const trainEpoch: EpochLoop = (network, trainSet, optimizer, batchSize, random) => {
 *   const order = random.shuffle(Array.from({ length: trainSet.count }, (_, i) => i));
 *   for (let start = 0; start < order.length; start += batchSize) {
 *     const indices = order.slice(start, start + batchSize);
 *     const cache = forwardPropagation(network, denseInputs(trainSet, indices));
 *     const Y = oneHot(indices.map((i) => trainSet.labels![i]));
 *     optimizer.step(network, backwardPropagation(network, cache, Y));
 *   }
 * };
 * assert.equal(checkEpochLoop(trainEpoch, digits(2000), digits(100)), "correct.");
 * assert.equal(checkEpochLoop(undefined, digits(2000), digits(100)), "not answered yet");
 * ```
 */
export function checkEpochLoop(
  epoch: EpochLoop | undefined,
  trainSet: Dataset,
  validation: Dataset,
): string {
  if (epoch === undefined) return NOT_ANSWERED;
  const sorted = Array.from({ length: 2000 }, (_, i) => i)
    .sort((a, b) => trainSet.labels![a] - trainSet.labels![b] || a - b);
  const data = subset(trainSet, sorted, "2,000 training images sorted by label");
  const network = initNetwork({ seed: 1 });
  const sgd = gradientDescent({ learningRate: 0.1 });
  let steps = 0;
  const counting: Optimizer = {
    name: "sgd",
    learningRate: 0.1,
    step(net, gradients) {
      steps++;
      const mlp = net as unknown as Network; // the learner's loop steps an MLP
      const grads = gradients as unknown as Record<string, Matrix>;
      for (const name of PARAMETER_NAMES) {
        if (String(grads[`d${name}`]?.shape) !== String(mlp[name].shape)) {
          throw new Error(`d${name} has the wrong shape: pass backwardPropagation's gradients`);
        }
      }
      sgd.step(net, gradients);
    },
  };
  const random = new Random(1);
  const batchSize = 48; // 2,000 = 41·48 + 32: the last batch is smaller
  for (let e = 0; e < 3; e++) epoch(network, data, counting, batchSize, random);
  const expectedSteps = 3 * Math.ceil(data.count / batchSize);
  if (steps !== expectedSteps) {
    throw new Error(
      `3 epochs of ${data.count} images in batches of ${batchSize} are ${expectedSteps} ` +
        `optimizer steps (the last batch of each epoch has ${data.count % batchSize} images); ` +
        `yours made ${steps}. One optimizer.step per batch, every image in exactly one batch.`,
    );
  }
  const { accuracy } = evaluate(network, validation);
  if (!(accuracy! >= EPOCH_LOOP_FLOOR)) {
    throw new Error(
      `after 3 epochs the validation accuracy is ${(100 * accuracy!).toFixed(1)} %, below ` +
        `${100 * EPOCH_LOOP_FLOOR} %. The training images here are sorted by label: did you ` +
        `shuffle the order (random.shuffle) at the start of every epoch, and take each batch's ` +
        `images from the shuffled order?`,
    );
  }
  return CORRECT;
}
