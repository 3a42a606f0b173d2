/**
 * `deno task train`'s flags, and the settings they mean once every default is filled in. The
 * defaults depend on each other (`--full-batch` changes five of them, Adam its learning rate,
 * the activation its initialisation), so they are resolved here, in one pure function with
 * tests, rather than inside the command.
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import { KERNEL_CHOICES } from "../lib/kernels/mod.ts";
import type { Activation } from "../lib/activations.ts";
import { type Augmentation, AUGMENTATIONS } from "../lib/augment.ts";
import type { Initialization } from "../lib/network.ts";
import type { OptimizerName } from "../lib/optimizers.ts";
import type { Schedule } from "../lib/train.ts";
import { COMMON_FLAGS, type Flags, type FlagSpec } from "./flags.ts";
import { DATA_HELP } from "./load_data.ts";

/** The model file `deno task train` writes unless `--out` says otherwise. */
export const DEFAULT_MODEL = "models/mnist-mlp.safetensors";
/** The model file `deno task train --arch cnn` writes unless `--out` says otherwise. */
export const DEFAULT_CNN_MODEL = "models/mnist-cnn.safetensors";

/** The models `--arch` chooses from. */
export const ARCHITECTURES = ["mlp", "cnn"] as const;
/** A model: the 784-h-10 perceptron (lib/network.ts) or the LeNet-style CNN (lib/cnn/). */
export type Architecture = typeof ARCHITECTURES[number];

/**
 * `--arch cnn`'s recipe, every setting chosen on the validation set (docs/performance.md has
 * the runs): lib/cnn/network.ts's default shapes trained with momentum on a cosine schedule,
 * each epoch on a fresh copy of the images shifted by up to 2 pixels.
 */
export const CNN_RECIPE = {
  optimizer: "momentum",
  learningRate: 0.05,
  batchSize: 64,
  epochs: 10,
  schedule: "cosine",
  augmentation: "shift",
} as const;

/**
 * The most hidden units `--hidden` accepts. 16,384 units are 13 million weights; training keeps
 * about four float32 copies of each (weights, gradients, momentum, the kernels' transposed
 * layout), so about 200 MB — far more than MNIST needs, well within a laptop's memory.
 */
export const MAX_HIDDEN = 16_384;

/** Bytes per hidden unit while training: 4 float32 copies of its 784 + 1 + 10 parameters. */
const TRAINING_BYTES_PER_UNIT = 4 * 4 * (784 + 1 + 10);

/**
 * `--recipe best`: the best 784-128-10 this project trained, every setting chosen on the
 * validation set (docs/best_recipe.md has the runs).
 */
export const BEST_RECIPE = {
  epochs: 100,
  augmentation: "affine",
} as const;

const RECIPE_TEXT = `the default recipe for ${BEST_RECIPE.epochs} epochs with --augment ` +
  BEST_RECIPE.augmentation;

