/**
 * The data every contender of bench/compare.ts trains on, chosen as `deno task train` does:
 * MNIST's 60,000 training images less 5,000 for validation (seed 1), or for the full-batch
 * recipe the first 42,000 less 5,000.
 *
 * @module
 */

import { type Dataset, splitTrainValidation, subset } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { Random } from "../lib/random.ts";

/** The training, validation and test sets of a benchmark mode. */
export interface BenchData {
  trainSet: Dataset;
  validation: Dataset;
  test: Dataset;
}

/**
 * The sets for "sgd" (55,000 / 5,000) or "full-batch" (37,000 / 5,000), test: MNIST's 10,000.
 *
 * @example
 * ```ts
 * const { trainSet, test } = await benchData("sgd");
 * ```
 */
export async function benchData(mode: "sgd" | "full-batch"): Promise<BenchData> {
  const all = await loadMnist("train");
  const labelled = mode === "full-batch"
    ? subset(all, Array.from({ length: 42000 }, (_, i) => i))
    : all;
  const { train, validation } = splitTrainValidation(labelled, 5000, new Random(1));
  return { trainSet: train, validation, test: await loadMnist("test") };
}

/**
 * This process's peak resident memory in MB (Linux's VmHWM), or NaN where /proc is missing.
 *
 * @example
 * ```ts
 * peakRssMb(); // 180.5
 * ```
 */
export function peakRssMb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    return Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) / 1024;
  } catch {
    return NaN;
  }
}
