/**
 * The CNN's reference training step, as lib/train.ts's loop runs it: lib/batch_trainer.ts's
 * contract on the readable forward and backward passes of {@link ./network.ts}.
 *
 * @module
 */

import type { BatchTrainer } from "../batch_trainer.ts";
import type { Dataset } from "../data/dataset.ts";
import { crossEntropyLoss, oneHot } from "../loss.ts";
import type { Matrix } from "../matrix.ts";
import { predictions } from "../network.ts";
import {
  convBackward,
  convForward,
  type ConvForwardCache,
  type ConvNet,
  imageBatch,
} from "./network.ts";

/**
 * The reference step: {@linkcode convForward}, then {@linkcode convBackward} and the optimizer,
 * on `cnn` itself (so `sync` has nothing to do), in `cnn`'s precision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { momentum } from "../optimizers.ts";
 * import { initConvNet } from "./network.ts";
 *
 * const images = Uint8Array.from({ length: 3 * 784 }, (_, p) => (p % 3 ? 0 : 200));
 * const trainSet = { images, labels: new Uint8Array([1, 2, 3]), count: 3, source: "example" };
 * const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 8, seed: 1 });
 * const trainer = referenceConvTrainer(cnn, trainSet);
 * const optimizer = momentum({ learningRate: 0.01 });
 * const batch = Int32Array.from([0, 1, 2]);
 * const { loss } = trainer.forward(batch);
 * trainer.update(optimizer);
 * assert.ok(trainer.forward(batch).loss < loss);
 * ```
 */
export function referenceConvTrainer(cnn: ConvNet, trainSet: Dataset): BatchTrainer {
  const labels = trainSet.labels!;
  const precision = cnn.K1.data instanceof Float64Array ? "f64" : "f32";
  let last: { cache: ConvForwardCache; Y: Matrix } | undefined;
  return {
    description: "reference",
    forward(indices) {
      const batchLabels = indices.map((i) => labels[i]);
      const Y = oneHot(batchLabels);
      last = { cache: convForward(cnn, imageBatch(trainSet, indices, precision)), Y };
      const predicted = predictions(last.cache.probabilities);
      let correct = 0;
      for (let j = 0; j < predicted.length; j++) if (predicted[j] === batchLabels[j]) correct++;
      return { loss: crossEntropyLoss(last.cache.probabilities, Y), correct };
    },
    update(optimizer) {
      optimizer.step(cnn, convBackward(cnn, last!.cache, last!.Y));
    },
    sync() {},
    close() {},
  };
}
