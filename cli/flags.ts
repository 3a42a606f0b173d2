/**
 * A small command-line flag parser with typed values, one-line errors and generated `--help`.
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";

/** The description of one flag. */
export interface FlagSpec {
  kind: "boolean" | "string" | "integer" | "number";
  help: string;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Smallest allowed value of a numeric flag. */
  min?: number;
  /** True when the value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
  /** Largest allowed value of a numeric flag. */
  max?: number;
  /** Shown in `--help` after the flag name, e.g. "N" or "FILE". */
  valueName?: string;
  /** Shown in `--help`; the program applies its own defaults. */
  defaultText?: string;
}

/** A flag's value: a choice narrows a string flag to its choices. */
type ValueOf<S extends FlagSpec> = S["kind"] extends "boolean" ? boolean
  : S["kind"] extends "string" ? S["choices"] extends readonly (infer Choice)[] ? Choice : string
  : number;

/** The flags every command has. */
export const COMMON_FLAGS = {
  debug: { kind: "boolean", help: "print stack traces of errors" },
  help: { kind: "boolean", help: "show this help" },
} as const satisfies Record<string, FlagSpec>;

/** How a number must be written: decimal digits, optionally a fraction and an exponent. */
const NUMBER_FORM = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** How an integer must be written: decimal digits only (no "0x3", "1e3", " 3" or "3.0"). */
const INTEGER_FORM = /^[+-]?\d+$/;

/** Parsed flags: a value for each flag that was given. */
export type Flags<Specs extends Record<string, FlagSpec>> = {
  [Name in keyof Specs]?: ValueOf<Specs[Name]>;
};

function parseValue(name: string, spec: FlagSpec, text: string): string | number {
  if (spec.kind === "string") {
    if (spec.choices && !spec.choices.includes(text)) {
      throw new UsageError(`--${name}: expected one of ${spec.choices.join(", ")}, got '${text}'`);
    }
    if (text.trim() === "") {
      throw new UsageError(`--${name}: expected ${spec.valueName ?? "a value"}, got '${text}'`);
    }
    return text;
  }
  const integer = spec.kind === "integer";
  const bounds = [
    spec.min === undefined
      ? ""
      : spec.exclusiveMin
      ? `greater than ${spec.min}`
      : `of at least ${spec.min}`,
    spec.max === undefined ? "" : `at most ${spec.max}`,
  ].filter((bound) => bound !== "").join(" and ");
  const expected = `expected ${integer ? "an integer" : "a number"}${bounds ? ` ${bounds}` : ""}`;
  const value = Number(text);
  const bad = !(integer ? INTEGER_FORM : NUMBER_FORM).test(text) || !Number.isFinite(value) ||
    (integer && !Number.isSafeInteger(value)) ||
    (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) ||
    (spec.max !== undefined && value > spec.max);
  if (bad) throw new UsageError(`--${name}: ${expected}, got '${text}'`);
  return value;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags. Unknown flags, missing or
 * malformed values and stray arguments throw a {@linkcode UsageError} with a one-line message.
 *
 * @example
 * ```ts
 * const flags = parseFlags(["--epochs", "5", "--json"], {
 *   epochs: { kind: "integer", min: 1, help: "passes over the data" },
 *   json: { kind: "boolean", help: "print JSON" },
 * });
 * flags.epochs; // 5
 * ```
 */
export function parseFlags<Specs extends Record<string, FlagSpec>>(
  args: readonly string[],
  specs: Specs,
): Flags<Specs> {
  const flags: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      throw new UsageError(`unexpected argument '${arg}': flags start with -- (see --help)`);
    }
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown flag --${name} (see --help)`);
    if (name in flags) throw new UsageError(`--${name} is given twice`);
    if (spec.kind === "boolean") {
      if (equals !== -1) {
        throw new UsageError(`--${name} takes no value, got '${arg.slice(equals + 1)}'`);
      }
      flags[name] = true;
      continue;
    }
    let text: string;
    if (equals !== -1) text = arg.slice(equals + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) text = args[++i];
    else throw new UsageError(`--${name} needs a value (${spec.valueName ?? spec.kind})`);
    flags[name] = parseValue(name, spec, text);
  }
  return flags as Flags<Specs>;
}

/**
 * The `--help` text: usage line, description, and one aligned line per flag.
 *
 * @example
 * ```ts
 * console.log(formatHelp("deno task train [flags]", "Trains the network.", specs));
 * ```
 */
export function formatHelp(
  usage: string,
  description: string,
  specs: Record<string, FlagSpec>,
): string {
  const left = Object.entries(specs).map(([name, spec]) => {
    const value = spec.kind === "boolean"
      ? ""
      : ` ${spec.valueName ?? (spec.choices ? spec.choices.join("|") : spec.kind.toUpperCase())}`;
    return `  --${name}${value}`;
  });
  const width = Math.max(...left.map((text) => text.length)) + 2;
  const lines = Object.values(specs).map((spec, i) => {
    const defaultText = spec.defaultText ? ` (default: ${spec.defaultText})` : "";
    return left[i].padEnd(width) + spec.help + defaultText;
  });
  return [`Usage: ${usage}`, "", description, "", "Flags:", ...lines].join("\n");
}
