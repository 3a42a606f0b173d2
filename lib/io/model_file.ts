/**
 * A network as a safetensors file (see `safetensors.ts`): the tensors W1, b1, W2 and b2, plus
 * metadata saying how to use them. In Python:
 *
 *   from safetensors.numpy import load_file   # or parse the header with json + numpy.frombuffer
 *   weights = load_file("models/mnist-mlp.safetensors")   # {"W1": array of shape (128, 784), ...}
 *
 * No Deno APIs here: a web page loads models with the same code. `model_io.ts` reads and
 * writes the files.
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { PIXELS } from "../data/dataset.ts";
import { CLASSES } from "../loss.ts";
import { DataError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { type Network, PARAMETER_NAMES } from "../network.ts";
import { decodeSafetensors, encodeSafetensors, type Tensor } from "./safetensors.ts";

/**
 * The most hidden units a model may have. 16,384 units are 13 million weights (52 MB): far more
 * than MNIST needs, small enough to load anywhere.
 */
export const MAX_HIDDEN = 16_384;

/**
 * The largest file a model can be: its four float32 tensors at {@linkcode MAX_HIDDEN} units, the
 * 8-byte header length and up to 1 MB of header. A bigger file is refused before it is read.
 */
export const MAX_MODEL_BYTES = 8 + 1_000_000 + 4 * (MAX_HIDDEN * (PIXELS + 1 + CLASSES) + CLASSES);

/** The `format` metadata of our model files; the number changes if the layout ever does. */
export const MODEL_FORMAT = "mnist-from-scratch/1";

/** A network read from a file, with the file's metadata (the training settings among it). */
export interface LoadedModel {
  network: Network;
  metadata: Record<string, string>;
}

const KNOWN_ACTIVATIONS: readonly Activation[] = ["relu", "sigmoid"];

/**
 * Encodes a network as safetensors bytes. The metadata holds `format`, `architecture` (such as
 * "784-128-10") and `activation`, then the training `settings`, as strings: safetensors
 * metadata values must be strings, so read them back with `Number(...)` where needed.
 *
 * Throws a RangeError, before anything is encoded, for a network that
 * {@linkcode networkFromSafetensors} would reject (NaN weights, mismatched shapes), or for a
 * setting that contradicts the network (`activation: "sigmoid"` for a ReLU network).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const network = initNetwork({ hidden: 32, seed: 1 });
 * const bytes = networkToSafetensors(network, { epochs: 10, learningRate: 0.1 });
 * const { metadata } = networkFromSafetensors(bytes, "model.safetensors");
 * assert.deepEqual([metadata.architecture, metadata.learningRate], ["784-32-10", "0.1"]);
 * assert.throws(() => networkToSafetensors(network, { activation: "sigmoid" }), RangeError);
 * ```
 */
