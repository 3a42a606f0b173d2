import assert from "node:assert/strict";
import { initNetwork } from "../lib/network.ts";
import { lineChart } from "../lib/plot/figures.ts";
import {
  escapeHtml,
  type Report,
  reportHtml,
  scriptJson,
  trainingReport,
} from "../lib/report/report.ts";
import type { EpochRecord } from "../lib/train.ts";
import { gridLevels } from "./grid_levels.ts";

/** A stand-in for plotly.min.js: the tests here look at the page, not at plotly. */
const PLOTLY = "window.Plotly = { newPlot() {} };";

const injection = "</script><script>alert(1)</script>";
const report: Report = {
  title: "Run <1>",
  metrics: { "test accuracy": "97.50 %" },
  settings: { epochs: 3, lr: 0.1, fullBatch: false, data: injection },
  sections: [
    { title: "Curves", text: "a & b", figure: lineChart([{ name: injection, x: [1], y: [2] }]) },
    { title: "Nothing to draw", text: "text only" },
    { title: "Bars", text: "", figure: lineChart([{ name: "b", x: [0, 1], y: [3, 4] }]) },
  ],
};

/** The JSON text inside `<script type="application/json" id="figures">`. */
function figuresJson(html: string): string {
  const match = html.match(/<script type="application\/json" id="figures">(.*?)<\/script>/s);
  assert.ok(match, "the figures' script element");
  return match[1];
}

Deno.test("escapeHtml replaces the five characters that HTML gives a meaning", () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
  );
  assert.equal(escapeHtml("plain 98 %"), "plain 98 %");
});

Deno.test("scriptJson writes < as \\u003c and parses back to the same value", () => {
  const value = { name: "</script><!--", n: [1, 2.5] };
  const json = scriptJson(value);
  assert.equal(json, '{"name":"\\u003c/script>\\u003c!--","n":[1,2.5]}');
  assert.deepEqual(JSON.parse(json), value);
});

Deno.test("reportHtml has every section, the tables, and one placeholder per figure", () => {
  const html = reportHtml(report, PLOTLY);
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<title>Run &lt;1&gt;<\/title>/);
  const headings = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
  assert.deepEqual(headings, ["Curves", "Nothing to draw", "Bars"]);
  assert.match(html, /<p>a &amp; b<\/p>/);
  assert.match(
    html,
    /<caption>Results<\/caption><tr><th scope="row">test accuracy<\/th><td>97.50 %/,
  );
  for (const [name, value] of [["epochs", "3"], ["lr", "0.1"], ["fullBatch", "false"]]) {
    assert.ok(html.includes(`<th scope="row">${name}</th><td>${value}</td>`), name);
  }
  const placeholders = [...html.matchAll(/data-figure="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(placeholders, [0, 1]);
  assert.ok(html.includes(`<script>${PLOTLY}</script>`), "plotly.js inlined");
});

Deno.test("reportHtml embeds the figures as JSON that parses back to them", () => {
  const figures = JSON.parse(figuresJson(reportHtml(report, PLOTLY)));
  // The JSON round trip is what the page sees: `undefined` fields (no title) are dropped.
  const expected = JSON.parse(
    JSON.stringify([report.sections[0].figure, report.sections[2].figure]),
  );
  assert.deepEqual(figures, expected);
  assert.equal(figures[0].data[0].name, injection);
});

Deno.test("a script in a setting, a title or a figure cannot break out of the page", () => {
  const html = reportHtml(report, PLOTLY);
  assert.ok(
    html.includes(`<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>`),
    "the setting shows as text",
  );
  assert.equal(html.includes("alert(1)</script>"), false);
  // Only the three script elements of the page itself are opened and closed.
  assert.equal(html.match(/<script/g)?.length, 3);
  assert.equal(html.match(/<\/script>/g)?.length, 3);
  assert.equal(figuresJson(html).includes("<"), false);
});

Deno.test("reportHtml refuses a plotly source that would end its script element", () => {
  assert.throws(
    () => reportHtml(report, "var s = '</SCRIPT>';"),
    /contains '<script', so it cannot be inlined/,
  );
});

const history: EpochRecord[] = [1, 2].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  trainAccuracy: 0.5 + 0.2 * epoch,
  validationLoss: 1.2 / epoch,
  validationAccuracy: 0.45 + 0.2 * epoch,
  learningRate: 0.1,
  seconds: 1.25,
}));

