import assert from "node:assert/strict";
import { maxPool, maxPoolBackward } from "../lib/cnn/pooling.ts";
import { Tensor } from "../lib/cnn/tensor.ts";
import { compareGradients } from "../lib/gradient_check.ts";
import { Random } from "../lib/random.ts";
import { randomTensor, weightedSum } from "./cnn_helpers.ts";

Deno.test("2×2 max pooling of a 4×4 map, by hand, with its argmax", () => {
  const A = Tensor.image([
    [1, 3, 2, 2],
    [4, 0, 1, 0],
    [-1, -5, 7, 8],
    [-2, -3, 9, 6],
  ]);
  // Tiles: {1, 3, 4, 0} → 4 at (1, 0); {2, 2, 1, 0} → 2, a tie: the first, (0, 2);
  // {−1, −5, −2, −3} → −1 at (2, 0); {7, 8, 9, 6} → 9 at (3, 2).
  const { P, argmax } = maxPool(A, 2);
  assert.deepEqual(P.toImage(), [[4, 2], [-1, 9]]);
  assert.deepEqual(Array.from(argmax), [1 * 4 + 0, 0 * 4 + 2, 2 * 4 + 0, 3 * 4 + 2]);
  // Backward: each tile's gradient lands on its maximum, zeros elsewhere.
  const dA = maxPoolBackward(Tensor.image([[10, 20], [30, 40]]), argmax, A.shape);
  assert.deepEqual(dA.toImage(), [
    [0, 0, 20, 0],
    [10, 0, 0, 0],
    [30, 0, 0, 0],
    [0, 0, 40, 0],
  ]);
});

Deno.test("pooling drops the rows and columns past the last whole tile; channels stay apart", () => {
  // 2 images × 2 channels of 5×5, values = offsets: the maximum of a tile is its bottom-right.
  const A = new Tensor([2, 2, 5, 5], Float32Array.from({ length: 100 }, (_, i) => i));
  const { P } = maxPool(A, 2);
  assert.deepEqual(P.shape, [2, 2, 2, 2]);
  // Map 3 (image 1, channel 1) starts at 75: tiles end at (1, 1), (1, 3), (3, 1), (3, 3).
  assert.deepEqual(P.toImage(1, 1), [[75 + 6, 75 + 8], [75 + 16, 75 + 18]]);
  assert.deepEqual(maxPool(A, 3).P.toImage(0, 0), [[12]]);
  assert.throws(() => maxPool(A, 6), /tile size/);
});

Deno.test("maxPoolBackward matches centred differences", () => {
  const random = new Random(2);
  const A = randomTensor([2, 3, 6, 4], random);
  const R = randomTensor([2, 3, 3, 2], random);
  const loss = () => weightedSum(maxPool(A, 2).P, R);
  const dA = maxPoolBackward(R, maxPool(A, 2).argmax, A.shape);
  const [result] = compareGradients(loss, [{ name: "A", values: A.data, gradient: dA.data }]);
  assert.ok(result.relativeError < 1e-9, `relative error ${result.relativeError}`);
});

Deno.test("the gradient check catches a pooling backward that spreads the gradient over the tile", () => {
  const random = new Random(4);
  const A = randomTensor([1, 1, 4, 4], random);
  const R = randomTensor([1, 1, 2, 2], random);
  const loss = () => weightedSum(maxPool(A, 2).P, R);
  // The wrong rule of average pooling: dA = dP / 4 on every element of the tile.
  const spread = Tensor.zeros([1, 1, 4, 4], "f64");
  for (let u = 0; u < 4; u++) {
    for (let v = 0; v < 4; v++) spread.data[u * 4 + v] = R.get(0, 0, u >> 1, v >> 1) / 4;
  }
  const [result] = compareGradients(loss, [{ name: "A", values: A.data, gradient: spread.data }]);
  assert.ok(result.relativeError > 0.3, `relative error ${result.relativeError}`);
});
