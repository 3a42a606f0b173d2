/**
 * Errors a user can fix: bad input files, bad flags, a diverging run. The CLI prints their
 * message as one line (no stack trace) and exits non-zero; anything else is a bug in our code.
 *
 * @module
 */

/**
 * A problem in a file the user gave us. The message names the file, the line where it applies,
 * and what was expected there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const error = new DataError("data/train.csv", "expected 785 columns, found 784", 3);
 * assert.equal(error.message, "data/train.csv:3: expected 785 columns, found 784");
 * ```
 */
export class DataError extends Error {
  /**
   * @param file the path of the file, as the user wrote it
   * @param problem what is wrong and what was expected
   * @param line 1-based line number, for text files
   */
  constructor(readonly file: string, problem: string, readonly line?: number) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${problem}`);
    this.name = "DataError";
  }
}

/**
 * A bad command-line flag or value. The CLI exits with status 2 for these, like most Unix tools.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const epochs = (flag: string) => {
 *   if (!/^[1-9]\d*$/.test(flag)) {
 *     throw new UsageError(`--epochs: expected a positive integer, got '${flag}'`);
 *   }
 *   return Number(flag);
 * };
 * assert.throws(() => epochs("ten"), { name: "UsageError", message: /got 'ten'/ });
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Training produced a NaN or infinite loss: the weights are ruined and going on is pointless.
 * The usual cause is a learning rate that is too high.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const error = new TrainingDivergedError("loss became NaN at epoch 2, batch 31");
 * assert.equal(`${error}`, "TrainingDivergedError: loss became NaN at epoch 2, batch 31");
 * ```
 */
export class TrainingDivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDivergedError";
  }
}

/**
 * What went wrong in a file-system or network call, in words for a one-line message: Deno's
 * message without the operation and path it repeats ("Permission denied (os error 13): open
 * '/x'" becomes "permission denied"), or the message as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const denied = new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/x'");
 * assert.equal(describeError(denied), "permission denied");
 * assert.equal(describeError("not an Error"), "not an Error");
 * ```
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof Deno.errors.NotCapable) {
    return "Deno's permissions for this command do not allow it";
  }
  const osError = /^(.*?) \(os error \d+\)/.exec(error.message);
  const text = osError ? osError[1] : error.message.split("\n")[0];
  return text.charAt(0).toLowerCase() + text.slice(1);
}
