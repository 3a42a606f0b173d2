/**
 * The training loop: shuffle, cut into batches, forward, loss, backward, step; repeat for each
 * epoch, and record how the loss and accuracy move.
 *
 * @module
 */

import { type Augmentation, augmentDataset, type AugmentOptions } from "./augment.ts";
import { type BatchTrainer, referenceTrainer } from "./batch_trainer.ts";
import { referenceConvTrainer } from "./cnn/batch_trainer.ts";
import type { ConvNet } from "./cnn/network.ts";
import type { Dataset } from "./data/dataset.ts";
import { divergence } from "./divergence.ts";
import { BestWeights } from "./early_stopping.ts";
import { TrainingDivergedError } from "./errors.ts";
import { EVALUATION_BATCH_SIZE } from "./evaluate.ts";
import { evaluateModel } from "./evaluate_model.ts";
import type { Model } from "./io/model_kinds.ts";
import {
  createFastConvTrainer,
  createFastTrainer,
  defaultThreads,
  FastConvEvaluator,
  FastEvaluator,
  type KernelChoice,
  type KernelKind,
  resolveKernels,
} from "./kernels/mod.ts";
import type { Network } from "./network.ts";
import type { Optimizer } from "./optimizers.ts";
import { Random } from "./random.ts";
import { withWeightDecay } from "./weight_decay.ts";

/** How the learning rate changes over the epochs. */
export type Schedule = "constant" | "cosine";

/** One row of the training history. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches (measured before each batch's update). */
  loss: number;
  /** Training accuracy over the epoch's batches, measured the same way. */
  trainAccuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** The learning rate used in this epoch. */
  learningRate: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
}

/** Progress within an epoch, for live charts. */
export interface BatchProgress {
  epoch: number;
  /** 1-based batch number within the epoch. */
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
}

/** Options for {@linkcode train}. */
export interface TrainOptions {
  epochs: number;
  /** Images per step; the training set's size (or more) means full-batch gradient descent. */
  batchSize: number;
  optimizer: Optimizer;
  /** Seeds the shuffling: with the same network and seed, training is bit-for-bit repeatable. */
  seed: number;
  /** Evaluated after every epoch when given. */
  validation?: Dataset;
  /** "cosine" lowers the learning rate from its start value to 0 along a half cosine. */
  schedule?: Schedule;
  /** Called after every epoch; training waits for a returned promise. */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Called after every batch; keep it cheap. */
  onBatch?: (progress: BatchProgress) => void | Promise<void>;
  /**
   * "auto" (the default): the fast kernels of lib/kernels/ (WebAssembly SIMD, else TypeScript);
   * "reference": the readable path of lib/network.ts and lib/backprop.ts.
   */
  kernels?: KernelChoice;
  /** Threads for the fast kernels (default: `defaultThreads`). Results do not depend on it. */
  threads?: number;
  /** Decoupled weight decay λ (lib/weight_decay.ts); default 0. */
  weightDecay?: number;
  /**
   * Inverted dropout rate of the hidden units (lib/dropout.ts); default 0. The fast kernels
   * have no dropout: a run with dropout takes the reference path ({@linkcode trainingKernels}).
   */
  dropout?: number;
  /**
   * A fresh randomly warped copy of the training images every epoch (lib/augment.ts); the
   * history's training loss and accuracy are then those of the warped images (and, with
   * dropout, of the thinned network).
   */
  augmentation?: Augmentation;
  /** The strengths of the augmentation's random transforms (lib/augment.ts's defaults). */
  augmentOptions?: AugmentOptions;
  /**
   * Early stopping: stop after this many epochs without a better validation accuracy, and end
   * with the best epoch's weights (needs `validation`).
   */
  patience?: number;
}

/**
 * The kernels {@linkcode train} runs for `options`: the reference path when dropout is asked
 * for (the fast kernels have none), else what `options.kernels` means for `network` (an MLP's
 * Network or a CNN's ConvNet).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 *
 * assert.equal(trainingKernels(initNetwork(), { dropout: 0.2 }), "reference"); // dropout: reference
 * ```
 */
