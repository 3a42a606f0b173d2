/**
 * Test helpers for the fast kernels: a memory with a bump allocator to put matrices in and read
 * them back, random data, and the float32 error bound the kernels are held to.
 *
 * @module
 */

import type { Kernels } from "../lib/kernels/compute/abi.ts";
import { typescriptKernels } from "../lib/kernels/compute/typescript.ts";
import { WASM_RESERVED_BYTES, wasmKernels } from "../lib/kernels/compute/wasm.ts";
import { Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";

/** The kernel sets under test: WebAssembly where this runtime has it, and TypeScript. */
export const KERNEL_KINDS = ["wasm", "typescript"] as const;

/** A shared memory holding test buffers, and one kernel set over it. */
export class Arena {
  readonly memory = new WebAssembly.Memory({ initial: 256, maximum: 256, shared: true });
  readonly kernels: Kernels;
  readonly f32 = new Float32Array(this.memory.buffer);
  readonly f64 = new Float64Array(this.memory.buffer);
  readonly i32 = new Int32Array(this.memory.buffer);
  readonly u8 = new Uint8Array(this.memory.buffer);
  #next = WASM_RESERVED_BYTES;

  constructor(kind: typeof KERNEL_KINDS[number]) {
    const kernels = kind === "wasm" ? wasmKernels(this.memory) : typescriptKernels(this.memory);
    if (!kernels) throw new Error("WebAssembly SIMD is not available in this runtime");
    this.kernels = kernels;
  }

  /** `bytes` of zeroed memory, 64-byte aligned; returns its byte offset. */
  alloc(bytes: number): number {
    const at = this.#next;
    this.#next += Math.ceil((bytes + 1) / 64) * 64;
    this.u8.fill(0, at, this.#next);
    return at;
  }

  /** Copies float32 values in; returns the byte offset. */
  putF32(values: ArrayLike<number>): number {
    const at = this.alloc(values.length * 4);
    this.f32.set(values, at >> 2);
    return at;
  }

  /** Copies int32 values in; returns the byte offset. */
  putI32(values: ArrayLike<number>): number {
    const at = this.alloc(values.length * 4);
    this.i32.set(values, at >> 2);
    return at;
  }

  /** A rows×cols float32 matrix read from byte offset `at`. */
  matrix(at: number, rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.f32.slice(at >> 2, (at >> 2) + rows * cols));
  }
}

/** A rows×cols matrix of uniform values in [−1, 1), a fraction `zeros` of them 0. */
export function randomMatrix(rows: number, cols: number, random: Random, zeros = 0): Matrix {
  const A = new Matrix(rows, cols);
  for (let i = 0; i < A.data.length; i++) {
    A.data[i] = random.uniform() < zeros ? 0 : 2 * random.uniform() - 1;
  }
  return A;
}

/** `count` random images of `n` bytes, about 80 % zeros like MNIST; every 5th one all zeros. */
export function randomImages(count: number, n: number, random: Random): Uint8Array {
  const images = new Uint8Array(count * n);
  for (let j = 0; j < count; j++) {
    if (j % 5 === 4) continue;
    for (let p = 0; p < n; p++) {
      if (random.uniform() < 0.2) images[j * n + p] = 1 + random.integer(255);
    }
  }
  return images;
}

/** The transpose of A, for building expected values from the course-layout references. */
export function transpose(A: Matrix): Matrix {
  const T = new Matrix(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.set(j, i, A.get(i, j));
  return T;
}

/** |A| element-wise, for the error bound's Σ|aᵢ·bᵢ|. */
export function absolute(A: Matrix): Matrix {
  return new Matrix(A.rows, A.cols, A.data.map(Math.abs) as Float32Array);
}

/**
 * Asserts every element of `actual` is within the float32 accumulation bound of `expected`:
 * a sum of k products rounded in float32 at each step is off by at most k·u·Σ|aᵢ·bᵢ|
 * (u = 2⁻²⁴, Higham's bound for recursive summation), the reference by about u·|result|, so
 * they differ by at most (k + 2)·2⁻²⁴·Σ|aᵢ·bᵢ|. `magnitudes` holds Σ|aᵢ·bᵢ| per element.
 */
export function assertWithinF32Bound(
  actual: Matrix,
  expected: Matrix,
  magnitudes: Matrix,
  k: number,
  what: string,
  /** Added to every bound: the final rounding of a function applied after the sum. */
  extra = 0,
): void {
  if (actual.rows !== expected.rows || actual.cols !== expected.cols) {
    throw new Error(`${what}: shape ${actual.shape} ≠ expected ${expected.shape}`);
  }
  for (let i = 0; i < actual.data.length; i++) {
    const bound = (k + 2) * 2 ** -24 * magnitudes.data[i] + extra + 1e-30;
    const error = Math.abs(actual.data[i] - expected.data[i]);
    if (!(error <= bound)) {
      throw new Error(
        `${what}: element ${i} is ${actual.data[i]}, expected ${expected.data[i]} ` +
          `(error ${error} > bound ${bound})`,
      );
    }
  }
}
