/**
 * The training report: one self-contained HTML page with the run's results, settings and
 * figures (training curves, confusion matrix, misread digits, first-layer weights). Pure: it
 * takes the figures and the plotly.js source as values and returns the page as a string, so it
 * can be tested without files or a browser; lib/report/report_file.ts writes it to disk.
 *
 * Everything interpolated into the page is escaped: text with {@linkcode escapeHtml}, figures as
 * JSON with every `<` written `\u003c`, so no value (a file name, a setting) can end a `<script>`.
 *
 * @module
 */

import { type Dataset, PIXELS } from "../data/dataset.ts";
import type { Evaluation } from "../evaluate.ts";
import { confusionMatrix } from "../metrics.ts";
import { convNetArchitecture } from "../cnn/model_file.ts";
import type { ConvNet } from "../cnn/network.ts";
import type { Network } from "../network.ts";
import { type Figure, trainingChart } from "../plot/figures.ts";
import { confusionChart, imageGrid } from "../plot/heatmaps.ts";
import { confidentMistakes, mistakesGrid } from "../plot/mistakes.ts";
import type { EpochRecord } from "../train.ts";

/** A value in the report's tables. */
export type ReportValue = string | number | boolean;

/** One titled part of the report: a paragraph and, usually, a figure. */
export interface ReportSection {
  title: string;
  /** Plain text (not HTML): it is escaped. */
  text: string;
  figure?: Figure;
}

/** What {@linkcode reportHtml} lays out. */
export interface Report {
  title: string;
  /** The final results, shown first: name → value. */
  metrics: Record<string, ReportValue>;
  /** What defines the run: name → value. */
  settings: Record<string, ReportValue>;
  sections: ReportSection[];
}

/** A finished training run, as {@linkcode trainingReport} needs it. */
export interface TrainingRun {
  /** An MLP's Network, or a CNN's ConvNet. */
  network: Network | ConvNet;
  history: readonly EpochRecord[];
  settings: Record<string, ReportValue>;
  /** Labelled images the network never trained on: the test set, or else the validation set. */
  checked?: { name: string; dataset: Dataset; evaluation: Evaluation };
}

/** Misread digits shown; the most confident ones, which are the most telling. */
const MISTAKES_SHOWN = 40;
/** Hidden units whose weights are drawn: beyond this the page gets slow and large. */
const UNITS_SHOWN = 256;

/**
 * A fraction as a percentage with two decimals, "–" when unknown; the CLI prints the same form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(percent(0.98123), "98.12 %");
 * ```
 */
export function percent(fraction: number | undefined): string {
  return fraction === undefined ? "–" : `${(100 * fraction).toFixed(2)} %`;
}

/** 10000 → "10,000". */
const thousands = (count: number) => count.toLocaleString("en-US");

/**
 * The report of a training run: its metrics, its settings, and four figures built by lib/plot/.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const network = initNetwork({ seed: 1 });
 * const history = [{ epoch: 1, loss: 0.3, trainAccuracy: 0.91, learningRate: 0.1, seconds: 2 }];
 * const report = trainingReport({ network, history, settings: { epochs: 1 } });
 * assert.equal(report.settings.epochs, 1);
 * assert.ok(report.sections.length > 0); // the curves, the weights, …
 * ```
 */
export function trainingReport({ network, history, settings, checked }: TrainingRun): Report {
  const last = history[history.length - 1];
  const metrics: Record<string, ReportValue> = {
    "final training loss": last.loss.toFixed(4),
    "training accuracy (last epoch)": percent(last.trainAccuracy),
    "validation accuracy": percent(last.validationAccuracy),
  };
  const sections: ReportSection[] = [{
    title: "Training history",
    text: "Cross-entropy loss and accuracy per epoch. Training: averaged over the epoch's " +
      "batches, each measured before its update. Validation: held-out images, measured after " +
      "the epoch.",
    figure: trainingChart(history),
  }];
  const labels = checked?.dataset.labels;
  if (checked && labels && checked.dataset.count > 0) {
    const { name, dataset, evaluation } = checked;
    const mistakes = confidentMistakes(evaluation, labels);
    const images = `${thousands(dataset.count)} ${name} images`;
    metrics[`${name} accuracy`] = `${percent(evaluation.accuracy)} of ${images}`;
    sections.push({
      title: "Confusion matrix",
      text: `The ${images}: rows are the true digit, columns the network's answer, so the ` +
        "diagonal holds the correct answers. The colour saturates at the largest mistake " +
        "count, so the common confusions stand out.",
      figure: confusionChart(confusionMatrix(evaluation.predicted, labels)),
    }, {
      title: "Misclassified examples",
      text: mistakes.length === 0
        ? `The network read all ${images} correctly.`
        : `The ${Math.min(MISTAKES_SHOWN, mistakes.length)} most confident of the ` +
          `${thousands(mistakes.length)} mistakes on the ${images}. Under each: true digit → ` +
          "the network's answer, then the probability it gave its answer · the probability " +
          "it gave the true digit.",
      figure: mistakes.length === 0
        ? undefined
        : mistakesGrid(dataset, evaluation, mistakes.slice(0, MISTAKES_SHOWN)),
    });
  } else {
    sections.push({
      title: "Confusion matrix and misclassified examples",
      text: "None: there were no labelled images outside the training set to check on.",
    });
  }
  sections.push(weightsSection(network));
  metrics["training time"] = `${history.reduce((sum, r) => sum + r.seconds, 0).toFixed(1)} s`;
  return {
    title: `Training report: ${
      "K1" in network
        ? `CNN ${convNetArchitecture(network)}`
        : `784-${network.W1.rows}-10 (${network.activation})`
    }`,
    metrics,
    settings,
    sections,
  };
}

