/**
 * Checks for the exercises of notebook 11 (initialisation and training dynamics). Each returns
 * "not answered yet" for the placeholder, "correct." for a right answer, and throws an Error
 * that says what was expected and where to look for a wrong one.
 *
 * @module
 */

import { batchNormForward, initBatchNorm } from "../../lib/batch_norm.ts";
import { initDeepNetwork } from "../../lib/deep_network.ts";
import { Matrix } from "../../lib/matrix.ts";
import { momentum } from "../../lib/optimizers.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/** The standard deviation of all the values of `values`. */
function spread(values: ArrayLike<number>): number {
  let sum = 0, sumOfSquares = 0;
  for (let k = 0; k < values.length; k++) {
    sum += values[k];
    sumOfSquares += values[k] ** 2;
  }
  return Math.sqrt(sumOfSquares / values.length - (sum / values.length) ** 2);
}

/**
 * Exercise `he-std`: He's standard deviation for 784, 128 and 10 inputs, compared with the
 * spread of the weights `initDeepNetwork` draws for a layer of 1,000 units with that fan-in
 * (within 3 %), then with √(2/fan_in) itself.
 *
 * @example
 * ```ts
 * checkHeStd((fanIn) => Math.sqrt(2 / fanIn)); // "correct."
 * ```
 */
export function checkHeStd(heStd: (fanIn: number) => number | undefined): string {
  if (heStd(784) === undefined) return NOT_ANSWERED;
  for (const fanIn of [784, 128, 10]) {
    const yours = heStd(fanIn);
    const W = initDeepNetwork({ sizes: [fanIn, 1000], seed: 7 }).W[0];
    const measured = spread(W.data);
    if (yours === undefined || !isClose(yours, measured, 0.03)) {
      const hint = yours !== undefined && isClose(yours, 2 / fanIn, 1e-9)
        ? " That is He's variance 2/fan_in; the standard deviation is its square root."
        : yours !== undefined && isClose(yours, Math.sqrt(1 / fanIn), 1e-9)
        ? " That is √(1/fan_in) (LeCun's): ReLU zeroes half its inputs, which He makes up with a " +
          "factor 2 in the variance."
        : " Var(w) = 2/fan_in keeps Var(Z) the same from one ReLU layer to the next.";
      throw new Error(
        `heStd(${fanIn}) is ${yours}, but the weights initDeepNetwork draws for ${fanIn} inputs ` +
          `have a standard deviation of ${measured.toFixed(4)}.${hint}`,
      );
    }
    if (!isClose(yours, Math.sqrt(2 / fanIn), 1e-9)) {
      throw new Error(`heStd(${fanIn}) is ${yours}: close, but expected exactly √(2/${fanIn}).`);
    }
  }
  return CORRECT;
}

/**
 * Exercise `batch-normalise`: X̂ of lib/batch_norm.ts's training forward pass (γ = 1, β = 0) for
 * a 4 × 6 matrix whose rows have different means and scales, with ε = 1e-5 and ε = 0.5.
 *
 * @example
 * ```ts
 * checkBatchNormalise((Z, epsilon) => batchNormForward(initBatchNorm(Z.rows, { epsilon, precision: "f64" }), Z).cache!.Xhat); // "correct."
 * ```
 */
