import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { forwardPropagation, initNetwork, linear, predictions } from "../lib/network.ts";
import { SparseColumns } from "../lib/sparse.ts";
import { assertAllClose, assertClose } from "./assert.ts";

function meanAndVariance(values: ArrayLike<number>): [number, number] {
  let sum = 0, sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    sumSquares += values[i] ** 2;
  }
  const mean = sum / values.length;
  return [mean, sumSquares / values.length - mean ** 2];
}

Deno.test("initNetwork gives the shapes of a 784-128-10 network", () => {
  const { W1, b1, W2, b2 } = initNetwork({ seed: 1 });
  assert.deepEqual([W1.shape, b1.shape, W2.shape, b2.shape], [[128, 784], [128, 1], [10, 128], [
    10,
    1,
  ]]);
});

Deno.test("He init has variance 2/fan_in; Xavier 2/(fan_in + fan_out); biases start at 0", () => {
  const he = initNetwork({ seed: 1, activation: "relu" });
  const [heMean, heVariance] = meanAndVariance(he.W1.data);
  assertClose(heMean, 0, { absolute: 0.001 });
  assertClose(heVariance, 2 / 784, { absolute: 0, relative: 0.02 });
  assert.ok(he.b1.data.every((b) => b === 0));
  const xavier = initNetwork({ seed: 1, activation: "sigmoid" });
  assertClose(meanAndVariance(xavier.W1.data)[1], 2 / (784 + 128), { absolute: 0, relative: 0.02 });
});

Deno.test("uniform init is the original script's rand() − 0.5: in [−0.5, 0.5), variance 1/12", () => {
  const { W1, b1 } = initNetwork({ seed: 1, initialization: "uniform" });
  assert.ok(W1.data.every((w) => w >= -0.5 && w < 0.5));
  assertClose(meanAndVariance(W1.data)[1], 1 / 12, { absolute: 0.002 });
  assert.ok(b1.data.some((b) => b !== 0));
});

Deno.test("the same seed gives bit-identical weights, another seed different ones", () => {
  assert.deepEqual(initNetwork({ seed: 5 }).W1.data, initNetwork({ seed: 5 }).W1.data);
  assert.notDeepEqual(initNetwork({ seed: 5 }).W1.data, initNetwork({ seed: 6 }).W1.data);
});

Deno.test("a tiny forward pass matches the numbers worked out by hand", () => {
  // One sample x = (1, 2); W1 = [[1, -1], [0.5, 0.5]], b1 = (0, 1): Z1 = (−1, 2.5), ReLU → A1 = (0, 2.5).
  // W2 = [[1, 0], [0, 1]], b2 = (0, 0): Z2 = (0, 2.5); softmax → (1, e^2.5) / (1 + e^2.5).
  const network = {
    activation: "relu" as const,
    W1: Matrix.from([[1, -1], [0.5, 0.5]], "f64"),
    b1: Matrix.from([[0], [1]], "f64"),
    W2: Matrix.from([[1, 0], [0, 1]], "f64"),
    b2: Matrix.from([[0], [0]], "f64"),
  };
  const { Z1, A1, Z2, A2 } = forwardPropagation(network, Matrix.from([[1], [2]], "f64"));
  assert.deepEqual(Z1.toArray(), [[-1], [2.5]]);
  assert.deepEqual(A1.toArray(), [[0], [2.5]]);
  assert.deepEqual(Z2.toArray(), [[0], [2.5]]);
  const e = Math.exp(2.5);
  assertAllClose(A2.data, [1 / (1 + e), e / (1 + e)], { absolute: 1e-15 });
});

Deno.test("linear accepts sparse inputs and gives the dense result", () => {
  const W = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const X = Matrix.from([[0, 1], [0, 0], [2, 0]]);
  const b = Matrix.from([[1], [-1]]);
  assert.deepEqual(linear(W, SparseColumns.fromDense(X), b).toArray(), linear(W, X, b).toArray());
  assert.deepEqual(linear(W, X, b).toArray(), [[7, 2], [11, 3]]);
});

Deno.test("forwardPropagation rejects inputs of the wrong size", () => {
  assert.throws(
    () => forwardPropagation(initNetwork({ seed: 1 }), new Matrix(783, 2)),
    { message: "forwardPropagation: X has 783 rows, the network expects 784 inputs" },
  );
});

Deno.test("predictions picks the most probable class of each column", () => {
  assert.deepEqual(Array.from(predictions(Matrix.from([[0.1, 0.6], [0.7, 0.3], [0.2, 0.1]]))), [
    1,
    0,
  ]);
});
