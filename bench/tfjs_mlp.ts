/**
 * The TensorFlow.js contender of bench/compare.ts: the same network, initial weights, data
 * order and update rule, on TensorFlow.js's WebAssembly backend (XNNPACK). Prints JSON lines
 * like bench/numpy_mlp.py.
 *
 *   deno run -A --lock=bench/deno.lock bench/tfjs_mlp.ts EPOCHS
 *
 * TensorFlow.js is pinned here, not in deno.json, with its own lockfile (bench/deno.lock): only
 * the benchmarks need it, and `deno task train` installs what deno.lock lists.
 *
 * @module
 */

// Inline on purpose (see the module comment): not in deno.json, so not in deno.lock.
// deno-lint-ignore no-import-prefix
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
// deno-lint-ignore no-import-prefix
import { setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import { PIXELS } from "../lib/data/dataset.ts";
import { learningRateAt } from "../lib/train.ts";
import { initNetwork } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { benchData, peakRssMb } from "./bench_data.ts";

const epochs = Number(Deno.args[0] ?? 3);
const wasmDirectory =
  new URL("./", import.meta.resolve("npm:@tensorflow/tfjs-backend-wasm@4.22.0")).href;
setWasmPaths(wasmDirectory);
await tf.setBackend("wasm");

const { trainSet, test } = await benchData("sgd");
const network = initNetwork({ seed: 1 });
// One sample per row, as TensorFlow.js lays out a batch: X (m×784)·W1ᵀ (784×128).
const W1T: tf.Variable<tf.Rank.R2> = tf.variable(
  tf.transpose(tf.tensor2d(network.W1.data as Float32Array, [128, PIXELS])),
);
const b1 = tf.variable(tf.tensor1d(network.b1.data as Float32Array));
const W2T: tf.Variable<tf.Rank.R2> = tf.variable(
  tf.transpose(tf.tensor2d(network.W2.data as Float32Array, [10, 128])),
);
const b2 = tf.variable(tf.tensor1d(network.b2.data as Float32Array));
const parameters = [W1T, b1, W2T, b2];
const velocity = parameters.map((p) => tf.variable(tf.zerosLike(p)));

/** Images at `indices` as an m×784 float32 tensor scaled to [0, 1], and one-hot labels. */
function batchTensors(images: Uint8Array, labels: Uint8Array, indices: ArrayLike<number>) {
  const m = indices.length, x = new Float32Array(m * PIXELS);
  const y = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    for (let p = 0; p < PIXELS; p++) x[j * PIXELS + p] = images[indices[j] * PIXELS + p] / 255;
    y[j] = labels[indices[j]];
  }
  return { X: tf.tensor2d(x, [m, PIXELS]), Y: tf.oneHot(tf.tensor1d(y, "int32"), 10) };
}

const logits = (X: tf.Tensor2D) => {
  const A1 = tf.relu(tf.add(tf.matMul(X, W1T as tf.Tensor2D), b1)) as tf.Tensor2D;
  return tf.add(tf.matMul(A1, W2T as tf.Tensor2D), b2) as tf.Tensor2D;
};

function testAccuracy(): number {
  return tf.tidy(() => {
    const all = Int32Array.from({ length: test.count }, (_, i) => i);
    const { X } = batchTensors(test.images, test.labels!, all);
    const predicted = tf.argMax(logits(X), 1).dataSync();
    let correct = 0;
    predicted.forEach((p, i) => correct += p === test.labels![i] ? 1 : 0);
    return correct / test.count;
  });
}

const random = new Random(1);
const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
for (let epoch = 1; epoch <= epochs; epoch++) {
  const lr = learningRateAt(0.1, "cosine", epoch - 1, epochs);
  random.shuffle(order);
  const started = performance.now();
  for (let start = 0; start < order.length; start += 128) {
    tf.tidy(() => {
      const indices = order.subarray(start, start + 128), m = indices.length;
      const { X, Y } = batchTensors(trainSet.images, trainSet.labels!, indices);
      // Backpropagation by hand, as bench/numpy_mlp.py does it (one sample per row here).
      const Z1 = tf.add(tf.matMul(X, W1T), b1) as tf.Tensor2D, A1 = tf.relu(Z1);
      const A2 = tf.softmax(tf.add(tf.matMul(A1, W2T), b2));
      const dZ2 = tf.div(tf.sub(A2, Y), m) as tf.Tensor2D;
      const dZ1 = tf.mul(tf.matMul(dZ2, W2T, false, true), tf.step(Z1)) as tf.Tensor2D;
      const gradients = [
        tf.matMul(X, dZ1, true, false),
        tf.sum(dZ1, 0),
        tf.matMul(A1, dZ2, true, false),
        tf.sum(dZ2, 0),
      ];
      parameters.forEach((p, i) => {
        velocity[i].assign(tf.add(tf.mul(velocity[i], 0.9), gradients[i]));
        p.assign(tf.sub(p, tf.mul(velocity[i], lr)));
      });
    });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ epoch, seconds, test_accuracy: testAccuracy() }));
}
const predict = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  testAccuracy();
  predict.push(performance.now() - started);
}
console.log(JSON.stringify({ predict_ms: Math.min(...predict), peak_rss_mb: peakRssMb() }));
