/**
 * The exercise protocol of the course (notebooks/README.md, "Exercises"), as pure functions on
 * notebook cells, for tests/notebook_solutions_test.ts:
 *
 * - an ANSWER cell is a code cell whose first line is exactly `// exercise: <id>` (kebab-case,
 *   unique within its notebook); the next code cell is its CHECK cell, one call to a check
 *   function from notebooks/checks/ that returns "correct." for a right answer;
 * - notebooks/solutions/NN_topic.ts holds one block per exercise: a line `// %% exercise: <id>`,
 *   then the answer cell's full replacement source (without the marker line, which is kept), up
 *   to the next `// %%` line or the end of the file. Comment or blank lines may precede the first
 *   block.
 *
 * @module
 */

import { type Cell, codeCells, text } from "./notebook_helpers.ts";

const ANSWER_MARKER = "// exercise: ";
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const BLOCK = /^\/\/ %%/;
const SOLUTION_MARKER = /^\/\/ %% exercise: (\S+)\s*$/;

/** One exercise of a notebook: its id and the indices (among all cells) of its two cells. */
export interface Exercise {
  id: string;
  answerCell: number;
  checkCell: number;
}

/**
 * The exercises of a notebook, in order. Throws, naming `notebook` and the cell, for an id that
 * is not kebab-case, an id used twice, or an answer cell with no code cell after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const cells = [
 *   { cell_type: "markdown", source: "Which digit is least common?" },
 *   { cell_type: "code", source: "// exercise: least-common\nconst leastCommon = undefined;" },
 *   { cell_type: "code", source: "checkLeastCommon(leastCommon)" },
 * ];
 * assert.deepEqual(exercises(cells, "01_data.ipynb"), [
 *   { id: "least-common", answerCell: 1, checkCell: 2 },
 * ]);
 * ```
 */
export function exercises(cells: Cell[], notebook: string): Exercise[] {
  const found: Exercise[] = [];
  cells.forEach((cell, index) => {
    const first = text(cell.source).split("\n")[0];
    if (cell.cell_type !== "code" || !first.startsWith(ANSWER_MARKER.trimEnd())) return;
    const id = first.slice(ANSWER_MARKER.length).trim();
    const where = `${notebook}: cell ${index + 1}`;
    if (!first.startsWith(ANSWER_MARKER) || !ID.test(id)) {
      throw new Error(`${where}: "${first}" is not "// exercise: <kebab-case-id>"`);
    }
    if (found.some((exercise) => exercise.id === id)) {
      throw new Error(`${where}: exercise id "${id}" is used twice`);
    }
    const checkCell = cells.findIndex((later, k) => k > index && later.cell_type === "code");
    if (checkCell < 0) throw new Error(`${where}: exercise "${id}" has no check cell after it`);
    found.push({ id, answerCell: index, checkCell });
  });
  return found;
}

/**
 * The solution blocks of a solutions file, id → source (trimmed). Throws, naming `file` and the
 * line, for a `// %%` line that is not `// %% exercise: <id>`, a repeated id, an empty block, or
 * code before the first block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const solutions = parseSolutions("// %% exercise: answer\nconst answer = 42;\n", "x.ts");
 * assert.equal(solutions.get("answer"), "const answer = 42;");
 * ```
 */
export function parseSolutions(source: string, file: string): Map<string, string> {
  const solutions = new Map<string, string>();
  let id: string | undefined, lines: string[] = [], start = 0;
  const close = () => {
    if (id === undefined) return;
    const block = lines.join("\n").trim();
    if (block === "") throw new Error(`${file}:${start}: the solution of "${id}" is empty`);
    solutions.set(id, block);
  };
  source.split("\n").forEach((line, k) => {
    if (BLOCK.test(line)) {
      close();
      const match = SOLUTION_MARKER.exec(line);
      if (!match || !ID.test(match[1])) {
        throw new Error(
          `${file}:${k + 1}: expected "// %% exercise: <kebab-case-id>", got "${line}"`,
        );
      }
      if (solutions.has(match[1])) {
        throw new Error(`${file}:${k + 1}: a second solution for "${match[1]}"`);
      }
      [id, lines, start] = [match[1], [], k + 1];
    } else if (id !== undefined) {
      lines.push(line);
    } else if (line.trim() !== "" && !line.trim().startsWith("//")) {
      throw new Error(`${file}:${k + 1}: code before the first "// %% exercise: <id>" line`);
    }
  });
  close();
  return solutions;
}

