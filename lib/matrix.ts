/**
 * A small matrix type over typed arrays, and the products a neural network is made of.
 *
 * Storage is row-major: element (i, j) of an r×c matrix is `data[i * c + j]`. Training uses
 * Float32 (half the memory traffic of Float64, and all the precision SGD needs); the gradient
 * check uses Float64, so every operation keeps the precision of its inputs.
 *
 * In this course a batch of m images is a matrix with one image per *column*: X is 784×m, and a
 * layer computes Z = W·X + b with W of shape (units × inputs) and b of shape (units × 1).
 *
 * @module
 */

/** The element storage of a matrix: Float32 for training, Float64 for gradient checks. */
export type Storage = Float32Array | Float64Array;

/**
 * A rows×cols matrix stored row-major in a typed array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const W = Matrix.from([[1, 2], [3, 4]]);
 * assert.equal(W.get(1, 0), 3); // row 1, column 0
 * assert.deepEqual(W.shape, [2, 2]);
 * ```
 */
export class Matrix {
  readonly data: Storage;

  /**
   * @param rows number of rows (≥ 0)
   * @param cols number of columns (≥ 0)
   * @param data rows·cols elements, row-major; zeros (Float32) when omitted
   */
  constructor(readonly rows: number, readonly cols: number, data?: Storage) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(
        `matrix shape must be two non-negative integers, got (${rows}, ${cols})`,
      );
    }
    this.data = data ?? new Float32Array(rows * cols);
    if (this.data.length !== rows * cols) {
      throw new RangeError(
        `a (${rows}, ${cols}) matrix needs ${rows * cols} elements, got ${this.data.length}`,
      );
    }
  }

  /** A zero matrix; `precision` picks Float32 (the default) or Float64 storage. */
  static zeros(rows: number, cols: number, precision: "f32" | "f64" = "f32"): Matrix {
    const data = precision === "f64"
      ? new Float64Array(rows * cols)
      : new Float32Array(rows * cols);
    return new Matrix(rows, cols, data);
  }

  /** A Float32 matrix from nested arrays, one inner array per row. */
  static from(rows: readonly (readonly number[])[], precision: "f32" | "f64" = "f32"): Matrix {
    const cols = rows[0]?.length ?? 0;
    const matrix = Matrix.zeros(rows.length, cols, precision);
    rows.forEach((row, i) => {
      if (row.length !== cols) {
        throw new RangeError(`row ${i} has ${row.length} elements, row 0 has ${cols}`);
      }
      matrix.data.set(row, i * cols);
    });
    return matrix;
  }

  /** [rows, cols], in the order NumPy's `.shape` uses. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Element (i, j). */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /** Sets element (i, j) to `value`. */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** A deep copy with the same precision. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A copy converted to `precision`. */
  to(precision: "f32" | "f64"): Matrix {
    const data = precision === "f64" ? Float64Array.from(this.data) : Float32Array.from(this.data);
    return new Matrix(this.rows, this.cols, data);
  }

  /** Nested arrays, one per row: handy for printing and for tests. */
  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.row(i)));
  }

  /** Row i as a view (no copy) into the storage. */
  row(i: number): Storage {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** "Matrix(2×3)": shapes are what you want to see when debugging a network. */
  toString(): string {
    return `Matrix(${this.rows}×${this.cols})`;
  }
}

/** A zero matrix with the same precision as `like`. */
export function zerosLike(like: Matrix, rows = like.rows, cols = like.cols): Matrix {
  return new Matrix(
    rows,
    cols,
    new (like.data.constructor as { new (n: number): Storage })(rows * cols),
  );
}

function assertShapes(condition: boolean, operation: string, A: Matrix, B: Matrix): void {
  if (!condition) {
    throw new RangeError(
      `${operation}: shapes (${A.rows}, ${A.cols}) and (${B.rows}, ${B.cols}) do not match`,
    );
  }
}

/**
 * The matrix product C = A·B, straight from the definition C[i,j] = Σₖ A[i,k]·B[k,j].
 * Shapes: A (n×k) · B (k×m) → C (n×m). This is the reference the fast kernels are tested against.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(matmul(Matrix.from([[1, 2]]), Matrix.from([[3], [4]])).toArray(), [[11]]);
 * ```
 */
export function matmul(A: Matrix, B: Matrix): Matrix {
  assertShapes(A.cols === B.rows, "matmul A·B", A, B);
  const C = zerosLike(A, A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let sum = 0;
      for (let k = 0; k < A.cols; k++) sum += A.data[i * A.cols + k] * B.data[k * B.cols + j];
      C.data[i * C.cols + j] = sum;
    }
  }
  return C;
}

