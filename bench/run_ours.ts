/**
 * One contender of bench/compare.ts: trains this project's network in its own process (so its
 * peak memory is its own) and prints JSON lines like bench/numpy_mlp.py does.
 *
 *   deno run -A bench/run_ours.ts sgd KERNELS THREADS EPOCHS
 *   deno run -A bench/run_ours.ts full-batch KERNELS THREADS MAX_ITERATIONS TARGET
 *
 * @module
 */

import { evaluate, EVALUATION_BATCH_SIZE } from "../lib/evaluate.ts";
import { FastEvaluator, type KernelChoice, resolveKernels } from "../lib/kernels/mod.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { train } from "../lib/train.ts";
import { benchData, peakRssMb } from "./bench_data.ts";

const [mode, kernelsArg, threadsArg, epochsArg, targetArg] = Deno.args;
const kernels = kernelsArg as KernelChoice, threads = Number(threadsArg);
const epochs = Number(epochsArg);
const print = (record: object) => console.log(JSON.stringify(record));

/** Thrown from onEpoch to stop a full-batch run once it reaches the target. */
class TargetReached extends Error {}

if (mode === "full-batch") {
  const { trainSet, validation } = await benchData("full-batch");
  const network = initNetwork({ seed: 1 });
  const started = performance.now();
  await train(network, trainSet, {
    epochs,
    batchSize: Infinity,
    optimizer: createOptimizer("gd", { learningRate: 0.1 }),
    seed: 1,
    validation,
    kernels,
    threads,
    onEpoch(record) {
      if (record.validationAccuracy! >= Number(targetArg)) {
        const seconds = (performance.now() - started) / 1000;
        print({ iteration: record.epoch, seconds, validation: record.validationAccuracy });
        throw new TargetReached();
      }
    },
  }).catch((error) => {
    if (!(error instanceof TargetReached)) throw error;
  });
} else {
  const { trainSet, test } = await benchData("sgd");
  const network = initNetwork({ seed: 1 });
  // One evaluator for every prediction below: its memory and threads are set up once, as train()
  // does for its validation set.
  const evaluator = new FastEvaluator();
  const kind = resolveKernels(kernels, network);
  if (kind !== "reference") {
    await evaluator.prepare(network, test, EVALUATION_BATCH_SIZE, kind, threads);
  }
  await train(network, trainSet, {
    epochs,
    batchSize: 128,
    optimizer: createOptimizer("momentum", { learningRate: 0.1 }),
    seed: 1,
    schedule: "cosine",
    kernels,
    threads,
    onEpoch(record) {
      const { accuracy } = evaluate(network, test, { kernels, evaluator });
      print({ epoch: record.epoch, seconds: record.seconds, test_accuracy: accuracy });
    },
  });
  const predict = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    evaluate(network, test, { kernels, evaluator });
    predict.push(performance.now() - started);
  }
  evaluator.close();
  print({ predict_ms: Math.min(...predict), peak_rss_mb: peakRssMb() });
}
