import assert from "node:assert/strict";
import { PIXELS } from "../lib/data/dataset.ts";
import { evaluate } from "../lib/evaluate.ts";
import { initNetwork } from "../lib/network.ts";
import { gradientDescent, momentum } from "../lib/optimizers.ts";
import {
  evaluateSoftmaxRegression,
  initSoftmaxRegression,
  trainSoftmaxRegression,
} from "../lib/softmax_regression.ts";
import { train } from "../lib/train.ts";
import { assertAllClose } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

/** Images with the given (pixel, byte) pairs lit, one list per image. */
function images(lit: [number, number][][], labels: number[]) {
  const bytes = new Uint8Array(lit.length * PIXELS);
  lit.forEach((pixels, n) => pixels.forEach(([p, v]) => bytes[n * PIXELS + p] = v));
  return { images: bytes, labels: Uint8Array.from(labels), count: lit.length, source: "hand-made" };
}

Deno.test("one full-batch step from zero: W = −η·(1/m)·(A − Y)·Xᵀ with A = 1/10, by hand", () => {
  // Image 0 (label 3): pixel 5 at 255 (x = 1). Image 1 (label 7): pixel 5 at 51 (x = 0.2), pixel 9 at 255.
  const dataset = images([[[5, 255]], [[5, 51], [9, 255]]], [3, 7]);
  const model = initSoftmaxRegression();
  const eta = 0.5;
  trainSoftmaxRegression(model, dataset, {
    epochs: 1,
    batchSize: 2,
    optimizer: gradientDescent({ learningRate: eta }),
    seed: 1,
  });
  // dW[c, p] = ½ Σⱼ (0.1 − Y[c, j])·x[p, j]; every class starts at probability 0.1.
  const dW = (c: number, p: number) => {
    const x = p === 5 ? [1, 0.2] : p === 9 ? [0, 1] : [0, 0];
    return 0.5 * ((0.1 - (c === 3 ? 1 : 0)) * x[0] + (0.1 - (c === 7 ? 1 : 0)) * x[1]);
  };
  for (const c of [0, 3, 7]) {
    for (const p of [0, 5, 9]) {
      assert.ok(Math.abs(model.W.get(c, p) - -eta * dW(c, p)) < 1e-6, `W[${c}, ${p}]`);
    }
    // db[c] = ½ Σⱼ (0.1 − Y[c, j]).
    const db = 0.5 * (0.2 - (c === 3 ? 1 : 0) - (c === 7 ? 1 : 0));
    assert.ok(Math.abs(model.b.get(c, 0) - -eta * db) < 1e-6, `b[${c}]`);
  }
});

Deno.test("XOR: no better than ln 2 without a hidden layer, learned with 16 hidden units", async () => {
  // Label 1 when exactly one of pixels 0 and 1 is lit: no line separates the classes, and the
  // best a linear model can do is probability ½ for both labels everywhere (loss ln 2).
  const xor = images([[], [[0, 255]], [[1, 255]], [[0, 255], [1, 255]]], [0, 1, 1, 0]);
  const model = initSoftmaxRegression();
  trainSoftmaxRegression(model, xor, {
    epochs: 500,
    batchSize: 4,
    optimizer: momentum({ learningRate: 0.5 }),
    seed: 1,
  });
  const linear = evaluateSoftmaxRegression(model, xor);
  assert.ok(linear.loss! > Math.log(2) - 1e-4, `loss ${linear.loss}`);
  const network = initNetwork({ hidden: 16, seed: 1 });
  await train(network, xor, {
    epochs: 500,
    batchSize: 4,
    optimizer: momentum({ learningRate: 0.1 }),
    seed: 1,
    kernels: "reference",
  });
  const hidden = evaluate(network, xor, { kernels: "reference" });
  assert.equal(hidden.accuracy, 1);
  assert.ok(hidden.loss! < 0.1, `loss ${hidden.loss}`);
});

Deno.test("training learns the synthetic digits, is seed-reproducible, and its history is evaluate's", () => {
  const trainSet = syntheticDigits(300, 31), validation = syntheticDigits(100, 32);
  const run = () => {
    const model = initSoftmaxRegression();
    const optimizer = momentum({ learningRate: 0.1 });
    const history = trainSoftmaxRegression(model, trainSet, {
      epochs: 3,
      batchSize: 32,
      optimizer,
      seed: 4,
      validation,
      schedule: "cosine",
    });
    assert.equal(optimizer.learningRate, 0.1, "the start rate is restored");
    return { model, history };
  };
  const a = run(), b = run();
  assert.deepEqual(a.model.W.data, b.model.W.data);
  assert.equal(a.history.length, 3);
  assert.ok(a.history[2].validationAccuracy! >= 0.9, `${a.history[2].validationAccuracy}`);
  const evaluation = evaluateSoftmaxRegression(a.model, validation);
  assert.equal(evaluation.accuracy, a.history[2].validationAccuracy);
  assertAllClose([evaluation.loss!], [a.history[2].validationLoss!], { absolute: 1e-12 });
  assert.throws(
    () =>
      trainSoftmaxRegression(initSoftmaxRegression(), { ...trainSet, labels: undefined }, {
        epochs: 1,
        batchSize: 8,
        optimizer: momentum({ learningRate: 0.1 }),
        seed: 1,
      }),
    /has no labels/,
  );
});
