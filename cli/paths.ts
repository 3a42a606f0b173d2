/**
 * The rules for the files a command reads and writes, checked before any work starts, so that a
 * typo costs a second and not a training run, and so that no output ever replaces an input.
 *
 * - An output (`--out`, `--report`, the files in `--out-dir`) must be a file name: not empty, not
 *   a folder, in a folder that exists (or, for the command's default paths, can be made), where
 *   a file can be created, with a name the file system accepts.
 * - No output may be the same file as an input or another output. "The same file" means the
 *   same file on disk, whatever the spelling: `./a.csv` and `a.csv`, a symbolic link and its
 *   target, two hard links to one file (same device and inode).
 * - A symbolic link given as an output is followed: the file it points to is written (see
 *   `lib/io/atomic_write.ts`); a link to nowhere is refused.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { describeError, UsageError } from "../lib/errors.ts";

/** Longest file name (one path component) Linux and macOS file systems accept, in bytes. */
const NAME_MAX = 255;

/**
 * Throws a one-line {@linkcode UsageError} naming `flag` unless a file can be written at
 * `path`. With `makeFolder` (for a command's default path, such as `models/`), a missing folder
 * is created; otherwise it must exist. The check creates and removes one empty probe file.
 *
 * @example
 * ```ts
 * const folder = Deno.makeTempDirSync();
 * await checkOutputFile("--out", `${folder}/model.safetensors`); // fine: returns
 * await checkOutputFile("--out", folder).catch((error) => error.message);
 * // "--out: ... is a folder; expected a file name"
 * ```
 */
export async function checkOutputFile(
  flag: string,
  path: string,
  { makeFolder = false }: { makeFolder?: boolean } = {},
): Promise<void> {
  const fail = (problem: string): never => {
    throw new UsageError(`${flag}: ${problem}`);
  };
  if (path.trim() === "") fail("expected a file name, got ''");
  if (new TextEncoder().encode(basename(path)).length > NAME_MAX) {
    fail(`the file name is longer than ${NAME_MAX} bytes: ${abbreviate(path)}`);
  }
  const existing = await Deno.stat(path).catch((error) => error as Error);
  if (!(existing instanceof Error)) {
    if (existing.isDirectory) fail(`${path} is a folder; expected a file name`);
    if (!existing.isFile) fail(`${path} is not a regular file`);
  } else if (await isDanglingLink(path)) {
    fail(`${path} is a symbolic link to a file that does not exist`);
  } else if (!(existing instanceof Deno.errors.NotFound)) {
    if (existing instanceof Deno.errors.NotADirectory) {
      fail(`cannot write ${path}: a part of the path before the file name is a file`);
    }
    fail(`cannot write ${path}: ${describeError(existing)}`);
  }
  const folder = dirname(await realTarget(path));
  const info = await Deno.stat(folder).catch(() => undefined);
  if (info === undefined) {
    if (!makeFolder) fail(`cannot write ${path}: the folder ${folder} does not exist`);
    await Deno.mkdir(folder, { recursive: true }).catch((error) =>
      fail(`cannot create the folder ${folder}: ${describeError(error)}`)
    );
  } else if (!info.isDirectory) {
    fail(`cannot write ${path}: ${folder} is a file, not a folder`);
  }
  const probe = join(folder, `.mnist-probe-${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.writeFile(probe, new Uint8Array(), { createNew: true });
  } catch (error) {
    fail(`cannot write in the folder ${folder}: ${describeError(error)}`);
  }
  await Deno.remove(probe).catch(() => {});
}

/**
 * Throws a one-line {@linkcode UsageError} naming `flag` unless `path` is a folder or can be
 * made one: not empty, not a file, and if it does not exist, its parent folder does (it is then
 * created).
 *
 * @example
 * ```ts
 * const folder = Deno.makeTempDirSync();
 * await checkOutputFolder("--out-dir", `${folder}/csv`); // creates it
 * Deno.statSync(`${folder}/csv`).isDirectory; // true
 * ```
 */
export async function checkOutputFolder(flag: string, path: string): Promise<void> {
  const fail = (problem: string): never => {
    throw new UsageError(`${flag}: ${problem}`);
  };
  if (path.trim() === "") fail("expected a folder name, got ''");
  const info = await Deno.stat(path).catch((error) => error as Error);
  if (!(info instanceof Error)) {
    if (!info.isDirectory) fail(`${path} is a file; expected a folder`);
    return;
  }
  if (!(info instanceof Deno.errors.NotFound)) fail(`cannot use ${path}: ${describeError(info)}`);
  const parent = dirname(resolve(path));
  if (!(await Deno.stat(parent).catch(() => undefined))?.isDirectory) {
    fail(`cannot create ${path}: the folder ${parent} does not exist`);
  }
  await Deno.mkdir(path).catch((error) => fail(`cannot create ${path}: ${describeError(error)}`));
}

/**
 * Throws a one-line {@linkcode UsageError} if an output is the same file as an input or as
 * another output (see the module doc for what "same" means). Paths that do not exist yet are
 * compared by their resolved location. `undefined` entries (a flag not given, or `--data mnist`)
 * are skipped.
 *
 * @example
 * ```ts
 * const folder = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${folder}/train.csv`, "label,pixel0\n");
 * await checkDistinctFiles({ "--data": `${folder}/train.csv` }, { "--out": `${folder}/./train.csv` })
 *   .catch((error) => error.message);
 * // "--out: ... is the --data file; an output must never replace an input"
 * ```
 */
export async function checkDistinctFiles(
  inputs: Record<string, string | undefined>,
  outputs: Record<string, string | undefined>,
): Promise<void> {
  const identify = async (entries: Record<string, string | undefined>) =>
    await Promise.all(
      Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(async ([flag, path]) => ({ flag, path, identity: await fileIdentity(path) })),
    );
  const readFiles = await identify(inputs);
  const writtenFiles = await identify(outputs);
  for (const [i, output] of writtenFiles.entries()) {
    const input = readFiles.find((file) => file.identity === output.identity);
    if (input) {
      throw new UsageError(
        `${output.flag}: ${output.path} is the ${input.flag} file; an output must never ` +
          "replace an input",
      );
    }
    const other = writtenFiles.slice(0, i).find((file) => file.identity === output.identity);
    if (other) {
      throw new UsageError(
        `${output.flag}: ${output.path} is also the ${other.flag} file; give each output its own`,
      );
    }
  }
}

/**
 * A string that is equal for two paths exactly when they name the same file: its device and
 * inode when it exists, else its absolute location with links in the folders resolved.
 */
async function fileIdentity(path: string): Promise<string> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (info?.dev !== undefined && info.ino !== null) return `inode ${info.dev}:${info.ino}`;
  return `path ${await realTarget(path)}`;
}

/** `path` made absolute, with every symbolic link in it resolved as far as it exists. */
async function realTarget(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await Deno.realPath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await realTarget(parent), basename(absolute));
}

async function isDanglingLink(path: string): Promise<boolean> {
  const info = await Deno.lstat(path).catch(() => undefined);
  return info?.isSymlink === true;
}

/** A path short enough for a one-line message. */
function abbreviate(path: string): string {
  return path.length <= 60 ? path : `${path.slice(0, 28)}...${path.slice(-28)}`;
}
