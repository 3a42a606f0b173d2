/** Tests that work in a fresh temporary folder of their own, removed afterwards. */

import { granted } from "./assert.ts";

/** Whether the tests may read and write files (plain `deno test` may not). */
export const canUseFiles = granted({ name: "read" }) && granted({ name: "write" });

/**
 * `fn` wrapped so that it gets a fresh temporary folder (its real path, so that paths the code
 * under test resolves compare equal to it) and the folder is removed afterwards.
 */
export function withTempDir(
  prefix: string,
  fn: (dir: string) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix }));
    try {
      await fn(dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  };
}

/** A test run in a fresh temporary folder; ignored without file permissions. */
export function fileTest(prefix: string, name: string, fn: (dir: string) => Promise<void>) {
  Deno.test({ name, ignore: !canUseFiles, fn: withTempDir(prefix, fn) });
}
