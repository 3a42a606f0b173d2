/**
 * The fast training step: the same mathematics as lib/network.ts and lib/backprop.ts, on one
 * sample per row, in a preallocated workspace, with the big products split between threads.
 *
 *   A1ᵀ = g(Xᵀ·W1ᵀ + b1)                  sparse rows (images) × W1ᵀ   ┐
 *   A2ᵀ = softmax(A1ᵀ·W2ᵀ + b2)            per sample                   ├ threads split the images
 *   dZ2ᵀ = (A2ᵀ − Yᵀ)/m, dZ1ᵀ = (dZ2ᵀ·W2) ∘ g′                          ┘
 *   dW1ᵀ = X·dZ1ᵀ                          sparse rows (pixels) × dZ1ᵀ    threads split the pixels
 *                                          (in blocks of 512 images when the batch is larger)
 *   dW2 = dZ2·A1ᵀ, db2, db1                small: the main thread, while a worker transposes
 *                                          the batch's X for dW1ᵀ (a larger batch: block by
 *                                          block, while the workers start on its dW1ᵀ)
 *
 * The 1/m of the mean is folded into dZ2, so every gradient comes out already averaged. The
 * training set is compressed (zero pixels left out) once per run; a batch copies its images'
 * entries from there.
 *
 * How the threads share a step (the products split, or the next batch prepared meanwhile, or
 * whichever of those and one thread alone is fastest) is {@link ./threads/second_thread.ts}'s to say; every way gives the same
 * numbers, bit for bit.
 *
 * @module
 */

import type { Gradients } from "../backprop.ts";
import type { BatchTrainer } from "../batch_trainer.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Network } from "../network.ts";
import type { Optimizer } from "../optimizers.ts";
import { runCall } from "./compute/abi.ts";
import { type FusedMomentum, fusedMomentum } from "./fused_momentum.ts";
import {
  biasGradientB1,
  biasGradientB2,
  compressImages,
  gatherImages,
  hiddenGradient,
  hiddenLayer,
  outputLayer,
  transposeSparse,
  weightGradientW1,
  weightGradientW2,
} from "./memory/arguments.ts";
import { countNonZero, loadBatch, loadImages } from "./memory/dataset.ts";
import {
  matrixView,
  parameterViews,
  readParameters,
  writeParameters,
} from "./memory/parameters.ts";
import { BLOCK, createWorkspace, type KernelKind } from "./memory/workspace.ts";
import { type KernelTimes, timeKernels } from "./profile.ts";
import { entryCost, type ThreadPool } from "./threads/pool.ts";
import {
  createSecondThread,
  needsSpareBatch,
  type SecondThreadChoice,
} from "./threads/second_thread.ts";

/** Options for {@linkcode createFastTrainer}. */
export interface FastTrainerOptions {
  kind: KernelKind;
  threads: number;
  batchSize: number;
  /**
   * How small batches (up to 512 images) use the threads beyond the first: "split" the
   * products, prepare the "next-batch" (`forward`'s `next`) meanwhile, or "tuned" (the
   * default): time those two and this thread alone now and then, and run the fastest. Bigger
   * batches always split.
   */
  secondThread?: SecondThreadChoice;
  /**
   * Room for this fraction more non-zero pixels than `trainSet`'s images have (default 0), so
   * that `loadImages` can take other images with more ink, e.g. augmented copies.
   */
  headroom?: number;
  /** Filled with the time of every kernel call of this thread (lib/kernels/profile.ts). */
  profile?: KernelTimes;
}

