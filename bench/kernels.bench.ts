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
import { ACTIVATION_CODES } from "../lib/kernels/abi.ts";
import { createFastTrainer } from "../lib/kernels/fast_trainer.ts";
import { writeParameters } from "../lib/kernels/parameters.ts";
import {
  compressArguments,
  loadBatch,
  loadImages,
  transposeArguments,
} from "../lib/kernels/batch.ts";
import { createWorkspace, type KernelKind, type Workspace } from "../lib/kernels/workspace.ts";
import { matmulTransposeB, Matrix } from "../lib/matrix.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { referenceTrainer } from "../lib/train.ts";
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
  workspace.kernels.compressImages(0, m, ...compressArguments(workspace));
  workspace.kernels.transposeSparse(0, m, ...transposeArguments(workspace, 0));
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
    const { workspace: { kernels, layout: L } } = prepared(kind, m);
    Deno.bench(`${kind} sparseTimesDense Xᵀ·W1ᵀ, ${m} images [${mflop} MFLOP]`, { group }, () => {
      kernels.sparseTimesDense(0, m, L.starts, L.indices, L.values, L.W1T, h, L.b1, L.A1T, 1, 0);
    });
    Deno.bench(`${kind} sparseTimesDense X·dZ1ᵀ, ${m} images [${mflop} MFLOP]`, {
      group: `dW1, ${m} images`,
    }, () => {
      kernels.sparseTimesDense(
        0,
        PIXELS,
        L.startsT,
        L.indicesT,
        L.valuesT,
        L.dZ1T,
        h,
        0,
        L.dW1T,
        0,
        0,
      );
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
    const { workspace: { kernels, layout: L } } = prepared(kind, m);
    Deno.bench(`${kind} transposedProduct, 10×128·128×128 [${mflop} MFLOP]`, { group }, () => {
      kernels.transposedProduct(0, classes, m, L.dZ2T, classes, L.A1T, h, L.dW2);
    });
    Deno.bench(
      `${kind} outputLayer + hiddenGradient, 128 images [${(4 * Number(mflop)).toFixed(2)} MFLOP]`,
      {
        group: "output layer",
      },
      () => {
        kernels.outputLayer(
          0,
          m,
          h,
          classes,
          L.A1T,
          L.W2,
          L.b2,
          L.A2T,
          L.labels,
          L.loss,
          L.predicted,
        );
        kernels.hiddenGradient(
          0,
          m,
          h,
          classes,
          L.A1T,
          L.W2,
          L.A2T,
          L.labels,
          1 / m,
          ACTIVATION_CODES.relu,
          L.dZ2T,
          L.dZ1T,
        );
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
        ["wasm", 1, false],
        ["wasm", 2, false],
        ["wasm", 2, true],
        ["typescript", 1, false],
        ["typescript", 2, false],
      ] as const).map(async ([kind, threads, pipeline]) =>
        [
          `${kind} ${threads} thread${threads > 1 ? "s" : ""}` +
          (threads > 1 ? (pipeline ? ", one preparing the next batch" : ", products split") : ""),
          await createFastTrainer(initNetwork({ seed: 1 }), mnist, {
            kind,
            threads,
            batchSize: m,
            pipeline,
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
