import assert from "node:assert/strict";
import { assertAllClose } from "./assert.ts";
import { COLORS } from "../lib/plot/figures.ts";
import { histogramChart } from "../lib/plot/histogram.ts";

Deno.test("histogramChart counts each value in its bin, the right edge included, as percentages", () => {
  // Bins [0, 0.5) and [0.5, 1]: 0 and 0.1 in the first; 0.5, 0.9 and 1 in the second.
  const figure = histogramChart([{ name: "a", values: [0, 0.1, 0.5, 0.9, 1] }], { bins: 2 });
  assert.deepEqual(figure.data[0].x, [0.25, 0.75]);
  assert.deepEqual(figure.data[0].y, [40, 60]);
  assert.equal(figure.data[0].width, 0.5);
  assert.equal(figure.data[0].name, "a");
  assert.equal(figure.layout.barmode, "overlay");
});

Deno.test("histogramChart shares the bins between series and names the values left outside", () => {
  const figure = histogramChart([
    { name: "inside", values: new Float32Array([-1, -0.5, 0.5]) },
    { name: "wide", values: [-3, -1, 0, 2] },
  ], { bins: 4, from: -1, to: 1 });
  // Bin width 0.5: [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1].
  assert.deepEqual(figure.data[0].x, [-0.75, -0.25, 0.25, 0.75]);
  assertAllClose(figure.data[0].y as number[], [100 / 3, 100 / 3, 0, 100 / 3]);
  // -3 and 2 are outside [-1, 1]: not drawn, but counted in the percentages' total and named.
  assert.deepEqual(figure.data[1].y, [25, 0, 25, 0]);
  assert.equal(figure.data[1].name, "wide (2 outside)");
  assert.deepEqual(figure.data.map((t) => (t.marker as { color: string }).color), [
    COLORS[0],
    COLORS[1],
  ]);
});

Deno.test("histogramChart takes its range from the data, and survives all-equal values", () => {
  const spread = histogramChart([{ name: "a", values: [2, 4] }], { bins: 2 });
  assert.deepEqual(spread.data[0].x, [2.5, 3.5]);
  assert.deepEqual(spread.data[0].y, [50, 50]);
  const constant = histogramChart([{ name: "a", values: [3, 3, 3] }], { bins: 1 });
  assert.deepEqual(constant.data[0].y, [100]);
  assert.deepEqual(constant.data[0].x, [3]);
});

Deno.test("histogramChart rejects bad bins and an empty or reversed range", () => {
  assert.throws(() => histogramChart([{ name: "a", values: [1] }], { bins: 0 }), /bins/);
  assert.throws(() => histogramChart([{ name: "a", values: [] }]), /from ≤ to/);
  assert.throws(
    () => histogramChart([{ name: "a", values: [1] }], { from: 1, to: 0 }),
    /from ≤ to/,
  );
});

Deno.test("histogramChart's logY axis starts a decade below the smallest non-zero bar", () => {
  // 1 value of 1,000 in the right bin: 0.1 %, the rest 99.9 %; the axis spans 10⁻² to 10².
  const values = Array.from({ length: 1000 }, (_, k) => (k === 0 ? 1 : 0));
  const figure = histogramChart([{ name: "a", values }], { bins: 2, logY: true });
  assertAllClose(figure.data[0].y as number[], [99.9, 0.1]);
  assert.deepEqual(figure.layout.yaxis, {
    title: { text: "% of values" },
    type: "log",
    exponentformat: "power",
    range: [-2, 2],
  });
  const linear = histogramChart([{ name: "a", values }], { bins: 2 });
  assert.deepEqual(linear.layout.yaxis, { title: { text: "% of values" } });
});
