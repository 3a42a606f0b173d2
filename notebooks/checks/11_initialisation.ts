/**
 * Checks for the exercises of notebook 11 (initialisation and training dynamics). Each returns
 * "not answered yet" for the placeholder, "correct." for a right answer, and throws an Error
 * that says what was expected and where to look for a wrong one.
 *
 * @module
 */

import { batchNormForward, initBatchNorm } from "../../lib/batch_norm.ts";
import { Matrix } from "../../lib/matrix.ts";
import { momentum } from "../../lib/optimizers.ts";
import { CORRECT, isClose, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/** Z (4 × 6, f64): rows with different means and scales, as a layer's pre-activations have. */
function rowsOfDifferentScales(): Matrix {
  const Z = randomMatrix(4, 6, 11);
  Z.data.forEach((v, k) => Z.data[k] = 3 * Math.floor(k / 6) + (1 + Math.floor(k / 6)) * v);
  return Z;
}

/**
 * Exercise `batch-norm-backward`: dL/dZ from dL/dẐ for a 4 × 6 Z, compared with centred
 * differences of L(Z) = Σᵢⱼ dẐᵢⱼ·Ẑᵢⱼ(Z) (whose gradient with respect to Ẑ is dẐ), Ẑ computed
 * by lib/batch_norm.ts's forward pass.
 *
 * @example
 * ```ts
 * import { batchNormBackward, batchNormForward, initBatchNorm } from "../../lib/batch_norm.ts";
 * checkBatchNormBackward((Z, dZhat, epsilon) => batchNormBackward(batchNormForward(initBatchNorm(Z.rows, { epsilon, precision: "f64" }), Z).cache!, dZhat).dX); // "correct."
 * ```
 */
export function checkBatchNormBackward(
  normaliseBackward: (Z: Matrix, dZhat: Matrix, epsilon: number) => Matrix | undefined,
): string {
  const Z = rowsOfDifferentScales(), dZhat = randomMatrix(4, 6, 12), epsilon = 1e-5;
  if (normaliseBackward(Z.clone(), dZhat.clone(), epsilon) === undefined) return NOT_ANSWERED;
  const yours = normaliseBackward(Z.clone(), dZhat.clone(), epsilon)!;
  if (!yours || yours.rows !== 4 || yours.cols !== 6) {
    throw new Error(
      `normaliseBackward returned ${yours ? `a ${yours.rows}×${yours.cols} matrix` : yours} for ` +
        `a 4×6 Z: dZ has Z's shape.`,
    );
  }
  const bn = initBatchNorm(4, { epsilon, precision: "f64" });
  const Zhat = (M: Matrix) => batchNormForward(bn, M).cache!.Xhat;
  const loss = (M: Matrix) => Array.from(Zhat(M).data).reduce((s, v, k) => s + dZhat.data[k] * v, 0);
  const h = 1e-6;
  const expected = Z.data.map((_, k) => {
    const plus = Z.clone(), minus = Z.clone();
    plus.data[k] += h;
    minus.data[k] -= h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
  const k = expected.findIndex((v, k) => !isClose(yours.data[k], v, 1e-5, 1e-7));
  if (k === -1) return CORRECT;
  // The three paths from Zᵢⱼ to L, per row i (1/s = 1/√(σ² + ε)): directly through Ẑᵢⱼ, through
  // μᵢ (−Σₖ dẐᵢₖ/m) and through σᵢ² (−Ẑᵢⱼ·Σₖ dẐᵢₖ·Ẑᵢₖ/m).
  const { Xhat: Zh, inverseStd } = batchNormForward(bn, Z).cache!, m = 6;
  const paths = (mean: boolean, variance: boolean) =>
    Z.data.map((_, k) => {
      const i = Math.floor(k / m);
      let sum = 0, sumTimesZhat = 0;
      for (let j = 0; j < m; j++) {
        sum += dZhat.data[i * m + j];
        sumTimesZhat += dZhat.data[i * m + j] * Zh.data[i * m + j];
      }
      const dZ = dZhat.data[k] - (mean ? sum / m : 0) - (variance ? Zh.data[k] * sumTimesZhat / m : 0);
      return dZ * inverseStd[i];
    });
  const matches = (values: ArrayLike<number>) =>
    Array.from(values).every((v, k) => isClose(yours.data[k], v, 1e-6, 1e-9));
  const hint = matches(paths(false, false))
    ? " That is only the direct path dẐ/√(σ² + ε): every Zᵢⱼ also moves its row's μ and σ²."
    : matches(paths(false, true))
    ? " The path through μ is missing: subtract Σₖ dẐᵢₖ / m (then each row of dZ sums to 0)."
    : matches(paths(true, false))
    ? " The path through σ² is missing: subtract Ẑᵢⱼ · Σₖ dẐᵢₖ·Ẑᵢₖ / m."
    : " Per row i: dZᵢⱼ = (dẐᵢⱼ − Σₖ dẐᵢₖ/m − Ẑᵢⱼ·Σₖ dẐᵢₖẐᵢₖ/m) / √(σᵢ² + ε).";
  const [i, j] = [Math.floor(k / m), k % m];
  throw new Error(
    `dZ[${i}, ${j}] is ${yours.get(i, j)}, but centred differences of the loss give ` +
      `${expected[k].toPrecision(6)}.${hint}`,
  );
}

/**
 * Exercise `batch-normalise`: Ẑ (lib/batch_norm.ts's X̂) of its training forward pass (γ = 1, β = 0) for
 * a 4 × 6 matrix whose rows have different means and scales, with ε = 1e-5 and ε = 0.5.
 *
 * @example
 * ```ts
 * import { batchNormForward, initBatchNorm } from "../../lib/batch_norm.ts";
 * checkBatchNormalise((Z, epsilon) => batchNormForward(initBatchNorm(Z.rows, { epsilon, precision: "f64" }), Z).cache!.Xhat); // "correct."
 * ```
 */
export function checkBatchNormalise(
  normalise: (Z: Matrix, epsilon: number) => Matrix | undefined,
): string {
  const Z = rowsOfDifferentScales();
  if (normalise(Z.clone(), 1e-5) === undefined) return NOT_ANSWERED;
  for (const epsilon of [1e-5, 0.5]) {
    const yours = normalise(Z.clone(), epsilon);
    const bn = initBatchNorm(4, { epsilon, precision: "f64" });
    const expected = batchNormForward(bn, Z).cache!.Xhat;
    if (!yours || yours.rows !== 4 || yours.cols !== 6) {
      throw new Error(
        `normalise returned ${yours ? `a ${yours.rows}×${yours.cols} matrix` : yours} for a ` +
          `4×6 Z: Ẑ has Z's shape.`,
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
    // Dividing σ² by m − 1 = 5 instead of m = 6: Ẑ = √(5/6)·(Z − μ)/√(σ² + ε·5/6).
    const hint = matches(XhatWith(0))
      ? " Add ε to σ² inside the square root: √(σ² + ε)."
      : matches(XhatWith(epsilon * 5 / 6), Math.sqrt(5 / 6))
      ? " σ² divides by m (the batch), not m − 1."
      : columnMeans.every((mu) => Math.abs(mu) < 1e-9)
      ? " Your columns have mean 0: normalise each row (a unit) over its m samples instead."
      : " Per row i: μ = mean of Z[i, :], σ² = mean of (Z[i, j] − μ)², Ẑ = (Z − μ)/√(σ² + ε).";
    throw new Error(
      `with ε = ${epsilon}, Ẑ[${i}, ${j}] is ${yours.get(i, j)}, expected ` +
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
 * import { Matrix } from "../../lib/matrix.ts";
 * const norm = (M: Matrix) => Math.sqrt(Array.from(M.data).reduce((s, v) => s + v * v, 0));
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
