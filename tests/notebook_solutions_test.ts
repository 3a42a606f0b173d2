/**
 * Every exercise's solution, tested: for each notebooks/solutions/NN_topic.ts, the notebook
 * notebooks/NN_topic.ipynb is executed with every answer cell replaced by its solution, and each
 * check cell must show "correct." (tests/notebook_exercises.ts has the protocol). The copy is
 * also type-checked. The wrong answers are tested without the kernel, in
 * tests/notebook_checks_NN_test.ts.
 */

import assert from "node:assert/strict";
import { granted } from "./assert.ts";
import {
  checkProblems,
  exercises,
  parseSolutions,
  substituteSolutions,
} from "./notebook_exercises.ts";
import {
  type Cell,
  jupyterReady,
  kernelIgnored,
  NOTEBOOKS,
  PYTHON,
  readCells,
  ROOT,
  run,
  typeCheck,
} from "./notebook_helpers.ts";

const SOLUTIONS = `${NOTEBOOKS}/solutions`;
const readable = granted({ name: "read" });
const solutionFiles = readable ? filesIn(SOLUTIONS).filter((name) => name.endsWith(".ts")) : [];
const notebooks = readable
  ? [...Deno.readDirSync(NOTEBOOKS)].map((entry) => entry.name)
    .filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort()
  : [];

