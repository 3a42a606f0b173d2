/**
 * The convolutional network's workspace: like {@link ./workspace.ts}'s, one memory laid out once
 * before training, shared by the WebAssembly kernels, the TypeScript fallback and the worker
 * threads. Per-sample buffers hold one sample after another in lib/cnn/tensor.ts's layout
 * (sample j's maps at `buffer + j·(its size)`); the parameters are stored as lib/cnn/network.ts
 * holds them (K1 [c1, 1, 5, 5], …, W3 (h × 25·c2)), so moving them in and out is a copy.
 *
 * @module
 */

import { CLASSES } from "../../loss.ts";
import { IMAGE_SIDE, PIXELS } from "../../data/dataset.ts";
import { CONVOLUTIONS, FEATURE_SIDE, KERNEL_SIDE, POOL } from "../../cnn/network.ts";
import { WASM_RESERVED_BYTES } from "../compute/wasm.ts";
import { type KernelKind, type KernelMemory, kernelMemory } from "./workspace.ts";

/** The sizes a convolutional workspace is laid out for. */
export interface ConvWorkspaceShape {
  /** Kernels of the first and second convolutions, c1 and c2; hidden units of the dense layer. */
  channels1: number;
  channels2: number;
  hidden: number;
  /** The images of the dataset, all copied into the workspace once. */
  images: number;
  /** The most samples one batch may hold. */
  batch: number;
  /** Training also needs the gradients. */
  training: boolean;
}

/**
 * The side of each layer's maps: 28 → conv 28 → pool 14 → conv 10 → pool 5.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(SIDES, { Z1: 28, P1: 14, Z2: 10, P2: 5 });
 * ```
 */
export const SIDES = {
  Z1: IMAGE_SIDE + 2 * CONVOLUTIONS[0].padding! - KERNEL_SIDE + 1,
  P1: (IMAGE_SIDE + 2 * CONVOLUTIONS[0].padding! - KERNEL_SIDE + 1) / POOL,
  Z2: FEATURE_SIDE * POOL,
  P2: FEATURE_SIDE,
} as const;

/** Byte offsets of every buffer, named as in lib/cnn/network.ts's module doc. */
export interface ConvLayout {
  scale: number;
  images: number;
  order: number;
  labels: number;
  /** The parameters, then their gradients (d…), in {@linkcode CONV_PARAMETER_NAMES} order. */
  K1: number;
  b1: number;
  K2: number;
  b2: number;
  W3: number;
  b3: number;
  W4: number;
  b4: number;
  dK1: number;
  db1: number;
  dK2: number;
  db2: number;
  dW3: number;
  db3: number;
  dW4: number;
  db4: number;
  /** Per sample: the image, im2col's patches, activations, pooled maps and their argmax. */
  X: number;
  cols1: number;
  A1: number;
  P1: number;
  argmax1: number;
  cols2: number;
  A2: number;
  /** P2 is F: sample j's 25·c2 features in PyTorch's flatten order. */
  P2: number;
  argmax2: number;
  A3: number;
  A4: number;
  loss: number;
  predicted: number;
  /** Backward, per sample. */
  dZ4: number;
  dZ3: number;
  dP2: number;
  dZ2: number;
  dcols2: number;
  dP1: number;
  dZ1: number;
}

/** The memory, its kernels, its layout and typed views of it. */
export interface ConvWorkspace extends KernelMemory {
  shape: ConvWorkspaceShape;
  layout: ConvLayout;
}

/**
 * Elements of each parameter, by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const sizes = parameterSizes({
 *   channels1: 8, channels2: 16, hidden: 128, images: 1, batch: 1, training: false,
 * });
 * assert.deepEqual([sizes.K2, sizes.W3], [16 * 8 * 25, 128 * 400]);
 * ```
 */
export function parameterSizes(shape: ConvWorkspaceShape) {
  const { channels1: c1, channels2: c2, hidden: h } = shape;
  const k2 = KERNEL_SIDE * KERNEL_SIDE, features = c2 * SIDES.P2 * SIDES.P2;
  return {
    K1: c1 * k2,
    b1: c1,
    K2: c2 * c1 * k2,
    b2: c2,
    W3: h * features,
    b3: h,
    W4: CLASSES * h,
    b4: CLASSES,
  };
}

/**
 * A convolutional workspace for `shape`, with the WebAssembly kernels when `kind` is "wasm" and
 * this engine runs them, else the TypeScript ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const shape = { channels1: 8, channels2: 16, hidden: 128, images: 10, batch: 4 };
 * const workspace = createConvWorkspace({ ...shape, training: true }, "wasm");
 * assert.equal(workspace.kernels.name, "wasm-simd");
 * assert.equal(workspace.layout.cols1 % 64, 0); // every buffer on its own cache line
 * ```
 */
export function createConvWorkspace(shape: ConvWorkspaceShape, kind: KernelKind): ConvWorkspace {
  const { channels1: c1, channels2: c2, hidden: h, images, batch: m, training } = shape;
  const k2 = KERNEL_SIDE * KERNEL_SIDE;
  const z1 = SIDES.Z1 ** 2, p1 = SIDES.P1 ** 2, z2 = SIDES.Z2 ** 2, p2 = SIDES.P2 ** 2;
  let end = WASM_RESERVED_BYTES;
  const take = (bytes: number) => {
    const start = end;
    end += Math.ceil(bytes / 64) * 64;
    return start;
  };
  const gradient = (bytes: number) => training ? take(bytes) : 0;
  const sizes = parameterSizes(shape);
  const layout: ConvLayout = {
    scale: take(256 * 4),
    images: take(images * PIXELS),
    order: take(m * 4),
    labels: take(m),
    K1: take(sizes.K1 * 4),
    b1: take(sizes.b1 * 4),
    K2: take(sizes.K2 * 4),
    b2: take(sizes.b2 * 4),
    W3: take(sizes.W3 * 4),
    b3: take(sizes.b3 * 4),
    W4: take(sizes.W4 * 4),
    b4: take(sizes.b4 * 4),
    dK1: gradient(sizes.K1 * 4),
    db1: gradient(sizes.b1 * 4),
    dK2: gradient(sizes.K2 * 4),
    db2: gradient(sizes.b2 * 4),
    dW3: gradient(sizes.W3 * 4),
    db3: gradient(sizes.b3 * 4),
    dW4: gradient(sizes.W4 * 4),
    db4: gradient(sizes.b4 * 4),
    X: take(m * PIXELS * 4),
    cols1: take(m * k2 * z1 * 4),
    A1: take(m * c1 * z1 * 4),
    P1: take(m * c1 * p1 * 4),
    argmax1: take(m * c1 * p1 * 4),
    cols2: take(m * c1 * k2 * z2 * 4),
    A2: take(m * c2 * z2 * 4),
    P2: take(m * c2 * p2 * 4),
    argmax2: take(m * c2 * p2 * 4),
    A3: take(m * h * 4),
    A4: take(m * CLASSES * 4),
    loss: take(m * 8),
    predicted: take(m),
    dZ4: gradient(m * CLASSES * 4),
    dZ3: gradient(m * h * 4),
    dP2: gradient(m * c2 * p2 * 4),
    dZ2: gradient(m * c2 * z2 * 4),
    dcols2: gradient(m * c1 * k2 * z2 * 4),
    dP1: gradient(m * c1 * p1 * 4),
    dZ1: gradient(m * c1 * z1 * 4),
  };
  return { shape, layout, ...kernelMemory(end, kind, layout.scale) };
}
