/**
 * A ConvNet as a safetensors file (see lib/io/safetensors.ts), beside the MLP's lib/io/model_file.ts:
 * the eight tensors K1, b1, K2, b2, W3, b3, W4, b4 in PyTorch's shapes (kernels [out, in, 5, 5],
 * biases [out], dense weights [out, in]), and metadata with `format`, `kind: "cnn"`, the
 * `architecture` (such as "conv5x5x8-pool2-conv5x5x16-pool2-400-128-10") and the training
 * settings. In PyTorch, a `Sequential` of Conv2d(1, 8, 5, padding=2), ReLU, MaxPool2d(2),
 * Conv2d(8, 16, 5), ReLU, MaxPool2d(2), Flatten, Linear(400, 128), ReLU, Linear(128, 10) takes
 * these tensors as its `state_dict` (renamed to "0.weight", "0.bias", …).
 *
 * No Deno APIs here: a web page loads models with the same code.
 *
 * @module
 */

import { IMAGE_SIDE } from "../data/dataset.ts";
import { DataError } from "../errors.ts";
import { CLASSES } from "../loss.ts";
import { Matrix } from "../matrix.ts";
import { MODEL_FORMAT } from "../io/model_file.ts";
import { decodeSafetensors, encodeSafetensors, type Safetensors } from "../io/safetensors.ts";
import { CONV_PARAMETER_NAMES, type ConvNet, FEATURE_SIDE, KERNEL_SIDE, POOL } from "./network.ts";
import { Tensor } from "./tensor.ts";

/** The `kind` metadata of a CNN file; an MLP file has none (or "mlp"). */
export const CNN_KIND = "cnn";

/**
 * The largest sizes a CNN file may have: 64 and 128 kernels, 2,048 hidden units. The largest
 * such model is 27 MB, within what lib/io/model_io.ts reads (MAX_MODEL_BYTES), and far more than
 * MNIST needs.
 */
export const MAX_CNN_SIZES = { channels1: 64, channels2: 128, hidden: 2048 } as const;

/**
 * "conv5x5x8-pool2-conv5x5x16-pool2-400-128-10": the layers, read from the tensor shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "./network.ts";
 *
 * assert.equal(
 *   convNetArchitecture(initConvNet({ channels1: 4 })),
 *   "conv5x5x4-pool2-conv5x5x16-pool2-400-128-10",
 * );
 * ```
 */
export function convNetArchitecture(cnn: ConvNet): string {
  const conv = (K: Tensor) => `conv${K.shape[2]}x${K.shape[3]}x${K.shape[0]}`;
  return `${conv(cnn.K1)}-pool${POOL}-${conv(cnn.K2)}-pool${POOL}-` +
    `${cnn.W3.cols}-${cnn.W3.rows}-${cnn.W4.rows}`;
}

/**
 * Encodes a ConvNet and its training settings as safetensors bytes (Float32). Throws a
 * RangeError, before anything is encoded, for a network {@linkcode convNetFromSafetensors}
 * would refuse, or a setting that contradicts the network's own metadata.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "./network.ts";
 *
 * const bytes = convNetToSafetensors(initConvNet({ seed: 1 }), { epochs: 3 });
 * const { metadata } = convNetFromSafetensors(bytes, "cnn.safetensors");
 * assert.deepEqual([metadata.kind, metadata.epochs], ["cnn", "3"]);
 * ```
 */
export function convNetToSafetensors(
  cnn: ConvNet,
  settings: Record<string, string | number | boolean>,
): Uint8Array {
  const tensors = Object.fromEntries(CONV_PARAMETER_NAMES.map((name) => {
    const { data } = cnn[name];
    // A dense bias is a column (h × 1) here and a vector [h] in PyTorch: save PyTorch's shape.
    const shape = name === "b3" || name === "b4" ? [data.length] : [...cnn[name].shape];
    return [name, { shape, data: data instanceof Float32Array ? data : Float32Array.from(data) }];
  }));
  const problem = findProblem({ tensors, metadata: {} });
  if (problem !== undefined) throw new RangeError(`cannot save the network: ${problem}`);
  const own: Record<string, string> = {
    format: MODEL_FORMAT,
    kind: CNN_KIND,
    architecture: convNetArchitecture(cnn),
    activation: "relu",
  };
  const metadata = { ...own };
  for (const [key, value] of Object.entries(settings)) {
    if (Object.hasOwn(own, key) && own[key] !== String(value)) {
      throw new RangeError(`setting ${key}=${value} contradicts the network's ${key}`);
    }
    metadata[key] = String(value);
  }
  return encodeSafetensors(tensors, metadata);
}

/** A ConvNet read from a file, with the file's metadata. */
export interface LoadedConvNet {
  cnn: ConvNet;
  metadata: Record<string, string>;
}

