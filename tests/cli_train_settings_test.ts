import assert from "node:assert/strict";
import { BEST_RECIPE, CNN_RECIPE, MAX_HIDDEN, trainSettings } from "../cli/train_settings.ts";

Deno.test("trainSettings: the defaults are the course's recipe", () => {
  assert.deepEqual(trainSettings({}, 2), {
    arch: "mlp",
    data: "mnist",
    hidden: 128,
    activation: "relu",
    initialization: "he",
    optimizer: "momentum",
    learningRate: 0.1,
    schedule: "cosine",
    epochs: 15,
    batchSize: 128,
    trainSize: "all",
    validation: 5000,
    seed: 1,
    out: "models/mnist-mlp.safetensors",
    weightDecay: 0,
    dropout: 0,
    augmentation: "none",
    patience: "none",
  });
});

Deno.test("trainSettings: regularisation flags, and --recipe best with flags overriding it", () => {
  const settings = trainSettings({
    "weight-decay": 1e-4,
    dropout: 0.2,
    augment: "affine",
    "early-stopping": 3,
  }, 2);
  assert.equal(settings.weightDecay, 1e-4);
  assert.equal(settings.dropout, 0.2);
  assert.equal(settings.augmentation, "affine");
  assert.equal(settings.patience, 3);
  const best = trainSettings({ recipe: "best" }, 2);
  assert.deepEqual({ epochs: best.epochs, augmentation: best.augmentation }, BEST_RECIPE);
  // Everything else is the default recipe's.
  const { epochs: _e, augmentation: _a, ...rest } = best;
  const { epochs: _e2, augmentation: _a2, ...defaults } = trainSettings({}, 2);
  assert.deepEqual(rest, defaults);
  assert.equal(trainSettings({ recipe: "best", epochs: 3 }, 2).epochs, 3);
  assert.equal(trainSettings({ recipe: "best", augment: "none" }, 2).augmentation, "none");
  assert.throws(() => trainSettings({ recipe: "best", "full-batch": true }, 2), {
    name: "UsageError",
    message: "--recipe: best trains on mini-batches, it cannot be --full-batch",
  });
});

Deno.test("trainSettings: --full-batch is the original NumPy recipe, and flags still override it", () => {
  const settings = trainSettings({ "full-batch": true }, 2);
  assert.equal(settings.optimizer, "gd");
  assert.equal(settings.schedule, "constant");
  assert.equal(settings.epochs, 100);
  assert.equal(settings.batchSize, Infinity);
  assert.equal(settings.trainSize, 42000);
  assert.equal(trainSettings({ "full-batch": true, data: "data/train.csv" }, 2).trainSize, "all");
  assert.equal(trainSettings({ "full-batch": true, epochs: 5, lr: 0.5 }, 2).learningRate, 0.5);
  assert.equal(trainSettings({ optimizer: "gd" }, 2).batchSize, Infinity);
});

Deno.test("trainSettings: defaults that follow other flags", () => {
  assert.equal(trainSettings({ optimizer: "adam" }, 2).learningRate, 0.001);
  assert.equal(trainSettings({ activation: "sigmoid" }, 2).initialization, "xavier");
  assert.equal(
    trainSettings({ activation: "sigmoid", init: "uniform" }, 2).initialization,
    "uniform",
  );
});

Deno.test("trainSettings refuses contradictions and what the machine cannot do", () => {
  assert.throws(() => trainSettings({ "full-batch": true, "batch-size": 64 }, 2), {
    name: "UsageError",
    message: "--batch-size: full-batch gradient descent uses the whole training set as one batch",
  });
  assert.throws(() => trainSettings({ threads: 3 }, 2), {
    name: "UsageError",
    message: "--threads: this machine has 2 cores, got 3",
  });
  assert.doesNotThrow(() => trainSettings({ threads: 2 }, 2));
  // 10^6 hidden units: 795 parameters each, 4 float32 copies = 12.7 GB.
  assert.throws(() => trainSettings({ hidden: 1_000_000 }, 2), {
    name: "UsageError",
    message: `--hidden: expected at most ${MAX_HIDDEN} units, got 1000000 (training it would ` +
      "need about 13 GB for its weights, gradients and momentum alone)",
  });
  assert.equal(trainSettings({ hidden: MAX_HIDDEN }, 2).hidden, MAX_HIDDEN);
});

Deno.test("trainSettings: --arch cnn takes the CNN's recipe, and flags override it", () => {
  const cnn = trainSettings({ arch: "cnn" }, 2);
  assert.deepEqual(
    {
      optimizer: cnn.optimizer,
      learningRate: cnn.learningRate,
      batchSize: cnn.batchSize,
      epochs: cnn.epochs,
      schedule: cnn.schedule,
      augmentation: cnn.augmentation,
    },
    CNN_RECIPE,
  );
  assert.deepEqual([cnn.arch, cnn.out, cnn.hidden], ["cnn", "models/mnist-cnn.safetensors", 128]);
  const adam = trainSettings({ arch: "cnn", optimizer: "adam", epochs: 2, augment: "affine" }, 2);
  assert.deepEqual([adam.learningRate, adam.epochs, adam.augmentation], [0.001, 2, "affine"]);
  assert.equal(trainSettings({ arch: "cnn", lr: 0.01 }, 2).learningRate, 0.01);
  assert.equal(trainSettings({ arch: "mlp" }, 2).out, "models/mnist-mlp.safetensors");
  for (
    const [flags, message] of [
      [
        { "weight-decay": 1e-4 },
        "--weight-decay: not with --arch cnn (the CNN has no weight decay)",
      ],
      [{ activation: "sigmoid" }, "--activation: not with --arch cnn (the CNN's units are ReLUs)"],
      [{ recipe: "best" }, "--recipe: not with --arch cnn (best is the MLP's recipe)"],
      [{ optimizer: "gd" }, "--optimizer: gd is full-batch gradient descent, not with --arch cnn"],
      [{ threads: 3 }, "--threads: this machine has 2 cores, got 3"],
    ] as const
  ) {
    assert.throws(() => trainSettings({ arch: "cnn", ...flags }, 2), {
      name: "UsageError",
      message,
    });
  }
});
