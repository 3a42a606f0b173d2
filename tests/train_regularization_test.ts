/**
 * train()'s weight decay, dropout, augmentation and early stopping: each reproducible from the
 * seed, each doing what it says on the fast path as on the reference path.
 */

import assert from "node:assert/strict";
import { evaluate } from "../lib/evaluate.ts";
import { initNetwork, type Network } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { train, trainingKernels, type TrainOptions } from "../lib/train.ts";
import { assertAllClose, granted } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(300, 21);
const validation = syntheticDigits(100, 22);
const workersAllowed = granted({ name: "read" });

async function trainWith(options: Partial<TrainOptions>) {
  const network = initNetwork({ hidden: 12, seed: 5 });
  const history = await train(network, trainSet, {
    epochs: 3,
    batchSize: 32,
    optimizer: createOptimizer("momentum", { learningRate: 0.05 }),
    seed: 5,
    validation,
    threads: 1,
    kernels: "reference",
    ...options,
  });
  return { network, history };
}

const weights = (network: Network) =>
  [network.W1, network.b1, network.W2, network.b2].map((M) => Array.from(M.data));
const norm = (network: Network) => Array.from(network.W1.data).reduce((sum, w) => sum + w * w, 0);

Deno.test("weight decay shrinks the weights; the fast path applies it as the reference does", {
  ignore: !workersAllowed,
}, async () => {
  const plain = await trainWith({});
  const decayed = await trainWith({ weightDecay: 0.5 });
  assert.ok(norm(decayed.network) < 0.99 * norm(plain.network));
  // The fast kernels fuse plain momentum; with decay they must still decay (not drop it).
  const fast = await trainWith({ weightDecay: 0.5, kernels: "auto" });
  assertAllClose(weights(fast.network).flat(), weights(decayed.network).flat(), {
    absolute: 2e-4,
  });
});

Deno.test("dropout runs on the reference path, is seed-reproducible and changes training", async () => {
  assert.equal(trainingKernels(initNetwork(), { dropout: 0.3, kernels: "auto" }), "reference");
  const a = await trainWith({ dropout: 0.3 }), b = await trainWith({ dropout: 0.3 });
  assert.deepEqual(weights(a.network), weights(b.network));
  assert.notDeepEqual(weights(a.network), weights((await trainWith({})).network));
});

Deno.test("augmentation: the same seed gives the same run; fast and reference paths agree", {
  ignore: !workersAllowed,
}, async () => {
  const a = await trainWith({ augmentation: "elastic" });
  const b = await trainWith({ augmentation: "elastic" });
  assert.deepEqual(weights(a.network), weights(b.network));
  assert.notDeepEqual(weights(a.network), weights((await trainWith({})).network));
  const fast = await trainWith({ augmentation: "elastic", kernels: "auto", threads: 2 });
  assertAllClose(weights(fast.network).flat(), weights(a.network).flat(), { absolute: 2e-4 });
  // The fast path stays bit-identical for any thread count with augmentation and decay.
  const oneThread = await trainWith({
    augmentation: "affine",
    weightDecay: 0.01,
    kernels: "auto",
    threads: 1,
  });
  const twoThreads = await trainWith({
    augmentation: "affine",
    weightDecay: 0.01,
    kernels: "auto",
    threads: 2,
  });
  assert.deepEqual(weights(oneThread.network), weights(twoThreads.network));
});

Deno.test("early stopping ends with the best validation epoch's weights", async () => {
  // A learning rate this high makes validation accuracy wander, so later epochs are worse.
  const { network, history } = await trainWith({
    epochs: 12,
    patience: 2,
    optimizer: createOptimizer("momentum", { learningRate: 0.8 }),
  });
  const accuracies = history.map((record) => record.validationAccuracy!);
  const bestIndex = accuracies.indexOf(Math.max(...accuracies));
  assert.ok(history.length < 12, "stopped early");
  assert.equal(history.length - 1 - bestIndex, 2, "two epochs without improvement");
  assert.equal(evaluate(network, validation).accuracy, accuracies[bestIndex]);
  await assert.rejects(
    () => trainWith({ patience: 2, validation: undefined }),
    /early stopping needs a validation set/,
  );
});
