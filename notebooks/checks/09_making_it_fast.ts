/**
 * The checks of notebook 9 (making it fast): the operations the sparse product really does, and
 * a product written in another loop order.
 *
 * @module
 */

import { Matrix, matmul } from "../../lib/matrix.ts";
import { type SparseColumns } from "../../lib/sparse.ts";
import { CORRECT, NOT_ANSWERED, randomMatrix } from "./protocol.ts";

/**
 * Exercise `sparse-flops`: the floating-point operations of W1·X when only X's non-zero pixels
 * are used, for a layer of `hidden` units: one multiply and one add per unit and stored pixel,
 * counted here column by column from X's column starts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "../../lib/matrix.ts";
 * import { SparseColumns } from "../../lib/sparse.ts";
 *
 * // Two images of 3 pixels, 3 stored pixels in all: 2 operations × 128 units × 3 = 768.
 * const XSparse = SparseColumns.fromDense(Matrix.from([[0, 1], [2, 0], [3, 0]]));
 * assert.equal(checkSparseFlops(undefined, XSparse, 128), "not answered yet");
 * assert.equal(checkSparseFlops(768, XSparse, 128), "correct.");
 * // The dense count, 2 × 128 × 3 × 2 = 1536, is told apart.
 * assert.throws(() => checkSparseFlops(1536, XSparse, 128), /dense product's count/);
 * ```
 */
export function checkSparseFlops(
  sparseFlops: number | undefined,
  X: SparseColumns,
  hidden: number,
): string {
  if (sparseFlops === undefined) return NOT_ANSWERED;
  let expected = 0;
  for (let j = 0; j < X.cols; j++) {
    const stored = X.columnStarts[j + 1] - X.columnStarts[j];
    expected += 2 * hidden * stored; // each stored pixel of image j meets every unit once
  }
  if (sparseFlops !== expected) {
    const dense = 2 * hidden * X.rows * X.cols;
    const hint = sparseFlops === dense
      ? "That is the dense product's count: the sparse one only touches the stored pixels."
      : sparseFlops * 2 === expected
      ? "Each term is a multiply and an add: count 2 operations."
      : "Every stored pixel (XSparse.nonZeros of them) is multiplied by the weight of each of " +
        `the ${hidden} units and added: 2 operations each.`;
    throw new Error(`${sparseFlops} is not it. ${hint}`);
  }
  return CORRECT;
}

/**
 * Exercise `loop-order`: `product(A, B)` must compute A·B with the loops in k, i, j order,
 * compared with lib/matrix.ts's `matmul` (the reference) on Float32 matrices of several shapes,
 * within Float32 rounding: (k + 2)·2⁻²⁴·Σ|a·b| per element, as tests/kernels_sparse_test.ts
 * bounds the kernels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "../../lib/matrix.ts";
 *
 * // C[i, j] += A[i, k]·B[k, j] with k outermost.
 * const kij = (A: Matrix, B: Matrix) => {
 *   const C = new Matrix(A.rows, B.cols);
 *   for (let k = 0; k < A.cols; k++) {
 *     for (let i = 0; i < A.rows; i++) {
 *       for (let j = 0; j < B.cols; j++) C.set(i, j, C.get(i, j) + A.get(i, k) * B.get(k, j));
 *     }
 *   }
 *   return C;
 * };
 * assert.equal(checkLoopOrder(() => new Matrix(0, 0)), "not answered yet");
 * assert.equal(checkLoopOrder(kij), "correct.");
 * // Bᵀ's shape instead of B's: the check names the shape it expected.
 * assert.throws(() => checkLoopOrder((A, B) => new Matrix(A.rows, B.rows)), /the product is/);
 * ```
 */
export function checkLoopOrder(product: (A: Matrix, B: Matrix) => Matrix): string {
  const shapes = [[3, 5, 4], [7, 1, 6], [13, 9, 2], [1, 20, 1]];
  const first = shapes[0];
  const A0 = randomMatrix(first[0], first[1], 1, { precision: "f32" });
  const B0 = randomMatrix(first[1], first[2], 2, { precision: "f32" });
  if (product(A0, B0).rows === 0) return NOT_ANSWERED;
  for (const [n, k, m] of shapes) {
    const A = randomMatrix(n, k, 10 * n + k, { precision: "f32" });
    const B = randomMatrix(k, m, 10 * k + m, { precision: "f32" });
    const expected = matmul(A, B);
    const got = product(A, B);
    if (got.rows !== n || got.cols !== m) {
      throw new Error(
        `for A of shape ${n} × ${k} and B of shape ${k} × ${m}, the product is ${n} × ${m}, ` +
          `not ${got.rows} × ${got.cols}. Make C with A.rows rows and B.cols columns.`,
      );
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let size = 0;
        for (let p = 0; p < k; p++) size += Math.abs(A.get(i, p) * B.get(p, j));
        const bound = (k + 2) * 2 ** -24 * size;
        if (!(Math.abs(got.get(i, j) - expected.get(i, j)) <= bound)) {
          throw new Error(
            `C[${i}, ${j}] of a ${n} × ${k} by ${k} × ${m} product is ${got.get(i, j)}, but ` +
              `matmul gives ${expected.get(i, j)}. With k outermost, every term A[i, k]·B[k, j] must be ` +
              `added to C[i, j] exactly once: k over 0 .. A.cols − 1, i over A.rows, j over B.cols.`,
          );
        }
      }
    }
  }
  return CORRECT;
}
