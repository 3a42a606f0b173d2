/**
 * The checks of notebook 4 (softmax): a stable softmax of one column, the whole forward pass,
 * and the logit gap that gives probability 0.99.
 *
 * @module
 */

import { activate } from "../../lib/activations.ts";
import { Matrix } from "../../lib/matrix.ts";
import { forwardPropagation, initNetwork, linear, type Network } from "../../lib/network.ts";
import { softmax } from "../../lib/softmax.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/**
 * Exercise `stable-softmax`: `stableSoftmax(z)` of one column of logits, compared with the
 * library's `softmax` in Float64 on ordinary logits and on logits that overflow `Math.exp`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkStableSoftmax(() => []), "not answered yet");
 * ```
 */
export function checkStableSoftmax(stableSoftmax: (z: number[]) => number[]): string {
  if (stableSoftmax([1, 2]).length === 0) return NOT_ANSWERED;
  const cases = [[2, 1, 0.1], [0, 0, 0, 0], [1000, 999, 998.1], [-1000, -1001, -1001.9], [800, -800]];
  for (const logits of cases) {
    const A = softmax(Matrix.from(logits.map((z) => [z]), "f64"));
    const expected = Array.from(A.data);
    const got = stableSoftmax(logits);
    if (got.length !== logits.length || got.some((p, i) => !isClose(p, expected[i], 0, 1e-9))) {
      throw new Error(
        `stableSoftmax(${JSON.stringify(logits)}) returned [${got}], expected [${expected}]. ` +
          `NaN or Infinity means an exponential overflowed: subtract Math.max(...z) from every ` +
          `logit before Math.exp, then divide each exponential by their sum.`,
      );
    }
  }
  return CORRECT;
}

/**
 * Exercise `forward-pass`: `forward(network, X)` must return A2 (10 × m), compared with
 * `forwardPropagation` for a ReLU and a sigmoid network on random inputs. A wrong answer is
 * told which step is missing when it matches a known slip.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardPropagation } from "../../lib/network.ts";
 *
 * assert.equal(checkForwardPass((network, X) => forwardPropagation(network, X).A2), "correct.");
 * // Stopping at Z2 (no softmax) is caught.
 * assert.throws(() => checkForwardPass((network, X) => forwardPropagation(network, X).Z2));
 * ```
 */
export function checkForwardPass(forward: (network: Network, X: Matrix) => Matrix): string {
  const X = randomMatrix(784, 6, 11, { zeros: 0.8, precision: "f32" });
  const networks = [initNetwork({ seed: 3 }), initNetwork({ activation: "sigmoid", seed: 4 })];
  if (forward(networks[0], X).rows === 0) return NOT_ANSWERED;
  for (const network of networks) {
    const { Z1, Z2, A2 } = forwardPropagation(network, X);
    const other = network.activation === "relu" ? "sigmoid" : "relu";
    const got = forward(network, X);
    const matches = (M: Matrix) =>
      M.rows === got.rows && M.cols === got.cols &&
      M.data.every((v, k) => isClose(got.data[k], v, 1e-5, 1e-6));
    if (matches(A2)) continue;
    const slips: [Matrix, string][] = [
      [Z2, "these are the logits Z2: apply softmax to them"],
      [softmax(linear(network.W2, Z1, network.b2)), "the activation is missing: A1 = activate(Z1, network.activation)"],
      [
        softmax(linear(network.W2, activate(Z1, other), network.b2)),
        `this network's activation is "${network.activation}": use activate(Z1, network.activation)`,
      ],
    ];
    const slip = slips.find(([M]) => matches(M));
    throw new Error(
      `forward(network, X) for a ${network.activation} network returned a ${got.rows} × ` +
        `${got.cols} matrix that is not A2 (10 × ${X.cols}). ` +
        (slip ? `Close: ${slip[1]}.` : "Compute Z1 = linear(W1, X, b1), A1 = activate(Z1, " +
          "network.activation), Z2 = linear(W2, A1, b2), A2 = softmax(Z2)."),
    );
  }
  return CORRECT;
}

/**
 * Exercise `gap-for-99`: the logit difference z0 − z1 for which two-class softmax gives 0.99
 * (ln 99 ≈ 4.595; 4.6 by hand is close enough).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkGapFor99(4.6), "correct.");
 * ```
 */
export function checkGapFor99(gapFor99: number | undefined): string {
  if (gapFor99 === undefined) return NOT_ANSWERED;
  const p = softmax(Matrix.from([[gapFor99], [0]], "f64")).get(0, 0);
  if (!isClose(p, 0.99, 0, 1e-4)) {
    throw new Error(
      `with a gap of ${gapFor99}, softmax gives ${p.toFixed(5)}, not 0.99. Solve ` +
        `1 / (1 + e^(−d)) = 0.99 for d: e^(−d) = 1/99.`,
    );
  }
  return CORRECT;
}
