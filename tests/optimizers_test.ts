import assert from "node:assert/strict";
import { CONV_PARAMETER_NAMES, type ConvNet, initConvNet } from "../lib/cnn/network.ts";
import {
  adam,
  createOptimizer,
  gradientDescent,
  type GradientsOf,
  momentum,
} from "../lib/optimizers.ts";
import { assertClose } from "./assert.ts";
import { scalarGradients, scalarNetwork } from "./scalar_network.ts";

Deno.test("gradient descent steps against the gradient: θ ← θ − η·dθ", () => {
  const network = scalarNetwork(1);
  gradientDescent({ learningRate: 0.1 }).step(network, scalarGradients(0.5));
  for (const name of ["W1", "b1", "W2", "b2"] as const) assert.equal(network[name].get(0, 0), 0.95);
});

Deno.test("momentum accumulates velocity: two steps by hand", () => {
  const network = scalarNetwork(1);
  const optimizer = momentum({ learningRate: 0.1, momentum: 0.9 });
  optimizer.step(network, scalarGradients(1)); // v = 1, θ = 1 − 0.1 = 0.9
  optimizer.step(network, scalarGradients(1)); // v = 0.9 + 1 = 1.9, θ = 0.9 − 0.19 = 0.71
  assertClose(network.W1.get(0, 0), 0.71, { absolute: 1e-12 });
});

Deno.test("Adam's first step is about η·sign(g), whatever the gradient's size", () => {
  for (const gradient of [1e-4, 3, -250]) {
    const network = scalarNetwork(0);
    adam({ learningRate: 0.01 }).step(network, scalarGradients(gradient));
    // m̂ = g and v̂ = g² after bias correction, so the step is η·g / (|g| + ε).
    assertClose(network.b2.get(0, 0), -0.01 * gradient / (Math.abs(gradient) + 1e-8), {
      absolute: 1e-12,
    });
  }
});

Deno.test("Adam's second step follows the bias-corrected moments", () => {
  const network = scalarNetwork(0);
  const optimizer = adam({ learningRate: 0.1 });
  optimizer.step(network, scalarGradients(1));
  optimizer.step(network, scalarGradients(3));
  // m = 0.9·0.1 + 0.1·3 = 0.39, v = 0.999·0.001 + 0.001·9 = 0.009999
  // m̂ = 0.39 / (1 − 0.81) , v̂ = 0.009999 / (1 − 0.998001)
  const mHat = 0.39 / 0.19, vHat = 0.009999 / (1 - 0.999 ** 2);
  const expected = -0.1 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
  assertClose(network.W2.get(0, 0), expected, { absolute: 1e-12 });
});

Deno.test("createOptimizer returns the optimizer named on the command line", () => {
  for (const name of ["gd", "sgd", "momentum", "adam"] as const) {
    assert.equal(createOptimizer(name, { learningRate: 0.1 }).name, name);
  }
});

Deno.test("an optimizer steps any model's parameters by their d-named gradients (a CNN's)", () => {
  const cnn = initConvNet({ channels1: 1, channels2: 1, hidden: 2, seed: 1 });
  const before = cnn.K2.data[3];
  const gradients = Object.fromEntries(
    CONV_PARAMETER_NAMES.map((name) => [`d${name}`, { data: cnn[name].data.map(() => 1) }]),
  ) as GradientsOf<ConvNet>;
  gradientDescent({ learningRate: 0.5 }).step(cnn, gradients);
  assert.equal(cnn.K2.data[3], Math.fround(before - 0.5));
  const { dW3: _, ...missing } = gradients;
  assert.throws(
    () => momentum({ learningRate: 0.1 }).step(cnn, missing as GradientsOf<ConvNet>),
    /no gradient dW3 of 50 values for parameter W3/,
  );
});
