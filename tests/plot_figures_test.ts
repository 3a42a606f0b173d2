import assert from "node:assert/strict";
import {
  barChart,
  baseLayout,
  COLORS,
  type Figure,
  functionChart,
  lineChart,
  trainingChart,
} from "../lib/plot/figures.ts";
import { base64, confusionChart, digitGrid, imageGrid, percentile } from "../lib/plot/heatmaps.ts";
import { gridLevels } from "./grid_levels.ts";
import type { EpochRecord } from "../lib/train.ts";

Deno.test("lineChart makes one line trace per series, coloured in order", () => {
  const figure = lineChart([
    { name: "a", x: new Float32Array([0, 1]), y: [2, 3] },
    { name: "b", x: [0, 1], y: [4, 5] },
  ], { title: "T", xTitle: "x", yTitle: "y" });
  assert.deepEqual(
    figure.data.map((t) => [t.name, t.x, t.y, (t.line as { color: string }).color]),
    [
      ["a", [0, 1], [2, 3], COLORS[0]],
      ["b", [0, 1], [4, 5], COLORS[1]],
    ],
  );
  assert.equal((figure.layout.title as { text: string }).text, "T");
  assert.deepEqual(figure.layout.xaxis, { title: { text: "x" } });
});

Deno.test("lineChart with logY labels 1, 2 and 5 of each decade the data spans", () => {
  const figure = lineChart([{ name: "a", x: [0, 1, 2], y: [0.15, 3, 0] }], {
    logY: true,
    yTitle: "y",
  });
  // 0.15 → decade −1, 3 → decade 0 (rounded up: 1); 0 has no logarithm and is left out.
  assert.deepEqual(figure.layout.yaxis, {
    title: { text: "y" },
    type: "log",
    tickvals: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50],
  });
  assert.deepEqual(lineChart([{ name: "a", x: [0], y: [1] }]).layout.yaxis, {
    title: { text: "" },
  });
});

Deno.test("lineChart with logX draws x on a log axis labelled at powers of ten", () => {
  const figure = lineChart([{ name: "a", x: [1e-4, 1e-2, 1], y: [2, 1, 3] }], { logX: true });
  assert.deepEqual(figure.layout.xaxis, {
    title: { text: "" },
    type: "log",
    exponentformat: "power",
  });
  assert.deepEqual(figure.data[0].x, [1e-4, 1e-2, 1]);
  const widths = lineChart([{ name: "a", x: [16, 64, 512], y: [1, 2, 3] }], {
    logX: true,
    xTicks: [16, 64, 512],
  });
  assert.deepEqual((widths.layout.xaxis as { tickvals: number[] }).tickvals, [16, 64, 512]);
});

Deno.test("lineChart with legendAbove puts the legend above, with a row per entry if it must", () => {
  const short = lineChart([{ name: "a", x: [0], y: [1] }], { legendAbove: true, title: "T" });
  assert.deepEqual(short.layout.legend, { orientation: "h", x: 0, y: 1, yanchor: "bottom" });
  assert.equal((short.layout.margin as { t: number }).t, 50 + 20);
  assert.deepEqual(short.layout.title, {
    text: "T",
    yref: "container",
    y: 1,
    yanchor: "top",
    pad: { t: 15 },
  });
  // Three names of 90 characters cannot share a row of 650 px: three rows.
  const long = lineChart(
    ["a", "b", "c"].map((c) => ({ name: c.repeat(90), x: [0], y: [1] })),
    { legendAbove: true },
  );
  assert.equal((long.layout.margin as { t: number }).t, 10 + 60);
  assert.equal(long.layout.height, 480);
});

