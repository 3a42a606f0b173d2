import assert from "node:assert/strict";
import {
  type Dataset,
  denseInputs,
  PIXELS,
  splitTrainValidation,
  subset,
} from "../lib/data/dataset.ts";
import { Random } from "../lib/random.ts";
import { assertClose } from "./assert.ts";

/** `count` images, image i filled with the byte i (so an image tells which one it is). */
function numbered(count: number, labelled = true): Dataset {
  const images = new Uint8Array(count * PIXELS);
  for (let i = 0; i < count; i++) images.fill(i, i * PIXELS, (i + 1) * PIXELS);
  const labels = labelled ? Uint8Array.from({ length: count }, (_, i) => i % 10) : undefined;
  return { images, labels, count, source: "numbered" };
}

/** Which original images a dataset made from `numbered` holds, in order. */
function identities(dataset: Dataset): number[] {
  return Array.from({ length: dataset.count }, (_, i) => dataset.images[i * PIXELS]);
}

Deno.test("subset copies the chosen images and labels, in the order asked", () => {
  const dataset = numbered(5);
  const picked = subset(dataset, [3, 0, 3]);
  assert.equal(picked.count, 3);
  assert.equal(picked.images.length, 3 * PIXELS);
  assert.deepEqual(identities(picked), [3, 0, 3]);
  assert.deepEqual(Array.from(picked.labels!), [3, 0, 3]);
  assert.equal(picked.source, "numbered");
  assert.equal(subset(dataset, [1], "one image").source, "one image");
  picked.images[0] = 99; // a copy: the original is untouched
  assert.equal(dataset.images[3 * PIXELS], 3);
});

Deno.test("subset of unlabelled data has no labels, and bad indices are refused", () => {
  assert.equal(subset(numbered(3, false), [2, 1]).labels, undefined);
  assert.throws(() => subset(numbered(3), [0, 3]), {
    name: "RangeError",
    message: "index 3 is outside numbered (3 images)",
  });
  assert.throws(() => subset(numbered(3), [1.5]), RangeError);
  assert.throws(() => subset(numbered(3), [-1]), RangeError);
});

Deno.test("splitTrainValidation: sizes add up, parts are disjoint and keep their order", () => {
  const dataset = numbered(100);
  const { train, validation } = splitTrainValidation(dataset, 20, new Random(1));
  assert.equal(train.count, 80);
  assert.equal(validation.count, 20);
  const trainIds = identities(train), validationIds = identities(validation);
  assert.deepEqual([...trainIds, ...validationIds].sort((a, b) => a - b), identities(dataset));
  assert.deepEqual(trainIds, [...trainIds].sort((a, b) => a - b));
  assert.deepEqual(validationIds, [...validationIds].sort((a, b) => a - b));
  // Labels travel with their images.
  assert.deepEqual(Array.from(validation.labels!), validationIds.map((id) => id % 10));
  assert.equal(train.source, "numbered (training part)");
  assert.equal(validation.source, "numbered (validation part)");
});

Deno.test("splitTrainValidation is reproducible from its seed, and random", () => {
  const split = (seed: number) =>
    identities(splitTrainValidation(numbered(100), 20, new Random(seed)).validation);
  assert.deepEqual(split(7), split(7));
  assert.notDeepEqual(split(7), split(8));
  // Not simply the first or last 20.
  assert.notDeepEqual(split(7), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual(split(7), Array.from({ length: 20 }, (_, i) => 80 + i));
});

Deno.test("splitTrainValidation refuses sizes that leave nothing to train on", () => {
  const dataset = numbered(10);
  assert.equal(splitTrainValidation(dataset, 0, new Random(0)).train.count, 10);
  assert.throws(() => splitTrainValidation(dataset, 10, new Random(0)), {
    name: "RangeError",
    message: "validation size must be an integer in 0..9 for numbered (10 images), got 10",
  });
  assert.throws(() => splitTrainValidation(dataset, 2.5, new Random(0)), RangeError);
  assert.throws(() => splitTrainValidation(dataset, -1, new Random(0)), RangeError);
});

Deno.test("denseInputs puts image j in column j, pixels scaled by 1/255", () => {
  const images = new Uint8Array(2 * PIXELS);
  images[0] = 255; // image 0, pixel 0
  images[1] = 51; // image 0, pixel 1: 51/255 = 0.2
  images[PIXELS + 783] = 102; // image 1, last pixel: 102/255 = 0.4
  const dataset: Dataset = { images, count: 2, source: "two" };

  const X = denseInputs(dataset, undefined, "f64");
  assert.deepEqual(X.shape, [PIXELS, 2]);
  assert.equal(X.get(0, 0), 1);
  assert.equal(X.get(1, 0), 0.2);
  assert.equal(X.get(783, 1), 0.4);
  assert.equal(X.get(0, 1), 0);
  assert.equal(X.get(783, 0), 0);
  // Row-major storage: pixel p of column j sits at p·m + j.
  assert.equal(X.data[1 * 2 + 0], 0.2);
  assert.equal(X.data[783 * 2 + 1], 0.4);
  const sum = Array.from(X.data).reduce((a, b) => a + b);
  assertClose(sum, 1 + 0.2 + 0.4, { absolute: 1e-12 });

  // Chosen indices, in the order given; Float32 by default.
  const swapped = denseInputs(dataset, [1, 0]);
  assert.ok(swapped.data instanceof Float32Array);
  assertClose(swapped.get(783, 0), 0.4);
  assert.equal(swapped.get(0, 1), 1);
  assertClose(swapped.get(1, 1), 0.2);
});
