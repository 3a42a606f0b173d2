/**
 * What the notebook tests share: where the notebooks are, the Jupyter runner and whether it can
 * run here, reading cells, and the type check of a notebook's code cells joined into one module.
 * Used by tests/notebooks_test.ts (the committed course) and tests/notebook_solutions_test.ts
 * (the course with every exercise answered).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { granted } from "./assert.ts";

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The course notebooks' folder (no trailing slash). */
export const NOTEBOOKS = `${ROOT}notebooks`;
/** Debian's Python, the one with Jupyter (the `python3` on PATH may lack it). */
export const PYTHON = "/usr/bin/python3";
const INSTALL_HINT = "install Jupyter (apt-get install python3-nbclient jupyter-client " +
  "jupyter-nbconvert python3-ipykernel) and register the kernel (deno task kernel)";

/** One output of a code cell, as nbformat stores it. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
/** One cell, as nbformat stores it. */
export interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

/** Whether this test run may start processes and write files (the type check needs both). */
export const canRun = ["read", "write", "run", "env"].every((name) =>
  granted({ name } as Deno.PermissionDescriptor)
);
/** Whether Jupyter and the Deno kernel are installed, so notebooks can be executed. */
export const jupyterReady = canRun && run(PYTHON, [
  "-c",
  "from jupyter_client.kernelspec import KernelSpecManager; " +
  "KernelSpecManager().get_kernel_spec('deno'); import nbformat",
]).success;
/** Appended to the name of a test that needs the kernel, when it is ignored for lack of it. */
export const kernelIgnored = jupyterReady ? "" : ` (ignored: ${INSTALL_HINT})`;

/**
 * Runs `command` to completion, its stdout discarded; never throws.
 *
 * @example
 * ```ts
 * run("/usr/bin/python3", ["-c", "print(1)"]).success; // true where Python is installed
 * ```
 */
export function run(
  command: string,
  args: string[],
): { success: boolean; code: number; stderr: string } {
  try {
    const { success, code, stderr } = new Deno.Command(command, {
      args,
      stdout: "null",
      env: { NO_COLOR: "1" },
    })
      .outputSync();
    return { success, code, stderr: new TextDecoder().decode(stderr) };
  } catch (error) {
    return { success: false, code: -1, stderr: String(error) };
  }
}

/**
 * The cells of the notebook at `path`.
 *
 * @example
 * ```ts
 * readCells(`${NOTEBOOKS}/01_data.ipynb`).length;
 * ```
 */
export function readCells(path: string): Cell[] {
  return JSON.parse(Deno.readTextFileSync(path)).cells;
}

/**
 * A source or output text, which nbformat stores as a string or as a list of lines.
 *
 * @example
 * ```ts
 * text(["a\n", "b"]); // "a\nb"
 * ```
 */
export const text = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join("") : value ?? "";

/**
 * The code cells of `cells`, in order.
 *
 * @example
 * ```ts
 * codeCells([{ cell_type: "markdown", source: "# 1" }]); // []
 * ```
 */
export const codeCells = (cells: Cell[]): Cell[] =>
  cells.filter((cell) => cell.cell_type === "code");

/**
 * `deno check` on a notebook's code cells joined into one module, each preceded by a
 * `// code cell N` line. `deno check` does not read .ipynb files itself. The module is written
 * inside notebooks/ so that the cells' ../lib/ imports resolve as they do in the kernel.
 *
 * @example
 * ```ts
 * typeCheck(`${NOTEBOOKS}/01_data.ipynb`).success; // true
 * ```
 */
export function typeCheck(notebook: string): { success: boolean; stderr: string } {
  const name = notebook.slice(notebook.lastIndexOf("/") + 1, -".ipynb".length);
  const module = `${NOTEBOOKS}/.check_${name}.ts`;
  const cells = codeCells(readCells(notebook));
  const source = cells.map((cell, i) => `// code cell ${i + 1}\n${text(cell.source)}\n`);
  Deno.writeTextFileSync(module, source.join("\n"));
  try {
    return run(Deno.execPath(), ["check", "--quiet", module]);
  } finally {
    Deno.removeSync(module);
  }
}