/** The names in `folder`, sorted; none where it does not exist (yet). */
function filesIn(folder: string): string[] {
  try {
    return [...Deno.readDirSync(folder)].map((entry) => entry.name).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** The notebook of a solutions file, with every answer cell replaced by its solution. */
function solvedCells(file: string): { notebook: string; cells: Cell[] } {
  const notebook = `${file.slice(0, -".ts".length)}.ipynb`;
  const solutions = parseSolutions(
    Deno.readTextFileSync(`${SOLUTIONS}/${file}`),
    `notebooks/solutions/${file}`,
  );
  const cells = readCells(`${NOTEBOOKS}/${notebook}`);
  return { notebook, cells: substituteSolutions(cells, solutions, notebook, `solutions/${file}`) };
}

Deno.test({
  name: "every notebook with exercises has a solutions file, and every solutions file a notebook",
  ignore: !readable,
  fn() {
    const withExercises = notebooks.filter((name) =>
      exercises(readCells(`${NOTEBOOKS}/${name}`), name).length > 0
    );
    assert.deepEqual(
      withExercises.map((name) => name.replace(/\.ipynb$/, ".ts")),
      solutionFiles.filter((file) => notebooks.includes(file.replace(/\.ts$/, ".ipynb"))),
    );
    for (const file of solutionFiles) {
      assert.ok(notebooks.includes(file.replace(/\.ts$/, ".ipynb")), `${file}: no such notebook`);
    }
  },
});

for (const file of solutionFiles) {
  Deno.test({
    name: `notebooks/solutions/${file} solves every exercise of its notebook, and nothing else`,
    ignore: !readable,
    fn() {
      solvedCells(file); // throws, listing what is missing or extra
    },
  });

  Deno.test({
    name: `notebooks/solutions/${file}: with the solutions filled in, every check prints ` +
      `"correct." and the notebook type-checks${kernelIgnored}`,
    ignore: !jupyterReady,
    fn() {
      const { notebook, cells } = solvedCells(file);
      // Written inside notebooks/ so that the kernel (started in the notebook's folder) and the
      // type check resolve ../lib/ and ./checks/ as for the real notebook.
      const solved = `${NOTEBOOKS}/.solved_${notebook}`;
      const original = JSON.parse(Deno.readTextFileSync(`${NOTEBOOKS}/${notebook}`));
      Deno.writeTextFileSync(solved, JSON.stringify({ ...original, cells }));
      const executed = Deno.makeTempFileSync({ suffix: ".ipynb" });
      try {
        const result = run(PYTHON, [
          `${ROOT}tools/run_notebook.py`,
          solved,
          "--output",
          executed,
        ]);
        assert.ok(result.success, result.stderr);
        assert.deepEqual(checkProblems(readCells(executed), notebook), []);
        const types = typeCheck(solved);
        assert.ok(types.success, `${notebook} with its solutions: type errors:\n${types.stderr}`);
      } finally {
        Deno.removeSync(solved);
        Deno.removeSync(executed);
      }
    },
  });
}

// The protocol's own tests, on small made-up notebooks: each way a solution or a check can be
// wrong must be caught.

const code = (source: string, shown?: string): Cell => ({
  cell_type: "code",
  source,
  outputs: shown === undefined
    ? []
    : [{ output_type: "execute_result", data: { "text/plain": JSON.stringify(shown) } }],
});
const markdown: Cell = { cell_type: "markdown", source: "**Exercise.** Answer." };
const tiny = [
  markdown,
  code("// exercise: answer\nconst answer = undefined as number | undefined;"),
  code("checkAnswer(answer)", "correct."),
  code("// exercise: second-one\nfunction f() { return NaN; }"),
  code("checkF(f)", "correct."),
];

Deno.test("parseSolutions reads blocks up to the next // %% line and checks their markers", () => {
  const solutions = parseSolutions(
    "// The solutions of a notebook.\n\n// %% exercise: answer\nconst answer = 42;\n\n" +
      "// %% exercise: second-one\nfunction f() {\n  return 1;\n}\n",
    "x.ts",
  );
  assert.deepEqual([...solutions], [
    ["answer", "const answer = 42;"],
    ["second-one", "function f() {\n  return 1;\n}"],
  ]);
  assert.throws(() => parseSolutions("// %% exercise: a\n1\n// %% exercise: a\n2\n", "x.ts"), {
    message: 'x.ts:3: a second solution for "a"',
  });
  assert.throws(() => parseSolutions("// %% exercise: a\n\n// %% exercise: b\n2\n", "x.ts"), {
    message: 'x.ts:1: the solution of "a" is empty',
  });
  assert.throws(() => parseSolutions("// %%\n1\n", "x.ts"), /x\.ts:1: expected "\/\/ %% exercise/);
  assert.throws(
    () => parseSolutions("const x = 1;\n// %% exercise: a\n1\n", "x.ts"),
    /x\.ts:1: code/,
  );
});

Deno.test("substituteSolutions replaces each answer cell, keeping its marker line", () => {
  const solutions = new Map([["answer", "const answer = 42;"], ["second-one", "function f() {}"]]);
  const cells = substituteSolutions(tiny, solutions, "t.ipynb", "t.ts");
  assert.equal(cells[1].source, "// exercise: answer\nconst answer = 42;\n");
  assert.equal(cells[3].source, "// exercise: second-one\nfunction f() {}\n");
  assert.equal(cells[2].source, "checkAnswer(answer)");
  assert.deepEqual(cells[2].outputs, []);
});

Deno.test("substituteSolutions fails for a missing solution and for a solution without answer cell", () => {
  assert.throws(
    () => substituteSolutions(tiny, new Map([["answer", "1"]]), "t.ipynb", "t.ts"),
    { message: 'exercise "second-one" of t.ipynb has no solution block in t.ts' },
  );
  const extra = new Map([["answer", "1"], ["second-one", "2"], ["third", "3"]]);
  assert.throws(() => substituteSolutions(tiny, extra, "t.ipynb", "t.ts"), {
    message: 't.ts solves "third", but t.ipynb has no answer cell "// exercise: third"',
  });
});

Deno.test("exercises rejects a malformed or repeated id and an answer cell without check cell", () => {
  assert.throws(
    () => exercises([code("// exercise: Not Kebab\n1")], "t.ipynb"),
    /t\.ipynb: cell 1/,
  );
  assert.throws(
    () => exercises([...tiny, code("// exercise: answer\n1"), code("c()")], "t.ipynb"),
    {
      message: 't.ipynb: cell 6: exercise id "answer" is used twice',
    },
  );
  assert.throws(() => exercises([code("// exercise: last\n1")], "t.ipynb"), /has no check cell/);
});

Deno.test("checkProblems accepts only checks that show exactly correct.", () => {
  assert.deepEqual(checkProblems(tiny, "t.ipynb"), []);
  const printed = [...tiny.slice(0, 4), {
    ...code("checkF(f)"),
    outputs: [{ output_type: "stream", name: "stdout", text: ["correct.\n"] }],
  }];
  assert.deepEqual(checkProblems(printed, "t.ipynb"), []);
  const wrong = [...tiny.slice(0, 4), code("checkF(f)", "correct. and more")];
  assert.deepEqual(checkProblems(wrong, "t.ipynb"), [
    't.ipynb: the check of "second-one" (cell 5) showed "correct. and more", not "correct."',
  ]);
  const silent = [...tiny.slice(0, 4), code("checkF(f)")];
  assert.equal(checkProblems(silent, "t.ipynb").length, 1);
  const unanswered = [...tiny, code("other()", "not answered yet")];
  assert.deepEqual(checkProblems(unanswered, "t.ipynb"), [
    't.ipynb: a cell still shows "not answered yet": "not answered yet"',
  ]);
});
