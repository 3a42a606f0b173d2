/**
 * Notebook 9's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look.
 */

import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { SparseColumns } from "../lib/sparse.ts";
import { checkLoopOrder, checkSparseFlops } from "../notebooks/checks/09_making_it_fast.ts";

// 4 images of 6 pixels, 1 + 0 + 3 + 2 = 6 of them non-zero.
const X = SparseColumns.fromDense(Matrix.from([
  [1, 0, 0, 0],
  [0, 0, 2, 0],
  [0, 0, 3, 4],
  [0, 0, 5, 0],
  [0, 0, 0, 6],
  [0, 0, 0, 0],
]));

Deno.test("checkSparseFlops accepts 2 · units · non-zeros, rejects the dense count and half", () => {
  assert.equal(checkSparseFlops(undefined, X, 3), "not answered yet");
  assert.equal(checkSparseFlops(2 * 3 * 6, X, 3), "correct.");
  assert.throws(() => checkSparseFlops(2 * 3 * 6 * 4, X, 3), /dense product's count/);
  assert.throws(() => checkSparseFlops(3 * 6, X, 3), /count 2 operations/);
  assert.throws(() => checkSparseFlops(6, X, 3), /each of the 3 units/);
});

Deno.test("checkLoopOrder accepts a k, i, j product and rejects a transposed or short one", () => {
  const kij = (A: Matrix, B: Matrix) => {
    const C = Matrix.zeros(A.rows, B.cols);
    for (let k = 0; k < A.cols; k++) {
      for (let i = 0; i < A.rows; i++) {
        for (let j = 0; j < B.cols; j++) C.data[i * B.cols + j] += A.get(i, k) * B.get(k, j);
      }
    }
    return C;
  };
  assert.equal(checkLoopOrder(() => new Matrix(0, 0)), "not answered yet");
  assert.equal(checkLoopOrder(kij), "correct.");
  assert.throws(
    () => checkLoopOrder((A, B) => Matrix.zeros(B.cols, A.rows)),
    /the product is 3 × 4/,
  );
  const lastTermMissing = (A: Matrix, B: Matrix) => {
    const C = Matrix.zeros(A.rows, B.cols);
    for (let k = 0; k < A.cols - 1; k++) {
      for (let i = 0; i < A.rows; i++) {
        for (let j = 0; j < B.cols; j++) C.data[i * B.cols + j] += A.get(i, k) * B.get(k, j);
      }
    }
    return C;
  };
  assert.throws(() => checkLoopOrder(lastTermMissing), /but matmul gives/);
});
