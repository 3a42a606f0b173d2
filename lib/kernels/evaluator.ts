/**
 * Prediction with the fast kernels: forward propagation of a whole dataset in blocks of images,
 * as lib/evaluate.ts does with the reference path, on the calling thread or, once
 * {@linkcode FastEvaluator.prepare} has started workers, each block split between the threads.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import type { Network } from "../network.ts";
import { type Call, runCall } from "./compute/abi.ts";
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
import { entryCost, ThreadPool } from "./threads/pool.ts";

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
 * memory lives as long as the evaluator: its owner (train(), a benchmark) drops it when done,
 * after {@linkcode FastEvaluator.close} if it started workers.
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
  /** Threads over #workspace, from prepare(); none: every block on the calling thread. */
  #pool: ThreadPool | undefined;

  /**
   * Sets up the memory for predicting datasets like `dataset` in blocks of `batchSize` images
   * and starts `threads − 1` workers over it: later calls of {@linkcode FastEvaluator.predict}
   * whose dataset fits in it (no more images, the same network shape and kernels) split each
   * block's images between the threads. The images are split, never a sum: the results are
   * the same, bit for bit, as on one thread. Where workers cannot start, predict runs on the
   * calling thread.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { initNetwork } from "../network.ts";
   *
   * const network = initNetwork({ hidden: 8, seed: 1 });
   * const images = Uint8Array.from({ length: 40 * 784 }, (_, p) => (p * 13) % 256);
   * const dataset = { images, labels: new Uint8Array(40), count: 40, source: "example" };
   * const alone = new FastEvaluator().predict(network, dataset, 16, "wasm");
   * const evaluator = new FastEvaluator();
   * await evaluator.prepare(network, dataset, 16, "wasm", 2);
   * const split = evaluator.predict(network, dataset, 16, "wasm");
   * evaluator.close(); // stops the workers
   * assert.deepEqual(split.probabilities, alone.probabilities);
   * assert.equal(split.loss, alone.loss);
   * ```
   */
  async prepare(
    network: Network,
    dataset: Dataset,
    batchSize: number,
    kind: KernelKind,
    threads: number,
  ): Promise<void> {
    const workspace = this.#fitting(shapeFor(network, dataset, batchSize), kind);
    if (this.#pool) return; // already started over this workspace
    this.#pool = await ThreadPool.create(workspace, threads);
  }

  /** Stops the workers {@linkcode FastEvaluator.prepare} started; predict goes on without. */
  close(): void {
    this.#pool?.close();
    this.#pool = undefined;
  }

  /**
   * Predicts every image of `dataset` with the float32 `network` in blocks of `batchSize` (at
   * most 512) images; with labels, also the mean loss. Same results as the reference path up
   * to float32 rounding.
   */
  predict(network: Network, dataset: Dataset, batchSize: number, kind: KernelKind): FastPrediction {
    const shape = shapeFor(network, dataset, batchSize), { batch, classes: c } = shape;
    const workspace = this.#fitting(shape, kind);
    const pool = this.#pool;
    loadImages(workspace, dataset.images);
    const { layout: L, kernels, f32, f64, i32, u8 } = workspace;
    writeParameters(workspace, network);
    const labels = dataset.labels;
    const predicted = new Uint8Array(dataset.count);
    const probabilities = new Float32Array(dataset.count * c);
    let lossSum = 0;
    for (let start = 0; start < dataset.count; start += batch) {
      const m = Math.min(batch, dataset.count - start);
      const indices = Int32Array.from({ length: m }, (_, j) => start + j);
      loadBatch(workspace, labels, indices);
      // Every step is per image: the threads split the block's images by their pixel counts.
      const calls: Call[] = [
        compressImages(workspace),
        hiddenLayer(workspace, network.activation),
        outputLayer(workspace, labels !== undefined),
      ];
      if (pool) pool.run(0, m, entryCost(i32, L.starts >> 2, 0), calls);
      else for (const call of calls) runCall(kernels, call, 0, m);
      predicted.set(u8.subarray(L.predicted, L.predicted + m), start);
      probabilities.set(f32.subarray(L.A2T >> 2, (L.A2T >> 2) + m * c), start * c);
      for (let j = 0; j < m; j++) lossSum += f64[(L.loss >> 3) + j];
    }
    if (!labels) return { predicted, probabilities };
    return { predicted, probabilities, loss: lossSum / dataset.count };
  }

  /**
   * The workspace kept from the last call when it fits `shape` and `kind`, else a new one (and
   * the workers, which share the old one's memory, are stopped).
   */
  #fitting(shape: WorkspaceShape, kind: KernelKind): Workspace {
    const last = this.#workspace?.shape;
    const fits = last && this.#workspace!.kernels.name === (kind === "wasm" ? "wasm-simd" : kind) &&
      last.inputs === shape.inputs && last.hidden === shape.hidden &&
      last.classes === shape.classes && last.batch === shape.batch &&
      last.images >= shape.images && last.entries >= shape.entries;
    if (!fits) {
      this.close();
      this.#workspace = createWorkspace(shape, kind);
    }
    return this.#workspace!;
  }
}

/**
 * The workspace shape for predicting `dataset` with `network` in blocks of at most 512 images:
 * small buffers, and the engine swaps in its optimized code for the kernels after the first
 * block (a call already running keeps its first code).
 */
function shapeFor(network: Network, dataset: Dataset, batchSize: number): WorkspaceShape {
  const batch = Math.max(1, Math.min(batchSize, BLOCK, dataset.count));
  return {
    inputs: network.W1.cols,
    hidden: network.W1.rows,
    classes: network.W2.rows,
    images: dataset.count,
    batch,
    entries: batch * network.W1.cols,
    training: false,
  };
}
