/**
 * The CNN's fast kernels against its readable reference, in one run on this machine:
 *
 *   deno run -A --v8-flags=--no-maglev bench/cnn_fast.ts [BATCH] [STEPS]
 *
 * (defaults 64 and 40). Prints one JSON line per path: milliseconds per image of a training step
 * (forward, backward and a momentum update) on MNIST's first training images, the best of three
 * timings of STEPS steps after a warm-up, and its ratio to the reference (lib/cnn/'s passes,
 * timed on 2 steps: it is ~20× slower). Ratios from one run are what to compare: the machine is
 * shared and single figures move between runs.
 *
 * @module
 */

import { referenceConvTrainer } from "../lib/cnn/batch_trainer.ts";
import { initConvNet } from "../lib/cnn/network.ts";
import type { BatchTrainer } from "../lib/batch_trainer.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { createFastConvTrainer } from "../lib/kernels/mod.ts";
import { momentum } from "../lib/optimizers.ts";

const [batchArg = "64", stepsArg = "40"] = Deno.args;
const m = Number(batchArg), steps = Number(stepsArg);
const mnist = await loadMnist("train");
const batches = Array.from(
  { length: steps },
  (_, s) => Int32Array.from({ length: m }, (_, j) => (s * m + j) % mnist.count),
);

/** Milliseconds per image of `count` training steps of `trainer`, the best of 3 after a warm-up. */
function perImage(trainer: BatchTrainer, count: number): number {
  const optimizer = momentum({ learningRate: 0.01 });
  const step = (s: number) => {
    trainer.forward(batches[s % steps]);
    trainer.update(optimizer);
  };
  for (let s = 0; s < Math.min(count, 5); s++) step(s);
  let best = Infinity;
  for (let repeat = 0; repeat < 3; repeat++) {
    const started = performance.now();
    for (let s = 0; s < count; s++) step(s);
    best = Math.min(best, (performance.now() - started) / (count * m));
  }
  return best;
}

const reference = perImage(referenceConvTrainer(initConvNet({ seed: 1 }), mnist), 2);
console.log(JSON.stringify({ path: "reference", batch: m, msPerImage: reference }));
for (const [kind, threads] of [["wasm", 1], ["wasm", 2], ["typescript", 1]] as const) {
  const trainer = await createFastConvTrainer(initConvNet({ seed: 1 }), mnist, {
    kind,
    threads,
    batchSize: m,
  });
  const ms = perImage(trainer, steps);
  trainer.close();
  console.log(JSON.stringify({
    path: trainer.description,
    batch: m,
    msPerImage: Number(ms.toFixed(4)),
    speedup: Number((reference / ms).toFixed(1)),
    epochSeconds: Number((ms * 55000 / 1000).toFixed(1)),
  }));
}
