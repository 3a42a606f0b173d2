/**
 * Writing the training report (lib/report.ts) to disk with plotly.js inlined, and checking the
 * report's path before a long training run so that a typo fails in a second, not after it.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";
import { DataError, UsageError } from "./errors.ts";
import { type Report, reportHtml } from "./report.ts";

/** The npm file inlined into every report: plotly.js, minified, with every chart type. */
const PLOTLY = "plotly.js-dist-min/plotly.min.js";

/**
 * Throws a one-line {@linkcode UsageError} naming `--report` unless `path` can be written: it is
 * not a directory, not one of the run's other files (`others`: flag name → path, e.g. the model
 * it would overwrite), and a file can be created in its directory (made if missing; the probe
 * file is removed again).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const directory = await Deno.makeTempDir();
 * await checkReportPath(`${directory}/run1.html`, { out: "models/mnist-mlp.safetensors" });
 * await assert.rejects(() => checkReportPath(directory)); // a directory, not a file
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export async function checkReportPath(
  path: string,
  others: Record<string, string> = {},
): Promise<void> {
  for (const [flag, other] of Object.entries(others)) {
    if (resolve(path) === resolve(other)) {
      throw new UsageError(`--report: ${path} is also the --${flag} file; give the report its own`);
    }
  }
  const existing = await Deno.stat(path).catch(() => undefined);
  if (existing?.isDirectory) {
    throw new UsageError(`--report: ${path} is a directory; expected a file such as report.html`);
  }
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
    const probe = `${path}.${Deno.pid}.probe.tmp`;
    await Deno.writeFile(probe, new Uint8Array(), { createNew: true });
    await Deno.remove(probe);
  } catch (error) {
    throw new UsageError(`--report: cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * Writes `report` as a self-contained HTML file (about 5 MB, most of it plotly.js), atomically:
 * a failure leaves any previous file at `path` as it was. Failures are a one-line
 * {@linkcode DataError} naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 * import { trainingReport } from "./report.ts";
 *
 * const network = initNetwork({ seed: 1 });
 * const history = [{ epoch: 1, loss: 0.3, trainAccuracy: 0.91, learningRate: 0.1, seconds: 2 }];
 * const path = await Deno.makeTempFile({ suffix: ".html" });
 * await writeReport(path, trainingReport({ network, history, settings: { epochs: 1 } }));
 * assert.ok((await Deno.stat(path)).size > 1_000_000); // plotly.js inlined: no network needed
 * await Deno.remove(path);
 * ```
 */
export async function writeReport(path: string, report: Report): Promise<void> {
  const plotlyUrl = new URL(import.meta.resolve(PLOTLY));
  const plotly = await readFile(plotlyUrl, "utf8").catch((error) => {
    throw new DataError(
      plotlyUrl.pathname,
      `cannot read plotly.js for the report (${error.message}); run \`deno install\``,
    );
  });
  try {
    await writeFileAtomic(path, reportHtml(report, plotly));
  } catch (error) {
    throw new DataError(path, `cannot write the report: ${(error as Error).message}`);
  }
}
