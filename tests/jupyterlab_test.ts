// deno-lint-ignore-file no-explicit-any -- JupyterLab's application object, read in the page, has no types here
/**
 * The course in the client learners use: JupyterLab with the Python `plotly` renderer (the
 * environment `deno task lab` creates), driven in headless Chromium. One test runs notebook 7 as
 * committed with Run > Run All Cells and watches its live chart grow while it trains; another
 * opens every committed notebook and finds no error output and nothing that marks it modified.
 *
 * The second test looks at the committed outputs rather than executing every notebook again:
 * tests/notebooks_test.ts already executes each one in the real kernel, and what this test adds
 * is the client's view (renderers, the metadata the kernel reports on connecting).
 *
 * Without the environment (tools/lab_env.sh) or Chromium the tests are reported as ignored, with
 * what to install in their names; .ci/run creates the environment.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  CHROMIUM_INSTALL_HINT,
  CHROMIUM_PERMISSIONS,
  chromiumAvailable,
} from "../lib/browser/chromium.ts";
import { granted } from "./assert.ts";
import { LAB_INSTALL_HINT, labInstalled, ROOT, withLab } from "./jupyterlab.ts";
import { cellIndex, openedState, runAllAndWatch } from "./jupyterlab_notebook.ts";

const permitted = [...CHROMIUM_PERMISSIONS, { name: "net", host: "127.0.0.1" } as const]
  .every(granted);
const missing = !permitted
  ? "needs the test permissions (deno task test)"
  : !chromiumAvailable()
  ? CHROMIUM_INSTALL_HINT
  : !labInstalled()
  ? LAB_INSTALL_HINT
  : "";
const ignored = missing ? ` (ignored: ${missing})` : "";
const LIVE_NOTEBOOK = "07_training.ipynb";

Deno.test({
  name: `JupyterLab: notebooks/${LIVE_NOTEBOOK}'s live chart grows while it trains and ends ` +
    `interactive, saved as one output with its PNG${ignored}`,
  ignore: missing !== "",
  async fn() {
    // A copy next to the original (its ../lib/ imports resolve the same), so that saving it
    // cannot touch the committed notebook; .gitignore covers the name.
    const copy = `lab-test-${LIVE_NOTEBOOK}`;
    await Deno.copyFile(`${ROOT}notebooks/${LIVE_NOTEBOOK}`, `${ROOT}notebooks/${copy}`);
    try {
      await withLab({}, async ({ page, open }) => {
        await open(copy);
        const index = await cellIndex(page, "new LiveChart(");
        assert.ok(index >= 0, `${LIVE_NOTEBOOK} has no cell with a LiveChart`);
        const samples = await runAllAndWatch(page, index);
        const during = samples.filter((sample) => sample.running);
        assert.ok(during.every((sample) => sample.outputs <= 1), "a live cell shows one output");
        // A redraw the learner sees: more points than the last sample, and the page shows the
        // PNG of exactly that figure (a frozen renderer would show the old picture).
        let grew = 0;
        during.forEach((sample, i) => {
          const before = i > 0 ? during[i - 1] : undefined;
          if (before && sample.points > before.points && sample.image !== before.image) {
            assert.ok(
              sample.imageIsCurrent,
              `at ${sample.seconds} s the chart shows a stale image`,
            );
            grew++;
          }
        });
        const counts = during.map((sample) => sample.points).filter((n, i, all) =>
          n !== all[i - 1]
        );
        assert.ok(grew >= 3, `the chart grew ${grew} times while training (points: ${counts})`);
        const final = samples[samples.length - 1];
        // 60 iterations, 4 lines (training and validation, loss and accuracy): 240 points.
        assert.equal(final.points, 240);

        await page.evaluate(() =>
          (globalThis as any).jupyterapp.commands.execute("docmanager:save")
        );
        await page.waitForFunction(() =>
          !(globalThis as any).jupyterapp.shell.currentWidget.context.model.dirty
        );
        const saved = JSON.parse(await Deno.readTextFile(`${ROOT}notebooks/${copy}`));
        const outputs = saved.cells[index].outputs as { output_type: string; data: object }[];
        assert.deepEqual(outputs.map((out) => out.output_type), ["display_data"]);
        assert.deepEqual(Object.keys(outputs[0].data).sort(), [
          "application/vnd.plotly.v1+json",
          "image/png",
          "text/plain",
        ]);

        // The renderer shows the PNG until the mouse is over it, then the interactive chart.
        const cell = page.locator(".jp-Notebook .jp-Cell").nth(index);
        await cell.locator(".jp-OutputArea-output").first().hover();
        // The renderer draws into its own output node, which then is the plot element.
        const plot = cell.locator(".js-plotly-plot");
        await plot.waitFor({ timeout: 60_000 });
        const drawn = await plot.evaluate((element) =>
          ((element as any).data as { x: unknown[] }[]).reduce((sum, t) => sum + t.x.length, 0)
        );
        assert.equal(drawn, 240);
        await plot.locator(".modebar").waitFor({ state: "attached" });
      });
    } finally {
      await Deno.remove(`${ROOT}notebooks/${copy}`);
      const checkpoint = `${ROOT}notebooks/.ipynb_checkpoints/${copy.replace(".ipynb", "")}`;
      await Deno.remove(`${checkpoint}-checkpoint.ipynb`).catch(() => {});
    }
  },
});

Deno.test({
  name: `JupyterLab opens every committed notebook with no error output, every plot's PNG ` +
    `shown, and none marked modified${ignored}`,
  ignore: missing !== "",
  async fn() {
    const names = [...Deno.readDirSync(`${ROOT}notebooks`)].map((entry) => entry.name)
      .filter((name) => /^\d\d_.*\.ipynb$/.test(name)).sort();
    const problems: string[] = [];
    await withLab({}, async ({ page, open }) => {
      for (const name of names) {
        await open(name);
        // The kernel's kernel_info_reply reaches the notebook's metadata just after it connects.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const state = await openedState(page);
        if (state.dirty) problems.push(`${name} is marked modified on opening`);
        if (state.errors > 0) problems.push(`${name} has ${state.errors} error outputs`);
        if (state.brokenImages > 0) problems.push(`${name}: ${state.brokenImages} broken images`);
        if (state.plotsShown !== state.plots) {
          problems.push(`${name}: ${state.plotsShown} of ${state.plots} plots show their PNG`);
        }
        await page.evaluate(() =>
          (globalThis as any).jupyterapp.serviceManager.sessions.shutdownAll()
        );
      }
    });
    assert.deepEqual(problems, []);
  },
});
