import assert from "node:assert/strict";
import { PIXELS } from "../lib/data/dataset.ts";
import { loadMnist, MNIST_TEST_COUNT, MNIST_TRAIN_COUNT } from "../lib/data/mnist.ts";
import { assertClose, granted } from "./assert.ts";

const canRead = granted({ name: "read" });

function histogram(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

Deno.test({
  name: "MNIST train: 60,000 labelled images, facts everyone who used MNIST knows",
  ignore: !canRead,
  async fn() {
    const train = await loadMnist("train");
    assert.equal(train.count, MNIST_TRAIN_COUNT);
    assert.equal(train.count, 60_000);
    assert.equal(train.images.length, 60_000 * PIXELS);
    assert.equal(train.labels?.length, 60_000);
    assert.equal(train.source, "MNIST train");
    assert.equal(train.labels![0], 5); // the famous first image is a five
    for (const [digit, count] of histogram(train.labels!).entries()) {
      assert.ok(count >= 5000 && count <= 7000, `digit ${digit} appears ${count} times`);
    }
    assert.equal(train.images.reduce((a, b) => Math.max(a, b)), 255);
    // The mean pixel intensity 0.1307 is the constant found in every MNIST normalisation.
    let sum = 0;
    for (const pixel of train.images) sum += pixel;
    assertClose(sum / train.images.length / 255, 0.1307, { absolute: 5e-5 });
  },
});

Deno.test({
  name: "MNIST test: 10,000 labelled images, the first a seven",
  ignore: !canRead,
  async fn() {
    const test = await loadMnist("test");
    assert.equal(test.count, MNIST_TEST_COUNT);
    assert.equal(test.count, 10_000);
    assert.equal(test.images.length, 10_000 * PIXELS);
    assert.equal(test.labels?.length, 10_000);
    assert.equal(test.source, "MNIST test");
    assert.equal(test.labels![0], 7);
    for (const [digit, count] of histogram(test.labels!).entries()) {
      assert.ok(count >= 800 && count <= 1200, `digit ${digit} appears ${count} times`);
    }
    assert.equal(test.images.reduce((a, b) => Math.max(a, b)), 255);
  },
});
