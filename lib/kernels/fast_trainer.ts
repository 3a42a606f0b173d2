/**
 * The fast training step: the same mathematics as lib/network.ts and lib/backprop.ts, on one
 * sample per row, in a preallocated workspace, with the big products split between threads.
 *
 *   A1ᵀ = g(Xᵀ·W1ᵀ + b1)                  sparse rows (images) × W1ᵀ   ┐
 *   A2ᵀ = softmax(A1ᵀ·W2ᵀ + b2)            per sample                   ├ threads split the images
 *   dZ2ᵀ = (A2ᵀ − Yᵀ)/m, dZ1ᵀ = (dZ2ᵀ·W2) ∘ g′                          ┘
 *   dW1ᵀ = X·dZ1ᵀ                          sparse rows (pixels) × dZ1ᵀ    threads split the pixels
 *                                          (in blocks of 512 images when the batch is larger)
 *   dW2 = dZ2·A1ᵀ, db2, db1                small: the main thread
 *
 * The 1/m of the mean is folded into dZ2, so every gradient comes out already averaged. The
 * training set is compressed (zero pixels left out) once per run; a batch copies its images'
 * entries from there.
 *
 * A small batch (up to 512 images) can use a second thread another way: this thread computes
 * the whole step while a worker prepares the next batch (copies its entries and transposes
 * them). Which way is faster depends on how busy the machine is: a StepTuner times both now
 * and then. Every way gives the same numbers, bit for bit.
 *
 * @module
 */

import type { Gradients } from "../backprop.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Network } from "../network.ts";
import type { Optimizer } from "../optimizers.ts";
import type { BatchTrainer } from "../train.ts";
import { ACTIVATION_CODES } from "./abi.ts";
import { type FusedMomentum, fusedMomentum } from "./fused_momentum.ts";
import { matrixView, parameterViews, readParameters, writeParameters } from "./parameters.ts";
import type { Call } from "./jobs.ts";
import { entryCost, ThreadPool } from "./pool.ts";
import { StepTuner } from "./tuner.ts";
import {
  compressArguments,
  gatherArguments,
  loadBatch,
  loadImages,
  transposeArguments,
} from "./batch.ts";
import { nextBatch } from "./next_batch.ts";
import { BLOCK, createWorkspace, type KernelKind } from "./workspace.ts";

/** Options for {@linkcode createFastTrainer}. */
export interface FastTrainerOptions {
  kind: KernelKind;
  threads: number;
  batchSize: number;
  /**
   * Small batches on more than one thread can run two ways: the products on this thread while
   * a worker prepares the next batch (`forward`'s `next`), or every product split between the
   * threads. true or false picks one; by default a {@linkcode StepTuner} times both now and
   * then and runs the faster.
   */
  pipeline?: boolean;
}

/**
 * A {@linkcode BatchTrainer} on the fast kernels for `network` (float32) and `trainSet`.
 * Call `close()` when done: it stops the worker threads.
 *
 * @example
 * ```ts
 * const trainer = await createFastTrainer(network, trainSet, {
 *   kind: "wasm", threads: 2, batchSize: 128,
 * });
 * const { loss } = trainer.forward(indices);
 * trainer.update(optimizer);
 * trainer.sync();
 * trainer.close();
 * ```
 */
