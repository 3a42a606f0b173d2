import assert from "node:assert/strict";
import { TrainingDivergedError } from "../lib/errors.ts";
import { evaluate } from "../lib/evaluate.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { subset } from "../lib/data/dataset.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer, type OptimizerName } from "../lib/optimizers.ts";
import { type BatchProgress, learningRateAt, train } from "../lib/train.ts";
import { assertClose, granted } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(600, 1);
const validation = syntheticDigits(200, 2);

async function trainSynthetic(optimizer: OptimizerName, learningRate: number, seed = 1) {
  const network = initNetwork({ hidden: 16, seed });
  const history = await train(network, trainSet, {
    epochs: 4,
    batchSize: 32,
    optimizer: createOptimizer(optimizer, { learningRate }),
    seed,
    validation,
  });
  return { network, history };
}

for (
  const [optimizer, learningRate] of [["sgd", 0.1], ["momentum", 0.05], ["adam", 0.003]] as const
) {
  Deno.test(`${optimizer} learns the synthetic digits: loss falls, validation accuracy > 95 %`, async () => {
    const { history } = await trainSynthetic(optimizer, learningRate);
    assert.equal(history.length, 4);
    assert.ok(
      history[3].loss < history[0].loss / 2,
      `loss ${history[0].loss} → ${history[3].loss}`,
    );
    assert.ok(history[3].validationAccuracy! > 0.95, `validation ${history[3].validationAccuracy}`);
  });
}

Deno.test("the same seed trains bit-identical weights; another seed does not", async () => {
  const first = await trainSynthetic("momentum", 0.05, 7);
  const second = await trainSynthetic("momentum", 0.05, 7);
  const third = await trainSynthetic("momentum", 0.05, 8);
  assert.deepEqual(first.network.W1.data, second.network.W1.data);
  assert.deepEqual(first.network.b2.data, second.network.b2.data);
  assert.deepEqual(first.history.map((r) => r.loss), second.history.map((r) => r.loss));
  assert.notDeepEqual(first.network.W1.data, third.network.W1.data);
});

Deno.test("a NaN loss stops training with a message suggesting a lower learning rate", async () => {
  const network = initNetwork({ hidden: 16, seed: 1 });
  await assert.rejects(
    train(network, trainSet, {
      epochs: 3,
      batchSize: 32,
      optimizer: createOptimizer("sgd", { learningRate: 1e6 }),
      seed: 1,
    }),
    (error: Error) => {
      assert.ok(error instanceof TrainingDivergedError);
      assert.match(
        error.message,
        /^the loss became (NaN|Infinity) at epoch \d+, batch \d+: training diverged; try a lower learning rate than 1000000 \(e\.g\. 100000\)$/,
      );
      return true;
    },
  );
});

Deno.test("a batch as large as the training set is full-batch gradient descent", async () => {
  const progress: BatchProgress[] = [];
  const history = await train(initNetwork({ hidden: 8, seed: 1 }), trainSet, {
    epochs: 3,
    batchSize: Infinity,
    optimizer: createOptimizer("gd", { learningRate: 0.1 }),
    seed: 1,
    onBatch: (p) => {
      progress.push(p);
    },
  });
  assert.deepEqual(progress.map((p) => [p.epoch, p.batch, p.batches]), [[1, 1, 1], [2, 1, 1], [
    3,
    1,
    1,
  ]]);
  assert.equal(history.length, 3);
});

Deno.test("the cosine schedule goes from the initial rate to 0 along a half cosine", async () => {
  assert.equal(learningRateAt(0.1, "cosine", 0, 4), 0.1);
  assertClose(learningRateAt(0.1, "cosine", 2, 4), 0.05, { absolute: 1e-15 });
  assertClose(learningRateAt(0.1, "cosine", 1, 4), 0.05 * (1 + Math.SQRT1_2), { absolute: 1e-15 });
  assert.equal(learningRateAt(0.1, "constant", 3, 4), 0.1);
  const history = await train(initNetwork({ hidden: 8, seed: 1 }), trainSet, {
    epochs: 4,
    batchSize: 64,
    optimizer: createOptimizer("sgd", { learningRate: 0.1 }),
    seed: 1,
    schedule: "cosine",
  });
  assert.deepEqual(
    history.map((r) => r.learningRate),
    [0, 1, 2, 3].map((e) => learningRateAt(0.1, "cosine", e, 4)),
  );
});

Deno.test({
  name: "integration: 5 epochs on 5,000 MNIST images score over 93 % on the official test set",
  ignore: !granted({ name: "read" }),
  async fn() {
    const mnist = await loadMnist("train");
    const small = subset(mnist, Array.from({ length: 5000 }, (_, i) => i));
    const network = initNetwork({ seed: 1 });
    await train(network, small, {
      epochs: 5,
      batchSize: 64,
      optimizer: createOptimizer("momentum", { learningRate: 0.1 }),
      seed: 1,
      schedule: "cosine",
    });
    const { accuracy } = evaluate(network, await loadMnist("test"));
    assert.ok(accuracy! > 0.93, `test accuracy ${accuracy}`);
  },
});
