/**
 * The fast training path as a whole: the same seed gives bit-identical results with 1, 2 or 3
 * threads (small batches and batches of several blocks), one step matches the reference path's
 * step (one block and several), training follows the reference's trajectory, and prediction
 * matches the reference `evaluate`, bit for bit the same on one thread and on several.
 */

import assert from "node:assert/strict";
import type { Dataset } from "../lib/data/dataset.ts";
import { evaluate } from "../lib/evaluate.ts";
import { FastEvaluator } from "../lib/kernels/evaluator.ts";
import { createFastTrainer } from "../lib/kernels/trainer.ts";
import { resolveKernels } from "../lib/kernels/select.ts";
import { initNetwork, type Network } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { train, type TrainOptions } from "../lib/train.ts";
import { assertAllClose, granted } from "./assert.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(500, 11);
const validation = syntheticDigits(200, 12);
const largeSet = syntheticDigits(1100, 13);
/** Workers load their module from a file: Deno asks for read permission. */
const workersAllowed = granted({ name: "read" });

async function trainWith(options: Partial<TrainOptions>, dataset: Dataset = trainSet) {
  // 20 hidden units: not a multiple of the 32-float block nor of the 4-float vector.
  const network = initNetwork({ hidden: 20, seed: 3, ...options });
  const history = await train(network, dataset, {
    epochs: 2,
    batchSize: 48,
    optimizer: createOptimizer("momentum", { learningRate: 0.05 }),
    seed: 3,
    validation,
    ...options,
  });
  return { network, history };
}

function parameters(network: Network): number[][] {
  return [network.W1, network.b1, network.W2, network.b2].map((M) => Array.from(M.data));
}

Deno.test("auto picks the WebAssembly kernels here; a Float64 network takes the reference path", () => {
  assert.equal(resolveKernels("auto", initNetwork()), "wasm");
  assert.equal(resolveKernels("typescript", initNetwork()), "typescript");
  assert.equal(resolveKernels("auto", initNetwork({ precision: "f64" })), "reference");
});

for (const kind of KERNEL_KINDS) {
  Deno.test({
    name: `${kind}: 1, 2 and 3 threads train bit-identical weights and histories`,
    ignore: !workersAllowed,
    async fn() {
      const trainer = await createFastTrainer(initNetwork({ hidden: 20 }), trainSet, {
        kind,
        threads: 2,
        batchSize: 48,
      });
      trainer.close();
      assert.match(trainer.description, /, 2 threads/);
      // Batches of 48, and full batches of 1,100 images: three blocks of 512, whose dW2 and db1
      // are split between the threads too.
      for (const [batchSize, dataset] of [[48, trainSet], [Infinity, largeSet]] as const) {
        const runs = [];
        for (const threads of [1, 2, 3]) {
          runs.push(await trainWith({ kernels: kind, threads, batchSize }, dataset));
        }
        for (const run of runs.slice(1)) {
          assert.deepEqual(parameters(run.network), parameters(runs[0].network));
          assert.deepEqual(
            run.history.map(({ seconds: _, ...rest }) => rest),
            runs[0].history.map(({ seconds: _, ...rest }) => rest),
          );
        }
      }
    },
  });

  Deno.test(`${kind}: one full-batch step moves the weights as the reference step does`, async () => {
    const step = { epochs: 1, batchSize: Infinity, validation: undefined };
    // 500 images: one block; 1,100: three blocks of 512, whose dW1ᵀ is summed block by block
    // during the forward pass.
    for (const dataset of [trainSet, largeSet]) {
      const fast = await trainWith({ ...step, kernels: kind, threads: 1 }, dataset);
      const reference = await trainWith({ ...step, kernels: "reference" }, dataset);
      const [fastParameters, referenceParameters] = [fast.network, reference.network].map(
        parameters,
      );
      // lr·|Δgradient|: float32 sums of 1,100 products of values below 1 differ by far less.
      fastParameters.forEach((values, i) =>
        assertAllClose(values, referenceParameters[i], { absolute: 1e-6, relative: 1e-5 })
      );
      assertAllClose([fast.history[0].loss], [reference.history[0].loss], { relative: 1e-6 });
    }
  });

  Deno.test(`${kind}: training follows the reference path's loss and accuracy`, async () => {
    const fast = await trainWith({ kernels: kind, threads: 1 });
    const reference = await trainWith({ kernels: "reference" });
    assertAllClose(
      fast.history.map((r) => r.loss),
      reference.history.map((r) => r.loss),
      { relative: 1e-3 },
    );
    fast.history.forEach((record, i) =>
      assert.ok(
        Math.abs(record.validationAccuracy! - reference.history[i].validationAccuracy!) <= 0.01,
        `epoch ${i + 1}: ${record.validationAccuracy} vs ${
          reference.history[i].validationAccuracy
        }`,
      )
    );
  });

  Deno.test(`${kind}: evaluate predicts as the reference does, with and without labels`, async () => {
    const { network } = await trainWith({ kernels: "reference" });
    const reference = evaluate(network, validation, { batchSize: 64, kernels: "reference" });
    const fast = evaluate(network, validation, { batchSize: 64, kernels: kind });
    assert.deepEqual(fast.predicted, reference.predicted);
    assertAllClose(fast.probabilities, reference.probabilities, { absolute: 1e-6, relative: 0 });
    assertAllClose([fast.loss!, fast.accuracy!], [reference.loss!, reference.accuracy!]);
    const unlabelled = evaluate(network, { ...validation, labels: undefined }, { kernels: kind });
    assert.deepEqual(unlabelled.predicted, reference.predicted);
    assert.equal(unlabelled.loss, undefined);
  });

  Deno.test({
    name: `${kind}: an evaluator with threads predicts bit for bit as one thread does`,
    ignore: !workersAllowed,
    async fn() {
      const { network } = await trainWith({ kernels: kind, threads: 1 });
      // 1,100 images: blocks of 512, 512 and 76 images, each split between the threads.
      const alone = new FastEvaluator().predict(network, largeSet, 512, kind);
      for (const threads of [2, 3]) {
        const evaluator = new FastEvaluator();
        await evaluator.prepare(network, largeSet, 512, kind, threads);
        const split = evaluator.predict(network, largeSet, 512, kind);
        evaluator.close();
        assert.deepEqual(split.predicted, alone.predicted);
        assert.deepEqual(split.probabilities, alone.probabilities);
        assert.equal(split.loss, alone.loss);
      }
    },
  });
}
