/**
 * Checks for the exercises of notebook 12 (convolutions). Each returns "not answered yet" for
 * the placeholder, "correct." for a right answer, and throws an Error that says what was
 * expected and where to look for a wrong one. The expectations come from lib/cnn/ (the
 * convolution and pooling the network trains with) or, for the output size, from counting the
 * kernel's positions one by one.
 *
 * @module
 */

import { convolve } from "../../lib/cnn/convolution.ts";
import { maxPool, maxPoolBackward } from "../../lib/cnn/pooling.ts";
import { Tensor } from "../../lib/cnn/tensor.ts";
import { Random } from "../../lib/random.ts";
import { CORRECT, NOT_ANSWERED } from "./protocol.ts";

/** The learner's output size: H′ for a side H, a k×k kernel, padding p and stride s. */
export type OutputSize = (
  side: number,
  kernel: number,
  padding: number,
  stride: number,
) => number | undefined;

/** [H, k, p, s] cases: "same" padding, LeNet's second layer, strides that do and don't divide. */
const SIZE_CASES = [
  [28, 5, 2, 1],
  [14, 5, 0, 1],
  [4, 3, 0, 1],
  [4, 3, 1, 2],
  [7, 3, 0, 2],
  [8, 3, 0, 3],
  [28, 5, 2, 2],
  [6, 3, 0, 2],
  [5, 5, 0, 1],
] as const;

/**
 * The kernel's start positions along a side: 0, s, 2s, … while the kernel still ends inside the
 * padded side (a count, not the formula, so the check does not repeat the answer).
 */
function positions(side: number, kernel: number, padding: number, stride: number): number[] {
  const starts: number[] = [];
  for (let start = 0; start + kernel <= side + 2 * padding; start += stride) starts.push(start);
  return starts;
}

/**
 * Exercise `output-size`: the learner's H′ = ⌊(H + 2p − k) / s⌋ + 1 against the number of
 * positions counted one by one, for nine cases.
 *
 * @example
 * ```ts
 * checkOutputSize((H, k, p, s) => Math.floor((H + 2 * p - k) / s) + 1); // "correct."
 * ```
 */
export function checkOutputSize(outputSize: OutputSize): string {
  if (outputSize(28, 5, 2, 1) === undefined) return NOT_ANSWERED;
  for (const [side, kernel, padding, stride] of SIZE_CASES) {
    const starts = positions(side, kernel, padding, stride);
    const yours = outputSize(side, kernel, padding, stride);
    if (yours !== starts.length) {
      const hint = yours !== undefined && !Number.isInteger(yours)
        ? " Round down: a kernel that would stick out past the padded image is not placed."
        : yours === starts.length - 1
        ? " Count the first position too (the + 1)."
        : "";
      throw new Error(
        `side ${side}, ${kernel}×${kernel} kernel, padding ${padding}, stride ${stride}: you ` +
          `return ${yours}, but the kernel fits at ${starts.length} positions (starting at ` +
          `${starts.join(", ")} of the ${side + 2 * padding} padded pixels: padding is added on ` +
          `both sides).${hint}`,
      );
    }
  }
  return CORRECT;
}

/** The learner's convolution of one channel: valid (no padding), stride 1, kernel unflipped. */
export type Convolve2d = (image: number[][], kernel: number[][]) => number[][] | undefined;

/** lib's convolve on one image and one kernel, as nested arrays (Float64). */
function libConvolve(image: number[][], kernel: number[][]): number[][] {
  return convolve(Tensor.image(image, "f64"), Tensor.image(kernel, "f64"), Tensor.zeros([1], "f64"))
    .toImage();
}

/** A rows×cols array of small random integers in −3..3 (sums a learner can redo by hand). */
function randomImage(rows: number, cols: number, random: Random): number[][] {
  return Array.from(
    { length: rows },
    () => Array.from({ length: cols }, () => Math.floor(random.uniform() * 7) - 3),
  );
}

/** The kernel rotated by 180°: what a mathematician's (flipped) convolution slides. */
function rotated(kernel: number[][]): number[][] {
  return kernel.map((row) => [...row].reverse()).reverse();
}

/** The notebook's 4×4 example and its vertical-edge kernel (left column minus right column). */
const HAND_IMAGE = [[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]];
const HAND_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]];

