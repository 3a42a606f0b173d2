import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "../lib/errors.ts";
import {
  describeModel,
  MODEL_FORMAT,
  networkFromSafetensors,
  networkToSafetensors,
} from "../lib/io/model_file.ts";
import { loadModel, saveModel } from "../lib/io/model_io.ts";
import { initNetwork, type Network, PARAMETER_NAMES } from "../lib/network.ts";
import { encodeSafetensors, type Tensor } from "../lib/io/safetensors.ts";
import { granted } from "./assert.ts";

const FILE = "model.safetensors";
const canUseFiles = granted({ name: "read" }) && granted({ name: "write" });

const bits = (data: Float32Array | Float64Array) =>
  Array.from(new Uint32Array(Float32Array.from(data).buffer));

function assertSameWeights(actual: Network, expected: Network): void {
  assert.equal(actual.activation, expected.activation);
  for (const name of PARAMETER_NAMES) {
    assert.deepEqual(actual[name].shape, expected[name].shape, name);
    assert.deepEqual(bits(actual[name].data), bits(expected[name].data), name);
  }
}

const tensor = (rows: number, cols: number) => ({
  shape: [rows, cols],
  data: Float32Array.from({ length: rows * cols }, (_, i) => i / 1000),
});

/** The tensors of a valid 784-3-10 network, for hand-made broken files. */
function tinyTensors(): Record<string, Tensor> {
  return { W1: tensor(3, 784), b1: tensor(3, 1), W2: tensor(10, 3), b2: tensor(10, 1) };
}

const tinyMetadata = { format: MODEL_FORMAT, architecture: "784-3-10", activation: "relu" };

function assertLoadFails(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string>,
  expected: RegExp,
): void {
  assert.throws(() => networkFromSafetensors(encodeSafetensors(tensors, metadata), FILE), {
    name: "DataError",
    message: new RegExp(`^${FILE}: .*${expected.source}`),
  });
}

Deno.test("a network round-trips bit-identically, with its settings in the metadata", () => {
  const network = initNetwork({ hidden: 16, activation: "sigmoid", seed: 3 });
  const settings = { epochs: 10, learningRate: 0.1, sparse: true, initialization: "xavier" };
  const { network: loaded, metadata } = networkFromSafetensors(
    networkToSafetensors(network, settings),
    FILE,
  );
  assertSameWeights(loaded, network);
  assert.deepEqual(metadata, {
    format: "mnist-from-scratch/1",
    architecture: "784-16-10",
    activation: "sigmoid",
    epochs: "10",
    learningRate: "0.1",
    sparse: "true",
    initialization: "xavier",
  });
});

Deno.test("a Float64 network is saved as Float32", () => {
  const network = initNetwork({ hidden: 4, seed: 2, precision: "f64" });
  const { network: loaded } = networkFromSafetensors(networkToSafetensors(network, {}), FILE);
  assert.ok(loaded.W1.data instanceof Float32Array);
  assertSameWeights(loaded, network);
});

Deno.test("refuses to encode an unusable network or contradictory settings", () => {
  const network = initNetwork({ hidden: 2, seed: 1 });
  network.W1.data[5] = NaN;
  assert.throws(() => networkToSafetensors(network, {}), /cannot save .*W1\[0, 5\] is NaN/);
  network.W1.data[5] = 0;
  assert.throws(() => networkToSafetensors(network, { activation: "sigmoid" }), /activation/);
  assert.doesNotThrow(() => networkToSafetensors(network, { activation: "relu" }));
});

Deno.test("loading rejects missing or misshapen tensors", () => {
  const { b2: _, ...withoutB2 } = tinyTensors();
  assertLoadFails(withoutB2, tinyMetadata, /tensor 'b2' is missing: a model needs W1, b1, W2, b2/);
  const flatBias = { ...tinyTensors(), b1: { shape: [3], data: new Float32Array(3) } };
  assertLoadFails(flatBias, tinyMetadata, /tensor 'b1' has shape \[3\], expected 2 dimensions/);
  const wideW2 = { ...tinyTensors(), W2: tensor(10, 5) };
  assertLoadFails(
    wideW2,
    tinyMetadata,
    /tensor W2 has shape \[10, 5\], expected \[10, 3\] \(a 784-3-10 network: 784 pixels in, 3 hidden units as W1 has, 10 digits out\)/,
  );
  const longB1 = { ...tinyTensors(), b1: tensor(4, 1) };
  assertLoadFails(longB1, tinyMetadata, /tensor b1 has shape \[4, 1\], expected \[3, 1\]/);
  const architecture = { ...tinyMetadata, architecture: "784-128-10" };
  assertLoadFails(
    tinyTensors(),
    architecture,
    /says architecture 784-128-10, .* shapes are 784-3-10/,
  );
});

