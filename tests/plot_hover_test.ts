/// <reference lib="dom" />
// DOM types for the function that runs inside the page (page.evaluate).
/**
 * Tooltips as plotly.js draws them in a browser: an image grid's tooltip must name the image and
 * the pixel in it, read from its byte-encoded customdata (which only plotly.js can decode).
 */

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  CHROMIUM_INSTALL_HINT,
  chromiumAvailable,
  launchChromium,
} from "../lib/browser/chromium.ts";
import type { Figure } from "../lib/plot/figures.ts";
import { imageGrid } from "../lib/plot/heatmaps.ts";

const browser = chromiumAvailable();

/** The tooltip plotly.js shows at data coordinates (x, y) of `figure`. */
async function tooltip(figure: Figure, x: number, y: number): Promise<string | undefined> {
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage();
    await page.setContent('<div id="plot"></div>');
    const plotly = new URL(import.meta.resolve("plotly.js-dist-min/plotly.min.js"));
    await page.evaluate(await readFile(plotly, "utf8"));
    return await page.evaluate(async ({ figure, x, y }) => {
      // deno-lint-ignore no-explicit-any
      const Plotly = (globalThis as any).Plotly;
      await Plotly.newPlot("plot", figure.data, figure.layout, figure.config);
      Plotly.Fx.hover("plot", { xval: x, yval: y });
      await new Promise((resolve) => requestAnimationFrame(resolve)); // labels are drawn in a frame
      // One text per line (tspan), joined without separators by textContent.
      return document.querySelector(".hovertext")?.textContent ?? undefined;
    }, { figure: JSON.parse(JSON.stringify(figure)), x, y });
  } finally {
    await chromium.close();
  }
}

Deno.test({
  name: `an image grid's tooltip in plotly.js names the image, the pixel in it and its value` +
    (browser ? "" : ` (ignored: ${CHROMIUM_INSTALL_HINT})`),
  ignore: !browser,
  async fn() {
    // Two 2×2 digits (bytes: 255 is ink) side by side: image 2 starts at column 2 + 2 (gap) = 4 of the composite.
    const figure = imageGrid([[0, 10, 20, 255], [40, 50, 60, 255]], { side: 2, zoom: 40 });
    assert.equal(await tooltip(figure, 4, 1), "image 2 of 2row 1, column 0value 60");
    assert.equal(await tooltip(figure, 1, 0), "image 1 of 2row 0, column 1value 10");
  },
});
