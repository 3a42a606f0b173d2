import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkBatchNormalise,
  checkHeStd,
  checkUpdateRatio,
} from "../notebooks/checks/11_initialisation.ts";

Deno.test("checkHeStd accepts √(2/n) and explains the variance and LeCun's √(1/n)", () => {
  assert.equal(checkHeStd((n) => Math.sqrt(2 / n)), "correct.");
  assert.equal(checkHeStd(() => undefined), NOT_ANSWERED);
  assert.throws(
    () => checkHeStd((n) => 2 / n),
    /heStd\(784\) is 0\.00255.*He's variance 2\/fan_in/,
  );
  assert.throws(() => checkHeStd((n) => Math.sqrt(1 / n)), /standard deviation of 0\.050\d.*LeCun/);
  // Right for MNIST's 784 inputs only (hard-coded): the 128-input layer gives it away.
  assert.throws(() => checkHeStd(() => Math.sqrt(2 / 784)), /heStd\(128\) is 0\.0505/);
  // Within the 3 % of the measured spread but not the formula.
  assert.throws(() => checkHeStd((n) => 1.01 * Math.sqrt(2 / n)), /close, but expected exactly/);
});

/** The right X̂, written differently from the solution (whole rows at a time). */
function normaliseRows(Z: Matrix, epsilon: number, divisor = (m: number) => m): Matrix {
  const rows = Z.toArray().map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / divisor(row.length);
    return row.map((v) => (v - mean) / Math.sqrt(variance + epsilon));
  });
  return Matrix.from(rows, "f64");
}

Deno.test("checkBatchNormalise accepts X̂ per row and names the usual slips", () => {
  assert.equal(checkBatchNormalise((Z, e) => normaliseRows(Z, e)), "correct.");
  assert.equal(checkBatchNormalise(() => undefined), NOT_ANSWERED);
  assert.throws(
    () => checkBatchNormalise((Z, e) => normaliseRows(Z, e, (m) => m - 1)),
    /σ² divides by m \(the batch\), not m − 1/,
  );
  assert.throws(
    () => checkBatchNormalise((Z) => normaliseRows(Z, 0)),
    /with ε = 0\.00001, .*Add ε to σ² inside the square root/,
  );
  const byColumns = (Z: Matrix, e: number) => {
    const T = Matrix.from(Z.toArray()[0].map((_, j) => Z.toArray().map((row) => row[j])), "f64");
    const N = normaliseRows(T, e);
    return Matrix.from(N.toArray()[0].map((_, j) => N.toArray().map((row) => row[j])), "f64");
  };
  assert.throws(() => checkBatchNormalise(byColumns), /normalise each row \(a unit\)/);
  assert.throws(() => checkBatchNormalise(() => Matrix.zeros(6, 4, "f64")), /a 6×4 matrix/);
});

Deno.test("checkUpdateRatio accepts ‖ΔW‖/‖W‖ and spots ‖after‖, squares and a missing division", () => {
  const norm = (values: ArrayLike<number>) =>
    Math.sqrt(Array.from(values).reduce((s, v) => s + v * v, 0));
  const delta = (before: Matrix, after: Matrix) =>
    Array.from(after.data, (v, k) => v - before.data[k]);
  assert.equal(
    checkUpdateRatio((before, after) => norm(delta(before, after)) / norm(before.data)),
    "correct.",
  );
  assert.equal(checkUpdateRatio(() => undefined), NOT_ANSWERED);
  assert.throws(
    () => checkUpdateRatio((before, after) => norm(delta(before, after)) / norm(after.data)),
    /weights before the step/,
  );
  assert.throws(
    () =>
      checkUpdateRatio((before, after) => (norm(delta(before, after)) / norm(before.data)) ** 2),
    /Take the square roots/,
  );
  assert.throws(
    () => checkUpdateRatio((before, after) => norm(delta(before, after))),
    /That is ‖ΔW‖ alone/,
  );
});
