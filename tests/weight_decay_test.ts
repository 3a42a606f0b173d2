import assert from "node:assert/strict";
import { gradientDescent, momentum } from "../lib/optimizers.ts";
import { withWeightDecay } from "../lib/weight_decay.ts";
import { assertClose } from "./assert.ts";
import { scalarGradients, scalarNetwork } from "./scalar_network.ts";

Deno.test("weight decay with momentum, three steps by hand; biases are not decayed", () => {
  const network = scalarNetwork(1);
  const optimizer = withWeightDecay(momentum({ learningRate: 0.1, momentum: 0.9 }), 0.5);
  for (let step = 0; step < 3; step++) optimizer.step(network, scalarGradients(1));
  // W ← W·(1 − 0.1·0.5) = 0.95·W, then v ← 0.9·v + 1, W ← W − 0.1·v:
  // step 1: 0.95 − 0.1 = 0.85 (v 1); step 2: 0.8075 − 0.19 = 0.6175 (v 1.9);
  // step 3: 0.586625 − 0.271 = 0.315625 (v 2.71).
  assertClose(network.W1.get(0, 0), 0.315625, { absolute: 1e-12 });
  assertClose(network.W2.get(0, 0), 0.315625, { absolute: 1e-12 });
  // Biases: momentum alone, 1 − 0.1 − 0.19 − 0.271 = 0.439.
  assertClose(network.b1.get(0, 0), 0.439, { absolute: 1e-12 });
  assertClose(network.b2.get(0, 0), 0.439, { absolute: 1e-12 });
});

Deno.test("with plain SGD, decoupled decay equals the gradient of (λ/2)·W² added to dW", () => {
  const decayed = scalarNetwork(2), coupled = scalarNetwork(2);
  const optimizer = withWeightDecay(gradientDescent({ learningRate: 0.05 }), 0.3);
  const plain = gradientDescent({ learningRate: 0.05 });
  for (let step = 0; step < 4; step++) {
    optimizer.step(decayed, scalarGradients(0.7));
    const W = coupled.W1.get(0, 0);
    const gradients = scalarGradients(0.7);
    gradients.dW1.data[0] += 0.3 * W;
    gradients.dW2.data[0] += 0.3 * W;
    plain.step(coupled, gradients);
  }
  assertClose(decayed.W1.get(0, 0), coupled.W1.get(0, 0), { absolute: 1e-12 });
  assertClose(decayed.W2.get(0, 0), coupled.W2.get(0, 0), { absolute: 1e-12 });
});

Deno.test("the wrapper shares the learning rate with its optimizer (schedules change it)", () => {
  const inner = momentum({ learningRate: 0.1 });
  const optimizer = withWeightDecay(inner, 1e-4);
  optimizer.learningRate = 0.02;
  assert.equal(inner.learningRate, 0.02);
  assert.equal(optimizer.name, "momentum");
  assert.ok(!("velocity" in optimizer), "no velocity: the fast kernels must call step()");
  assert.throws(() => withWeightDecay(inner, -1), RangeError);
});
