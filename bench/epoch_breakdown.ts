/**
 * `deno task bench` (second part): where one epoch of 128-image steps goes, kernel by kernel,
 * for each way of using the threads, and the epoch against the arithmetic floor. Each way trains
 * one epoch to warm up, then one timed epoch in which every kernel call of the main thread is
 * timed (lib/kernels/profile.ts): its own calls and its chunks of the jobs it shares with the
 * worker. The rest of the epoch is TypeScript between the kernels and, with two threads, waiting
 * for the worker's chunks. Split jobs are cut into chunks of equal work, so the worker's share of
 * each product is about the main thread's.
 *
 * The floor: one epoch's floating-point operations (zero pixels skipped) at 24 GFLOP/s per core,
 * 128-bit SIMD with separate multiply and add (issue 14).
 *
 *   deno run -A --v8-flags=--no-maglev bench/epoch_breakdown.ts [wasm|typescript]
 *
 * @module
 */

import {
  createFastTrainer,
  type KernelKind,
  type KernelTimes,
  type SecondThreadChoice,
} from "../lib/kernels/mod.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { benchData } from "./bench_data.ts";

const BATCH = 128, PEAK_GFLOPS_PER_CORE = 24;
const KIND = (Deno.args[0] ?? "wasm") as KernelKind;
if (KIND !== "wasm" && KIND !== "typescript") {
  console.error(`bench/epoch_breakdown.ts: expected "wasm" or "typescript", got "${KIND}"`);
  Deno.exit(2);
}
const WAYS: [string, number, SecondThreadChoice][] = [
  ["1 thread", 1, "split"],
  ["2 threads, split", 2, "split"],
  ["2 threads, next batch", 2, "next-batch"],
  ["2 threads, tuned (default)", 2, "tuned"],
];
const { trainSet } = await benchData("sgd");
const h = 128, classes = 10;
let nonZeros = 0;
for (const pixel of trainSet.images) if (pixel !== 0) nonZeros++;
// Forward and dW1ᵀ: 2 per non-zero pixel and hidden unit each; the output layer, dZ1 and dW2:
// 2 per image, hidden unit and class each.
const gflop = (4 * nonZeros * h + 6 * classes * h * trainSet.count) / 1e9;

/** One warm-up epoch, then one timed epoch; returns its seconds and the kernel times. */
async function epoch(threads: number, secondThread: SecondThreadChoice) {
  const profile: KernelTimes = {};
  const trainer = await createFastTrainer(initNetwork({ seed: 1 }), trainSet, {
    kind: KIND,
    threads,
    batchSize: BATCH,
    secondThread,
    profile,
  });
  const optimizer = createOptimizer("momentum", { learningRate: 0.1 });
  const random = new Random(1);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const batch = (b: number) => order.subarray(b * BATCH, (b + 1) * BATCH);
  const batches = Math.ceil(trainSet.count / BATCH);
  let seconds = 0;
  for (let e = 0; e < 2; e++) {
    random.shuffle(order);
    for (const name of Object.keys(profile)) delete profile[name as keyof KernelTimes];
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      trainer.forward(batch(b), b + 1 < batches ? batch(b + 1) : undefined);
      trainer.update(optimizer);
    }
    trainer.sync();
    seconds = (performance.now() - started) / 1000;
  }
  trainer.close();
  return { seconds, profile };
}

const results = [];
for (const [, threads, way] of WAYS) results.push(await epoch(threads, way));
const kernels = Object.entries(results[0].profile).sort(([, a], [, b]) => b.ms - a.ms)
  .map(([name]) => name as keyof KernelTimes);
for (const { profile } of results) {
  for (const name of Object.keys(profile) as (keyof KernelTimes)[]) {
    if (!kernels.includes(name)) kernels.push(name);
  }
}

console.log(
  `\n${KIND} kernels, one epoch of ${BATCH}-image steps (55,000 images, ${
    gflop.toFixed(2)
  } GFLOP with the zero ` +
    `pixels skipped): milliseconds on the main thread, per kernel (calls per epoch):\n`,
);
console.log(`| kernel | ${WAYS.map(([name]) => name).join(" | ")} |`);
console.log(`| --- | ${WAYS.map(() => "---:").join(" | ")} |`);
for (const name of kernels) {
  const cells = results.map(({ profile }) => {
    const entry = profile[name];
    return entry ? `${entry.ms.toFixed(1)} (${entry.calls})` : "–";
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
const rest = results.map(({ seconds, profile }) =>
  1000 * seconds - Object.values(profile).reduce((sum, entry) => sum + entry.ms, 0)
);
console.log(
  `| rest: TypeScript between kernels, waiting for the worker | ` +
    `${rest.map((ms) => ms.toFixed(1)).join(" | ")} |`,
);
console.log(
  `| **epoch** | ${
    results.map(({ seconds }) => `**${(1000 * seconds).toFixed(1)}**`).join(" | ")
  } |`,
);
const floors = WAYS.map(([, threads]) => gflop / (PEAK_GFLOPS_PER_CORE * threads));
console.log(
  `| floor at ${PEAK_GFLOPS_PER_CORE} GFLOP/s per thread | ` +
    `${floors.map((floor) => (1000 * floor).toFixed(1)).join(" | ")} |`,
);
console.log(
  `| epoch ÷ floor | ${
    results.map(({ seconds }, w) => (seconds / floors[w]).toFixed(2)).join(" | ")
  } |`,
);
