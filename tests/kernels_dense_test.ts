/**
 * The output-layer and small dense kernels against lib/'s readable references (softmax, loss,
 * backprop's products), one sample per row, on widths that are not multiples of 4, for both the
 * WebAssembly SIMD and the TypeScript kernels.
 */

import assert from "node:assert/strict";
import { activate, activationDerivative } from "../lib/activations.ts";
import { ACTIVATION_CODES } from "../lib/kernels/compute/abi.ts";
import { LOG_EPSILON, oneHot, softmaxCrossEntropyGradient } from "../lib/loss.ts";
import {
  addColumn,
  matmul,
  matmulTransposeA,
  Matrix,
  multiplyElementwise,
  scale,
  sumRows,
} from "../lib/matrix.ts";
import { predictions } from "../lib/network.ts";
import { Random } from "../lib/random.ts";
import { softmax } from "../lib/softmax.ts";
import {
  absolute,
  Arena,
  assertWithinF32Bound,
  KERNEL_KINDS,
  randomMatrix,
  transpose,
} from "./kernel_arena.ts";

const SHAPES = [[7, 10, 128], [5, 10, 37], [3, 3, 1], [9, 4, 6]]; // m, classes, h

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: outputLayer gives softmax(W2·A1 + b2), the loss and the prediction`, () => {
    const random = new Random(5);
    for (const [m, c, h] of SHAPES) {
      const arena = new Arena(kind);
      const A1 = randomMatrix(h, m, random, 0.5), W2 = randomMatrix(c, h, random);
      const b2 = randomMatrix(c, 1, random);
      const labels = Array.from({ length: m }, () => random.integer(c));
      const A2T = arena.alloc(m * c * 4), loss = arena.alloc(m * 8), predicted = arena.alloc(m);
      const labelsAt = arena.alloc(m);
      arena.u8.set(labels, labelsAt);
      arena.kernels.outputLayer(
        0,
        m,
        h,
        c,
        arena.putF32(transpose(A1).data),
        arena.putF32(W2.data),
        arena.putF32(b2.data),
        A2T,
        labelsAt,
        loss,
        predicted,
      );
      const A2 = softmax(addColumn(matmul(W2, A1), b2));
      // |Δz| ≤ (h + 2)·2⁻²⁴·Σ|w·a| + |b|; softmax and −log p then move by at most 2·max|Δz|.
      const magnitudes = addColumn(matmul(absolute(W2), absolute(A1)), absolute(b2));
      const dz = (h + 3) * 2 ** -24 * Math.max(...magnitudes.data);
      const tolerance = 2 * dz + 2 ** -23;
      const actual = transpose(arena.matrix(A2T, m, c));
      actual.data.forEach((p, i) => assert.ok(Math.abs(p - A2.data[i]) <= tolerance, `p ${i}`));
      for (let j = 0; j < m; j++) {
        const expected = -Math.log(Math.max(A2.get(labels[j], j), LOG_EPSILON));
        assert.ok(Math.abs(arena.f64[(loss >> 3) + j] - expected) <= tolerance * 10, `loss ${j}`);
      }
      assert.deepEqual(
        Array.from(arena.u8.subarray(predicted, predicted + m)),
        Array.from(predictions(A2)),
      );
    }
  });

  for (const activation of ["relu", "sigmoid"] as const) {
    Deno.test(`${kind}: hiddenGradient gives dZ2/m and dZ1 = (W2ᵀ·dZ2) ∘ g′(Z1), ${activation}`, () => {
      const random = new Random(6);
      for (const [m, c, h] of SHAPES) {
        const arena = new Arena(kind);
        const Z1 = randomMatrix(h, m, random), W2 = randomMatrix(c, h, random);
        const A1 = activate(Z1, activation);
        const A2 = softmax(randomMatrix(c, m, random));
        const labels = Array.from({ length: m }, () => random.integer(c));
        const labelsAt = arena.alloc(m),
          dZ2T = arena.alloc(m * c * 4),
          dZ1T = arena.alloc(m * h * 4);
        arena.u8.set(labels, labelsAt);
        arena.kernels.hiddenGradient(
          0,
          m,
          h,
          c,
          arena.putF32(transpose(A1).data),
          arena.putF32(W2.data),
          arena.putF32(transpose(A2).data),
          labelsAt,
          1 / m,
          ACTIVATION_CODES[activation],
          dZ2T,
          dZ1T,
        );
        const dZ2 = scale(softmaxCrossEntropyGradient(A2, oneHot(labels, c)), 1 / m);
        const derivative = activationDerivative(Z1, activation);
        const dZ1 = multiplyElementwise(matmulTransposeA(W2, dZ2), derivative);
        const ones = new Matrix(c, m, new Float32Array(c * m).fill(2 / m));
        assertWithinF32Bound(transpose(arena.matrix(dZ2T, m, c)), dZ2, ones, 0, `${kind} dZ2`);
        // g′ from A1 (float32) instead of Z1 adds a relative 2⁻²² for the sigmoid.
        const magnitudes = multiplyElementwise(
          matmulTransposeA(absolute(W2), absolute(dZ2)),
          derivative,
        );
        assertWithinF32Bound(
          transpose(arena.matrix(dZ1T, m, h)),
          dZ1,
          magnitudes,
          c + 4,
          `${kind} dZ1`,
        );
      }
    });
  }

  Deno.test(`${kind}: transposedProduct is Aᵀ·B and columnSums are the column sums`, () => {
    const random = new Random(7);
    for (const [m, wA, wB] of [[128, 10, 128], [5, 3, 37], [1, 1, 1], [9, 6, 5]]) {
      const arena = new Arena(kind);
      const A = randomMatrix(m, wA, random, 0.2), B = randomMatrix(m, wB, random);
      const [At, Bt] = [arena.putF32(A.data), arena.putF32(B.data)];
      const out = arena.alloc(wA * wB * 4), sums = arena.alloc(wB * 4);
      arena.kernels.transposedProduct(0, wA, m, At, wA, Bt, wB, out, 0);
      arena.kernels.columnSums(0, wB, m, Bt, wB, sums, 0);
      assertWithinF32Bound(
        arena.matrix(out, wA, wB),
        matmulTransposeA(A, B),
        matmulTransposeA(absolute(A), absolute(B)),
        m,
        `${kind} Aᵀ·B ${m}×${wA}, ${m}×${wB}`,
      );
      assertWithinF32Bound(
        arena.matrix(sums, wB, 1),
        sumRows(transpose(B)),
        sumRows(transpose(absolute(B))),
        m,
        `${kind} column sums ${m}×${wB}`,
      );
    }
  });

  Deno.test(`${kind}: transposedProduct and columnSums accumulate a batch block by block`, () => {
    // 1,100 samples as blocks of 512, 512 and 76 (a full batch's), widths not multiples of 4.
    const [m, wA, wB, blocks] = [1100, 10, 37, [[0, 512], [512, 1024], [1024, 1100]]];
    const random = new Random(11);
    const arena = new Arena(kind);
    const A = randomMatrix(m, wA, random, 0.2), B = randomMatrix(m, wB, random);
    const [At, Bt] = [arena.putF32(A.data), arena.putF32(B.data)];
    const [whole, wholeSums] = [arena.alloc(wA * wB * 4), arena.alloc(wB * 4)];
    arena.kernels.transposedProduct(0, wA, m, At, wA, Bt, wB, whole, 0);
    arena.kernels.columnSums(0, wB, m, Bt, wB, wholeSums, 0);
    // Left over from an earlier batch: accumulate 0 must not add to it.
    const out = arena.putF32(Array(wA * wB).fill(5)), sums = arena.putF32(Array(wB).fill(5));
    for (const [first, end] of blocks) {
      const accumulate = first > 0 ? 1 : 0, rows = end - first;
      const [Ablock, Bblock] = [At + first * wA * 4, Bt + first * wB * 4];
      arena.kernels.transposedProduct(0, wA, rows, Ablock, wA, Bblock, wB, out, accumulate);
      arena.kernels.columnSums(0, wB, rows, Bblock, wB, sums, accumulate);
    }
    if (kind === "wasm") {
      // float32 sums going on from the stored float32 value: the same additions in the same order.
      assert.deepEqual(arena.matrix(out, wA, wB).data, arena.matrix(whole, wA, wB).data);
      assert.deepEqual(arena.matrix(sums, wB, 1).data, arena.matrix(wholeSums, wB, 1).data);
    }
    // Either way, the sums over all 1,100 samples (the TypeScript kernels' float64 sums are
    // rounded once per block).
    assertWithinF32Bound(
      arena.matrix(out, wA, wB),
      matmulTransposeA(A, B),
      matmulTransposeA(absolute(A), absolute(B)),
      m,
      `${kind} Aᵀ·B block by block`,
    );
    assertWithinF32Bound(
      arena.matrix(sums, wB, 1),
      sumRows(transpose(B)),
      sumRows(transpose(absolute(B))),
      m,
      `${kind} column sums block by block`,
    );
  });
}
