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
 * The default number of threads for `kind` and batches of `batchSize` images: 2 (1 on a
 * single core), except for the WebAssembly kernels on batches under 512 images, which get 1.
 * Measured on this project's 2-core machine, both thread counts in one process: a batch of 128
 * takes 25 % longer on 2 threads than on 1 with WebAssembly (a step is under a millisecond, and
 * handing the freshly updated weights and activations from core to core costs more than the
 * second core saves), 22 % less with TypeScript; a batch of 20,000 takes 31 % less on 2
 * threads. Results never depend on it.
 *
 * @example
 * ```ts
 * defaultThreads("wasm", 128); // 1
 * defaultThreads("wasm", 37000); // 2 on a 2-core machine
 * ```
 */
export function defaultThreads(kind: KernelKind, batchSize: number): number {
  const cores = Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 1));
  return kind === "wasm" && batchSize < 512 ? 1 : cores;
}