Deno.test("loading refuses a model that is not a 784-H-10 network, naming the tensor and shapes", () => {
  // An 800-input and a 5-output model used to load and give garbage.
  const wideInput = { ...tinyTensors(), W1: tensor(3, 800) };
  assertLoadFails(
    wideInput,
    { activation: "relu" },
    /tensor W1 has shape \[3, 800\], expected \[3, 784\]/,
  );
  const fiveOutputs = { ...tinyTensors(), W2: tensor(5, 3), b2: tensor(5, 1) };
  assertLoadFails(
    fiveOutputs,
    { activation: "relu" },
    /tensor W2 has shape \[5, 3\], expected \[10, 3\]/,
  );
  const noHidden = { W1: tensor(0, 784), b1: tensor(0, 1), W2: tensor(10, 0), b2: tensor(10, 1) };
  assertLoadFails(
    noHidden,
    { activation: "relu" },
    /W1 has shape \[0,784\]: expected \[H, 784\] with 1 ≤ H ≤ 16384/,
  );
  assert.throws(
    () => networkToSafetensors(initNetwork({ inputs: 800, hidden: 3, seed: 1 }), {}),
    /cannot save the network: tensor W1 has shape \[3, 800\], expected \[3, 784\]/,
  );
});

Deno.test("loading rejects unknown activations and formats", () => {
  const { activation: _, ...noActivation } = tinyMetadata;
  assertLoadFails(
    tinyTensors(),
    noActivation,
    /no activation in the metadata, expected one of relu/,
  );
  const tanh = { ...tinyMetadata, activation: "tanh" };
  assertLoadFails(tinyTensors(), tanh, /unknown activation "tanh", expected one of relu, sigmoid/);
  const future = { ...tinyMetadata, format: "mnist-from-scratch/2" };
  assertLoadFails(tinyTensors(), future, /format "mnist-from-scratch\/2" is not supported/);
});

Deno.test("loading rejects non-finite weights", () => {
  const tensors = tinyTensors();
  tensors.b2.data[1] = -Infinity;
  assertLoadFails(tensors, tinyMetadata, /b2\[1, 0\] is -Infinity: the weights are unusable/);
});

Deno.test("describeModel reads the shape from the tensors, and adds what the metadata knows", () => {
  const network = initNetwork({ hidden: 3, seed: 1 });
  assert.equal(describeModel(network, {}), "784-3-10 relu network");
  assert.equal(
    describeModel(network, { epochs: "15", kernels: "wasm", testAccuracy: "0.9812" }),
    "784-3-10 relu network, 15 epochs, trained with the wasm kernels, 98.12 % on the MNIST test set",
  );
  assert.equal(describeModel(network, { testAccuracy: "none" }), "784-3-10 relu network");
});

Deno.test("loading accepts a file without format and architecture, as Python may write", () => {
  const { network } = networkFromSafetensors(
    encodeSafetensors(tinyTensors(), { activation: "relu" }),
    FILE,
  );
  assert.deepEqual(network.W2.shape, [10, 3]);
});

/** Runs `test` with a fresh temporary directory, removed afterwards. */
async function inTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "model_file_test_" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const listDir = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);

Deno.test({
  name: "saveModel and loadModel round-trip through the file system",
  ignore: !canUseFiles,
  fn: () =>
    inTempDir(async (dir) => {
      const path = join(dir, "models", "mnist-mlp.safetensors");
      const network = initNetwork({ hidden: 8, seed: 5 });
      await saveModel(path, network, { epochs: 3 });
      const { network: loaded, metadata } = await loadModel(path);
      assertSameWeights(loaded, network);
      assert.equal(metadata.epochs, "3");
      assert.deepEqual(await listDir(join(dir, "models")), ["mnist-mlp.safetensors"]);
    }),
});

Deno.test({
  name: "loadModel explains a missing file or a directory",
  ignore: !canUseFiles,
  fn: () =>
    inTempDir(async (dir) => {
      const missing = join(dir, "nope.safetensors");
      await assert.rejects(loadModel(missing), (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /nope\.safetensors: model file does not exist/);
        assert.match(error.message, /deno task train/);
        return true;
      });
      await assert.rejects(loadModel(dir), {
        name: "DataError",
        message: /is a folder, expected a \.safetensors model file/,
      });
    }),
});