/** Whether `a` is an array of arrays with the rows and columns of `b`. */
function sameShape(a: unknown, b: number[][]): a is number[][] {
  return Array.isArray(a) && a.length === b.length &&
    a.every((row, y) => Array.isArray(row) && row.length === b[y].length);
}

/** "rows×columns" of a nested array; anything else as it prints. */
function describeShape(a: unknown): string {
  return Array.isArray(a) ? `${a.length}×${Array.isArray(a[0]) ? a[0].length : 0}` : String(a);
}

/** Whether two nested arrays have the same shape and values within 1e-9. */
function sameImage(a: number[][] | undefined, b: number[][]): boolean {
  return sameShape(a, b) && a.every((row, y) => row.every((v, x) => Math.abs(v - b[y][x]) <= 1e-9));
}

/**
 * Exercise `convolve-2d`: the learner's one-channel convolution against lib/cnn/convolution.ts on
 * the notebook's 4×4 example and on random non-square images and kernels (so that swapped rows
 * and columns show). A flipped kernel, a wrong output shape and a wrong value each get their own
 * message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Z[y][x] = Σᵢⱼ K[i][j]·X[y + i][x + j], no padding, stride 1.
 * const convolve2d = (X: number[][], K: number[][]) =>
 *   X.slice(K.length - 1).map((_, y) =>
 *     X[0].slice(K.length - 1).map((_, x) =>
 *       K.reduce((sum, row, i) => row.reduce((s, k, j) => s + k * X[y + i][x + j], sum), 0)
 *     )
 *   );
 * assert.equal(checkConvolve2d(convolve2d), "correct.");
 * // The image itself is the wrong shape for a 3×3 kernel: the check says what it expected.
 * assert.throws(() => checkConvolve2d((X) => X), /expected 2×2 values/);
 * ```
 */
export function checkConvolve2d(convolve2d: Convolve2d): string {
  if (convolve2d([[1]], [[1]]) === undefined) return NOT_ANSWERED;
  const random = new Random(12);
  const cases: [number[][], number[][]][] = [
    [HAND_IMAGE, HAND_KERNEL],
    [randomImage(6, 5, random), randomImage(3, 3, random)],
    [randomImage(5, 7, random), randomImage(2, 2, random)],
  ];
  for (const [image, kernel] of cases) {
    const expected = libConvolve(image, kernel);
    const yours = convolve2d(image.map((row) => [...row]), kernel.map((row) => [...row]));
    if (sameImage(yours, expected)) continue;
    const size = `${image.length}×${image[0].length}`, k = kernel.length;
    if (!sameShape(yours, expected)) {
      throw new Error(
        `for a ${size} image and a ${k}×${k} kernel you return ` +
          `${describeShape(yours)}, expected ${
            describeShape(expected)
          } values: (H − k + 1) rows and (W − k + 1) columns, one per position ` +
          `where the whole kernel fits.`,
      );
    }
    if (sameImage(yours, libConvolve(image, rotated(kernel)))) {
      throw new Error(
        "you flipped the kernel (rotated it by 180°): that is the convolution of mathematics. " +
          "Networks (lib/cnn/convolution.ts, PyTorch's Conv2d) slide the kernel as it is: " +
          "Z[y][x] = Σᵢ Σⱼ K[i][j]·X[y + i][x + j].",
      );
    }
    const [y, x] = expected.flatMap((row, y) => row.map((_, x) => [y, x]))
      .find(([y, x]) => Math.abs(yours[y][x] - expected[y][x]) > 1e-9)!;
    throw new Error(
      `for the ${size} image ${JSON.stringify(image)} and the kernel ${JSON.stringify(kernel)}, ` +
        `output (${y}, ${x}) is ${yours[y][x]}, expected ${expected[y][x]}: the sum of ` +
        `K[i][j]·X[${y} + i][${x} + j] over the kernel's ${k}×${k} positions (i for rows, j ` +
        `for columns).`,
    );
  }
  return CORRECT;
}

/** The learner's 2×2 max-pool backward pass: dA from the layer's input A and dP. */
export type PoolBackward = (A: number[][], dP: number[][]) => number[][] | undefined;