export function checkBatchNormalise(
  normalise: (Z: Matrix, epsilon: number) => Matrix | undefined,
): string {
  const Z = randomMatrix(4, 6, 11);
  Z.data.forEach((v, k) => Z.data[k] = 3 * Math.floor(k / 6) + (1 + Math.floor(k / 6)) * v);
  if (normalise(Z.clone(), 1e-5) === undefined) return NOT_ANSWERED;
  for (const epsilon of [1e-5, 0.5]) {
    const yours = normalise(Z.clone(), epsilon);
    const bn = initBatchNorm(4, { epsilon, precision: "f64" });
    const expected = batchNormForward(bn, Z).cache!.Xhat;
    if (!yours || yours.rows !== 4 || yours.cols !== 6) {
      throw new Error(
        `normalise returned ${yours ? `a ${yours.rows}×${yours.cols} matrix` : yours} for a ` +
          `4×6 Z: X̂ has Z's shape.`,
      );
    }
    const k = expected.data.findIndex((v, k) => !isClose(yours.data[k], v, 1e-6, 1e-9));
    if (k === -1) continue;
    const [i, j] = [Math.floor(k / 6), k % 6];
    const XhatWith = (eps: number) =>
      batchNormForward(initBatchNorm(4, { epsilon: eps, precision: "f64" }), Z).cache!.Xhat;
    const matches = (M: Matrix, factor = 1) =>
      M.data.every((v, k) => isClose(yours.data[k], factor * v, 1e-9, 1e-12));
    const columnMeans = Array.from({ length: 6 }, (_, j) => {
      let column = 0;
      for (let r = 0; r < 4; r++) column += yours.get(r, j);
      return column / 4;
    });
    // Dividing σ² by m − 1 = 5 instead of m = 6: X̂ = √(5/6)·(Z − μ)/√(σ² + ε·5/6).
    const hint = matches(XhatWith(0))
      ? " Add ε to σ² inside the square root: √(σ² + ε)."
      : matches(XhatWith(epsilon * 5 / 6), Math.sqrt(5 / 6))
      ? " σ² divides by m (the batch), not m − 1."
      : columnMeans.every((mu) => Math.abs(mu) < 1e-9)
      ? " Your columns have mean 0: normalise each row (a unit) over its m samples instead."
      : " Per row i: μ = mean of Z[i, :], σ² = mean of (Z[i, j] − μ)², X̂ = (Z − μ)/√(σ² + ε).";
    throw new Error(
      `with ε = ${epsilon}, X̂[${i}, ${j}] is ${yours.get(i, j)}, expected ` +
        `${expected.get(i, j)}.${hint}`,
    );
  }
  return CORRECT;
}

/**
 * Exercise `update-ratio`: ‖after − before‖ / ‖before‖ for a real momentum step (the second, so
 * that the velocity v is not just the gradient), compared with η·‖v‖ / ‖before‖ computed from
 * the optimizer's velocity.
 *
 * @example
 * ```ts
 * const norm = (M: Matrix) => Math.sqrt(M.data.reduce((s, v) => s + v * v, 0));
 * checkUpdateRatio((before, after) => norm(new Matrix(before.rows, before.cols, after.data.map((v, k) => v - before.data[k]))) / norm(before)); // "correct."
 * ```
 */
export function checkUpdateRatio(ratio: (before: Matrix, after: Matrix) => number | undefined): string {
  const W = randomMatrix(3, 4, 5);
  const dW = randomMatrix(3, 4, 6);
  const optimizer = momentum({ learningRate: 0.2, momentum: 0.9 });
  optimizer.step({ W }, { dW });
  const before = W.clone();
  optimizer.step({ W }, { dW: randomMatrix(3, 4, 8) });
  if (ratio(before.clone(), W.clone()) === undefined) return NOT_ANSWERED;
  const norm = (values: ArrayLike<number>) =>
    Math.sqrt(Array.from(values).reduce((s, v) => s + v * v, 0));
  const update = 0.2 * norm(optimizer.velocity("W", 12));
  const expected = update / norm(before.data);
  const yours = ratio(before.clone(), W.clone())!;
  if (isClose(yours, expected, 1e-9)) return CORRECT;
  const hint = isClose(yours, update / norm(W.data), 1e-9)
    ? " Divide by the weights before the step, ‖before‖, not after it."
    : isClose(yours, expected ** 2, 1e-9)
    ? " Take the square roots: ‖M‖ = √(Σ M²)."
    : isClose(yours, update, 1e-9)
    ? " That is ‖ΔW‖ alone: divide it by ‖before‖."
    : " ‖after − before‖ is the square root of the sum of the squared differences.";
  throw new Error(`your ratio is ${yours}, expected ‖ΔW‖/‖W‖ = ${expected}.${hint}`);
}