/** Writes a model at `path`, runs `failingSave`, and checks it failed leaving the file as it was. */
async function assertSurvivesFailedSave(
  dir: string,
  path: string,
  failingSave: () => Promise<void>,
  expected: RegExp,
): Promise<void> {
  const before = networkToSafetensors(initNetwork({ hidden: 4, seed: 1 }), { epochs: 1 });
  await Deno.writeFile(path, before);
  const entriesBefore = await listDir(dir);
  await assert.rejects(failingSave(), expected);
  assert.deepEqual(await Deno.readFile(path), before, "the old model must be untouched");
  assert.deepEqual(await listDir(dir), entriesBefore, "no temporary file may be left behind");
}

Deno.test({
  name: "a save rejected by validation leaves the existing model untouched",
  ignore: !canUseFiles,
  fn: () =>
    inTempDir(async (dir) => {
      const path = join(dir, "model.safetensors");
      const diverged = initNetwork({ hidden: 4, seed: 2 });
      diverged.b2.data[0] = Infinity;
      await assertSurvivesFailedSave(dir, path, () => saveModel(path, diverged, {}), /Infinity/);
    }),
});

Deno.test({
  name: "a save that fails at rename leaves the existing model untouched",
  ignore: !canUseFiles,
  fn: () =>
    inTempDir(async (dir) => {
      const path = join(dir, "model.safetensors");
      const rename = Deno.rename;
      let temporaryWasWritten = false;
      const failingSave = async () => {
        // Only the last step fails: the whole temporary file is written, then the rename is
        // refused, so the cleanup of a written temporary file is what gets tested.
        Deno.rename = async (from) => {
          temporaryWasWritten = (await Deno.stat(from)).size > 0;
          throw new Error("simulated rename failure");
        };
        try {
          await saveModel(path, initNetwork({ hidden: 4, seed: 3 }), {});
        } finally {
          Deno.rename = rename;
        }
      };
      await assertSurvivesFailedSave(dir, path, failingSave, /simulated rename failure/);
      assert.ok(temporaryWasWritten);
    }),
});

Deno.test({
  name: "a model whose name is the longest the file system allows can be saved",
  ignore: !canUseFiles,
  fn: () =>
    inTempDir(async (dir) => {
      // The temporary name is short, so the target name alone must fit the 255-byte limit.
      const path = join(dir, "m".repeat(243) + ".safetensors");
      await saveModel(path, initNetwork({ hidden: 4, seed: 3 }), {});
      assert.equal((await loadModel(path)).metadata.architecture, "784-4-10");
      assert.deepEqual(await listDir(dir), ["m".repeat(243) + ".safetensors"]);
    }),
});

const PYTHON_READER = `
import json, sys
import numpy as np
raw = open(sys.argv[1], "rb").read()
n = int.from_bytes(raw[:8], "little")
header = json.loads(raw[8:8 + n])
metadata = header.pop("__metadata__")
tensors = {}
for name, entry in header.items():
    begin, end = entry["data_offsets"]
    array = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])
    tensors[name] = {"shape": list(array.shape), "values": array.ravel().tolist()}
print(json.dumps({"aligned": (8 + n) % 8 == 0, "metadata": metadata, "tensors": tensors}))
`;

function hasNumpy(): boolean {
  if (!granted({ name: "run", command: "python3" })) return false;
  try {
    return new Deno.Command("python3", { args: ["-c", "import numpy"] }).outputSync().success;
  } catch {
    return false; // python3 is not installed
  }
}

Deno.test({
  name: "NumPy reads a saved model with json and numpy.frombuffer",
  ignore: !canUseFiles || !hasNumpy(),
  fn: () =>
    inTempDir(async (dir) => {
      const path = join(dir, "model.safetensors");
      const network = initNetwork({ hidden: 3, seed: 7 });
      await saveModel(path, network, { epochs: 2 });
      const output = await new Deno.Command("python3", { args: ["-c", PYTHON_READER, path] })
        .output();
      assert.ok(output.success, new TextDecoder().decode(output.stderr));
      const read = JSON.parse(new TextDecoder().decode(output.stdout));
      assert.equal(read.aligned, true);
      assert.equal(read.metadata.architecture, "784-3-10");
      assert.equal(read.metadata.epochs, "2");
      for (const name of PARAMETER_NAMES) {
        assert.deepEqual(read.tensors[name].shape, network[name].shape, name);
        assert.deepEqual(read.tensors[name].values, Array.from(network[name].data), name);
      }
    }),
});
