/**
 * Where a training step's time goes, kernel by kernel: {@linkcode timeKernels} wraps the kernels
 * of one workspace so that every call this thread makes (its own calls and its chunks of the
 * jobs it shares with workers) adds its time to a table. For `deno task bench`'s breakdown of an
 * epoch (bench/epoch_breakdown.ts); training without a table runs the kernels unwrapped.
 *
 * @module
 */

import type { KernelName, Kernels } from "./compute/abi.ts";

/** Calls and milliseconds per kernel, on the thread that made the calls. */
export type KernelTimes = Partial<Record<KernelName, { calls: number; ms: number }>>;

/**
 * Replaces every kernel of `kernels` (in place) by one that runs it and adds the call and its
 * time to `times`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typescriptKernels } from "./compute/typescript.ts";
 *
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const kernels = typescriptKernels(memory), times: KernelTimes = {};
 * timeKernels(kernels, times);
 * new Float32Array(memory.buffer).set([1, 2, 3, 4]); // A (2×2) at byte 0
 * kernels.columnSums(0, 2, 2, 0, 2, 64, 0);
 * kernels.columnSums(0, 2, 2, 0, 2, 64, 0);
 * assert.equal(times.columnSums?.calls, 2);
 * assert.deepEqual([...new Float32Array(memory.buffer, 64, 2)], [4, 6]); // still computed
 * ```
 */
export function timeKernels(kernels: Kernels, times: KernelTimes): void {
  const table = kernels as unknown as Record<string, unknown>;
  for (const name of Object.keys(table) as KernelName[]) {
    const kernel = table[name];
    if (typeof kernel !== "function") continue;
    table[name] = (...args: number[]) => {
      const started = performance.now();
      kernel(...args);
      const entry = times[name] ??= { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - started;
    };
  }
}
