/// <reference lib="dom" />
// deno-lint-ignore-file no-explicit-any -- JupyterLab's application object, read in the page, has no types here
/**
 * Reading an open notebook in JupyterLab (started by tests/jupyterlab.ts with
 * `--expose-app-in-browser`) for the real-client tests: which cell holds what, what a cell's
 * output shows while it runs, and what a freshly opened notebook looks like.
 *
 * @module
 */

import type { Page } from "../lib/browser/chromium.ts";

/** What the live chart's cell showed at one moment. */
export interface LiveSample {
  /** Seconds since the live cell started running. */
  seconds: number;
  /** Points in the figure of the cell's output (all traces), 0 without one. */
  points: number;
  /** How many outputs the cell has (a live-chart cell must have at most one). */
  outputs: number;
  /** The end of the PNG the cell's output shows in the page (empty when it shows none). */
  image: string;
  /** Whether that image is the PNG of the output's own figure (not a stale one). */
  imageIsCurrent: boolean;
  running: boolean;
}

/** Index (among all cells) of the first cell whose source contains `text`. */
export function cellIndex(page: Page, text: string): Promise<number> {
  return page.evaluate((text) => {
    const cells = (globalThis as any).jupyterapp.shell.currentWidget.content.widgets as any[];
    return cells.findIndex((cell) => cell.model.sharedModel.getSource().includes(text));
  }, text);
}

/** One sample of cell `index`'s output, as the page shows it. */
export function sampleCell(page: Page, index: number, started: number): Promise<LiveSample> {
  return page.evaluate(({ index, seconds }) => {
    const cell = (globalThis as any).jupyterapp.shell.currentWidget.content.widgets[index] as any;
    const model = cell.outputArea.model;
    const data = model.length > 0 ? model.get(0).data : {};
    const figure = data["application/vnd.plotly.v1+json"] as
      | { data: { x?: unknown[] }[] }
      | undefined;
    const points = figure?.data.reduce((sum, trace) => sum + (trace.x?.length ?? 0), 0) ?? 0;
    const img = [...cell.outputArea.node.querySelectorAll("img")]
      .find((element: HTMLImageElement) => element.src && element.style.display !== "none") as
        | HTMLImageElement
        | undefined;
    const src = img?.src ?? "";
    const png = data["image/png"] as string | undefined;
    return {
      seconds,
      points,
      outputs: model.length,
      image: src.slice(-40),
      imageIsCurrent: png !== undefined && src.endsWith(png),
      running: cell.model.executionState === "running",
    };
  }, { index, seconds: (performance.now() - started) / 1000 });
}

/**
 * Runs every cell (Run > Run All Cells, as a learner does) and samples cell `index` every
 * `interval` ms from when it starts running until it has finished; `onSample` sees each sample
 * (a caller can take a screenshot there).
 */
export async function runAllAndWatch(
  page: Page,
  index: number,
  { interval = 250, timeout = 600_000, onSample = async (_: LiveSample) => {} } = {},
): Promise<LiveSample[]> {
  await page.click('li.lm-MenuBar-item:has-text("Run")');
  await page.click('li.lm-Menu-item[data-command="runmenu:run-all"]');
  await page.waitForFunction(
    (index) =>
      (globalThis as any).jupyterapp.shell.currentWidget.content.widgets[index].model
        .executionState === "running",
    index,
    { timeout, polling: 50 },
  );
  const started = performance.now();
  const samples: LiveSample[] = [];
  while (performance.now() - started < timeout) {
    const sample = await sampleCell(page, index, started);
    samples.push(sample);
    await onSample(sample);
    if (!sample.running) return samples;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(`the live cell was still running after ${timeout / 1000} s`);
}

/** What an opened notebook looks like once its kernel is idle. */
export interface OpenedState {
  /** JupyterLab's own flag: a save would change the file. */
  dirty: boolean;
  /** Outputs of type "error" in the notebook. */
  errors: number;
  /** Images (PNGs shown by any renderer) that failed to load. */
  brokenImages: number;
  /** Plot outputs, and how many of them show their PNG. */
  plots: number;
  plotsShown: number;
}

/** Waits until every output's images have loaded, then reads {@linkcode OpenedState}. */
export async function openedState(page: Page): Promise<OpenedState> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll(".jp-OutputArea-output img")].every((img) =>
        (img as HTMLImageElement).complete
      ),
    undefined,
    { timeout: 60_000 },
  );
  return page.evaluate(() => {
    const panel = (globalThis as any).jupyterapp.shell.currentWidget as any;
    const cells = panel.content.widgets as any[];
    let errors = 0, plots = 0, plotsShown = 0;
    for (const cell of cells) {
      const outputs = cell.outputArea?.model;
      for (let i = 0; i < (outputs?.length ?? 0); i++) {
        const output = outputs.get(i);
        if (output.type === "error") errors++;
        const png = output.data["image/png"] as string | undefined;
        if (output.data["application/vnd.plotly.v1+json"] && png) {
          plots++;
          const shown = [...cell.outputArea.node.querySelectorAll("img")]
            .some((img: HTMLImageElement) => img.src.endsWith(png) && img.naturalWidth > 0);
          if (shown) plotsShown++;
        }
      }
    }
    const images = [...document.querySelectorAll(".jp-OutputArea-output img")];
    return {
      dirty: panel.context.model.dirty,
      errors,
      brokenImages: images.filter((img) => (img as HTMLImageElement).naturalWidth === 0).length,
      plots,
      plotsShown,
    };
  });
}
