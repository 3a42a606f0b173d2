/**
 * Assertions with a tolerance, for floating-point results. Everything else comes from
 * `node:assert/strict` (JSR's @std/assert is not reachable from here or from CI).
 *
 * @module
 */

import { AssertionError } from "node:assert/strict";

/**
 * Asserts |actual − expected| ≤ absolute + relative·|expected|, the test NumPy's `isclose` uses.
 *
 * @example
 * ```ts
 * assertClose(0.1 + 0.2, 0.3); // passes
 * ```
 */
export function assertClose(
  actual: number,
  expected: number,
  { absolute = 1e-6, relative = 1e-6, message = "" } = {},
): void {
  const ok = Math.abs(actual - expected) <= absolute + relative * Math.abs(expected) ||
    (Number.isNaN(actual) && Number.isNaN(expected)) || actual === expected;
  if (!ok) {
    throw new AssertionError({
      message: `${message ? message + ": " : ""}expected ${expected}, got ${actual} ` +
        `(tolerance ${absolute} + ${relative}·|expected|)`,
      actual,
      expected,
    });
  }
}

/**
 * Asserts two sequences have the same length and are element-wise close (see
 * {@linkcode assertClose}). Nested arrays (a matrix's `toArray()`) are flattened first.
 *
 * @example
 * ```ts
 * assertAllClose(new Float32Array([0.1, 0.2]), [0.1, 0.2]);
 * ```
 */
export function assertAllClose(
  actual: ArrayLike<number> | readonly (readonly number[])[],
  expected: ArrayLike<number> | readonly (readonly number[])[],
  options: { absolute?: number; relative?: number; message?: string } = {},
): void {
  const flatActual = flatten(actual), flatExpected = flatten(expected);
  if (flatActual.length !== flatExpected.length) {
    throw new AssertionError({
      message: `${options.message ? options.message + ": " : ""}expected ${flatExpected.length} ` +
        `elements, got ${flatActual.length}`,
    });
  }
  for (let i = 0; i < flatActual.length; i++) {
    assertClose(flatActual[i], flatExpected[i], {
      ...options,
      message: `${options.message ? options.message + ", " : ""}element ${i}`,
    });
  }
}

function flatten(values: ArrayLike<number> | readonly (readonly number[])[]): number[] {
  const array = Array.from(values as ArrayLike<number | readonly number[]>);
  return array.flatMap((value) => typeof value === "number" ? [value] : Array.from(value));
}

/**
 * True when the permission is already granted, so a test that needs it can run. Tests that
 * need a permission use `ignore: !granted(...)`: plain `deno test` (no flags) then skips them
 * instead of failing, and `deno task test` runs everything.
 *
 * @example
 * ```ts
 * Deno.test({ name: "reads a file", ignore: !granted({ name: "read" }), fn() {} });
 * ```
 */
export function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}
