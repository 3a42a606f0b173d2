/**
 * `deno task train`: trains the 784-128-10 network (or, with `--arch cnn`, the convolutional
 * network of lib/cnn/) and saves it.
 *
 * @module
 */

import { splitTrainValidation, subset } from "../lib/data/dataset.ts";
import { UsageError } from "../lib/errors.ts";
import { convNetArchitecture } from "../lib/cnn/model_file.ts";
import { initConvNet } from "../lib/cnn/network.ts";
import { evaluateModel } from "../lib/evaluate_model.ts";
import type { Model } from "../lib/io/model_kinds.ts";
import { saveAnyModel, saveModel } from "../lib/io/model_io.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { percent, trainingReport } from "../lib/report/report.ts";
import { writeReport } from "../lib/report/report_file.ts";
import { type EpochRecord, train, trainingKernels } from "../lib/train.ts";
import { formatHelp, parseFlags } from "./flags.ts";
import { loadTrainingData } from "./load_data.ts";
import { runCommand } from "./main.ts";
import { checkDistinctFiles, checkOutputFile } from "./paths.ts";
import {
  DEFAULT_CNN_MODEL,
  DEFAULT_MODEL,
  REGULARIZATION_DEFAULTS,
  TRAIN_FLAGS,
  type TrainSettings,
  trainSettings,
} from "./train_settings.ts";

function progressLine(record: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  return [
    `epoch ${String(record.epoch).padStart(width)}/${epochs}`,
    `loss ${record.loss.toFixed(4)}`,
    `train ${percent(record.trainAccuracy)}`,
    `validation ${percent(record.validationAccuracy)}`,
    `lr ${record.learningRate.toPrecision(3)}`,
    `${record.seconds.toFixed(1)} s`,
  ].join("  ");
}

/** The settings without those regularisation settings that keep their defaults. */
function withoutDefaults<T extends Record<string, unknown>>(settings: T): Partial<T> {
  // A default run's model file stays byte for byte what it was before these settings existed.
  return Object.fromEntries(
    Object.entries(settings).filter(([key, value]) =>
      !(key in REGULARIZATION_DEFAULTS) ||
      REGULARIZATION_DEFAULTS[key as keyof typeof REGULARIZATION_DEFAULTS] !== value
    ),
  ) as Partial<T>;
}

/** ", weight decay 0.0005, elastic augmentation" for the settings that are not off. */
function regularizationText(settings: TrainSettings): string {
  const parts = [
    settings.weightDecay ? `weight decay ${settings.weightDecay}` : "",
    settings.dropout ? `dropout ${settings.dropout}` : "",
    settings.augmentation !== "none" ? `${settings.augmentation} augmentation` : "",
    settings.patience !== "none" ? `early stopping after ${settings.patience}` : "",
  ].filter((part) => part);
  return parts.map((part) => `, ${part}`).join("");
}

