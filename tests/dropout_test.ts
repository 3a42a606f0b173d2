import assert from "node:assert/strict";
import { backwardPropagation } from "../lib/backprop.ts";
import { dropoutMask } from "../lib/dropout.ts";
import { gradientCheck } from "../lib/gradient_check.ts";
import { oneHot } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { forwardPropagation, initNetwork } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { assertClose } from "./assert.ts";

Deno.test("a dropout mask holds 0 with probability p and 1/(1 − p) otherwise", () => {
  const D = dropoutMask(0.25, 200, 100, new Random(1));
  const zeros = D.data.filter((d) => d === 0).length;
  assert.ok(D.data.every((d) => d === 0 || Math.abs(d - 4 / 3) < 1e-6));
  // 20,000 draws: the fraction's standard deviation is √(0.25·0.75/20000) ≈ 0.003.
  assertClose(zeros / D.data.length, 0.25, { absolute: 0.012 });
  assert.deepEqual(dropoutMask(0.25, 5, 5, new Random(3)), dropoutMask(0.25, 5, 5, new Random(3)));
  assert.ok(dropoutMask(0, 4, 4, new Random(1)).data.every((d) => d === 1));
  assert.throws(() => dropoutMask(1, 2, 2, new Random(1)), RangeError);
});

Deno.test("dropout's expectation matches evaluation mode: the mean over masks of A1 is g(Z1)", () => {
  const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 2, precision: "f64" });
  const X = Matrix.from([[0.1, 0.5], [0.2, 0.9], [0, 1], [0.3, 0.3], [0.7, 0], [1, 0.4]], "f64");
  const evaluation = forwardPropagation(network, X);
  assert.equal(evaluation.D1, undefined, "no mask, nothing dropped, nothing scaled at evaluation");
  const random = new Random(4);
  const sum = new Float64Array(evaluation.A1.data.length);
  const masks = 20000;
  for (let k = 0; k < masks; k++) {
    const { A1 } = forwardPropagation(network, X, dropoutMask(0.5, 5, 2, random, "f64"));
    for (let i = 0; i < sum.length; i++) sum[i] += A1.data[i];
  }
  for (let i = 0; i < sum.length; i++) {
    // A1·D has standard deviation A1 for p = 0.5: the mean of 20,000 is within 4·A1/√20000.
    const expected = evaluation.A1.data[i];
    assertClose(sum[i] / masks, expected, { absolute: 4 * expected / Math.sqrt(masks) + 1e-12 });
  }
});

Deno.test("backpropagation through a fixed dropout mask passes the gradient check", () => {
  const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 1, precision: "f64" });
  const X = Matrix.from([[0.1, 0.5], [0.2, 0.9], [0, 1], [0.3, 0.3], [0.7, 0], [1, 0.4]], "f64");
  const D1 = dropoutMask(0.4, 5, 2, new Random(6), "f64");
  assert.ok(D1.data.some((d) => d === 0) && D1.data.some((d) => d > 0), "the mask drops some");
  for (const result of gradientCheck(network, X, oneHot([0, 2], 3, "f64"), { D1 })) {
    assert.ok(result.relativeError < 1e-7, `${result.parameter}: ${result.relativeError}`);
  }
  // A backward pass that forgets the mask fails the same check.
  const forgetful = gradientCheck(network, X, oneHot([0, 2], 3, "f64"), {
    D1,
    backward: (net, cache, Y) => backwardPropagation(net, { ...cache, D1: undefined }, Y),
  });
  assert.ok(forgetful.find((r) => r.parameter === "W1")!.relativeError > 1e-3);
  // A dropped unit passes no gradient to its incoming weights.
  const cache = forwardPropagation(network, X, D1);
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 2; j++) if (D1.get(i, j) === 0) assert.equal(cache.A1.get(i, j), 0);
  }
});
