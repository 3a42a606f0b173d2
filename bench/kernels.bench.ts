/**
 * `deno bench bench/`: each kernel against its readable reference on real MNIST batches, and a
 * whole training step (forward + backward + momentum) per kernel set and thread count. The name
 * of each benchmark ends with its floating-point operations, "[N MFLOP]", from which
 * bench/kernels_table.ts computes GFLOP/s.
 *
 * @module
 */

import { PIXELS } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { referenceTrainer } from "../lib/batch_trainer.ts";
import {
  createFastTrainer,
  createWorkspace,
  kernelCalls,
  type KernelKind,
  loadBatch,
  loadImages,
  runCall,
  type Workspace,
  writeParameters,
} from "../lib/kernels/mod.ts";
import { matmulTransposeB, Matrix } from "../lib/matrix.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { matmulSparseTransposed, SparseColumns, sparseMatmul } from "../lib/sparse.ts";

const mnist = await loadMnist("train");
const network = initNetwork({ seed: 1 });
const h = 128, classes = 10;
const order = new Random(1).shuffle(Int32Array.from({ length: mnist.count }, (_, i) => i));

/** A workspace holding the first `m` images of the shuffled order, compressed and transposed. */
function prepared(kind: KernelKind, m: number): { workspace: Workspace; entries: number } {
  const workspace = createWorkspace({
    inputs: PIXELS,
    hidden: h,
    classes,
    images: mnist.count,
    batch: m,
    entries: m * PIXELS,
    training: true,
  }, kind);
  writeParameters(workspace, network);
  loadImages(workspace, mnist.images);
  const entries = loadBatch(workspace, mnist.labels, order.subarray(0, m));
  runCall(workspace.kernels, kernelCalls.compressImages(workspace), 0, m);
  runCall(workspace.kernels, kernelCalls.transposeSparse(workspace, 0), 0, m);
  return { workspace, entries };
}

for (const m of [128, 512]) {
  const X = SparseColumns.fromPixels(mnist.images, order.subarray(0, m), PIXELS);
  const mflop = (2 * X.nonZeros * h / 1e6).toFixed(2);
  const dZ1 = new Matrix(h, m, Float32Array.from({ length: h * m }, (_, i) => (i % 7) - 3));
  const group = `W1·X, ${m} images`;
  Deno.bench(
    `reference sparseMatmul, ${m} images [${mflop} MFLOP]`,
    { group, baseline: true },
    () => {
      sparseMatmul(network.W1, X);
    },
  );
  Deno.bench(`reference matmulSparseTransposed dZ1·Xᵀ, ${m} images [${mflop} MFLOP]`, {
    group: `dW1, ${m} images`,
    baseline: true,
  }, () => {
    matmulSparseTransposed(dZ1, X);
  });
  for (const kind of ["wasm", "typescript"] as const) {
    const { workspace } = prepared(kind, m);
    const { kernels } = workspace;
    const forward = kernelCalls.hiddenLayer(workspace, "relu");
    Deno.bench(`${kind} sparseTimesDense Xᵀ·W1ᵀ, ${m} images [${mflop} MFLOP]`, { group }, () => {
      runCall(kernels, forward, 0, m);
    });
    const backward = kernelCalls.weightGradientW1(workspace, 0);
    Deno.bench(`${kind} sparseTimesDense X·dZ1ᵀ, ${m} images [${mflop} MFLOP]`, {
      group: `dW1, ${m} images`,
    }, () => {
      runCall(kernels, backward, 0, PIXELS);
    });
  }
}

{
  const m = 128, mflop = (2 * classes * h * m / 1e6).toFixed(2), group = "dW2 = dZ2·A1ᵀ";
  const dZ2 = new Matrix(classes, m, Float32Array.from({ length: classes * m }, (_, i) => i % 3));
  const A1 = new Matrix(h, m, Float32Array.from({ length: h * m }, (_, i) => i % 5));
  Deno.bench(`reference matmulTransposeB, 10×128·128×128 [${mflop} MFLOP]`, {
    group,
    baseline: true,
  }, () => {
    matmulTransposeB(dZ2, A1);
  });
  for (const kind of ["wasm", "typescript"] as const) {
    const { workspace } = prepared(kind, m);
    const { kernels } = workspace;
    const dW2 = kernelCalls.weightGradientW2(workspace, m);
    Deno.bench(`${kind} transposedProduct, 10×128·128×128 [${mflop} MFLOP]`, { group }, () => {
      runCall(kernels, dW2, 0, classes);
    });
    const output = kernelCalls.outputLayer(workspace, true);
    const dZ = kernelCalls.hiddenGradient(workspace, m, "relu");
    Deno.bench(
      `${kind} outputLayer + hiddenGradient, 128 images [${(4 * Number(mflop)).toFixed(2)} MFLOP]`,
      {
        group: "output layer",
      },
      () => {
        runCall(kernels, output, 0, m);
        runCall(kernels, dZ, 0, m);
      },
    );
  }
}

// A whole step: forward, loss, backward, momentum update, as train() runs it.
{
  const m = 128, group = "training step, batch 128";
  const X = SparseColumns.fromPixels(mnist.images, order.subarray(0, m), PIXELS);
  const mflop = ((4 * X.nonZeros * h + 6 * classes * h * m) / 1e6).toFixed(2);
  const trainers = [
    ["reference", referenceTrainer(initNetwork({ seed: 1 }), mnist)],
    ...await Promise.all(
      ([
        ["wasm", 1, "split"],
        ["wasm", 2, "split"],
        ["wasm", 2, "next-batch"],
        ["typescript", 1, "split"],
        ["typescript", 2, "split"],
      ] as const).map(async ([kind, threads, secondThread]) =>
        [
          `${kind} ${threads} thread${threads > 1 ? "s" : ""}` +
          (threads > 1
            ? (secondThread === "next-batch"
              ? ", one preparing the next batch"
              : ", products split")
            : ""),
          await createFastTrainer(initNetwork({ seed: 1 }), mnist, {
            kind,
            threads,
            batchSize: m,
            secondThread,
          }),
        ] as const
      ),
    ),
  ] as const;
  let batch = 0;
  const batchAt = (b: number) => {
    const start = (b * m) % (mnist.count - m);
    return order.subarray(start, start + m);
  };
  for (const [name, trainer] of trainers) {
    const optimizer = createOptimizer("momentum", { learningRate: 0.01 });
    Deno.bench(`${name} step [${mflop} MFLOP]`, { group, baseline: name === "reference" }, () => {
      // The next batch is announced, as train() does.
      trainer.forward(batchAt(batch), batchAt(batch + 1));
      batch++;
      trainer.update(optimizer);
    });
  }
  globalThis.addEventListener("unload", () => trainers.forEach(([, trainer]) => trainer.close()));
}
