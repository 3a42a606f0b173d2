import assert from "node:assert/strict";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkAccuracyFromCounts,
  checkCosineSchedule,
  checkMostConfused,
} from "../notebooks/checks/08_classifier.ts";

Deno.test("checkMostConfused: the most frequent (label, prediction) pair, ties, and a swap", () => {
  // Mistakes: 7→2 twice, 2→7 once, 9→4 twice; the rest right.
  const labels = [7, 7, 2, 9, 9, 1, 0];
  const predicted = [2, 2, 7, 4, 4, 1, 0];
  assert.equal(checkMostConfused([7, 2], predicted, labels), "correct.");
  assert.equal(checkMostConfused([9, 4], predicted, labels), "correct."); // a tie: either
  assert.equal(checkMostConfused(undefined, predicted, labels), NOT_ANSWERED);
  assert.throws(
    () => checkMostConfused([2, 7], predicted, labels),
    /\[2,7\] happens 1 times, but another mistake happens 2 times\. Rows are the true digit/,
  );
});

Deno.test("checkAccuracyFromCounts: diagonal over total, the placeholder, and the mean recall", () => {
  const accuracyFromCounts = (c: number[][]) =>
    c.reduce((sum, row, i) => sum + row[i], 0) / c.flat().reduce((a, b) => a + b, 0);
  const counts = [[50, 2], [7, 41]];
  assert.equal(checkAccuracyFromCounts(accuracyFromCounts, counts, 0.91), "correct.");
  assert.equal(checkAccuracyFromCounts(() => undefined, counts, 0.91), NOT_ANSWERED);
  // Mean of per-class recalls instead of the accuracy: 7/9 becomes (3/4 + 1 + 2/3) / 3.
  const meanRecall = (c: number[][]) =>
    c.reduce((sum, row, i) => sum + row[i] / row.reduce((a, b) => a + b, 0), 0) / c.length;
  assert.throws(
    () => checkAccuracyFromCounts(meanRecall, counts, 0.91),
    /you return 0\.80\d+, expected 7\/9: the diagonal \(3 \+ 2 \+ 2 right answers\) divided by/,
  );
  assert.throws(
    () => checkAccuracyFromCounts(accuracyFromCounts, counts, 0.9),
    /on the test set you return 0\.91, evaluate says 0\.9/,
  );
});

Deno.test("checkCosineSchedule accepts η₀·½(1 + cos(πe/E)) and rejects E − 1 and a missing ½", () => {
  const right = (h: number, e: number, E: number) => h * 0.5 * (1 + Math.cos(Math.PI * e / E));
  assert.equal(checkCosineSchedule(right), "correct.");
  assert.equal(checkCosineSchedule(() => undefined), NOT_ANSWERED);
  // Reaching 0 in the last epoch: every epoch after the first is off, so epoch 1 fails first.
  const toZero = (h: number, e: number, E: number) =>
    h * 0.5 * (1 + Math.cos(Math.PI * e / (E - 1)));
  assert.throws(
    () => checkCosineSchedule(toZero),
    /epoch 1 of 15 from η₀ = 0\.1: you return 0\.0987\d*, the cosine schedule gives 0\.0989\d*/,
  );
  // Right except at the very end (a special case for the last epoch): the message says why.
  const lastZero = (h: number, e: number, E: number) => e === E - 1 ? 0 : right(h, e, E);
  assert.throws(() => checkCosineSchedule(lastZero), /The last epoch still learns a little.*E − 1/);
  const noHalf = (h: number, e: number, E: number) => h * (1 + Math.cos(Math.PI * e / E));
  assert.throws(
    () => checkCosineSchedule(noHalf),
    /epoch 0 of 15 from η₀ = 0\.1: you return 0\.2,/,
  );
});
