/**
 * Prediction with the fast kernels, on the calling thread: forward propagation of a whole
 * dataset in batches, as lib/evaluate.ts does with the reference path.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import type { Evaluation } from "../evaluate.ts";
import { accuracy } from "../metrics.ts";
import type { Network } from "../network.ts";
import { ACTIVATION_CODES } from "./abi.ts";
import { writeParameters } from "./parameters.ts";
import { compressArguments, loadBatch, loadImages } from "./batch.ts";
import {
  BLOCK,
  createWorkspace,
  type KernelKind,
  type Workspace,
  type WorkspaceShape,
} from "./workspace.ts";

/**
 * Predicts every image of `dataset` with the float32 `network`; with labels, also the loss and
 * accuracy. Same results as the reference `evaluate` up to float32 rounding.
 *
 * @example
 * ```ts
 * const { accuracy } = fastEvaluate(network, await loadMnist("test"), 2000, "wasm");
 * ```
 */
export function fastEvaluate(
  network: Network,
  dataset: Dataset,
  batchSize: number,
  kind: KernelKind,
): Evaluation {
  const { W1, W2 } = network;
  const [h, n, c] = [W1.rows, W1.cols, W2.rows];
  // Blocks of at most 512 images: small buffers, and the engine swaps in its optimized code
  // for the kernels after the first block (a call already running keeps its first code).
  const batch = Math.max(1, Math.min(batchSize, BLOCK, dataset.count));
  const workspace = reusableWorkspace({
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
    kernels.compressImages(0, m, ...compressArguments(workspace));
    const code = ACTIVATION_CODES[network.activation];
    kernels.sparseTimesDense(0, m, L.starts, L.indices, L.values, L.W1T, h, L.b1, L.A1T, code, 0);
    kernels.outputLayer(
      0,
      m,
      h,
      c,
      L.A1T,
      L.W2,
      L.b2,
      L.A2T,
      labels ? L.labels : 0,
      L.loss,
      L.predicted,
    );
    predicted.set(u8.subarray(L.predicted, L.predicted + m), start);
    probabilities.set(f32.subarray(L.A2T >> 2, (L.A2T >> 2) + m * c), start * c);
    for (let j = 0; j < m; j++) lossSum += f64[(L.loss >> 3) + j];
  }
  if (!labels) return { predicted, probabilities };
  return {
    predicted,
    probabilities,
    loss: lossSum / dataset.count,
    accuracy: accuracy(predicted, labels),
  };
}

let lastWorkspace: Workspace | undefined;

/**
 * The last evaluation's workspace when it is big enough, else a new one (kept for next time).
 * Validation runs after every epoch on the same shapes: reusing the memory saves allocating and
 * faulting in tens of megabytes each time, which costs more than predicting 5,000 images.
 */
function reusableWorkspace(shape: WorkspaceShape, kind: KernelKind): Workspace {
  const last = lastWorkspace?.shape;
  const fits = last && lastWorkspace!.kernels.name === (kind === "wasm" ? "wasm-simd" : kind) &&
    last.inputs === shape.inputs && last.hidden === shape.hidden &&
    last.classes === shape.classes && last.batch === shape.batch &&
    last.images >= shape.images && last.entries >= shape.entries;
  if (!fits) lastWorkspace = createWorkspace(shape, kind);
  return lastWorkspace!;
}
