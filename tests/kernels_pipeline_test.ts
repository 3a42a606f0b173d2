/**
 * The pipelined trainer (lib/kernels/fast_trainer.ts with `pipeline`): a worker prepares the
 * next batch while the main thread computes this one. It must train exactly as the trainer
 * that prepares each batch itself: bit-identical weights and losses, also when the batch asked
 * for is not the one announced, and when no next batch is announced at all.
 */

import assert from "node:assert/strict";
import { createFastTrainer } from "../lib/kernels/fast_trainer.ts";
import { initNetwork, type Network } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { granted } from "./assert.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

const trainSet = syntheticDigits(300, 21);
const BATCH = 40;

/** Batches of a shuffled order, plus (batch 3) one that the previous step did not announce. */
function schedule(): { indices: Int32Array; announced: Int32Array | undefined }[] {
  const order = new Random(5).shuffle(Int32Array.from({ length: trainSet.count }, (_, i) => i));
  const batches = Array.from(
    { length: 6 },
    (_, b) => order.slice(b * BATCH, (b + 1) * BATCH),
  );
  // Step 2 announces batch 3, but step 3 asks for a different one (the last batch reversed);
  // the last step announces nothing; batch 1 is shorter than the rest.
  batches[1] = batches[1].subarray(0, BATCH - 7);
  const surprise = batches[5].slice().reverse();
  return batches.map((indices, b) => ({
    indices: b === 3 ? surprise : indices,
    announced: batches[b + 1],
  }));
}

async function trainSteps(kind: "wasm" | "typescript", threads: number, pipeline: boolean) {
  const network = initNetwork({ hidden: 36, seed: 9 });
  const trainer = await createFastTrainer(network, trainSet, {
    kind,
    threads,
    batchSize: BATCH,
    pipeline,
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
    name: `${kind}: preparing the next batch on a worker trains bit-identically`,
    // Workers load their module from a file: Deno asks for read permission.
    ignore: !granted({ name: "read" }),
    async fn() {
      const alone = await trainSteps(kind, 1, false);
      const pipelined = await trainSteps(kind, 2, true);
      const split = await trainSteps(kind, 2, false);
      assert.match(pipelined.description, /2 threads \(one preparing the next batch\)$/);
      assert.match(split.description, /2 threads$/);
      for (const run of [pipelined, split]) {
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
