/**
 * Loading the WebAssembly SIMD kernels (built from wasm/assembly/ by `deno task build:wasm`).
 * The binary is embedded in {@link ./kernels_wasm.ts}, compiled once, and instantiated once per
 * thread over the shared memory.
 *
 * @module
 */

import type { Kernels } from "./abi.ts";
import { decodeBase64 } from "./base64.ts";
import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled module, or null where this engine lacks WebAssembly SIMD or shared memory (an
 * old browser, a page that is not cross-origin isolated): the caller then falls back to the
 * TypeScript kernels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok(wasmModule() instanceof WebAssembly.Module); // Deno has SIMD and shared memory
 * ```
 */
export function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    const usable = typeof WebAssembly === "object" && typeof SharedArrayBuffer === "function" &&
      WebAssembly.validate(bytes);
    compiled = usable ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/**
 * The WebAssembly kernels over `memory` (which must be shared), or undefined where they cannot
 * run here. Workers are handed the `module` compiled on the main thread: they need not compile
 * it again, and share the engine's optimized code of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
 * assert.equal(wasmKernels(memory)?.name, "wasm-simd");
 * assert.equal(wasmKernels(new WebAssembly.Memory({ initial: 2 })), undefined); // not shared
 * ```
 */
export function wasmKernels(
  memory: WebAssembly.Memory,
  module: WebAssembly.Module | null = wasmModule(),
): Kernels | undefined {
  if (!module || !(memory.buffer instanceof SharedArrayBuffer)) return undefined;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const heapBase = (exports.heapBase as () => number)();
  if (heapBase > WASM_RESERVED_BYTES) {
    throw new Error(`the kernels' static data ends at ${heapBase} > ${WASM_RESERVED_BYTES}`);
  }
  return { name: "wasm-simd", ...exports } as unknown as Kernels;
}

/** Bytes the module keeps for itself at the start of memory: its static data (the lookup tables
 * of exp and log, 7 KiB today). Every instance writes the same bytes there. */
export const WASM_RESERVED_BYTES = 65536;
