/**
 * The ways a trainer can use a second thread on small batches
 * (lib/kernels/threads/second_thread.ts): a worker prepares the next batch while the main thread
 * computes this one ("next-batch"), or the threads split every product ("split"), or the trainer
 * switches between those two and one thread alone as its tuner times them ("tuned", the
 * default). Each must train
 * exactly as one thread does: bit-identical weights and losses, also when the batch asked for is
 * not the one announced, and when no next batch is announced at all.
 */

import assert from "node:assert/strict";
import { createFastTrainer, type SecondThreadChoice } from "../lib/kernels/mod.ts";
import { initNetwork, type Network } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { granted } from "./assert.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(300, 21);
const BATCH = 40;

/**
 * 70 steps over batches of a shuffled order (enough for the tuner's warm-up, 16 steps, and a
 * round of probing its three ways, 16 steps each), with a shorter batch, a step whose batch is not the one announced, and a
 * last step that announces none.
 */
function schedule(): { indices: Int32Array; announced: Int32Array | undefined }[] {
  const order = new Random(5).shuffle(Int32Array.from({ length: trainSet.count }, (_, i) => i));
  const perEpoch = Math.floor(trainSet.count / BATCH);
  const batches = Array.from({ length: 70 }, (_, b) => {
    const start = (b % perEpoch) * BATCH;
    return order.slice(start, start + (b === 1 ? BATCH - 7 : BATCH));
  });
  const surprise = batches[5].slice().reverse();
  return batches.map((indices, b) => ({
    indices: b === 3 ? surprise : indices,
    announced: batches[b + 1],
  }));
}

async function trainSteps(
  kind: "wasm" | "typescript",
  threads: number,
  secondThread: SecondThreadChoice | undefined,
) {
  const network = initNetwork({ hidden: 36, seed: 9 });
  const trainer = await createFastTrainer(network, trainSet, {
    kind,
    threads,
    batchSize: BATCH,
    secondThread,
  });
  const optimizer = createOptimizer("momentum", { learningRate: 0.1 });
  const losses = [];
  try {
    for (const { indices, announced } of schedule()) {
      losses.push(trainer.forward(indices, announced));
      trainer.update(optimizer);
    }
    trainer.sync();
  } finally {
    trainer.close();
  }
  return { network, losses, description: trainer.description };
}

const parameters = (network: Network) =>
  [network.W1, network.b1, network.W2, network.b2].map((M) => Array.from(M.data));

for (const kind of KERNEL_KINDS) {
  Deno.test({
    name:
      `${kind}: preparing the next batch, splitting the products or switching between the two ` +
      `trains bit-identically`,
    // Workers load their module from a file: Deno asks for read permission.
    ignore: !granted({ name: "read" }),
    async fn() {
      const alone = await trainSteps(kind, 1, "split");
      const pipelined = await trainSteps(kind, 2, "next-batch");
      const split = await trainSteps(kind, 2, "split");
      const tuned = await trainSteps(kind, 2, undefined);
      assert.match(pipelined.description, /2 threads \(one preparing the next batch\)$/);
      assert.match(split.description, /2 threads$/);
      assert.match(tuned.description, /2 threads \(.*whichever is fastest\)$/);
      for (const run of [pipelined, split, tuned]) {
        assert.deepEqual(run.losses, alone.losses);
        assert.deepEqual(parameters(run.network), parameters(alone.network));
      }
      // The steps did train: the weights moved from their initial values.
      assert.notDeepEqual(
        parameters(alone.network),
        parameters(initNetwork({ hidden: 36, seed: 9 })),
      );
    },
  });
}
