import assert from "node:assert/strict";
import { trainConvNet } from "../lib/cnn/train.ts";
import { PIXELS } from "../lib/data/dataset.ts";
import { initNetwork } from "../lib/network.ts";
import { adam, momentum } from "../lib/optimizers.ts";
import { shiftedAccuracy, shiftImages } from "../lib/shift.ts";
import { train } from "../lib/train.ts";
import { smallCnn } from "./cnn_helpers.ts";
import { syntheticDigits } from "./synthetic.ts";

Deno.test("shiftImages moves every pixel by (dx, dy); what leaves the image is lost", () => {
  const images = new Uint8Array(2 * PIXELS);
  images[5 * 28 + 7] = 200; // image 0: one pixel at row 5, column 7
  images[PIXELS + 0 * 28 + 27] = 90; // image 1: the top-right corner
  const dataset = { images, labels: Uint8Array.from([3, 4]), count: 2, source: "two dots" };
  const moved = shiftImages(dataset, 2, -1); // 2 right, 1 up
  assert.equal(moved.images[4 * 28 + 9], 200); // row 5 − 1, column 7 + 2
  assert.equal(moved.images.reduce((sum, v) => sum + v, 0), 200); // the corner left the image
  assert.deepEqual(Array.from(moved.labels!), [3, 4]);
  assert.equal(moved.source, "two dots shifted by (2, -1) px");
  assert.deepEqual(shiftImages(dataset, 0, 0).images, images);
  assert.equal(dataset.images[5 * 28 + 7], 200, "the original is not changed");
  assert.throws(() => shiftImages(dataset, 0.5, 0), /whole pixels/);
});

// The synthetic digit c is a bar on rows 2c + 4 and 2c + 5: moved 2 rows down it is exactly the
// bar of digit c + 1, so a model that reads the bars right scores about 0 % on it, while a shift
// along the bar leaves most of it in place.
const SHIFTS = [[0, 0], [0, 2]] as const;

Deno.test("shiftedAccuracy measures an MLP on shifted images", async () => {
  const network = initNetwork({ hidden: 16, seed: 1 });
  await train(network, syntheticDigits(200, 1), {
    epochs: 10,
    batchSize: 20,
    optimizer: momentum({ learningRate: 0.1 }),
    seed: 1,
    kernels: "reference",
  });
  const [still, down] = shiftedAccuracy({ kind: "mlp", network }, syntheticDigits(100, 7), SHIFTS);
  assert.deepEqual([still.dx, still.dy, down.dx, down.dy], [0, 0, 0, 2]);
  assert.ok(still.accuracy >= 0.95, `unshifted ${still.accuracy}`);
  assert.ok(down.accuracy <= 0.2, `2 px down ${down.accuracy}`);
});

Deno.test("shiftedAccuracy measures a CNN on shifted images", async () => {
  const cnn = smallCnn(1);
  await trainConvNet(cnn, syntheticDigits(120, 1), {
    epochs: 4,
    batchSize: 10,
    optimizer: adam({ learningRate: 0.01 }),
    seed: 2,
  });
  const [still, down] = shiftedAccuracy(
    { kind: "cnn", network: cnn },
    syntheticDigits(50, 7),
    SHIFTS,
  );
  assert.ok(still.accuracy >= 0.9, `unshifted ${still.accuracy}`);
  assert.ok(down.accuracy <= 0.2, `2 px down ${down.accuracy}`);
  assert.throws(
    () =>
      shiftedAccuracy({ kind: "cnn", network: cnn }, {
        ...syntheticDigits(2, 1),
        labels: undefined,
      }, SHIFTS),
    /no labels/,
  );
});