export function networkToSafetensors(
  network: Network,
  settings: Record<string, string | number | boolean>,
): Uint8Array {
  // Convert first, then check: a Float64 weight of 1e39 is finite but becomes Infinity in F32.
  const float32 = toFloat32(network);
  const problem = findProblem(float32);
  if (problem !== undefined) throw new RangeError(`cannot save the network: ${problem}`);

  const ownMetadata: Record<string, string> = {
    format: MODEL_FORMAT,
    architecture: architectureOf(float32),
    activation: float32.activation,
  };
  const metadata = { ...ownMetadata };
  for (const [key, value] of Object.entries(settings)) {
    if (Object.hasOwn(ownMetadata, key) && ownMetadata[key] !== String(value)) {
      throw new RangeError(`setting ${key}=${value} contradicts the network's ${key}`);
    }
    metadata[key] = String(value);
  }
  const tensors = Object.fromEntries(
    PARAMETER_NAMES.map((name): [string, Tensor] => [name, toTensor(float32[name])]),
  );
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes a network from safetensors bytes and checks that it can be used: W1, b1, W2 and b2
 * present and 2-dimensional, the shapes of a 784-H-10 network (and the `architecture`
 * metadata, when there is one), a known `activation`, finite values, and a `format`, when there
 * is one, that we know. Problems throw a {@linkcode DataError} naming `file`. Other tensors are
 * ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const bytes = networkToSafetensors(initNetwork({ seed: 1 }), { epochs: 10 });
 * const { network, metadata } = networkFromSafetensors(bytes, "model.safetensors");
 * assert.deepEqual(network.W1.shape, [128, 784]);
 * assert.equal(metadata.epochs, "10");
 * ```
 */
export function networkFromSafetensors(bytes: Uint8Array, file: string): LoadedModel {
  const fail = (problem: string): never => {
    throw new DataError(file, problem);
  };
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  if (metadata.format !== undefined && metadata.format !== MODEL_FORMAT) {
    fail(`model format "${metadata.format}" is not supported, expected "${MODEL_FORMAT}"`);
  }
  const matrices = PARAMETER_NAMES.map((name) => {
    if (!Object.hasOwn(tensors, name)) {
      fail(`tensor '${name}' is missing: a model needs ${PARAMETER_NAMES.join(", ")}`);
    }
    const { shape, data } = tensors[name];
    if (shape.length !== 2) {
      fail(`tensor '${name}' has shape [${shape}], expected 2 dimensions (rows, columns)`);
    }
    return new Matrix(shape[0], shape[1], data);
  });
  const [W1, b1, W2, b2] = matrices;
  const network = { activation: metadata.activation as Activation, W1, b1, W2, b2 };

  const problem = findProblem(network);
  if (problem !== undefined) fail(problem);
  const architecture = architectureOf(network);
  if (metadata.architecture !== undefined && metadata.architecture !== architecture) {
    fail(
      `metadata says architecture ${metadata.architecture}, but the tensor shapes are ` +
        `${architecture}`,
    );
  }
  return { network, metadata };
}

/**
 * "784-128-10": inputs, hidden units and outputs, read from the weight shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * assert.equal(architectureOf(initNetwork({ hidden: 64 })), "784-64-10");
 * ```
 */
export function architectureOf(network: Network): string {
  return `${network.W1.cols}-${network.W1.rows}-${network.W2.rows}`;
}

/**
 * One line about a model: its shape and activation (read from the tensors, so a file written
 * without our metadata is described too), and how and when it was trained, where known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * assert.equal(
 *   describeModel(initNetwork({ hidden: 8 }), { epochs: "15", testAccuracy: "0.98" }),
 *   "784-8-10 relu network, 15 epochs, 98.00 % on the MNIST test set",
 * );
 * ```
 */
export function describeModel(network: Network, metadata: Record<string, string>): string {
  return [`${architectureOf(network)} ${network.activation} network`, ...describeTraining(metadata)]
    .join(", ");
}

/**
 * How and when a model was trained, from its metadata, as the parts of
 * {@linkcode describeModel}'s line after the shape: shared by both kinds of model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(describeTraining({ epochs: "3", testAccuracy: "0.99" }), [
 *   "3 epochs",
 *   "99.00 % on the MNIST test set",
 * ]);
 * ```
 */
export function describeTraining(metadata: Record<string, string>): string[] {
  const parts: string[] = [];
  if (metadata.epochs !== undefined) parts.push(`${metadata.epochs} epochs`);
  if (metadata.kernels !== undefined) parts.push(`trained with the ${metadata.kernels} kernels`);
  const accuracy = Number(metadata.testAccuracy);
  if (metadata.testAccuracy !== undefined && Number.isFinite(accuracy)) {
    parts.push(`${(100 * accuracy).toFixed(2)} % on the MNIST test set`);
  }
  return parts;
}

/** The first reason the network cannot be used, or undefined if it can. */
function findProblem(network: Network): string | undefined {
  if (!KNOWN_ACTIVATIONS.includes(network.activation)) {
    return network.activation === undefined
      ? `no activation in the metadata, expected one of ${KNOWN_ACTIVATIONS.join(", ")}`
      : `unknown activation "${network.activation}", expected one of ` +
        KNOWN_ACTIVATIONS.join(", ");
  }
  // The code runs 784-H-10 networks: 28×28 pixels in, one output per digit. W1 (H × 784) fixes
  // H; every other shape must agree with it.
  const hidden = network.W1.rows;
  if (hidden < 1 || hidden > MAX_HIDDEN) {
    return `tensor W1 has shape [${network.W1.shape}]: expected [H, ${PIXELS}] with 1 ≤ H ≤ ` +
      `${MAX_HIDDEN} hidden units`;
  }
  const expectedShapes = {
    W1: [hidden, PIXELS],
    b1: [hidden, 1],
    W2: [CLASSES, hidden],
    b2: [CLASSES, 1],
  };
  for (const name of PARAMETER_NAMES) {
    const { rows, cols } = network[name];
    const [expectedRows, expectedCols] = expectedShapes[name];
    if (rows !== expectedRows || cols !== expectedCols) {
      return `tensor ${name} has shape [${rows}, ${cols}], expected [${expectedRows}, ` +
        `${expectedCols}] (a ${PIXELS}-${hidden}-${CLASSES} network: ${PIXELS} pixels in, ` +
        `${hidden} hidden units as W1 has, ${CLASSES} digits out)`;
    }
  }
  for (const name of PARAMETER_NAMES) {
    const { data, cols } = network[name];
    const index = data.findIndex((value) => !Number.isFinite(value));
    if (index !== -1) {
      return `${name}[${Math.floor(index / cols)}, ${index % cols}] is ${data[index]}: ` +
        `the weights are unusable (did training diverge?)`;
    }
  }
  return undefined;
}

function toFloat32(network: Network): Network {
  const float32 = (matrix: Matrix) =>
    matrix.data instanceof Float32Array ? matrix : matrix.to("f32");
  const { activation, W1, b1, W2, b2 } = network;
  return { activation, W1: float32(W1), b1: float32(b1), W2: float32(W2), b2: float32(b2) };
}

function toTensor(matrix: Matrix): Tensor {
  return { shape: [matrix.rows, matrix.cols], data: matrix.data as Float32Array };
}