/** The flags of `deno task train`. */
export const TRAIN_FLAGS = {
  arch: {
    kind: "string",
    choices: ARCHITECTURES,
    help: "mlp: the 784-128-10 network; cnn: the convolutional network of lib/cnn " +
      `(${CNN_RECIPE.optimizer}, lr ${CNN_RECIPE.learningRate}, batch ${CNN_RECIPE.batchSize}, ` +
      `${CNN_RECIPE.epochs} epochs, --augment ${CNN_RECIPE.augmentation} unless flags say ` +
      "otherwise)",
    defaultText: "mlp",
  },
  data: { kind: "string", valueName: "mnist|FILE", help: DATA_HELP, defaultText: "mnist" },
  epochs: {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "passes over the training data (iterations with --full-batch)",
    defaultText: `15; 100 with --full-batch; ${CNN_RECIPE.epochs} with --arch cnn`,
  },
  "batch-size": {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "images per step",
    defaultText: `128; ${CNN_RECIPE.batchSize} with --arch cnn`,
  },
  lr: {
    kind: "number",
    min: 0,
    exclusiveMin: true,
    valueName: "RATE",
    help: "learning rate",
    defaultText: `0.1; 0.001 for adam; ${CNN_RECIPE.learningRate} with --arch cnn`,
  },
  hidden: {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: `hidden units (at most ${MAX_HIDDEN}); the CNN's dense layer's with --arch cnn`,
    defaultText: "128",
  },
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
    min: 0,
    max: 2 ** 32 - 1,
    valueName: "N",
    help: "seed for weights, split and shuffling (the generator has 32 bits of state)",
    defaultText: "1",
  },
  out: {
    kind: "string",
    valueName: "FILE",
    help: "where to save the model (safetensors); its folder must exist",
    defaultText: `${DEFAULT_MODEL}; ${DEFAULT_CNN_MODEL} with --arch cnn`,
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
    help: "threads for the fast kernels, up to the cores there are (results do not depend on it)",
    defaultText: "2, or 1 on a 1-core machine",
  },
  "weight-decay": {
    kind: "number",
    min: 0,
    valueName: "λ",
    help: "decoupled weight decay: W ← W − lr·λ·W each step, for W1 and W2",
    defaultText: "0",
  },
  dropout: {
    kind: "number",
    min: 0,
    max: 0.9,
    valueName: "P",
    help: "inverted dropout rate of the hidden units (runs the reference kernels)",
    defaultText: "0",
  },
  augment: {
    kind: "string",
    choices: AUGMENTATIONS,
    help: "a fresh warped copy of the training images each epoch; each kind adds to the last",
    defaultText: `none; ${CNN_RECIPE.augmentation} with --arch cnn`,
  },
  "early-stopping": {
    kind: "integer",
    min: 1,
    valueName: "N",
    help: "stop after N epochs without a better validation accuracy; keep the best weights",
  },
  recipe: {
    kind: "string",
    choices: ["best"],
    help: `best: ${RECIPE_TEXT} (other flags override it)`,
  },
  json: {
    kind: "boolean",
    help: "print the settings and final metrics as one JSON object on stdout",
  },
  ...COMMON_FLAGS,
} as const satisfies Record<string, FlagSpec>;

/** What a training run does, every default filled in. */
export interface TrainSettings {
  arch: Architecture;
  data: string;
  hidden: number;
  activation: Activation;
  initialization: Initialization;
  optimizer: OptimizerName;
  learningRate: number;
  schedule: Schedule;
  epochs: number;
  /** Images per step; Infinity for full-batch gradient descent. */
  batchSize: number;
  /** How many labelled images to use (validation included); "all" for every one. */
  trainSize: number | "all";
  validation: number;
  seed: number;
  out: string;
  /** Decoupled weight decay λ; 0 for none. */
  weightDecay: number;
  /** Dropout rate of the hidden units; 0 for none. */
  dropout: number;
  augmentation: Augmentation;
  /** Early stopping's patience in epochs, or "none". */
  patience: number | "none";
}

/**
 * The settings added after the first model files (regularisation, the architecture), and their
 * values when not asked for: a model file records them only when they differ.
 */
export const REGULARIZATION_DEFAULTS = {
  arch: "mlp",
  weightDecay: 0,
  dropout: 0,
  augmentation: "none",
  patience: "none",
} as const satisfies Partial<TrainSettings>;

/** The flags that only the MLP has, with why. */
const MLP_ONLY = {
  "full-batch": "the CNN trains on mini-batches",
  activation: "the CNN's units are ReLUs",
  init: "the CNN starts from He's initialisation",
  dropout: "the CNN has no dropout",
  "weight-decay": "the CNN has no weight decay",
  recipe: "best is the MLP's recipe",
} as const satisfies Partial<Record<keyof typeof TRAIN_FLAGS, string>>;

/**
 * The settings `flags` mean. Throws a {@linkcode UsageError} for flags that contradict each
 * other or ask for more than the machine can do (`cores`: the processor count).
 *
 * @example
 * ```ts
 * const settings = trainSettings({ "full-batch": true }, 2);
 * settings.optimizer; // "gd"
 * settings.epochs; // 100
 * settings.trainSize; // 42000
 * ```
 */
