/**
 * How the readable CNN reference (lib/cnn/) learns and how slow it is, on this machine:
 *
 *   deno run -A --v8-flags=--no-maglev bench/cnn_reference.ts [IMAGES] [EPOCHS] [OPTIMIZER] [LR] [SCHEDULE]
 *
 * (defaults 5000 images, 3 epochs, adam, 0.001, constant). Prints JSON lines: the milliseconds per image
 * of each stage of the forward and backward passes (batch of 32, best of 5), the training
 * history on the first TRAIN_IMAGES of MNIST's training part (validation: 5,000 images split
 * off with seed 1, as `deno task train` does), and the shifted-digit experiment on the
 * validation set for the CNN and for a 784-128-10 MLP trained on the same images.
 *
 * @module
 */

import { relu } from "../lib/activations.ts";
import { convolve, convolveBackward } from "../lib/cnn/convolution.ts";
import {
  convBackward,
  convForward,
  CONVOLUTIONS,
  imageBatch,
  initConvNet,
  POOL,
} from "../lib/cnn/network.ts";
import { maxPool } from "../lib/cnn/pooling.ts";
import { fromMatrix } from "../lib/cnn/tensor.ts";
import { trainConvNet } from "../lib/cnn/train.ts";
import { splitTrainValidation, subset } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { oneHot } from "../lib/loss.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer, momentum, type OptimizerName } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { shiftedAccuracy } from "../lib/shift.ts";
import { type Schedule, train } from "../lib/train.ts";

const [
  imagesArg = "5000",
  epochsArg = "3",
  optimizerArg = "adam",
  rateArg = "0.001",
  scheduleArg = "constant",
] = Deno.args;
const print = (record: object) => console.log(JSON.stringify(record));

const mnist = await loadMnist("train");
const { train: trainPart, validation } = splitTrainValidation(mnist, 5000, new Random(1));
const trainSet = subset(
  trainPart,
  Array.from({ length: Number(imagesArg) }, (_, i) => i),
  `first ${imagesArg} of the training part`,
);

/** Milliseconds per image of `run` on a batch of `m`, the best of 5 runs after a warm-up. */
function perImage(m: number, run: () => void): number {
  run();
  let best = Infinity;
  for (let repeat = 0; repeat < 5; repeat++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best / m;
}

{
  const m = 32;
  const cnn = initConvNet({ seed: 1 });
  const indices = Array.from({ length: m }, (_, i) => i);
  const X = imageBatch(trainSet, indices);
  const Y = oneHot(indices.map((i) => trainSet.labels![i]));
  const cache = convForward(cnn, X);
  const Z1 = convolve(X, cnn.K1, cnn.b1, CONVOLUTIONS[0]);
  const dZ2 = cache.Z2; // any tensor of Z2's shape times the same work as the real dZ2
  const dZ1 = cache.Z1;
  print({
    stage: "ms per image (batch 32, best of 5)",
    conv1Forward: perImage(m, () => convolve(X, cnn.K1, cnn.b1, CONVOLUTIONS[0])),
    reluPool1: perImage(m, () => maxPool(fromMatrix(relu(Z1.asMatrix()), Z1.shape), POOL)),
    conv2Forward: perImage(m, () => convolve(cache.P1, cnn.K2, cnn.b2, CONVOLUTIONS[1])),
    conv2Backward: perImage(m, () => convolveBackward(dZ2, cache.P1, cnn.K2, CONVOLUTIONS[1])),
    conv1Backward: perImage(m, () => convolveBackward(dZ1, X, cnn.K1, CONVOLUTIONS[0], false)),
    forward: perImage(m, () => convForward(cnn, X)),
    forwardBackward: perImage(m, () => convBackward(cnn, convForward(cnn, X), Y)),
  });
}

const cnn = initConvNet({ seed: 1 });
const history = await trainConvNet(cnn, trainSet, {
  epochs: Number(epochsArg),
  batchSize: 32,
  optimizer: createOptimizer(optimizerArg as OptimizerName, { learningRate: Number(rateArg) }),
  seed: 1,
  schedule: scheduleArg as Schedule,
  validation,
  onEpoch: (record) => print({ model: "cnn", images: trainSet.count, ...record }),
});

const mlp = initNetwork({ hidden: 128, seed: 1 });
await train(mlp, trainSet, {
  epochs: 15,
  batchSize: 32,
  optimizer: momentum({ learningRate: 0.05 }),
  seed: 1,
  validation,
  onEpoch: (record) => {
    if (record.epoch === 15) print({ model: "mlp", ...record });
  },
});

const shifts = [[0, 0], [1, 0], [2, 0], [3, 0], [0, 2], [0, -3], [2, 2]] as const;
for (
  const [kind, model] of [["mlp", { kind: "mlp", network: mlp }], ["cnn", {
    kind: "cnn",
    network: cnn,
  }]] as const
) {
  print({ shifted: kind, results: shiftedAccuracy(model, validation, shifts) });
}
print({ cnnSecondsPerEpoch: history.map((r) => r.seconds) });
