/**
 * Writing files so that a crash, a full disk or a bad value never leaves a half-written file in
 * place of the user's previous one.
 *
 * Every write goes to a temporary file in the target's own folder, is flushed to disk (fsync),
 * and is then renamed over the target: a rename within one folder is atomic on POSIX file
 * systems, so readers see the old file or the new one, never a mixture. The folder is flushed
 * too, so that the rename itself survives a power cut. Failures are a one-line
 * {@linkcode DataError} naming the file ("cannot write the file: no space left on device").
 *
 * The rules, for every file the project writes (models, reports, submissions, CSV files):
 * - The temporary file is named `.mnist-XXXXXXXX.tmp` (8 hex digits): short, so that any target
 *   name the file system allows can be written, and recognisable, so that one left behind by a
 *   killed run is deleted by the next write in that folder once it is ten minutes old.
 * - Replacing a file keeps its permission bits.
 * - A symbolic link at the target is followed: its target file is replaced and the link stays.
 *   A link to nowhere is refused.
 * - Missing parent folders are created.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { DataError, describeError } from "../errors.ts";

/** What can be written: bytes, text, or a stream of bytes (written as it comes). */
export type FileContent = Uint8Array | string | ReadableStream<Uint8Array>;

/** The names of our temporary files, and how old one must be before it counts as abandoned. */
const TEMPORARY_NAME = /^\.mnist-[0-9a-f]{8}\.tmp$/;
const STALE_MILLISECONDS = 10 * 60 * 1000;

/**
 * Writes `content` to `path` atomically and durably (see the module's rules). If anything
 * fails, the temporary file is removed and `path` keeps its old bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const folder = await Deno.makeTempDir();
 * await writeFileAtomic(`${folder}/hello.txt`, "hello\n");
 * assert.equal(await Deno.readTextFile(`${folder}/hello.txt`), "hello\n");
 * assert.deepEqual(Array.from(Deno.readDirSync(folder), (entry) => entry.name), ["hello.txt"]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  return writeFilesAtomic([{ path, content }]);
}

/** One file of {@linkcode writeFilesAtomic}. */
export interface FileToWrite {
  path: string;
  content: FileContent;
}

