import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { momentum } from "../lib/optimizers.ts";
import { relu, reluDerivative } from "../lib/activations.ts";
import { deadUnits, updateRatio } from "../lib/training_stats.ts";
import { assertClose } from "./assert.ts";

Deno.test("deadUnits counts the rows with no positive entry, the ones ReLU silences", () => {
  const Z = Matrix.from([[0.5, -1], [0, 0], [-3, -0.1], [-2, 1e-30]]);
  assert.equal(deadUnits(Z), 2);
  // A dead row is one where both relu and its derivative are 0 for every sample.
  const A = relu(Z).toArray(), dA = reluDerivative(Z).toArray();
  const silent = A.filter((row, i) => row.every((v) => v === 0) && dA[i].every((v) => v === 0));
  assert.equal(silent.length, 2);
  assert.equal(deadUnits(Matrix.zeros(3, 0)), 3); // no samples: nothing fires
});

Deno.test("updateRatio is ‖η·v‖ / ‖W‖ for a momentum step", () => {
  const W = Matrix.from([[1, -2], [2, 0.5]], "f64");
  const dW = Matrix.from([[0.1, 0.3], [-0.2, 0]], "f64");
  const optimizer = momentum({ learningRate: 0.01, momentum: 0.9 });
  const before = W.clone();
  optimizer.step({ W }, { dW }); // first step: v = dW, so ΔW = −η·dW
  const norm = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  const expected = 0.01 * norm([0.1, 0.3, -0.2, 0]) / norm([1, -2, 2, 0.5]);
  assertClose(updateRatio(before, W), expected, { relative: 1e-12 });
  assert.equal(updateRatio(before, before), 0);
  assert.throws(() => updateRatio(before, Matrix.zeros(1, 4, "f64")), /before is 2×2, after 1×4/);
});
