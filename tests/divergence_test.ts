import assert from "node:assert/strict";
import { divergence, MAX_HEALTHY_WEIGHT, STUCK_LOSS } from "../lib/divergence.ts";
import { initNetwork } from "../lib/network.ts";
import { gradientDescent } from "../lib/optimizers.ts";
import { train } from "../lib/train.ts";
import { syntheticDigits } from "./synthetic.ts";

Deno.test("STUCK_LOSS is half the clamped loss -ln(1e-12)", () => {
  assert.ok(Math.abs(STUCK_LOSS - 13.8155) < 1e-4);
});

Deno.test("divergence: a learning network has none", () => {
  const network = initNetwork({ hidden: 8, seed: 1 });
  assert.equal(divergence(network, 2.3), undefined);
  assert.equal(divergence(network, 0.5, 0.9), undefined);
  // The original script's uniform start scores about 10: bad, but not stuck.
  assert.equal(divergence(network, 10.3, 10.4), undefined);
});

Deno.test("divergence: exploding or non-finite weights, named by tensor and place", () => {
  const network = initNetwork({ hidden: 8, seed: 1 });
  network.W1.data[784 + 3] = -2 * MAX_HEALTHY_WEIGHT;
  assert.equal(
    divergence(network, 2.0),
    "the weights exploded: |W1[1, 3]| is 20000 (a healthy network stays below 10000)",
  );
  network.W1.data[784 + 3] = 0;
  network.b2.data[9] = NaN;
  assert.match(divergence(network, 2.0)!, /^the weights exploded: \|b2\[9, 0\]\| is NaN/);
  network.b2.data[9] = MAX_HEALTHY_WEIGHT; // at the bound is still healthy
  assert.equal(divergence(network, 2.0), undefined);
});

Deno.test("divergence: a loss stuck near the clamp, but not one that is falling fast", () => {
  const network = initNetwork({ hidden: 8, seed: 1 });
  assert.match(divergence(network, 24.9, 24.9)!, /^the loss is stuck at 24\.9/);
  assert.match(divergence(network, 24.6, 24.85)!, /stuck/, "falling by 1 % is still stuck");
  assert.equal(divergence(network, 20, 27), undefined, "falling by 26 % is being repaired");
  assert.equal(divergence(network, 24.9), undefined, "the first epoch has nothing to compare");
  assert.equal(divergence(network, STUCK_LOSS - 0.01, 20), undefined);
});

Deno.test("train stops a run whose weights explode although the loss never becomes NaN", async () => {
  const { images, labels } = syntheticDigits(300, 1);
  const trainSet = { images, labels, count: 300, source: "synthetic" };
  const network = initNetwork({ hidden: 16, seed: 1 });
  await assert.rejects(
    train(network, trainSet, {
      epochs: 3,
      batchSize: 32,
      optimizer: gradientDescent({ learningRate: 1000 }),
      seed: 1,
      kernels: "reference",
    }),
    {
      name: "TrainingDivergedError",
      message:
        /^the weights exploded: .* at epoch 1: training diverged; try a lower learning rate than 1000 \(e\.g\. 100\)$/,
    },
  );
  const healthy = initNetwork({ hidden: 16, seed: 1 });
  const history = await train(healthy, trainSet, {
    epochs: 3,
    batchSize: 32,
    optimizer: gradientDescent({ learningRate: 0.1 }),
    seed: 1,
    kernels: "reference",
  });
  assert.equal(history.length, 3, "a sane learning rate trains to the end");
});
