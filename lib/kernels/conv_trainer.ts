/**
 * The convolutional network's fast training step: lib/cnn/network.ts's forward and backward
 * passes as kernels over one workspace ({@link ./memory/conv_workspace.ts}), the per-sample
 * layers split between threads by samples, the weight gradients by their output rows:
 *
 *   X → im2col → A1 = ReLU(K1·cols1 + b1) → P1 = maxpool(A1)            ┐
 *   im2col(P1) → A2 = ReLU(K2·cols2 + b2) → P2 = maxpool(A2) → A3, A4    │ per sample
 *   dZ4, dZ3, dP2 = W3ᵀ·dZ3, dZ2 = maxpool′ ∘ ReLU′                       │ (threads split
 *   dP1 = col2im(K2ᵀ·dZ2), dZ1 = maxpool′ ∘ ReLU′                         ┘  the samples)
 *   dK1, db1 = Σⱼ dZ1[j]·cols1[j]ᵀ; dK2, db2 the same     rows: output channels (summed over
 *   dW3 = dZ3·Fᵀ, db3, dW4 = dZ4·A3ᵀ, db4                 rows: output rows      the samples
 *                                                                            in order)
 * The 1/m of the mean is folded into dZ4, so every gradient comes out averaged. Every output
 * element is computed by one thread in one fixed order: results are bit-identical for any
 * thread count. The optimizer (any of lib/optimizers.ts) steps views of the workspace.
 *
 * @module
 */

import type { BatchTrainer } from "../batch_trainer.ts";
import type { ConvNet } from "../cnn/network.ts";
import type { Dataset } from "../data/dataset.ts";
import { CLASSES } from "../loss.ts";
import {
  convolutionBackward1,
  convolutionBackward2,
  convolutionForward1,
  convolutionForward2,
  convolutionOutput,
  denseGradients,
  kernelGradient,
} from "./memory/arguments.ts";
import {
  convGradientViews,
  convParameterViews,
  readConvParameters,
  writeConvParameters,
} from "./memory/conv_parameters.ts";
import { type ConvWorkspace, createConvWorkspace } from "./memory/conv_workspace.ts";
import type { KernelKind } from "./memory/workspace.ts";
import { ThreadPool } from "./threads/pool.ts";

/** Options for {@linkcode createFastConvTrainer}. */
export interface FastConvTrainerOptions {
  kind: KernelKind;
  threads: number;
  batchSize: number;
}

/** Equal cost per row: samples and channels all cost the same. */
const rowCost = (r: number) => r;

/**
 * A {@linkcode BatchTrainer} on the fast kernels for `cnn` (float32) and `trainSet`. Call
 * `close()` when done: it stops the worker threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 * import { momentum } from "../optimizers.ts";
 *
 * const count = 16;
 * const images = Uint8Array.from({ length: count * 784 }, (_, p) => (p % 5 ? 0 : (p * 7) % 256));
 * const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
 * const cnn = initConvNet({ channels1: 2, channels2: 4, hidden: 8, seed: 1 });
 * const trainer = await createFastConvTrainer(cnn, { images, labels, count, source: "example" }, {
 *   kind: "wasm", threads: 2, batchSize: 8,
 * });
 * const optimizer = momentum({ learningRate: 0.05 });
 * const batch = Int32Array.from({ length: 8 }, (_, j) => j);
 * const before = trainer.forward(batch).loss;
 * for (let step = 0; step < 10; step++) {
 *   trainer.forward(batch);
 *   trainer.update(optimizer);
 * }
 * assert.ok(trainer.forward(batch).loss < before);
 * trainer.sync(); // cnn now holds the trained parameters
 * trainer.close();
 * ```
 */
