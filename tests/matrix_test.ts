import assert from "node:assert/strict";
import {
  addColumn,
  matmul,
  matmulTransposeA,
  matmulTransposeB,
  Matrix,
  multiplyElementwise,
  scale,
  sumRows,
} from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { assertAllClose } from "./assert.ts";

function randomMatrix(rows: number, cols: number, random: Random): Matrix {
  const A = new Matrix(rows, cols);
  for (let i = 0; i < A.data.length; i++) A.data[i] = random.uniform() * 2 - 1;
  return A;
}

function transpose(A: Matrix): Matrix {
  const T = new Matrix(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.set(j, i, A.get(i, j));
  return T;
}

Deno.test("matmul multiplies a 2×3 by a 3×2 matrix as worked out by hand", () => {
  const W = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const X = Matrix.from([[7, 8], [9, 10], [11, 12]]);
  // Row 0: 1·7 + 2·9 + 3·11 = 58, 1·8 + 2·10 + 3·12 = 64; row 1: 139, 154.
  assert.deepEqual(matmul(W, X).toArray(), [[58, 64], [139, 154]]);
});

Deno.test("matmul refuses shapes that do not chain, naming both", () => {
  assert.throws(
    () => matmul(new Matrix(2, 3), new Matrix(2, 3)),
    { message: "matmul A·B: shapes (2, 3) and (2, 3) do not match" },
  );
});

Deno.test("transposed products equal matmul with an explicit transpose", () => {
  const random = new Random(3);
  for (const [n, k, m] of [[1, 1, 1], [3, 5, 2], [7, 13, 4], [10, 128, 33]]) {
    const A = randomMatrix(k, n, random), B = randomMatrix(k, m, random);
    assertAllClose(matmulTransposeA(A, B).data, matmul(transpose(A), B).data, { absolute: 1e-5 });
    const C = randomMatrix(n, k, random), D = randomMatrix(m, k, random);
    assertAllClose(matmulTransposeB(C, D).data, matmul(C, transpose(D)).data, { absolute: 1e-5 });
  }
});

Deno.test("a Float64 product keeps Float64 precision", () => {
  const third = Matrix.from([[1 / 3]], "f64");
  const product = matmul(third, Matrix.from([[3]], "f64"));
  assert.ok(product.data instanceof Float64Array);
  assert.equal(product.get(0, 0), (1 / 3) * 3);
});

Deno.test("addColumn broadcasts the bias to every column, like NumPy's W.dot(X) + b", () => {
  const Z = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  addColumn(Z, Matrix.from([[10], [20]]));
  assert.deepEqual(Z.toArray(), [[11, 12, 13], [24, 25, 26]]);
  assert.throws(() => addColumn(Z, Matrix.from([[1, 2]])), /bias must be \(2, 1\)/);
});

Deno.test("sumRows gives one sum per row, not one number for the matrix", () => {
  assert.deepEqual(sumRows(Matrix.from([[1, 2, 3], [4, 5, 6]])).toArray(), [[6], [15]]);
});

Deno.test("multiplyElementwise and scale work element by element", () => {
  const A = Matrix.from([[1, -2], [3, 4]]);
  assert.deepEqual(multiplyElementwise(A, Matrix.from([[2, 2], [0, -1]])).toArray(), [[2, -4], [
    0,
    -4,
  ]]);
  assert.deepEqual(scale(A, 0.5).toArray(), [[0.5, -1], [1.5, 2]]);
});

Deno.test("a matrix checks its storage size against its shape", () => {
  assert.throws(
    () => new Matrix(2, 2, new Float32Array(3)),
    { message: "a (2, 2) matrix needs 4 elements, got 3" },
  );
  assert.throws(() => Matrix.from([[1, 2], [3]]), { message: "row 1 has 1 elements, row 0 has 2" });
});
