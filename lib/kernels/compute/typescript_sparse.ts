/**
 * The first layer's kernels of {@link ./abi.ts} in plain TypeScript, as wasm/assembly/sparse.ts
 * has them: a batch's images in and out of compressed rows, and the products with the zero
 * pixels skipped. As in {@link ./typescript.ts}, sums run in float64 and are rounded to float32
 * once, when stored.
 *
 * @module
 */

import { sigmoidOf } from "../../activations.ts";
import { ACTIVATION_CODES, COLUMN_BLOCK, type Kernels } from "./abi.ts";

const { relu: RELU, sigmoid: SIGMOID } = ACTIVATION_CODES;

/** The kernels this module implements. */
export type SparseKernels = Pick<
  Kernels,
  | "countPixels"
  | "compressImages"
  | "gatherImages"
  | "storeImages"
  | "transposeSparse"
  | "sparseTimesDense"
  | "sparseTimesDenseColumns"
>;

/**
 * The TypeScript first-layer kernels over `memory`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const i32 = new Int32Array(memory.buffer), f32 = new Float32Array(memory.buffer);
 * // One row with entries (column 1, 2) and (column 2, 0.5) at bytes 0-19, times D (3×2) at 64.
 * i32.set([0, 2, 1, 2], 0);
 * f32.set([2, 0.5], 4);
 * f32.set([0, 0, 1, 10, 100, 1000], 16);
 * typescriptSparseKernels(memory).sparseTimesDense(0, 1, 0, 8, 16, 64, 2, 0, 128, 0, 0);
 * assert.deepEqual([...f32.subarray(32, 34)], [2 * 1 + 0.5 * 100, 2 * 10 + 0.5 * 1000]);
 * ```
 */
export function typescriptSparseKernels(memory: WebAssembly.Memory): SparseKernels {
  const { buffer } = memory;
  const f32 = new Float32Array(buffer), i32 = new Int32Array(buffer);
  const u8 = new Uint8Array(buffer), u16 = new Uint16Array(buffer);
  return {
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
      sparseProduct(
        from,
        to,
        0,
        width,
        starts,
        indices,
        values,
        D,
        width,
        bias,
        out,
        activation,
        accumulate,
      );
    },
    sparseTimesDenseColumns(
      from,
      to,
      rows,
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
      sparseProduct(
        0,
        rows,
        from * COLUMN_BLOCK,
        Math.min(to * COLUMN_BLOCK, width),
        starts,
        indices,
        values,
        D,
        width,
        bias,
        out,
        activation,
        accumulate,
      );
    },
  };

  /** out[r, first..end) of sparseTimesDense for the rows r in [from, to). */
  function sparseProduct(
    from: number,
    to: number,
    first: number,
    end: number,
    starts: number,
    indices: number,
    values: number,
    D: number,
    width: number,
    bias: number,
    out: number,
    activation: number,
    accumulate: number,
  ) {
    const d = D >> 2, ix = indices >> 2, vx = values >> 2;
    for (let r = from; r < to; r++) {
      const begin = i32[(starts >> 2) + r], stop = i32[(starts >> 2) + r + 1];
      const o = (out >> 2) + r * width;
      // Where the sums start: out's own row, the bias, or zero.
      const b = accumulate ? o : bias >> 2;
      const start = (u: number) => accumulate || bias ? f32[b + u] : 0;
      let u = first;
      // Eight columns per pass over the entries: each index and value is read once for eight
      // sums kept in local variables (registers), not in memory.
      for (; u + 8 <= end; u += 8) {
        let s0 = start(u), s1 = start(u + 1), s2 = start(u + 2), s3 = start(u + 3);
        let s4 = start(u + 4), s5 = start(u + 5), s6 = start(u + 6), s7 = start(u + 7);
        for (let k = begin; k < stop; k++) {
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
      for (; u < end; u++) {
        let s = start(u);
        for (let k = begin; k < stop; k++) s += f32[vx + k] * f32[d + i32[ix + k] * width + u];
        f32[o + u] = s;
      }
      if (activation === RELU) {
        for (let i = o + first; i < o + end; i++) f32[i] = f32[i] > 0 ? f32[i] : 0;
      } else if (activation === SIGMOID) {
        for (let i = o + first; i < o + end; i++) f32[i] = sigmoidOf(f32[i]);
      }
    }
  }
}
