import assert from "node:assert/strict";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";
import {
  checkConvolve2d,
  checkOutputSize,
  checkPoolBackward,
} from "../notebooks/checks/12_convolutions.ts";

Deno.test("checkOutputSize accepts ⌊(H + 2p − k) / s⌋ + 1 and explains the usual slips", () => {
  const right = (H: number, k: number, p: number, s: number) => Math.floor((H + 2 * p - k) / s) + 1;
  assert.equal(checkOutputSize(right), "correct.");
  assert.equal(checkOutputSize(() => undefined), NOT_ANSWERED);
  // Padding on one side only: the first case, "same" padding of 28 pixels, already gives 26.
  const oneSide = (H: number, k: number, p: number, s: number) => Math.floor((H + p - k) / s) + 1;
  assert.throws(
    () => checkOutputSize(oneSide),
    /side 28, 5×5 kernel, padding 2, stride 1: you return 26, but the kernel fits at 28 positions \(starting at 0, 1, .*, 27 of the 32 padded pixels: padding is added on both sides\)\.$/,
  );
  const noPlusOne = (H: number, k: number, p: number, s: number) => Math.floor((H + 2 * p - k) / s);
  assert.throws(() => checkOutputSize(noPlusOne), /you return 27, .*Count the first position too/);
  // No rounding: exact for the stride-1 cases, fractional at (4, 3, 1, 2): 3/2 + 1 = 2.5.
  const noFloor = (H: number, k: number, p: number, s: number) => (H + 2 * p - k) / s + 1;
  assert.throws(
    () => checkOutputSize(noFloor),
    /side 4, 3×3 kernel, padding 1, stride 2: you return 2\.5, but the kernel fits at 2 positions \(starting at 0, 2 of the 6 padded pixels.*Round down/,
  );
  // Rounding up instead: (8 − 3) / 3 = 1.67 becomes 2, one position too many (6 + 3 > 8).
  const ceil = (H: number, k: number, p: number, s: number) => Math.ceil((H + 2 * p - k) / s) + 1;
  assert.throws(
    () => checkOutputSize(ceil),
    /side 4, 3×3 kernel, padding 1, stride 2: you return 3,/,
  );
});

/** A correct one-channel convolution, written independently of the solutions file. */
const convolve2d = (image: number[][], kernel: number[][]) =>
  image.slice(0, image.length - kernel.length + 1).map((_, y) =>
    image[0].slice(0, image[0].length - kernel.length + 1).map((_, x) =>
      kernel.reduce(
        (sum, row, i) => sum + row.reduce((s, k, j) => s + k * image[y + i][x + j], 0),
        0,
      )
    )
  );

Deno.test("checkConvolve2d accepts the sliding sum and rejects a flip, a shape and a swap", () => {
  assert.equal(checkConvolve2d(convolve2d), "correct.");
  assert.equal(checkConvolve2d(() => undefined), NOT_ANSWERED);
  // The 4×4 example of the notebook, worked by hand: [[−1, 1], [−1, −1]].
  assert.deepEqual(
    convolve2d([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]], [[1, 0, -1], [1, 0, -1], [
      1,
      0,
      -1,
    ]]),
    [[-1, 1], [-1, -1]],
  );
  const flip = (image: number[][], kernel: number[][]) =>
    convolve2d(image, kernel.map((row) => [...row].reverse()).reverse());
  assert.throws(() => checkConvolve2d(flip), /you flipped the kernel \(rotated it by 180°\)/);
  // "Same" size by mistake: an H×W output, padded with zeros.
  const sameSize = (image: number[][], kernel: number[][]) => {
    const valid = convolve2d(image, kernel);
    return image.map((row, y) => row.map((_, x) => valid[y]?.[x] ?? 0));
  };
  assert.throws(
    () => checkConvolve2d(sameSize),
    /for a 4×4 image and a 3×3 kernel you return 4×4, expected 2×2 values: \(H − k \+ 1\) rows/,
  );
  // Kernel rows and columns swapped (K[j][i]): the edge kernel of the first case is not
  // symmetric, so its first output is already off.
  const transposed = (image: number[][], kernel: number[][]) =>
    convolve2d(image, kernel.map((row, i) => row.map((_, j) => kernel[j][i])));
  assert.throws(
    () => checkConvolve2d(transposed),
    /output \(0, 0\) is 0, expected -1: the sum of K\[i\]\[j\]·X\[0 \+ i\]\[0 \+ j\]/,
  );
});

