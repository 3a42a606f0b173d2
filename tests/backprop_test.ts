import assert from "node:assert/strict";
import { backwardPropagation, backwardToInputs } from "../lib/backprop.ts";
import { compareGradients, gradientCheck } from "../lib/gradient_check.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { forwardPropagation, initNetwork } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { SparseColumns } from "../lib/sparse.ts";
import { assertAllClose } from "./assert.ts";

function randomInputs(rows: number, cols: number, seed: number, precision: "f32" | "f64"): Matrix {
  const random = new Random(seed);
  const X = Matrix.zeros(rows, cols, precision);
  // Like images: mostly zeros, the rest in (0, 1].
  for (let i = 0; i < X.data.length; i++) {
    X.data[i] = random.uniform() < 0.6 ? 0 : 1 - random.uniform();
  }
  return X;
}

for (const activation of ["relu", "sigmoid"] as const) {
  Deno.test(`backprop matches numerical gradients within 1e-6 (${activation})`, () => {
    const network = initNetwork({
      inputs: 12,
      hidden: 7,
      outputs: 4,
      activation,
      seed: 3,
      precision: "f64",
    });
    // Non-zero biases so that their gradients are exercised in a generic position.
    network.b1.data.forEach((_, i) => network.b1.data[i] = 0.1 * (i - 3));
    const X = randomInputs(12, 6, 4, "f64");
    const results = gradientCheck(network, X, oneHot([0, 3, 1, 2, 3, 0], 4, "f64"));
    assert.deepEqual(results.map((r) => r.parameter), ["W1", "b1", "W2", "b2"]);
    for (const { parameter, relativeError } of results) {
      assert.ok(relativeError < 1e-6, `${parameter}: relative error ${relativeError}`);
    }
  });
}

Deno.test("the gradient check flags the classic bias bug, np.sum(dZ) / m", () => {
  const network = initNetwork({ inputs: 5, hidden: 4, outputs: 3, seed: 1, precision: "f64" });
  const X = randomInputs(5, 3, 2, "f64");
  const Y = oneHot([0, 1, 2], 3, "f64");
  const buggyBackward: typeof backwardPropagation = (net, cache, labels) => {
    const gradients = backwardPropagation(net, cache, labels);
    // The bug: every unit gets the sum of the whole matrix instead of its own row.
    const total = Array.from(gradients.db1.data).reduce((a, b) => a + b);
    gradients.db1.data.fill(total);
    return gradients;
  };
  const results = gradientCheck(network, X, Y, { backward: buggyBackward });
  const errorOf = (name: string) => results.find((r) => r.parameter === name)!.relativeError;
  assert.ok(errorOf("b1") > 0.01, `b1: ${errorOf("b1")}`);
  assert.ok(errorOf("W1") < 1e-6);
});

Deno.test("bias gradients are per-unit means of dZ, not one number for the whole matrix", () => {
  const network = initNetwork({ inputs: 3, hidden: 4, outputs: 3, seed: 7, precision: "f64" });
  const X = randomInputs(3, 5, 8, "f64");
  const Y = oneHot([0, 1, 2, 1, 0], 3, "f64");
  const cache = forwardPropagation(network, X);
  const { db2 } = backwardPropagation(network, cache, Y);
  // db2[i] = (1/m) Σⱼ (A2[i,j] − Y[i,j]), written out by hand for each unit.
  const expected = [0, 1, 2].map((i) => {
    let sum = 0;
    for (let j = 0; j < 5; j++) sum += cache.A2.get(i, j) - Y.get(i, j);
    return sum / 5;
  });
  assert.deepEqual(db2.shape, [3, 1]);
  assertAllClose(db2.data, expected, { absolute: 1e-15 });
  // The classic bug, np.sum(dZ2) / m, gives one number; with softmax it is always 0 because every
  // column of A2 − Y sums to 0, so the units would never learn their bias at all.
  const buggy = expected.reduce((a, b) => a + b);
  assert.ok(Math.abs(buggy) < 1e-15);
  assert.ok(expected.some((value) => Math.abs(value) > 1e-3));
});

Deno.test("backprop with sparse inputs gives the same gradients as with dense inputs", () => {
  const network = initNetwork({ inputs: 30, hidden: 8, outputs: 10, seed: 2 });
  const X = randomInputs(30, 9, 5, "f32");
  const Y = oneHot([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const dense = backwardPropagation(network, forwardPropagation(network, X), Y);
  const sparseX = SparseColumns.fromDense(X);
  const sparse = backwardPropagation(network, forwardPropagation(network, sparseX), Y);
  for (const name of ["dW1", "db1", "dW2", "db2"] as const) {
    assertAllClose(sparse[name].data, dense[name].data, { absolute: 1e-6, message: name });
  }
});

Deno.test("backwardToInputs: the same gradients, and dX matches centred differences in X", () => {
  const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 2, precision: "f64" });
  const X = randomInputs(6, 4, 3, "f64");
  const Y = oneHot([2, 0, 1, 2], 3, "f64");
  const cache = forwardPropagation(network, X);
  const { gradients, dX } = backwardToInputs(network, cache, Y);
  const reference = backwardPropagation(network, cache, Y);
  for (const name of ["dW1", "db1", "dW2", "db2"] as const) {
    assert.deepEqual(gradients[name].data, reference[name].data, name);
  }
  // dX is per sample: the loss is a mean over 4 samples, so ∂L/∂X = dX / 4.
  const [result] = compareGradients(
    () => crossEntropyLoss(forwardPropagation(network, X).A2, Y),
    [{ name: "X", values: X.data, gradient: dX.data.map((g) => g / 4) }],
  );
  assert.ok(result.relativeError < 1e-6, `relative error ${result.relativeError}`);
});
