/**
 * `deno task bench` (third part): trains the CNN of `deno task train --arch cnn` from the same
 * initial weights, on the same data in the same order, with the same optimizer (momentum, the
 * recipe's learning rate on a cosine schedule, batches of 64; the recipe's shift augmentation
 * left out, so that both see the same images), with this project's kernels
 * (bench/run_ours_cnn.ts) and with PyTorch on the CPU (bench/torch_cnn.py, 2 and 1 threads),
 * each in its own process, one after another, and prints a markdown table: seconds per epoch
 * and their ratio to PyTorch with 2 threads, test accuracy after each epoch, the time to
 * predict the 10,000 test images, peak memory.
 *
 *   deno run -A bench/cnn_compare.ts [--epochs N]
 *
 * @module
 */

import { CNN_RECIPE } from "../cli/train_settings.ts";
import { CONV_PARAMETER_NAMES, initConvNet } from "../lib/cnn/network.ts";
import { Random } from "../lib/random.ts";
import { benchData } from "./bench_data.ts";

const epochsFlag = Deno.args.indexOf("--epochs");
const EPOCHS = epochsFlag >= 0 ? Number(Deno.args[epochsFlag + 1]) : 2;

type Lines = Record<string, number>[] | undefined;

/** A contender's JSON lines, parsed; undefined (with a message) when it could not run. */
async function run(command: string, args: string[]): Promise<Lines> {
  try {
    const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
      .output();
    if (!output.success) {
      console.error(
        `${command} ${args.join(" ")} failed:\n${new TextDecoder().decode(output.stderr)}`,
      );
      return undefined;
    }
    return new TextDecoder().decode(output.stdout).trim().split("\n")
      .filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Writes the initial weights, the epochs' data orders and the images for torch_cnn.py. */
async function exportForTorch(directory: string, epochs: number) {
  const { trainSet, test } = await benchData("sgd");
  const cnn = initConvNet({ seed: 1 });
  const write = (name: string, data: ArrayBufferView) =>
    Deno.writeFile(
      `${directory}/${name}`,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  for (const name of CONV_PARAMETER_NAMES) await write(`${name}.f32`, cnn[name].data);
  // The orders lib/train.ts draws: one Random(seed), the same array shuffled again each epoch.
  const random = new Random(1), order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const orders = new Int32Array(epochs * trainSet.count);
  for (let e = 0; e < epochs; e++) orders.set(random.shuffle(order), e * trainSet.count);
  await write("orders.i32", orders);
  for (const [name, set] of [["train", trainSet], ["test", test]] as const) {
    await write(`${name}_images.u8`, set.images);
    await write(`${name}_labels.u8`, set.labels!);
  }
  await Deno.writeTextFile(
    `${directory}/meta.json`,
    JSON.stringify({
      channels1: cnn.K1.shape[0],
      channels2: cnn.K2.shape[0],
      hidden: cnn.W3.rows,
      epochs,
      batch: CNN_RECIPE.batchSize,
      lr: CNN_RECIPE.learningRate,
      momentum: 0.9,
      train_count: trainSet.count,
      test_count: test.count,
    }),
  );
}

const ours = (kernels: string, threads: number) =>
  run(Deno.execPath(), [
    "run",
    "-A",
    `--lock=${new URL("./deno.lock", import.meta.url).pathname}`,
    "--v8-flags=--no-maglev",
    new URL("./run_ours_cnn.ts", import.meta.url).pathname,
    kernels,
    String(threads),
    String(EPOCHS),
  ]);
const torch = (directory: string, threads: number) =>
  run("/usr/bin/python3", [
    new URL("./torch_cnn.py", import.meta.url).pathname,
    directory,
    String(threads),
  ]);

const hasTorch = (await run("/usr/bin/python3", ["-c", "import torch; print('{}')"])) !== undefined;
if (!hasTorch) console.log("python3 with torch not found: the PyTorch rows are skipped");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const percent = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const directory = await Deno.makeTempDir({ prefix: "mnist-cnn-bench-" });
try {
  if (hasTorch) await exportForTorch(directory, EPOCHS);
  const contenders: [string, () => Promise<Lines>][] = [
    ["this project, WebAssembly SIMD, 2 threads (default)", () => ours("wasm", 2)],
    ["this project, WebAssembly SIMD, 1 thread", () => ours("wasm", 1)],
    ...(hasTorch
      ? [
        ["PyTorch 1.13 (CPU), 2 threads", () => torch(directory, 2)],
        ["PyTorch 1.13 (CPU), 1 thread", () => torch(directory, 1)],
      ] as [string, () => Promise<Lines>][]
      : []),
  ];
  // One after another, never at once: they would share the 2 cores.
  const results: [string, Lines][] = [];
  for (const [name, start] of contenders) {
    console.error(`running ${name} ...`);
    results.push([name, await start()]);
  }
  const epochSeconds = (lines: Lines) =>
    median(lines!.filter((line) => "epoch" in line).map((line) => line.seconds));
  const baseline = results.find(([name, lines]) => name.startsWith("PyTorch") && lines);
  console.log(
    `\nTraining the CNN conv5x5x8-pool2-conv5x5x16-pool2-400-128-10, batch ` +
      `${CNN_RECIPE.batchSize}, momentum 0.9, lr ${CNN_RECIPE.learningRate} cosine, ${EPOCHS} ` +
      "epochs of 55,000 MNIST images, same initial weights and order (median seconds per epoch):\n",
  );
  console.log(
    "| contender | s / epoch | ÷ PyTorch 2 threads | test accuracy after each epoch | " +
      "predict 10,000 | peak RSS |",
  );
  console.log("| --- | ---: | ---: | --- | ---: | ---: |");
  for (const [name, lines] of results) {
    if (!lines) {
      console.log(`| ${name} | failed | | | | |`);
      continue;
    }
    const seconds = epochSeconds(lines);
    const ratio = baseline ? (seconds / epochSeconds(baseline[1])).toFixed(2) : "–";
    const accuracies = lines.filter((line) => "epoch" in line).map((line) =>
      percent(line.test_accuracy)
    );
    const last = lines[lines.length - 1];
    console.log(
      `| ${name} | ${seconds.toFixed(2)} | ${ratio} | ${accuracies.join(", ")} | ` +
        `${last.predict_ms.toFixed(0)} ms | ${last.peak_rss_mb.toFixed(0)} MB |`,
    );
  }
} finally {
  await Deno.remove(directory, { recursive: true });
}
