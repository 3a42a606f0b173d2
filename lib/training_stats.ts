/**
 * Two health checks of a network in training (Karpathy, "Building makemore" part 3): how many
 * ReLU units are dead, and how large each update is next to the weights it changes.
 *
 * - A **dead unit** outputs 0 for every input: its Z is ≤ 0 for every sample, so ReLU's
 *   derivative is 0 there and no gradient reaches its weights. Dead on *all* the training data,
 *   it never comes back. {@linkcode deadUnits} can only count the units dead on the samples it is
 *   given (a batch, a probe sample): such a unit may still fire for some other training image,
 *   get a gradient from it and recover (notebook 11 watches this happen).
 * - The **update-to-weight ratio** ‖ΔW‖ / ‖W‖ of one step (‖·‖ the Frobenius norm, the square
 *   root of the sum of squares). Around 1e-3 per step is the usual healthy range: much smaller
 *   and the layer barely learns, much larger and each step rewrites a sizeable part of it.
 *
 * @module
 */

import type { Matrix } from "./matrix.ts";

/**
 * The units (rows of Z, units × m) whose pre-activation is ≤ 0 for every one of the m samples:
 * dead under ReLU for this batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const Z1 = Matrix.from([[-1, -2, 0], [-1, 3, -2], [0, 0, 0]]);
 * assert.equal(deadUnits(Z1), 2); // rows 0 and 2 never fire; row 1 does once
 * ```
 */
export function deadUnits(Z: Matrix): number {
  let dead = 0;
  for (let i = 0; i < Z.rows; i++) {
    let fires = false;
    for (let j = 0; j < Z.cols && !fires; j++) fires = Z.data[i * Z.cols + j] > 0;
    if (!fires) dead++;
  }
  return dead;
}

/**
 * ‖after − before‖ / ‖before‖: the size of one update relative to the weights it was applied to
 * (`before` and `after` of the same shape; copy the weights before the step).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const before = Matrix.from([[3, 4]], "f64"); // ‖W‖ = 5
 * const after = Matrix.from([[3.003, 3.996]], "f64"); // ΔW = (0.003, −0.004), ‖ΔW‖ = 0.005
 * assert.ok(Math.abs(updateRatio(before, after) - 1e-3) < 1e-12);
 * ```
 */
export function updateRatio(before: Matrix, after: Matrix): number {
  if (before.rows !== after.rows || before.cols !== after.cols) {
    throw new RangeError(
      `updateRatio: before is ${before.rows}×${before.cols}, after ${after.rows}×${after.cols}`,
    );
  }
  let update = 0, weights = 0;
  for (let k = 0; k < before.data.length; k++) {
    update += (after.data[k] - before.data[k]) ** 2;
    weights += before.data[k] ** 2;
  }
  return Math.sqrt(update) / Math.sqrt(weights);
}
