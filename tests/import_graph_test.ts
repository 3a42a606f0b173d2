/**
 * The static import graph of lib/, cli/, web/ and bench/: no cycle anywhere (type-only imports
 * count too), and nothing outside lib/kernels/ imports the fast path's internals: its one face
 * is lib/kernels/mod.ts. Every `import … from`, `export … from` and `import("…")` with a
 * relative literal specifier is an edge; npm: and node: specifiers are leaves.
 */

import assert from "node:assert/strict";
import { granted } from "./assert.ts";

const ROOT = new URL("../", import.meta.url);
const FOLDERS = ["lib/", "cli/", "web/", "bench/"];

/** The relative specifiers a module's source imports or re-exports. */
export function importSpecifiers(source: string): string[] {
  // Comments may quote import lines (JSDoc examples): they are not edges.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
  return [...code.matchAll(pattern)].map((match) => match[1]);
}

/** A cycle of `graph` (file → the files it imports) as a closed path, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every .ts file under the folders, as paths relative to the repository root. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(new URL(folder, ROOT))) {
      const path = folder + entry.name;
      if (entry.isDirectory) walk(path + "/");
      else if (path.endsWith(".ts")) files.push(path);
    }
  };
  FOLDERS.forEach(walk);
  return files.sort();
}

/** The import graph of the folders: repository-relative path → the paths it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    const source = Deno.readTextFileSync(new URL(file, ROOT));
    graph.set(
      file,
      importSpecifiers(source).map((specifier) =>
        new URL(specifier, new URL(file, ROOT)).href.slice(ROOT.href.length)
      ),
    );
  }
  return graph;
}

Deno.test("importSpecifiers finds imports and re-exports, not those quoted in comments", () => {
  const source = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b.ts";`,
    `export { c } from "./c/mod.ts";`,
    `import "./side_effect.ts";`,
    `const d = await import("./d.ts");`,
    `import assert from "node:assert/strict";`,
    `/** @example`,
    ` * import { e } from "./e.ts";`,
    ` */`,
    `// import { f } from "./f.ts";`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [
    "./a.ts",
    "../b.ts",
    "./c/mod.ts",
    "./side_effect.ts",
    "./d.ts",
  ]);
});

Deno.test("findCycle finds a cycle and accepts a graph without one", () => {
  const acyclic = new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]);
  assert.equal(findCycle(acyclic), undefined);
  const cyclic = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", []]]);
  assert.deepEqual(findCycle(cyclic), ["a", "b", "c", "a"]);
});

Deno.test({
  name: "lib/, cli/, web/ and bench/ import no cycle, and reach lib/kernels/ through mod.ts only",
  ignore: !granted({ name: "read" }),
  fn() {
    const graph = importGraph();
    assert.ok(graph.has("lib/train.ts") && graph.has("lib/kernels/mod.ts"), "the walk found lib/");
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `import cycle: ${cycle?.join(" → ")}`);
    for (const [file, imports] of graph) {
      if (file.startsWith("lib/kernels/")) continue;
      for (const target of imports) {
        assert.ok(
          !target.startsWith("lib/kernels/") || target === "lib/kernels/mod.ts",
          `${file} imports ${target}: outside lib/kernels/, import lib/kernels/mod.ts`,
        );
      }
    }
  },
});
