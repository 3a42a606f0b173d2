import assert from "node:assert/strict";
import type { Dataset } from "../lib/data/dataset.ts";
import { initDeepNetwork } from "../lib/deep_network.ts";
import {
  deepTrainStep,
  evaluateDeep,
  namedGradients,
  namedParameters,
  trainDeep,
} from "../lib/deep_train.ts";
import { TrainingDivergedError } from "../lib/errors.ts";
import { evaluate } from "../lib/evaluate.ts";
import { type Network } from "../lib/network.ts";
import { gradientDescent, momentum } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { train } from "../lib/train.ts";
import { assertAllClose } from "./assert.ts";

/** `count` random sparse images (about a fifth of the pixels lit) with random labels. */
function randomImages(count: number, seed: number): Dataset {
  const random = new Random(seed);
  const images = new Uint8Array(count * 784);
  for (let p = 0; p < images.length; p++) {
    if (random.uniform() < 0.2) images[p] = 1 + random.integer(255);
  }
  const labels = Uint8Array.from({ length: count }, () => random.integer(10));
  return { images, labels, count, source: "random images" };
}

/** The two-layer Network sharing a two-layer DeepNetwork's matrices. */
function asNetwork(deep: ReturnType<typeof initDeepNetwork>): Network {
  return { activation: "relu", W1: deep.W[0], b1: deep.b[0], W2: deep.W[1], b2: deep.b[1] };
}

Deno.test("two layers: trainDeep follows train()'s reference path (same shuffles, same steps)", async () => {
  const trainSet = randomImages(50, 1);
  const deep = initDeepNetwork({ sizes: [784, 12, 10], seed: 3 });
  const twin = initDeepNetwork({ sizes: [784, 12, 10], seed: 3 });
  const options = {
    epochs: 3,
    batchSize: 16,
    seed: 5,
    validation: trainSet,
    schedule: "cosine" as const,
  };
  const history = trainDeep(deep, trainSet, {
    ...options,
    optimizer: momentum({ learningRate: 0.05 }),
  });
  const reference = await train(asNetwork(twin), trainSet, {
    ...options,
    optimizer: momentum({ learningRate: 0.05 }),
    kernels: "reference",
  });
  deep.W.forEach((W, l) => assertAllClose(W.data, twin.W[l].data, { absolute: 1e-6 }));
  deep.b.forEach((b, l) => assertAllClose(b.data, twin.b[l].data, { absolute: 1e-6 }));
  history.forEach((record, e) => {
    assertAllClose([record.loss, record.validationLoss!], [
      reference[e].loss,
      reference[e].validationLoss!,
    ], { relative: 1e-5 });
    assert.equal(record.trainAccuracy, reference[e].trainAccuracy);
    assert.equal(record.learningRate, reference[e].learningRate); // 0.05, 0.0375, 0.0125
    assert.equal(record.validationAccuracy, reference[e].validationAccuracy);
  });
});

Deno.test("evaluateDeep of a two-layer network equals evaluate's reference path", () => {
  const dataset = randomImages(30, 2);
  const deep = initDeepNetwork({ sizes: [784, 8, 10], seed: 4 });
  const ours = evaluateDeep(deep, dataset);
  const theirs = evaluate(asNetwork(deep), dataset, { kernels: "reference" });
  assert.deepEqual(ours.predicted, theirs.predicted);
  assert.equal(ours.accuracy, theirs.accuracy);
  assertAllClose([ours.loss!], [theirs.loss!], { relative: 1e-6 });
});

Deno.test("deepTrainStep: a gradient-descent step moves every parameter by −η·gradient", () => {
  const trainSet = randomImages(8, 3);
  const network = initDeepNetwork({ sizes: [784, 6, 5, 10], seed: 1 });
  const before = Object.values(namedParameters(network)).map((P) => P.clone());
  const { gradients, cache } = deepTrainStep(
    network,
    trainSet,
    Int32Array.from([0, 2, 4, 6]),
    gradientDescent({ learningRate: 0.5 }),
  );
  assert.deepEqual(cache.A.map((A) => A.shape), [[6, 4], [5, 4], [10, 4]]);
  const named = namedGradients(gradients);
  Object.entries(namedParameters(network)).forEach(([name, P], k) => {
    const expected = before[k].data.map((v, i) => v - 0.5 * named[`d${name}`].data[i]);
    assertAllClose(P.data, expected, { absolute: 1e-6, message: name });
  });
});

Deno.test("trainDeep's onStep sees every step with the weights from before it", () => {
  const trainSet = randomImages(20, 7);
  const network = initDeepNetwork({ sizes: [784, 6, 10], seed: 1 });
  const initial = network.W.map((W) => W.clone());
  const seen: { index: number; changed: boolean; continues: boolean }[] = [];
  let previous = initial;
  trainDeep(network, trainSet, {
    epochs: 2,
    batchSize: 8, // 3 batches per epoch: 8, 8, 4
    optimizer: momentum({ learningRate: 0.1 }),
    seed: 1,
    onStep: ({ index, WBefore, cache }) => {
      seen.push({
        index,
        changed: network.W[0].data.some((v, i) => v !== WBefore[0].data[i]),
        continues: WBefore.every((W, l) => W.data.every((v, i) => v === previous[l].data[i])),
      });
      assert.equal(cache.X.cols, index % 3 === 2 ? 4 : 8);
      previous = network.W.map((W) => W.clone());
    },
  });
  assert.deepEqual(seen.map((s) => s.index), [0, 1, 2, 3, 4, 5]);
  assert.ok(seen.every((s) => s.changed && s.continues)); // WBefore is the last step's result
});

Deno.test("trainDeep learns a deeper network on data it can fit, and reports divergence", () => {
  const trainSet = randomImages(40, 6);
  const network = initDeepNetwork({ sizes: [784, 32, 16, 10], seed: 2 });
  const history = trainDeep(network, trainSet, {
    epochs: 30,
    batchSize: 10,
    optimizer: momentum({ learningRate: 0.02 }),
    seed: 1,
    validation: trainSet,
  });
  assert.ok(history[0].loss > 2, `${history[0].loss}`);
  assert.equal(history.at(-1)!.validationAccuracy, 1); // 40 random images memorised
  const exploding = initDeepNetwork({ sizes: [784, 32, 16, 10], seed: 2 });
  assert.throws(
    () =>
      trainDeep(exploding, trainSet, {
        epochs: 5,
        batchSize: 10,
        optimizer: gradientDescent({ learningRate: 1e6 }),
        seed: 1,
      }),
    TrainingDivergedError,
  );
});
