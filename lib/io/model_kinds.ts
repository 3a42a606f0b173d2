/**
 * The two kinds of model the course trains, and the one way to load either: an MLP
 * (lib/io/model_file.ts, a file without `kind` metadata or with `kind: "mlp"`) or a CNN
 * (lib/cnn/model_file.ts, `kind: "cnn"`). The file's metadata says which; each kind's own loader
 * then checks everything about it, so an MLP file is checked exactly as before.
 *
 * No Deno APIs here: a web page loads models with the same code.
 *
 * @module
 */

import {
  CNN_KIND,
  convNetArchitecture,
  convNetFromSafetensors,
  convNetToSafetensors,
} from "../cnn/model_file.ts";
import { convForward, type ConvNet, imageBatch } from "../cnn/network.ts";
import { type Dataset, denseInputs } from "../data/dataset.ts";
import { DataError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import {
  describeModel,
  describeTraining,
  networkFromSafetensors,
  networkToSafetensors,
} from "./model_file.ts";
import { forwardPropagation, type Network } from "../network.ts";
import { decodeSafetensorsMetadata } from "./safetensors.ts";

/** A model of either kind, tagged with its kind. */
export type Model = { kind: "mlp"; network: Network } | { kind: "cnn"; network: ConvNet };

/** The `kind` metadata of an MLP file (files written before CNNs existed have none). */
export const MLP_KIND = "mlp";

/** A model read from a file, with the file's metadata. */
export interface LoadedAnyModel {
  model: Model;
  metadata: Record<string, string>;
}

/**
 * Decodes a model of either kind, by the `kind` in the file's metadata. An unknown kind is a
 * {@linkcode DataError} naming `file` and the kinds there are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 *
 * const bytes = modelToSafetensors({ kind: "cnn", network: initConvNet({ seed: 1 }) }, {});
 * const { model } = modelFromSafetensors(bytes, "cnn.safetensors");
 * assert.equal(model.kind, "cnn");
 * if (model.kind === "cnn") assert.deepEqual(model.network.K1.shape, [8, 1, 5, 5]);
 * ```
 */
export function modelFromSafetensors(bytes: Uint8Array, file: string): LoadedAnyModel {
  const { kind = MLP_KIND } = decodeSafetensorsMetadata(bytes, file);
  if (kind === MLP_KIND) {
    const { network, metadata } = networkFromSafetensors(bytes, file);
    return { model: { kind: "mlp", network }, metadata };
  }
  if (kind === CNN_KIND) {
    const { cnn, metadata } = convNetFromSafetensors(bytes, file);
    return { model: { kind: "cnn", network: cnn }, metadata };
  }
  throw new DataError(
    file,
    `model kind "${kind}" is unknown, expected "${MLP_KIND}" (or none) or "${CNN_KIND}"`,
  );
}

/**
 * Encodes a model of either kind with its training settings. An MLP file is exactly what
 * lib/io/model_file.ts writes (no `kind`), so older readers still open it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSafetensorsMetadata } from "./safetensors.ts";
 * import { initNetwork } from "../network.ts";
 *
 * const bytes = modelToSafetensors({ kind: "mlp", network: initNetwork({ seed: 1 }) }, {});
 * assert.equal(decodeSafetensorsMetadata(bytes, "mlp.safetensors").kind, undefined); // as before
 * ```
 */
export function modelToSafetensors(
  model: Model,
  settings: Record<string, string | number | boolean>,
): Uint8Array {
  return model.kind === "mlp"
    ? networkToSafetensors(model.network, settings)
    : convNetToSafetensors(model.network, settings);
}

/**
 * One line about a model of either kind: its shape, then how and when it was trained.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 *
 * assert.equal(
 *   describeAnyModel({ kind: "cnn", network: initConvNet() }, { epochs: "3" }),
 *   "conv5x5x8-pool2-conv5x5x16-pool2-400-128-10 CNN, 3 epochs",
 * );
 * ```
 */
export function describeAnyModel(model: Model, metadata: Record<string, string>): string {
  if (model.kind === "mlp") return describeModel(model.network, metadata);
  return [`${convNetArchitecture(model.network)} CNN`, ...describeTraining(metadata)].join(", ");
}

/**
 * The class probabilities (10 × m) the model gives the images at `indices`, by the readable
 * forward pass of its kind: what the draw-a-digit page and the server need for one drawing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const network = initNetwork({ hidden: 4, seed: 1 });
 * network.W2.data.fill(0);
 * network.b2.set(7, 0, Math.log(9)); // softmax gives 7 the weight 9 and the other nine 1 each
 * const drawing = { images: new Uint8Array(784), count: 1, source: "drawing" };
 * const A = classProbabilities({ kind: "mlp", network }, drawing, [0]);
 * assert.ok(Math.abs(A.get(7, 0) - 9 / 18) < 1e-6); // the probability that the drawing is a 7
 * ```
 */
export function classProbabilities(
  model: Model,
  dataset: Dataset,
  indices: ArrayLike<number>,
): Matrix {
  return model.kind === "mlp"
    ? forwardPropagation(model.network, denseInputs(dataset, indices)).A2
    : convForward(model.network, imageBatch(dataset, indices)).probabilities;
}
