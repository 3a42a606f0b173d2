/**
 * Prediction with the fast kernels, on the calling thread: forward propagation of a whole
 * dataset in blocks of images, as lib/evaluate.ts does with the reference path.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import type { Network } from "../network.ts";
import { runCall } from "./compute/abi.ts";
import { compressImages, hiddenLayer, outputLayer } from "./memory/arguments.ts";
import { loadBatch, loadImages } from "./memory/dataset.ts";
import { writeParameters } from "./memory/parameters.ts";
import {
  BLOCK,
  createWorkspace,
  type KernelKind,
  type Workspace,
  type WorkspaceShape,
} from "./memory/workspace.ts";

/** What {@linkcode FastEvaluator.predict} returns: lib/evaluate.ts's Evaluation less accuracy. */
export interface FastPrediction {
  /** The predicted digit of each image. */
  predicted: Uint8Array;
  /** Class probabilities, `classes` per image. */
  probabilities: Float32Array;
  /** Mean cross-entropy; only for labelled data. */
  loss?: number;
}

/**
 * Predicts datasets with the fast kernels, keeping its workspace from one call to the next when
 * it is big enough: validation runs after every epoch on the same shapes, and allocating and
 * faulting in tens of megabytes each time would cost more than predicting 5,000 images. The
 * memory lives as long as the evaluator: its owner (train(), a benchmark) drops it when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const network = initNetwork({ hidden: 8, seed: 1 });
 * const images = new Uint8Array(3 * 784).fill(200);
 * const dataset = { images, labels: new Uint8Array([1, 2, 3]), count: 3, source: "example" };
 * const evaluator = new FastEvaluator();
 * const { predicted, probabilities } = evaluator.predict(network, dataset, 2, "typescript");
 * assert.equal(predicted.length, 3);
 * assert.ok(Math.abs(probabilities.subarray(0, 10).reduce((a, b) => a + b) - 1) < 1e-6);
 * ```
 */
export class FastEvaluator {
  #workspace: Workspace | undefined;

  /**
   * Predicts every image of `dataset` with the float32 `network` in blocks of `batchSize` (at
   * most 512) images; with labels, also the mean loss. Same results as the reference path up
   * to float32 rounding.
   */
  predict(network: Network, dataset: Dataset, batchSize: number, kind: KernelKind): FastPrediction {
    const { W1, W2 } = network;
    const [h, n, c] = [W1.rows, W1.cols, W2.rows];
    // Blocks of at most 512 images: small buffers, and the engine swaps in its optimized code
    // for the kernels after the first block (a call already running keeps its first code).
    const batch = Math.max(1, Math.min(batchSize, BLOCK, dataset.count));
    const workspace = this.#fitting({
      inputs: n,
      hidden: h,
      classes: c,
      images: dataset.count,
      batch,
      entries: batch * n,
      training: false,
    }, kind);
    loadImages(workspace, dataset.images);
    const { layout: L, kernels, f32, f64, u8 } = workspace;
    writeParameters(workspace, network);
    const labels = dataset.labels;
    const predicted = new Uint8Array(dataset.count);
    const probabilities = new Float32Array(dataset.count * c);
    let lossSum = 0;
    for (let start = 0; start < dataset.count; start += batch) {
      const m = Math.min(batch, dataset.count - start);
      const indices = Int32Array.from({ length: m }, (_, j) => start + j);
      loadBatch(workspace, labels, indices);
      runCall(kernels, compressImages(workspace), 0, m);
      runCall(kernels, hiddenLayer(workspace, network.activation), 0, m);
      runCall(kernels, outputLayer(workspace, labels !== undefined), 0, m);
      predicted.set(u8.subarray(L.predicted, L.predicted + m), start);
      probabilities.set(f32.subarray(L.A2T >> 2, (L.A2T >> 2) + m * c), start * c);
      for (let j = 0; j < m; j++) lossSum += f64[(L.loss >> 3) + j];
    }
    if (!labels) return { predicted, probabilities };
    return { predicted, probabilities, loss: lossSum / dataset.count };
  }

  /** The workspace kept from the last call when it fits `shape` and `kind`, else a new one. */
  #fitting(shape: WorkspaceShape, kind: KernelKind): Workspace {
    const last = this.#workspace?.shape;
    const fits = last && this.#workspace!.kernels.name === (kind === "wasm" ? "wasm-simd" : kind) &&
      last.inputs === shape.inputs && last.hidden === shape.hidden &&
      last.classes === shape.classes && last.batch === shape.batch &&
      last.images >= shape.images && last.entries >= shape.entries;
    if (!fits) this.#workspace = createWorkspace(shape, kind);
    return this.#workspace!;
  }
}