/** A correct 2×2 max-pool backward pass: each tile's dP to its first maximum. */
const poolBackward = (A: number[][], dP: number[][]) => {
  const dA = A.map((row) => row.map(() => 0));
  for (let y = 0; y < dP.length; y++) {
    for (let x = 0; x < dP[0].length; x++) {
      const tile = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([i, j]) => [2 * y + i, 2 * x + j]);
      const values = tile.map(([u, v]) => A[u][v]);
      const [u, v] = tile[values.indexOf(Math.max(...values))]; // indexOf: the first maximum
      dA[u][v] = dP[y][x];
    }
  }
  return dA;
};

Deno.test("checkPoolBackward accepts argmax routing and rejects spreading, ties and shapes", () => {
  assert.equal(checkPoolBackward(poolBackward), "correct.");
  assert.equal(checkPoolBackward(() => undefined), NOT_ANSWERED);
  const spread = (A: number[][], dP: number[][]) =>
    A.map((row, u) => row.map((_, v) => dP[u >> 1]?.[v >> 1] / 4 || 0));
  assert.throws(() => checkPoolBackward(spread), /that is average pooling's backward pass/);
  // Every tied maximum gets the gradient: tile (0, 1) of the first case holds 2 twice.
  const allTied = (A: number[][], dP: number[][]) =>
    A.map((row, u) =>
      row.map((a, v) => {
        const y = u >> 1, x = v >> 1;
        if (y >= dP.length || x >= dP[0].length) return 0;
        const tile = [
          A[2 * y][2 * x],
          A[2 * y][2 * x + 1],
          A[2 * y + 1][2 * x],
          A[2 * y + 1][2 * x + 1],
        ];
        return a === Math.max(...tile) ? dP[y][x] : 0;
      })
    );
  assert.throws(
    () => checkPoolBackward(allTied),
    /dA at \(0, 3\) is 20, expected 0: .* Tile \(0, 1\) holds 2 twice: .* not both/,
  );
  // Ties broken the other way (`>=`): the last maximum in reading order gets the gradient.
  const lastMaximum = (A: number[][], dP: number[][]) =>
    A.map((row, u) =>
      row.map((_, v) => {
        const y = u >> 1, x = v >> 1;
        if (y >= dP.length || x >= dP[0].length) return 0;
        let best = [2 * y, 2 * x];
        for (const [i, j] of [[2 * y, 2 * x + 1], [2 * y + 1, 2 * x], [2 * y + 1, 2 * x + 1]]) {
          if (A[i][j] >= A[best[0]][best[1]]) best = [i, j];
        }
        return best[0] === u && best[1] === v ? dP[y][x] : 0;
      })
    );
  assert.throws(
    () => checkPoolBackward(lastMaximum),
    /dA at \(0, 2\) is 0, expected 20: .* so \(0, 2\) gets the gradient\. .*`>`, not `>=`/,
  );
  // The gradient sent to each tile's minimum instead: tile (0, 1)'s 20 lands on its 0 at (1, 3).
  const minimum = (A: number[][], dP: number[][]) =>
    poolBackward(A.map((row) => row.map((a) => -a)), dP);
  assert.throws(
    () => checkPoolBackward(minimum),
    /dA at \(0, 2\) is 0, expected 20: element \(u, v\) gets dP\[⌊u\/2⌋\]\[⌊v\/2⌋\] if it is its tile's maximum, else 0\.$/,
  );
  // Forgetting the odd side: a 4×4 dA for the 5×5 map.
  const cropped = (A: number[][], dP: number[][]) =>
    poolBackward(A.slice(0, 2 * dP.length).map((row) => row.slice(0, 2 * dP[0].length)), dP);
  assert.throws(
    () => checkPoolBackward(cropped),
    /for a 5×5 map A you return 4×4: dA has A's shape \(5×5\), with 0 where no tile's maximum/,
  );
});