export async function createFastConvTrainer(
  cnn: ConvNet,
  trainSet: Dataset,
  options: FastConvTrainerOptions,
): Promise<BatchTrainer> {
  const labels = trainSet.labels!;
  const workspace = createConvWorkspace({
    ...convShape(cnn),
    images: trainSet.count,
    batch: Math.min(options.batchSize, trainSet.count),
    training: true,
  }, options.kind);
  const { layout: L, u8, i32 } = workspace;
  u8.set(trainSet.images, L.images);
  writeConvParameters(workspace, cnn);
  const parameters = convParameterViews(workspace, cnn);
  const gradients = convGradientViews(workspace, cnn);
  const pool = await ThreadPool.create(workspace, options.threads);
  const { channels1: c1, channels2: c2, hidden: h } = workspace.shape;
  let m = 0;
  return {
    description: `${workspace.kernels.name}, ${pool.threads} thread${pool.threads > 1 ? "s" : ""}`,
    forward(indices) {
      m = indices.length;
      i32.set(indices, L.order >> 2);
      for (let j = 0; j < m; j++) u8[L.labels + j] = labels[indices[j]];
      const { loss, correct } = forwardBatch(workspace, pool, m, true);
      return { loss: loss!, correct };
    },
    update(optimizer) {
      pool.run(0, m, rowCost, convolutionBackward2(workspace, m));
      pool.run(0, m, rowCost, convolutionBackward1(workspace));
      pool.run(0, c1, rowCost, [kernelGradient(workspace, 1, m)]);
      pool.run(0, c2, rowCost, [kernelGradient(workspace, 2, m)]);
      const [dW3, db3, dW4, db4] = denseGradients(workspace, m);
      pool.run(0, h, rowCost, [dW3, db3]);
      pool.run(0, CLASSES, rowCost, [dW4, db4]);
      optimizer.step(parameters, gradients);
    },
    sync() {
      readConvParameters(workspace, cnn);
    },
    close() {
      pool.close();
    },
  };
}

/**
 * The workspace sizes of `cnn`'s layers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 *
 * assert.deepEqual(convShape(initConvNet({ channels1: 4 })), {
 *   channels1: 4, channels2: 16, hidden: 128,
 * });
 * ```
 */
export function convShape(cnn: ConvNet): { channels1: number; channels2: number; hidden: number } {
  return { channels1: cnn.K1.shape[0], channels2: cnn.K2.shape[0], hidden: cnn.W3.rows };
}

/**
 * The forward pass of the `m` samples whose image indices (and, with `labelled`, labels) the
 * workspace holds, on `pool`'s threads (or anything that runs calls on rows the same way): A4, the predictions and, with labels, the mean loss and the correct count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 * import { writeConvParameters } from "./memory/conv_parameters.ts";
 * import { createConvWorkspace } from "./memory/conv_workspace.ts";
 * import { ThreadPool } from "./threads/pool.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * cnn.W4.data.fill(0); // every class gets probability 1/10
 * const shape = { channels1: 2, channels2: 3, hidden: 4, images: 1, batch: 1, training: false };
 * const workspace = createConvWorkspace(shape, "typescript");
 * writeConvParameters(workspace, cnn);
 * const pool = await ThreadPool.create(workspace, 1);
 * workspace.u8[workspace.layout.labels] = 3;
 * const { loss, correct } = forwardBatch(workspace, pool, 1, true);
 * pool.close();
 * assert.ok(Math.abs(loss! - Math.log(10)) < 1e-6);
 * assert.equal(correct, 0); // the tie goes to class 0
 * ```
 */
export function forwardBatch(
  workspace: ConvWorkspace,
  pool: Pick<ThreadPool, "run">,
  m: number,
  labelled: boolean,
): { loss?: number; correct: number } {
  const { layout: L, f64, u8 } = workspace;
  pool.run(0, m, rowCost, convolutionForward1(workspace));
  pool.run(0, m, rowCost, convolutionForward2(workspace));
  pool.run(0, m, rowCost, [convolutionOutput(workspace, labelled)]);
  if (!labelled) return { correct: 0 };
  let lossSum = 0, correct = 0;
  for (let j = 0; j < m; j++) {
    lossSum += f64[(L.loss >> 3) + j];
    if (u8[L.predicted + j] === u8[L.labels + j]) correct++;
  }
  return { loss: lossSum / m, correct };
}