/**
 * A {@linkcode BatchTrainer} on the fast kernels for `network` (float32) and `trainSet`.
 * Call `close()` when done: it stops the worker threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 * import { momentum } from "../optimizers.ts";
 *
 * // 64 images of 784 pixels, every 4th pixel lit, labelled 0-9 in turn.
 * const count = 64;
 * const images = Uint8Array.from({ length: count * 784 }, (_, p) => (p % 4 ? 0 : (p * 7) % 256));
 * const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
 * const trainSet = { images, labels, count, source: "example" };
 * const network = initNetwork({ hidden: 8, seed: 1 });
 * const trainer = await createFastTrainer(network, trainSet, {
 *   kind: "wasm", threads: 2, batchSize: 16,
 * });
 * const optimizer = momentum({ learningRate: 0.1 });
 * const indices = Int32Array.from({ length: 16 }, (_, j) => j);
 * const before = trainer.forward(indices).loss;
 * for (let step = 0; step < 20; step++) {
 *   trainer.forward(indices);
 *   trainer.update(optimizer);
 * }
 * assert.ok(trainer.forward(indices).loss < before);
 * trainer.sync(); // the network now holds the trained parameters
 * trainer.close(); // stops the worker threads
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
  const stored = n <= 65536
    ? Math.ceil(countNonZero(trainSet.images) * (1 + (options.headroom ?? 0)))
    : 0;
  const choice = options.secondThread ?? "tuned";
  const workspace = createWorkspace({
    inputs: n,
    hidden: h,
    classes: c,
    images: trainSet.count,
    batch,
    entries,
    training: true,
    stored,
    spare: stored > 0 && needsSpareBatch(choice, options.threads, batch),
  }, options.kind);
  if (options.profile) timeKernels(workspace.kernels, options.profile);
  // The workers start on their own threads while this one copies and compresses the images.
  const starting = createSecondThread(choice, workspace, options.threads, labels);
  loadImages(workspace, trainSet.images);
  const secondThread = await starting;
  const { layout: L, kernels, i32, f64, u8 } = workspace;
  const parameters = parameterViews(workspace, activation);
  const view = matrixView(workspace);
  const gradients: Gradients = {
    dW1: view(L.dW1T, n, h),
    db1: view(L.db1, h, 1),
    dW2: view(L.dW2, c, h),
    db2: view(L.db2, c, 1),
  };
  writeParameters(workspace, network);
  let m = 0;
  let fullBatchLoaded = false;
  /** Whether the last `forward` named a next batch, which the second thread may be preparing. */
  let nextAnnounced = false;
  /** The pool the current step's products run on. */
  let compute: ThreadPool;
  /** The pool transposing the batch, until its job is finished ({@linkcode settle}). */
  let transposing: ThreadPool | undefined;
  const settle = () => {
    transposing?.finish();
    transposing = undefined;
  };
  /**
   * dW1ᵀ (+)= X_block·dZ1ᵀ_block, the threads splitting the pixels: dW1ᵀ is the sum of these
   * over the blocks of the batch, in order. `meanwhile`: this thread's work while the workers
   * start on it.
   */
  const addWeightGradientW1 = (block: number, meanwhile?: () => void) => {
    const startsT = L.startsT + block * (n + 1) * 4;
    const cost = entryCost(i32, startsT >> 2, 0);
    compute.run(0, n, cost, [weightGradientW1(workspace, block)], meanwhile);
  };
  /** dW2, db1 and db2 (+)= the sums over the batch's `rows` images from image `first`. */
  const addSmallGradients = (first: number, rows: number) => {
    runCall(kernels, weightGradientW2(workspace, rows, first), 0, c);
    runCall(kernels, biasGradientB1(workspace, rows, first), 0, h);
    runCall(kernels, biasGradientB2(workspace, rows, first), 0, c);
  };
  // Momentum runs inside the kernels, for the optimizer it was set up with.
  let fused: { optimizer: Optimizer; momentum: FusedMomentum | undefined } | undefined;

  return {
    description: `${kernels.name}, ${secondThread.description}`,
    forward(indices, next) {
      settle(); // a forward pass without an update since the last one
      m = indices.length;
      nextAnnounced = next !== undefined;
      const plan = secondThread.begin(indices, next);
      compute = plan.pool;
      // A full batch is the same every epoch: compress it once.
      const load = !plan.loaded && !(fullBatchLoaded && m === trainSet.count);
      if (load) loadBatch(workspace, labels, indices);
      // Every step of the forward pass and of dZ1 is per sample: one job per block of images,
      // split between the threads. (Blocks, not one call, also let the engine switch to its
      // optimized code after the first block instead of running a whole full batch unoptimized.)
      for (let first = 0; first < m; first += BLOCK) {
        const rows = Math.min(BLOCK, m - first);
        compute.run(first, rows, entryCost(i32, L.starts >> 2, first), [
          ...(load ? [stored ? gatherImages(workspace) : compressImages(workspace)] : []),
          hiddenLayer(workspace, activation),
          outputLayer(workspace, true),
          hiddenGradient(workspace, m, activation),
        ]);
        if (m <= BLOCK) continue;
        // A batch of several blocks: X of this block in compressed rows per pixel, then its
        // share of every gradient while its A1 and dZ1 are still in the cache (a full batch's
        // are 19 MB each: summed after the last block, each block's would come back from
        // memory). This thread adds the small gradients' share while the workers start on
        // dW1ᵀ's.
        const block = first / BLOCK;
        if (load) runCall(kernels, transposeSparse(workspace, block), first, first + rows);
        addWeightGradientW1(block, () => addSmallGradients(first, rows));
      }
      // A batch of one block is transposed by a worker, when the pool has one, while this
      // thread goes on to dW2 and the biases (update); dW1ᵀ waits for it.
      if (load && m <= BLOCK) {
        compute.start(0, m, (r) => r, [transposeSparse(workspace, 0)], 1);
        transposing = compute;
      }
      fullBatchLoaded = m === trainSet.count;
      let lossSum = 0, correct = 0;
      for (let j = 0; j < m; j++) {
        lossSum += f64[(L.loss >> 3) + j];
        if (u8[L.predicted + j] === u8[L.labels + j]) correct++;
      }
      return { loss: lossSum / m, correct };
    },
    update(optimizer: Optimizer) {
      // A batch of one block (bigger batches' gradients were summed in forward): the small
      // gradients while a worker transposes the batch (forward), then dW1ᵀ.
      if (m <= BLOCK) {
        addSmallGradients(0, m);
        settle();
        addWeightGradientW1(0);
      }
      if (fused?.optimizer !== optimizer) {
        fused?.momentum?.save();
        fused = { optimizer, momentum: fusedMomentum(workspace, optimizer) };
      }
      if (fused.momentum) fused.momentum.step(compute);
      else optimizer.step(parameters, gradients);
      secondThread.end();
    },
    loadImages(images) {
      if (nextAnnounced) throw new Error("loadImages: a next batch may be in preparation");
      if (images.length !== trainSet.images.length) {
        throw new RangeError(`loadImages: expected ${trainSet.images.length} pixels`);
      }
      if (stored > 0 && countNonZero(images) > stored) return false;
      if (entryCapacity(images, n, batch) > entries) return false;
      // A batch a worker may still be copying from the old images (the last step did not
      // wait for it) must not be taken later.
      secondThread.discard();
      loadImages(workspace, images);
      fullBatchLoaded = false;
      return true;
    },
    sync() {
      settle();
      readParameters(workspace, network);
      fused?.momentum?.save();
    },
    close() {
      settle();
      secondThread.close();
    },
  };
}

/**
 * Room for the non-zero pixels of any `batch` images: every pixel for small batches (at most
 * 4 Mi entries, 32 MB), else the sum of the `batch` largest per-image counts.
 */
export function entryCapacity(images: Uint8Array, n: number, batch: number): number {
  if (batch * n <= 1 << 22) return batch * n;
  const counts = Int32Array.from(
    { length: images.length / n },
    (_, i) => countNonZero(images.subarray(i * n, (i + 1) * n)),
  );
  counts.sort().reverse();
  return counts.subarray(0, batch).reduce((sum, count) => sum + count, 0);
}
