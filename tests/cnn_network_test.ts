import assert from "node:assert/strict";
import {
  CONV_PARAMETER_NAMES,
  convBackward,
  convForward,
  type ConvNet,
  flatten,
  imageBatch,
  initConvNet,
  unflatten,
} from "../lib/cnn/network.ts";
import { evaluateConvNet } from "../lib/cnn/evaluate.ts";
import { Tensor } from "../lib/cnn/tensor.ts";
import { compareGradients } from "../lib/gradient_check.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { predictions } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { assertClose } from "./assert.ts";
import { weightedSum } from "./cnn_helpers.ts";
import { syntheticDigits } from "./synthetic.ts";

Deno.test("initConvNet: LeNet shapes, He-scaled kernels, zero biases, repeatable by seed", () => {
  const cnn = initConvNet({ seed: 1 });
  const shapes = Object.fromEntries(CONV_PARAMETER_NAMES.map((name) => [name, cnn[name].shape]));
  assert.deepEqual(shapes, {
    K1: [8, 1, 5, 5],
    b1: [8],
    K2: [16, 8, 5, 5],
    b2: [16],
    W3: [128, 400], // 16 maps of 5×5 after the second pooling
    b3: [128, 1],
    W4: [10, 128],
    b4: [10, 1],
  });
  // K2 has 3,200 draws of N(0, 2/200): their standard deviation is 0.1 within a few percent.
  const std = Math.sqrt(weightedSum(cnn.K2, cnn.K2) / cnn.K2.size);
  assert.ok(Math.abs(std - 0.1) < 0.005, `std of K2 ${std}`);
  assert.ok(cnn.b1.data.every((b) => b === 0) && cnn.b2.data.every((b) => b === 0));
  assert.deepEqual(initConvNet({ seed: 1 }).K1.data, cnn.K1.data);
  assert.notDeepEqual(initConvNet({ seed: 2 }).K1.data, cnn.K1.data);
  // The dense layers are not a copy of the kernels' draws.
  assert.notEqual(cnn.W3.data[0], cnn.K1.data[0]);
  assert.throws(() => initConvNet({ channels1: 0 }), /channels1 must be a positive integer/);
});

Deno.test("convForward: each stage has the module doc's shape; probabilities sum to 1", () => {
  const cnn = initConvNet({ channels1: 3, channels2: 4, hidden: 6, seed: 2 });
  const X = imageBatch(syntheticDigits(5, 1), [0, 1, 2, 3, 4]);
  const cache = convForward(cnn, X);
  assert.deepEqual(cache.Z1.shape, [5, 3, 28, 28]);
  assert.deepEqual(cache.P1.shape, [5, 3, 14, 14]);
  assert.deepEqual(cache.Z2.shape, [5, 4, 10, 10]);
  assert.deepEqual(cache.P2.shape, [5, 4, 5, 5]);
  assert.deepEqual(cache.head.X.shape, [100, 5]);
  assert.deepEqual(cache.probabilities.shape, [10, 5]);
  for (let j = 0; j < 5; j++) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += cache.probabilities.get(i, j);
    assert.ok(Math.abs(sum - 1) < 1e-6, `column ${j} sums to ${sum}`);
  }
  assert.throws(() => convForward(cnn, Tensor.zeros([1, 1, 27, 28])), /must be m×1×28×28/);
});

Deno.test("imageBatch scales pixels to [0, 1] in row-major order", () => {
  const dataset = syntheticDigits(3, 4);
  const X = imageBatch(dataset, [2, 0]);
  assert.equal(X.get(0, 0, 9, 7), Math.fround(dataset.images[2 * 784 + 9 * 28 + 7] / 255));
  assert.equal(X.get(1, 0, 27, 27), Math.fround(dataset.images[27 * 28 + 27] / 255));
  assert.throws(() => imageBatch(dataset, [3]), /outside synthetic digits/);
});

