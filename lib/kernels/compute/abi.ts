/**
 * The fast kernels' interface: what the WebAssembly module (wasm/assembly/) exports, and what
 * the TypeScript fallback ({@link ./typescript.ts}) implements over the same memory. Every
 * pointer is a byte offset into one memory that all threads share.
 *
 * Layouts differ from the course's on purpose: a batch is stored one sample per ROW (Xᵀ, Z1ᵀ,
 * A1ᵀ: m×784, m×h), and W1 as W1ᵀ (784×h), so that everything one sample or one pixel needs is
 * contiguous and can be read four floats at a time. A sparse matrix is "compressed rows": row r
 * holds `indices[k], values[k]` for k in `starts[r] .. starts[r+1]`.
 *
 * @module
 */

import type { ConvKernels } from "./conv_abi.ts";

/** How a kernel may finish its output: codes shared with wasm/assembly/sparse.ts. */
export const ACTIVATION_CODES = { none: 0, relu: 1, sigmoid: 2 } as const;

/**
 * The kernels. The ones whose first two arguments are `from, to` compute rows [from, to) of
 * their output and nothing else, so threads can split the rows between them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typescriptKernels } from "./typescript.ts";
 * import { wasmKernels } from "./wasm.ts";
 *
 * const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
 * const kernels: Kernels = wasmKernels(memory) ?? typescriptKernels(memory);
 * // θ ← θ − η·(β·v + dθ) on 2 elements: θ (f32) at byte 65536, dθ at 65544, v (f64) at 65552.
 * const f32 = new Float32Array(memory.buffer), f64 = new Float64Array(memory.buffer);
 * f32.set([1, 2, 0.5, 0.5], 65536 / 4);
 * kernels.momentumStep(0, 2, 65536, 65544, 65552, 0.9, 0.1);
 * const theta = [...f32.subarray(65536 / 4, 65536 / 4 + 2)];
 * assert.deepEqual(theta, [Math.fround(1 - 0.05), Math.fround(2 - 0.05)]);
 * assert.deepEqual([...f64.subarray(65552 / 8, 65552 / 8 + 2)], [0.5, 0.5]);
 * ```
 */
