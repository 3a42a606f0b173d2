import assert from "node:assert/strict";
import {
  convNetArchitecture,
  convNetFromSafetensors,
  convNetToSafetensors,
  MAX_CNN_SIZES,
} from "../lib/cnn/model_file.ts";
import { CONV_PARAMETER_NAMES, convForward, imageBatch, initConvNet } from "../lib/cnn/network.ts";
import { denseInputs } from "../lib/data/dataset.ts";
import { DataError } from "../lib/errors.ts";
import { MAX_MODEL_BYTES, networkToSafetensors } from "../lib/io/model_file.ts";
import {
  classProbabilities,
  describeAnyModel,
  modelFromSafetensors,
  modelToSafetensors,
} from "../lib/io/model_kinds.ts";
import { forwardPropagation, initNetwork, PARAMETER_NAMES } from "../lib/network.ts";
import { decodeSafetensors, encodeSafetensors } from "../lib/io/safetensors.ts";
import { loadAnyModel, saveAnyModel } from "../lib/io/model_io.ts";
import { granted } from "./assert.ts";
import { syntheticDigits } from "./synthetic.ts";

const SETTINGS = { epochs: 3, learningRate: 0.05, optimizer: "momentum" };

Deno.test("a CNN round-trips through safetensors bit for bit, with its architecture", () => {
  const cnn = initConvNet({ channels1: 4, channels2: 6, hidden: 12, seed: 3 });
  cnn.b1.data[2] = -0.25; // non-zero biases travel too
  cnn.b4.data[9] = 0.125;
  const bytes = convNetToSafetensors(cnn, SETTINGS);
  const { cnn: loaded, metadata } = convNetFromSafetensors(bytes, "cnn.safetensors");
  for (const name of CONV_PARAMETER_NAMES) {
    assert.deepEqual(loaded[name].shape, cnn[name].shape, name);
    assert.deepEqual(loaded[name].data, cnn[name].data, name);
  }
  assert.equal(metadata.kind, "cnn");
  assert.equal(metadata.architecture, "conv5x5x4-pool2-conv5x5x6-pool2-150-12-10");
  assert.equal(metadata.epochs, "3");
  assert.deepEqual(convNetToSafetensors(loaded, SETTINGS), bytes); // the same file again
});

Deno.test("tensors are stored in PyTorch's shapes: dense biases are vectors", () => {
  const bytes = convNetToSafetensors(initConvNet({ seed: 1 }), {});
  const { tensors } = decodeSafetensors(bytes, "cnn.safetensors");
  assert.deepEqual(tensors.K2.shape, [16, 8, 5, 5]);
  assert.deepEqual(tensors.b3.shape, [128]);
  assert.deepEqual(tensors.W4.shape, [10, 128]);
});

Deno.test("Float64 CNNs are saved as Float32; settings must not contradict the network", () => {
  const cnn = initConvNet({ channels1: 2, channels2: 2, hidden: 3, seed: 2, precision: "f64" });
  const { cnn: loaded } = convNetFromSafetensors(convNetToSafetensors(cnn, {}), "f.safetensors");
  assert.deepEqual(loaded.K1.data, Float32Array.from(cnn.K1.data));
  assert.throws(() => convNetToSafetensors(cnn, { kind: "mlp" }), /kind=mlp contradicts/);
  cnn.W3.data[4] = 1e39; // finite in Float64, Infinity in Float32
  assert.throws(() => convNetToSafetensors(cnn, {}), /W3 element 4 is Infinity/);
});

