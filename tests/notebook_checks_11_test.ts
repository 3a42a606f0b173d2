import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkBatchNormalise,
  checkBatchNormBackward,
  checkUpdateRatio,
} from "../notebooks/checks/11_initialisation.ts";

/** The right Ẑ, written differently from the solution (whole rows at a time). */
function normaliseRows(Z: Matrix, epsilon: number, divisor = (m: number) => m): Matrix {
  const rows = Z.toArray().map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / divisor(row.length);
    return row.map((v) => (v - mean) / Math.sqrt(variance + epsilon));
  });
  return Matrix.from(rows, "f64");
}

Deno.test("checkBatchNormalise accepts Ẑ per row and names the usual slips", () => {
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

/**
 * dL/dZ from dL/dẐ, written differently from the solution (whole rows, Ẑ from normaliseRows),
 * with the paths through μ and σ² optional: the slips a learner makes.
 */
function backwardRows(
  Z: Matrix,
  dZhat: Matrix,
  epsilon: number,
  { mean = true, variance = true } = {},
) {
  const Zhat = normaliseRows(Z, epsilon).toArray(), dZhatRows = dZhat.toArray();
  const rows = Z.toArray().map((row, i) => {
    const m = row.length, mu = row.reduce((a, b) => a + b, 0) / m;
    const std = Math.sqrt(row.reduce((a, b) => a + (b - mu) ** 2, 0) / m + epsilon);
    const sum = dZhatRows[i].reduce((a, b) => a + b, 0);
    const sumTimesZhat = dZhatRows[i].reduce((a, d, j) => a + d * Zhat[i][j], 0);
    return row.map((_, j) =>
      (dZhatRows[i][j] - (mean ? sum / m : 0) - (variance ? Zhat[i][j] * sumTimesZhat / m : 0)) /
      std
    );
  });
  return Matrix.from(rows, "f64");
}

Deno.test("checkBatchNormBackward accepts dZ through all three paths and names the missing one", () => {
  assert.equal(checkBatchNormBackward((Z, d, e) => backwardRows(Z, d, e)), "correct.");
  assert.equal(checkBatchNormBackward(() => undefined), NOT_ANSWERED);
  assert.throws(
    () =>
      checkBatchNormBackward((Z, d, e) => backwardRows(Z, d, e, { mean: false, variance: false })),
    /centred differences.*only the direct path dẐ\/√\(σ² \+ ε\)/,
  );
  assert.throws(
    () => checkBatchNormBackward((Z, d, e) => backwardRows(Z, d, e, { mean: false })),
    /path through μ is missing/,
  );
  assert.throws(
    () => checkBatchNormBackward((Z, d, e) => backwardRows(Z, d, e, { variance: false })),
    /path through σ² is missing/,
  );
  // dẐ itself (no division by the std): none of the named slips, so the general formula.
  assert.throws(() => checkBatchNormBackward((_, d) => d), /Per row i: dZᵢⱼ = /);
  assert.throws(() => checkBatchNormBackward(() => Matrix.zeros(6, 4, "f64")), /a 6×4 matrix/);
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
