/**
 * The checks of notebook 3 (activations): a numerical derivative, counting dead ReLU units, and
 * the best case of five sigmoid layers.
 *
 * @module
 */

import {
  relu,
  reluDerivative,
  sigmoid,
  sigmoidDerivative,
} from "../../lib/activations.ts";
import { Matrix } from "../../lib/matrix.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/**
 * Exercise `numerical-derivative`: the centred difference (g(z + h) − g(z − h)) / 2h with
 * h = 1e-5, compared with the library's analytic derivatives of sigmoid and ReLU.
 *
 * @example
 * ```ts
 * checkNumericalDerivative((g, z) => (g(z + 1e-5) - g(z - 1e-5)) / 2e-5); // "correct."
 * ```
 */
export function checkNumericalDerivative(
  numericalDerivative: (g: (z: number) => number, z: number) => number,
): string {
  if (Number.isNaN(numericalDerivative(Math.sin, 0))) return NOT_ANSWERED;
  const checks: [string, (Z: Matrix) => Matrix, (Z: Matrix) => Matrix, number[]][] = [
    ["σ", sigmoid, sigmoidDerivative, [-3, -0.5, 0, 0.7, 4]],
    ["ReLU", relu, reluDerivative, [-2, 0.5, 3]],
  ];
  for (const [name, g, derivative, points] of checks) {
    for (const z of points) {
      // The library's analytic derivative, in Float64 so that it is exact to ~1e-16.
      const expected = derivative(Matrix.from([[z]], "f64")).get(0, 0);
      const got = numericalDerivative((x) => g(Matrix.from([[x]], "f64")).get(0, 0), z);
      if (!isClose(got, expected, 0, 1e-8)) {
        throw new Error(
          `numericalDerivative of ${name} at z = ${z} is ${got}, but ${name}′(${z}) = ` +
            `${expected}. Use the centred difference (g(z + h) − g(z − h)) / (2 * h) with ` +
            `h = 1e-5 (a one-sided difference is off by about h·g″/2, here ~1e-7).`,
        );
      }
    }
  }
  return CORRECT;
}

/**
 * Exercise `dead-units`: `deadUnits(Z1)` must count the rows of Z1 (hidden units) that are ≤ 0
 * in every column (image), i.e. whose ReLU derivative is 0 for every image. Checked on random
 * pre-activations with some units dead, some on for a single image, and some exactly 0.
 *
 * @example
 * ```ts
 * checkDeadUnits(() => Number.NaN); // "not answered yet"
 * ```
 */
export function checkDeadUnits(deadUnits: (Z1: Matrix) => number): string {
  const Z1 = randomMatrix(40, 30, 7);
  for (let i = 0; i < Z1.rows; i++) {
    // Units 0, 3, 6, …: dead; 1, 4, …: on for image i only; every fifth: also exactly 0 somewhere.
    for (let j = 0; j < Z1.cols; j++) {
      if (i % 3 === 0) Z1.set(i, j, -Math.abs(Z1.get(i, j)));
      if (i % 3 === 1) Z1.set(i, j, j === i % Z1.cols ? 0.01 : -Math.abs(Z1.get(i, j)));
    }
    if (i % 5 === 0) Z1.set(i, 2, 0);
  }
  if (Number.isNaN(deadUnits(Z1))) return NOT_ANSWERED;
  // Another route: a unit is dead when its ReLU derivative is 0 for every image.
  const slopes = reluDerivative(Z1);
  const expected = Array.from({ length: Z1.rows }, (_, i) => slopes.row(i).every((s) => s === 0))
    .filter(Boolean).length;
  for (const [name, Z] of [["Z1", Z1], ["Z1 of a network with no dead unit", randomMatrix(8, 50, 3)]] as const) {
    const want = Z === Z1 ? expected : 0;
    const got = deadUnits(Z);
    if (got !== want) {
      throw new Error(
        `deadUnits(${name}) returned ${got}, expected ${want}. A unit is a row of Z1 ` +
          `(Z1.rows of them); it is dead when Z1.get(i, j) <= 0 for every image j (a 0 counts ` +
          `as off: ReLU′(0) = 0), and alive as soon as one image gives it z > 0.`,
      );
    }
  }
  return CORRECT;
}

/**
 * Exercise `five-layer-factor`: the best-case factor by which five sigmoid layers' σ′ scale the
 * gradient, (max σ′)⁵, taken from a fine grid of σ′. A hand answer within 5 % is accepted.
 *
 * @example
 * ```ts
 * checkFiveLayerFactor(0.001); // "correct.": 0.25⁵ ≈ 0.000977, about a thousand times smaller
 * ```
 */
export function checkFiveLayerFactor(fiveLayerFactor: number | undefined): string {
  if (fiveLayerFactor === undefined) return NOT_ANSWERED;
  const grid = Matrix.from([Array.from({ length: 2001 }, (_, k) => -10 + k / 100)], "f64");
  const expected = Math.max(...sigmoidDerivative(grid).data) ** 5;
  if (!isClose(fiveLayerFactor, expected, 0.05)) {
    const hint = fiveLayerFactor > 1
      ? "The gradient gets smaller on the way back: the factor is below 1. "
      : "";
    throw new Error(
      `${fiveLayerFactor} is not it. ${hint}σ′ is largest at z = 0, where it is ` +
        `σ(0)·(1 − σ(0)); the gradient is multiplied by it once per layer, 5 times (a power, ` +
        `not a product with 5).`,
    );
  }
  return CORRECT;
}
