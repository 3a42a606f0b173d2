/**
 * Grids of numbers as colours: the confusion matrix, and images (digits, or the 784 weights of a
 * hidden unit drawn as a 28×28 picture). Images are composed into ONE heatmap with gaps rather
 * than one subplot each: a hundred subplots make plotly slow, one heatmap of 300×300 cells is
 * instant, and with `zsmooth: false` every pixel stays a crisp square.
 *
 * @module
 */

import { type Dataset, IMAGE_SIDE, PIXELS } from "../data/dataset.ts";
import { baseLayout, type ChartOptions, type Figure, MAX_WIDTH } from "./figures.ts";

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
 * import assert from "node:assert/strict";
 * import { confusionMatrix } from "../metrics.ts";
 *
 * const counts = confusionMatrix([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 1], 3);
 * const figure = confusionChart(counts, { title: "three digits" });
 * assert.deepEqual(figure.data[0].z, [[1, 0, 0], [0, 1, 1], [0, 1, 2]]); // row: true digit
 * assert.equal(figure.data[0].zmax, 1); // the colour saturates at the largest mistake count
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
  /**
   * "ink": 0 white, max black (digits); "diverging": negative blue, positive red (weights),
   * saturating at the 99th percentile of |value| so a few large weights do not wash out the rest.
   */
  colors?: "ink" | "diverging";
  /** Screen pixels per image pixel (default 3; less where the figure would be over 900 px wide). */
  zoom?: number;
  title?: string;
}

/** Colour levels of the diverging scale: 0 = −range, {@linkcode MIDDLE} = 0, 2·MIDDLE = +range. */
const MIDDLE = 127;

/**
 * The value below which `fraction` of `values` fall (nearest rank): 0.99 of 1, 2, …, 100 is 99.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(percentile(Float64Array.from({ length: 100 }, (_, i) => i + 1), 0.99), 99);
 * ```
 */
