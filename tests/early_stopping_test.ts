import assert from "node:assert/strict";
import { BestWeights } from "../lib/early_stopping.ts";
import { initNetwork } from "../lib/network.ts";

Deno.test("BestWeights keeps the best epoch's weights and stops after `patience` worse epochs", () => {
  const network = initNetwork({ inputs: 3, hidden: 2, outputs: 2, seed: 1 });
  const best = new BestWeights(2);
  const stops: boolean[] = [];
  // Accuracies per epoch; the weights are set to the epoch number to tell the copies apart.
  const accuracies = [0.5, 0.7, 0.7, 0.6, 0.9, 0.8, 0.85];
  for (let epoch = 1; epoch <= accuracies.length; epoch++) {
    network.W1.data.fill(epoch);
    network.b2.data.fill(-epoch);
    const stop = best.observe(epoch, accuracies[epoch - 1], network);
    stops.push(stop);
    if (stop) break;
  }
  // Epoch 3 ties epoch 2 (no improvement), epoch 4 is worse: two without, stop at epoch 4.
  assert.deepEqual(stops, [false, false, false, true]);
  assert.equal(best.bestEpoch, 2);
  assert.equal(best.bestAccuracy, 0.7);
  best.restore(network);
  assert.ok(network.W1.data.every((w) => w === 2));
  assert.ok(network.b2.data.every((b) => b === -2));
});

Deno.test("BestWeights without patience never stops, and still restores the best", () => {
  const network = initNetwork({ inputs: 3, hidden: 2, outputs: 2, seed: 1 });
  const best = new BestWeights();
  for (const [epoch, accuracy] of [[1, 0.9], [2, 0.1], [3, 0.2], [4, 0.3]]) {
    network.W2.data.fill(epoch);
    assert.equal(best.observe(epoch, accuracy, network), false);
  }
  best.restore(network);
  assert.ok(network.W2.data.every((w) => w === 1));
  assert.throws(() => new BestWeights(0), RangeError);
});