/** lib's 2×2 max pooling and its backward pass on one map, as nested arrays. */
function libPoolBackward(A: number[][], dP: number[][]): number[][] {
  const input = Tensor.image(A, "f64");
  const { argmax } = maxPool(input, 2);
  return maxPoolBackward(Tensor.image(dP, "f64"), argmax, input.shape).toImage();
}

/**
 * Exercise `max-pool-backward`: the learner's routing against lib/cnn/pooling.ts on the
 * notebook's 4×4 example with a tie, and on random maps of odd and even sides. Spreading the
 * gradient over the tile, giving it to every tied maximum and a wrong shape get their own
 * messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Each tile's gradient goes to its first maximum in reading order; the rest get 0.
 * const poolBackward = (A: number[][], dP: number[][]) => {
 *   const dA = A.map((row) => row.map(() => 0));
 *   dP.forEach((row, y) =>
 *     row.forEach((gradient, x) => {
 *       let [bi, bj] = [2 * y, 2 * x];
 *       for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
 *         if (A[2 * y + i][2 * x + j] > A[bi][bj]) [bi, bj] = [2 * y + i, 2 * x + j];
 *       }
 *       dA[bi][bj] = gradient;
 *     })
 *   );
 *   return dA;
 * };
 * assert.equal(checkPoolBackward(poolBackward), "correct.");
 * ```
 */
export function checkPoolBackward(poolBackward: PoolBackward): string {
  if (poolBackward([[1, 2], [3, 4]], [[1]]) === undefined) return NOT_ANSWERED;
  const random = new Random(7);
  const normal = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => random.normal()));
  const cases: [number[][], number[][]][] = [
    [[[1, 3, 2, 2], [4, 0, 1, 0], [-1, -5, 7, 8], [-2, -3, 9, 6]], [[10, 20], [30, 40]]],
    [normal(4, 6), normal(2, 3)],
    [normal(5, 5), normal(2, 2)],
  ];
  for (const [A, dP] of cases) {
    const expected = libPoolBackward(A, dP);
    const yours = poolBackward(A.map((row) => [...row]), dP.map((row) => [...row]));
    if (sameImage(yours, expected)) continue;
    const size = `${A.length}×${A[0].length}`;
    if (!sameShape(yours, expected)) {
      throw new Error(
        `for a ${size} map A you return ${
          describeShape(yours)
        }: dA has A's shape (${size}), with 0 where no tile's maximum is (the last row or ` +
          `column of an odd side belongs to no tile).`,
      );
    }
    const spread = A.map((row, u) =>
      row.map((_, v) =>
        (u >> 1) < dP.length && (v >> 1) < dP[0].length ? dP[u >> 1][v >> 1] / 4 : 0
      )
    );
    if (sameImage(yours, spread)) {
      throw new Error(
        "you spread dP/4 over the whole tile: that is average pooling's backward pass. The " +
          "maximum copies one element, so only that element (the argmax of its tile) gets dP; " +
          "the other three get 0.",
      );
    }
    const [u, v] = expected.flatMap((row, u) => row.map((_, v) => [u, v]))
      .find(([u, v]) => Math.abs(yours[u][v] - expected[u][v]) > 1e-9)!;
    // Tile (0, 1) of the first case holds its maximum, 2, twice, at (0, 2) and (0, 3).
    const tiedCase = A === cases[0][0];
    const tie = tiedCase && yours[0][2] === dP[0][1] && yours[0][3] === dP[0][1]
      ? " Tile (0, 1) holds 2 twice: the forward pass copied the first in reading order (row " +
        "by row), so only that one gets the gradient, not both (that would count it twice)."
      : tiedCase && yours[0][2] === 0 && yours[0][3] === dP[0][1]
      ? " Tile (0, 1) holds 2 twice, at (0, 2) and (0, 3): the forward pass copied the first " +
        "in reading order, so (0, 2) gets the gradient. Keep a new maximum only when it is " +
        "strictly larger (`>`, not `>=`), so the first one stays."
      : "";
    throw new Error(
      `for A = ${JSON.stringify(A.map((row) => row.map((a) => Number(a.toFixed(3)))))}, dA at ` +
        `(${u}, ${v}) is ${yours[u][v]}, expected ${expected[u][v]}: element (u, v) gets ` +
        `dP[⌊u/2⌋][⌊v/2⌋] if it is its tile's maximum, else 0.${tie}`,
    );
  }
  return CORRECT;
}
