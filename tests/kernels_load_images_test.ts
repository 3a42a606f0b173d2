/**
 * A fast trainer given new images between epochs (`loadImages`, for each epoch's augmented
 * copy) trains exactly as a trainer made afresh on them would: same losses, same weights, bit
 * for bit, with one thread or two; images with more ink than its memory has room for are
 * refused and change nothing.
 */

import assert from "node:assert/strict";
import type { Dataset } from "../lib/data/dataset.ts";
import { createFastTrainer } from "../lib/kernels/mod.ts";
import { initNetwork, type Network } from "../lib/network.ts";
import { momentum } from "../lib/optimizers.ts";
import { granted } from "./assert.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

const first = syntheticDigits(200, 21);
// Other images with the same labels: the next epoch's "augmented" copy.
const second: Dataset = { ...syntheticDigits(200, 22), labels: first.labels };
/** Workers load their module from a file: Deno asks for read permission. */
const workersAllowed = granted({ name: "read" });

const batches = (count: number, size: number) =>
  Array.from(
    { length: Math.ceil(count / size) },
    (_, b) => Int32Array.from({ length: Math.min(size, count - b * size) }, (_, j) => b * size + j),
  );

/** One epoch of batches of 32 in order, each `forward` told the next batch as train() does. */
function epoch(
  trainer: Awaited<ReturnType<typeof createFastTrainer>>,
  optimizer = momentum({
    learningRate: 0.05,
  }),
) {
  const all = batches(200, 32), losses: number[] = [];
  for (let b = 0; b < all.length; b++) {
    losses.push(trainer.forward(all[b], all[b + 1]).loss);
    trainer.update(optimizer);
  }
  return losses;
}

const weights = (network: Network) =>
  [network.W1, network.b1, network.W2, network.b2]
    .map((M) => Array.from(M.data));

for (const kind of KERNEL_KINDS) {
  for (const threads of [1, 2]) {
    Deno.test({
      name: `${kind}, ${threads} thread(s): loadImages trains as a new trainer on those images`,
      ignore: !workersAllowed,
      async fn() {
        const optimizer = momentum({ learningRate: 0.05 });
        const reused = initNetwork({ hidden: 20, seed: 5 });
        const trainer = await createFastTrainer(reused, first, {
          kind,
          threads,
          batchSize: 32,
          headroom: 0.5,
        });
        epoch(trainer, optimizer);
        trainer.sync();
        const afterFirst = weights(reused);
        assert.equal(trainer.loadImages!(second.images), true);
        const reusedLosses = epoch(trainer, optimizer);
        trainer.sync();
        trainer.close();

        // The same second epoch from a new trainer: the first epoch's weights and velocity.
        const fresh = initNetwork({ hidden: 20, seed: 5 });
        const freshOptimizer = momentum({ learningRate: 0.05 });
        const warmUp = await createFastTrainer(fresh, first, { kind, threads, batchSize: 32 });
        epoch(warmUp, freshOptimizer);
        warmUp.sync();
        warmUp.close();
        assert.deepEqual(weights(fresh), afterFirst);
        const newTrainer = await createFastTrainer(fresh, second, { kind, threads, batchSize: 32 });
        const freshLosses = epoch(newTrainer, freshOptimizer);
        newTrainer.sync();
        newTrainer.close();

        assert.deepEqual(reusedLosses, freshLosses);
        assert.deepEqual(weights(reused), weights(fresh));
      },
    });
  }

  Deno.test({
    name: `${kind}: loadImages refuses images with more ink than the headroom, changing nothing`,
    ignore: !workersAllowed,
    async fn() {
      const network = initNetwork({ hidden: 20, seed: 5 });
      const trainer = await createFastTrainer(network, first, { kind, threads: 1, batchSize: 32 });
      const inkier = first.images.map((pixel, p) => (p % 2 ? 200 : pixel));
      const batch = batches(200, 32)[0];
      const before = trainer.forward(batch).loss;
      assert.equal(trainer.loadImages!(inkier), false);
      assert.equal(trainer.forward(batch).loss, before); // still the first images
      assert.throws(() => trainer.loadImages!(first.images.subarray(784)), RangeError);
      trainer.close();
    },
  });
}
