/**
 * AssemblyScript: the convolutional network's forward kernels (backward: conv_backward.ts; pooling:
 * pool.ts; its dense layers: conv_dense.ts) (lib/kernels/compute/conv_abi.ts has the
 * formulas and layouts; lib/kernels/compute/typescript_conv.ts is the same ABI in TypeScript,
 * lib/cnn/ the readable reference both are tested against). Each per-sample kernel works on the
 * samples [from, to); every output element is always summed in the same order.
 */

import { lanes } from "./lanes";
import { activate, activate4 } from "./sparse";

// The rows im2col moves are short (10 to 28 floats): plain loops beat memory.copy and
// memory.fill, whose calls into the engine cost more than the copy itself.

/** n f32 from `source` to `target`, four at a time. */
@inline function copy(target: usize, source: usize, n: i32): void {
  let x: i32 = 0;
  for (; x + 4 <= n; x += 4) v128.store(target + (<usize>x << 2), v128.load(source + (<usize>x << 2)));
  for (; x < n; x++) store<f32>(target + (<usize>x << 2), load<f32>(source + (<usize>x << 2)));
}

/** n zeros (f32) from `target` on. */
@inline function zeros(target: usize, n: i32): void {
  for (let x: i32 = 0; x < n; x++) store<f32>(target + (<usize>x << 2), 0);
}

/** X[j, p] = scale[images[order[j]·n + p]] for the samples j in [from, to). */
export function loadPixels(
  from: i32, to: i32, images: usize, order: usize, n: i32, scale: usize, X: usize,
): void {
  for (let j = from; j < to; j++) {
    const image = images + <usize>load<i32>(order + (<usize>j << 2)) * <usize>n;
    const x = X + <usize>j * (<usize>n << 2);
    for (let p: i32 = 0; p < n; p++) {
      store<f32>(x + (<usize>p << 2), load<f32>(scale + (<usize>load<u8>(image + <usize>p) << 2)));
    }
  }
}

/** cols[j] (C·k·k × H′·W′) from X[j] (C×H×W), zero padded: each row a copy of shifted pixels. */
export function im2col(
  from: i32, to: i32, C: i32, H: i32, W: i32, k: i32, padding: i32, X: usize, cols: usize,
): void {
  const Ho = H + 2 * padding - k + 1, Wo = W + 2 * padding - k + 1, P = Ho * Wo;
  for (let j = from; j < to; j++) {
    const x0 = X + <usize>j * <usize>(C * H * W) * 4;
    let out = cols + <usize>j * <usize>(C * k * k * P) * 4;
    for (let c: i32 = 0; c < C; c++) {
      for (let i: i32 = 0; i < k; i++) {
        for (let jj: i32 = 0; jj < k; jj++) {
          // Output columns x with 0 ≤ x + jj − padding < W read pixels; the rest are zeros.
          const xFirst = max(0, padding - jj), xEnd = min(Wo, W + padding - jj);
          for (let y: i32 = 0; y < Ho; y++) {
            const row = out + <usize>(y * Wo) * 4, u = y + i - padding;
            if (u < 0 || u >= H || xEnd <= xFirst) {
              zeros(row, Wo);
              continue;
            }
            zeros(row, xFirst);
            const source = x0 + <usize>((c * H + u) * W + xFirst + jj - padding) * 4;
            copy(row + <usize>xFirst * 4, source, xEnd - xFirst);
            zeros(row + <usize>xEnd * 4, Wo - xEnd);
          }
          out += <usize>P * 4;
        }
      }
    }
  }
}

/**
 * A[j] (O×P) = g(K·cols[j] + b): four output channels by four positions at a time, the R
 * products of each added in order r = 0, 1, … .
 */
export function convolutionLayer(
  from: i32, to: i32, O: i32, R: i32, P: i32, K: usize, b: usize, cols: usize, A: usize,
  activation: i32,
): void {
  const rowBytes = <usize>P << 2;
  for (let j = from; j < to; j++) {
    const c0 = cols + <usize>j * <usize>R * rowBytes, a0 = A + <usize>j * <usize>O * rowBytes;
    let o: i32 = 0;
    for (; o + 4 <= O; o += 4) {
      const w0 = K + <usize>(o * R) * 4, w1 = w0 + <usize>R * 4;
      const w2 = w1 + <usize>R * 4, w3 = w2 + <usize>R * 4;
      let p: i32 = 0;
      for (; p + 4 <= P; p += 4) {
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let c = c0 + (<usize>p << 2);
        for (let r: i32 = 0; r < R; r++) {
          const x = v128.load(c);
          const at = <usize>r << 2;
          s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(w0 + at), x));
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(w1 + at), x));
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(w2 + at), x));
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(w3 + at), x));
          c += rowBytes;
        }
        const out = a0 + <usize>o * rowBytes + (<usize>p << 2);
        const bias = b + (<usize>o << 2);
        v128.store(out, activate4(f32x4.add(s0, v128.load32_splat(bias)), activation));
        v128.store(out + rowBytes, activate4(f32x4.add(s1, v128.load32_splat(bias + 4)), activation));
        v128.store(out + 2 * rowBytes, activate4(f32x4.add(s2, v128.load32_splat(bias + 8)), activation));
        v128.store(out + 3 * rowBytes, activate4(f32x4.add(s3, v128.load32_splat(bias + 12)), activation));
      }
      for (; p < P; p++) {
        for (let q: i32 = 0; q < 4; q++) convolutionAt(c0, a0, o + q, R, P, p, K, b, activation);
      }
    }
    for (; o < O; o++) {
      for (let p: i32 = 0; p < P; p++) convolutionAt(c0, a0, o, R, P, p, K, b, activation);
    }
  }
}

/** One element of convolutionLayer's output, summed in the same order as the vector lanes. */
@inline function convolutionAt(
  c0: usize, a0: usize, o: i32, R: i32, P: i32, p: i32, K: usize, b: usize, activation: i32,
): void {
  let s: f32 = 0;
  for (let r: i32 = 0; r < R; r++) {
    s += load<f32>(K + <usize>(o * R + r) * 4) * load<f32>(c0 + <usize>(r * P + p) * 4);
  }
  store<f32>(a0 + <usize>(o * P + p) * 4, activate(s + load<f32>(b + (<usize>o << 2)), activation));
}