/**
 * Decodes a ConvNet and checks it can be used: the eight tensors with shapes that fit together
 * (5×5 kernels on one input channel, sizes within {@linkcode MAX_CNN_SIZES}, 10 outputs),
 * finite values, `kind` "cnn", a known `format`, and the `architecture` metadata, when there is
 * one, agreeing with the shapes. Problems throw a {@linkcode DataError} naming `file`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "./network.ts";
 *
 * const saved = initConvNet({ seed: 1 });
 * const { cnn } = convNetFromSafetensors(convNetToSafetensors(saved, {}), "cnn.safetensors");
 * assert.deepEqual(cnn.K1.shape, [8, 1, 5, 5]);
 * assert.deepEqual(cnn.W4.data, saved.W4.data); // the same Float32 weights
 * assert.throws(() => convNetFromSafetensors(new Uint8Array(4), "cnn.safetensors"), /cnn\.safetensors/);
 * ```
 */
export function convNetFromSafetensors(bytes: Uint8Array, file: string): LoadedConvNet {
  const decoded = decodeSafetensors(bytes, file);
  const { tensors, metadata } = decoded;
  const problem = findProblem(decoded);
  if (problem !== undefined) throw new DataError(file, problem);
  const tensor = (name: string) => new Tensor(tensors[name].shape, tensors[name].data);
  const matrix = (name: string) => {
    const { shape, data } = tensors[name];
    return new Matrix(shape[0], shape.length === 2 ? shape[1] : 1, data);
  };
  const cnn: ConvNet = {
    K1: tensor("K1"),
    b1: tensor("b1"),
    K2: tensor("K2"),
    b2: tensor("b2"),
    W3: matrix("W3"),
    b3: matrix("b3"),
    W4: matrix("W4"),
    b4: matrix("b4"),
  };
  const architecture = convNetArchitecture(cnn);
  if (metadata.architecture !== undefined && metadata.architecture !== architecture) {
    throw new DataError(
      file,
      `metadata says architecture ${metadata.architecture}, but the tensor shapes are ${architecture}`,
    );
  }
  return { cnn, metadata };
}

/** The first reason the tensors and metadata are not a usable ConvNet, or undefined. */
function findProblem({ tensors, metadata }: Safetensors): string | undefined {
  if (metadata.format !== undefined && metadata.format !== MODEL_FORMAT) {
    return `model format "${metadata.format}" is not supported, expected "${MODEL_FORMAT}"`;
  }
  if (metadata.kind !== undefined && metadata.kind !== CNN_KIND) {
    return `model kind "${metadata.kind}" is not a CNN, expected "${CNN_KIND}"`;
  }
  for (const name of CONV_PARAMETER_NAMES) {
    if (!Object.hasOwn(tensors, name)) {
      return `tensor '${name}' is missing: a CNN needs ${CONV_PARAMETER_NAMES.join(", ")}`;
    }
  }
  const shapeOf = (name: string) => tensors[name].shape;
  const [c1 = 0] = shapeOf("K1"), [c2 = 0] = shapeOf("K2"), [h = 0] = shapeOf("W3");
  const sizes = { channels1: c1, channels2: c2, hidden: h };
  for (const [size, value] of Object.entries(sizes)) {
    const max = MAX_CNN_SIZES[size as keyof typeof MAX_CNN_SIZES];
    if (value < 1 || value > max) {
      return `${size} is ${value} (from the tensor shapes), expected 1 to ${max}`;
    }
  }
  const k = KERNEL_SIDE, features = c2 * FEATURE_SIDE * FEATURE_SIDE;
  const expected: Record<string, number[]> = {
    K1: [c1, 1, k, k],
    b1: [c1],
    K2: [c2, c1, k, k],
    b2: [c2],
    W3: [h, features],
    b3: [h],
    W4: [CLASSES, h],
    b4: [CLASSES],
  };
  for (const name of CONV_PARAMETER_NAMES) {
    const shape = shapeOf(name);
    if (shape.join() !== expected[name].join()) {
      return `tensor ${name} has shape [${shape}], expected [${expected[name]}] (a CNN on ` +
        `${IMAGE_SIDE}×${IMAGE_SIDE} images with ${k}×${k} kernels: ${c1} kernels as K1 has, ` +
        `${c2} as K2 has, ${h} hidden units as W3 has, ${CLASSES} digits out)`;
    }
  }
  for (const name of CONV_PARAMETER_NAMES) {
    const { data } = tensors[name];
    const index = data.findIndex((value) => !Number.isFinite(value));
    if (index !== -1) {
      return `${name} element ${index} is ${data[index]}: the weights are unusable ` +
        `(did training diverge?)`;
    }
  }
  return undefined;
}
