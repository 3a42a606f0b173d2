/**
 * Two steps between the textbook product (lib/matrix.ts `matmul`) and the fast kernels, for the
 * "Making it fast" notebook: the same C = A·B, only the order of the work changes.
 *
 * 1. Loop order: `matmul` walks B down a column (k changes fastest), jumping a whole row of B
 *    between reads. With k in the middle and j innermost, both B and C are read along rows,
 *    one cache line after another.
 * 2. Register tiling: each pass over k computes a 4×4 block of C in 16 local variables, so each
 *    value loaded from A or B is used 4 times instead of once, and C is written once.
 *
 * @module
 */

import { Matrix, zerosLike } from "./matrix.ts";

function checkShapes(A: Matrix, B: Matrix, name: string): void {
  if (A.cols !== B.rows) {
    throw new RangeError(
      `${name}: shapes (${A.rows}, ${A.cols}) and (${B.rows}, ${B.cols}) do not match`,
    );
  }
}

/**
 * C = A·B with the loops in i, k, j order: the innermost loop runs along a row of B and a row
 * of C. Shapes: A (n×k) · B (k×m) → C (n×m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const C = matmulLoopOrder(Matrix.from([[1, 2]]), Matrix.from([[3], [4]]));
 * assert.deepEqual(C.toArray(), [[11]]);
 * ```
 */
export function matmulLoopOrder(A: Matrix, B: Matrix): Matrix {
  checkShapes(A, B, "matmulLoopOrder");
  const C = zerosLike(A, A.rows, B.cols);
  const a = A.data, b = B.data, c = C.data, m = B.cols;
  for (let i = 0; i < A.rows; i++) {
    for (let k = 0; k < A.cols; k++) {
      const aik = a[i * A.cols + k];
      for (let j = 0; j < m; j++) c[i * m + j] += aik * b[k * m + j];
    }
  }
  return C;
}

/**
 * C = A·B computed in 4×4 blocks held in registers (16 local variables), with the rows and
 * columns that do not fill a block done one at a time. Shapes: A (n×k) · B (k×m) → C (n×m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 * import { matmul } from "./matrix.ts";
 *
 * // 5×6 · 6×7: one full 4×4 block, and edges of a row and of 3 columns.
 * const A = new Matrix(5, 6, Float32Array.from({ length: 30 }, (_, i) => i % 7));
 * const B = new Matrix(6, 7, Float32Array.from({ length: 42 }, (_, i) => i % 5));
 * assert.deepEqual(matmulTiled(A, B).toArray(), matmul(A, B).toArray());
 * ```
 */
export function matmulTiled(A: Matrix, B: Matrix): Matrix {
  checkShapes(A, B, "matmulTiled");
  const C = zerosLike(A, A.rows, B.cols);
  const a = A.data, b = B.data, c = C.data, n = A.rows, K = A.cols, m = B.cols;
  const fullRows = n - (n % 4), fullCols = m - (m % 4);
  for (let i = 0; i < fullRows; i += 4) {
    for (let j = 0; j < fullCols; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const a0 = a[i * K + k], a1 = a[(i + 1) * K + k];
        const a2 = a[(i + 2) * K + k], a3 = a[(i + 3) * K + k];
        const row = k * m + j;
        const b0 = b[row], b1 = b[row + 1], b2 = b[row + 2], b3 = b[row + 3];
        c00 += a0 * b0, c01 += a0 * b1, c02 += a0 * b2, c03 += a0 * b3;
        c10 += a1 * b0, c11 += a1 * b1, c12 += a1 * b2, c13 += a1 * b3;
        c20 += a2 * b0, c21 += a2 * b1, c22 += a2 * b2, c23 += a2 * b3;
        c30 += a3 * b0, c31 += a3 * b1, c32 += a3 * b2, c33 += a3 * b3;
      }
      c.set([c00, c01, c02, c03], i * m + j);
      c.set([c10, c11, c12, c13], (i + 1) * m + j);
      c.set([c20, c21, c22, c23], (i + 2) * m + j);
      c.set([c30, c31, c32, c33], (i + 3) * m + j);
    }
  }
  // The edges: rows below the last full block, and columns right of it.
  for (let i = 0; i < n; i++) {
    for (let j = i < fullRows ? fullCols : 0; j < m; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[i * K + k] * b[k * m + j];
      c[i * m + j] = sum;
    }
  }
  return C;
}