export function trainingKernels(
  network: Network | ConvNet,
  options: Pick<TrainOptions, "kernels" | "dropout">,
): KernelKind | "reference" {
  return options.dropout ? "reference" : resolveKernels(options.kernels ?? "auto", network);
}

/**
 * The learning rate for an epoch (0-based) under a schedule. Cosine annealing takes big steps
 * early, when the loss surface is far from the minimum, and small ones at the end so the weights
 * settle instead of bouncing around it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(learningRateAt(0.1, "cosine", 0, 10), 0.1);
 * assert.ok(Math.abs(learningRateAt(0.1, "cosine", 5, 10) - 0.05) < 1e-12); // halfway: half
 * ```
 */
export function learningRateAt(
  initial: number,
  schedule: Schedule,
  epoch: number,
  epochs: number,
): number {
  if (schedule === "constant") return initial;
  return initial * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
}

/**
 * Trains `network` (an MLP's Network, or a CNN's ConvNet: the same loop with the CNN's passes;
 * dropout and weight decay are the MLP's only) in place on `trainSet` and returns the per-epoch history. Throws
 * {@linkcode TrainingDivergedError} as soon as the loss is NaN or infinite, and after an epoch
 * whose weights exploded or whose loss is stuck at the clamp (see `divergence.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 * import { momentum } from "./optimizers.ts";
 *
 * // 40 images of two kinds: the left half lit (label 0) or the right half (label 1).
 * const images = new Uint8Array(40 * 784);
 * for (let i = 0; i < 40; i++) {
 *   for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (i % 2 === 0)) images[i * 784 + p] = 200;
 * }
 * const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
 * const trainSet = { images, labels, count: 40, source: "halves" };
 * const history = await train(initNetwork({ seed: 1 }), trainSet, {
 *   epochs: 3, batchSize: 8, optimizer: momentum({ learningRate: 0.1 }), seed: 1,
 *   validation: trainSet, onEpoch: (record) => console.log(record.epoch, record.loss),
 * });
 * assert.equal(history.at(-1)!.validationAccuracy, 1);
 * ```
 */
