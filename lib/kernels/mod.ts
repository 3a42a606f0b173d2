/**
 * The fast path: the mathematics of lib/network.ts, lib/backprop.ts and lib/optimizers.ts on
 * one sample per row, in one preallocated memory, with WebAssembly SIMD kernels (a TypeScript
 * fallback where SIMD or shared memory is missing) and worker threads that split rows, never
 * sums, so results are bit-identical for any thread count. This module is its only face:
 * train(), evaluate(), the CLI, the benchmarks and notebook 9 import from here.
 *
 * | kernel              | computes (a row per image; T: transposed)  | reference in lib/          |
 * | ------------------- | ------------------------------------------ | -------------------------- |
 * | `countPixels`       | counts[i] = #{p : pixel p of image i ≠ 0}  | `SparseColumns.fromPixels` |
 * | `compressImages`    | Xᵀ's rows: (p, x_p / 255) for x_p ≠ 0      | `SparseColumns.fromPixels` |
 * | `gatherImages`      | the same, from images compressed once      | `SparseColumns.fromPixels` |
 * | `transposeSparse`   | X in rows per pixel, from Xᵀ               | `matmulSparseTransposed`   |
 * | `sparseTimesDense`  | A1ᵀ = g(Xᵀ·W1ᵀ + b1); dW1ᵀ = X·dZ1ᵀ        | `forwardPropagation`, dW1  |
 * | `outputLayer`       | A2ᵀ = softmax(A1ᵀ·W2ᵀ + b2), −log A2[y]    | `forwardPropagation`, loss |
 * | `hiddenGradient`    | dZ2ᵀ = (A2ᵀ − Yᵀ)/m, dZ1ᵀ = (dZ2ᵀ·W2) ∘ g′ | `backwardPropagation`      |
 * | `transposedProduct` | dW2 = dZ2·A1ᵀ                              | `matmulTransposeB`         |
 * | `columnSums`        | db = Σⱼ dZ[:, j] (db2, db1)                | `sumRows`                  |
 * | `momentumStep`      | v ← β·v + dθ, θ ← θ − η·v                  | `momentum().step`          |
 *
 * The convolutional network's kernels (compute/conv_abi.ts; one sample after another in
 * lib/cnn/tensor.ts's layout) against lib/cnn/:
 *
 * | kernel                      | computes                                  | reference in lib/cnn/   |
 * | --------------------------- | ----------------------------------------- | ----------------------- |
 * | `loadPixels`                | X[j] = image order[j] / 255               | `imageBatch`            |
 * | `im2col`, `convolutionLayer` | A = g(K·cols(X) + b)                     | `convolve`, ReLU        |
 * | `maxPool`                   | P = maxpool(A), argmax                    | `maxPool`               |
 * | `denseLayer`                | A3 = g(W3·F + b3)                         | `forwardPropagation`    |
 * | `denseInputGradient`        | dF = W3ᵀ·dZ3                              | `backwardToInputs`      |
 * | `maxPoolReluBackward`       | dZ = maxpool′(dP) ∘ ReLU′                 | `maxPoolBackward`, ReLU′ |
 * | `convolutionInputGradient`, `col2im` | dX = col2im(Kᵀ·dZ)               | `convolveBackward` dX   |
 * | `convolutionKernelGradient` | dK = Σⱼ dZ[j]·cols[j]ᵀ, db               | `convolveBackward` dK   |
 *
 * (The CNN's output layer, dZ4 and dZ3, dW3, dW4 and the biases' sums are the MLP's kernels.)
 *
 * (dW1: `backwardPropagation`'s `matmulSparseTransposed`; loss: `crossEntropyLoss`.) The 1/m
 * of the mean is folded into dZ2, so every gradient comes out averaged. Behind this face, by
 * concept:
 *
 * - `compute/`: the kernels' interface (abi.ts), their two implementations (WebAssembly from
 *   wasm/assembly/, generated into kernels_wasm.ts by `deno task build:wasm`; TypeScript): maths
 *   on one memory, knowing nothing of batches or threads.
 * - `memory/`: the workspace's layout, the dataset and its batches in it, the parameters' views,
 *   and arguments.ts, the one place that turns a workspace into each kernel's arguments (its
 *   builders grouped in arguments/: images, the MLP's layers, the CNN's).
 * - `threads/`: the job protocol, the pool, the worker, and second_thread.ts, the one place that
 *   says what the threads beyond the first do during a step.
 * - trainer.ts, evaluator.ts, fused_momentum.ts: the training step, prediction, and momentum
 *   run by the kernels; conv_trainer.ts, conv_evaluator.ts: the CNN's; select.ts: which
 *   kernels and how many threads; profile.ts: the time of each kernel, for the benchmarks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 * import { kernelCalls } from "./mod.ts";
 *
 * // One compressed batch of 2 images through the hidden layer, with runCall and the typed
 * // arguments of arguments.ts.
 * const network = initNetwork({ hidden: 8, seed: 1 });
 * const images = new Uint8Array(2 * 784).fill(255);
 * const workspace = createWorkspace({
 *   inputs: 784, hidden: 8, classes: 10, images: 2, batch: 2, entries: 2 * 784, training: false,
 * }, "typescript");
 * writeParameters(workspace, network);
 * loadImages(workspace, images);
 * loadBatch(workspace, undefined, [0, 1]);
 * runCall(workspace.kernels, kernelCalls.compressImages(workspace), 0, 2);
 * runCall(workspace.kernels, kernelCalls.hiddenLayer(workspace, "none"), 0, 2);
 * // Z1[0, 0] = Σₚ W1[0, p]·1 + b1[0], b1 = 0 at initialisation.
 * const Z1 = workspace.f32[workspace.layout.A1T >> 2];
 * const expected = Array.from(network.W1.data.subarray(0, 784)).reduce((sum, w) => sum + w, 0);
 * assert.ok(Math.abs(Z1 - expected) < 1e-4);
 * ```
 *
 * @module
 */

export { ACTIVATION_CODES, type Call, type Kernels, runCall } from "./compute/abi.ts";
export * as kernelCalls from "./memory/arguments.ts";
export type { ActivationName } from "./memory/arguments.ts";
export { loadBatch, loadImages } from "./memory/dataset.ts";
export { readParameters, writeParameters } from "./memory/parameters.ts";
export {
  createWorkspace,
  type KernelKind,
  type Workspace,
  type WorkspaceShape,
} from "./memory/workspace.ts";
export { SECOND_THREAD_CHOICES, type SecondThreadChoice } from "./threads/second_thread.ts";
export { FastEvaluator, type FastPrediction } from "./evaluator.ts";
export { defaultThreads, KERNEL_CHOICES, type KernelChoice, resolveKernels } from "./select.ts";
export { type KernelTimes } from "./profile.ts";
export { createFastTrainer, type FastTrainerOptions } from "./trainer.ts";
export { createFastConvTrainer, type FastConvTrainerOptions } from "./conv_trainer.ts";
export { FastConvEvaluator } from "./conv_evaluator.ts";
