/**
 * `deno task bench` (second half): trains the same 784-128-10 network, from the same initial
 * weights, on the same data in the same order, with this project's kernels and with NumPy
 * (bench/numpy_mlp.py, 2 and 1 BLAS threads), with PyTorch (bench/torch_mlp.py, 2 and 1
 * threads) and with TensorFlow.js's WebAssembly backend (bench/tfjs_mlp.ts), each in its own
 * process, and prints markdown
 * tables: seconds per epoch and their ratio to NumPy with 2 threads, test accuracy after each
 * epoch, the time to predict the 10,000 test images, peak memory; then the original full-batch
 * recipe's time to 83 % validation accuracy.
 *
 *   deno run -A bench/compare.ts [--epochs N] [--skip-reference]
 *
 * @module
 */

import { initNetwork } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { benchData } from "./bench_data.ts";

const epochsFlag = Deno.args.indexOf("--epochs");
const EPOCHS = epochsFlag >= 0 ? Number(Deno.args[epochsFlag + 1]) : 3;
const TARGET = 0.83;

type Lines = Record<string, number>[] | undefined;

/** A contender's JSON lines, parsed; undefined (with a message) when it could not run. */
async function run(command: string, args: string[], env: Record<string, string> = {}) {
  try {
    const output = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(output.stdout);
    if (!output.success) {
      console.error(
        `${command} ${args.join(" ")} failed:\n${new TextDecoder().decode(output.stderr)}`,
      );
      return undefined;
    }
    return text.trim().split("\n").filter((line) => line.startsWith("{")).map((line) =>
      JSON.parse(line)
    );
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Writes the initial weights, the epochs' data orders and the images for numpy_mlp.py. */
async function exportForNumpy(directory: string, mode: "sgd" | "full-batch", epochs: number) {
  const { trainSet, validation, test } = await benchData(mode);
  const network = initNetwork({ seed: 1 });
  const write = (name: string, data: ArrayBufferView) =>
    Deno.writeFile(
      `${directory}/${name}`,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    await write(`${name}.f32`, network[name].data);
  }
  // The orders lib/train.ts draws: one Random(seed), the same array shuffled again each epoch.
  const random = new Random(1), order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const orders = new Int32Array(epochs * trainSet.count);
  for (let e = 0; e < epochs; e++) orders.set(random.shuffle(order), e * trainSet.count);
  await write("orders.i32", orders);
  for (const [name, set] of [["train", trainSet], ["valid", validation], ["test", test]] as const) {
    await write(`${name}_images.u8`, set.images);
    await write(`${name}_labels.u8`, set.labels!);
  }
  await Deno.writeTextFile(
    `${directory}/meta.json`,
    JSON.stringify({
      mode,
      hidden: 128,
      epochs,
      batch: 128,
      lr: 0.1,
      momentum: 0.9,
      target: TARGET,
      train_count: trainSet.count,
      valid_count: validation.count,
      test_count: test.count,
    }),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const deno = (script: string, ...args: string[]) =>
  run(Deno.execPath(), [
    "run",
    "-A",
    `--lock=${new URL("./deno.lock", import.meta.url).pathname}`,
    "--v8-flags=--no-maglev",
    new URL(`./${script}`, import.meta.url).pathname,
    ...args,
  ]);
const ours = (mode: string, kernels: string, threads: number, ...rest: string[]) =>
  deno("run_ours.ts", mode, kernels, String(threads), ...rest);
const numpy = (directory: string, threads: number) =>
  run("python3", [new URL("./numpy_mlp.py", import.meta.url).pathname, directory], {
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  });

const hasNumpy = (await run("python3", ["-c", "import numpy; print('{}')"])) !== undefined;
if (!hasNumpy) console.log("python3 with numpy not found: the NumPy rows are skipped");
/** A Python with PyTorch (and NumPy): the one on PATH, else Debian's (python3-torch). */
async function findTorchPython(): Promise<string | undefined> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const found = await new Deno.Command(python, {
      args: ["-c", "import torch, numpy"],
      stdout: "null",
      stderr: "null",
    }).output().catch(() => undefined);
    if (found?.success) return python;
  }
  console.log("no python3 with torch found: the PyTorch rows are skipped");
}
const torchPython = await findTorchPython();
const torch = (directory: string, threads: number) =>
  run(
    torchPython!,
    [new URL("./torch_mlp.py", import.meta.url).pathname, directory, `${threads}`],
    {
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
    },
  );
const torchContenders = (directory: string) =>
  (torchPython
    ? [
      ["PyTorch 1.13 + OpenBLAS, 2 threads", () => torch(directory, 2)],
      ["PyTorch 1.13 + OpenBLAS, 1 thread", () => torch(directory, 1)],
    ]
    : []) as [string, () => Promise<Lines>][];

/** Runs contenders one after another (never at once: they would share the 2 cores). */
async function runAll(contenders: [string, () => Promise<Lines>][]) {
  const results: [string, Lines][] = [];
  for (const [name, start] of contenders) {
    console.error(`running ${name} ...`);
    results.push([name, await start()]);
  }
  return results;
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const directory = await Deno.makeTempDir({ prefix: "mnist-bench-" });
try {
  if (hasNumpy || torchPython) await exportForNumpy(directory, "sgd", EPOCHS);
  const sgd = await runAll([
    [
      "this project, WebAssembly SIMD, 2 threads (default)",
      () => ours("sgd", "wasm", 2, `${EPOCHS}`),
    ],
    [
      "this project, WebAssembly SIMD, 1 thread",
      () => ours("sgd", "wasm", 1, `${EPOCHS}`),
    ],
    [
      "this project, TypeScript fallback, 2 threads (its default)",
      () => ours("sgd", "typescript", 2, `${EPOCHS}`),
    ],
    [
      "this project, TypeScript fallback, 1 thread",
      () => ours("sgd", "typescript", 1, `${EPOCHS}`),
    ],
    ...(Deno.args.includes("--skip-reference") ? [] : [
      [
        "this project, readable reference path (lib/)",
        () => ours("sgd", "reference", 1, `${EPOCHS}`),
      ],
    ] as [string, () => Promise<Lines>][]),
    ...(hasNumpy
      ? [
        ["NumPy + OpenBLAS, 2 threads", () => numpy(directory, 2)],
        ["NumPy + OpenBLAS, 1 thread", () => numpy(directory, 1)],
      ] as [string, () => Promise<Lines>][]
      : []),
    ...torchContenders(directory),
    ["TensorFlow.js 4.22, WebAssembly backend", () => deno("tfjs_mlp.ts", `${EPOCHS}`)],
  ]);
  const epochSeconds = (lines: Lines) =>
    median(lines!.filter((line) => "epoch" in line).map((line) => line.seconds));
  const baseline = sgd.find(([name, lines]) => name.startsWith("NumPy") && lines);
  const torchSeconds = sgd.filter(([name, lines]) => name.startsWith("PyTorch") && lines)
    .map(([, lines]) => epochSeconds(lines));
  console.log(
    `\nTraining 784-128-10, batch 128, momentum 0.9, lr 0.1 cosine, ${EPOCHS} epochs of 55,000 ` +
      `MNIST images, same initial weights and order (median seconds per epoch):\n`,
  );
  console.log(
    "| contender | s / epoch | ÷ NumPy 2 threads | ÷ fastest PyTorch | " +
      "test accuracy after each epoch | predict 10,000 | peak RSS |",
  );
  console.log("| --- | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const [name, lines] of sgd) {
    if (!lines) {
      console.log(`| ${name} | failed | | | | | |`);
      continue;
    }
    const seconds = epochSeconds(lines);
    const ratio = baseline ? (seconds / epochSeconds(baseline[1])).toFixed(2) : "–";
    const torchRatio = torchSeconds.length ? (seconds / Math.min(...torchSeconds)).toFixed(2) : "–";
    const accuracies = lines.filter((line) => "epoch" in line).map((line) =>
      percent(line.test_accuracy)
    );
    const last = lines[lines.length - 1];
    console.log(
      `| ${name} | ${seconds.toFixed(3)} | ${ratio} | ${torchRatio} | ${accuracies.join(", ")} | ` +
        `${last.predict_ms.toFixed(1)} ms | ${last.peak_rss_mb.toFixed(0)} MB |`,
    );
  }

  if (hasNumpy || torchPython) await exportForNumpy(directory, "full-batch", 100);
  const full = await runAll([
    [
      "this project, WebAssembly SIMD, 2 threads (default)",
      () => ours("full-batch", "wasm", 2, "100", `${TARGET}`),
    ],
    [
      "this project, TypeScript fallback, 2 threads",
      () => ours("full-batch", "typescript", 2, "100", `${TARGET}`),
    ],
    ...(hasNumpy
      ? [
        ["NumPy + OpenBLAS, 2 threads", () => numpy(directory, 2)],
        ["NumPy + OpenBLAS, 1 thread", () => numpy(directory, 1)],
      ] as [string, () => Promise<Lines>][]
      : []),
    ...torchContenders(directory),
  ]);
  const fullBaseline = full.find(([name, lines]) => name.startsWith("NumPy") && lines?.length);
  console.log(
    `\nThe original recipe: full-batch gradient descent, lr 0.1, 37,000 images (42,000 less ` +
      `5,000 validation), same initial weights: wall time until validation ≥ ${percent(TARGET)}, ` +
      `set-up included:\n`,
  );
  console.log("| contender | iterations | seconds | ÷ NumPy 2 threads |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [name, lines] of full) {
    const reached = lines?.[0];
    if (!reached || !("iteration" in reached)) {
      console.log(`| ${name} | not reached | | |`);
      continue;
    }
    const ratio = fullBaseline ? (reached.seconds / fullBaseline[1]![0].seconds).toFixed(2) : "–";
    console.log(`| ${name} | ${reached.iteration} | ${reached.seconds.toFixed(2)} | ${ratio} |`);
  }
} finally {
  await Deno.remove(directory, { recursive: true });
}
