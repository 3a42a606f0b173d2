/**
 * The notebook's intermediate products (loop order, register tiling) against the textbook
 * `matmul`, on shapes that do not fill the 4×4 tile, including empty and all-zero ones.
 */

import assert from "node:assert/strict";
import { matmulLoopOrder, matmulTiled } from "../lib/matmul_steps.ts";
import { matmul, Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { assertAllClose } from "./assert.ts";
import { absolute, randomMatrix } from "./kernel_arena.ts";

for (const product of [matmulLoopOrder, matmulTiled]) {
  Deno.test(`${product.name} equals matmul on tile-filling and ragged shapes`, () => {
    const random = new Random(9);
    for (const [n, k, m] of [[8, 12, 8], [5, 7, 6], [1, 3, 1], [4, 1, 9], [13, 20, 3], [0, 3, 2]]) {
      const A = randomMatrix(n, k, random), B = randomMatrix(k, m, random);
      const actual = product(A, B), expected = matmul(A, B);
      assert.deepEqual(actual.shape, [n, m]);
      // Both sum in float64 and round once, in different orders: k·2⁻⁵³·Σ|a·b| apart at most.
      const magnitudes = matmul(absolute(A), absolute(B));
      actual.data.forEach((value, i) =>
        assert.ok(
          Math.abs(value - expected.data[i]) <= 2 ** -23 * magnitudes.data[i] + 1e-30,
          `${n}×${k}·${k}×${m} element ${i}: ${value} vs ${expected.data[i]}`,
        )
      );
    }
  });

  Deno.test(`${product.name} of zeros is zeros, and mismatched shapes are refused`, () => {
    assertAllClose(product(Matrix.zeros(5, 6), Matrix.zeros(6, 7)).data, new Float32Array(35));
    assert.throws(() => product(Matrix.zeros(2, 3), Matrix.zeros(4, 2)), /do not match/);
  });
}
