import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import type { Network } from "../lib/network.ts";
import { checkGradientShapes, checkHandBackward } from "../notebooks/checks/06_backprop.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";

Deno.test("checkGradientShapes: right, placeholder, and dW1/dZ1 swapped or transposed", () => {
  assert.equal(checkGradientShapes([64, 784], [64, 32]), "correct.");
  assert.equal(checkGradientShapes(undefined, [64, 32]), NOT_ANSWERED);
  assert.throws(
    () => checkGradientShapes([784, 64], [64, 32]),
    /dW1 has the shape of W1.*\[784,64\]/,
  );
  assert.throws(() => checkGradientShapes([64, 784], [32, 64]), /one column per image.*\[32,64\]/);
});

// Notebook 6's 2-2-2 network, x = [1, 2]: Z1 = [1, −0.5], A1 = [1, 0], A2 = [0.6225, 0.3775].
const tiny: Network = {
  activation: "relu",
  W1: Matrix.from([[0.5, 0.25], [-1, 0.5]], "f64"),
  b1: Matrix.from([[0], [-0.5]], "f64"),
  W2: Matrix.from([[1, -1], [0.5, 1]], "f64"),
  b2: Matrix.from([[0], [0]], "f64"),
};
const x = Matrix.from([[1], [2]], "f64");
// Label 0, by hand: dZ2 = A2 − Y = [−0.3775, 0.3775]; dA1 = W2ᵀ·dZ2 = [−0.3775 + 0.5·0.3775,
// 0.3775 + 0.3775] = [−0.1887, 0.7550]; unit 1 is off: dZ1 = [−0.1887, 0]; dW1 = dZ1·xᵀ.
const byHand = { dZ2: [-0.3775, 0.3775], dZ1: [-0.1887, 0], dW1: [[-0.1887, -0.3775], [0, 0]] };

Deno.test("checkHandBackward accepts the hand answer to 3 decimals and the placeholder", () => {
  assert.equal(checkHandBackward(byHand, tiny, x, 0), "correct.");
  const rounded = { dZ2: [-0.378, 0.378], dZ1: [-0.189, 0], dW1: [[-0.189, -0.378], [0, 0]] };
  assert.equal(checkHandBackward(rounded, tiny, x, 0), "correct.");
  assert.equal(checkHandBackward(undefined, tiny, x, 0), NOT_ANSWERED);
});

Deno.test("checkHandBackward rejects Y − A2, a dZ1 without the ReLU gate, and dW1 = xᵀ·dZ1", () => {
  assert.throws(
    () => checkHandBackward({ ...byHand, dZ2: [0.3775, -0.3775] }, tiny, x, 0),
    /dZ2 = A2 − Y: A2 = \[0\.6225, 0\.3775\].*\[1\.0000, 0\.0000\]/,
  );
  assert.throws(
    () => checkHandBackward({ ...byHand, dZ1: [-0.1887, 0.755] }, tiny, x, 0),
    /0 wherever Z1 ≤ 0 \(Z1 = \[1\.0000, -0\.5000\]\)/,
  );
  assert.throws(
    () => checkHandBackward({ ...byHand, dW1: [[-0.1887, 0], [-0.3775, 0]] }, tiny, x, 0),
    /dW1 = dZ1·xᵀ \(m = 1\): dW1\[i\]\[k\] = dZ1\[i\]·x\[k\]/,
  );
});
