/**
 * The course notebooks as tests: each one executes top to bottom in a fresh Deno kernel
 * (tools/run_notebook.py), type-checks as one module, and is committed with its outputs. A fixture
 * notebook shows that outputs the kernel sends after `idle` still land under their own cell.
 */

import assert from "node:assert/strict";
import { chromiumAvailable } from "../lib/browser/chromium.ts";
import { granted } from "./assert.ts";
import {
  canRun,
  codeCells,
  jupyterReady,
  kernelIgnored,
  NOTEBOOKS,
  PYTHON,
  readCells,
  ROOT,
  run,
  text,
  typeCheck,
} from "./notebook_helpers.ts";

const FIXTURES = `${ROOT}tests/fixtures/notebooks`;
const notebooks = granted({ name: "read" })
  ? [...Deno.readDirSync(NOTEBOOKS)].map((entry) => entry.name)
    .filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort()
  : [];

Deno.test({
  name: `the runner files every output under its cell, including those sent after idle` +
    kernelIgnored,
  ignore: !jupyterReady,
  fn() {
    const output = Deno.makeTempFileSync({ suffix: ".ipynb" });
    try {
      const result = run(PYTHON, [
        `${ROOT}tools/run_notebook.py`,
        `${FIXTURES}/late_outputs.ipynb`,
        "--output",
        output,
      ]);
      assert.ok(result.success, result.stderr);
      const cells = codeCells(readCells(output));
      const summary = cells.map((cell) =>
        cell.outputs!.map((out) =>
          out.output_type === "stream"
            ? `${out.name}: ${text(out.text)}`
            : `${out.output_type}: ${text(out.data!["text/plain"] as string | string[])}`
        )
      );
      const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join("");
      assert.deepEqual(summary, [
        ["stdout: one\ntwo\nthree\n"],
        ["display_data: displayed", `stdout: ${lines}`, 'execute_result: "final value"'],
        // The later cell's update_display_data replaced this output in place.
        ["display_data: version 2"],
        ['execute_result: "after update"'],
      ]);
      assert.deepEqual(cells.map((cell) => cell.execution_count), [1, 2, 3, 4]);
    } finally {
      Deno.removeSync(output);
    }
  },
});

Deno.test({
  name: `the runner saves a live chart's cell with one output, the final chart with its PNG, and ` +
    `the kernel's language_info${kernelIgnored}`,
  ignore: !jupyterReady,
  fn() {
    const output = Deno.makeTempFileSync({ suffix: ".ipynb" });
    try {
      const result = run(PYTHON, [
        `${ROOT}tools/run_notebook.py`,
        `${FIXTURES}/live_chart.ipynb`,
        "--output",
        output,
      ]);
      assert.ok(result.success, result.stderr);
      const notebook = JSON.parse(Deno.readTextFileSync(output));
      const [imports, liveCell, after] = codeCells(notebook.cells);
      assert.deepEqual(imports.outputs!.map((out) => out.output_type), ["execute_result"]);
      // Six redraws (five updates and finish), each replacing the last: one output is left, and
      // the line printed before the first redraw went with the second.
      assert.deepEqual(liveCell.outputs!.map((out) => out.output_type), ["display_data"]);
      const data = liveCell.outputs![0].data!;
      const png = chromiumAvailable() ? ["image/png"] : []; // rendered in Chromium when it is there
      assert.deepEqual(Object.keys(data).sort(), [
        "application/vnd.plotly.v1+json",
        ...png,
        "text/plain",
      ]);
      const figure = data["application/vnd.plotly.v1+json"] as {
        data: { y: number[] }[];
        layout: { title: { text: string } };
      };
      assert.equal(figure.layout.title.text, "final");
      assert.deepEqual(figure.data[0].y, [1, 4, 9, 16, 25]);
      assert.deepEqual(after.outputs!.map((out) => out.output_type), ["execute_result"]);
      // What JupyterLab writes when it connects, so that opening the notebook changes nothing.
      assert.equal(notebook.metadata.language_info.version, Deno.version.typescript);
      assert.deepEqual(notebook.metadata.kernelspec, {
        display_name: "Deno",
        language: "typescript",
        name: "deno",
      });
    } finally {
      Deno.removeSync(output);
    }
  },
});

Deno.test({
  name: `the runner names the notebook and the cell that failed, and leaves the file alone` +
    kernelIgnored,
  ignore: !jupyterReady,
  fn() {
    const path = `${FIXTURES}/failing.ipynb`;
    const before = Deno.readTextFileSync(path);
    const result = run(PYTHON, [`${ROOT}tools/run_notebook.py`, path]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /failing\.ipynb: code cell 2 raised Error: the answer is not 42/);
    assert.match(result.stderr, /throw new Error/); // the cell's source is quoted
    assert.equal(Deno.readTextFileSync(path), before);
  },
});

for (const name of notebooks) {
  Deno.test({
    name: `notebooks/${name} executes without error in the Deno kernel${kernelIgnored}`,
    ignore: !jupyterReady,
    fn() {
      const result = run(PYTHON, [
        `${ROOT}tools/run_notebook.py`,
        "--check",
        `${NOTEBOOKS}/${name}`,
      ]);
      assert.ok(result.success, result.stderr);
    },
  });

  Deno.test({
    name: `notebooks/${name} type-checks (its code cells joined into one module)`,
    ignore: !canRun,
    fn() {
      const result = typeCheck(`${NOTEBOOKS}/${name}`);
      assert.ok(
        result.success,
        `${name}: type errors (lines of the joined cells):\n${result.stderr}`,
      );
    },
  });

  Deno.test({
    name: `notebooks/${name} is committed executed, every plot with its PNG`,
    ignore: !granted({ name: "read" }),
    fn() {
      const cells = codeCells(readCells(`${NOTEBOOKS}/${name}`));
      cells.forEach((cell, i) => {
        assert.ok(cell.execution_count, `${name}: code cell ${i + 1} has not been run`);
        for (const out of cell.outputs ?? []) {
          assert.notEqual(out.output_type, "error", `${name}: code cell ${i + 1} has an error`);
          if (out.data?.["application/vnd.plotly.v1+json"]) {
            assert.ok(out.data["image/png"], `${name}: code cell ${i + 1} has a plot without PNG`);
          }
        }
      });
      assert.ok(
        cells.some((cell) => cell.outputs?.some((out) => out.data?.["image/png"])),
        `${name} shows no plot`,
      );
    },
  });
}

Deno.test({
  name: "a type error in a notebook cell fails the type check",
  ignore: !canRun,
  fn() {
    const result = typeCheck(`${FIXTURES}/type_error.ipynb`);
    assert.equal(result.success, false);
    assert.match(
      result.stderr,
      /TS2322 \[ERROR\]: Type 'number' is not assignable to type 'string'/,
    );
    assert.match(result.stderr, /\.check_type_error\.ts:5:7/); // code cell 2, below its marker line
  },
});
