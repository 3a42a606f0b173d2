/**
 * Which kernels run: chosen automatically (WebAssembly SIMD where the engine has it, else the
 * TypeScript fallback), or by name for comparisons. "reference" is the readable path of
 * lib/network.ts and lib/backprop.ts, unchanged.
 *
 * @module
 */

import type { Network } from "../network.ts";
import { wasmModule } from "./wasm.ts";
import type { KernelKind } from "./workspace.ts";

/** What the user asks for. */
export type KernelChoice = "auto" | KernelKind | "reference";

/** The choices, for flag parsing and help texts. */
export const KERNEL_CHOICES: readonly KernelChoice[] = ["auto", "wasm", "typescript", "reference"];

/**
 * The kernels `choice` means for `network` here. The fast kernels are float32: a Float64
 * network (the gradient check's) always takes the reference path.
 *
 * @example
 * ```ts
 * resolveKernels("auto", initNetwork()); // "wasm" in Deno and current browsers
 * ```
 */
export function resolveKernels(choice: KernelChoice, network: Network): KernelKind | "reference" {
  if (choice === "reference" || !(network.W1.data instanceof Float32Array)) return "reference";
  if (choice === "auto") return wasmModule() ? "wasm" : "typescript";
  if (choice === "wasm" && !wasmModule()) {
    throw new Error("WebAssembly SIMD with shared memory is not available in this runtime");
  }
  return choice;
}

/**
 * The default number of threads: 2, or 1 on a single core. How they share the work depends on
 * the batch ({@linkcode defaultPipeline}); results never depend on it.
 *
 * @example
 * ```ts
 * defaultThreads(); // 2 on a 2-core machine
 * ```
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 1));
}

/**
 * Whether training with more than one thread should run each step's products on one thread
 * while another prepares the next batch (true), rather than split the products (false):
 * true for the WebAssembly kernels on batches under 512 images. Measured on this project's
 * 2-core virtual machine, epochs of 128-image steps: split products took from 0.20 s (the
 * second core free) to 0.45 s (busy with other work), against 0.27–0.30 s on one thread,
 * since every job of a step waits for both threads; preparing the next batch (copying its
 * images' entries and transposing them, ~0.12 ms of a ~0.6 ms step) took 0.23–0.25 s in the
 * same hours, as the main thread never waits for it. The TypeScript kernels' products are
 * long enough for the split to pay.
 *
 * @example
 * ```ts
 * defaultPipeline("wasm", 128); // true
 * defaultPipeline("wasm", 37000); // false
 * ```
 */
export function defaultPipeline(kind: KernelKind, batchSize: number): boolean {
  return kind === "wasm" && batchSize < 512;
}