/** The bytes of a CNN file whose tensors and metadata went through `change` first. */
function edited(
  change: (
    tensors: Record<string, { shape: number[]; data: Float32Array }>,
    metadata: Record<string, string>,
  ) => void,
): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(
    convNetToSafetensors(initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 1 }), {}),
    "x",
  );
  change(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

Deno.test("a broken CNN file is refused in one line naming the file and what was expected", () => {
  const cases: [Uint8Array, RegExp][] = [
    [edited((t) => delete t.K2), /tensor 'K2' is missing: a CNN needs K1, b1, K2/],
    [
      edited((t) => t.K1 = { shape: [2, 1, 3, 3], data: new Float32Array(18) }),
      /tensor K1 has shape \[2,1,3,3\], expected \[2,1,5,5\]/,
    ],
    [
      edited((t) => t.W3 = { shape: [4, 74], data: new Float32Array(296) }),
      /tensor W3 has shape \[4,74\], expected \[4,75\]/,
    ],
    [edited((_, m) => m.architecture = "conv5x5x9-pool2"), /metadata says architecture conv5x5x9/],
    [edited((_, m) => m.format = "other/2"), /model format "other\/2" is not supported/],
    [edited((t) => t.b2.data[1] = NaN), /b2 element 1 is NaN/],
    [
      edited((t) => {
        t.K1 = { shape: [65, 1, 5, 5], data: new Float32Array(65 * 25) };
      }),
      /channels1 is 65 \(from the tensor shapes\), expected 1 to 64/,
    ],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => convNetFromSafetensors(bytes, "models/cnn.safetensors"), (error) => {
      assert.ok(error instanceof DataError, String(error));
      assert.match(error.message, /^models\/cnn\.safetensors: /);
      assert.match(error.message, message);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("the largest CNN the loader accepts is within lib/io/model_io.ts's file-size limit", () => {
  const { channels1: c1, channels2: c2, hidden: h } = MAX_CNN_SIZES;
  const floats = c1 * 25 + c1 + c2 * c1 * 25 + c2 + h * c2 * 25 + h + 10 * h + 10;
  assert.ok(8 + 1_000_000 + 4 * floats < MAX_MODEL_BYTES, `${4 * floats} bytes of tensors`);
});

Deno.test("modelFromSafetensors loads either kind by the metadata's kind", () => {
  const mlp = initNetwork({ hidden: 5, seed: 1 });
  const mlpBytes = networkToSafetensors(mlp, { epochs: 1 });
  const loadedMlp = modelFromSafetensors(mlpBytes, "mlp.safetensors");
  assert.equal(loadedMlp.model.kind, "mlp");
  assert.equal(loadedMlp.metadata.architecture, "784-5-10");
  if (loadedMlp.model.kind === "mlp") {
    for (const name of PARAMETER_NAMES) {
      assert.deepEqual(loadedMlp.model.network[name].data, mlp[name].data);
    }
  }
  // The MLP's file is unchanged by the dispatcher: no kind added, the same bytes.
  assert.deepEqual(modelToSafetensors({ kind: "mlp", network: mlp }, { epochs: 1 }), mlpBytes);

  const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 5 });
  const cnnBytes = modelToSafetensors({ kind: "cnn", network: cnn }, {});
  const loadedCnn = modelFromSafetensors(cnnBytes, "cnn.safetensors");
  assert.equal(loadedCnn.model.kind, "cnn");
  if (loadedCnn.model.kind === "cnn") {
    assert.deepEqual(loadedCnn.model.network.K2.data, cnn.K2.data);
  }

  const strange = edited((_, m) => m.kind = "transformer");
  assert.throws(
    () => modelFromSafetensors(strange, "t.safetensors"),
    /^DataError: t\.safetensors: model kind "transformer" is unknown, expected "mlp" \(or none\) or "cnn"$/,
  );
  // A CNN file given to the MLP's own loader is still refused by its checks.
  assert.throws(
    () => modelFromSafetensors(edited((_, m) => m.kind = "mlp"), "x"),
    /'W1' is missing/,
  );
});

const PYTHON_READER = `
import json, sys
import numpy as np
raw = sys.stdin.buffer.read()
n = int.from_bytes(raw[:8], "little")
header = json.loads(raw[8:8 + n])
metadata = header.pop("__metadata__")
tensors = {}
for name, entry in header.items():
    begin, end = entry["data_offsets"]
    array = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])
    tensors[name] = {"shape": list(array.shape), "values": array.ravel().tolist()}
print(json.dumps({"metadata": metadata, "tensors": tensors}))
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
  name: "NumPy reads a CNN file with json and numpy.frombuffer",
  ignore: !hasNumpy(),
  async fn() {
    const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 8 });
    const child = new Deno.Command("python3", {
      args: ["-c", PYTHON_READER],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(convNetToSafetensors(cnn, { epochs: 2 }));
    await writer.close();
    const output = await child.output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    const read = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.equal(read.metadata.kind, "cnn");
    assert.equal(read.metadata.architecture, convNetArchitecture(cnn));
    for (const name of CONV_PARAMETER_NAMES) {
      const shape = name === "b3" || name === "b4" ? [cnn[name].data.length] : cnn[name].shape;
      assert.deepEqual(read.tensors[name].shape, shape, name);
      assert.deepEqual(read.tensors[name].values, Array.from(cnn[name].data), name);
    }
  },
});

Deno.test({
  name: "saveAnyModel and loadAnyModel write and read a CNN file on disk",
  ignore: !granted({ name: "read" }) || !granted({ name: "write" }),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/cnn.safetensors`;
      const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 9 });
      await saveAnyModel(path, { kind: "cnn", network: cnn }, { epochs: 4 });
      const { model, metadata } = await loadAnyModel(path);
      assert.equal(model.kind, "cnn");
      assert.equal(metadata.epochs, "4");
      if (model.kind === "cnn") assert.deepEqual(model.network.W3.data, cnn.W3.data);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("describeAnyModel and classProbabilities serve either kind", () => {
  const cnn = initConvNet({ channels1: 2, channels2: 3, hidden: 4, seed: 5 });
  const cnnModel = { kind: "cnn", network: cnn } as const;
  assert.equal(
    describeAnyModel(cnnModel, { epochs: "3", testAccuracy: "0.9921" }),
    "conv5x5x2-pool2-conv5x5x3-pool2-75-4-10 CNN, 3 epochs, 99.21 % on the MNIST test set",
  );
  const mlp = initNetwork({ hidden: 6, seed: 2 });
  assert.equal(
    describeAnyModel({ kind: "mlp", network: mlp }, { epochs: "2" }),
    "784-6-10 relu network, 2 epochs",
  );
  const digits = syntheticDigits(3, 1);
  assert.deepEqual(
    classProbabilities(cnnModel, digits, [2, 0]).data,
    convForward(cnn, imageBatch(digits, [2, 0])).probabilities.data,
  );
  assert.deepEqual(
    classProbabilities({ kind: "mlp", network: mlp }, digits, [1]).data,
    forwardPropagation(mlp, denseInputs(digits, [1])).A2.data,
  );
});
