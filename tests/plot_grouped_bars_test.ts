import assert from "node:assert/strict";
import { COLORS } from "../lib/plot/figures.ts";
import { groupedBarChart } from "../lib/plot/grouped_bars.ts";

Deno.test("groupedBarChart draws one bar trace per series over the same labels, grouped", () => {
  const figure = groupedBarChart(["W1", 2], [
    { name: "correct", values: new Float64Array([1e-10, 2e-10]) },
    { name: "buggy", values: [1e-10, 1] },
  ], { title: "T", yTitle: "relative error" });
  assert.deepEqual(
    figure.data.map((t) => [t.type, t.name, t.x, t.y, t.marker]),
    [
      ["bar", "correct", ["W1", "2"], [1e-10, 2e-10], { color: COLORS[0] }],
      ["bar", "buggy", ["W1", "2"], [1e-10, 1], { color: COLORS[1] }],
    ],
  );
  assert.equal(figure.layout.barmode, "group");
  assert.deepEqual(figure.layout.xaxis, { title: { text: "" }, type: "category" });
  assert.deepEqual(figure.layout.yaxis, { title: { text: "relative error" } });
});

Deno.test("groupedBarChart's log axis spans a decade below the smallest value to the largest", () => {
  const figure = groupedBarChart(["a", "b"], [
    { name: "s", values: [3e-10, 0] }, // 0 has no logarithm: it is left out of the range
    { name: "t", values: [0.5, 0.02] },
  ], { logY: true });
  // log10(3e-10) = -9.5 → floor −10, one decade lower −11; log10(0.5) = −0.3 → ceil 0, + 0.2.
  assert.deepEqual(figure.layout.yaxis, {
    title: { text: "" },
    type: "log",
    exponentformat: "power",
    range: [-11, 0.2],
  });
});

Deno.test("groupedBarChart rejects a series with a value missing, naming it", () => {
  assert.throws(
    () => groupedBarChart(["a", "b"], [{ name: "short", values: [1] }]),
    /series "short" has 1 values for 2 labels/,
  );
});

Deno.test("groupedBarChart puts its title above the legend's row, both below the toolbar", () => {
  const figure = groupedBarChart(["a"], [{ name: "one", values: [1] }], { title: "T" });
  assert.deepEqual(figure.layout.legend, { orientation: "h", x: 0, y: 1, yanchor: "bottom" });
  const title = figure.layout.title as { yanchor: string; pad: { b: number } };
  assert.equal(title.yanchor, "bottom");
  assert.equal(title.pad.b, 35); // the legend row is about 25 px high
  // 28 px toolbar band + 35 px pad + one line of title ≈ 90.
  assert.equal((figure.layout.margin as { t: number }).t, 90);
});