Deno.test("functionChart samples evenly spaced points from `from` to `to`", () => {
  const figure = functionChart({ relu: (z) => Math.max(0, z) }, { from: -1, to: 1, points: 5 });
  assert.deepEqual(figure.data[0].x, [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(figure.data[0].y, [0, 0, 0, 0.5, 1]);
  // Every sample is drawn: plotly's line simplification would turn a smooth curve into kinks.
  assert.deepEqual(figure.data[0].line, { color: COLORS[0], simplify: false });
});

Deno.test("barChart highlights one bar and rejects labels and values of different lengths", () => {
  const figure = barChart([0, 1, 2], [0.2, 0.5, 0.3], { highlight: 1 });
  assert.deepEqual(figure.data[0].x, ["0", "1", "2"]);
  assert.deepEqual(figure.data[0].marker, { color: [COLORS[0], COLORS[1], COLORS[0]] });
  assert.throws(() => barChart([0, 1], [1]), /2 labels but 1 values/);
});

const history: EpochRecord[] = [
  {
    epoch: 1,
    loss: 0.5,
    trainAccuracy: 0.8,
    validationLoss: 0.4,
    validationAccuracy: 0.85,
    learningRate: 0.1,
    seconds: 1,
  },
  {
    epoch: 2,
    loss: 0.3,
    trainAccuracy: 0.9,
    validationLoss: 0.35,
    validationAccuracy: 0.875,
    learningRate: 0.1,
    seconds: 1,
  },
];

Deno.test("trainingChart draws loss and accuracy (%) per epoch, training and validation", () => {
  const figure = trainingChart(history);
  const traces = figure.data.map((t) => [t.name, t.xaxis, t.x, t.y]);
  assert.deepEqual(traces, [
    ["training", "x", [1, 2], [0.5, 0.3]],
    ["training", "x2", [1, 2], [80, 90]],
    ["validation", "x", [1, 2], [0.4, 0.35]],
    ["validation", "x2", [1, 2], [85, 87.5]],
  ]);
});

Deno.test("trainingChart starts both x axes at 0 and puts the legend in a row above", () => {
  const { layout } = trainingChart(history, { title: "T" });
  assert.equal((layout.xaxis as { rangemode: string }).rangemode, "tozero");
  assert.equal((layout.xaxis2 as { rangemode: string }).rangemode, "tozero");
  assert.deepEqual(layout.legend, { orientation: "h", x: 0, y: 1, yanchor: "bottom" });
});

Deno.test("trainingChart with batches puts batch b of B in epoch e at e - 1 + b/B", () => {
  const batches = [
    { epoch: 1, batch: 1, batches: 2, loss: 0.9, accuracy: 0.5 },
    { epoch: 1, batch: 2, batches: 2, loss: 0.7, accuracy: 0.6 },
    { epoch: 2, batch: 1, batches: 2, loss: 0.6, accuracy: 0.7 },
  ];
  const figure = trainingChart(history.slice(0, 1), { batches });
  assert.deepEqual(figure.data[0].x, [0.5, 1, 1.5]);
  assert.deepEqual(figure.data[1].y, [50, 60, 70]);
  assert.deepEqual(figure.data[2].x, [1]); // validation: measured once, after epoch 1
  assert.equal(figure.data[2].mode, "markers");
});

Deno.test("imageGrid places image k at row k / columns, column k % columns, with white gaps", () => {
  // Three 2×2 images in 2 columns, 2-pixel gaps: a 6×6 grid (2 + 2 + 2 each way). Ink maps
  // [0, 12] onto levels 0–255: v → round(255 v / 12), e.g. 1 → 21, 5 → 106; gaps are 0 (white).
  const figure = imageGrid([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { side: 2, columns: 2 });
  assert.deepEqual(gridLevels(figure), [
    [21, 43, 0, 0, 106, 128],
    [64, 85, 0, 0, 149, 170],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [191, 213, 0, 0, 0, 0],
    [234, 255, 0, 0, 0, 0],
  ]);
  assert.deepEqual([figure.data[0].zmin, figure.data[0].zmax], [0, 255]);
  assert.throws(() => imageGrid([[1, 2, 3]], { side: 2 }), /image 0 has 3 values, not 2×2/);
});

Deno.test("imageGrid leaves 14 screen pixels per caption line, whatever the zoom", () => {
  const shape = (figure: { data: Record<string, unknown>[] }) =>
    (figure.data[0].z as { shape: string }).shape;
  const images = [new Array(49).fill(0), new Array(49).fill(1)];
  // One line at zoom 8: ⌈(14 + 4) / 8⌉ = 3 image pixels; rows of 7 + 2 + 3, less the last gap.
  assert.equal(
    shape(imageGrid(images, { side: 7, columns: 1, zoom: 8, captions: ["a", "b"] })),
    "22,7",
  );
  // Two lines at zoom 3: ⌈(28 + 4) / 3⌉ = 11; no captions: none.
  const two = imageGrid(images, { side: 7, columns: 1, captions: ["a<br>b", "c"] });
  assert.equal(shape(two), "38,7");
  assert.equal(shape(imageGrid(images, { side: 7, columns: 1 })), "16,7");
});

Deno.test("imageGrid stores a uint8 digit's pixels unchanged, one base64 byte each", () => {
  const figure = imageGrid([[0, 255, 128, 7]], { side: 2 });
  // Bytes 0, 255, 128, 7 in base64: 000000 001111 111110 000000 | 000001 11(0000) → "AP+ABw==".
  assert.deepEqual(figure.data[0].z, { dtype: "u1", shape: "2,2", bdata: "AP+ABw==" });
});

Deno.test("imageGrid with diverging colours saturates at the 99th percentile of |value|", () => {
  // |values| are 1, 2, …, 100 (sign alternating): the 99th percentile (nearest rank) is 99, so
  // level = 127 + round(127 v / 99) clipped to 0–254: 1 → 128, −2 → 126, 99 → 254, −100 → 0.
  const values = Array.from({ length: 100 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1));
  const levels = gridLevels(imageGrid([values], { side: 10, colors: "diverging" })).flat();
  assert.deepEqual(levels.slice(0, 3), [128, 124, 131]); // −2 → 127 + round(−2.57) = 124
  assert.deepEqual(levels.slice(-2), [254, 0]); // 99 → 254, −100 clipped to 0
  const figure = imageGrid([values], { side: 10, colors: "diverging" });
  assert.deepEqual([figure.data[0].zmin, figure.data[0].zmax], [0, 254]);
  const colorbar = figure.data[0].colorbar as { tickvals: number[]; ticktext: string[] };
  assert.deepEqual(colorbar.tickvals, [0, 63.5, 127, 190.5, 254]);
  assert.deepEqual(colorbar.ticktext, ["≤ −99", "−50", "0", "50", "≥ 99"]);
  // Gaps between images are level 127: white, like weight 0.
  const two = gridLevels(imageGrid([[1, 1, 1, 1], [1, 1, 1, 1]], { side: 2, colors: "diverging" }));
  assert.deepEqual(two[0], [254, 254, 127, 127, 254, 254]);
});

Deno.test("percentile is the nearest rank; base64 matches a hand encoding", () => {
  assert.equal(percentile(Float64Array.from({ length: 100 }, (_, i) => 100 - i), 0.99), 99);
  assert.equal(percentile([5], 0.99), 5);
  assert.equal(base64(new Uint8Array([0, 255])), "AP8=");
  // 70,000 bytes (more than one 32 KiB chunk) decode back to themselves.
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
  assert.deepEqual(Uint8Array.from(atob(base64(bytes)), (c) => c.charCodeAt(0)), bytes);
});

Deno.test("digitGrid captions each digit with its label, centred under it", () => {
  const images = new Uint8Array(3 * 784);
  images[784 + 5] = 255; // image 1, row 0, column 5
  const dataset = { images, labels: new Uint8Array([7, 2, 1]), count: 3, source: "tiny" };
  const figure = digitGrid(dataset, [1, 2], { columns: 2 });
  assert.equal(gridLevels(figure)[0][5], 255);
  const annotations = figure.layout.annotations as { text: string; x: number; y: number }[];
  assert.deepEqual(annotations.map((a) => [a.text, a.x, a.y]), [["label 2", 13.5, 29], [
    "label 1",
    43.5,
    29,
  ]]);
  assert.throws(() => digitGrid(dataset, [3]), /index 3 is outside tiny \(3\)/);
});

Deno.test("confusionChart saturates its colours at the largest off-diagonal count", () => {
  const figure = confusionChart([[50, 2], [7, 40]]);
  assert.deepEqual(figure.data[0].z, [[50, 2], [7, 40]]);
  assert.equal(figure.data[0].zmax, 7);
  assert.deepEqual(figure.data[0].x, ["0", "1"]);
});

Deno.test("titles are left-aligned above the plot, below the toolbar's 28 px band", () => {
  const layout = baseLayout({ title: "A long title that a centred toolbar would cover" });
  assert.deepEqual(layout.title, {
    text: "A long title that a centred toolbar would cover",
    x: 0,
    xref: "paper",
    xanchor: "left",
    y: 1,
    yref: "paper",
    yanchor: "bottom",
    pad: { b: 10 },
  });
  // 28 px for the toolbar, 32 for a line of 18 px title text with its 10 px pad.
  assert.equal((layout.margin as { t: number }).t, 60);
  assert.equal((baseLayout().margin as { t: number }).t, 20);
});

Deno.test("imageGrid turns the toolbar off and shrinks its zoom to stay within 900 px", () => {
  const unit = new Array(784).fill(0.5);
  // 128 weight images, 16 per row: 16·30 − 2 = 478 columns and 8·30 − 2 = 238 rows of pixels.
  // At zoom 2 that would be 956 px + 20 margin + 80 colour bar; the cap leaves 800 px for the
  // pixels, zoom 800/478, so 238·800/478 = 398.3 → 398 px high, + 20 margin.
  const wide = imageGrid(Array(128).fill(unit), { columns: 16, zoom: 2, colors: "diverging" });
  assert.equal(wide.layout.width, 900);
  assert.equal(wide.layout.height, 418);
  assert.deepEqual(wide.config, { displayModeBar: false });
  // A single digit at zoom 4 is far below the cap: 28·4 + 20 margin.
  const single = imageGrid([unit], { zoom: 4 });
  assert.equal(single.layout.width, 132);
  assert.deepEqual(single.config, { displayModeBar: false });
});

/** The [image, row, column] triples of an image grid's customdata, as rows of the composite. */
function gridPlaces(figure: Figure): number[][][] {
  const data = figure.data[0].customdata as { dtype: string; shape: string; bdata: string };
  assert.equal(data.dtype, "u1");
  const [height, width, channels] = data.shape.split(",").map(Number);
  assert.equal(channels, 3);
  const bytes = [...atob(data.bdata)].map((c) => c.charCodeAt(0));
  return Array.from(
    { length: height },
    (_, r) =>
      Array.from(
        { length: width },
        (_, c) => bytes.slice(3 * (r * width + c), 3 * (r * width + c) + 3),
      ),
  );
}

Deno.test("imageGrid tooltips name the image, the pixel in it and its value", () => {
  // Three 2×2 images, two per row: cells of 4×4 with the gaps, a composite of 6 rows × 6 columns.
  const figure = imageGrid([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { side: 2, columns: 2 });
  const places = gridPlaces(figure);
  assert.deepEqual(places[0].slice(0, 6), [[1, 0, 0], [1, 0, 1], [0, 0, 0], [0, 0, 0], [2, 0, 0], [
    2,
    0,
    1,
  ]]);
  assert.deepEqual(places[5][1], [3, 1, 1]); // image 3's bottom-right pixel, value 12
  assert.deepEqual(places[2][0], [0, 0, 0]); // a gap row
  assert.equal(
    figure.data[0].hovertemplate,
    "image %{customdata[0]} of 3<br>row %{customdata[1]}, column %{customdata[2]}<br>" +
      "level %{z} of 255 (0: 0, 255: 12)<extra></extra>",
  );
  // A digit's bytes are stored as they are, so the level is the value.
  assert.match(
    imageGrid([[0, 255, 128, 7]], { side: 2 }).data[0].hovertemplate as string,
    /<br>value %\{z\}</,
  );
  const weights = imageGrid([Array.from({ length: 100 }, (_, i) => i - 50)], {
    side: 10,
    colors: "diverging",
  });
  // |value| runs 0..50; its 99th percentile (nearest rank, 100 values) is the 99th smallest: 49.
  assert.match(
    weights.data[0].hovertemplate as string,
    /<br>level %\{z\} \(0: ≤ −49, 127: 0, 254: ≥ 49\)</,
  );
});
