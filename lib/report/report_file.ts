/**
 * Writing the training report (lib/report/report.ts) to disk with plotly.js inlined.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { DataError } from "../errors.ts";
import { type Report, reportHtml } from "./report.ts";

/** The npm file inlined into every report: plotly.js, minified, with every chart type. */
const PLOTLY = "plotly.js-dist-min/plotly.min.js";

/**
 * Writes `report` as a self-contained HTML file (about 5 MB, most of it plotly.js), atomically:
 * a failure leaves any previous file at `path` as it was. Failures are a one-line
 * {@linkcode DataError} naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
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
  await writeFileAtomic(path, reportHtml(report, plotly));
}
