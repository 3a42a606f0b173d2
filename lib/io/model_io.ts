/**
 * Saving and loading model files on disk. The encoding lives in `model_file.ts`, which has no
 * Deno APIs so that a web page can use it; this module adds the file system.
 *
 * @module
 */

import { writeFileAtomic } from "./atomic_write.ts";
import { DataError, describeError } from "../errors.ts";
import {
  type LoadedModel,
  MAX_HIDDEN,
  MAX_MODEL_BYTES,
  networkFromSafetensors,
  networkToSafetensors,
} from "./model_file.ts";
import {
  type LoadedAnyModel,
  type Model,
  modelFromSafetensors,
  modelToSafetensors,
} from "./model_kinds.ts";
import type { Network } from "../network.ts";

/**
 * Saves a network and its training settings as a safetensors file. The network is checked and
 * encoded before the file is touched, and the write is atomic: if anything fails, a model
 * already at `path` keeps its old bytes. Missing directories are created.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const network = initNetwork({ hidden: 8, seed: 1 });
 * await saveModel(`${folder}/models/mlp.safetensors`, network, { epochs: 10, learningRate: 0.1 });
 * const { metadata } = await loadModel(`${folder}/models/mlp.safetensors`); // folder created
 * assert.deepEqual([metadata.epochs, metadata.learningRate], ["10", "0.1"]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function saveModel(
  path: string,
  network: Network,
  settings: Record<string, string | number | boolean>,
): Promise<void> {
  const bytes = networkToSafetensors(network, settings);
  await writeFileAtomic(path, bytes);
}

/**
 * Loads a network saved by {@linkcode saveModel} (or by Python, with the same tensor names and
 * metadata). The path must be a regular file no larger than {@linkcode MAX_MODEL_BYTES} (checked
 * before reading: `/dev/zero` or a huge file is refused at once). Every problem is a one-line
 * {@linkcode DataError} naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * const saved = initNetwork({ hidden: 8, seed: 1 });
 * await saveModel(path, saved, { epochs: 1 });
 * const { network, metadata } = await loadModel(path);
 * assert.equal(metadata.architecture, "784-8-10");
 * assert.deepEqual(network.W1.data, saved.W1.data);
 * await Deno.writeTextFile(path, "not a model");
 * await assert.rejects(loadModel(path), new RegExp(path)); // a DataError naming the file
 * await Deno.remove(path);
 * ```
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  return networkFromSafetensors(await readModelBytes(path), path);
}

/**
 * Saves a model of either kind (lib/io/model_kinds.ts), as {@linkcode saveModel} does an MLP.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initConvNet } from "../cnn/network.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveAnyModel(path, { kind: "cnn", network: initConvNet({ seed: 1 }) }, { epochs: 3 });
 * assert.equal((await loadAnyModel(path)).metadata.kind, "cnn");
 * await Deno.remove(path);
 * ```
 */
export async function saveAnyModel(
  path: string,
  model: Model,
  settings: Record<string, string | number | boolean>,
): Promise<void> {
  await writeFileAtomic(path, modelToSafetensors(model, settings));
}

/**
 * Loads a model of either kind, MLP or CNN, by its file's `kind` metadata, with the checks of
 * {@linkcode loadModel}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveModel(path, initNetwork({ seed: 1 }), {}); // an MLP file: no `kind` metadata
 * const { model } = await loadAnyModel(path);
 * assert.equal(model.kind, "mlp");
 * await Deno.remove(path);
 * ```
 */
export async function loadAnyModel(path: string): Promise<LoadedAnyModel> {
  return modelFromSafetensors(await readModelBytes(path), path);
}

/**
 * The bytes of the model file at `path`, after the checks {@linkcode loadModel} describes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const folder = await Deno.makeTempDir();
 * await Deno.writeFile(`${folder}/model.safetensors`, Uint8Array.from([1, 2, 3]));
 * assert.deepEqual(await readModelBytes(`${folder}/model.safetensors`), Uint8Array.from([1, 2, 3]));
 * await assert.rejects(readModelBytes(folder), /is a folder, expected a \.safetensors model file/);
 * await assert.rejects(readModelBytes(`${folder}/none.safetensors`), /train one first/);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function readModelBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const info = await Deno.stat(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new DataError(
        path,
        "model file does not exist: train one first with `deno task train`",
      );
    }
    throw new DataError(path, `cannot read the model file: ${describeError(error)}`);
  });
  if (info.isDirectory) {
    throw new DataError(path, "is a folder, expected a .safetensors model file");
  }
  if (!info.isFile) {
    throw new DataError(path, "is not a regular file, expected a .safetensors model file");
  }
  if (info.size > MAX_MODEL_BYTES) {
    throw new DataError(
      path,
      `is ${(info.size / 1e6).toFixed(0)} MB, larger than any model of up to ${MAX_HIDDEN} ` +
        `hidden units can be (${(MAX_MODEL_BYTES / 1e6).toFixed(0)} MB)`,
    );
  }
  return await Deno.readFile(path).catch((error) => {
    throw new DataError(path, `cannot read the model file: ${describeError(error)}`);
  });
}
