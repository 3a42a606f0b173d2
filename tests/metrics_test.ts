import assert from "node:assert/strict";
import { accuracy, confusionMatrix, formatConfusionMatrix } from "../lib/metrics.ts";

Deno.test("accuracy is the fraction of correct predictions", () => {
  assert.equal(accuracy([0, 1, 2, 3], [0, 1, 2, 3]), 1);
  assert.equal(accuracy([0, 1, 2, 3], [0, 1, 9, 9]), 0.5);
  assert.throws(() => accuracy([0], [0, 1]), { message: "1 predictions but 2 labels" });
});

Deno.test("the confusion matrix counts (true, predicted) pairs; rows sum to class counts", () => {
  const labels = [0, 0, 1, 1, 1, 2];
  const predicted = [0, 1, 1, 1, 2, 2];
  const counts = confusionMatrix(predicted, labels, 3);
  assert.deepEqual(counts, [[1, 1, 0], [0, 2, 1], [0, 0, 1]]);
  assert.deepEqual(counts.map((row) => row.reduce((a, b) => a + b)), [2, 3, 1]);
  assert.throws(() => confusionMatrix([3], [0], 3), /label 0 or prediction 3 is not in 0..2/);
});

Deno.test("formatConfusionMatrix lays the counts out in aligned columns", () => {
  const text = formatConfusionMatrix([[12, 0], [3, 100]]);
  assert.equal(
    text,
    ["true\\pred    0    1", "0           12    0", "1            3  100"].join("\n"),
  );
});
