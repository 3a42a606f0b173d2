/// <reference lib="dom" />
// deno-lint-ignore-file no-explicit-any -- JupyterLab's application object, read in the page, has no types here
// DOM types for the functions that run inside the page (page.evaluate).
/**
 * JupyterLab as a learner runs it, for the real-client tests: the server from the virtual
 * environment `deno task lab` creates (tools/lab_env.sh), headless Chromium on it, and helpers
 * that read the notebook's state through the JupyterLab application object (started with
 * `--expose-app-in-browser`).
 *
 * The server gets its own settings, workspaces and runtime folders, so a learner's settings and
 * open tabs do not leak in, with autosave off: a test must never rewrite a committed notebook.
 *
 * @module
 */

import type { Browser, Page } from "playwright-core";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../lib/chromium.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Where tools/lab_env.sh puts the virtual environment (`MNIST_LAB_VENV` overrides it). */
export function labVenv(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
  return Deno.env.get("MNIST_LAB_VENV") ?? `${cache}/mnist-from-scratch/jupyterlab-venv`;
}

/** What the ignored tests' names say to do. */
export const LAB_INSTALL_HINT =
  "install JupyterLab with `deno task lab` or `bash tools/lab_env.sh`";

/** True when the environment has JupyterLab (and the Python `plotly` package when asked). */
export function labInstalled(): boolean {
  try {
    return Deno.statSync(`${labVenv()}/bin/jupyter-lab`).isFile;
  } catch {
    return false;
  }
}

/** A running JupyterLab with a browser page on it. */
export interface Lab {
  page: Page;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  base: string;
  token: string;
  /** Opens `path` (relative to the server's root) and waits until its kernel is idle. */
  open(path: string): Promise<void>;
}

/** Options for {@linkcode withLab}. */
export interface LabOptions {
  /** The folder JupyterLab serves (default: notebooks/). */
  root?: string;
}

/** Starts JupyterLab and Chromium, runs `fn`, stops both and removes the server's folders. */
export async function withLab(options: LabOptions, fn: (lab: Lab) => Promise<void>): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "mnist-lab-" });
  const settings = `${scratch}/settings/@jupyterlab/docmanager-extension`;
  await Deno.mkdir(settings, { recursive: true });
  await Deno.writeTextFile(`${settings}/plugin.jupyterlab-settings`, '{ "autosave": false }');
  // No "get notified about Jupyter news?" toast over the notebook (and no request for news).
  const notices = `${scratch}/settings/@jupyterlab/apputils-extension`;
  await Deno.mkdir(notices, { recursive: true });
  await Deno.writeTextFile(
    `${notices}/notification.jupyterlab-settings`,
    '{ "fetchNews": "false" }',
  );
  const port = freePort();
  const token = crypto.randomUUID();
  const server = new Deno.Command(`${labVenv()}/bin/jupyter-lab`, {
    args: [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${options.root ?? `${ROOT}notebooks`}`,
      "--expose-app-in-browser",
      "--allow-root", // CI containers run as root; harmless otherwise
    ],
    env: {
      JUPYTERLAB_SETTINGS_DIR: `${scratch}/settings`,
      JUPYTERLAB_WORKSPACES_DIR: `${scratch}/workspaces`,
      JUPYTER_CONFIG_DIR: `${scratch}/config`,
      JUPYTER_RUNTIME_DIR: `${scratch}/runtime`,
      NO_COLOR: "1",
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const logDone = server.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void log.push(chunk) }),
  );
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  server.status.then(() => exited = true);
  let browser: Browser | undefined;
  try {
    await waitForServer(base, token, () => exited);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const open = async (path: string) => {
      await page.goto(`${base}/lab/tree/${path}?token=${token}&reset`);
      await page.waitForFunction(
        () =>
          (globalThis as any).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel
            ?.status === "idle",
        undefined,
        { timeout: 120_000 },
      );
    };
    await fn({ page, base, token, open });
  } catch (error) {
    throw new Error(`${error}\n--- JupyterLab's log (last lines) ---\n${lastLines(log, 30)}`);
  } finally {
    await browser?.close();
    try {
      server.kill("SIGTERM");
    } catch {
      // it has exited already (its log is in the error)
    }
    await server.status;
    await logDone.catch(() => {});
    await Deno.remove(scratch, { recursive: true });
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForServer(base: string, token: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("JupyterLab exited before it answered");
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`JupyterLab did not answer on ${base} within 120 s`);
}

function lastLines(log: string[], count: number): string {
  return log.join("").split("\n").slice(-count).join("\n");
}

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