Deno.test("trainingReport: metrics, confusion matrix and mistakes of the checked images, weights", () => {
  const network = initNetwork({ hidden: 3, activation: "relu", seed: 1 });
  // Five images labelled 0, 1, 2, 3, 4; images 1 and 3 are misread, image 3 more confidently.
  const labels = new Uint8Array([0, 1, 2, 3, 4]);
  const predicted = new Uint8Array([0, 7, 2, 8, 4]);
  const probabilities = new Float32Array(50);
  predicted.forEach((digit, i) => probabilities[10 * i + digit] = i === 3 ? 0.995 : 0.6);
  const dataset = { images: new Uint8Array(5 * 784), labels, count: 5, source: "five" };
  const evaluation = { predicted, probabilities, accuracy: 0.6 };
  const result = trainingReport({
    network,
    history,
    settings: { epochs: 2 },
    checked: { name: "test", dataset, evaluation },
  });
  assert.equal(result.title, "Training report: 784-3-10 (relu)");
  assert.deepEqual(result.metrics, {
    "final training loss": "0.5000",
    "training accuracy (last epoch)": "90.00 %",
    "validation accuracy": "85.00 %",
    "test accuracy": "60.00 % of 5 test images",
    "training time": "2.5 s",
  });
  assert.deepEqual(result.settings, { epochs: 2 });
  assert.deepEqual(result.sections.map((s) => s.title), [
    "Training history",
    "Confusion matrix",
    "Misclassified examples",
    "First-layer weights",
  ]);
  const [curves, confusion, mistakes, weights] = result.sections.map((s) => s.figure!);
  assert.deepEqual(curves.data[0].y, [1, 0.5]);
  const counts = confusion.data[0].z as number[][];
  assert.equal(counts[1][7], 1);
  assert.equal(counts[3][8], 1);
  assert.equal(counts.flat().reduce((a, b) => a + b), 5);
  assert.match(
    result.sections[2].text,
    /^The 2 most confident of the 2 mistakes on the 5 test images\. /,
  );
  const captions = (mistakes.layout.annotations as { text: string }[]).map((a) => a.text);
  // p(true digit) is 0 here; 0.995 and 0 are shown as ">99 %" and "<1 %", not as 100 and 0.
  assert.deepEqual(captions, ["3 → 8<br>>99 % · <1 %", "1 → 7<br>60 % · <1 %"]);
  // Three units in one row of 28×28 images with 2-pixel gaps: 3·28 + 2·2 columns.
  const z = gridLevels(weights);
  assert.deepEqual([z.length, z[0].length], [28, 88]);
  // Colours saturate at the 99th percentile (nearest rank: the 2,329th of 3·784) of |w|.
  const sorted = Array.from(network.W1.data.subarray(0, 3 * 784), Math.abs).sort((a, b) => a - b);
  const r = sorted[2328], w = network.W1.get(1, 783);
  assert.equal(z[27][30 + 27], 127 + Math.round(127 * Math.max(-1, Math.min(1, w / r))));
  assert.equal(Math.max(...z.flat()), 254); // the top 1 % of |w| is clipped
  assert.equal(Math.min(...z.flat()), 0);
});

Deno.test("trainingReport without checked images says so instead of drawing empty charts", () => {
  const network = initNetwork({ hidden: 2, activation: "sigmoid", seed: 2 });
  const result = trainingReport({ network, history, settings: {} });
  assert.deepEqual(result.sections.map((s) => [s.title, s.figure !== undefined]), [
    ["Training history", true],
    ["Confusion matrix and misclassified examples", false],
    ["First-layer weights", true],
  ]);
  assert.equal("test accuracy" in result.metrics, false);
});