export function trainSettings(flags: Flags<typeof TRAIN_FLAGS>, cores: number): TrainSettings {
  if (flags.arch === "cnn") return cnnSettings(flags, cores);
  const fullBatch = flags["full-batch"] ?? false;
  const optimizer = flags.optimizer ?? (fullBatch ? "gd" : "momentum");
  const wholeBatch = fullBatch || optimizer === "gd";
  if (wholeBatch && flags["batch-size"] !== undefined) {
    throw new UsageError(
      "--batch-size: full-batch gradient descent uses the whole training set as one batch",
    );
  }
  const hidden = flags.hidden ?? 128;
  if (hidden > MAX_HIDDEN) {
    const gigabytes = (hidden * TRAINING_BYTES_PER_UNIT / 1e9).toPrecision(2);
    throw new UsageError(
      `--hidden: expected at most ${MAX_HIDDEN} units, got ${hidden} (training it would need ` +
        `about ${gigabytes} GB for its weights, gradients and momentum alone)`,
    );
  }
  if (flags.threads !== undefined && flags.threads > cores) {
    throw new UsageError(
      `--threads: this machine has ${cores} core${cores === 1 ? "" : "s"}, got ${flags.threads}`,
    );
  }
  const data = flags.data ?? "mnist";
  const activation = flags.activation ?? "relu";
  const recipe = flags.recipe === "best" ? BEST_RECIPE : undefined;
  if (recipe && fullBatch) {
    throw new UsageError("--recipe: best trains on mini-batches, it cannot be --full-batch");
  }
  return {
    arch: "mlp",
    data,
    hidden,
    activation,
    initialization: flags.init ?? (activation === "relu" ? "he" : "xavier"),
    optimizer,
    learningRate: flags.lr ?? (optimizer === "adam" ? 0.001 : 0.1),
    schedule: flags.schedule ?? (fullBatch ? "constant" : "cosine"),
    epochs: flags.epochs ?? recipe?.epochs ?? (fullBatch ? 100 : 15),
    batchSize: wholeBatch ? Infinity : flags["batch-size"] ?? 128,
    trainSize: flags["train-size"] ?? (fullBatch && data === "mnist" ? 42000 : "all"),
    validation: flags.validation ?? 5000,
    seed: flags.seed ?? 1,
    out: flags.out ?? DEFAULT_MODEL,
    weightDecay: flags["weight-decay"] ?? 0,
    dropout: flags.dropout ?? 0,
    augmentation: flags.augment ?? recipe?.augmentation ?? "none",
    patience: flags["early-stopping"] ?? "none",
  };
}

/** trainSettings for `--arch cnn`: {@linkcode CNN_RECIPE} where flags do not say otherwise. */
function cnnSettings(flags: Flags<typeof TRAIN_FLAGS>, cores: number): TrainSettings {
  for (const [flag, why] of Object.entries(MLP_ONLY)) {
    if (flags[flag as keyof typeof MLP_ONLY] !== undefined) {
      throw new UsageError(`--${flag}: not with --arch cnn (${why})`);
    }
  }
  const optimizer = flags.optimizer ?? CNN_RECIPE.optimizer;
  if (optimizer === "gd") {
    throw new UsageError("--optimizer: gd is full-batch gradient descent, not with --arch cnn");
  }
  if (flags.threads !== undefined && flags.threads > cores) {
    throw new UsageError(
      `--threads: this machine has ${cores} core${cores === 1 ? "" : "s"}, got ${flags.threads}`,
    );
  }
  return {
    arch: "cnn",
    data: flags.data ?? "mnist",
    hidden: flags.hidden ?? 128,
    activation: "relu",
    initialization: "he",
    optimizer,
    learningRate: flags.lr ??
      (optimizer === "adam" ? 0.001 : CNN_RECIPE.learningRate),
    schedule: flags.schedule ?? CNN_RECIPE.schedule,
    epochs: flags.epochs ?? CNN_RECIPE.epochs,
    batchSize: flags["batch-size"] ?? CNN_RECIPE.batchSize,
    trainSize: flags["train-size"] ?? "all",
    validation: flags.validation ?? 5000,
    seed: flags.seed ?? 1,
    out: flags.out ?? DEFAULT_CNN_MODEL,
    weightDecay: 0,
    dropout: 0,
    augmentation: flags.augment ?? CNN_RECIPE.augmentation,
    patience: flags["early-stopping"] ?? "none",
  };
}
