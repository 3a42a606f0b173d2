import assert from "node:assert/strict";
import { matmul, matmulTransposeB, Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { matmulSparseTransposed, SparseColumns, sparseMatmul } from "../lib/sparse.ts";
import { assertAllClose } from "./assert.ts";

/** A matrix where about `zeroFraction` of the entries are 0, like MNIST's background. */
function mostlyZeros(rows: number, cols: number, zeroFraction: number, random: Random): Matrix {
  const A = new Matrix(rows, cols);
  for (let i = 0; i < A.data.length; i++) {
    if (random.uniform() >= zeroFraction) A.data[i] = random.uniform();
  }
  return A;
}

Deno.test("fromPixels stores only the ink, scaled to [0, 1], one image per column", () => {
  // Two 2×2 "images": [0, 255, 0, 51] and [102, 0, 0, 0].
  const images = new Uint8Array([0, 255, 0, 51, 102, 0, 0, 0]);
  const X = SparseColumns.fromPixels(images, [1, 0], 4);
  assert.equal(X.nonZeros, 3);
  assertAllClose(X.toDense().toArray(), [[0.4, 0], [0, 1], [0, 0], [0, 0.2]]);
});

Deno.test("sparse products agree with the dense reference, zeros and odd sizes included", () => {
  const random = new Random(11);
  for (const [h, n, m, zeros] of [[1, 1, 1, 0], [5, 7, 3, 0.8], [16, 784, 9, 0.81], [3, 4, 5, 1]]) {
    const X = mostlyZeros(n, m, zeros, random);
    const W = mostlyZeros(h, n, 0, random);
    const sparseX = SparseColumns.fromDense(X);
    assertAllClose(sparseMatmul(W, sparseX).data, matmul(W, X).data, { absolute: 1e-4 });
    const D = mostlyZeros(h, m, 0.5, random);
    assertAllClose(matmulSparseTransposed(D, sparseX).data, matmulTransposeB(D, X).data, {
      absolute: 1e-5,
    });
  }
});

Deno.test("sparse products check shapes", () => {
  const X = SparseColumns.fromDense(new Matrix(3, 2));
  assert.throws(() => sparseMatmul(new Matrix(2, 4), X), /shapes \(2, 4\) and \(3, 2\)/);
  assert.throws(() => matmulSparseTransposed(new Matrix(2, 3), X), /shapes \(2, 3\) and \(3, 2\)/);
});
