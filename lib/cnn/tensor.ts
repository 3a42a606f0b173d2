/**
 * A tensor: an n-dimensional array of numbers, row-major, as NumPy and PyTorch store them. The
 * convolutional layers pass batches of images as 4-dimensional tensors in PyTorch's NCHW order:
 *
 *   X[n, c, y, x]   image n of the batch, channel c, row y, column x
 *   offset = ((n·C + c)·H + y)·W + x
 *
 * A convolution's kernels are 4-dimensional too, K[o, c, i, j] (output channel o, input channel
 * c, kernel row i, column j), the shape of PyTorch's `Conv2d.weight`. Like {@linkcode Matrix},
 * a tensor keeps the precision of its storage: Float32 to train, Float64 for gradient checks.
 *
 * @module
 */

import { Matrix, type Storage } from "../matrix.ts";

/**
 * A tensor of any shape over a typed array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const X = Tensor.zeros([2, 1, 3, 3]); // 2 images, 1 channel, 3×3 pixels
 * X.data[X.offset(1, 0, 2, 0)] = 1; // image 1, row 2, column 0
 * assert.equal(X.size, 18);
 * assert.deepEqual(X.toImage(1), [[0, 0, 0], [0, 0, 0], [1, 0, 0]]);
 * ```
 */
export class Tensor {
  readonly data: Storage;

  /**
   * @param shape the size of each dimension (non-negative integers)
   * @param data the product of `shape` elements, row-major; Float32 zeros when omitted
   */
  constructor(readonly shape: readonly number[], data?: Storage) {
    if (!shape.every((size) => Number.isInteger(size) && size >= 0)) {
      throw new RangeError(`tensor shape must be non-negative integers, got [${shape}]`);
    }
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    this.data = data ?? new Float32Array(size);
    if (this.data.length !== size) {
      throw new RangeError(`a [${shape}] tensor needs ${size} elements, got ${this.data.length}`);
    }
  }

  /** A zero tensor; `precision` picks Float32 (the default) or Float64 storage. */
  static zeros(shape: readonly number[], precision: "f32" | "f64" = "f32"): Tensor {
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    return new Tensor(shape, precision === "f64" ? new Float64Array(size) : new Float32Array(size));
  }

  /**
   * A [1, 1, h, w] tensor from nested arrays: one image, one channel, as tests write them.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(Tensor.image([[1, 2], [3, 4]]).shape, [1, 1, 2, 2]);
   * ```
   */
  static image(rows: readonly (readonly number[])[], precision: "f32" | "f64" = "f32"): Tensor {
    const { data } = Matrix.from(rows, precision);
    return new Tensor([1, 1, rows.length, rows[0]?.length ?? 0], data);
  }

  /** The number of elements: the product of the shape. */
  get size(): number {
    return this.data.length;
  }

  /** The storage offset of element [i0, i1, …] (row-major). */
  offset(...index: number[]): number {
    let offset = 0;
    for (let d = 0; d < this.shape.length; d++) offset = offset * this.shape[d] + (index[d] ?? 0);
    return offset;
  }

  /** Element [i0, i1, …]. */
  get(...index: number[]): number {
    return this.data[this.offset(...index)];
  }

  /** A zero tensor of `shape` (default: this one's) with this tensor's precision. */
  zerosLike(shape: readonly number[] = this.shape): Tensor {
    return Tensor.zeros(shape, this.data instanceof Float64Array ? "f64" : "f32");
  }

  /** The same elements with another shape of the same size (no copy: they share storage). */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(shape, this.data);
  }

  /**
   * The elements as a 1×size matrix sharing this storage, for the element-wise functions of
   * lib/activations.ts and lib/matrix.ts (ReLU, its derivative, the Hadamard product).
   */
  asMatrix(): Matrix {
    return new Matrix(1, this.size, this.data);
  }

  /** The image of nested arrays (rows of columns) at batch index n, channel c. */
  toImage(n = 0, c = 0): number[][] {
    const [, , H, W] = this.shape;
    return Array.from(
      { length: H },
      (_, y) => Array.from({ length: W }, (_, x) => this.get(n, c, y, x)),
    );
  }

  /** "Tensor[8×1×5×5]". */
  toString(): string {
    return `Tensor[${this.shape.join("×")}]`;
  }
}

/**
 * The tensor holding `matrix`'s elements with `shape` (same storage, no copy): the inverse of
 * {@linkcode Tensor.asMatrix} after an element-wise function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relu } from "../activations.ts";
 *
 * const Z = Tensor.image([[-1, 2]]);
 * assert.deepEqual(fromMatrix(relu(Z.asMatrix()), Z.shape).toImage(), [[0, 2]]);
 * ```
 */
export function fromMatrix(matrix: Matrix, shape: readonly number[]): Tensor {
  return new Tensor(shape, matrix.data);
}
