/**
 * The convolutional kernels (lib/kernels/compute/conv_abi.ts) against lib/cnn/'s readable
 * references, on small random tensors with odd sizes, for both the WebAssembly SIMD and the
 * TypeScript kernels. Expected values are the references run in Float64 on the same
 * (float32-rounded) inputs; a kernel's float32 sum of k products may differ from them by
 * Higham's bound (k + 2)·2⁻²⁴·Σ|products| (tests/kernel_arena.ts), Σ|products| being the same
 * reference run on the inputs' absolute values.
 */

import assert from "node:assert/strict";
import { convolve, convolveBackward } from "../lib/cnn/convolution.ts";
import { maxPool, maxPoolBackward } from "../lib/cnn/pooling.ts";
import { Tensor } from "../lib/cnn/tensor.ts";
import { ACTIVATION_CODES } from "../lib/kernels/compute/abi.ts";
import { Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { Arena, assertWithinF32Bound, KERNEL_KINDS } from "./kernel_arena.ts";

/** A Float64 tensor of float32-representable values uniform in [−1, 1). */
function randomTensor(shape: readonly number[], random: Random): Tensor {
  const T = Tensor.zeros(shape, "f64");
  for (let i = 0; i < T.size; i++) T.data[i] = Math.fround(random.uniform() * 2 - 1);
  return T;
}

/** |T| element-wise. */
function absolute(T: Tensor): Tensor {
  return new Tensor(T.shape, T.data.map(Math.abs) as Float64Array);
}

/** T's elements as a 1×size matrix, for assertWithinF32Bound. */
const flat = (T: Tensor) => new Matrix(1, T.size, T.data);

// [m, C, H, O, k, padding]: "same" and "valid" padding, sizes not multiples of 4.
const CASES = [[2, 1, 7, 5, 3, 1], [3, 2, 6, 4, 5, 0], [2, 3, 9, 8, 5, 2]];

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: im2col and convolutionLayer give the convolution K ⋆ X + b`, () => {
    const random = new Random(3);
    for (const [m, C, H, O, k, padding] of CASES) {
      const arena = new Arena(kind);
      const X = randomTensor([m, C, H, H], random), K = randomTensor([O, C, k, k], random);
      const b = randomTensor([O], random);
      const Z = convolve(X, K, b, { padding });
      const [, , Ho] = Z.shape, P = Ho * Ho, R = C * k * k;
      const cols = arena.alloc(m * R * P * 4), A = arena.alloc(m * O * P * 4);
      const at = { X: arena.putF32(X.data), K: arena.putF32(K.data), b: arena.putF32(b.data) };
      arena.kernels.im2col(0, m, C, H, H, k, padding, at.X, cols);
      arena.kernels.convolutionLayer(0, m, O, R, P, at.K, at.b, cols, A, ACTIVATION_CODES.none);
      const magnitudes = convolve(absolute(X), absolute(K), absolute(b), { padding });
      assertWithinF32Bound(arena.matrix(A, 1, Z.size), flat(Z), flat(magnitudes), R + 1, "Z");
      // With ReLU, the negative sums become exactly 0 and the others stay as they were.
      const relu = arena.alloc(m * O * P * 4);
      arena.kernels.convolutionLayer(0, m, O, R, P, at.K, at.b, cols, relu, ACTIVATION_CODES.relu);
      const zs = arena.matrix(A, 1, Z.size).data, as = arena.matrix(relu, 1, Z.size).data;
      assert.deepEqual(as, zs.map((z) => (z > 0 ? z : 0)));
    }
  });

  Deno.test(`${kind}: the convolution's backward kernels give convolveBackward's dK, db, dX`, () => {
    const random = new Random(4);
    for (const [m, C, H, O, k, padding] of CASES) {
      const arena = new Arena(kind);
      const X = randomTensor([m, C, H, H], random), K = randomTensor([O, C, k, k], random);
      const Ho = H + 2 * padding - k + 1, P = Ho * Ho, R = C * k * k;
      const dZ = randomTensor([m, O, Ho, Ho], random);
      const { dX, dK, db } = convolveBackward(dZ, X, K, { padding });
      const bound = convolveBackward(absolute(dZ), absolute(X), absolute(K), { padding });
      const at = { X: arena.putF32(X.data), K: arena.putF32(K.data), dZ: arena.putF32(dZ.data) };
      const cols = arena.alloc(m * R * P * 4), dcols = arena.alloc(m * R * P * 4);
      const dKAt = arena.alloc(O * R * 4), dbAt = arena.alloc(O * 4);
      const dXAt = arena.alloc(X.size * 4);
      arena.kernels.im2col(0, m, C, H, H, k, padding, at.X, cols);
      // Rows of dK in two calls, as two threads would split them.
      const half = O >> 1;
      arena.kernels.convolutionKernelGradient(0, half, m, O, R, P, at.dZ, cols, dKAt, dbAt);
      arena.kernels.convolutionKernelGradient(half, O, m, O, R, P, at.dZ, cols, dKAt, dbAt);
      arena.kernels.convolutionInputGradient(0, m, O, R, P, at.K, at.dZ, dcols);
      arena.kernels.col2im(0, m, C, H, H, k, padding, dcols, dXAt);
      // dK sums m·P products (per sample, then over the samples), db m·P terms, dX O·k·k.
      const terms = m * P;
      assertWithinF32Bound(arena.matrix(dKAt, 1, dK.size), flat(dK), flat(bound.dK), terms, "dK");
      assertWithinF32Bound(arena.matrix(dbAt, 1, O), flat(db), flat(bound.db), terms, "db");
      assertWithinF32Bound(
        arena.matrix(dXAt, 1, X.size),
        flat(dX!),
        flat(bound.dX!),
        O * k * k,
        "dX",
      );
    }
  });

  Deno.test(`${kind}: maxPool and maxPoolReluBackward match pooling.ts, ties included`, () => {
    const random = new Random(5);
    // 7 and 19 columns: the last one is dropped; 19 also runs four tiles at a time.
    for (const [m, C, H, W] of [[3, 2, 6, 7], [2, 3, 9, 19]]) {
      const arena = new Arena(kind);
      // Values in {−1, 0, 1, 2}: ties and ReLU's zeros in many tiles.
      const A = Tensor.zeros([m, C, H, W], "f64").zerosLike();
      for (let i = 0; i < A.size; i++) A.data[i] = Math.max(0, random.integer(4) - 1);
      const { P, argmax } = maxPool(A, 2);
      const at = arena.putF32(A.data),
        Pat = arena.alloc(P.size * 4),
        argmaxAt = arena.alloc(P.size * 4);
      arena.kernels.maxPool(0, m, C, H, W, 2, at, Pat, argmaxAt);
      assert.deepEqual(arena.matrix(Pat, 1, P.size).data, Float32Array.from(P.data));
      // The kernel's argmax is per sample: add each sample's offset to compare.
      const perSample = C * H * W, pooled = P.size / m;
      const kernelArgmax = Array.from(
        arena.i32.subarray(argmaxAt >> 2, (argmaxAt >> 2) + P.size),
        (offset, q) => offset + Math.floor(q / pooled) * perSample,
      );
      assert.deepEqual(kernelArgmax, Array.from(argmax));
      const dP = randomTensor(P.shape, random);
      const dA = maxPoolBackward(dP, argmax, A.shape);
      const dZ = dA.data.map((d, i) => (A.data[i] > 0 ? d : 0)); // ∘ ReLU′, A = ReLU(Z)
      const dZAt = arena.alloc(A.size * 4);
      arena.f32.fill(7, dZAt >> 2, (dZAt >> 2) + A.size); // stale values must be overwritten
      arena.kernels.maxPoolReluBackward(
        0,
        m,
        C,
        H,
        W,
        2,
        at,
        argmaxAt,
        arena.putF32(dP.data),
        dZAt,
      );
      assert.deepEqual(arena.matrix(dZAt, 1, A.size).data, Float32Array.from(dZ));
    }
  });

  Deno.test(`${kind}: denseLayer and denseInputGradient are W·x + b and Wᵀ·dz per sample`, () => {
    const random = new Random(6);
    for (const [m, inputs, width] of [[3, 37, 5], [2, 400, 16]]) {
      const arena = new Arena(kind);
      const X = randomTensor([m, inputs], random), W = randomTensor([width, inputs], random);
      const b = randomTensor([width], random), dZ = randomTensor([m, width], random);
      const expected = new Float64Array(m * width), magnitudes = new Float64Array(m * width);
      const dX = new Float64Array(m * inputs), dXBound = new Float64Array(m * inputs);
      for (let j = 0; j < m; j++) {
        for (let u = 0; u < width; u++) {
          let s = b.data[u], a = Math.abs(b.data[u]);
          for (let i = 0; i < inputs; i++) {
            const w = W.data[u * inputs + i];
            s += w * X.data[j * inputs + i];
            a += Math.abs(w * X.data[j * inputs + i]);
            dX[j * inputs + i] += dZ.data[j * width + u] * w;
            dXBound[j * inputs + i] += Math.abs(dZ.data[j * width + u] * w);
          }
          expected[j * width + u] = s;
          magnitudes[j * width + u] = a;
        }
      }
      const Wat = arena.putF32(W.data), out = arena.alloc(m * width * 4);
      const dXAt = arena.alloc(m * inputs * 4);
      arena.kernels.denseLayer(
        0,
        m,
        inputs,
        width,
        arena.putF32(X.data),
        Wat,
        arena.putF32(b.data),
        out,
        ACTIVATION_CODES.none,
      );
      arena.kernels.denseInputGradient(0, m, width, inputs, arena.putF32(dZ.data), Wat, dXAt);
      const row = (data: Float64Array) => new Matrix(1, data.length, data);
      assertWithinF32Bound(
        arena.matrix(out, 1, m * width),
        row(expected),
        row(magnitudes),
        inputs + 1,
        "Z",
      );
      assertWithinF32Bound(arena.matrix(dXAt, 1, m * inputs), row(dX), row(dXBound), width, "dX");
    }
  });
}
