/**
 * One block of memory holding everything a batch needs, laid out once before training: the
 * kernels then never allocate, and the garbage collector has nothing to do between batches.
 * The memory is a WebAssembly.Memory (shared when the engine allows it) so that the same bytes
 * are visible to the WebAssembly kernels, the TypeScript fallback and every worker thread.
 * {@link ./dataset.ts} puts the dataset and its batches into it.
 *
 * @module
 */

import type { Kernels } from "../compute/abi.ts";
import { typescriptKernels } from "../compute/typescript.ts";
import { WASM_RESERVED_BYTES, wasmKernels } from "../compute/wasm.ts";

/**
 * Images per block of the backward pass dW1ᵀ = X·dZ1ᵀ: a block's rows of dZ1ᵀ (512 × 128
 * float32, 256 KB) stay in the L2 cache while every pixel gathers from them. Only full-batch
 * training has more than one block. A constant, so results never depend on the thread count.
 */
export const BLOCK = 512;

/** Which kernels to run: WebAssembly SIMD, or the TypeScript fallback. */
export type KernelKind = "wasm" | "typescript";

/** The sizes a workspace is laid out for. */
export interface WorkspaceShape {
  /** Inputs per sample n (784 pixels). */
  inputs: number;
  /** Hidden units h. */
  hidden: number;
  /** Output classes (10). */
  classes: number;
  /** The images of the dataset, all copied into the workspace once. */
  images: number;
  /** The most samples one batch may hold. */
  batch: number;
  /** The most non-zero pixels one batch may hold. */
  entries: number;
  /** Training also needs gradients and the pixel-major copy of the batch. */
  training: boolean;
  /** A second set of batch buffers, for preparing the next batch during this one. */
  spare?: boolean;
  /**
   * The non-zero pixels of all the images, to keep them compressed once (as a u16 pixel index
   * and a byte each) so that batches only gather them; 0: compress each batch from the bytes.
   */
  stored?: number;
}

/**
 * Byte offsets of one batch's buffers: its images' order in the dataset and labels, its
 * entries (compressed rows, one per image) and their transpose (one row per pixel).
 */
export interface BatchBuffers {
  order: number;
  labels: number;
  starts: number;
  indices: number;
  values: number;
  startsT: number;
  indicesT: number;
  valuesT: number;
  cursor: number;
}

/**
 * Byte offsets of every buffer, named as in the math; "T" marks a transposed layout. The
 * current batch's buffers are the layout's own; `spare` is a second set (shape.spare).
 */
export interface Layout extends BatchBuffers {
  scale: number;
  W1T: number;
  b1: number;
  W2: number;
  b2: number;
  dW1T: number;
  db1: number;
  dW2: number;
  db2: number;
  /** Momentum's velocity of each parameter, float64. */
  vW1T: number;
  vb1: number;
  vW2: number;
  vb2: number;
  images: number;
  counts: number;
  storedStarts: number;
  storedPixels: number;
  storedBytes: number;
  spare?: BatchBuffers;
  A1T: number;
  A2T: number;
  dZ1T: number;
  dZ2T: number;
  loss: number;
  predicted: number;
}

/** The memory, its kernels, its layout and typed views of it. */
export interface Workspace extends KernelMemory {
  shape: WorkspaceShape;
  layout: Layout;
}

/** One memory the kernels of one kind run on (shared between threads where it can be), and its views. */
export interface KernelMemory {
  memory: WebAssembly.Memory;
  kernels: Kernels;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
}

const PAGE = 65536;

/**
 * A workspace for `shape`, with the WebAssembly kernels when `kind` is "wasm" and this engine
 * runs them, else the TypeScript ones. Training buffers are left out of evaluation workspaces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const workspace = createWorkspace({
 *   inputs: 784, hidden: 128, classes: 10, images: 1000, batch: 128, entries: 128 * 784,
 *   training: true,
 * }, "wasm");
 * assert.equal(workspace.kernels.name, "wasm-simd");
 * assert.equal(workspace.layout.W1T % 64, 0); // every buffer on its own cache line
 * ```
 */
export function createWorkspace(shape: WorkspaceShape, kind: KernelKind): Workspace {
  const { inputs: n, hidden: h, classes: c, images, batch: m, entries, training } = shape;
  const stored = shape.stored ?? 0;
  let end = WASM_RESERVED_BYTES;
  // 64-byte alignment: every buffer starts on its own cache line.
  const take = (bytes: number) => {
    const start = end;
    end += Math.ceil(bytes / 64) * 64;
    return start;
  };
  const gradient = (bytes: number) => training ? take(bytes) : 0;
  const batchBuffers = (): BatchBuffers => ({
    order: take(m * 4),
    labels: take(m),
    starts: take((m + 1) * 4),
    indices: take(entries * 4),
    values: take(entries * 4),
    startsT: gradient(Math.ceil(m / BLOCK) * (n + 1) * 4),
    indicesT: gradient(entries * 4),
    valuesT: gradient(entries * 4),
    cursor: gradient(n * 4),
  });
  const layout: Layout = {
    scale: take(256 * 4),
    W1T: take(n * h * 4),
    b1: take(h * 4),
    W2: take(c * h * 4),
    b2: take(c * 4),
    dW1T: gradient(n * h * 4),
    db1: gradient(h * 4),
    dW2: gradient(c * h * 4),
    db2: gradient(c * 4),
    vW1T: gradient(n * h * 8),
    vb1: gradient(h * 8),
    vW2: gradient(c * h * 8),
    vb2: gradient(c * 8),
    images: take(images * n),
    counts: take(images * 4),
    storedStarts: stored ? take((images + 1) * 4) : 0,
    storedPixels: stored ? take(stored * 2) : 0,
    storedBytes: stored ? take(stored) : 0,
    ...batchBuffers(),
    spare: shape.spare ? batchBuffers() : undefined,
    A1T: take(m * h * 4),
    A2T: take(m * c * 4),
    dZ1T: gradient(m * h * 4),
    dZ2T: gradient(m * c * 4),
    loss: take(m * 8),
    predicted: take(m),
  };
  return { shape, layout, ...kernelMemory(end, kind, layout.scale) };
}

/**
 * A memory of at least `bytes` for the kernels of `kind` (TypeScript where WebAssembly SIMD is
 * missing), shared where the runtime allows, with its views; the 256 floats at `scale` hold each
 * byte's value, p / 255 computed in float64 and stored as float32 (as lib/sparse.ts and lib/cnn's
 * imageBatch compute it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const { f32, kernels } = kernelMemory(1 << 20, "typescript", 1024);
 * assert.equal(kernels.name, "typescript");
 * assert.equal(f32[(1024 >> 2) + 255], 1);
 * ```
 */
export function kernelMemory(bytes: number, kind: KernelKind, scale: number): KernelMemory {
  const pages = Math.ceil(bytes / PAGE);
  const shared = typeof SharedArrayBuffer === "function";
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  const kernels = (kind === "wasm" ? wasmKernels(memory) : undefined) ??
    typescriptKernels(memory);
  const { buffer } = memory;
  const views = {
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i32: new Int32Array(buffer),
    u8: new Uint8Array(buffer),
  };
  for (let p = 0; p < 256; p++) views.f32[(scale >> 2) + p] = p / 255;
  return { memory, kernels, ...views };
}
