/**
 * This project's contender in bench/cnn_compare.ts: trains the CNN of `deno task train --arch
 * cnn` in its own process (so its peak memory is its own) and prints JSON lines as
 * bench/torch_cnn.py does.
 *
 *   deno run -A bench/run_ours_cnn.ts KERNELS THREADS EPOCHS
 *
 * @module
 */

import { CNN_RECIPE } from "../cli/train_settings.ts";
import { initConvNet } from "../lib/cnn/network.ts";
import { evaluateModel } from "../lib/evaluate_model.ts";
import { FastConvEvaluator, type KernelChoice } from "../lib/kernels/mod.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { train } from "../lib/train.ts";
import { benchData, peakRssMb } from "./bench_data.ts";

const [kernelsArg, threadsArg, epochsArg] = Deno.args;
const kernels = kernelsArg as KernelChoice, threads = Number(threadsArg);
const print = (record: object) => console.log(JSON.stringify(record));

const { trainSet, test } = await benchData("sgd");
const cnn = initConvNet({ seed: 1 });
const model = { kind: "cnn", network: cnn } as const;
// One evaluator for every prediction below: its memory is set up once, as in train().
const convEvaluator = new FastConvEvaluator();
await train(cnn, trainSet, {
  epochs: Number(epochsArg),
  batchSize: CNN_RECIPE.batchSize,
  optimizer: createOptimizer(CNN_RECIPE.optimizer, { learningRate: CNN_RECIPE.learningRate }),
  seed: 1,
  schedule: CNN_RECIPE.schedule,
  kernels,
  threads,
  onEpoch(record) {
    const { accuracy } = evaluateModel(model, test, { kernels, convEvaluator });
    print({ epoch: record.epoch, seconds: record.seconds, test_accuracy: accuracy });
  },
});
const predict = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  evaluateModel(model, test, { kernels, convEvaluator });
  predict.push(performance.now() - started);
}
print({ predict_ms: Math.min(...predict), peak_rss_mb: peakRssMb() });
