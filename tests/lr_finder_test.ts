import assert from "node:assert/strict";
import { backwardPropagation } from "../lib/backprop.ts";
import { PIXELS } from "../lib/data/dataset.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { findLearningRate } from "../lib/lr_finder.ts";
import { cloneNetwork, forwardPropagation, initNetwork } from "../lib/network.ts";
import { gradientDescent } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { SparseColumns } from "../lib/sparse.ts";
import { assertClose } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(200, 31);

Deno.test("the sweep's rates grow geometrically and the network is left as it was", () => {
  const network = initNetwork({ hidden: 10, seed: 1 });
  const before = cloneNetwork(network);
  const sweep = findLearningRate(network, trainSet, { from: 1e-4, to: 1e-2, steps: 5 });
  assert.equal(sweep.learningRates.length, 5);
  // 1e-4·100^(k/4): 1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2.
  [1e-4, 10 ** -3.5, 1e-3, 10 ** -2.5, 1e-2].forEach((rate, k) =>
    assertClose(sweep.learningRates[k], rate, { relative: 1e-12 })
  );
  assert.deepEqual(network, before);
});

Deno.test("the first two losses are those of a hand-run: the start, then after one step", () => {
  const network = initNetwork({ hidden: 10, seed: 2 });
  const sweep = findLearningRate(network, trainSet, {
    from: 0.5,
    to: 5,
    steps: 2,
    batchSize: 16,
    seed: 9,
    optimizer: gradientDescent({ learningRate: 1 }),
  });
  // The same batches by hand: the first 32 images of the seed's shuffle.
  const order = new Random(9).shuffle(Int32Array.from({ length: 200 }, (_, i) => i));
  const batch = (k: number) => {
    const indices = order.subarray(16 * k, 16 * (k + 1));
    return {
      X: SparseColumns.fromPixels(trainSet.images, indices, PIXELS),
      Y: oneHot(Array.from(indices, (i) => trainSet.labels![i])),
    };
  };
  const copy = cloneNetwork(network);
  const first = batch(0), second = batch(1);
  const cache = forwardPropagation(copy, first.X);
  assertClose(sweep.losses[0], crossEntropyLoss(cache.A2, first.Y), { relative: 1e-6 });
  gradientDescent({ learningRate: 0.5 }).step(copy, backwardPropagation(copy, cache, first.Y));
  const after = crossEntropyLoss(forwardPropagation(copy, second.X).A2, second.Y);
  assertClose(sweep.losses[1], after, { relative: 1e-6 });
});

Deno.test("the sweep stops once the loss blows up, and suggests a tenth of the best rate", () => {
  const network = initNetwork({ hidden: 10, seed: 3 });
  const sweep = findLearningRate(network, trainSet, { from: 1e-3, to: 1e4, steps: 60 });
  assert.ok(sweep.losses.length < 60, `stopped after ${sweep.losses.length} steps`);
  const lowest = Math.min(...sweep.losses);
  // Every recorded loss is within 4× of the lowest so far (the next one was not).
  let lowestSoFar = Infinity;
  for (const loss of sweep.losses) {
    lowestSoFar = Math.min(lowestSoFar, loss);
    assert.ok(loss <= 4 * lowestSoFar);
  }
  assert.equal(sweep.suggestion, sweep.learningRates[sweep.losses.indexOf(lowest)] / 10);
  assert.ok(lowest < sweep.losses[0], "the loss fell before it rose");
});
