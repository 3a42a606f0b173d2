import assert from "node:assert/strict";
import { confidentMistakes, mistakesGrid } from "../lib/plot/mistakes.ts";
import { gridLevels } from "./grid_levels.ts";

/** 10 probabilities for one image: `p` on `digit`, the rest spread evenly. */
function row(digit: number, p: number): number[] {
  return Array.from({ length: 10 }, (_, d) => d === digit ? p : (1 - p) / 9);
}

// Labels 3, 5, 8, 1, 4; images 1, 2 and 4 are misread with confidence 0.6, 0.9 and 0.6.
const labels = new Uint8Array([3, 5, 8, 1, 4]);
const predictions = {
  predicted: new Uint8Array([3, 6, 0, 1, 9]),
  probabilities: new Float32Array([
    ...row(3, 0.8),
    ...row(6, 0.6),
    ...row(0, 0.9),
    ...row(1, 0.99),
    ...row(9, 0.6),
  ]),
};

Deno.test("confidentMistakes lists the wrong answers, most confident first, ties in order", () => {
  assert.deepEqual(confidentMistakes(predictions, labels), [2, 1, 4]);
  const allRight = { predicted: labels, probabilities: predictions.probabilities };
  assert.deepEqual(confidentMistakes(allRight, labels), []);
});

Deno.test("confidentMistakes rejects predictions that do not match the labels", () => {
  assert.throws(
    () => confidentMistakes({ predicted: [1], probabilities: row(1, 1) }, [1, 2]),
    /2 labels, 1 predictions and 10 probabilities \(expected 10 per image\)/,
  );
  assert.throws(
    () => confidentMistakes({ predicted: [1, 2], probabilities: row(1, 1) }, [1, 2]),
    /2 labels, 2 predictions and 10 probabilities/,
  );
});

Deno.test("mistakesGrid draws the chosen images captioned true → predicted and both probabilities", () => {
  const images = new Uint8Array(5 * 784);
  images[2 * 784 + 30] = 200; // image 2, row 1, column 2
  const dataset = { images, labels, count: 5, source: "five" };
  const figure = mistakesGrid(dataset, predictions, [2, 1]);
  // Ink spans [0, 200] here, so 200 is the darkest level, 255.
  assert.equal(gridLevels(figure)[1][2], 255); // image 2 comes first
  const captions = (figure.layout.annotations as { text: string }[]).map((a) => a.text);
  // Image 2: label 8 read as 0 with p 0.9; p(8) = 0.1 / 9 ≈ 1 %. Image 1: 5 → 6, p(5) = 0.4 / 9.
  assert.deepEqual(captions, ["8 → 0<br>90 % · 1 %", "5 → 6<br>60 % · 4 %"]);
  assert.throws(
    () => mistakesGrid({ ...dataset, labels: undefined }, predictions, [0]),
    /five has no labels/,
  );
});
