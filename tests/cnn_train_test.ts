import assert from "node:assert/strict";
import { trainConvNet } from "../lib/cnn/train.ts";
import { TrainingDivergedError } from "../lib/errors.ts";
import { adam, gradientDescent, momentum } from "../lib/optimizers.ts";
import { smallCnn as small } from "./cnn_helpers.ts";
import { syntheticDigits } from "./synthetic.ts";

Deno.test("trainConvNet learns the synthetic digits, measured on a validation set", async () => {
  const cnn = small(1);
  const optimizer = adam({ learningRate: 0.01 });
  const epochs: number[] = [];
  const history = await trainConvNet(cnn, syntheticDigits(120, 1), {
    epochs: 4,
    batchSize: 10,
    optimizer,
    seed: 2,
    schedule: "cosine",
    validation: syntheticDigits(50, 99),
    onEpoch: (record) => void epochs.push(record.epoch),
  });
  assert.deepEqual(epochs, [1, 2, 3, 4]);
  assert.equal(history[0].learningRate, 0.01);
  assert.ok(history[3].learningRate < 0.01);
  assert.equal(optimizer.learningRate, 0.01, "the schedule leaves the optimizer as it found it");
  assert.ok(history[3].loss < history[0].loss / 2, JSON.stringify(history.map((r) => r.loss)));
  // Chance is 10 %; the bars are easy for a convolution.
  assert.ok(history[3].validationAccuracy! >= 0.9, `${history[3].validationAccuracy}`);
  assert.ok(history.every((r) => r.seconds > 0));
});

Deno.test("trainConvNet is bit-for-bit repeatable for a seed, and the seed matters", async () => {
  const run = async (seed: number) => {
    const cnn = small(3);
    await trainConvNet(cnn, syntheticDigits(30, 4), {
      epochs: 1,
      batchSize: 8,
      optimizer: momentum({ learningRate: 0.05 }),
      seed,
    });
    return cnn;
  };
  const [a, b, c] = [await run(5), await run(5), await run(6)];
  assert.deepEqual(a.K1.data, b.K1.data);
  assert.deepEqual(a.W4.data, b.W4.data);
  assert.notDeepEqual(a.K1.data, c.K1.data); // another batch order, other weights
});

Deno.test("trainConvNet reports batches, and stops a diverging run with a hint", async () => {
  const batches: string[] = [];
  await trainConvNet(small(1), syntheticDigits(25, 1), {
    epochs: 1,
    batchSize: 10,
    optimizer: gradientDescent({ learningRate: 0.01 }),
    seed: 1,
    onBatch: ({ batch, batches: count }) => void batches.push(`${batch}/${count}`),
  });
  assert.deepEqual(batches, ["1/3", "2/3", "3/3"]);
  await assert.rejects(
    () =>
      trainConvNet(small(1), syntheticDigits(40, 1), {
        epochs: 3,
        batchSize: 10,
        optimizer: gradientDescent({ learningRate: 1e30 }),
        seed: 1,
      }),
    (error) => {
      assert.ok(error instanceof TrainingDivergedError);
      // The weights of the first kernel, 4 indices: the message names the CNN's own parameter.
      assert.match(
        error.message,
        /^the weights exploded: \|K1\[0, 0, 0, 0\]\| is NaN .* at epoch 1: training diverged; try a lower learning rate than 1e\+30 \(e\.g\. 1e\+29\)$/,
      );
      return true;
    },
  );
  const unlabelled = { ...syntheticDigits(5, 1), labels: undefined };
  await assert.rejects(
    () =>
      trainConvNet(small(1), unlabelled, {
        epochs: 1,
        batchSize: 5,
        optimizer: gradientDescent({ learningRate: 0.1 }),
        seed: 1,
      }),
    /has no labels/,
  );
});