export async function createFastTrainer(
  network: Network,
  trainSet: Dataset,
  options: FastTrainerOptions,
): Promise<BatchTrainer> {
  const labels = trainSet.labels!;
  const { W1, W2, activation } = network;
  const [h, n, c] = [W1.rows, W1.cols, W2.rows];
  const batch = Math.min(options.batchSize, trainSet.count);
  const entries = entryCapacity(trainSet.images, n, batch);
  // Compress the training set once when its pixel indices fit in 16 bits (784 do).
  let stored = 0;
  if (n <= 65536) { for (const pixel of trainSet.images) if (pixel !== 0) stored++; }
  // The two ways need the compressed training set and a batch in one block (512 images).
  const small = options.threads > 1 && stored > 0 && batch <= BLOCK;
  const workspace = createWorkspace({
    inputs: n,
    hidden: h,
    classes: c,
    images: trainSet.count,
    batch,
    entries,
    training: true,
    stored,
    spare: small,
  }, options.kind);
  loadImages(workspace, trainSet.images);
  const pool = await ThreadPool.create(workspace, options.threads);
  // Pipelined steps compute on this thread alone (a pool without workers), while the pool's
  // workers prepare the next batch.
  const twoWays = small && pool.threads > 1 && options.pipeline !== false;
  const local = twoWays ? await ThreadPool.create(workspace, 1) : pool;
  const tuner = twoWays && options.pipeline === undefined
    ? new StepTuner(["pipeline", "split"] as const)
    : undefined;
  const upcoming = twoWays ? nextBatch(workspace, pool, labels) : undefined;
  let compute = pool;
  let lastStart: number | undefined;
  const { layout: L, kernels, i32, f64, u8 } = workspace;
  const code = ACTIVATION_CODES[activation];
  const parameters = parameterViews(workspace, activation);
  const view = matrixView(workspace);
  const gradients: Gradients = {
    dW1: view(L.dW1T, n, h),
    db1: view(L.db1, h, 1),
    dW2: view(L.dW2, c, h),
    db2: view(L.db2, c, 1),
  };
  writeParameters(workspace, network);
  /** The call that fills the current batch's entries, once loadBatch has set it up. */
  const load = (): Call =>
    stored
      ? { kernel: "gatherImages", args: gatherArguments(workspace) }
      : { kernel: "compressImages", args: compressArguments(workspace) };
  let m = 0;
  let fullBatchLoaded = false;
  // Momentum runs inside the kernels, for the optimizer it was set up with.
  let fused: { optimizer: Optimizer; momentum: FusedMomentum | undefined } | undefined;
  /** X in compressed rows per pixel, one block of images at a time: dW1ᵀ's input. */
  const transposeBlocks = () => {
    for (let first = 0; first < m; first += BLOCK) {
      const to = Math.min(first + BLOCK, m);
      kernels.transposeSparse(first, to, ...transposeArguments(workspace, first / BLOCK));
    }
  };

  const threads = `${pool.threads} thread${pool.threads > 1 ? "s" : ""}`;

  return {
    description: `${kernels.name}, ${threads}` +
      (!twoWays
        ? ""
        : tuner
        ? " (the next batch prepared or the products split, whichever is faster)"
        : " (one preparing the next batch)"),
    forward(indices, next) {
      m = indices.length;
      const now = performance.now();
      if (tuner && lastStart !== undefined) tuner.record(now - lastStart);
      lastStart = now;
      const pipelined = twoWays && (tuner ? tuner.way === "pipeline" : true);
      compute = pipelined ? local : pool;
      // A full batch is the same every epoch: compress it once.
      let compress = !(fullBatchLoaded && m === trainSet.count);
      // Take the batch the workers prepared, if it is this one and it is ready. Pipelined, a
      // batch not ready yet (the system may have paused the worker) is not waited for: this
      // thread prepares it itself, and announces none until the worker is done. Split, the
      // pool's workers are needed: they finish first.
      if (upcoming?.busy && upcoming.take(indices, !pipelined)) compress = false;
      if (compress) loadBatch(workspace, labels, indices);
      if (pipelined && next && !upcoming!.busy) upcoming!.prepare(next);
      // Every step of the forward pass and of dZ1 is per sample: one job per block of images,
      // split between the threads. (Blocks, not one call, also let the engine switch to its
      // optimized code after the first block instead of running a whole full batch unoptimized.)
      for (let first = 0; first < m; first += BLOCK) {
        const rows = Math.min(BLOCK, m - first);
        compute.run(first, rows, entryCost(i32, L.starts >> 2, first), [
          ...(compress ? [load()] : []),
          {
            kernel: "sparseTimesDense",
            args: [L.starts, L.indices, L.values, L.W1T, h, L.b1, L.A1T, code, 0],
          },
          {
            kernel: "outputLayer",
            args: [h, c, L.A1T, L.W2, L.b2, L.A2T, L.labels, L.loss, L.predicted],
          },
          {
            kernel: "hiddenGradient",
            args: [h, c, L.A1T, L.W2, L.A2T, L.labels, 1 / m, code, L.dZ2T, L.dZ1T],
          },
        ]);
      }
      if (compress) transposeBlocks();
      fullBatchLoaded = m === trainSet.count;
      let lossSum = 0, correct = 0;
      for (let j = 0; j < m; j++) {
        lossSum += f64[(L.loss >> 3) + j];
        if (u8[L.predicted + j] === u8[L.labels + j]) correct++;
      }
      return { loss: lossSum / m, correct };
    },
    update(optimizer: Optimizer) {
      // dW1ᵀ = Σ over blocks of X_block·dZ1ᵀ_block: threads split the pixels of each block.
      for (let block = 0; block * BLOCK < m; block++) {
        const first = block * BLOCK, entriesBefore = i32[(L.starts >> 2) + first];
        const startsT = L.startsT + block * (n + 1) * 4;
        compute.run(0, n, entryCost(i32, startsT >> 2, 0), [{
          kernel: "sparseTimesDense",
          args: [
            startsT,
            L.indicesT + entriesBefore * 4,
            L.valuesT + entriesBefore * 4,
            L.dZ1T + first * h * 4,
            h,
            0,
            L.dW1T,
            ACTIVATION_CODES.none,
            block > 0 ? 1 : 0,
          ],
        }]);
      }
      kernels.transposedProduct(0, c, m, L.dZ2T, c, L.A1T, h, L.dW2);
      kernels.columnSums(0, c, m, L.dZ2T, c, L.db2);
      kernels.columnSums(0, h, m, L.dZ1T, h, L.db1);
      if (fused?.optimizer !== optimizer) {
        fused?.momentum?.save();
        fused = { optimizer, momentum: fusedMomentum(workspace, optimizer) };
      }
      if (fused.momentum) fused.momentum.step();
      else optimizer.step(parameters, gradients);
    },
    sync() {
      readParameters(workspace, network);
      fused?.momentum?.save();
    },
    close() {
      pool.close();
      if (local !== pool) local.close();
    },
  };
}

/**
 * Room for the non-zero pixels of any `batch` images: every pixel for small batches (at most
 * 4 Mi entries, 32 MB), else the sum of the `batch` largest per-image counts.
 */
export function entryCapacity(images: Uint8Array, n: number, batch: number): number {
  if (batch * n <= 1 << 22) return batch * n;
  const counts = new Int32Array(images.length / n);
  for (let p = 0; p < images.length; p++) if (images[p] !== 0) counts[(p / n) | 0]++;
  counts.sort().reverse();
  return counts.subarray(0, batch).reduce((sum, count) => sum + count, 0);
}
