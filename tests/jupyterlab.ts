/// <reference lib="dom" />
// deno-lint-ignore-file no-explicit-any -- JupyterLab's application object, read in the page, has no types here
// DOM types for the functions that run inside the page (page.evaluate).
/**
 * JupyterLab as a learner runs it, for the real-client tests: the server from the virtual
 * environment `deno task lab` creates (tools/lab_env.sh) and headless Chromium on it. The server
 * runs with `--expose-app-in-browser`, so tests/jupyterlab_notebook.ts can read the notebook's
 * state through JupyterLab's application object.
 *
 * The server gets its own settings, workspaces and runtime folders, so a learner's settings and
 * open tabs do not leak in, with autosave off: a test must never rewrite a committed notebook.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type Browser, launchChromium, type Page } from "../lib/browser/chromium.ts";

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