/**
 * A copy of `cells` with every answer cell's source replaced by its solution (its marker line
 * kept) and every output cleared. Throws one error listing every exercise without a solution and
 * every solution without an answer cell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const cells = [
 *   { cell_type: "code", source: "// exercise: answer\nconst answer = undefined;" },
 *   { cell_type: "code", source: "check(answer)" },
 * ];
 * const solutions = new Map([["answer", "const answer = 42;"]]);
 * const solved = substituteSolutions(cells, solutions, "01_data.ipynb", "01_data.ts");
 * assert.equal(solved[0].source, "// exercise: answer\nconst answer = 42;\n");
 * ```
 */
export function substituteSolutions(
  cells: Cell[],
  solutions: Map<string, string>,
  notebook: string,
  file: string,
): Cell[] {
  const found = exercises(cells, notebook);
  const ids = new Set(found.map((exercise) => exercise.id));
  const problems = [
    ...found.filter(({ id }) => !solutions.has(id))
      .map(({ id }) => `exercise "${id}" of ${notebook} has no solution block in ${file}`),
    ...[...solutions.keys()].filter((id) => !ids.has(id))
      .map((id) =>
        `${file} solves "${id}", but ${notebook} has no answer cell "// exercise: ${id}"`
      ),
  ];
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const answers = new Map(found.map(({ id, answerCell }) => [answerCell, id]));
  return cells.map((cell, index) => {
    const id = answers.get(index);
    const source = id === undefined
      ? text(cell.source)
      : `${ANSWER_MARKER}${id}\n${solutions.get(id)}\n`;
    return cell.cell_type === "code"
      ? { ...cell, source, outputs: [], execution_count: null }
      : { ...cell, source };
  });
}

/**
 * Everything a cell showed, as text: its streams and the text/plain view of its results and
 * displays, in order. A string result is shown with quotes by the kernel; they are removed.
 *
 * @example
 * ```ts
 * shownText({ cell_type: "code", source: "", outputs: [{ output_type: "execute_result",
 *   data: { "text/plain": '"correct."' } }] }); // "correct."
 * ```
 */
export function shownText(cell: Cell): string {
  return (cell.outputs ?? []).map((out) => {
    const shown = out.output_type === "stream"
      ? text(out.text)
      : text(out.data?.["text/plain"] as string | string[] | undefined);
    return /^(["']).*\1$/s.test(shown.trim()) ? shown.trim().slice(1, -1) : shown;
  }).join("").trim();
}

/**
 * What is wrong with an executed notebook whose answers were all filled in: each check cell must
 * show exactly "correct.", and no cell may show "not answered yet". Empty when all is well.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const shows = (text: string) => [{ output_type: "execute_result", data: { "text/plain": text } }];
 * const cells = [
 *   { cell_type: "code", source: "// exercise: answer\nconst answer = 42;", outputs: [] },
 *   { cell_type: "code", source: "check(answer)", outputs: shows("'correct.'") },
 * ];
 * assert.deepEqual(checkProblems(cells, "01_data.ipynb"), []);
 * ```
 */
export function checkProblems(cells: Cell[], notebook: string): string[] {
  const problems = exercises(cells, notebook).flatMap(({ id, checkCell }) => {
    const shown = shownText(cells[checkCell]);
    return shown === "correct." ? [] : [
      `${notebook}: the check of "${id}" (cell ${checkCell + 1}) showed ${
        JSON.stringify(shown)
      }, not "correct."`,
    ];
  });
  codeCells(cells).forEach((cell) => {
    if (shownText(cell).includes("not answered yet")) {
      problems.push(
        `${notebook}: a cell still shows "not answered yet": ${JSON.stringify(shownText(cell))}`,
      );
    }
  });
  return problems;
}