export async function train(
  network: Network | ConvNet,
  trainSet: Dataset,
  options: TrainOptions,
): Promise<EpochRecord[]> {
  if (!trainSet.labels) {
    throw new RangeError(`${trainSet.source} has no labels: cannot train on it`);
  }
  const model: Model = "K1" in network ? { kind: "cnn", network } : { kind: "mlp", network };
  if (model.kind === "cnn" && (options.dropout || options.weightDecay)) {
    throw new RangeError("dropout and weight decay are the MLP's: the CNN has neither");
  }
  const { epochs, schedule = "constant", augmentation = "none" } = options;
  const optimizer = options.weightDecay
    ? withWeightDecay(options.optimizer, options.weightDecay)
    : options.optimizer;
  if (options.patience !== undefined && !options.validation) {
    throw new RangeError("early stopping needs a validation set");
  }
  const batchSize = Math.min(options.batchSize, trainSet.count);
  const initialRate = optimizer.learningRate;
  const random = new Random(options.seed);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const batches = Math.ceil(trainSet.count / batchSize);
  const history: EpochRecord[] = [];
  const kernels = trainingKernels(network, options);
  // Dropout masks and augmentation draw from their own streams: the shuffling stays that of a
  // run without them.
  const dropout = options.dropout
    ? { rate: options.dropout, random: new Random(options.seed ^ 0x0d40) }
    : undefined;
  const augmentRandom = new Random(options.seed ^ 0xa097);
  const best = options.patience !== undefined ? new BestWeights(options.patience) : undefined;
  const threads = options.threads ?? defaultThreads();
  const trainerFor = (dataset: Dataset): Promise<BatchTrainer> => {
    if (model.kind === "cnn") {
      return kernels === "reference"
        ? Promise.resolve(referenceConvTrainer(model.network, dataset))
        : createFastConvTrainer(model.network, dataset, { kind: kernels, threads, batchSize });
    }
    return kernels === "reference"
      ? Promise.resolve(referenceTrainer(model.network, dataset, dropout))
      : createFastTrainer(model.network, dataset, {
        kind: kernels,
        threads,
        batchSize,
        // Room for the later epochs' warped copies, whose ink differs a little from the first's.
        headroom: augmentation === "none" ? 0 : 0.25,
      });
  };
  // Validation after every epoch reuses one evaluator's memory and, for the MLP, its threads,
  // whose workers start while the trainer is set up.
  const evaluators = { evaluator: new FastEvaluator(), convEvaluator: new FastConvEvaluator() };
  const { validation } = options;
  const preparing = validation && model.kind === "mlp" && kernels !== "reference" && threads > 1
    ? evaluators.evaluator.prepare(
      model.network,
      validation,
      EVALUATION_BATCH_SIZE,
      kernels,
      threads,
    )
    : undefined;
  let trainer: BatchTrainer | undefined;
  try {
    if (augmentation === "none") trainer = await trainerFor(trainSet);
    await preparing;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      if (augmentation !== "none") {
        // Each epoch's warped images go into the same trainer where they fit, else a new one.
        const epochImages = augmentDataset(
          trainSet,
          augmentation,
          augmentRandom,
          options.augmentOptions,
        );
        if (!trainer?.loadImages?.(epochImages.images)) {
          trainer?.sync();
          trainer?.close();
          trainer = undefined;
          trainer = await trainerFor(epochImages);
        }
      }
      optimizer.learningRate = learningRateAt(initialRate, schedule, epoch - 1, epochs);
      if (batches > 1) random.shuffle(order);
      let lossSum = 0, correct = 0;
      for (let batch = 0; batch < batches; batch++) {
        const indices = order.subarray(batch * batchSize, (batch + 1) * batchSize);
        const next = batch + 1 < batches
          ? order.subarray((batch + 1) * batchSize, (batch + 2) * batchSize)
          : undefined;
        const { loss, correct: batchCorrect } = trainer!.forward(indices, next);
        if (!Number.isFinite(loss)) {
          throw diverged(
            `the loss became ${loss}`,
            `epoch ${epoch}, batch ${batch + 1}`,
            optimizer,
          );
        }
        lossSum += loss * indices.length;
        correct += batchCorrect;
        trainer!.update(optimizer);
        if (options.onBatch) {
          trainer!.sync();
          await options.onBatch({
            epoch,
            batch: batch + 1,
            batches,
            loss,
            accuracy: batchCorrect / indices.length,
          });
        }
      }
      trainer!.sync();
      const meanLoss = lossSum / trainSet.count;
      const problem = divergence(network, meanLoss, history.at(-1)?.loss);
      if (problem) throw diverged(problem, `epoch ${epoch}`, optimizer);
      const record: EpochRecord = {
        epoch,
        loss: meanLoss,
        trainAccuracy: correct / trainSet.count,
        learningRate: optimizer.learningRate,
        seconds: 0,
      };
      if (options.validation) {
        const { loss, accuracy } = evaluateModel(model, options.validation, {
          kernels,
          ...evaluators,
        });
        record.validationLoss = loss;
        record.validationAccuracy = accuracy;
      }
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      await options.onEpoch?.(record);
      if (best?.observe(epoch, record.validationAccuracy!, network)) break;
    }
  } finally {
    trainer?.sync();
    trainer?.close();
    await preparing?.catch(() => {}); // its workers stop below even if the training failed
    evaluators.evaluator.close();
  }
  best?.restore(network);
  optimizer.learningRate = initialRate;
  return history;
}

/** The error that ends a diverged run: what went wrong, where, and a learning rate to try. */
function diverged(problem: string, where: string, optimizer: Optimizer): TrainingDivergedError {
  const rate = optimizer.learningRate;
  // toPrecision: 1e30 / 10 would print as 1.0000000000000001e+29.
  const lower = Number((rate / 10).toPrecision(3));
  return new TrainingDivergedError(
    `${problem} at ${where}: training diverged; try a lower learning rate than ${rate} ` +
      `(e.g. ${lower})`,
  );
}
