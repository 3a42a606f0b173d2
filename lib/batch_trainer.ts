/**
 * One training step as {@linkcode train} (lib/train.ts) runs it, split where it checks the
 * loss: the contract both the readable reference path below and the fast kernels
 * (lib/kernels/mod.ts `createFastTrainer`) implement.
 *
 * @module
 */

import { backwardPropagation } from "./backprop.ts";
import { type Dataset, PIXELS } from "./data/dataset.ts";
import { dropoutMask } from "./dropout.ts";
import { crossEntropyLoss, oneHot } from "./loss.ts";
import type { Matrix } from "./matrix.ts";
import { type ForwardCache, forwardPropagation, type Network, predictions } from "./network.ts";
import type { Optimizer } from "./optimizers.ts";
import type { Random } from "./random.ts";
import { SparseColumns } from "./sparse.ts";

/**
 * One training step, split where train() checks the loss. The reference path and the fast
 * kernels both implement it.
 */
export interface BatchTrainer {
  /** "reference", or the kernels and threads, e.g. "wasm-simd, 2 threads". */
  readonly description: string;
  /**
   * Forward pass of the images at `indices`: the batch's mean loss and correct predictions.
   * `next`, when known, is the batch the following call will ask for: a trainer may prepare
   * it meanwhile (the array may change after the call: read it during the call only).
   */
  forward(indices: Int32Array, next?: Int32Array): { loss: number; correct: number };
  /** Backpropagation of the last forward batch, then one optimizer step. */
  update(optimizer: Optimizer): void;
  /**
   * Makes `images` (as many as the training set's, in the same order, so its labels still
   * hold) the images later batches are drawn from: each epoch's augmented copy, without a new
   * trainer. Call it between epochs, after a `forward` without `next`. Returns false, changing
   * nothing, when they do not fit the memory the trainer set up: the caller then makes a new
   * trainer. Trainers without it are made anew for every new set of images.
   */
  loadImages?(images: Uint8Array): boolean;
  /** Makes the network hold the current parameters (the fast kernels keep their own copy). */
  sync(): void;
  /** Releases threads. */
  close(): void;
}

/**
 * The reference step: {@linkcode forwardPropagation}, then {@linkcode backwardPropagation} and
 * the optimizer, on the network itself; with `dropout`, a fresh mask per batch from its random.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 * import { momentum } from "./optimizers.ts";
 *
 * const trainSet = {
 *   images: Uint8Array.from({ length: 3 * 784 }, (_, p) => (p % 3 ? 0 : 200)),
 *   labels: new Uint8Array([1, 2, 3]),
 *   count: 3,
 *   source: "example",
 * };
 * const trainer = referenceTrainer(initNetwork({ seed: 1 }), trainSet);
 * const optimizer = momentum({ learningRate: 0.01 });
 * const batch = Int32Array.from([0, 1, 2]);
 * const { loss } = trainer.forward(batch);
 * trainer.update(optimizer);
 * assert.ok(trainer.forward(batch).loss < loss);
 * ```
 */
export function referenceTrainer(
  network: Network,
  trainSet: Dataset,
  dropout?: { rate: number; random: Random },
): BatchTrainer {
  const labels = trainSet.labels!;
  let images = trainSet.images;
  let last: { cache: ForwardCache; Y: Matrix } | undefined;
  // Full-batch gradient descent sees the same single batch every epoch: build it once.
  let fullBatch: { X: SparseColumns; Y: Matrix } | undefined;
  const precision = network.W1.data instanceof Float64Array ? "f64" : "f32";
  return {
    description: "reference",
    forward(indices) {
      const batchLabels = indices.map((i) => labels[i]);
      const { X, Y } = indices.length === trainSet.count && fullBatch ? fullBatch : {
        X: SparseColumns.fromPixels(images, indices, PIXELS),
        Y: oneHot(batchLabels),
      };
      if (indices.length === trainSet.count) fullBatch = { X, Y };
      const D1 = dropout &&
        dropoutMask(dropout.rate, network.W1.rows, indices.length, dropout.random, precision);
      last = { cache: forwardPropagation(network, X, D1), Y };
      const predicted = predictions(last.cache.A2);
      let correct = 0;
      for (let j = 0; j < predicted.length; j++) if (predicted[j] === batchLabels[j]) correct++;
      return { loss: crossEntropyLoss(last.cache.A2, Y), correct };
    },
    update(optimizer) {
      optimizer.step(network, backwardPropagation(network, last!.cache, last!.Y));
    },
    loadImages(newImages) {
      images = newImages;
      fullBatch = undefined;
      return true;
    },
    sync() {},
    close() {},
  };
}
