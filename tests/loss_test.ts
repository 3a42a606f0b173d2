import assert from "node:assert/strict";
import { crossEntropyLoss, oneHot, softmaxCrossEntropyGradient } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { softmax } from "../lib/softmax.ts";
import { assertClose } from "./assert.ts";

Deno.test("oneHot puts a 1 in the label's row and always has 10 rows", () => {
  const Y = oneHot([3, 0]);
  assert.deepEqual(Y.shape, [10, 2]);
  assert.equal(Y.get(3, 0), 1);
  assert.equal(Y.get(0, 1), 1);
  assert.equal(Array.from(Y.data).reduce((a, b) => a + b), 2);
  assert.throws(() => oneHot([10]), { message: "label 0 is 10, expected an integer in 0..9" });
});

Deno.test("a uniform guess over 10 digits costs ln 10 ≈ 2.303", () => {
  const A2 = new Matrix(10, 4);
  A2.data.fill(0.1);
  assertClose(crossEntropyLoss(A2, oneHot([1, 5, 7, 9])), Math.log(10), { absolute: 1e-6 });
});

Deno.test("cross-entropy is the mean of −log(probability of the right class)", () => {
  const A2 = Matrix.from([[0.7, 0.2], [0.3, 0.8]], "f64");
  const Y = Matrix.from([[1, 1], [0, 0]], "f64");
  assertClose(crossEntropyLoss(A2, Y), -(Math.log(0.7) + Math.log(0.2)) / 2, { absolute: 1e-15 });
});

Deno.test("a zero probability for the right class gives a large finite loss, not Infinity", () => {
  const loss = crossEntropyLoss(Matrix.from([[0], [1]]), Matrix.from([[1], [0]]));
  assert.ok(Number.isFinite(loss));
  assertClose(loss, -Math.log(1e-12), { absolute: 1e-9 });
});

Deno.test("dZ2 = A2 − Y matches the numerical gradient of the loss with respect to Z2", () => {
  const Z2 = Matrix.from([[0.3, -1], [2, 0.5], [-0.7, 0.1]], "f64");
  const Y = oneHot([1, 2], 3, "f64");
  const m = 2;
  // A2 − Y is the gradient of the per-sample loss; the mean over m samples divides it by m.
  const dZ2 = softmaxCrossEntropyGradient(softmax(Z2), Y);
  const h = 1e-6;
  for (let i = 0; i < Z2.data.length; i++) {
    const plus = Z2.clone(), minus = Z2.clone();
    plus.data[i] += h;
    minus.data[i] -= h;
    const numerical = (crossEntropyLoss(softmax(plus), Y) - crossEntropyLoss(softmax(minus), Y)) /
      (2 * h);
    assertClose(dZ2.data[i] / m, numerical, { absolute: 1e-8 });
  }
});
