/**
 * Showing a figure in a notebook. The Deno kernel displays any object that has a
 * `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle; ours holds three views of
 * one figure, and each frontend picks the richest it can show:
 *
 * - `application/vnd.plotly.v1+json`: the interactive chart (VS Code with the Jupyter renderers,
 *   JupyterLab with the Python `plotly` package);
 * - `image/png`: a static picture for GitHub, nbconvert and frontends without plotly, rendered by
 *   plotly.js itself in headless Chromium (plotly.js needs a browser: importing it into Deno
 *   fails with "window is not defined");
 * - `text/plain`: one line naming the chart, for terminals.
 *
 * One browser page, with plotly.js loaded once (seconds), renders every PNG (tens of milliseconds
 * for a chart, more for a big grid). Inside the kernel it lives as long as the kernel; elsewhere
 * (scripts, tests) it closes itself one second after the last render so the process can exit, or
 * at once with {@linkcode closeRenderer}.
 * Without Chromium the bundle simply has no PNG.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import {
  type Browser,
  CHROMIUM_INSTALL_HINT,
  chromiumAvailable,
  launchChromium,
  type Page,
} from "../browser/chromium.ts";
import type { Figure } from "./figures.ts";

/** The key the Deno kernel looks for on a value it is asked to display. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** MIME type → content, as in a Jupyter `display_data` message. */
export type MediaBundle = Record<string, unknown>;

/** A value the Deno kernel knows how to display. */
export interface Displayable {
  [JUPYTER_DISPLAY](): Promise<MediaBundle>;
}

/** The signature of the kernel's `Deno.jupyter.display`. */
export type DisplayFunction = (
  value: unknown,
  options?: { raw?: boolean; update?: boolean; display_id?: string },
) => Promise<void>;

/** Options for {@linkcode figureBundle} and {@linkcode show}. */
export interface BundleOptions {
  /** Include the PNG (default true; live updates leave it out to stay fast). */
  png?: boolean;
}

/** PNG size for figures whose layout does not fix one. */
const DEFAULT_SIZE = { width: 760, height: 420 };

/**
 * The MIME bundle of a figure: plotly JSON, text, and (when Chromium is there) a base64 PNG.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chromiumAvailable } from "../browser/chromium.ts";
 * import { lineChart } from "./figures.ts";
 *
 * try {
 *   const bundle = await figureBundle(lineChart([{ name: "y", x: [0, 1], y: [1, 0] }]));
 *   assert.deepEqual(Object.keys(bundle), [
 *     "application/vnd.plotly.v1+json",
 *     "text/plain",
 *     ...(chromiumAvailable() ? ["image/png"] : []),
 *   ]);
 * } finally {
 *   await closeRenderer();
 * }
 * ```
 */
export async function figureBundle(
  figure: Figure,
  { png = true }: BundleOptions = {},
): Promise<MediaBundle> {
  // A JSON round trip drops `undefined` fields and turns typed arrays into what plotly expects.
  const json = JSON.parse(JSON.stringify(figure));
  const bundle: MediaBundle = {
    "application/vnd.plotly.v1+json": json,
    "text/plain": figureText(figure),
  };
  if (png) {
    try {
      const image = await renderPng(json);
      if (image) bundle["image/png"] = image;
    } catch (error) {
      // The interactive view and the text still work: say why the picture is missing, once.
      warnOnce(`no PNG fallback for plots: rendering in Chromium failed: ${error}`);
    }
  }
  return bundle;
}

/**
 * A displayable figure: make it the last expression of a cell and the kernel shows it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./figures.ts";
 *
 * const shown = show(barChart(["0", "1"], [0.3, 0.7]), { png: false }); // a cell's last line
 * const bundle = await shown[JUPYTER_DISPLAY](); // what the kernel calls to display it
 * assert.equal(bundle["text/plain"], "Figure: bar");
 * ```
 */
export function show(figure: Figure, options: BundleOptions = {}): Displayable {
  return { [JUPYTER_DISPLAY]: () => figureBundle(figure, options) };
}

/**
 * Shows a figure now, from anywhere in a cell (several per cell are fine). Outside the kernel it
 * prints the text view instead.
 *
 * @example
 * ```ts
 * import { barChart } from "./figures.ts";
 *
 * for (const digit of [3, 5]) {
 *   await display(barChart(["3", "5"], [0.5, 0.5], { title: `image of a ${digit}` }));
 * } // outside the kernel: prints 'Figure "image of a 3": bar', then the 5's
 * ```
 */
