/**
 * The convolutional kernels of {@link ./conv_abi.ts} in plain TypeScript, the fallback where
 * WebAssembly SIMD is missing. As in {@link ./typescript.ts}, sums run in float64 and are
 * rounded to float32 once, when stored.
 *
 * @module
 */

import { ACTIVATION_CODES } from "./abi.ts";
import type { ConvKernels } from "./conv_abi.ts";

const { relu: RELU } = ACTIVATION_CODES;

/**
 * The TypeScript convolutional kernels over `memory`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const f32 = new Float32Array(memory.buffer);
 * f32.set([1, 5, 2, 0, 3, 4, 8, 1]); // A: one 2×4 map at byte 0
 * // 2×2 max pooling into P at byte 64, argmax (i32) at byte 128.
 * typescriptConvKernels(memory).maxPool(0, 1, 1, 2, 4, 2, 0, 64, 128);
 * assert.deepEqual([...f32.subarray(16, 18)], [5, 8]);
 * assert.deepEqual([...new Int32Array(memory.buffer, 128, 2)], [1, 6]);
 * ```
 */
export function typescriptConvKernels(memory: WebAssembly.Memory): ConvKernels {
  const { buffer } = memory;
  const f32 = new Float32Array(buffer), i32 = new Int32Array(buffer), u8 = new Uint8Array(buffer);
  // Float64 scratch rows, grown to the widest seen.
  let sums = new Float64Array(0);
  const scratch = (size: number) => {
    if (sums.length < size) sums = new Float64Array(size);
    sums.fill(0, 0, size);
    return sums;
  };
  return {
    loadPixels(from, to, images, order, n, scale, X) {
      for (let j = from; j < to; j++) {
        const image = images + i32[(order >> 2) + j] * n, x = (X >> 2) + j * n;
        for (let p = 0; p < n; p++) f32[x + p] = f32[(scale >> 2) + u8[image + p]];
      }
    },
    im2col(from, to, C, H, W, k, padding, X, cols) {
      const Ho = H + 2 * padding - k + 1, Wo = W + 2 * padding - k + 1, P = Ho * Wo;
      for (let j = from; j < to; j++) {
        const x0 = (X >> 2) + j * C * H * W;
        let out = (cols >> 2) + j * C * k * k * P;
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < k; i++) {
            for (let jj = 0; jj < k; jj++, out += P) {
              for (let y = 0; y < Ho; y++) {
                const u = y + i - padding;
                for (let x = 0; x < Wo; x++) {
                  const v = x + jj - padding;
                  const inside = u >= 0 && u < H && v >= 0 && v < W;
                  f32[out + y * Wo + x] = inside ? f32[x0 + (c * H + u) * W + v] : 0;
                }
              }
            }
          }
        }
      }
    },
    convolutionLayer(from, to, O, R, P, K, b, cols, A, activation) {
      for (let j = from; j < to; j++) {
        const c0 = (cols >> 2) + j * R * P;
        for (let o = 0; o < O; o++) {
          const row = scratch(P), w = (K >> 2) + o * R;
          for (let r = 0; r < R; r++) {
            const weight = f32[w + r], c = c0 + r * P;
            for (let p = 0; p < P; p++) row[p] += weight * f32[c + p];
          }
          const a = (A >> 2) + (j * O + o) * P, bias = f32[(b >> 2) + o];
          for (let p = 0; p < P; p++) {
            const z = Math.fround(row[p] + bias);
            f32[a + p] = activation === RELU && !(z > 0) ? 0 : z;
          }
        }
      }
    },
    maxPool(from, to, C, H, W, size, A, P, argmax) {
      const Ho = Math.floor(H / size), Wo = Math.floor(W / size);
      for (let j = from; j < to; j++) {
        const a = (A >> 2) + j * C * H * W, out = j * C * Ho * Wo;
        for (let c = 0; c < C; c++) {
          for (let y = 0; y < Ho; y++) {
            for (let x = 0; x < Wo; x++) {
              let best = (c * H + y * size) * W + x * size;
              for (let i = 0; i < size; i++) {
                for (let jj = 0; jj < size; jj++) {
                  const at = (c * H + y * size + i) * W + x * size + jj;
                  if (f32[a + at] > f32[a + best]) best = at; // ">": the first of equal maxima
                }
              }
              const q = out + (c * Ho + y) * Wo + x;
              f32[(P >> 2) + q] = f32[a + best];
              i32[(argmax >> 2) + q] = best;
            }
          }
        }
      }
    },
    maxPoolReluBackward(from, to, C, H, W, size, A, argmax, dP, dZ) {
      const pooled = C * Math.floor(H / size) * Math.floor(W / size), maps = C * H * W;
      for (let j = from; j < to; j++) {
        const a = (A >> 2) + j * maps, d = (dZ >> 2) + j * maps;
        f32.fill(0, d, d + maps);
        for (let q = j * pooled; q < (j + 1) * pooled; q++) {
          const at = i32[(argmax >> 2) + q];
          if (f32[a + at] > 0) f32[d + at] = f32[(dP >> 2) + q];
        }
      }
    },
    denseLayer(from, to, inputs, width, X, W, b, out, activation) {
      for (let j = from; j < to; j++) {
        const x = (X >> 2) + j * inputs;
        for (let u = 0; u < width; u++) {
          let s = 0;
          const w = (W >> 2) + u * inputs;
          for (let i = 0; i < inputs; i++) s += f32[w + i] * f32[x + i];
          const z = Math.fround(s + f32[(b >> 2) + u]);
          f32[(out >> 2) + j * width + u] = activation === RELU && !(z > 0) ? 0 : z;
        }
      }
    },
    denseInputGradient(from, to, rows, width, dZ, W, out) {
      for (let j = from; j < to; j++) {
        const row = scratch(width);
        for (let u = 0; u < rows; u++) {
          const d = f32[(dZ >> 2) + j * rows + u], w = (W >> 2) + u * width;
          for (let i = 0; i < width; i++) row[i] += d * f32[w + i];
        }
        f32.set(row.subarray(0, width), (out >> 2) + j * width);
      }
    },
    convolutionInputGradient(from, to, O, R, P, K, dZ, dcols) {
      for (let j = from; j < to; j++) {
        for (let r = 0; r < R; r++) {
          const row = scratch(P);
          for (let o = 0; o < O; o++) {
            const weight = f32[(K >> 2) + o * R + r], d = (dZ >> 2) + (j * O + o) * P;
            for (let p = 0; p < P; p++) row[p] += weight * f32[d + p];
          }
          f32.set(row.subarray(0, P), (dcols >> 2) + (j * R + r) * P);
        }
      }
    },
    col2im(from, to, C, H, W, k, padding, dcols, dX) {
      const Ho = H + 2 * padding - k + 1, Wo = W + 2 * padding - k + 1, P = Ho * Wo;
      for (let j = from; j < to; j++) {
        const maps = scratch(C * H * W);
        let d = (dcols >> 2) + j * C * k * k * P;
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < k; i++) {
            for (let jj = 0; jj < k; jj++, d += P) {
              for (let y = 0; y < Ho; y++) {
                const u = y + i - padding;
                if (u < 0 || u >= H) continue;
                for (let x = 0; x < Wo; x++) {
                  const v = x + jj - padding;
                  if (v >= 0 && v < W) maps[(c * H + u) * W + v] += f32[d + y * Wo + x];
                }
              }
            }
          }
        }
        f32.set(maps.subarray(0, C * H * W), (dX >> 2) + j * C * H * W);
      }
    },
    convolutionKernelGradient(from, to, m, O, R, P, dZ, cols, dK, db) {
      const dKo = scratch((to - from) * (R + 1)); // each channel's R weights, then its bias
      for (let j = 0; j < m; j++) {
        for (let o = from; o < to; o++) {
          const d = (dZ >> 2) + (j * O + o) * P, s = (o - from) * (R + 1);
          for (let r = 0; r < R; r++) {
            const c = (cols >> 2) + (j * R + r) * P;
            let dot = 0;
            for (let p = 0; p < P; p++) dot += f32[d + p] * f32[c + p];
            dKo[s + r] += dot;
          }
          for (let p = 0; p < P; p++) dKo[s + R] += f32[d + p];
        }
      }
      for (let o = from; o < to; o++) {
        const s = (o - from) * (R + 1);
        f32.set(dKo.subarray(s, s + R), (dK >> 2) + o * R);
        f32[(db >> 2) + o] = dKo[s + R];
      }
    },
  };
}
