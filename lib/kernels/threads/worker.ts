/**
 * A kernel worker thread (see {@link ./pool.ts}): it instantiates the kernels over the shared
 * memory once, then sleeps on the control block and claims chunks of each job.
 *
 * @module
 */

import { CONTROL, runChunks, waitForChange } from "./jobs.ts";
import { typescriptKernels } from "../compute/typescript.ts";
import { wasmKernels } from "../compute/wasm.ts";

interface Start {
  memory: WebAssembly.Memory;
  kernels: string;
  /** The compiled WebAssembly kernels, when `kernels` is "wasm-simd". */
  module?: WebAssembly.Module;
  control: Int32Array;
  args: Float64Array;
}

const scope = self as unknown as Worker;

scope.onmessage = (event: MessageEvent<Start>) => {
  const { memory, control, args } = event.data;
  const kernels = event.data.kernels === "wasm-simd"
    ? wasmKernels(memory, event.data.module)!
    : typescriptKernels(memory);
  // Read before saying "ready": no job can be posted until every worker has said it.
  let generation = Atomics.load(control, CONTROL.generation);
  scope.postMessage("ready");
  // This loop blocks the worker for good: it needs no events, only the control block.
  for (;;) {
    generation = waitForChange(control, CONTROL.generation, generation);
    if (Atomics.load(control, CONTROL.stop)) return;
    runChunks(kernels, control, args, generation);
  }
};
