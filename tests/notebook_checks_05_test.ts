/**
 * Notebook 5's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look.
 */

import assert from "node:assert/strict";
import { LOG_EPSILON } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { checkCrossEntropy, checkMixedLoss } from "../notebooks/checks/05_cross_entropy.ts";

Deno.test("checkMixedLoss accepts 2.355 to 3 decimals and rejects ln 10 and the mean of p", () => {
  assert.equal(checkMixedLoss(undefined), "not answered yet");
  assert.equal(checkMixedLoss((-Math.log(0.9) - Math.log(0.01)) / 2), "correct.");
  assert.equal(checkMixedLoss(2.355), "correct.");
  assert.equal(checkMixedLoss(2.36), "correct.");
  assert.throws(() => checkMixedLoss(2.303), /average −ln 0\.9 and −ln 0\.01/);
  assert.throws(() => checkMixedLoss(-Math.log((0.9 + 0.01) / 2)), /Each image costs −ln p/);
});

Deno.test("checkCrossEntropy accepts the clamped mean, names a missing clamp, sum or log base", () => {
  const loss = (clamp: boolean, mean: boolean, log = Math.log) => (A2: Matrix, Y: Matrix) => {
    let total = 0;
    for (let k = 0; k < A2.data.length; k++) {
      if (Y.data[k] === 1) total -= log(clamp ? Math.max(A2.data[k], LOG_EPSILON) : A2.data[k]);
    }
    return mean ? total / A2.cols : total;
  };
  assert.equal(checkCrossEntropy(() => Number.NaN), "not answered yet");
  assert.equal(checkCrossEntropy(loss(true, true)), "correct.");
  assert.throws(
    () => checkCrossEntropy(loss(false, true)),
    /probability 0 returned Infinity.*Clamp with Math\.max\(p, LOG_EPSILON\)/,
  );
  assert.throws(() => checkCrossEntropy(loss(true, false)), /divide by m = A2\.cols/);
  assert.throws(() => checkCrossEntropy(loss(true, true, Math.log10)), /natural log/);
});
