/**
 * Notebook 3's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look.
 */

import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import {
  checkDeadUnits,
  checkFiveLayerFactor,
  checkNumericalDerivative,
} from "../notebooks/checks/03_activations.ts";

Deno.test("checkNumericalDerivative accepts the centred difference, rejects a one-sided one", () => {
  const h = 1e-5;
  assert.equal(checkNumericalDerivative(() => Number.NaN), "not answered yet");
  assert.equal(checkNumericalDerivative((g, z) => (g(z + h) - g(z - h)) / (2 * h)), "correct.");
  assert.throws(
    () => checkNumericalDerivative((g, z) => (g(z + h) - g(z)) / h),
    /Use the centred difference/,
  );
});

Deno.test("checkDeadUnits accepts rows ≤ 0 everywhere, rejects z < 0 and counting columns", () => {
  const count = (dead: (z: number) => boolean) => (Z1: Matrix) => {
    let n = 0;
    for (let i = 0; i < Z1.rows; i++) if (Z1.row(i).every(dead)) n += 1;
    return n;
  };
  assert.equal(checkDeadUnits(() => Number.NaN), "not answered yet");
  assert.equal(checkDeadUnits(count((z) => z <= 0)), "correct.");
  assert.throws(() => checkDeadUnits(count((z) => z < 0)), /a 0 counts as off: ReLU′\(0\) = 0/);
  const columns = (Z1: Matrix) => {
    let n = 0;
    for (let j = 0; j < Z1.cols; j++) {
      if (Array.from({ length: Z1.rows }, (_, i) => Z1.get(i, j)).every((z) => z <= 0)) n += 1;
    }
    return n;
  };
  assert.throws(() => checkDeadUnits(columns), /A unit is a row of Z1/);
});

Deno.test("checkFiveLayerFactor accepts 0.25⁵ and a hand 0.001, rejects 0.25·5 and 4⁵", () => {
  assert.equal(checkFiveLayerFactor(undefined), "not answered yet");
  assert.equal(checkFiveLayerFactor(0.25 ** 5), "correct.");
  assert.equal(checkFiveLayerFactor(0.001), "correct.");
  assert.throws(() => checkFiveLayerFactor(0.25 * 5), /a power, not a product with 5/);
  assert.throws(() => checkFiveLayerFactor(4 ** 5), /the factor is below 1/);
  assert.throws(() => checkFiveLayerFactor(0.25), /once per layer, 5 times/);
});