/** Parses the flags, trains, evaluates, saves; see `deno task train --help`. */
export async function trainCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, TRAIN_FLAGS);
  if (flags.help) {
    console.log(
      formatHelp(
        "deno task train [flags]",
        "Trains a 784-128-10 network (or, with --arch cnn, a convolutional one) on MNIST " +
          "digits and saves it.",
        TRAIN_FLAGS,
      ),
    );
    return;
  }
  const settings = trainSettings(flags, navigator.hardwareConcurrency);
  const { out, ...all } = settings; // the model file records every setting but its own path
  const recorded = withoutDefaults(all);
  const { data } = settings;
  const wholeBatch = settings.batchSize === Infinity;
  // Every path is checked now, not after the training a bad one would otherwise waste.
  await checkOutputFile("--out", out, {
    makeFolder: out === DEFAULT_MODEL || out === DEFAULT_CNN_MODEL,
  });
  if (flags.report !== undefined) await checkOutputFile("--report", flags.report);
  await checkDistinctFiles(
    { "--data": data === "mnist" ? undefined : data },
    { "--out": out, "--report": flags.report },
  );
  // With --json, stdout carries only the JSON; progress goes to stderr.
  const log = flags.json ? console.error : console.log;

  const started = performance.now();
  const loaded = await loadTrainingData(data);
  const trainSize = settings.trainSize === "all" ? loaded.train.count : settings.trainSize;
  if (trainSize > loaded.train.count) {
    throw new UsageError(
      `--train-size: ${loaded.train.source} has only ${loaded.train.count} images, got ${trainSize}`,
    );
  }
  if (settings.validation >= trainSize) {
    throw new UsageError(
      `--validation: must be smaller than the ${trainSize} training images, got ${settings.validation}`,
    );
  }
  const labelled = trainSize < loaded.train.count
    ? subset(loaded.train, Array.from({ length: trainSize }, (_, i) => i))
    : loaded.train;
  const { train: trainSet, validation } = splitTrainValidation(
    labelled,
    settings.validation,
    new Random(settings.seed),
  );
  const model: Model = settings.arch === "cnn"
    ? { kind: "cnn", network: initConvNet({ hidden: settings.hidden, seed: settings.seed }) }
    : {
      kind: "mlp",
      network: initNetwork({
        hidden: settings.hidden,
        activation: settings.activation,
        initialization: settings.initialization,
        seed: settings.seed,
      }),
    };
  const { network } = model;
  const kernels = trainingKernels(network, { kernels: flags.kernels, dropout: settings.dropout });
  if (settings.patience !== "none" && validation.count === 0) {
    throw new UsageError("--early-stopping: needs validation images, got --validation 0");
  }
  const batchText = wholeBatch ? "full batch" : `batch ${settings.batchSize}`;
  log(
    `training ${
      model.kind === "cnn"
        ? `the CNN ${convNetArchitecture(model.network)}`
        : `784-${settings.hidden}-10 (${settings.activation})`
    } on ${trainSet.count} images, ` +
      `validating on ${validation.count}: ${settings.optimizer}, lr ${settings.learningRate}, ` +
      `${batchText}, ${settings.schedule} schedule, seed ${settings.seed}` +
      regularizationText(settings) +
      (settings.dropout && flags.kernels !== "reference"
        ? " (dropout: on the reference kernels, the fast ones have none)"
        : ""),
  );
  const stride = Math.ceil(settings.epochs / 25);
  const history = await train(network, trainSet, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: createOptimizer(settings.optimizer, { learningRate: settings.learningRate }),
    seed: settings.seed,
    schedule: settings.schedule,
    validation: validation.count > 0 ? validation : undefined,
    kernels,
    threads: flags.threads,
    weightDecay: settings.weightDecay,
    dropout: settings.dropout,
    augmentation: settings.augmentation,
    patience: settings.patience === "none" ? undefined : settings.patience,
    onEpoch(record) {
      if (record.epoch === 1 || record.epoch % stride === 0 || record.epoch === settings.epochs) {
        log(progressLine(record, settings.epochs));
      }
    },
  });
  // With early stopping the network holds the best validation epoch's weights.
  const last = settings.patience === "none" ? history[history.length - 1] : history.reduce((
    best,
    record,
  ) => record.validationAccuracy! > best.validationAccuracy! ? record : best);
  if (settings.patience !== "none") {
    log(`kept the weights of epoch ${last.epoch} of ${history.length} (best validation)`);
  }
  const test = loaded.test ? evaluateModel(model, loaded.test, { kernels }) : undefined;
  const trainingSeconds = history.reduce((sum, record) => sum + record.seconds, 0);
  const metadata = {
    ...recorded,
    kernels,
    batchSize: wholeBatch ? "full" : settings.batchSize,
    trainImages: trainSet.count,
    validationAccuracy: last.validationAccuracy ?? "none",
    testAccuracy: test?.accuracy ?? "none",
  };
  // The MLP's file is written as it always was (lib/io/model_file.ts, no `kind`).
  if (model.kind === "mlp") await saveModel(out, model.network, metadata);
  else await saveAnyModel(out, model, metadata);
  const seconds = (performance.now() - started) / 1000;
  if (test) {
    log(
      `test accuracy ${percent(test.accuracy)} on the ${
        loaded.test!.count
      } official MNIST test images`,
    );
  }
  log(
    `validation accuracy ${percent(last.validationAccuracy)}; training took ${
      trainingSeconds.toFixed(1)
    } s`,
  );
  log(`saved ${out}`);
  if (flags.report) {
    // Written after the model: if the report fails anyway (disk full), the model is already safe.
    const checked = loaded.test
      ? { name: "test", dataset: loaded.test, evaluation: test! }
      : { name: "validation", dataset: validation, evaluation: evaluateModel(model, validation) };
    const shown = {
      ...settings,
      batchSize: wholeBatch ? "full" : settings.batchSize,
      trainImages: trainSet.count,
      out,
    };
    await writeReport(flags.report, trainingReport({ network, history, settings: shown, checked }));
    log(`wrote ${flags.report}`);
  }
  if (flags.json) {
    console.log(JSON.stringify({
      test_accuracy: test?.accuracy ?? null,
      validation_accuracy: last.validationAccuracy ?? null,
      train_accuracy: last.trainAccuracy,
      loss: last.loss,
      epochs: history.length,
      best_epoch: last.epoch,
      seconds: Number(seconds.toFixed(2)),
      training_seconds: Number(trainingSeconds.toFixed(2)),
      model: out,
      settings: { ...settings, batchSize: wholeBatch ? "full" : settings.batchSize, kernels },
    }));
  }
}

if (import.meta.main) await runCommand("train", trainCommand);
