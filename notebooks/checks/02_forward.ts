/**
 * The checks of notebook 2 (forward propagation): the shape of Z1, one hidden unit's input
 * written as a sum, and the number of parameters.
 *
 * @module
 */

import { PIXELS } from "../../lib/data/dataset.ts";
import { Matrix } from "../../lib/matrix.ts";
import { forwardPropagation, initNetwork, linear, PARAMETER_NAMES } from "../../lib/network.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/**
 * Exercise `shape-of-z1`: [rows, columns] of Z1 for a batch of 32 images, checked by running a
 * batch of 32 through a network.
 *
 * @example
 * ```ts
 * checkShapeOfZ1([128, 32]); // "correct."
 * ```
 */
export function checkShapeOfZ1(shapeOfZ1: [number, number] | undefined): string {
  if (shapeOfZ1 === undefined) return NOT_ANSWERED;
  const expected = forwardPropagation(initNetwork({ seed: 1 }), new Matrix(PIXELS, 32)).Z1.shape;
  if (shapeOfZ1.length !== 2 || shapeOfZ1.some((size, k) => size !== expected[k])) {
    throw new Error(
      `Z1 is not [${shapeOfZ1.join(", ")}]. W1 is 128 × 784 and X is 784 × 32: the product ` +
        `keeps W1's rows and X's columns.`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `hidden-input`: `hiddenInput(W1, X, b1, i, j)` must return Z1[i, j], compared with
 * `linear` on the notebook's tiny example and on a random 128 × 784 layer.
 *
 * @example
 * ```ts
 * checkHiddenInput(() => Number.NaN); // "not answered yet"
 * ```
 */
export function checkHiddenInput(
  hiddenInput: (W1: Matrix, X: Matrix, b1: Matrix, i: number, j: number) => number,
): string {
  const W = Matrix.from([[1, 2, 0], [-1, 0, 3]]);
  const X = Matrix.from([[1, 0], [2, 1], [3, -1]]);
  const b = Matrix.from([[0.5], [-1]]);
  if (Number.isNaN(hiddenInput(W, X, b, 0, 0))) return NOT_ANSWERED;
  const cases: [Matrix, Matrix, Matrix][] = [
    [W, X, b],
    [randomMatrix(128, PIXELS, 1), randomMatrix(PIXELS, 5, 2, { zeros: 0.8 }), randomMatrix(128, 1, 3)],
  ];
  for (const [W1, X1, b1] of cases) {
    const Z1 = linear(W1, X1, b1);
    for (const [i, j] of [[0, 0], [1, 1], [1, 0], [W1.rows - 1, X1.cols - 1]]) {
      const got = hiddenInput(W1, X1, b1, i, j);
      if (!isClose(got, Z1.get(i, j), 1e-9, 1e-9)) {
        throw new Error(
          `hiddenInput(W1, X, b1, ${i}, ${j}) for W1 of shape [${W1.shape.join(", ")}] ` +
            `returned ${got}, expected ${Z1.get(i, j)}. Sum W1.get(i, p) * X.get(p, j) over ` +
            `p = 0 .. W1.cols - 1, then add b1.get(i, 0).`,
        );
      }
    }
  }
  return CORRECT;
}

/**
 * Exercise `parameter-count`: the number of elements of W1, b1, W2 and b2, counted from a
 * network's parameters.
 *
 * @example
 * ```ts
 * checkParameterCount(undefined); // "not answered yet"
 * ```
 */
export function checkParameterCount(parameterCount: number | undefined): string {
  if (parameterCount === undefined) return NOT_ANSWERED;
  const network = initNetwork({ seed: 1 });
  const expected = PARAMETER_NAMES.reduce((sum, name) => sum + network[name].data.length, 0);
  if (parameterCount !== expected) {
    throw new Error(
      `${parameterCount} is not the number of parameters. Add rows × columns of W1 ` +
        `(128 × 784), b1 (128 × 1), W2 (10 × 128) and b2 (10 × 1).`,
    );
  }
  return CORRECT;
}
