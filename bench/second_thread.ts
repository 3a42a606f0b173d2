/**
 * Seconds per epoch of each way to use the threads (lib/kernels/threads/second_thread.ts) on
 * 128-image steps: one thread, two splitting the products, two with one preparing the next
 * batch, two tuned between those. The ways run in turn, round after round, so that a busy
 * period of a shared machine slows all of them alike; prints one markdown row per way with the
 * median and range of its epochs and of its epoch ÷ the same round's one-thread epoch.
 *
 *   deno run -A --v8-flags=--no-maglev bench/second_thread.ts [ROUNDS] [--busy]
 *
 * `--busy`: another process spins on one core meanwhile (`sh -c 'while :; do :; done'`), the
 * case in which issue 14 asks the default to be no slower than one thread.
 *
 * @module
 */

import { createFastTrainer, type SecondThreadChoice } from "../lib/kernels/mod.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { benchData } from "./bench_data.ts";

const busy = Deno.args.includes("--busy");
const ROUNDS = Number(Deno.args.find((arg) => arg !== "--busy") ?? 3), BATCH = 128;
const WAYS: [string, number, SecondThreadChoice][] = [
  ["1 thread", 1, "split"],
  ["2 threads, products split", 2, "split"],
  ["2 threads, next batch prepared", 2, "next-batch"],
  ["2 threads, tuned (default)", 2, "tuned"],
];
const { trainSet } = await benchData("sgd");
const seconds = WAYS.map(() => [] as number[]);
const spinner = busy
  ? new Deno.Command("sh", { args: ["-c", "while :; do :; done"], stdout: "null" }).spawn()
  : undefined;

for (let round = 0; round < ROUNDS; round++) {
  for (const [w, [, threads, secondThread]] of WAYS.entries()) {
    const trainer = await createFastTrainer(initNetwork({ seed: 1 }), trainSet, {
      kind: "wasm",
      threads,
      batchSize: BATCH,
      secondThread,
    });
    const optimizer = createOptimizer("momentum", { learningRate: 0.1 });
    const random = new Random(1);
    const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
    const batch = (b: number) => order.subarray(b * BATCH, (b + 1) * BATCH);
    const batches = Math.ceil(trainSet.count / BATCH);
    // Two epochs, as train() runs them (the next batch announced); the second is timed.
    for (let epoch = 0; epoch < 2; epoch++) {
      random.shuffle(order);
      const started = performance.now();
      for (let b = 0; b < batches; b++) {
        trainer.forward(batch(b), b + 1 < batches ? batch(b + 1) : undefined);
        trainer.update(optimizer);
      }
      trainer.sync();
      if (epoch === 1) seconds[w].push((performance.now() - started) / 1000);
    }
    trainer.close();
  }
}

spinner?.kill();
await spinner?.status;

/** "median (min–max)" of `values`. */
function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  return `${median.toFixed(3)} (${sorted[0].toFixed(3)}–${sorted.at(-1)!.toFixed(3)})`;
}

console.log(busy ? "With a process spinning on one core:\n" : "");
console.log("| way | s / epoch, median (range) | ÷ 1 thread, same round |");
console.log("| --- | ---: | ---: |");
for (const [w, [name]] of WAYS.entries()) {
  const ratios = seconds[w].map((s, round) => s / seconds[0][round]);
  console.log(`| ${name} | ${spread(seconds[w])} | ${spread(ratios)} |`);
}