Deno.test("flatten puts image n in column n in PyTorch's order, and unflatten undoes it", () => {
  // P[n, c, y, x] = 1000n + 100c + 10y + x, 2 images of 2 maps of 2×2.
  const P = Tensor.zeros([2, 2, 2, 2]);
  for (let n = 0; n < 2; n++) {
    for (let c = 0; c < 2; c++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 2; x++) P.data[P.offset(n, c, y, x)] = 1000 * n + 100 * c + 10 * y + x;
      }
    }
  }
  const F = flatten(P);
  assert.deepEqual(F.shape, [8, 2]);
  assert.equal(F.get((1 * 2 + 1) * 2 + 0, 1), 1110); // row (c·2 + y)·2 + x, column n
  assert.deepEqual(Array.from(unflatten(F, P.shape).data), Array.from(P.data));
});

/** Three 28×28 images with every pixel distinct (no ReLU kinks or pooling ties at ±ε). */
function tinyProblem(seed: number): { cnn: ConvNet; X: Tensor; labels: number[] } {
  const random = new Random(seed);
  const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed, precision: "f64" });
  // Biases off zero so that they are checked in a generic position.
  for (const b of [cnn.b1, cnn.b2, cnn.b3, cnn.b4]) {
    for (let i = 0; i < b.data.length; i++) b.data[i] = 0.2 * (random.uniform() - 0.5);
  }
  const X = Tensor.zeros([3, 1, 28, 28], "f64");
  for (let i = 0; i < X.size; i++) X.data[i] = random.uniform();
  return { cnn, X, labels: [3, 0, 7] };
}

function checkNetwork(backward: typeof convBackward, seed: number) {
  const { cnn, X, labels } = tinyProblem(seed);
  const Y = oneHot(labels, 10, "f64");
  const gradients = backward(cnn, convForward(cnn, X), Y);
  return compareGradients(
    () => crossEntropyLoss(convForward(cnn, X).probabilities, Y),
    CONV_PARAMETER_NAMES.map((name) => ({
      name,
      values: cnn[name].data,
      gradient: gradients[`d${name}`].data,
    })),
  );
}

Deno.test("convBackward matches centred differences for every parameter of a small CNN", () => {
  const results = checkNetwork(convBackward, 6);
  assert.deepEqual(results.map((r) => r.parameter), [...CONV_PARAMETER_NAMES]);
  for (const { parameter, relativeError } of results) {
    assert.ok(relativeError < 1e-8, `${parameter}: relative error ${relativeError}`);
  }
});

Deno.test("the whole-network check catches a backward pass that forgets the mean over the batch", () => {
  const summed: typeof convBackward = (cnn, cache, Y) => {
    const gradients = convBackward(cnn, cache, Y);
    for (const dK of [gradients.dK1, gradients.dK2]) {
      for (let i = 0; i < dK.size; i++) dK.data[i] *= 3; // Σ over the 3 images, not the mean
    }
    return gradients;
  };
  const errors = Object.fromEntries(
    checkNetwork(summed, 6).map((r) => [r.parameter, r.relativeError]),
  );
  assert.ok(errors.K1 > 0.3 && errors.K2 > 0.3, JSON.stringify(errors));
  assert.ok(errors.W3 < 1e-6, `W3: ${errors.W3}`);
});

Deno.test("evaluateConvNet in batches gives what one forward pass over all images gives", () => {
  const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 5, seed: 4 });
  const dataset = syntheticDigits(7, 2);
  const all = [0, 1, 2, 3, 4, 5, 6];
  const { probabilities: A4 } = convForward(cnn, imageBatch(dataset, all));
  const evaluation = evaluateConvNet(cnn, dataset, 3); // batches of 3, 3 and 1 images
  assert.deepEqual(Array.from(evaluation.predicted), Array.from(predictions(A4)));
  for (let j = 0; j < 7; j++) {
    for (let i = 0; i < 10; i++) assert.equal(evaluation.probabilities[j * 10 + i], A4.get(i, j));
  }
  assertClose(evaluation.loss!, crossEntropyLoss(A4, oneHot(dataset.labels!)), { absolute: 1e-6 });
  const correct = all.filter((j) => evaluation.predicted[j] === dataset.labels![j]).length;
  assert.equal(evaluation.accuracy, correct / 7);
  assert.equal(evaluateConvNet(cnn, { ...dataset, labels: undefined }).accuracy, undefined);
});
