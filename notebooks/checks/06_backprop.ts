/**
 * Checks for the exercises of notebook 6 (backpropagation). Each returns "not answered yet" for
 * the placeholder, "correct." for a right answer, and throws an Error that says what was
 * expected and where to look for a wrong one.
 *
 * @module
 */

import { backwardPropagation } from "../../lib/backprop.ts";
import { oneHot } from "../../lib/loss.ts";
import { Matrix } from "../../lib/matrix.ts";
import { forwardPropagation, initNetwork, type Network } from "../../lib/network.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/**
 * Exercise `gradient-shapes`: the shapes of dW1 and dZ1 for 64 hidden units and batches of 32.
 * The expected shapes come from running such a network (on blank images) and looking.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkGradientShapes([64, 784], [64, 32]), "correct.");
 * ```
 */
export function checkGradientShapes(
  shapeOfDW1: readonly number[] | undefined,
  shapeOfDZ1: readonly number[] | undefined,
): string {
  if (shapeOfDW1 === undefined || shapeOfDZ1 === undefined) return NOT_ANSWERED;
  const network = initNetwork({ hidden: 64, seed: 2 });
  const cache = forwardPropagation(network, Matrix.zeros(784, 32));
  const labels = Array.from({ length: 32 }, (_, j) => j % 10);
  const expectedDW1 = backwardPropagation(network, cache, oneHot(labels)).dW1.shape;
  const expectedDZ1 = cache.Z1.shape; // dZ1 has the shape of Z1
  if (String(shapeOfDW1) !== String(expectedDW1)) {
    throw new Error(
      `dW1 has the shape of W1: one row per hidden unit, one column per input pixel. ` +
        `You wrote [${shapeOfDW1}].`,
    );
  }
  if (String(shapeOfDZ1) !== String(expectedDZ1)) {
    throw new Error(
      `dZ1 has the shape of Z1 = W1·X + b1: one row per hidden unit, one column per image of ` +
        `the batch. You wrote [${shapeOfDZ1}].`,
    );
  }
  return CORRECT;
}

/** Exercise `hand-backward`: the backward pass of the 2-2-2 network, by hand. */
export interface HandBackward {
  /** 2 numbers: dZ2 for the two classes. */
  dZ2: readonly number[];
  /** 2 numbers: dZ1 for the two hidden units. */
  dZ1: readonly number[];
  /** 2 × 2: dW1[i][k] for hidden unit i and input k. */
  dW1: readonly (readonly number[])[];
}

/**
 * Exercise `hand-backward`: `answer` is the backward pass of `network` on the single image `x`
 * (2 × 1) with label `label`, worked by hand to 3 decimals or better (tolerance 0.002). The
 * expected numbers are the library's backpropagation of the same network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "../../lib/matrix.ts";
 *
 * // Notebook 6's 2-2-2 ReLU network and its image x = [1, 2] with label 0.
 * const tiny = {
 *   activation: "relu" as const,
 *   W1: Matrix.from([[0.5, 0.25], [-1, 0.5]], "f64"),
 *   b1: Matrix.from([[0], [-0.5]], "f64"),
 *   W2: Matrix.from([[1, -1], [0.5, 1]], "f64"),
 *   b2: Matrix.from([[0], [0]], "f64"),
 * };
 * const x = Matrix.from([[1], [2]], "f64");
 * // By hand: dZ2 = A2 − Y; dZ1 = W2ᵀ·dZ2 gated by ReLU′ (unit 1 is off); dW1 = dZ1·xᵀ.
 * const answer = { dZ2: [-0.378, 0.378], dZ1: [-0.189, 0], dW1: [[-0.189, -0.378], [0, 0]] };
 * assert.equal(checkHandBackward(answer, tiny, x, 0), "correct.");
 * // Y − A2 instead of A2 − Y: the sign is wrong.
 * assert.throws(() => checkHandBackward({ ...answer, dZ2: [0.378, -0.378] }, tiny, x, 0), /dZ2/);
 * ```
 */
export function checkHandBackward(
  answer: HandBackward | undefined,
  network: Network,
  x: Matrix,
  label: number,
): string {
  if (answer === undefined) return NOT_ANSWERED;
  const cache = forwardPropagation(network, x);
  const Y = oneHot([label], network.W2.rows, "f64");
  const expected = backwardPropagation(network, cache, Y);
  const dZ2 = Array.from(cache.A2.data, (a, i) => a - Y.data[i]);
  const dZ1 = Array.from(expected.db1.data); // m = 1: db1 is dZ1
  const close = (got: readonly number[], want: readonly number[]) =>
    got.length === want.length && got.every((v, i) => Math.abs(v - want[i]) <= 0.002);
  const show = (values: readonly number[]) => `[${values.map((v) => v.toFixed(4)).join(", ")}]`;
  if (!close(answer.dZ2, dZ2)) {
    throw new Error(
      `dZ2 = A2 − Y: A2 = ${show(Array.from(cache.A2.data))} (from the forward pass) and Y is ` +
        `the one-hot label ${show(Array.from(Y.data))}. You wrote ${show(answer.dZ2)}.`,
    );
  }
  if (!close(answer.dZ1, dZ1)) {
    throw new Error(
      `dZ1 = W2ᵀ·dZ2 ⊙ ReLU′(Z1): first dA1 = W2ᵀ·dZ2 (unit i collects W2[0][i]·dZ2[0] + ` +
        `W2[1][i]·dZ2[1]), then 0 wherever Z1 ≤ 0 (Z1 = ${show(Array.from(cache.Z1.data))}). ` +
        `You wrote ${show(answer.dZ1)}.`,
    );
  }
  const rows = expected.dW1.toArray();
  if (answer.dW1.length !== rows.length || !answer.dW1.every((row, i) => close(row, rows[i]))) {
    throw new Error(
      `dW1 = dZ1·xᵀ (m = 1): dW1[i][k] = dZ1[i]·x[k], with x = ${show(Array.from(x.data))}. ` +
        `You wrote [${answer.dW1.map((row) => show(row)).join(", ")}].`,
    );
  }
  return CORRECT;
}
