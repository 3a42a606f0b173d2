import assert from "node:assert/strict";
import { backwardPropagation } from "../lib/backprop.ts";
import { deepBackward, deepForward, initDeepNetwork } from "../lib/deep_network.ts";
import { compareGradients } from "../lib/gradient_check.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { forwardPropagation, type Network } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { assertAllClose } from "./assert.ts";

function randomInputs(rows: number, cols: number, seed: number): Matrix {
  const random = new Random(seed);
  const X = Matrix.zeros(rows, cols, "f64");
  for (let i = 0; i < X.data.length; i++) X.data[i] = random.uniform();
  return X;
}

for (const sizes of [[6, 5, 4, 3], [7, 6, 5, 4, 3], [5, 3]]) {
  Deno.test(`${sizes.join("-")}: backpropagation agrees with centred differences (Float64)`, () => {
    for (const activation of ["relu", "sigmoid"] as const) {
      const network = initDeepNetwork({ sizes, activation, seed: 2, precision: "f64" });
      // Non-zero biases, so that their gradients are tested away from the start.
      network.b.forEach((b, l) => b.data.forEach((_, i) => b.data[i] = 0.1 * (i - l)));
      const X = randomInputs(sizes[0], 4, 3);
      const Y = oneHot([0, 2, 1, 2], sizes.at(-1)!, "f64");
      const loss = () => crossEntropyLoss(deepForward(network, X).A.at(-1)!, Y);
      const { dW, db } = deepBackward(network, deepForward(network, X), Y);
      network.W.forEach((W, l) => {
        for (
          const [name, parameter, gradient] of [[`W${l + 1}`, W, dW[l]], [
            `b${l + 1}`,
            network.b[l],
            db[l],
          ]] as const
        ) {
          assert.deepEqual(gradient.shape, parameter.shape);
          const [result] = compareGradients(loss, [
            { name, values: parameter.data, gradient: gradient.data },
          ]);
          assert.ok(result.relativeError < 1e-6, `${activation} ${name}: ${result.relativeError}`);
        }
      });
    }
  });
}

Deno.test("with two layers the L-layer network is the course's network", () => {
  const deep = initDeepNetwork({ sizes: [6, 5, 3], seed: 4, precision: "f64" });
  const network: Network = {
    activation: "relu",
    W1: deep.W[0],
    b1: deep.b[0],
    W2: deep.W[1],
    b2: deep.b[1],
  };
  const X = randomInputs(6, 3, 5), Y = oneHot([1, 0, 2], 3, "f64");
  const cache = deepForward(deep, X);
  assertAllClose(cache.A[1].data, forwardPropagation(network, X).A2.data, { absolute: 1e-15 });
  const deepGradients = deepBackward(deep, cache, Y);
  const gradients = backwardPropagation(network, forwardPropagation(network, X), Y);
  assertAllClose(deepGradients.dW[0].data, gradients.dW1.data, { absolute: 1e-15 });
  assertAllClose(deepGradients.db[1].data, gradients.db2.data, { absolute: 1e-15 });
});

Deno.test("initDeepNetwork: shapes and He variance 2/fan_in", () => {
  const network = initDeepNetwork({ sizes: [784, 256, 128, 10], seed: 1 });
  assert.deepEqual(network.W.map((W) => W.shape), [[256, 784], [128, 256], [10, 128]]);
  assert.deepEqual(network.b.map((b) => b.shape), [[256, 1], [128, 1], [10, 1]]);
  const W = network.W[0].data;
  let sumOfSquares = 0;
  for (const w of W) sumOfSquares += w * w;
  const variance = sumOfSquares / W.length;
  // 200,704 draws: the variance estimate is within 1 % of 2/784 with overwhelming probability.
  assert.ok(Math.abs(variance / (2 / 784) - 1) < 0.01, `${variance}`);
  assert.throws(() => initDeepNetwork({ sizes: [784] }), RangeError);
});
