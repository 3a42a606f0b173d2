/**
 * The first layer's fast kernels (WebAssembly SIMD and the TypeScript fallback) against the
 * readable references of lib/sparse.ts, on random shapes: widths that are not multiples of the
 * 4-float vector or the 48- and 32-float register blocks, inputs not multiples of the 16-byte scan,
 * all-zero images. Float32 sums are held to the bound in tests/kernel_arena.ts.
 */

import assert from "node:assert/strict";
import { activate, type Activation } from "../lib/activations.ts";
import { ACTIVATION_CODES } from "../lib/kernels/compute/abi.ts";
import { addColumn, Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { matmulSparseTransposed, SparseColumns, sparseMatmul } from "../lib/sparse.ts";
import {
  absolute,
  Arena,
  assertWithinF32Bound,
  KERNEL_KINDS,
  randomImages,
  randomMatrix,
  transpose,
} from "./kernel_arena.ts";

/**
 * Images in an arena, counted and compressed by the kernels under test (the batch rows split at
 * `split`, as two threads would, the later rows first: compressing a row must leave the next
 * row's entries alone); also the reference SparseColumns.
 */
function compress(arena: Arena, images: Uint8Array, n: number, order: number[], split = 0) {
  const m = order.length;
  const at = arena.alloc(images.length);
  arena.u8.set(images, at);
  const counts = arena.alloc((images.length / n) * 4);
  arena.kernels.countPixels(0, images.length / n, at, n, counts);
  const starts = arena.alloc((m + 1) * 4);
  for (let j = 0; j < m; j++) {
    arena.i32[(starts >> 2) + j + 1] = arena.i32[(starts >> 2) + j] +
      arena.i32[(counts >> 2) + order[j]];
  }
  const count = arena.i32[(starts >> 2) + m];
  const indices = arena.alloc(count * 4), values = arena.alloc(count * 4);
  const scale = arena.putF32(Array.from({ length: 256 }, (_, p) => p / 255));
  const orderAt = arena.putI32(order);
  for (const [from, to] of [[split, m], [0, split]]) {
    arena.kernels.compressImages(from, to, at, orderAt, n, scale, starts, indices, values);
  }
  const X = SparseColumns.fromPixels(images, order, n);
  return { count, counts, starts, indices, values, X };
}

/**
 * Xᵀ of a compressed batch (m images of n pixels), by the kernels under test: each pixel's
 * entries in image order, as the dW1 product reads them.
 */
function transposeInArena(
  arena: Arena,
  m: number,
  n: number,
  batch: { count: number; starts: number; indices: number; values: number },
) {
  const startsT = arena.alloc((n + 1) * 4), cursor = arena.alloc(n * 4);
  const indicesT = arena.alloc(batch.count * 4), valuesT = arena.alloc(batch.count * 4);
  const { starts, indices, values } = batch;
  arena.kernels.transposeSparse(
    0,
    m,
    n,
    starts,
    indices,
    values,
    startsT,
    indicesT,
    valuesT,
    cursor,
  );
  return { startsT, indicesT, valuesT };
}

/** The largest number of entries in one column of X. */
function longestColumn(X: SparseColumns): number {
  let longest = 0;
  for (let j = 0; j < X.cols; j++) {
    longest = Math.max(longest, X.columnStarts[j + 1] - X.columnStarts[j]);
  }
  return longest;
}

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: countPixels and compressImages give exactly fromPixels' entries`, () => {
    const random = new Random(1);
    for (const n of [784, 37, 16, 1]) {
      const arena = new Arena(kind);
      const images = randomImages(11, n, random);
      const order = [3, 0, 10, 4, 4, 7, 9];
      const { count, counts, starts, indices, values, X } = compress(arena, images, n, order, 3);
      const expectedCounts = Array.from(
        { length: 11 },
        (_, i) => images.subarray(i * n, (i + 1) * n).filter((pixel) => pixel !== 0).length,
      );
      assert.deepEqual(
        Array.from(arena.i32.subarray(counts >> 2, (counts >> 2) + 11)),
        expectedCounts,
      );
      assert.equal(count, X.nonZeros, `n = ${n}`);
      const slice = <T extends Int32Array | Float32Array>(view: T, at: number, length: number) =>
        Array.from(view.subarray(at >> 2, (at >> 2) + length));
      assert.deepEqual(slice(arena.i32, starts, order.length + 1), Array.from(X.columnStarts));
      assert.deepEqual(slice(arena.i32, indices, count), Array.from(X.rowIndices));
      assert.deepEqual(slice(arena.f32, values, count), Array.from(X.values));
    }
  });

  Deno.test(`${kind}: compressImages keeps to each image's entries, however dense`, () => {
    // Fully lit images, and images whose last lit pixels come after long runs of zeros, with
    // 0, 7, 8 and 9 lit pixels: the entries of each must end exactly where the next begin.
    const n = 784,
      lit = (pixels: number[]) => {
        const image = new Uint8Array(n);
        for (const p of pixels) image[p] = 1 + (p % 255);
        return image;
      };
    const all = Array.from({ length: n }, (_, p) => p);
    const images = [
      lit(all),
      lit([3, 700, 701, 702, 703, 704, 705]),
      lit(all),
      lit([0, 1, 2, 3, 4, 5, 6, 783]),
      lit([]),
      lit([9, 100, 200, 300, 400, 500, 600, 777, 778]),
      lit(all.filter((p) => p % 3 !== 0)),
    ];
    const pixels = new Uint8Array(images.length * n);
    images.forEach((image, i) => pixels.set(image, i * n));
    const order = [0, 1, 2, 3, 4, 5, 6, 5, 0];
    for (const split of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const arena = new Arena(kind);
      const { count, indices, values, X } = compress(arena, pixels, n, order, split);
      assert.equal(count, X.nonZeros);
      const slice = <T extends Int32Array | Float32Array>(view: T, at: number) =>
        Array.from(view.subarray(at >> 2, (at >> 2) + count));
      assert.deepEqual(slice(arena.i32, indices), Array.from(X.rowIndices), `split ${split}`);
      assert.deepEqual(slice(arena.f32, values), Array.from(X.values), `split ${split}`);
    }
  });

  Deno.test(`${kind}: transposeSparse gives each pixel's entries in image order`, () => {
    const random = new Random(2);
    const arena = new Arena(kind);
    const n = 45, order = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const { count, starts, indices, values, X } = compress(
      arena,
      randomImages(9, n, random),
      n,
      order,
    );
    const { startsT, indicesT, valuesT } = transposeInArena(arena, order.length, n, {
      count,
      starts,
      indices,
      values,
    });
    // Column p of Xᵀ (m×n) is pixel p's entries, rows (images) increasing.
    const expected = SparseColumns.fromDense(transpose(X.toDense()));
    const ints = (at: number, length: number) =>
      Array.from(arena.i32.subarray(at >> 2, (at >> 2) + length));
    assert.deepEqual(ints(startsT, n + 1), Array.from(expected.columnStarts));
    assert.deepEqual(ints(indicesT, count), Array.from(expected.rowIndices));
    assert.deepEqual(
      Array.from(arena.f32.subarray(valuesT >> 2, (valuesT >> 2) + count)),
      Array.from(expected.values),
    );
  });

  Deno.test(`${kind}: sparseTimesDense forward equals g(W·X + b) within the float32 bound`, () => {
    const random = new Random(3);
    const shapes = [
      [784, 13, 128],
      [37, 5, 33],
      [20, 7, 1],
      [50, 3, 4],
      [784, 6, 37],
      [9, 4, 70],
      [30, 5, 100],
    ];
    for (const [n, m, h] of shapes) {
      for (const activation of ["none", "relu", "sigmoid"] as const) {
        const arena = new Arena(kind);
        const order = Array.from({ length: m }, (_, j) => j);
        const { starts, indices, values, X } = compress(
          arena,
          randomImages(m, n, random),
          n,
          order,
        );
        const W = randomMatrix(h, n, random), b = randomMatrix(h, 1, random);
        const out = arena.alloc(m * h * 4);
        arena.f32.fill(NaN, out >> 2, (out >> 2) + m * h);
        const [first, last] = [1, m - 1]; // only rows [1, m − 1) are asked for
        arena.kernels.sparseTimesDense(
          first,
          last,
          starts,
          indices,
          values,
          arena.putF32(transpose(W).data),
          h,
          arena.putF32(b.data),
          out,
          ACTIVATION_CODES[activation],
          0,
        );
        let Z = transpose(addColumn(sparseMatmul(W, X), b));
        if (activation !== "none") Z = activate(Z, activation as Activation);
        const magnitudes = transpose(addColumn(sparseMatmul(absolute(W), X), absolute(b)));
        const rows = (A: Matrix) => new Matrix(last - first, h, A.data.slice(first * h, last * h));
        const actual = arena.matrix(out, m, h);
        assertWithinF32Bound(
          rows(actual),
          rows(Z),
          rows(magnitudes),
          longestColumn(X) + 1,
          `${kind} ${activation} n=${n} m=${m} h=${h}`,
          activation === "sigmoid" ? 2 ** -23 : 0,
        );
        assert.ok(actual.row(0).every(Number.isNaN), "row 0 was not asked for");
        assert.ok(actual.row(m - 1).every(Number.isNaN), "the last row was not asked for");
      }
    }
  });

  Deno.test(`${kind}: sparseTimesDense backward equals dZ1·Xᵀ within the float32 bound`, () => {
    const random = new Random(4);
    for (const [n, m, h] of [[784, 16, 128], [37, 9, 33], [20, 5, 3], [64, 1, 8], [30, 6, 81]]) {
      const arena = new Arena(kind);
      const order = Array.from({ length: m }, (_, j) => j);
      const { count, starts, indices, values, X } = compress(
        arena,
        randomImages(m, n, random),
        n,
        order,
      );
      const { startsT, indicesT, valuesT } = transposeInArena(arena, m, n, {
        count,
        starts,
        indices,
        values,
      });
      const dZ1 = randomMatrix(h, m, random, 0.5); // ReLU zeroes about half
      const out = arena.alloc(n * h * 4);
      arena.kernels.sparseTimesDense(
        0,
        n,
        startsT,
        indicesT,
        valuesT,
        arena.putF32(transpose(dZ1).data),
        h,
        0,
        out,
        ACTIVATION_CODES.none,
        0,
      );
      assertWithinF32Bound(
        arena.matrix(out, n, h),
        transpose(matmulSparseTransposed(dZ1, X)),
        transpose(matmulSparseTransposed(absolute(dZ1), X)),
        m,
        `${kind} dW1 n=${n} m=${m} h=${h}`,
      );
    }
  });

  Deno.test(`${kind}: dW1ᵀ summed block by block (offset starts, accumulate) equals dZ1·Xᵀ`, () => {
    const random = new Random(8);
    const arena = new Arena(kind);
    const [n, m, h, block] = [50, 21, 12, 8];
    const order = Array.from({ length: m }, (_, j) => j);
    const { count, starts, indices, values, X } = compress(
      arena,
      randomImages(m, n, random),
      n,
      order,
    );
    const dZ1 = randomMatrix(h, m, random, 0.5);
    const dZ1T = arena.putF32(transpose(dZ1).data), out = arena.alloc(n * h * 4);
    const startsT = arena.alloc((n + 1) * 4), cursor = arena.alloc(n * 4);
    const indicesT = arena.alloc(count * 4), valuesT = arena.alloc(count * 4);
    for (let first = 0; first < m; first += block) {
      const before = arena.i32[(starts >> 2) + first];
      const [blockIndices, blockValues] = [indicesT + before * 4, valuesT + before * 4];
      const rows = Math.min(block, m - first);
      arena.kernels.transposeSparse(
        first,
        first + rows,
        n,
        starts,
        indices,
        values,
        startsT,
        blockIndices,
        blockValues,
        cursor,
      );
      const D = dZ1T + first * h * 4, accumulate = first > 0 ? 1 : 0;
      arena.kernels.sparseTimesDense(
        0,
        n,
        startsT,
        blockIndices,
        blockValues,
        D,
        h,
        0,
        out,
        0,
        accumulate,
      );
    }
    assertWithinF32Bound(
      arena.matrix(out, n, h),
      transpose(matmulSparseTransposed(dZ1, X)),
      transpose(matmulSparseTransposed(absolute(dZ1), X)),
      m,
      `${kind} blocked dW1`,
    );
  });

  Deno.test(`${kind}: an all-zero batch gives ReLU(b) for every image`, () => {
    const arena = new Arena(kind);
    const n = 30, m = 4, h = 6;
    const { starts, indices, values } = compress(arena, new Uint8Array(m * n), n, [0, 1, 2, 3]);
    const b = [-2, -1, 0, 0.5, 1, 3];
    const out = arena.alloc(m * h * 4), W1T = arena.putF32(new Float32Array(n * h).fill(1));
    arena.kernels.sparseTimesDense(
      0,
      m,
      starts,
      indices,
      values,
      W1T,
      h,
      arena.putF32(b),
      out,
      1,
      0,
    );
    assert.deepEqual(arena.matrix(out, m, h).toArray(), Array(m).fill([0, 0, 0, 0.5, 1, 3]));
  });
}
