/**
 * Which kernels run: chosen automatically (WebAssembly SIMD where the engine has it, else the
 * TypeScript fallback), or by name for comparisons. "reference" is the readable path of
 * lib/network.ts and lib/backprop.ts, unchanged.
 *
 * @module
 */

import type { ConvNet } from "../cnn/network.ts";
import type { Network } from "../network.ts";
import { wasmModule } from "./compute/wasm.ts";
import type { KernelKind } from "./memory/workspace.ts";

/** What the user asks for. */
export type KernelChoice = "auto" | KernelKind | "reference";

/** The choices, for flag parsing and help texts. */
export const KERNEL_CHOICES: readonly KernelChoice[] = ["auto", "wasm", "typescript", "reference"];

/**
 * The kernels `choice` means for `network` (an MLP or a CNN) here. The fast kernels are
 * float32: a Float64 network (the gradient check's) always takes the reference path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * assert.equal(resolveKernels("auto", initNetwork()), "wasm"); // in Deno and current browsers
 * assert.equal(resolveKernels("auto", initNetwork({ precision: "f64" })), "reference");
 * ```
 */
export function resolveKernels(
  choice: KernelChoice,
  network: Network | ConvNet,
): KernelKind | "reference" {
  const weights = "K1" in network ? network.K1 : network.W1;
  if (choice === "reference" || !(weights.data instanceof Float32Array)) return "reference";
  if (choice === "auto") return wasmModule() ? "wasm" : "typescript";
  if (choice === "wasm" && !wasmModule()) {
    throw new Error("WebAssembly SIMD with shared memory is not available in this runtime");
  }
  return choice;
}

/**
 * The default number of threads: 2, or 1 on a single core. How they share a step depends on
 * the batch and on what is fastest at the moment (threads/second_thread.ts); results never depend
 * on it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok([1, 2].includes(defaultThreads())); // 2, or 1 on a single core
 * ```
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 1));
}
