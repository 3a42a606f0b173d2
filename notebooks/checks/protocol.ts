/**
 * What every notebook check shares (notebooks/README.md, "Exercises"): the two strings a check
 * returns, and random test matrices. A check returns {@linkcode NOT_ANSWERED} for the
 * placeholder, {@linkcode CORRECT} for a right answer, and throws an Error saying what was
 * expected and where to look for a wrong one.
 *
 * @module
 */

import { Matrix } from "../../lib/matrix.ts";
import { Random } from "../../lib/random.ts";

/** What a check returns while the answer cell still holds its placeholder. */
export const NOT_ANSWERED = "not answered yet";
/** What a check returns for a right answer. */
export const CORRECT = "correct.";

/**
 * A `rows × cols` matrix of standard normal samples drawn from `seed`; with `zeros` in [0, 1),
 * about that fraction of its entries set to exactly 0 (like MNIST's background pixels).
 *
 * @example
 * ```ts
 * randomMatrix(3, 4, 1).shape; // [3, 4]
 * ```
 */
export function randomMatrix(
  rows: number,
  cols: number,
  seed: number,
  { zeros = 0, precision = "f64" }: { zeros?: number; precision?: "f32" | "f64" } = {},
): Matrix {
  const random = new Random(seed);
  const M = Matrix.zeros(rows, cols, precision);
  for (let k = 0; k < M.data.length; k++) {
    const value = random.normal();
    M.data[k] = random.uniform() < zeros ? 0 : value;
  }
  return M;
}

/**
 * Whether `got` is within `relative × |expected|` or `absolute` of `expected`, whichever is larger
 * (false for NaN).
 *
 * @example
 * ```ts
 * isClose(0.001, 0.000977, 0.05); // true: 2.4 % off
 * isClose(1e-9, 0, 0, 1e-6); // true
 * ```
 */
export function isClose(got: number, expected: number, relative: number, absolute = 0): boolean {
  return Math.abs(got - expected) <= Math.max(absolute, relative * Math.abs(expected));
}
