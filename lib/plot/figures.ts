/**
 * Charts as plotly.js figures: plain JSON `{data, layout}`, built by pure functions, so they can be
 * tested without a browser and shown by {@linkcode show} (lib/plot/display.ts) in a notebook.
 * Line and bar charts live here; heatmaps and image grids in lib/plot/heatmaps.ts.
 *
 * @module
 */

import type { BatchProgress, EpochRecord } from "../train.ts";

/** One plotly trace (`{type: "scatter", x, y, ...}`), as JSON. */
export type Trace = Record<string, unknown>;

/** A plotly.js figure: what `Plotly.newPlot(element, data, layout, config)` takes. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  /** Interactive options, e.g. `{ displayModeBar: false }` (PNGs do not use them). */
  config?: Record<string, unknown>;
}

/**
 * The widest a figure should be, in pixels: JupyterLab's output area is about 1,000 px wide on a
 * 1,400 px window with the file browser open, and a wider figure gets a scroll bar.
 */
export const MAX_WIDTH = 900;

/** Height of the toolbar ("modebar") plotly shows at the top right when the mouse is on a chart. */
const MODEBAR_HEIGHT = 28;

/** Titles shared by the chart functions. */
export interface ChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/** A named line: y values at x positions (same length). */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Plotly's default colours, named so that related lines (train/validation) can share one. */
export const COLORS = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
] as const;

/**
 * The layout every chart starts from: white background, a readable font, a title. The title is
 * left-aligned just above the plot, below the band where the toolbar appears on hover, so the
 * toolbar never covers it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(baseLayout({ title: "Loss", xTitle: "epoch" }).xaxis, {
 *   title: { text: "epoch" },
 * });
 * ```
 */
export function baseLayout(options: ChartOptions = {}): Record<string, unknown> {
  return {
    title: options.title
      ? {
        text: options.title,
        x: 0,
        xref: "paper",
        xanchor: "left",
        y: 1,
        yref: "paper",
        yanchor: "bottom",
        pad: { b: 10 },
      }
      : undefined,
    xaxis: { title: { text: options.xTitle ?? "" } },
    yaxis: { title: { text: options.yTitle ?? "" } },
    template: { layout: { font: { family: "sans-serif", size: 13 } } },
    paper_bgcolor: "white",
    plot_bgcolor: "#f7f7f7",
    // With a title: the toolbar's band, then about 30 px for one line of title and its pad.
    margin: { t: options.title ? MODEBAR_HEIGHT + 32 : 20, r: 20, b: 50, l: 60 },
  };
}

/**
 * Moves the legend of `layout` to one row above the plot, and its title (if any) above that row,
 * still below the toolbar's band: beside the plot, long series names take its width, and a
 * legend row in the title's place is drawn over it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const layout = baseLayout({ title: "Loss" });
 * legendRowAbove(layout);
 * assert.deepEqual(layout.legend, { orientation: "h", x: 0, y: 1, yanchor: "bottom" });
 * ```
 */
export function legendRowAbove(layout: Record<string, unknown>): void {
  layout.legend = { orientation: "h", x: 0, y: 1, yanchor: "bottom" };
  // The title's pad makes room for the legend row (about 25 px) between the title and the plot.
  if (layout.title) layout.title = { ...layout.title as object, pad: { b: 35 } };
  layout.margin = { ...layout.margin as object, t: layout.title ? MODEBAR_HEIGHT + 62 : 40 };
}

/**
 * Several lines on one chart, e.g. the loss of three optimizers over the epochs. `logY` makes
 * the y axis logarithmic (labelled at 1, 2, 5, 10, ...); `logX` the x axis (labelled at the
 * powers of ten, for sweeps over decades such as a learning-rate finder's); `xTicks` labels the
 * x axis at exactly those values (a few settings of a sweep, whole epochs); `legendAbove` puts
 * the legend in rows above the plot instead of beside it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = lineChart([{ name: "y = x²", x: [0, 1, 2], y: [0, 1, 4] }], { xTitle: "x" });
 * assert.equal(figure.data[0].mode, "lines");
 * ```
 */
