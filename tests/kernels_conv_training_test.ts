/**
 * The CNN's fast training step (lib/kernels/conv_trainer.ts) against the reference passes of
 * lib/cnn/network.ts, and through lib/train.ts: the same gradients up to float32 rounding, the
 * same learning, and bit-identical weights for any thread count.
 */

import assert from "node:assert/strict";
import { referenceConvTrainer } from "../lib/cnn/batch_trainer.ts";
import { CONV_PARAMETER_NAMES, type ConvNet, initConvNet } from "../lib/cnn/network.ts";
import { createFastConvTrainer } from "../lib/kernels/mod.ts";
import { evaluateModel } from "../lib/evaluate_model.ts";
import { adam, momentum, type Optimizer } from "../lib/optimizers.ts";
import { train } from "../lib/train.ts";
import { smallCnn } from "./cnn_helpers.ts";
import { syntheticDigits } from "./synthetic.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";

/** An "optimizer" that keeps a copy of the gradients it is given and changes nothing. */
function recorder(): Optimizer & { gradients?: Record<string, Float64Array> } {
  return {
    name: "sgd",
    learningRate: 0,
    step(_model, gradients) {
      this.gradients = Object.fromEntries(
        Object.entries(gradients).map((
          [name, value],
        ) => [name, Float64Array.from((value as { data: ArrayLike<number> }).data)]),
      );
    },
  };
}

/** `cnn` with its (float32) values in Float64 storage. */
function inFloat64(cnn: ConvNet): ConvNet {
  const copy = initConvNet({ ...shapeOf(cnn), precision: "f64" });
  for (const name of CONV_PARAMETER_NAMES) copy[name].data.set(cnn[name].data);
  return copy;
}

const shapeOf = (cnn: ConvNet) => ({
  channels1: cnn.K1.shape[0],
  channels2: cnn.K2.shape[0],
  hidden: cnn.W3.rows,
});

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: one fast step has the reference's loss and gradients`, async () => {
    const cnn = initConvNet({ channels1: 5, channels2: 6, hidden: 7, seed: 3 });
    const trainSet = syntheticDigits(12, 2);
    const batch = Int32Array.from([3, 0, 11, 7, 5, 8, 1]);
    const fast = await createFastConvTrainer(cnn, trainSet, { kind, threads: 2, batchSize: 8 });
    const reference = referenceConvTrainer(inFloat64(cnn), trainSet);
    const [fastStep, referenceStep] = [fast.forward(batch), reference.forward(batch)];
    const [fastGradients, referenceGradients] = [recorder(), recorder()];
    fast.update(fastGradients);
    reference.update(referenceGradients);
    fast.close();
    assert.equal(fastStep.correct, referenceStep.correct);
    assert.ok(Math.abs(fastStep.loss - referenceStep.loss) < 1e-5 * referenceStep.loss);
    // Each gradient is a float32 computation through up to seven layers of sums of up to 1,400
    // products; 10⁻⁴ of the largest element is about 2,000 units in the last place of float32,
    // far above that rounding yet far below any mistake in a formula (a wrong element is off
    // by its own size).
    for (const name of CONV_PARAMETER_NAMES) {
      const actual = fastGradients.gradients![`d${name}`];
      const expected = referenceGradients.gradients![`d${name}`];
      const scale = expected.reduce((largest, g) => Math.max(largest, Math.abs(g)), 0);
      assert.ok(scale > 0, `d${name} is not all zeros`);
      for (let i = 0; i < expected.length; i++) {
        const error = Math.abs(actual[i] - expected[i]);
        assert.ok(error <= 1e-4 * scale, `d${name}[${i}]: ${actual[i]} vs ${expected[i]}`);
      }
    }
  });

  Deno.test(`${kind}: train() of a CNN gives the same weights for 1, 2 and 3 threads`, async () => {
    const run = async (threads: number) => {
      const cnn = smallCnn(4);
      await train(cnn, syntheticDigits(70, 3), {
        epochs: 2,
        batchSize: 16, // 70 images: a short last batch too
        optimizer: momentum({ learningRate: 0.05 }),
        seed: 7,
        kernels: kind,
        threads,
      });
      return cnn;
    };
    const [one, two, three] = [await run(1), await run(2), await run(3)];
    for (const name of CONV_PARAMETER_NAMES) {
      assert.deepEqual(two[name].data, one[name].data);
      assert.deepEqual(three[name].data, one[name].data);
    }
    assert.notDeepEqual(one.K1.data, smallCnn(4).K1.data); // it did train
  });
}

Deno.test("train() learns the synthetic digits with the fast CNN kernels", async () => {
  const cnn = smallCnn(1);
  const validation = syntheticDigits(50, 99);
  const history = await train(cnn, syntheticDigits(120, 1), {
    epochs: 4,
    batchSize: 10,
    optimizer: adam({ learningRate: 0.01 }),
    seed: 2,
    validation,
    patience: 3,
  });
  assert.ok(history.at(-1)!.validationAccuracy! >= 0.9, `${history.at(-1)!.validationAccuracy}`);
  // The fast evaluation agrees with the reference's on the trained network.
  const fast = evaluateModel({ kind: "cnn", network: cnn }, validation);
  const reference = evaluateModel({ kind: "cnn", network: cnn }, validation, {
    kernels: "reference",
  });
  assert.deepEqual(fast.predicted, reference.predicted);
  assert.ok(Math.abs(fast.loss! - reference.loss!) < 1e-5);
});

Deno.test("train() refuses the MLP's dropout and weight decay for a CNN", async () => {
  for (const extra of [{ dropout: 0.2 }, { weightDecay: 1e-4 }]) {
    await assert.rejects(
      () =>
        train(smallCnn(1), syntheticDigits(10, 1), {
          epochs: 1,
          batchSize: 5,
          optimizer: momentum({ learningRate: 0.05 }),
          seed: 1,
          ...extra,
        }),
      {
        name: "RangeError",
        message: "dropout and weight decay are the MLP's: the CNN has neither",
      },
    );
  }
});
