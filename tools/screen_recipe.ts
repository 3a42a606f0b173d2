/**
 * Screening runs for docs/best_recipe.md: trains the CLI's default 784-128-10 (seed 1, the same
 * 55,000/5,000 split) with the train() options given as JSON, and prints the VALIDATION accuracy
 * per epoch and at the end. It never loads the test set: choices are made on validation only.
 *
 *   deno run -P=train --v8-flags=--no-maglev tools/screen_recipe.ts \
 *     '{"epochs": 30, "augmentation": "elastic", "augmentOptions": {"alpha": 16}}'
 *
 * @module
 */

import { splitTrainValidation } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { train, type TrainOptions } from "../lib/train.ts";

const given: Partial<TrainOptions> & { lr?: number } = JSON.parse(Deno.args[0] ?? "{}");
const { train: trainSet, validation } = splitTrainValidation(
  await loadMnist("train"),
  5000,
  new Random(1),
);
const started = performance.now();
const history = await train(initNetwork({ seed: 1 }), trainSet, {
  epochs: 15,
  batchSize: 128,
  schedule: "cosine",
  seed: 1,
  validation,
  ...given,
  optimizer: createOptimizer("momentum", { learningRate: given.lr ?? 0.1 }),
  onEpoch: (record) =>
    console.error(
      `epoch ${record.epoch} validation ${(record.validationAccuracy! * 100).toFixed(2)}`,
    ),
});
const best = history.reduce((a, b) => b.validationAccuracy! > a.validationAccuracy! ? b : a);
console.log(JSON.stringify({
  options: Deno.args[0] ?? "{}",
  validation: Number((history.at(-1)!.validationAccuracy! * 100).toFixed(2)),
  bestEpoch: best.epoch,
  bestValidation: Number((best.validationAccuracy! * 100).toFixed(2)),
  train: Number((history.at(-1)!.trainAccuracy * 100).toFixed(2)),
  seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
}));
