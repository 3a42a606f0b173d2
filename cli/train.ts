/**
 * `deno task train`: trains the 784-128-10 network and saves it.
 *
 * @module
 */

import { splitTrainValidation, subset } from "../lib/data/dataset.ts";
import { UsageError } from "../lib/errors.ts";
import { evaluate } from "../lib/evaluate.ts";
import { saveModel } from "../lib/model_io.ts";
import { KERNEL_CHOICES, type KernelChoice } from "../lib/kernels/mod.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer, type OptimizerName } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { percent, trainingReport } from "../lib/report.ts";
import { checkReportPath, writeReport } from "../lib/report_file.ts";
import { type EpochRecord, type Schedule, train } from "../lib/train.ts";
import { type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { DATA_HELP, loadTrainingData } from "./load_data.ts";
import { runCommand } from "./main.ts";

const FLAGS = {
  data: { kind: "string", valueName: "mnist|FILE", help: DATA_HELP, defaultText: "mnist" },
  epochs: {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "passes over the training data (iterations with --full-batch)",
    defaultText: "15; 100 with --full-batch",
  },
  "batch-size": {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "images per step",
    defaultText: "128",
  },
  lr: {
    kind: "number",
    min: 0,
    exclusiveMin: true,
    valueName: "RATE",
    help: "learning rate",
    defaultText: "0.1; 0.001 for adam",
  },
  hidden: { kind: "integer", min: 1, valueName: "N", help: "hidden units", defaultText: "128" },
  activation: {
    kind: "string",
    choices: ["relu", "sigmoid"],
    help: "hidden-layer activation",
    defaultText: "relu",
  },
  optimizer: {
    kind: "string",
    choices: ["gd", "sgd", "momentum", "adam"],
    help: "update rule; gd means full-batch gradient descent",
    defaultText: "momentum; gd with --full-batch",
  },
  schedule: {
    kind: "string",
    choices: ["constant", "cosine"],
    help: "learning-rate schedule over the epochs",
    defaultText: "cosine; constant with --full-batch",
  },
  init: {
    kind: "string",
    choices: ["he", "xavier", "uniform"],
    help: "weight initialization; uniform is the original script's rand() − 0.5",
    defaultText: "he for relu, xavier for sigmoid",
  },
  "full-batch": {
    kind: "boolean",
    help: "the original NumPy recipe: full-batch gradient descent, lr 0.1, 42,000 MNIST images",
  },
  "train-size": {
    kind: "integer",
    min: 2,
    valueName: "N",
    help: "use only the first N labelled images (validation included)",
    defaultText: "all; 42000 with --full-batch on mnist",
  },
  validation: {
    kind: "integer",
    min: 0,
    valueName: "N",
    help: "images held out of training to validate on",
    defaultText: "5000",
  },
  seed: {
    kind: "integer",
    valueName: "N",
    help: "seed for weights, split and shuffling",
    defaultText: "1",
  },
  out: {
    kind: "string",
    valueName: "FILE",
    help: "where to save the model (safetensors)",
    defaultText: "models/mnist-mlp.safetensors",
  },
  report: {
    kind: "string",
    valueName: "FILE",
    help: "also write an HTML report: curves, confusion matrix, mistakes, weights, settings",
  },
  kernels: {
    kind: "string",
    choices: KERNEL_CHOICES,
    help: "auto: WebAssembly SIMD, else TypeScript; reference: the readable lib/ path",
    defaultText: "auto",
  },
  threads: {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "threads for the fast kernels (results do not depend on it)",
    defaultText: "1 for WebAssembly on batches under 512, else 2",
  },
  json: { kind: "boolean", help: "print the final metrics as one JSON object on stdout" },
  debug: { kind: "boolean", help: "print stack traces of errors" },
  help: { kind: "boolean", help: "show this help" },
} as const satisfies Record<string, FlagSpec>;

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

/** Parses the flags, trains, evaluates, saves; see `deno task train --help`. */
export async function trainCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(
      formatHelp(
        "deno task train [flags]",
        "Trains a 784-128-10 network on MNIST digits and saves it.",
        FLAGS,
      ),
    );
    return;
  }
  const fullBatch = flags["full-batch"] ?? false;
  const optimizerName = (flags.optimizer ?? (fullBatch ? "gd" : "momentum")) as OptimizerName;
  const wholeBatch = fullBatch || optimizerName === "gd";
  if (wholeBatch && flags["batch-size"] !== undefined) {
    throw new UsageError(
      "--batch-size: full-batch gradient descent uses the whole training set as one batch",
    );
  }
  const data = flags.data ?? "mnist";
  const settings = {
    data,
    hidden: flags.hidden ?? 128,
    activation: flags.activation ?? "relu",
    initialization: flags.init ?? ((flags.activation ?? "relu") === "relu" ? "he" : "xavier"),
    optimizer: optimizerName,
    learningRate: flags.lr ?? (optimizerName === "adam" ? 0.001 : 0.1),
    schedule: (flags.schedule ?? (fullBatch ? "constant" : "cosine")) as Schedule,
    epochs: flags.epochs ?? (fullBatch ? 100 : 15),
    batchSize: wholeBatch ? Infinity : flags["batch-size"] ?? 128,
    validation: flags.validation ?? 5000,
    seed: flags.seed ?? 1,
  };
  const out = flags.out ?? "models/mnist-mlp.safetensors";
  // A bad --report path fails now, not after the training it would otherwise waste.
  if (flags.report) {
    await checkReportPath(flags.report, data === "mnist" ? { out } : { out, data });
  }
  // With --json, stdout carries only the JSON; progress goes to stderr.
  const log = flags.json ? console.error : console.log;

  const started = performance.now();
  const loaded = await loadTrainingData(data);
  const trainSize = flags["train-size"] ??
    (fullBatch && data === "mnist" ? 42000 : loaded.train.count);
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
  const network = initNetwork({
    hidden: settings.hidden,
    activation: settings.activation as "relu" | "sigmoid",
    initialization: settings.initialization as "he" | "xavier" | "uniform",
    seed: settings.seed,
  });
  const batchText = wholeBatch ? "full batch" : `batch ${settings.batchSize}`;
  log(
    `training 784-${settings.hidden}-10 (${settings.activation}) on ${trainSet.count} images, ` +
      `validating on ${validation.count}: ${optimizerName}, lr ${settings.learningRate}, ` +
      `${batchText}, ${settings.schedule} schedule, seed ${settings.seed}`,
  );
  const stride = Math.ceil(settings.epochs / 25);
  const history = await train(network, trainSet, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: createOptimizer(optimizerName, { learningRate: settings.learningRate }),
    seed: settings.seed,
    schedule: settings.schedule,
    validation: validation.count > 0 ? validation : undefined,
    kernels: flags.kernels as KernelChoice | undefined,
    threads: flags.threads,
    onEpoch(record) {
      if (record.epoch === 1 || record.epoch % stride === 0 || record.epoch === settings.epochs) {
        log(progressLine(record, settings.epochs));
      }
    },
  });
  const last = history[history.length - 1];
  const test = loaded.test
    ? evaluate(network, loaded.test, { kernels: flags.kernels as KernelChoice | undefined })
    : undefined;
  const trainingSeconds = history.reduce((sum, record) => sum + record.seconds, 0);
  await saveModel(out, network, {
    ...settings,
    batchSize: wholeBatch ? "full" : settings.batchSize,
    trainImages: trainSet.count,
    validationAccuracy: last.validationAccuracy ?? "none",
    testAccuracy: test?.accuracy ?? "none",
  });
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
      : { name: "validation", dataset: validation, evaluation: evaluate(network, validation) };
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
      epochs: settings.epochs,
      seconds: Number(seconds.toFixed(2)),
      training_seconds: Number(trainingSeconds.toFixed(2)),
      model: out,
    }));
  }
}

if (import.meta.main) await runCommand("train", trainCommand);