export function lineChart(
  series: readonly Series[],
  options: ChartOptions & {
    logY?: boolean;
    logX?: boolean;
    xTicks?: readonly number[];
    legendAbove?: boolean;
  } = {},
): Figure {
  const layout = baseLayout(options);
  if (options.logX) {
    layout.xaxis = { ...layout.xaxis as object, type: "log", exponentformat: "power" };
  }
  if (options.xTicks) layout.xaxis = { ...layout.xaxis as object, tickvals: [...options.xTicks] };
  if (options.logY) {
    // Labels at 1, 2 and 5 of each decade the data spans: plotly's default labels all nine
    // digits of a decade, and they collide when the axis spans a few decades.
    const positive = series.flatMap(({ y }) => Array.from(y)).filter((v) => v > 0);
    const low = Math.floor(Math.log10(Math.min(...positive)));
    const high = Math.ceil(Math.log10(Math.max(...positive)));
    const tickvals = [];
    for (let decade = low; decade <= high; decade++) {
      for (const digit of [1, 2, 5]) tickvals.push(Number((digit * 10 ** decade).toPrecision(1)));
    }
    layout.yaxis = { ...layout.yaxis as object, type: "log", tickvals };
  }
  if (options.legendAbove) {
    // Above the plot: beside it, long names take half the width. Plotly wraps a legend that does
    // not fit one row into one entry per row, so leave room for that (about 7 px per character),
    // and pin the title to the top so that the legend does not run into it.
    const oneRow = series.reduce((px, { name }) => px + 7 * name.length + 45, 0) < 650;
    const rows = oneRow ? 1 : series.length;
    layout.legend = { orientation: "h", x: 0, y: 1, yanchor: "bottom" };
    layout.margin = { ...layout.margin as object, t: (options.title ? 50 : 10) + 20 * rows };
    layout.height = 420 + 20 * rows;
    if (options.title) {
      layout.title = {
        text: options.title,
        yref: "container",
        y: 1,
        yanchor: "top",
        pad: { t: 15 },
      };
    }
  }
  return {
    data: series.map((line, i) => ({
      type: "scatter",
      mode: "lines",
      name: line.name,
      x: Array.from(line.x),
      y: Array.from(line.y),
      line: { color: COLORS[i % COLORS.length] },
    })),
    layout,
  };
}

/**
 * Functions of one variable sampled at `points` evenly spaced x in [from, to], e.g. ReLU and
 * its derivative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = functionChart({ "ReLU": (z) => Math.max(0, z) }, { from: -4, to: 4, points: 5 });
 * assert.deepEqual(figure.data[0].x, [-4, -2, 0, 2, 4]);
 * assert.deepEqual(figure.data[0].y, [0, 0, 0, 2, 4]);
 * ```
 */
export function functionChart(
  functions: Record<string, (x: number) => number>,
  { from, to, points = 201, ...options }: ChartOptions & {
    from: number;
    to: number;
    points?: number;
  },
): Figure {
  const x = Array.from({ length: points }, (_, i) => from + (to - from) * i / (points - 1));
  const series = Object.entries(functions).map(([name, f]) => ({ name, x, y: x.map(f) }));
  const figure = lineChart(series, options);
  // plotly.js drops points that lie within about a pixel of a straight line ("simplify"), which
  // draws a smooth curve as visible straight pieces; a function's samples are all kept.
  for (const trace of figure.data) trace.line = { ...trace.line as object, simplify: false };
  return figure;
}

/**
 * Vertical bars, one per label, e.g. the ten softmax probabilities of one image or the number
 * of images of each digit. `highlight` colours one bar differently (the true class).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = barChart(["0", "1"], [0.2, 0.8], { yTitle: "probability", highlight: 1 });
 * assert.deepEqual(figure.data[0].marker, { color: [COLORS[0], COLORS[1]] }); // bar 1 stands out
 * ```
 */
