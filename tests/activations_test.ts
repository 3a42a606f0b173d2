import assert from "node:assert/strict";
import { relu, reluDerivative, sigmoid, sigmoidDerivative, sigmoidOf } from "../lib/activations.ts";
import { Matrix } from "../lib/matrix.ts";
import { assertAllClose, assertClose } from "./assert.ts";

Deno.test("ReLU keeps positives, zeroes the rest; its derivative is the step", () => {
  const Z = Matrix.from([[-3, -0.5, 0, 0.5, 3]]);
  assert.deepEqual(relu(Z).toArray(), [[0, 0, 0, 0.5, 3]]);
  assert.deepEqual(reluDerivative(Z).toArray(), [[0, 0, 0, 1, 1]]);
});

Deno.test("sigmoid matches 1/(1+e^-z) at moderate inputs", () => {
  for (const z of [-5, -1, 0, 0.5, 2, 7]) {
    assertClose(sigmoidOf(z), 1 / (1 + Math.exp(-z)), { absolute: 1e-15 });
  }
  assertAllClose(sigmoid(Matrix.from([[0, 2]])).toArray(), [[0.5, 0.8807970779778823]]);
});

Deno.test("sigmoid neither overflows nor returns NaN for |z| > 100", () => {
  const Z = Matrix.from([[-1000, -200, -101, 101, 200, 1000]], "f64");
  const A = sigmoid(Z);
  assert.ok(A.data.every(Number.isFinite));
  assert.equal(A.get(0, 0), 0);
  assertClose(A.get(0, 2), Math.exp(-101), { absolute: 0, relative: 1e-12 }); // σ(z) ≈ e^z for z ≪ 0
  assert.equal(A.get(0, 5), 1);
  assert.deepEqual(sigmoidDerivative(Z).toArray()[0].map((d) => d >= 0 && d < 1e-40), [
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
});

Deno.test("sigmoid's derivative matches a centred difference and peaks at 1/4", () => {
  const h = 1e-6;
  for (const z of [-4, -1, 0, 0.3, 2.5]) {
    const numerical = (sigmoidOf(z + h) - sigmoidOf(z - h)) / (2 * h);
    assertClose(sigmoidDerivative(Matrix.from([[z]], "f64")).get(0, 0), numerical, {
      absolute: 1e-9,
    });
  }
  assert.equal(sigmoidDerivative(Matrix.from([[0]])).get(0, 0), 0.25);
});
