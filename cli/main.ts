/**
 * What every command does around its real work: one-line errors, exit codes, `--debug`.
 *
 * @module
 */

import { DataError, describeError, TrainingDivergedError, UsageError } from "../lib/errors.ts";

/**
 * Errors the user or their machine caused (a bad flag or file, a diverging run, a refused
 * permission, a full disk), as opposed to bugs in our code. The commands turn the ones they
 * expect into a {@linkcode DataError} or {@linkcode UsageError} naming the flag or file; the
 * file-system and network errors here are the safety net for the rest.
 */
function userCaused(error: unknown): boolean {
  const environment = [
    Deno.errors.NotFound,
    Deno.errors.PermissionDenied,
    Deno.errors.NotCapable,
    Deno.errors.IsADirectory,
    Deno.errors.NotADirectory,
    Deno.errors.AlreadyExists,
    Deno.errors.AddrInUse,
    Deno.errors.AddrNotAvailable,
    Deno.errors.FilesystemLoop,
  ];
  return error instanceof UsageError || error instanceof DataError ||
    error instanceof TrainingDivergedError || environment.some((kind) => error instanceof kind) ||
    /\(os error (28|30|122|5|36)\)/.test((error as Error)?.message ?? ""); // ENOSPC, EROFS, EDQUOT, EIO, ENAMETOOLONG
}

/**
 * Runs `command` and turns its errors into one line on stderr and an exit status: 2 for a bad
 * flag, 1 for everything else. The stack trace is printed only with `--debug`, because for a
 * user's mistake (a bad file, a bad flag) it hides the one line that matters.
 *
 * @example
 * ```ts
 * await runCommand("train", (args) => trainCommand(args));
 * ```
 */
export async function runCommand(
  name: string,
  command: (args: string[]) => Promise<void>,
  args: string[] = Deno.args,
): Promise<void> {
  const debug = args.includes("--debug");
  try {
    await command(args.filter((arg) => arg !== "--debug"));
  } catch (error) {
    const ours = error instanceof UsageError || error instanceof DataError ||
      error instanceof TrainingDivergedError;
    const message = ours ? error.message : describeError(error);
    console.error(`${name}: error: ${message.split("\n")[0]}`);
    if (debug && error instanceof Error) console.error(error.stack);
    else if (!userCaused(error)) {
      console.error(`${name}: (this looks like a bug; run again with --debug for details)`);
    }
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}