/**
 * C = Aᵀ·B without building Aᵀ: C[i,j] = Σₖ A[k,i]·B[k,j]. Shapes: A (k×n), B (k×m) → C (n×m).
 * Backpropagation needs it for dA1 = W2ᵀ·dZ2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const C = matmulTransposeA(Matrix.from([[1], [2]]), Matrix.from([[3], [4]]));
 * assert.deepEqual(C.toArray(), [[11]]); // [1 2]·[3 4]ᵀ
 * ```
 */
export function matmulTransposeA(A: Matrix, B: Matrix): Matrix {
  assertShapes(A.rows === B.rows, "matmul Aᵀ·B", A, B);
  const C = zerosLike(A, A.cols, B.cols);
  // k outermost so both A and B are read along rows (contiguous memory); C is summed in place.
  for (let k = 0; k < A.rows; k++) {
    for (let i = 0; i < A.cols; i++) {
      const a = A.data[k * A.cols + i];
      const cRow = i * C.cols, bRow = k * B.cols;
      for (let j = 0; j < B.cols; j++) C.data[cRow + j] += a * B.data[bRow + j];
    }
  }
  return C;
}

/**
 * C = A·Bᵀ without building Bᵀ: C[i,j] = Σₖ A[i,k]·B[j,k], a dot product of two rows.
 * Shapes: A (n×k), B (m×k) → C (n×m). Backpropagation needs it for dW2 = dZ2·A1ᵀ / m.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const C = matmulTransposeB(Matrix.from([[1, 2]]), Matrix.from([[3, 4]]));
 * assert.deepEqual(C.toArray(), [[11]]); // [1 2]·[3 4]ᵀ
 * ```
 */
export function matmulTransposeB(A: Matrix, B: Matrix): Matrix {
  assertShapes(A.cols === B.cols, "matmul A·Bᵀ", A, B);
  const C = zerosLike(A, A.rows, B.rows);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.rows; j++) {
      let sum = 0;
      for (let k = 0; k < A.cols; k++) sum += A.data[i * A.cols + k] * B.data[j * B.cols + k];
      C.data[i * C.cols + j] = sum;
    }
  }
  return C;
}

/**
 * Adds the column vector b (n×1) to every column of Z (n×m), in place, and returns Z. This is
 * NumPy's broadcasting in `W.dot(X) + b`: every sample gets the same bias.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(addColumn(Matrix.from([[1, 2]]), Matrix.from([[10]])).toArray(), [[11, 12]]);
 * ```
 */
export function addColumn(Z: Matrix, b: Matrix): Matrix {
  if (b.cols !== 1 || b.rows !== Z.rows) {
    throw new RangeError(
      `addColumn: bias must be (${Z.rows}, 1) to add to a (${Z.rows}, ${Z.cols}) matrix, got (${b.rows}, ${b.cols})`,
    );
  }
  for (let i = 0; i < Z.rows; i++) {
    const bias = b.data[i];
    for (let j = i * Z.cols; j < (i + 1) * Z.cols; j++) Z.data[j] += bias;
  }
  return Z;
}

/**
 * The sum of each row: A (n×m) → (n×1). The bias gradient is `sumRows(dZ) / m`: one value per
 * unit, *not* one number for the whole matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sumRows(Matrix.from([[1, 2], [3, 4]])).toArray(), [[3], [7]]);
 * ```
 */
export function sumRows(A: Matrix): Matrix {
  const sums = zerosLike(A, A.rows, 1);
  for (let i = 0; i < A.rows; i++) {
    let sum = 0;
    for (let j = i * A.cols; j < (i + 1) * A.cols; j++) sum += A.data[j];
    sums.data[i] = sum;
  }
  return sums;
}

/**
 * The element-wise (Hadamard) product A ∘ B of two matrices of the same shape, as a new matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const C = multiplyElementwise(Matrix.from([[1, 2]]), Matrix.from([[3, 4]]));
 * assert.deepEqual(C.toArray(), [[3, 8]]);
 * ```
 */
export function multiplyElementwise(A: Matrix, B: Matrix): Matrix {
  assertShapes(A.rows === B.rows && A.cols === B.cols, "multiplyElementwise A∘B", A, B);
  const C = zerosLike(A);
  for (let i = 0; i < A.data.length; i++) C.data[i] = A.data[i] * B.data[i];
  return C;
}

/**
 * Multiplies every element by `factor`, in place, and returns A.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(scale(Matrix.from([[1, 2]]), 0.5).toArray(), [[0.5, 1]]);
 * ```
 */
export function scale(A: Matrix, factor: number): Matrix {
  for (let i = 0; i < A.data.length; i++) A.data[i] *= factor;
  return A;
}