/** The first layer's weights as images: W1's rows for an MLP, K1's kernels for a CNN. */
function weightsSection(network: Network | ConvNet): ReportSection {
  if ("K1" in network) {
    const [kernels, , side] = network.K1.shape;
    const images = Array.from(
      { length: kernels },
      (_, o) => network.K1.data.subarray(o * side * side, (o + 1) * side * side),
    );
    return {
      title: "First-layer kernels",
      text: `The ${kernels} kernels of the first convolution, ${side}×${side} weights each, ` +
        "drawn as images: red where ink raises the feature map (Z1 = K1 ⋆ X + b1), blue where " +
        "it lowers it. Each one slides over the whole digit.",
      figure: imageGrid(images, { side, columns: kernels, colors: "diverging", zoom: 12 }),
    };
  }
  const hidden = network.W1.rows, units = Math.min(hidden, UNITS_SHOWN);
  const rows = Array.from(
    { length: units },
    (_, i) => network.W1.data.subarray(i * PIXELS, (i + 1) * PIXELS),
  );
  return {
    title: "First-layer weights",
    text: `Row i of W1 holds the 784 weights hidden unit i gives the pixels (Z1 = W1·X + b1), ` +
      "drawn here as a 28×28 image: red where ink raises the unit's Z1, blue where it lowers " +
      `it.${units < hidden ? ` The first ${units} of the ${hidden} units.` : ""}`,
    figure: imageGrid(rows, { columns: 16, colors: "diverging", zoom: 2 }),
  };
}

/**
 * Text made safe to place in HTML, as element content or inside a quoted attribute.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   escapeHtml(`<b>"Tom" & 'Jerry'</b>`),
 *   "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;",
 * );
 * ```
 */
export function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
  };
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/**
 * JSON to embed in a `<script>` element: `<` is written `\u003c` (same value to JSON.parse), so
 * no string inside can close the element (`</script>`) or open a comment (`<!--`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(scriptJson({ name: "</script>" }), '{"name":"\\u003c/script>"}');
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

function table(caption: string, rows: Record<string, ReportValue>): string {
  const cells = Object.entries(rows).map(([name, value]) =>
    `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(String(value))}</td></tr>`
  );
  return `<table><caption>${escapeHtml(caption)}</caption>${cells.join("")}</table>`;
}

const STYLE = `
body { font: 15px/1.5 sans-serif; color: #222; max-width: 1180px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 26px; margin: 8px 0 16px; }
h2 { font-size: 20px; margin: 28px 0 4px; border-top: 1px solid #ddd; padding-top: 16px; }
p { margin: 4px 0 8px; max-width: 80ch; }
.tables { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
th, td { text-align: left; padding: 2px 16px 2px 0; border-bottom: 1px solid #eee; }
th { font-weight: normal; color: #555; }
.figure { overflow-x: auto; }`;

/**
 * Draws every `<div data-figure="k">` with figure k of the JSON in `#figures`, then marks the
 * body `data-ready` (for tests and screenshots: plotly draws asynchronously).
 */
const RENDER = `
const figures = JSON.parse(document.getElementById("figures").textContent);
const drawn = Array.from(document.querySelectorAll("[data-figure]"), (element) => {
  const { data, layout } = figures[Number(element.dataset.figure)];
  return Plotly.newPlot(element, data, layout, { displaylogo: false, responsive: true });
});
Promise.all(drawn).then(() => document.body.dataset.ready = "true");`;

/**
 * The report as one HTML page that works offline: `plotly` (the source of plotly.min.js) is
 * inlined, the figures are embedded as JSON and drawn by a few lines of script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const network = initNetwork({ seed: 1 });
 * const history = [{ epoch: 1, loss: 0.3, trainAccuracy: 0.91, learningRate: 0.1, seconds: 2 }];
 * const report = trainingReport({ network, history, settings: { epochs: 1 } });
 * // `deno task train --report` passes plotly.js's source (lib/report/report_file.ts reads it).
 * const html = reportHtml(report, "var Plotly = {};");
 * assert.ok(html.includes("var Plotly = {};") && html.includes(report.title));
 * ```
 */
export function reportHtml(report: Report, plotly: string): string {
  // Inside <script>, `</script` ends the element and `<script` after `<!--` changes how the
  // parser reads on: source containing either cannot be inlined as it is.
  if (/<\/?script/i.test(plotly)) {
    throw new Error("reportHtml: the plotly.js source contains '<script', so it cannot be inlined");
  }
  const figures: Figure[] = [];
  const sections = report.sections.map((section) => {
    const figure = section.figure
      ? `<div class="figure" data-figure="${figures.length}"></div>`
      : "";
    if (section.figure) figures.push(section.figure);
    return `<section><h2>${escapeHtml(section.title)}</h2><p>${escapeHtml(section.text)}</p>` +
      `${figure}</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<div class="tables">${table("Results", report.metrics)}${table("Settings", report.settings)}</div>
${sections.join("\n")}
<script>${plotly}</script>
<script type="application/json" id="figures">${scriptJson(figures)}</script>
<script>${RENDER}
</script>
</body>
</html>
`;
}
