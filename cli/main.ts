/**
 * What every command does around its real work: one-line errors, exit codes, `--debug`.
 *
 * @module
 */

import { DataError, TrainingDivergedError, UsageError } from "../lib/errors.ts";

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
    const known = error instanceof UsageError || error instanceof DataError ||
      error instanceof TrainingDivergedError || error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.PermissionDenied;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${name}: error: ${message.split("\n")[0]}`);
    if (debug && error instanceof Error) console.error(error.stack);
    else if (!known) {
      console.error(`${name}: (this looks like a bug; run again with --debug for details)`);
    }
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}
