/**
 * Grids of numbers as colours: the confusion matrix, and images (digits, or the 784 weights of a
 * hidden unit drawn as a 28×28 picture). Images are composed into ONE heatmap with gaps rather
 * than one subplot each: a hundred subplots make plotly slow, one heatmap of 300×300 cells is
 * instant, and with `zsmooth: false` every pixel stays a crisp square.
 *
 * @module
 */

import { type Dataset, IMAGE_SIDE, PIXELS } from "../data/dataset.ts";
import { baseLayout, type ChartOptions, type Figure } from "./figures.ts";

/** Paper white for 0, ink black for the maximum: how MNIST digits were written. */
const INK = [[0, "white"], [1, "black"]];
/** Blue for negative, white for 0, red for positive: for weights, whose sign matters. */
const DIVERGING = [[0, "#2166ac"], [0.5, "white"], [1, "#b2182b"]];

/**
 * The confusion matrix (rows = true digit, columns = predicted digit) with each count written in
 * its cell. The colour saturates at the largest off-diagonal count, so the mistakes stand out
 * instead of being washed out by the thousands of correct answers on the diagonal.
 *
 * @example
 * ```ts
 * await show(confusionChart(confusionMatrix(predicted, labels), { title: "MNIST test" }));
 * ```
 */
export function confusionChart(
  counts: readonly (readonly number[])[],
  options: ChartOptions = {},
): Figure {
  const classes = counts.map((_, i) => String(i));
  const offDiagonal = counts.flatMap((row, i) => row.filter((_, j) => j !== i));
  const layout = baseLayout({ xTitle: "predicted digit", yTitle: "true digit", ...options });
  Object.assign(layout, {
    xaxis: { ...layout.xaxis as object, type: "category" },
    yaxis: { ...layout.yaxis as object, type: "category", autorange: "reversed" },
    width: 560,
    height: 520,
    margin: { t: options.title ? 50 : 20, r: 20, b: 50, l: 60 },
  });
  return {
    data: [{
      type: "heatmap",
      z: counts.map((row) => [...row]),
      x: classes,
      y: classes,
      colorscale: [[0, "white"], [1, "#2166ac"]],
      zmin: 0,
      zmax: Math.max(1, ...offDiagonal),
      texttemplate: "%{z}",
      hovertemplate: "true %{y}, predicted %{x}: %{z}<extra></extra>",
      showscale: false,
    }],
    layout,
  };
}

/** How {@linkcode imageGrid} lays out and colours its images. */
export interface ImageGridOptions {
  /** Images per row (default: up to 10). */
  columns?: number;
  /** Width and height of each image in pixels (default 28). */
  side?: number;
  /** One line of text under each image, e.g. "7 (read as 1)". */
  captions?: readonly string[];
  /** "ink": 0 white, max black (digits); "diverging": negative blue, positive red (weights). */
  colors?: "ink" | "diverging";
  /** Screen pixels per image pixel in the PNG (default 3). */
  zoom?: number;
  title?: string;
}

/**
 * Images side by side in a grid, as one heatmap: image k (row-major `side × side` values) goes to
 * row ⌊k / columns⌋, column k mod columns, with its caption underneath.
 *
 * @example
 * ```ts
 * // The 128 first-layer weight vectors (rows of W1), each drawn as a 28×28 image:
 * const rows = Array.from({ length: 128 }, (_, i) => W1.data.subarray(i * 784, (i + 1) * 784));
 * await show(imageGrid(rows, { columns: 16, colors: "diverging" }));
 * ```
 */
export function imageGrid(
  images: readonly ArrayLike<number>[],
  options: ImageGridOptions = {},
): Figure {
  const side = options.side ?? IMAGE_SIDE;
  const columns = Math.max(1, Math.min(options.columns ?? 10, images.length));
  const rows = Math.ceil(images.length / columns);
  const gap = 2, captionSpace = options.captions ? 10 : 0;
  const cellWidth = side + gap, cellHeight = side + gap + captionSpace;
  const width = columns * cellWidth - gap, height = rows * cellHeight - gap;
  // null is drawn transparent: the gaps between images show the page background.
  const z: (number | null)[][] = Array.from({ length: height }, () => new Array(width).fill(null));
  let low = Infinity, high = -Infinity;
  images.forEach((image, k) => {
    if (image.length !== side * side) {
      throw new RangeError(`imageGrid: image ${k} has ${image.length} values, not ${side}×${side}`);
    }
    const top = Math.floor(k / columns) * cellHeight, left = (k % columns) * cellWidth;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const value = image[r * side + c];
        // Three significant digits are plenty for a colour and keep the notebook JSON small.
        z[top + r][left + c] = Number.isInteger(value) ? value : Number(value.toPrecision(3));
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
  });
  const diverging = options.colors === "diverging";
  const bound = Math.max(Math.abs(low), Math.abs(high)) || 1;
  const zoom = options.zoom ?? 3;
  const margin = { t: options.title ? 40 : 10, r: 10, b: 10, l: 10 };
  const hidden = { visible: false, showgrid: false, zeroline: false };
  return {
    data: [{
      type: "heatmap",
      z,
      colorscale: diverging ? DIVERGING : INK,
      zmin: diverging ? -bound : Math.min(0, low),
      zmax: diverging ? bound : Math.max(high, 1),
      zsmooth: false,
      showscale: diverging,
      hoverongaps: false,
      hovertemplate: "row %{y}, column %{x}: %{z}<extra></extra>",
    }],
    layout: {
      ...baseLayout({ title: options.title }),
      xaxis: { ...hidden, range: [-0.5, width - 0.5], constrain: "domain" },
      yaxis: { ...hidden, range: [height - 0.5, -0.5], scaleanchor: "x" },
      annotations: (options.captions ?? []).slice(0, images.length).map((text, k) => ({
        text,
        x: (k % columns) * cellWidth + side / 2 - 0.5,
        y: Math.floor(k / columns) * cellHeight + side + 1,
        xref: "x",
        yref: "y",
        yanchor: "top",
        showarrow: false,
        font: { size: 11 },
      })),
      plot_bgcolor: "white",
      width: width * zoom + margin.l + margin.r + (diverging ? 80 : 0),
      height: height * zoom + margin.t + margin.b,
      margin,
    },
  };
}

/**
 * The digits at `indices` of a dataset in a grid, captioned with their labels (or with
 * `captions`, e.g. "3 → 5" for a misread digit).
 *
 * @example
 * ```ts
 * const train = await loadMnist("train");
 * await show(digitGrid(train, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
 * ```
 */
export function digitGrid(
  dataset: Dataset,
  indices: ArrayLike<number>,
  options: ImageGridOptions = {},
): Figure {
  const picked = Array.from(indices);
  const images = picked.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= dataset.count) {
      throw new RangeError(`digitGrid: index ${i} is outside ${dataset.source} (${dataset.count})`);
    }
    return dataset.images.subarray(i * PIXELS, (i + 1) * PIXELS);
  });
  const labels = dataset.labels;
  const captions = options.captions ??
    (labels ? picked.map((i) => `label ${labels[i]}`) : undefined);
  return imageGrid(images, { ...options, captions });
}
