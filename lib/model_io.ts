/**
 * Saving and loading model files on disk. The encoding lives in `model_file.ts`, which has no
 * Deno APIs so that a web page can use it; this module adds the file system.
 *
 * @module
 */

import { writeFileAtomic } from "./atomic_write.ts";
import { DataError } from "./errors.ts";
import { type LoadedModel, networkFromSafetensors, networkToSafetensors } from "./model_file.ts";
import type { Network } from "./network.ts";

/**
 * Saves a network and its training settings as a safetensors file. The network is checked and
 * encoded before the file is touched, and the write is atomic: if anything fails, a model
 * already at `path` keeps its old bytes. Missing directories are created.
 *
 * @example
 * ```ts
 * const network = initNetwork({ seed: 1 });
 * await saveModel("models/mnist-mlp.safetensors", network, { epochs: 10, learningRate: 0.1 });
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
 * metadata). A missing, unreadable-as-a-file or invalid model throws a {@linkcode DataError}.
 *
 * @example
 * ```ts
 * const { network, metadata } = await loadModel("models/mnist-mlp.safetensors");
 * console.log(`${metadata.architecture} network, ${metadata.activation} activation`);
 * ```
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DataError(
        path,
        "model file does not exist: train one first with `deno task train`",
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new DataError(path, "is a directory, expected a .safetensors model file");
    }
    throw error;
  }
  return networkFromSafetensors(bytes, path);
}