export function percentile(values: ArrayLike<number>, fraction: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

/**
 * Bytes as base64, in chunks: one `String.fromCharCode(...bytes)` call overflows the stack on
 * large arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(base64(new Uint8Array([0, 255])), "AP8=");
 * ```
 */
export function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/**
 * Images side by side in a grid, as one heatmap: image k (row-major `side × side` values) goes to
 * row ⌊k / columns⌋, column k mod columns, with its caption underneath.
 *
 * Each pixel is stored as one byte, a colour level 0–255, in plotly's typed-array form
 * `z = { dtype: "u1", shape: "height,width", bdata: base64 }` (plotly.js ≥ 2.28): a 128-image
 * grid is ~150 kB of base64 instead of megabytes of JSON numbers (a notebook writes each number
 * on its own line). "ink" maps [min(0, lowest), max(highest, 1)] linearly onto 0–255 (so a
 * uint8 digit keeps its value); "diverging" maps [−r, r] onto 0–254 with 0 at level 127, where r
 * is the 99th percentile of |value|; larger values are clipped, and the colour bar says so. The
 * 2-pixel gaps get the white level, the same colour as the page around the images. The tooltip
 * names the image (numbered from 1; "image 0" is a gap) and the pixel's row and column in it, as
 * a `customdata` typed array of three bytes per grid pixel (two where there are over 255 images).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Two 2×2 images side by side (in a notebook: the 128 rows of W1, 28×28 each, "diverging").
 * const figure = imageGrid([[0, 255, 255, 0], [255, 0, 0, 255]], { side: 2, columns: 2 });
 * const z = figure.data[0].z as { shape: string; bdata: string };
 * assert.equal(z.shape, "2,6"); // 2 rows; 2 + 2 + 2 columns: the images and a white gap
 * assert.deepEqual(Array.from(atob(z.bdata), (c) => c.charCodeAt(0)), [
 *   [0, 255, 0, 0, 255, 0],
 *   [255, 0, 0, 0, 0, 255],
 * ].flat());
 * ```
 */
export function imageGrid(
  images: readonly ArrayLike<number>[],
  options: ImageGridOptions = {},
): Figure {
  const side = options.side ?? IMAGE_SIDE;
  const columns = Math.max(1, Math.min(options.columns ?? 10, images.length));
  const rows = Math.ceil(images.length / columns);
  const gap = 2, cellWidth = side + gap, width = columns * cellWidth - gap;
  const diverging = options.colors === "diverging";
  const margin = { t: options.title ? 40 : 10, r: 10, b: 10, l: 10 };
  const colorbarWidth = diverging ? 80 : 0;
  // At most MAX_WIDTH screen pixels wide: a wider grid is drawn at a smaller zoom.
  const fit = (MAX_WIDTH - margin.l - margin.r - colorbarWidth) / width;
  const zoom = Math.min(options.zoom ?? 3, fit);
  // Room for the captions in screen pixels (14 per line), converted to image pixels: a fixed
  // number of image pixels would leave large empty bands under small images drawn at a big zoom.
  const captionLines = Math.max(0, ...(options.captions ?? []).map((c) => c.split("<br>").length));
  const captionSpace = captionLines && Math.ceil((14 * captionLines + 4) / zoom);
  const cellHeight = side + gap + captionSpace, height = rows * cellHeight - gap;
  images.forEach((image, k) => {
    if (image.length !== side * side) {
      throw new RangeError(`imageGrid: image ${k} has ${image.length} values, not ${side}×${side}`);
    }
  });
  const all = images.flatMap((image) => Array.from(image));
  let level: (value: number) => number, colorbar: Record<string, unknown> | undefined;
  let reading: string; // what the tooltip says about the pixel's value
  if (diverging) {
    const absolute = all.map(Math.abs);
    const range = percentile(absolute, 0.99) || absolute.reduce((a, b) => Math.max(a, b), 0) || 1;
    const clip = (x: number) => Math.max(-1, Math.min(1, x));
    level = (value) => MIDDLE + Math.round(MIDDLE * clip(value / range));
    const r = Number(range.toPrecision(2)), half = Number((r / 2).toPrecision(2));
    colorbar = {
      title: { text: "clipped at<br>99th pct<br>of |value|", side: "top", font: { size: 10 } },
      tickvals: [0, MIDDLE / 2, MIDDLE, 1.5 * MIDDLE, 2 * MIDDLE],
      ticktext: [`≤ −${r}`, `−${half}`, "0", `${half}`, `≥ ${r}`],
    };
    reading = `level %{z} (0: ≤ −${r}, ${MIDDLE}: 0, ${2 * MIDDLE}: ≥ ${r})`;
  } else {
    // A reduce, not Math.min(...all): spreading 100,000 arguments overflows the stack.
    const low = all.reduce((a, b) => Math.min(a, b), 0);
    const high = all.reduce((a, b) => Math.max(a, b), 1);
    level = (value) => Math.round((255 * (value - low)) / (high - low));
    // Bytes (a digit's pixels) are stored as they are: the level is the value.
    const bytes = low === 0 && high === 255 && all.every(Number.isInteger);
    reading = bytes ? "value %{z}" : `level %{z} of 255 (0: ${low}, 255: ${high})`;
  }
  const levels = new Uint8Array(width * height).fill(diverging ? MIDDLE : 0);
  // For the tooltip, each grid pixel's [image number from 1, row, column] in its image (0s in
  // the gaps): the heatmap's own row and column are those of the composite, which say nothing.
  const Where = images.length < 256 && side < 256 ? Uint8Array : Uint16Array;
  const where = new Where(width * height * 3);
  images.forEach((image, k) => {
    const top = Math.floor(k / columns) * cellHeight, left = (k % columns) * cellWidth;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const i = (top + r) * width + left + c;
        levels[i] = level(image[r * side + c]);
        where.set([k + 1, r, c], 3 * i);
      }
    }
  });
  const hidden = { visible: false, showgrid: false, zeroline: false };
  return {
    data: [{
      type: "heatmap",
      z: { dtype: "u1", shape: `${height},${width}`, bdata: base64(levels) },
      colorscale: diverging ? DIVERGING : INK,
      zmin: 0,
      zmax: diverging ? 2 * MIDDLE : 255,
      zsmooth: false,
      showscale: diverging,
      colorbar,
      customdata: {
        dtype: Where === Uint8Array ? "u1" : "u2",
        shape: `${height},${width},3`,
        bdata: base64(new Uint8Array(where.buffer)),
      },
      // Three short lines, not one long one: a small grid (one digit) would cut it off.
      hovertemplate: `image %{customdata[0]} of ${images.length}<br>` +
        `row %{customdata[1]}, column %{customdata[2]}<br>${reading}<extra></extra>`,
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
      width: Math.round(width * zoom) + margin.l + margin.r + colorbarWidth,
      height: Math.round(height * zoom) + margin.t + margin.b,
      margin,
    },
    // No toolbar: zooming into a grid of digits has little use, and over a small grid (a single
    // digit) the toolbar wraps and covers the image.
    config: { displayModeBar: false },
  };
}

/**
 * The digits at `indices` of a dataset in a grid, captioned with their labels (or with
 * `captions`, e.g. "3 → 5" for a misread digit).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const labels = Uint8Array.from([5, 0, 4]);
 * const train = { images: new Uint8Array(3 * 784), labels, count: 3, source: "train" };
 * const figure = digitGrid(train, [2, 0]);
 * const captions = (figure.layout.annotations as { text: string }[]).map((a) => a.text);
 * assert.deepEqual(captions, ["label 4", "label 5"]);
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