export interface Kernels extends ConvKernels {
  /** "wasm-simd" or "typescript", for reports. */
  readonly name: string;
  /** counts[i] = the number of non-zero pixels of image i (`n` bytes), for i in [from, to). */
  countPixels(from: number, to: number, images: number, n: number, counts: number): void;
  /**
   * For the batch rows j in [from, to): image order[j] (`n` bytes from `images`) as entries
   * starts[j] .. starts[j+1] of (pixel, value), zero pixels left out; `scale` points to 256 f32,
   * which must be p / 255 for every byte p (the workspace's table: the WebAssembly kernel divides
   * by 255 instead of looking up, eight pixels at a time); `starts` already holds the prefix
   * sums of the images' counts.
   */
  compressImages(
    from: number,
    to: number,
    images: number,
    order: number,
    n: number,
    scale: number,
    starts: number,
    indices: number,
    values: number,
  ): void;
  /**
   * The same entries as `compressImages`, copied from the images compressed once: image i's
   * entries are storedStarts[i] .. storedStarts[i+1] of storedPixels (u16) and storedBytes (u8).
   * `scale` must hold p / 255 for every byte p (the workspace's table): the WebAssembly kernel
   * divides by 255 instead of looking up, eight entries at a time.
   */
  gatherImages(
    from: number,
    to: number,
    order: number,
    storedStarts: number,
    storedPixels: number,
    storedBytes: number,
    scale: number,
    starts: number,
    indices: number,
    values: number,
  ): void;
  /**
   * For the images i in [from, to): image i's non-zero pixels (`n` bytes from `images`) as
   * entries storedStarts[i] .. storedStarts[i+1] of storedPixels (u16 pixel) and storedBytes
   * (u8 byte), what `gatherImages` reads; `storedStarts` already holds the counts' prefix sums.
   */
  storeImages(
    from: number,
    to: number,
    images: number,
    n: number,
    storedStarts: number,
    storedPixels: number,
    storedBytes: number,
  ): void;
  /**
   * The compressed rows of the transpose of rows [from, to) of a compressed matrix with `cols`
   * columns, its rows numbered from 0 (entry (r, c) becomes (c, r − from)) and its entries
   * from indicesT, valuesT on; `cursor`: cols i32 of scratch.
   */
  transposeSparse(
    from: number,
    to: number,
    cols: number,
    starts: number,
    indices: number,
    values: number,
    startsT: number,
    indicesT: number,
    valuesT: number,
    cursor: number,
  ): void;
  /**
   * out[r, :] = g(start + Σₖ values[k]·D[indices[k], :]); D and out have `width` columns; the
   * sums start from `bias` (0: from zero), or from out[r, :] itself when `accumulate` is 1.
   */
  sparseTimesDense(
    from: number,
    to: number,
    starts: number,
    indices: number,
    values: number,
    D: number,
    width: number,
    bias: number,
    out: number,
    activation: number,
    accumulate: number,
  ): void;
  /** A2ᵀ[j, :] = softmax(W2·A1ᵀ[j, :] + b2); with labels, loss[j] (f64); predicted[j] (u8). */
  outputLayer(
    from: number,
    to: number,
    h: number,
    classes: number,
    A1: number,
    W2: number,
    b2: number,
    A2: number,
    labels: number,
    loss: number,
    predicted: number,
  ): void;
  /** dZ2ᵀ[j, :] = (A2ᵀ[j, :] − onehot)·invM; dZ1ᵀ[j, :] = (W2ᵀ·dZ2ᵀ[j, :]) ∘ g′(A1ᵀ[j, :]). */
  hiddenGradient(
    from: number,
    to: number,
    h: number,
    classes: number,
    A1: number,
    W2: number,
    A2: number,
    labels: number,
    invM: number,
    activation: number,
    dZ2: number,
    dZ1: number,
  ): void;
  /**
   * out[r, :] = Σⱼ A[j, r]·B[j, :]: out = Aᵀ·B, A (m×widthA), B (m×widthB). With `accumulate`
   * 1, out[r, :] += the same sums, each going on from out's value (see {@linkcode Kernels.columnSums}).
   */
  transposedProduct(
    from: number,
    to: number,
    m: number,
    A: number,
    widthA: number,
    B: number,
    widthB: number,
    out: number,
    accumulate: number,
  ): void;
  /**
   * out[u] = Σⱼ A[j, u] for the columns u in [from, to) of A (m×width). With `accumulate` 1 the
   * sums start from out[u] instead of 0: in the WebAssembly kernels, whose sums are float32,
   * samples taken block by block then give the same result, bit for bit, as one call.
   */
  columnSums(
    from: number,
    to: number,
    m: number,
    A: number,
    width: number,
    out: number,
    accumulate: number,
  ): void;
  /**
   * Momentum (lib/optimizers.ts), bit for bit, on elements [from, to) of one parameter:
   * v ← β·v + dθ, θ ← θ − η·v; θ and dθ f32, the velocity v f64.
   */
  momentumStep(
    from: number,
    to: number,
    theta: number,
    gradient: number,
    velocity: number,
    beta: number,
    eta: number,
  ): void;
}

/** The names of the kernels, as they appear in {@linkcode Kernels}. */
export type KernelName = Exclude<keyof Kernels, "name">;

/**
 * The arguments of kernel `K` after its first two (`from, to`): its own parameter tuple, so an
 * argument list of the wrong length does not type-check.
 */
export type KernelArguments<K extends KernelName> = Parameters<Kernels[K]> extends
  [number, number, ...infer Rest] ? Rest : never;

/**
 * One kernel call without its rows: the kernel and its arguments after (from, to). A thread
 * pool runs calls on chunks of rows; {@linkcode runCall} runs one on this thread.
 */
export type Call<K extends KernelName = KernelName> = {
  [N in K]: { kernel: N; args: KernelArguments<N> };
}[K];

/**
 * Runs `call` on the rows [from, to) on this thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typescriptKernels } from "./typescript.ts";
 *
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const f32 = new Float32Array(memory.buffer);
 * f32.set([1, 2, 3, 4, 5, 6]); // A (2×3) at byte 0
 * runCall(typescriptKernels(memory), { kernel: "columnSums", args: [2, 0, 3, 64, 0] }, 0, 3);
 * assert.deepEqual([...f32.subarray(16, 19)], [5, 7, 9]); // the column sums, at byte 64
 * ```
 */
export function runCall(kernels: Kernels, call: Call, from: number, to: number): void {
  (kernels[call.kernel] as (...values: number[]) => void)(from, to, ...call.args);
}
