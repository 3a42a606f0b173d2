/**
 * The kernels of {@link ./abi.ts} in plain TypeScript, over the same memory layout as the
 * WebAssembly ones: the fallback where WebAssembly SIMD is missing. Sums run in float64 (what a
 * JavaScript number is) and are rounded to float32 when stored, so these results are slightly
 * more accurate than the float32 WebAssembly ones, and just as independent of the thread count.
 *
 * @module
 */

import { sigmoidOf } from "../../activations.ts";
import { LOG_EPSILON } from "../../loss.ts";
import { ACTIVATION_CODES, type Kernels } from "./abi.ts";
import { typescriptConvKernels } from "./typescript_conv.ts";

const { relu: RELU, sigmoid: SIGMOID } = ACTIVATION_CODES;

/** dZ1 from Σ_c dZ2·W2 = `s` and the activation `x` = A1: s·g′, g′ written in terms of A1. */
function throughActivation(s: number, x: number, activation: number): number {
  return activation === RELU ? (x > 0 ? s : 0) : s * x * (1 - x);
}

/**
 * The TypeScript kernels over `memory` (shared or not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const kernels = typescriptKernels(new WebAssembly.Memory({ initial: 1 }));
 * assert.equal(kernels.name, "typescript");
 * ```
 */
export function typescriptKernels(memory: WebAssembly.Memory): Kernels {
  // The views are made once: a shared memory never detaches, and this one is never grown.
  const { buffer } = memory;
  const f32 = new Float32Array(buffer), f64 = new Float64Array(buffer);
  const i32 = new Int32Array(buffer), u8 = new Uint8Array(buffer);
  const u16 = new Uint16Array(buffer);
  return {
    name: "typescript",
    ...typescriptConvKernels(memory),
    countPixels(from, to, images, n, counts) {
      for (let i = from; i < to; i++) {
        let count = 0;
        for (let p = images + i * n; p < images + (i + 1) * n; p++) if (u8[p] !== 0) count++;
        i32[(counts >> 2) + i] = count;
      }
    },
    compressImages(from, to, images, order, n, scale, starts, indices, values) {
      for (let j = from; j < to; j++) {
        const image = images + i32[(order >> 2) + j] * n;
        let k = i32[(starts >> 2) + j];
        for (let p = 0; p < n; p++) {
          const pixel = u8[image + p];
          if (pixel === 0) continue;
          i32[(indices >> 2) + k] = p;
          f32[(values >> 2) + k++] = f32[(scale >> 2) + pixel];
        }
      }
    },
    gatherImages(
      from,
      to,
      order,
      storedStarts,
      storedPixels,
      storedBytes,
      scale,
      starts,
      indices,
      values,
    ) {
      for (let j = from; j < to; j++) {
        const image = i32[(order >> 2) + j], first = i32[(storedStarts >> 2) + image];
        const count = i32[(storedStarts >> 2) + image + 1] - first, k = i32[(starts >> 2) + j];
        for (let e = 0; e < count; e++) {
          i32[(indices >> 2) + k + e] = u16[(storedPixels >> 1) + first + e];
          f32[(values >> 2) + k + e] = f32[(scale >> 2) + u8[storedBytes + first + e]];
        }
      }
    },
    storeImages(from, to, images, n, storedStarts, storedPixels, storedBytes) {
      for (let i = from; i < to; i++) {
        let k = i32[(storedStarts >> 2) + i];
        for (let p = 0; p < n; p++) {
          const pixel = u8[images + i * n + p];
          if (pixel === 0) continue;
          u16[(storedPixels >> 1) + k] = p;
          u8[storedBytes + k++] = pixel;
        }
      }
    },
    transposeSparse(from, to, cols, starts, indices, values, startsT, indicesT, valuesT, cursor) {
      const s = starts >> 2, sT = startsT >> 2, c = cursor >> 2;
      i32.fill(0, sT, sT + cols + 1);
      for (let k = i32[s + from]; k < i32[s + to]; k++) i32[sT + i32[(indices >> 2) + k] + 1]++;
      for (let p = 0; p < cols; p++) i32[sT + p + 1] += i32[sT + p];
      i32.copyWithin(c, sT, sT + cols);
      for (let r = from; r < to; r++) {
        for (let k = i32[s + r]; k < i32[s + r + 1]; k++) {
          const position = i32[c + i32[(indices >> 2) + k]]++;
          i32[(indicesT >> 2) + position] = r - from;
          f32[(valuesT >> 2) + position] = f32[(values >> 2) + k];
        }
      }
    },
    sparseTimesDense(
      from,
      to,
      starts,
      indices,
      values,
      D,
      width,
      bias,
      out,
      activation,
      accumulate,
    ) {
      const d = D >> 2, ix = indices >> 2, vx = values >> 2;
      for (let r = from; r < to; r++) {
        const begin = i32[(starts >> 2) + r], end = i32[(starts >> 2) + r + 1];
        const o = (out >> 2) + r * width;
        // Where the sums start: out's own row, the bias, or zero.
        const b = accumulate ? o : bias >> 2;
        const start = (u: number) => accumulate || bias ? f32[b + u] : 0;
        let u = 0;
        // Eight columns per pass over the entries: each index and value is read once for eight
        // sums kept in local variables (registers), not in memory.
        for (; u + 8 <= width; u += 8) {
          let s0 = start(u), s1 = start(u + 1), s2 = start(u + 2), s3 = start(u + 3);
          let s4 = start(u + 4), s5 = start(u + 5), s6 = start(u + 6), s7 = start(u + 7);
          for (let k = begin; k < end; k++) {
            const row = d + i32[ix + k] * width + u, v = f32[vx + k];
            s0 += v * f32[row];
            s1 += v * f32[row + 1];
            s2 += v * f32[row + 2];
            s3 += v * f32[row + 3];
            s4 += v * f32[row + 4];
            s5 += v * f32[row + 5];
            s6 += v * f32[row + 6];
            s7 += v * f32[row + 7];
          }
          f32[o + u] = s0;
          f32[o + u + 1] = s1;
          f32[o + u + 2] = s2;
          f32[o + u + 3] = s3;
          f32[o + u + 4] = s4;
          f32[o + u + 5] = s5;
          f32[o + u + 6] = s6;
          f32[o + u + 7] = s7;
        }
        for (; u < width; u++) {
          let s = start(u);
          for (let k = begin; k < end; k++) s += f32[vx + k] * f32[d + i32[ix + k] * width + u];
          f32[o + u] = s;
        }
        if (activation === RELU) {
          for (let i = o; i < o + width; i++) f32[i] = f32[i] > 0 ? f32[i] : 0;
        } else if (activation === SIGMOID) {
          for (let i = o; i < o + width; i++) f32[i] = sigmoidOf(f32[i]);
        }
      }
    },
    outputLayer(from, to, h, classes, A1, W2, b2, A2, labels, loss, predicted) {
      const a = A1 >> 2, w = W2 >> 2, bias = b2 >> 2;
      let j = from;
      // Four images per pass over each row of W2: four independent sums, so that each addition
      // need not wait for the one before (each sum still adds in the order of u), and each
      // weight is read once for the four.
      for (; j + 4 <= to; j += 4) {
        for (let c = 0; c < classes; c++) {
          const row = w + c * h, a0 = a + j * h, a1 = a0 + h, a2 = a1 + h, a3 = a2 + h;
          let z0 = f32[bias + c], z1 = z0, z2 = z0, z3 = z0;
          for (let u = 0; u < h; u++) {
            const weight = f32[row + u];
            z0 += weight * f32[a0 + u];
            z1 += weight * f32[a1 + u];
            z2 += weight * f32[a2 + u];
            z3 += weight * f32[a3 + u];
          }
          const p = (A2 >> 2) + j * classes + c;
          f32[p] = z0;
          f32[p + classes] = z1;
          f32[p + 2 * classes] = z2;
          f32[p + 3 * classes] = z3;
        }
      }
      for (; j < to; j++) {
        for (let c = 0; c < classes; c++) {
          let z = f32[bias + c];
          for (let u = 0; u < h; u++) z += f32[w + c * h + u] * f32[a + j * h + u];
          f32[(A2 >> 2) + j * classes + c] = z;
        }
      }
      for (let j = from; j < to; j++) {
        const p = (A2 >> 2) + j * classes;
        let max = -Infinity, best = 0;
        for (let c = 0; c < classes; c++) {
          if (f32[p + c] > max) {
            max = f32[p + c];
            best = c;
          }
        }
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          const e = Math.exp(f32[p + c] - max);
          f32[p + c] = e;
          sum += e;
        }
        for (let c = 0; c < classes; c++) f32[p + c] /= sum;
        u8[predicted + j] = best;
        if (labels) {
          f64[(loss >> 3) + j] = -Math.log(Math.max(f32[p + u8[labels + j]], LOG_EPSILON));
        }
      }
    },
    hiddenGradient(from, to, h, classes, A1, W2, A2, labels, invM, activation, dZ2, dZ1) {
      // The whole numbers as int32 (| 0) before any index arithmetic: listed beside the fraction
      // invM, they arrive as doubles (an array holding a fraction keeps all its numbers as
      // doubles, and a call spread from it passes them so), and index arithmetic in doubles
      // ran this kernel at less than half its speed (docs/performance.md).
      from |= 0, to |= 0, h |= 0, classes |= 0, labels |= 0;
      const w = W2 >> 2;
      for (let j = from; j < to; j++) {
        const p = (A2 >> 2) + j * classes, d = (dZ2 >> 2) + j * classes;
        for (let c = 0; c < classes; c++) {
          f32[d + c] = (f32[p + c] - (c === u8[labels + j] ? 1 : 0)) * invM;
        }
        const a = (A1 >> 2) + j * h, out = (dZ1 >> 2) + j * h;
        // sums[u] = Σ_c dZ2ᵀ[j, c]·W2[c, u], eight units at a time in local variables
        // (registers), each adding the classes in order.
        let u = 0;
        for (; u + 8 <= h; u += 8) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
          for (let c = 0; c < classes; c++) {
            const dc = f32[d + c], row = w + c * h + u;
            s0 += dc * f32[row];
            s1 += dc * f32[row + 1];
            s2 += dc * f32[row + 2];
            s3 += dc * f32[row + 3];
            s4 += dc * f32[row + 4];
            s5 += dc * f32[row + 5];
            s6 += dc * f32[row + 6];
            s7 += dc * f32[row + 7];
          }
          f32[out + u] = throughActivation(s0, f32[a + u], activation);
          f32[out + u + 1] = throughActivation(s1, f32[a + u + 1], activation);
          f32[out + u + 2] = throughActivation(s2, f32[a + u + 2], activation);
          f32[out + u + 3] = throughActivation(s3, f32[a + u + 3], activation);
          f32[out + u + 4] = throughActivation(s4, f32[a + u + 4], activation);
          f32[out + u + 5] = throughActivation(s5, f32[a + u + 5], activation);
          f32[out + u + 6] = throughActivation(s6, f32[a + u + 6], activation);
          f32[out + u + 7] = throughActivation(s7, f32[a + u + 7], activation);
        }
        for (; u < h; u++) {
          let s = 0;
          for (let c = 0; c < classes; c++) s += f32[d + c] * f32[w + c * h + u];
          f32[out + u] = throughActivation(s, f32[a + u], activation);
        }
      }
    },
    transposedProduct(from, to, m, A, widthA, B, widthB, out, accumulate) {
      // Each element summed in float64 over j in order (the WebAssembly kernel's order), then
      // rounded to float32 once: eight columns of an output row at a time, their sums in
      // local variables (registers), read down B's rows. Accumulating, the sums start from
      // out's float32 values.
      const b = B >> 2;
      const start = (at: number) => accumulate ? f32[at] : 0;
      for (let r = from; r < to; r++) {
        const a = (A >> 2) + r, o = (out >> 2) + r * widthB;
        let u = 0;
        for (; u + 8 <= widthB; u += 8) {
          let s0 = start(o + u), s1 = start(o + u + 1), s2 = start(o + u + 2);
          let s3 = start(o + u + 3), s4 = start(o + u + 4), s5 = start(o + u + 5);
          let s6 = start(o + u + 6), s7 = start(o + u + 7);
          for (let j = 0; j < m; j++) {
            const x = f32[a + j * widthA], row = b + j * widthB + u;
            s0 += x * f32[row];
            s1 += x * f32[row + 1];
            s2 += x * f32[row + 2];
            s3 += x * f32[row + 3];
            s4 += x * f32[row + 4];
            s5 += x * f32[row + 5];
            s6 += x * f32[row + 6];
            s7 += x * f32[row + 7];
          }
          f32[o + u] = s0;
          f32[o + u + 1] = s1;
          f32[o + u + 2] = s2;
          f32[o + u + 3] = s3;
          f32[o + u + 4] = s4;
          f32[o + u + 5] = s5;
          f32[o + u + 6] = s6;
          f32[o + u + 7] = s7;
        }
        for (; u < widthB; u++) {
          let s = start(o + u);
          for (let j = 0; j < m; j++) s += f32[a + j * widthA] * f32[b + j * widthB + u];
          f32[o + u] = s;
        }
      }
    },
    columnSums(from, to, m, A, width, out, accumulate) {
      for (let u = from; u < to; u++) {
        let s = accumulate ? f32[(out >> 2) + u] : 0;
        for (let j = 0; j < m; j++) s += f32[(A >> 2) + j * width + u];
        f32[(out >> 2) + u] = s;
      }
    },
    momentumStep(from, to, theta, gradient, velocity, beta, eta) {
      // Views of exactly the range: the loop then indexes from 0, which the engine compiles to
      // tighter code than offsets into the whole memory (docs/performance.md).
      const t = f32.subarray((theta >> 2) + from, (theta >> 2) + to);
      const g = f32.subarray((gradient >> 2) + from, (gradient >> 2) + to);
      const v = f64.subarray((velocity >> 3) + from, (velocity >> 3) + to);
      for (let i = 0; i < t.length; i++) {
        v[i] = beta * v[i] + g[i];
        t[i] -= eta * v[i];
      }
    },
  };
}
