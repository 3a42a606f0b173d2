/**
 * Predicting datasets with the convolutional network's fast kernels: the forward pass of
 * {@link ./conv_trainer.ts} on blocks of images, on this thread.
 *
 * @module
 */

import type { ConvNet } from "../cnn/network.ts";
import type { Dataset } from "../data/dataset.ts";
import { CLASSES } from "../loss.ts";
import { type Call, runCall } from "./compute/abi.ts";
import { convShape, forwardBatch } from "./conv_trainer.ts";
import type { FastPrediction } from "./evaluator.ts";
import { writeConvParameters } from "./memory/conv_parameters.ts";
import { type ConvWorkspace, createConvWorkspace } from "./memory/conv_workspace.ts";
import type { KernelKind } from "./memory/workspace.ts";

/** Images per block: about 200 KB of buffers each, 25 MB in all. */
const BATCH = 128;

/**
 * Predicts datasets with a float32 ConvNet on the fast kernels, keeping its workspace from one
 * call to the next while it fits (validation after every epoch has the same shapes). Same
 * results as lib/cnn/evaluate.ts up to float32 rounding.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 *
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 });
 * const images = new Uint8Array(3 * 784).fill(200);
 * const dataset = { images, labels: new Uint8Array([1, 2, 3]), count: 3, source: "example" };
 * const { predicted, probabilities, loss } = new FastConvEvaluator().predict(cnn, dataset, "wasm");
 * assert.equal(predicted.length, 3);
 * assert.ok(Math.abs(probabilities.subarray(0, 10).reduce((a, b) => a + b) - 1) < 1e-6);
 * assert.ok(loss! > 0);
 * ```
 */
export class FastConvEvaluator {
  #workspace: ConvWorkspace | undefined;

  /** Predicts every image of `dataset`; with labels, also the mean loss. */
  predict(cnn: ConvNet, dataset: Dataset, kind: KernelKind): FastPrediction {
    const workspace = this.#fitting(cnn, dataset.count, kind);
    const { layout: L, f32, f64, i32, u8, kernels } = workspace;
    u8.set(dataset.images, L.images);
    writeConvParameters(workspace, cnn);
    const labels = dataset.labels;
    const here = {
      run(first: number, rows: number, _cost: unknown, calls: Call[]) {
        for (const call of calls) runCall(kernels, call, first, first + rows);
      },
    };
    const predicted = new Uint8Array(dataset.count);
    const probabilities = new Float32Array(dataset.count * CLASSES);
    let lossSum = 0;
    for (let start = 0; start < dataset.count; start += BATCH) {
      const m = Math.min(BATCH, dataset.count - start);
      for (let j = 0; j < m; j++) i32[(L.order >> 2) + j] = start + j;
      if (labels) u8.set(labels.subarray(start, start + m), L.labels);
      forwardBatch(workspace, here, m, labels !== undefined);
      predicted.set(u8.subarray(L.predicted, L.predicted + m), start);
      probabilities.set(f32.subarray(L.A4 >> 2, (L.A4 >> 2) + m * CLASSES), start * CLASSES);
      for (let j = 0; j < m; j++) lossSum += f64[(L.loss >> 3) + j];
    }
    if (!labels) return { predicted, probabilities };
    return { predicted, probabilities, loss: lossSum / dataset.count };
  }

  /** The workspace kept from the last call when it fits, else a new one. */
  #fitting(cnn: ConvNet, images: number, kind: KernelKind): ConvWorkspace {
    const shape = { ...convShape(cnn), images, batch: BATCH, training: false };
    const last = this.#workspace;
    const fits = last && last.kernels.name === (kind === "wasm" ? "wasm-simd" : kind) &&
      last.shape.channels1 === shape.channels1 && last.shape.channels2 === shape.channels2 &&
      last.shape.hidden === shape.hidden && last.shape.images >= images;
    if (!fits) this.#workspace = createConvWorkspace(shape, kind);
    return this.#workspace!;
  }
}
