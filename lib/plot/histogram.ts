/**
 * Histograms: how the values of a matrix (Z1 over a batch, the weights of W1) are distributed.
 * The bins are counted here rather than by plotly's `histogram` trace, so the notebook stores a
 * few dozen bar heights instead of every one of 128,000 values.
 *
 * @module
 */

import { baseLayout, type ChartOptions, COLORS, type Figure } from "./figures.ts";

/** One distribution: a name for the legend and its values. */
export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
}

/** Options for {@linkcode histogramChart}. */
export interface HistogramOptions extends ChartOptions {
  /** Number of equal-width bins (default 50). */
  bins?: number;
  /** Left edge of the first bin (default: the smallest value of all series). */
  from?: number;
  /** Right edge of the last bin, included (default: the largest value of all series). */
  to?: number;
  /**
   * A logarithmic y axis, for a long thin tail: it starts a decade below the smallest non-zero
   * bar, so a bin holding a single value still shows (empty bins draw nothing).
   */
  logY?: boolean;
}

/**
 * Overlaid histograms, one per series, each bar the **percentage** of that series' values in
 * its bin, so that series of different sizes compare. Values outside [from, to] are not drawn;
 * the legend says how many there were ("Z1 (12 outside)") rather than hiding them silently.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const Z1 = Float32Array.from([-1, 0.2, 0.4, 0.9, 3]);
 * const figure = histogramChart([{ name: "Z1", values: Z1 }], { bins: 2, from: -1, to: 1 });
 * assert.deepEqual(figure.data[0].y, [20, 60]); // % of the 5 values in [−1, 0) and [0, 1]
 * assert.equal(figure.data[0].name, "Z1 (1 outside)"); // the 3
 * ```
 */
export function histogramChart(
  series: readonly HistogramSeries[],
  options: HistogramOptions = {},
): Figure {
  const bins = options.bins ?? 50;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`histogramChart: bins must be a positive integer, got ${bins}`);
  }
  let low = Infinity, high = -Infinity;
  for (const { values } of series) {
    for (let k = 0; k < values.length; k++) {
      low = Math.min(low, values[k]);
      high = Math.max(high, values[k]);
    }
  }
  let from = options.from ?? low, to = options.to ?? high;
  if (!(to >= from)) {
    throw new RangeError(`histogramChart: needs from ≤ to and some values, got [${from}, ${to}]`);
  }
  // A range of zero width (all values equal): widen it by 1 around them, not divide by 0.
  if (to === from) [from, to] = [from - 0.5, to + 0.5];
  const width = (to - from) / bins;
  const centres = Array.from({ length: bins }, (_, b) => from + (b + 0.5) * width);
  const layout = baseLayout({ yTitle: "% of values", ...options });
  Object.assign(layout, { barmode: "overlay", bargap: 0 });
  const data = series.map(({ name, values }, i) => {
    const counts = new Array(bins).fill(0);
    let outside = 0;
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (!(v >= from && v <= to)) outside++;
      else counts[Math.min(bins - 1, Math.floor((v - from) / width))]++;
    }
    return {
      type: "bar",
      name: outside > 0 ? `${name} (${outside} outside)` : name,
      x: centres,
      y: counts.map((count) => 100 * count / Math.max(1, values.length)),
      width,
      marker: { color: COLORS[i % COLORS.length] },
      opacity: series.length > 1 ? 0.6 : 1,
    };
  });
  if (options.logY) {
    const positive = data.flatMap((trace) => trace.y).filter((y) => y > 0);
    const range = positive.length === 0 ? undefined : [
      Math.floor(Math.log10(positive.reduce((a, b) => Math.min(a, b)))) - 1,
      Math.ceil(Math.log10(positive.reduce((a, b) => Math.max(a, b)))),
    ];
    layout.yaxis = { ...layout.yaxis as object, type: "log", exponentformat: "power", range };
  }
  return { data, layout };
}
