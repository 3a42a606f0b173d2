/**
 * Bars in groups: several series of values over the same labels, side by side, e.g. the
 * gradient check's relative error for W1, b1, W2, b2 under a correct and a buggy
 * backpropagation. Values that span many orders of magnitude (1e-10 next to 1) need a
 * logarithmic axis to be seen at all: `logY`.
 *
 * @module
 */

import { baseLayout, type ChartOptions, COLORS, type Figure, legendRowAbove } from "./figures.ts";

/** One series of bars: a value for each label. */
export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
}

/**
 * One group of bars per label, one bar per series in each group, coloured by series.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = groupedBarChart(["W1", "b1"], [
 *   { name: "correct", values: [1e-10, 2e-10] },
 *   { name: "buggy", values: [1e-10, 1] },
 * ], { logY: true, yTitle: "relative error" });
 * assert.equal(figure.layout.barmode, "group");
 * assert.deepEqual(figure.data.map((trace) => trace.name), ["correct", "buggy"]);
 * ```
 */
export function groupedBarChart(
  labels: readonly (string | number)[],
  series: readonly BarSeries[],
  options: ChartOptions & { logY?: boolean } = {},
): Figure {
  for (const { name, values } of series) {
    if (values.length !== labels.length) {
      throw new RangeError(
        `groupedBarChart: series "${name}" has ${values.length} values for ${labels.length} labels`,
      );
    }
  }
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis as object, type: "category" };
  if (options.logY) {
    // Bars on a log axis grow from the bottom of its range: start it a decade below the smallest
    // value so that even the smallest bar shows. Powers of ten (10⁻¹⁰) read better than plotly's
    // default 100p, 1n, ... The range is in decades (log10 units).
    const positive = series.flatMap(({ values }) => Array.from(values)).filter((v) => v > 0);
    const range = positive.length === 0 ? undefined : [
      Math.floor(Math.log10(Math.min(...positive))) - 1,
      Math.ceil(Math.log10(Math.max(...positive))) + 0.2,
    ];
    layout.yaxis = { ...layout.yaxis as object, type: "log", exponentformat: "power", range };
  }
  layout.barmode = "group";
  legendRowAbove(layout); // the series names can be long
  return {
    data: series.map(({ name, values }, i) => ({
      type: "bar",
      name,
      x: labels.map(String),
      y: Array.from(values),
      marker: { color: COLORS[i % COLORS.length] },
    })),
    layout,
  };
}
