/**
 * Checks for the exercises of notebook 6b (the gradient check). Each returns "not answered yet"
 * for the placeholder, "correct." for a right answer, and throws an Error that says what was
 * expected and where to look for a wrong one.
 *
 * @module
 */

import { backwardPropagation, type Gradients } from "../../lib/backprop.ts";
import { gradientCheck } from "../../lib/gradient_check.ts";
import { oneHot } from "../../lib/loss.ts";
import { Matrix } from "../../lib/matrix.ts";
import {
  type ForwardCache,
  forwardPropagation,
  initNetwork,
  type Network,
  PARAMETER_NAMES,
} from "../../lib/network.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/**
 * Exercise `numerical-derivative`: `measure()` is the learner's centred difference of the loss
 * for b2[3] of `network` on X, Y. It must agree with backpropagation's db2[3] to 1e-7 and leave
 * b2 as it was (restored here, with a message, if not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropyLoss, oneHot } from "../../lib/loss.ts";
 * import { Matrix } from "../../lib/matrix.ts";
 * import { forwardPropagation, initNetwork } from "../../lib/network.ts";
 *
 * const network = initNetwork({ inputs: 4, hidden: 3, outputs: 5, seed: 2, precision: "f64" });
 * const X = Matrix.from([[0.1, 0.9], [0.5, 0], [0.3, 0.3], [1, 0.2]], "f64");
 * const Y = oneHot([4, 1], 5, "f64");
 * const loss = () => crossEntropyLoss(forwardPropagation(network, X).A2, Y);
 * // (L(b + ε) − L(b − ε)) / (2ε) for b = b2[3], which is put back afterwards.
 * const numericalDb2At3 = () => {
 *   const b2 = network.b2.data, b = b2[3], epsilon = 1e-5;
 *   b2[3] = b + epsilon;
 *   const plus = loss();
 *   b2[3] = b - epsilon;
 *   const minus = loss();
 *   b2[3] = b;
 *   return (plus - minus) / (2 * epsilon);
 * };
 * assert.equal(checkNumericalDerivative(numericalDb2At3, network, X, Y), "correct.");
 * // Off by a factor of 2 (dividing by ε, not 2ε): the check gives the right value.
 * assert.throws(
 *   () => checkNumericalDerivative(() => 2 * numericalDb2At3(), network, X, Y),
 *   /but the derivative is/,
 * );
 * ```
 */
export function checkNumericalDerivative(
  measure: () => number | undefined,
  network: Network,
  X: Matrix,
  Y: Matrix,
): string {
  const before = Float64Array.from(network.b2.data);
  const measured = measure();
  if (measured === undefined) return NOT_ANSWERED;
  if (!network.b2.data.every((v, i) => v === before[i])) {
    network.b2.data.set(before);
    throw new Error(
      "b2 was changed and not restored (now fixed for you): save network.b2.data[3] before " +
        "nudging it and put it back at the end.",
    );
  }
  const analytic = backwardPropagation(network, forwardPropagation(network, X), Y).db2.data[3];
  if (!(Math.abs(measured - analytic) <= 1e-7 * Math.max(1, Math.abs(analytic)))) {
    throw new Error(
      `you measured ${measured}, but the derivative is ${analytic.toFixed(8)}. Compute ` +
        `(L(b + ε) − L(b − ε)) / (2ε) with ε = 1e-5, setting b2.data[3] to b + ε, then b − ε, ` +
        `where b is its original value.`,
    );
  }
  return CORRECT;
}

/** The learner's backpropagation: like `backwardPropagation`, undefined while unanswered. */
export type Backward = (network: Network, cache: ForwardCache, Y: Matrix) => Gradients | undefined;

/** Where each gradient's formula is, for the message when one is wrong. */
const HINTS: Record<string, string> = {
  dW2: "dW2 = (1/m)·dZ2·A1ᵀ with dZ2 = A2 − Y (matmulTransposeB, then scale by 1/m)",
  db2: "db2 = (1/m)·(row sums of dZ2): one value per output unit (sumRows, then scale)",
  dW1: "dW1 = (1/m)·dZ1·Xᵀ with dZ1 = (W2ᵀ·dZ2) ⊙ ReLU′(Z1) (matmulTransposeA for W2ᵀ·dZ2, " +
    "multiplyElementwise with reluDerivative(Z1))",
  db1: "db1 = (1/m)·(row sums of dZ1), with dZ1 = (W2ᵀ·dZ2) ⊙ ReLU′(Z1)",
};

/**
 * Exercise `backward-pass`: the learner's whole backward pass, checked against centred
 * differences of the loss by `gradientCheck` on a small Float64 network (6 inputs, 5 ReLU units
 * of which some are off, 3 classes, 4 images): every relative error must be below 1e-6.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardPropagation } from "../../lib/backprop.ts";
 * import { scale } from "../../lib/matrix.ts";
 *
 * assert.equal(checkBackward(backwardPropagation), "correct.");
 * // Forgetting the 1/m in dW2 (4 images here) is caught by the gradient check.
 * assert.throws(() =>
 *   checkBackward((network, cache, Y) => {
 *     const gradients = backwardPropagation(network, cache, Y);
 *     return { ...gradients, dW2: scale(gradients.dW2, 4) };
 *   })
 * );
 * ```
 */
export function checkBackward(backward: Backward): string {
  const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 3, precision: "f64" });
  // Biases that switch some units off for some images, so that ReLU′ matters.
  network.b1.data.set([0.3, -0.4, 0.1, -1.5, 0.2]);
  network.b2.data.set([0.1, -0.2, 0.05]);
  const X = Matrix.from([
    [0.1, 0.5, 0, 0.8],
    [0.2, 0.9, 0.4, 0],
    [0, 1, 0.3, 0.6],
    [0.3, 0.3, 0, 0.2],
    [0.7, 0, 0.9, 0.1],
    [1, 0.4, 0.5, 0.7],
  ], "f64");
  const Y = oneHot([0, 2, 1, 2], 3, "f64");
  const answer = backward(network, forwardPropagation(network, X), Y);
  if (answer === undefined) return NOT_ANSWERED;
  for (const name of PARAMETER_NAMES) {
    const gradient = answer[`d${name}`];
    if (!gradient || String(gradient.shape) !== String(network[name].shape)) {
      throw new Error(
        `d${name} has shape [${gradient?.shape}], but ${name} is [${network[name].shape}]: every ` +
          `gradient has the shape of its parameter. ${HINTS[`d${name}`]}.`,
      );
    }
  }
  const results = gradientCheck(network, X, Y, { backward: () => answer });
  const wrong = results.filter((r) => !(r.relativeError < 1e-6));
  if (wrong.length > 0) {
    throw new Error(
      wrong.map((r) =>
        `d${r.parameter}: relative error ${r.relativeError.toExponential(2)} against the ` +
        `numerical gradient (it should be below 1e-6). ${HINTS[`d${r.parameter}`]}.`
      ).join("\n"),
    );
  }
  return CORRECT;
}
