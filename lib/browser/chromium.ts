/**
 * Launching Debian's Chromium headless under npm `playwright-core`: the browser tests drive the
 * draw-a-digit page with it, and plots are rendered to PNG in it. Deno-only (it starts a
 * process); nothing here is bundled for the browser.
 *
 * Playwright gives every launch a fresh temporary profile (`--user-data-dir`) and deletes it on
 * `browser.close()`, so runs never share cookies, caches or crash state.
 *
 * @module
 */

import fs from "node:fs";
// Not in deno.json's import map, which every task installs: tests/dependencies_test.ts says why.
// deno-lint-ignore no-import-prefix
import type { Browser, BrowserType, Page } from "npm:playwright-core@1.65.1";

export type { Browser, Page };

/**
 * The npm package, pinned here and in the type import above. Loaded by a computed specifier so
 * that only a run that launches the browser resolves it: `deno task train` (whose lockfile, cli/deno.lock, lists only
 * training's packages) never downloads it.
 */
const PLAYWRIGHT_CORE: string = "npm:playwright-core@1.65.1";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Command-line flags for a quiet, offline, headless run: no GPU, no sandbox (we run as root in
 * containers), and none of the background traffic (updates, sync, QUIC) a test must not wait on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok(CHROMIUM_FLAGS.includes("--no-sandbox")); // we run as root in containers
 * // launchChromium() starts the browser with these flags.
 * ```
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/**
 * What to tell a user without Chromium; tests put it in the name of the tests they ignore.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const name = chromiumAvailable() ? "draws" : `draws (ignored: ${CHROMIUM_INSTALL_HINT})`;
 * assert.ok(name.startsWith("draws"));
 * ```
 */
export const CHROMIUM_INSTALL_HINT = "install Chromium with `apt-get install chromium`";

/**
 * The permissions playwright-core needs besides read and write: running the browser, its
 * environment variables and two OS queries it makes when it loads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const canLaunch = CHROMIUM_PERMISSIONS.every((p) => Deno.permissions.querySync(p).state === "granted");
 * assert.equal(typeof canLaunch, "boolean");
 * ```
 */
export const CHROMIUM_PERMISSIONS: readonly Deno.PermissionDescriptor[] = [
  { name: "read" },
  { name: "write" },
  { name: "run" },
  { name: "env" },
  { name: "sys", kind: "homedir" },
  { name: "sys", kind: "osRelease" },
];

/**
 * True when Chromium is installed at {@linkcode CHROMIUM_PATH} and this process has every
 * permission in {@linkcode CHROMIUM_PERMISSIONS}. Never prompts: a test calls this to decide
 * whether to run or be ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // A test that needs the browser is ignored, not failed, where it cannot run.
 * const ignore = !chromiumAvailable();
 * assert.equal(typeof ignore, "boolean");
 * ```
 */
export function chromiumAvailable(): boolean {
  const granted = (descriptor: Deno.PermissionDescriptor) =>
    Deno.permissions.querySync(descriptor).state === "granted";
  if (!CHROMIUM_PERMISSIONS.every(granted)) return false;
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

/**
 * Starts headless Chromium with {@linkcode CHROMIUM_FLAGS} and a fresh profile. Close it with
 * `browser.close()`, which also deletes the profile.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * if (chromiumAvailable()) {
 *   const browser = await launchChromium();
 *   try {
 *     const page = await browser.newPage();
 *     await page.setContent("<p>7</p>");
 *     assert.equal(await page.textContent("p"), "7");
 *   } finally {
 *     await browser.close();
 *   }
 * }
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  tolerateUnreadableExistsChecks();
  // Imported only now, after the patch: playwright-core checks for WSL as it loads.
  const { chromium }: { chromium: BrowserType } = await import(PLAYWRIGHT_CORE);
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
}

let patched = false;

/**
 * Node's `fs.existsSync` never throws, but Deno's throws NotCapable for /proc/sys/... unless the
 * process has every permission, and playwright-core probes /proc/sys/fs/binfmt_misc/WSLInterop
 * as it loads. A path we may not read is, for an existence probe, a path that is not there.
 */
function tolerateUnreadableExistsChecks(): void {
  if (patched) return;
  patched = true;
  const existsSync = fs.existsSync;
  fs.existsSync = (path: fs.PathLike): boolean => {
    try {
      return existsSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) return false;
      throw error;
    }
  };
}
