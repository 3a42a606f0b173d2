import assert from "node:assert/strict";
import { backwardPropagation } from "../lib/backprop.ts";
import { denseInputs, splitTrainValidation } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { oneHot } from "../lib/loss.ts";
import { forwardPropagation } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkEpochLoop,
  checkMomentumByHand,
  checkMomentumStep,
  checkStepsPerEpoch,
  type EpochLoop,
  type MomentumStep,
} from "../notebooks/checks/07_training.ts";
import { granted } from "./assert.ts";

Deno.test("checkStepsPerEpoch: ⌈10000 / 128⌉ = 79, the placeholder, and the rounded-down 78", () => {
  assert.equal(checkStepsPerEpoch(79, 10000, 128, 79), "correct.");
  assert.equal(checkStepsPerEpoch(undefined, 10000, 128, 79), NOT_ANSWERED);
  assert.throws(() => checkStepsPerEpoch(78, 10000, 128, 79), /round up: the 16 images left over/);
});

Deno.test("checkMomentumByHand: 0.1 + 0.19 + 0.271 = 0.561; gradient descent's 0.3 is not", () => {
  assert.equal(checkMomentumByHand(0.561), "correct.");
  assert.equal(checkMomentumByHand(undefined), NOT_ANSWERED);
  assert.throws(() => checkMomentumByHand(0.3), /v = 0\.9·v \+ 1 gives v = 1, then 1\.9/);
  assert.throws(() => checkMomentumByHand(0.271), /Add up the three moves/);
});

const right: MomentumStep = (theta, v, dTheta, eta, beta) => {
  for (let i = 0; i < theta.length; i++) {
    v[i] = beta * v[i] + dTheta[i];
    theta[i] -= eta * v[i];
  }
};

Deno.test("checkMomentumStep accepts the update and rejects forgetting v or the order of updates", () => {
  assert.equal(checkMomentumStep(right), "correct.");
  assert.equal(checkMomentumStep(undefined), NOT_ANSWERED);
  // Plain gradient descent: right at step 1 (v = dθ from 0), wrong from step 2.
  const noVelocity: MomentumStep = (theta, _v, dTheta, eta) => {
    for (let i = 0; i < theta.length; i++) theta[i] -= eta * dTheta[i];
  };
  assert.throws(() => checkMomentumStep(noVelocity), /after step 2, θ is .* lib's momentum gives/);
  // θ moved with the old velocity, then v updated.
  const stale: MomentumStep = (theta, v, dTheta, eta, beta) => {
    for (let i = 0; i < theta.length; i++) {
      theta[i] -= eta * v[i];
      v[i] = beta * v[i] + dTheta[i];
    }
  };
  assert.throws(() => checkMomentumStep(stale), /after step 1.*Update v first/);
  // The averaging form v ← β·v + (1 − β)·dθ: a tenth of the step (at β = 0.9; 0.2 here).
  const averaged: MomentumStep = (theta, v, dTheta, eta, beta) => {
    for (let i = 0; i < theta.length; i++) {
      v[i] = beta * v[i] + (1 - beta) * dTheta[i];
      theta[i] -= eta * v[i];
    }
  };
  assert.throws(() => checkMomentumStep(averaged), /after step 1.*v ← β·v \+ dθ/);
});

const epochLoop =
  (shuffle: boolean, skipLast = false): EpochLoop =>
  (network, trainSet, optimizer, batchSize, random) => {
    const order = Array.from({ length: trainSet.count }, (_, i) => i);
    if (shuffle) random.shuffle(order);
    const end = skipLast ? order.length - (order.length % batchSize) : order.length;
    for (let start = 0; start < end; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const cache = forwardPropagation(network, denseInputs(trainSet, indices));
      const Y = oneHot(indices.map((i) => trainSet.labels![i]));
      optimizer.step(network, backwardPropagation(network, cache, Y));
    }
  };

Deno.test({
  name: "checkEpochLoop trains to the floor with a shuffle, and not without one (MNIST)",
  ignore: !granted({ name: "read" }),
  async fn() {
    const { train, validation } = splitTrainValidation(
      await loadMnist("train"),
      5000,
      new Random(1),
    );
    assert.equal(checkEpochLoop(epochLoop(true), train, validation), "correct.");
    assert.equal(checkEpochLoop(undefined, train, validation), NOT_ANSWERED);
    assert.throws(
      () => checkEpochLoop(epochLoop(false), train, validation),
      /validation accuracy is \d+\.\d %, below 80 %.*did you shuffle/,
    );
    assert.throws(
      () => checkEpochLoop(epochLoop(true, true), train, validation),
      /are 126 optimizer steps \(the last batch of each epoch has 32 images\); yours made 123/,
    );
  },
});