/**
 * Writes several files as one: afterwards either all of them have their new content, or (when
 * anything fails) all of them still have their old content. Every file is written and flushed
 * under a temporary name first; only then are they renamed into place, and if a rename fails,
 * the files already renamed get their old content back (or are removed, if they were new). The
 * only window left is a kill between two renames, which are microseconds apart.
 *
 * `rename` exists for tests, to make a rename fail.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const folder = await Deno.makeTempDir();
 * const both = (content: string) => [
 *   { path: `${folder}/train.csv`, content },
 *   { path: `${folder}/test.csv`, content },
 * ];
 * await writeFilesAtomic(both("old\n"));
 * // A second write whose last rename fails leaves both files as they were.
 * let renames = 0;
 * const rename = (from: string, to: string) =>
 *   ++renames === 2 ? Promise.reject(new Error("disk full")) : Deno.rename(from, to);
 * await assert.rejects(writeFilesAtomic(both("new\n"), { rename }), /test\.csv: .*disk full/);
 * assert.equal(await Deno.readTextFile(`${folder}/train.csv`), "old\n");
 * assert.equal(await Deno.readTextFile(`${folder}/test.csv`), "old\n");
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function writeFilesAtomic(
  files: readonly FileToWrite[],
  { rename = Deno.rename }: { rename?: (from: string, to: string) => Promise<void> } = {},
): Promise<void> {
  const targets = await Promise.all(files.map(({ path }) => resolveTarget(path)));
  const temporaries: string[] = [];
  const backups: (string | undefined)[] = [];
  const renamed: number[] = [];
  let current = 0; // the file being worked on, for the error message
  try {
    for (const [i, { content }] of files.entries()) {
      current = i;
      const folder = dirname(targets[i]);
      await Deno.mkdir(folder, { recursive: true });
      await removeStaleTemporaries(folder);
      const temporary = temporaryName(folder);
      temporaries.push(temporary);
      await writeDurably(temporary, content, await existingMode(targets[i]));
    }
    if (files.length > 1) {
      // A hard link to each old file keeps its bytes reachable until every rename has worked.
      for (const target of targets) {
        const old = await existingMode(target) === undefined ? undefined : target;
        const backup = old && temporaryName(dirname(target));
        if (backup) await Deno.link(target, backup).catch(() => Deno.copyFile(target, backup));
        backups.push(backup);
      }
    }
    for (const [i, target] of targets.entries()) {
      current = i;
      await rename(temporaries[i], target);
      renamed.push(i);
    }
    for (const folder of new Set(targets.map((target) => dirname(target)))) {
      await syncFolder(folder);
    }
  } catch (error) {
    for (const i of renamed) {
      const backup = backups[i];
      if (backup) await Deno.rename(backup, targets[i]).catch(() => {});
      else await Deno.remove(targets[i]).catch(() => {});
    }
    if (error instanceof DataError) throw error;
    throw new DataError(files[current].path, `cannot write the file: ${describeError(error)}`);
  } finally {
    for (const leftover of [...temporaries, ...backups]) {
      if (leftover) await Deno.remove(leftover).catch(() => {});
    }
  }
}

/**
 * The file a write to `path` replaces: `path` itself, or the file a symbolic link at `path`
 * points to. A link to nowhere is a {@linkcode DataError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const folder = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${folder}/model.safetensors`, "");
 * await Deno.symlink(`${folder}/model.safetensors`, `${folder}/latest`);
 * assert.equal(await resolveTarget(`${folder}/latest`), `${folder}/model.safetensors`);
 * assert.equal(await resolveTarget(`${folder}/new.txt`), `${folder}/new.txt`); // not a link
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function resolveTarget(path: string): Promise<string> {
  const link = await Deno.lstat(path).catch(() => undefined);
  if (!link?.isSymlink) return path;
  try {
    return await Deno.realPath(path);
  } catch {
    throw new DataError(path, "is a symbolic link to a file that does not exist");
  }
}

function temporaryName(folder: string): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(4)))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return join(folder, `.mnist-${hex}.tmp`);
}

/** The permission bits of the file at `path`, or undefined if there is none. */
async function existingMode(path: string): Promise<number | undefined> {
  const info = await Deno.stat(path).catch(() => undefined);
  return info?.isFile && info.mode !== null ? info.mode & 0o7777 : undefined;
}

async function writeDurably(path: string, content: FileContent, mode?: number): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    if (typeof content === "string") await writeAll(file, new TextEncoder().encode(content));
    else if (content instanceof Uint8Array) await writeAll(file, content);
    else {
      for await (const chunk of content) await writeAll(file, chunk);
    }
    await file.syncData();
  } finally {
    file.close();
  }
  if (mode !== undefined) await Deno.chmod(path, mode);
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += await file.write(bytes.subarray(written));
  }
}

/** Flushes a folder's entries (the rename) to disk; where the system cannot, this does nothing. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await Deno.open(folder, { read: true }).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some systems cannot fsync a folder; the rename is then as durable as they make it.
  } finally {
    handle.close();
  }
}

async function removeStaleTemporaries(folder: string): Promise<void> {
  const now = Date.now();
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (!entry.isFile || !TEMPORARY_NAME.test(entry.name)) continue;
      const path = join(folder, entry.name);
      const info = await Deno.stat(path).catch(() => undefined);
      if (info?.mtime && now - info.mtime.getTime() > STALE_MILLISECONDS) {
        await Deno.remove(path).catch(() => {});
      }
    }
  } catch {
    // An unreadable folder: the write itself will say what is wrong.
  }
}

/** True for the name of one of our temporary files (for tests and cleanup tools). */
export function isTemporaryName(path: string): boolean {
  return TEMPORARY_NAME.test(basename(path));
}