export function barChart(
  labels: readonly (string | number)[],
  values: ArrayLike<number>,
  options: ChartOptions & { highlight?: number; text?: readonly string[] } = {},
): Figure {
  if (labels.length !== values.length) {
    throw new RangeError(`barChart: ${labels.length} labels but ${values.length} values`);
  }
  const colors = labels.map((_, i) => i === options.highlight ? COLORS[1] : COLORS[0]);
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis as object, type: "category" };
  return {
    data: [{
      type: "bar",
      x: labels.map(String),
      y: Array.from(values),
      marker: { color: colors },
      text: options.text ? [...options.text] : undefined,
      textposition: options.text ? "outside" : undefined,
      cliponaxis: false,
    }],
    layout,
  };
}

/**
 * The training history as two side-by-side charts: loss, and accuracy in %, for the training
 * data and (where measured) the validation set, against the epoch. With `batches`, the training
 * curves are drawn from every batch (at fractional epochs: batch 50 of 100 in epoch 3 is at
 * 2.5), which is what a live chart shows while an epoch is still running.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // In a notebook: the history `train` returns, and `show(trainingChart(history))`.
 * const history = [1, 2].map((epoch) => ({
 *   epoch, loss: 1 / epoch, trainAccuracy: 0.8, validationLoss: 1.2 / epoch,
 *   validationAccuracy: 0.75, learningRate: 0.1, seconds: 1,
 * }));
 * const figure = trainingChart(history);
 * assert.equal(figure.data.length, 4); // training and validation, loss and accuracy
 * assert.deepEqual(figure.data[3].y, [75, 75]); // validation accuracy in %
 * ```
 */
export function trainingChart(
  history: readonly EpochRecord[],
  options: { batches?: readonly BatchProgress[]; title?: string } = {},
): Figure {
  const line = (name: string, color: string, axis: 1 | 2, x: number[], y: number[], dash = "") => ({
    type: "scatter",
    mode: x.length === 1 ? "markers" : "lines",
    name,
    legendgroup: name,
    showlegend: axis === 1,
    x,
    y,
    xaxis: axis === 1 ? "x" : "x2",
    yaxis: axis === 1 ? "y" : "y2",
    line: { color, dash: dash || undefined },
    marker: { color },
  });
  const batches = options.batches ?? [];
  const train = batches.length > 0
    ? {
      x: batches.map((b) => b.epoch - 1 + b.batch / b.batches),
      loss: batches.map((b) => b.loss),
      accuracy: batches.map((b) => 100 * b.accuracy),
    }
    : {
      x: history.map((r) => r.epoch),
      loss: history.map((r) => r.loss),
      accuracy: history.map((r) => 100 * r.trainAccuracy),
    };
  const validated = history.filter((r) => r.validationLoss !== undefined);
  const epochs = validated.map((r) => r.epoch);
  const data = [
    line("training", COLORS[0], 1, train.x, train.loss),
    line("training", COLORS[0], 2, train.x, train.accuracy),
  ];
  if (validated.length > 0) {
    data.push(
      line("validation", COLORS[1], 1, epochs, validated.map((r) => r.validationLoss!), "dot"),
      line(
        "validation",
        COLORS[1],
        2,
        epochs,
        validated.map((r) => 100 * r.validationAccuracy!),
        "dot",
      ),
    );
  }
  const layout = baseLayout({ title: options.title });
  Object.assign(layout, {
    grid: { rows: 1, columns: 2, pattern: "independent" },
    // From 0 (the untrained network), not from the first point at epoch 1 or at 1/B.
    xaxis: { title: { text: "epoch" }, rangemode: "tozero" },
    xaxis2: { title: { text: "epoch" }, rangemode: "tozero" },
    yaxis: { title: { text: "cross-entropy loss" } },
    yaxis2: { title: { text: "accuracy (%)" } },
  });
  legendRowAbove(layout); // beside the charts, the legend would take width from both
  return { data, layout };
}
