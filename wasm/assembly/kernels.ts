/**
 * The WebAssembly module's entry point (AssemblyScript). Built by `deno task build:wasm` into
 * lib/kernels/compute/kernels_wasm.ts; the memory is imported (shared between threads), and the
 * module allocates nothing: lib/kernels/memory/workspace.ts lays out every buffer.
 */

export {
  compressImages, countPixels, gatherImages, sparseTimesDense, storeImages, transposeSparse,
} from "./sparse";
export { columnSums, hiddenGradient, outputLayer, transposedProduct } from "./dense";
export { momentumStep } from "./optimizer";
export { convolutionLayer, im2col, loadPixels } from "./conv";
export { col2im, convolutionInputGradient, convolutionKernelGradient } from "./conv_backward";
export { denseInputGradient, denseLayer } from "./conv_dense";
export { maxPool, maxPoolReluBackward } from "./pool";

/** The first byte after the module's own static data: buffers start at or after it. */
export function heapBase(): usize {
  return __heap_base;
}
