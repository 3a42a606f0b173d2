/**
 * README's course table lists every notebook in notebooks/, in order, and every `lib/` path it
 * names exists: a new notebook, or a renamed module, cannot leave the table behind.
 */

import assert from "node:assert/strict";
import { granted } from "./assert.ts";

const ROOT = new URL("../", import.meta.url);
const readable = granted({ name: "read" });

/** The table's rows: the notebook each links, and the `lib/` paths of its last column. */
function courseTable(readme: string): { notebook: string; modules: string[] }[] {
  return readme.split("\n").flatMap((line) => {
    const link = line.match(/^\| \[[^\]]+\]\(notebooks\/([^)]+\.ipynb)\)/);
    if (!link) return [];
    const last = line.split("|").at(-2)!;
    return [{ notebook: link[1], modules: [...last.matchAll(/`([^`]+)`/g)].map((m) => m[1]) }];
  });
}

function exists(path: URL): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "README's course table lists every notebook, in order, and its lib/ modules exist",
  ignore: !readable,
  fn() {
    const rows = courseTable(Deno.readTextFileSync(new URL("README.md", ROOT)));
    const notebooks = [...Deno.readDirSync(new URL("notebooks/", ROOT))]
      .map((entry) => entry.name).filter((name) => name.endsWith(".ipynb")).sort();
    assert.deepEqual(rows.map((row) => row.notebook), notebooks);
    for (const { notebook, modules } of rows) {
      for (const module of modules) {
        assert.ok(
          exists(new URL(`lib/${module}`, ROOT)),
          `${notebook}: lib/${module} does not exist`,
        );
      }
    }
  },
});