export async function display(figure: Figure, options: BundleOptions = {}): Promise<void> {
  const kernel = kernelDisplay();
  if (kernel) await kernel(show(figure, options));
  else console.log(figureText(figure));
}

/**
 * The kernel's `Deno.jupyter.display`, or undefined outside `deno jupyter`. Read lazily and
 * guarded: elsewhere merely reading `Deno.jupyter` throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(kernelDisplay(), undefined); // this example runs in `deno test`
 * ```
 */
export function kernelDisplay(): DisplayFunction | undefined {
  try {
    return Deno.jupyter.display;
  } catch {
    return undefined;
  }
}

/**
 * One line describing a figure: its title and the names of its traces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChart } from "./figures.ts";
 *
 * assert.equal(
 *   figureText(lineChart([{ name: "ReLU", x: [0], y: [0] }], { title: "Activations" })),
 *   'Figure "Activations": scatter "ReLU"',
 * );
 * ```
 */
export function figureText(figure: Figure): string {
  const title = (figure.layout.title as { text?: string } | undefined)?.text;
  const names = [...new Set(figure.data.map((t) => `${t.type}${t.name ? ` "${t.name}"` : ""}`))];
  return `Figure${title ? ` "${title}"` : ""}: ${names.join(", ")}`;
}

let renderer: Promise<{ browser: Browser; page: Page } | undefined> | undefined;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let warned = false;

/**
 * The figure as a base64 PNG (no `data:` prefix), or undefined without Chromium. Sized by the
 * layout's width and height when it has them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./figures.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".png" });
 * try {
 *   const png = await renderPng(barChart(["0", "1"], [0.3, 0.7]));
 *   if (png) {
 *     await Deno.writeFile(path, Uint8Array.from(atob(png), (c) => c.charCodeAt(0)));
 *     const signature = (await Deno.readFile(path)).subarray(1, 4);
 *     assert.equal(new TextDecoder().decode(signature), "PNG");
 *   }
 * } finally {
 *   await closeRenderer();
 *   await Deno.remove(path);
 * }
 * ```
 */
export function renderPng(figure: Figure): Promise<string | undefined> {
  const width = Number(figure.layout.width ?? DEFAULT_SIZE.width);
  const height = Number(figure.layout.height ?? DEFAULT_SIZE.height);
  // One render at a time: plotly.js keeps global state per page.
  const result = queue.then(async () => {
    clearTimeout(idleTimer);
    const ready = await (renderer ??= startRenderer());
    if (!ready) return undefined;
    const url = await ready.page.evaluate(
      // deno-lint-ignore no-explicit-any
      ({ figure, width, height }) => (globalThis as any).Plotly.toImage(figure, { width, height }),
      { figure, width, height },
    ) as string;
    if (kernelDisplay() === undefined) idleTimer = setTimeout(closeRenderer, 1000);
    return url.slice(url.indexOf(",") + 1);
  });
  queue = result.catch(() => {});
  return result;
}

/**
 * Closes the browser that renders PNGs (the next render starts a new one). Scripts and tests
 * call it to exit at once instead of after the one-second idle delay.
 *
 * @example
 * ```ts
 * import { barChart } from "./figures.ts";
 *
 * const figure = barChart(["0", "1"], [0.3, 0.7]);
 * try {
 *   await figureBundle(figure); // starts the browser
 * } finally {
 *   await closeRenderer(); // the script can exit now, not a second later
 * }
 * ```
 */
export async function closeRenderer(): Promise<void> {
  clearTimeout(idleTimer);
  const current = renderer;
  renderer = undefined;
  await (await current?.catch(() => undefined))?.browser.close();
}

async function startRenderer(): Promise<{ browser: Browser; page: Page } | undefined> {
  if (!chromiumAvailable()) {
    warnOnce(`no PNG fallback for plots: Chromium is missing (${CHROMIUM_INSTALL_HINT})`);
    return undefined;
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const plotly = new URL(import.meta.resolve("plotly.js-dist-min/plotly.min.js"));
    await page.evaluate(await readFile(plotly, "utf8"));
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

function warnOnce(message: string): void {
  if (!warned) console.warn(message);
  warned = true;
}
