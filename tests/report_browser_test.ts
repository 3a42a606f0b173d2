/// <reference lib="dom" />
// DOM types for the functions that run inside the page (page.evaluate).
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CHROMIUM_INSTALL_HINT,
  CHROMIUM_PERMISSIONS,
  chromiumAvailable,
  launchChromium,
} from "../lib/browser/chromium.ts";
import { evaluate } from "../lib/evaluate.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { trainingReport } from "../lib/report/report.ts";
import { writeReport } from "../lib/report/report_file.ts";
import { train } from "../lib/train.ts";
import { granted } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

const permitted = CHROMIUM_PERMISSIONS.every(granted);
const ready = permitted && chromiumAvailable();
const hint = permitted && !ready ? ` (ignored: ${CHROMIUM_INSTALL_HINT})` : "";

Deno.test({
  name: `the report renders every figure in Chromium, offline, without errors${hint}`,
  ignore: !ready,
  async fn() {
    const network = initNetwork({ hidden: 16, activation: "relu", seed: 1 });
    const validation = syntheticDigits(100, 2);
    const history = await train(network, syntheticDigits(300, 1), {
      epochs: 2,
      batchSize: 32,
      optimizer: createOptimizer("momentum", { learningRate: 0.1 }),
      seed: 1,
      validation,
    });
    // Wrong labels on two images, as in real data sets: the mistakes figure always has images.
    validation.labels!.set([5, 7]);
    const evaluation = evaluate(network, validation);
    const report = trainingReport({
      network,
      history,
      settings: { epochs: 2, data: "synthetic" },
      checked: { name: "validation", dataset: validation, evaluation },
    });
    const figures = report.sections.filter((section) => section.figure);
    assert.equal(figures.length, 4);

    const dir = await Deno.makeTempDir({ prefix: "mnist-report-" });
    const browser = await launchChromium();
    try {
      const file = join(dir, "report.html");
      await writeReport(file, report);
      // Offline: a request for anything outside the file would fail, and is recorded below.
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const requests: string[] = [], errors: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      const plots = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>("[data-figure]"), (element) => ({
          plotly: element.classList.contains("js-plotly-plot"),
          svgs: element.querySelectorAll(".main-svg").length,
          // What plotly drew: a group per line, an image per heatmap.
          scatter: element.querySelectorAll(".scatterlayer .trace").length,
          heatmap: element.querySelectorAll(".heatmaplayer .hm image").length,
        }))
      );
      assert.deepEqual(
        plots,
        figures.map(({ figure }) => {
          const types = figure!.data.map((trace) => trace.type);
          return {
            plotly: true,
            svgs: 3,
            scatter: types.filter((type) => type === "scatter").length,
            heatmap: types.filter((type) => type === "heatmap").length,
          };
        }),
      );
      const headings = await page.$$eval("h2", (elements) => elements.map((h) => h.textContent));
      assert.deepEqual(headings, report.sections.map((section) => section.title));
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
