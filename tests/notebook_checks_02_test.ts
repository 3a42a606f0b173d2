/**
 * Notebook 2's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look.
 */

import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import {
  checkHiddenInput,
  checkParameterCount,
  checkShapeOfZ1,
} from "../notebooks/checks/02_forward.ts";

Deno.test("checkShapeOfZ1 accepts [128, 32] and rejects the shape of X", () => {
  assert.equal(checkShapeOfZ1(undefined), "not answered yet");
  assert.equal(checkShapeOfZ1([128, 32]), "correct.");
  assert.throws(() => checkShapeOfZ1([784, 32]), /keeps W1's rows and X's columns/);
  assert.throws(() => checkShapeOfZ1([32, 128]), /Z1 is not \[32, 128\]/);
});

Deno.test("checkHiddenInput accepts the sum and rejects a sum without bias or over columns", () => {
  const sum = (withBias: boolean) => (W1: Matrix, X: Matrix, b1: Matrix, i: number, j: number) => {
    let z = withBias ? b1.get(i, 0) : 0;
    for (let p = 0; p < W1.cols; p++) z += W1.get(i, p) * X.get(p, j);
    return z;
  };
  assert.equal(checkHiddenInput(() => Number.NaN), "not answered yet");
  assert.equal(checkHiddenInput(sum(true)), "correct.");
  assert.throws(() => checkHiddenInput(sum(false)), {
    message: "hiddenInput(W1, X, b1, 0, 0) for W1 of shape [2, 3] returned 5, expected 5.5. " +
      "Sum W1.get(i, p) * X.get(p, j) over p = 0 .. W1.cols - 1, then add b1.get(i, 0).",
  });
  // Indices swapped: W1[p, i]·X[j, p] happens to be defined on the 2 × 3 example's (0, 0) only.
  const transposed = (W1: Matrix, X: Matrix, b1: Matrix, i: number, j: number) =>
    W1.get(j, i) * X.get(i, j) + b1.get(i, 0);
  assert.throws(() => checkHiddenInput(transposed), /then add b1\.get\(i, 0\)/);
});

Deno.test("checkParameterCount accepts 101,770 and rejects the weights alone", () => {
  assert.equal(checkParameterCount(undefined), "not answered yet");
  assert.equal(checkParameterCount(128 * 784 + 128 + 10 * 128 + 10), "correct.");
  assert.throws(() => checkParameterCount(128 * 784 + 10 * 128), /b1 \(128 × 1\)/);
});
