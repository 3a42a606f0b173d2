/**
 * Writing a file so that a crash, a full disk or a bad value never leaves a half-written file
 * in place of the user's previous one.
 *
 * @module
 */

import { dirname } from "node:path";

/**
 * Writes `content` to a temporary file beside `path`, then renames it over `path`. A rename
 * within one directory is atomic on POSIX file systems: readers see the old file or the new
 * one, never a mixture. If anything fails the temporary file is removed and `path` is untouched.
 * Missing parent directories are created.
 *
 * @example
 * ```ts
 * await writeFileAtomic("models/mnist-mlp.safetensors", bytes);
 * ```
 */
export async function writeFileAtomic(
  path: string,
  content: Uint8Array | string | ReadableStream<Uint8Array>,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    if (typeof content === "string") await Deno.writeTextFile(temporary, content);
    else await Deno.writeFile(temporary, content);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
