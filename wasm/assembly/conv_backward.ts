/**
 * AssemblyScript: the convolutions' backward passes: the input gradient (through the patches and
 * col2im) and the kernel gradient. Same conventions as conv.ts: lib/kernels/compute/conv_abi.ts
 * has the formulas and layouts, lib/kernels/compute/typescript_conv.ts the same ABI in TypeScript,
 * lib/cnn/ the readable reference; every output element is always summed in the same order.
 */

import { dot, lanes } from "./lanes";

/** dcols[j, r, :] = Σₒ K[o, r]·dZ[j, o, :], four rows by four positions at a time. */
export function convolutionInputGradient(
  from: i32, to: i32, O: i32, R: i32, P: i32, K: usize, dZ: usize, dcols: usize,
): void {
  const rowBytes = <usize>P << 2, kernelBytes = <usize>R << 2;
  for (let j = from; j < to; j++) {
    const d0 = dZ + <usize>j * <usize>O * rowBytes, out0 = dcols + <usize>j * <usize>R * rowBytes;
    let r: i32 = 0;
    for (; r + 4 <= R; r += 4) {
      let p: i32 = 0;
      for (; p + 4 <= P; p += 4) {
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let d = d0 + (<usize>p << 2), w = K + (<usize>r << 2);
        for (let o: i32 = 0; o < O; o++) {
          const g = v128.load(d);
          s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(w), g));
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(w + 4), g));
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(w + 8), g));
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(w + 12), g));
          d += rowBytes;
          w += kernelBytes;
        }
        const out = out0 + <usize>r * rowBytes + (<usize>p << 2);
        v128.store(out, s0);
        v128.store(out + rowBytes, s1);
        v128.store(out + 2 * rowBytes, s2);
        v128.store(out + 3 * rowBytes, s3);
      }
      for (; p < P; p++) {
        for (let q: i32 = 0; q < 4; q++) inputGradientAt(d0, out0, O, R, P, r + q, p, K);
      }
    }
    for (; r < R; r++) {
      for (let p: i32 = 0; p < P; p++) inputGradientAt(d0, out0, O, R, P, r, p, K);
    }
  }
}

@inline function inputGradientAt(
  d0: usize, out0: usize, O: i32, R: i32, P: i32, r: i32, p: i32, K: usize,
): void {
  let s: f32 = 0;
  for (let o: i32 = 0; o < O; o++) {
    s += load<f32>(K + <usize>(o * R + r) * 4) * load<f32>(d0 + <usize>(o * P + p) * 4);
  }
  store<f32>(out0 + <usize>(r * P + p) * 4, s);
}

/** dX[j] = Σ of dcols[j]'s entries at each pixel, rows (c, i, jj) in order. */
export function col2im(
  from: i32, to: i32, C: i32, H: i32, W: i32, k: i32, padding: i32, dcols: usize, dX: usize,
): void {
  const Ho = H + 2 * padding - k + 1, Wo = W + 2 * padding - k + 1, P = Ho * Wo;
  for (let j = from; j < to; j++) {
    const x0 = dX + <usize>j * <usize>(C * H * W) * 4;
    memory.fill(x0, 0, <usize>(C * H * W) * 4);
    let d = dcols + <usize>j * <usize>(C * k * k * P) * 4;
    for (let c: i32 = 0; c < C; c++) {
      for (let i: i32 = 0; i < k; i++) {
        for (let jj: i32 = 0; jj < k; jj++) {
          const xFirst = max(0, padding - jj), xEnd = min(Wo, W + padding - jj);
          for (let y: i32 = 0; y < Ho; y++) {
            const u = y + i - padding;
            if (u < 0 || u >= H) continue;
            const row = d + <usize>(y * Wo + xFirst) * 4;
            const target = x0 + <usize>((c * H + u) * W + xFirst + jj - padding) * 4;
            const n = xEnd - xFirst;
            let x: i32 = 0;
            for (; x + 4 <= n; x += 4) {
              const at = target + (<usize>x << 2);
              v128.store(at, f32x4.add(v128.load(at), v128.load(row + (<usize>x << 2))));
            }
            for (; x < n; x++) {
              const at = target + (<usize>x << 2);
              store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>x << 2)));
            }
          }
          d += <usize>P * 4;
        }
      }
    }
  }
}

/**
 * For the channels o in [from, to): dK[o, r] = Σⱼ Σₚ dZ[j, o, p]·cols[j, r, p] and
 * db[o] = Σⱼ Σₚ dZ[j, o, p], sample after sample (each sample's sum over p first).
 */
export function convolutionKernelGradient(
  from: i32, to: i32, m: i32, O: i32, R: i32, P: i32, dZ: usize, cols: usize, dK: usize,
  db: usize,
): void {
  const rowBytes = <usize>P << 2;
  memory.fill(dK + <usize>(from * R) * 4, 0, <usize>((to - from) * R) * 4);
  memory.fill(db + (<usize>from << 2), 0, <usize>(to - from) * 4);
  for (let j: i32 = 0; j < m; j++) {
    const c0 = cols + <usize>j * <usize>R * rowBytes;
    for (let o = from; o < to; o++) {
      const d = dZ + <usize>(j * O + o) * rowBytes, k = dK + <usize>(o * R) * 4;
      let r: i32 = 0;
      for (; r + 4 <= R; r += 4) {
        const c = c0 + <usize>r * rowBytes;
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let p: i32 = 0;
        for (; p + 4 <= P; p += 4) {
          const at = <usize>p << 2, g = v128.load(d + at);
          s0 = f32x4.add(s0, f32x4.mul(g, v128.load(c + at)));
          s1 = f32x4.add(s1, f32x4.mul(g, v128.load(c + rowBytes + at)));
          s2 = f32x4.add(s2, f32x4.mul(g, v128.load(c + 2 * rowBytes + at)));
          s3 = f32x4.add(s3, f32x4.mul(g, v128.load(c + 3 * rowBytes + at)));
        }
        let t0 = lanes(s0), t1 = lanes(s1), t2 = lanes(s2), t3 = lanes(s3);
        for (; p < P; p++) {
          const at = <usize>p << 2, g = load<f32>(d + at);
          t0 += g * load<f32>(c + at);
          t1 += g * load<f32>(c + rowBytes + at);
          t2 += g * load<f32>(c + 2 * rowBytes + at);
          t3 += g * load<f32>(c + 3 * rowBytes + at);
        }
        const out = k + (<usize>r << 2);
        store<f32>(out, load<f32>(out) + t0);
        store<f32>(out + 4, load<f32>(out + 4) + t1);
        store<f32>(out + 8, load<f32>(out + 8) + t2);
        store<f32>(out + 12, load<f32>(out + 12) + t3);
      }
      for (; r < R; r++) {
        const out = k + (<usize>r << 2);
        store<f32>(out, load<f32>(out) + dot(d, c0 + <usize>r * rowBytes, P));
      }
      const bias = db + (<usize>o << 2);
      let s = f32x4.splat(0);
      let p: i32 = 0;
      for (; p + 4 <= P; p += 4) s = f32x4.add(s, v128.load(d + (<usize>p << 2)));
      let total = lanes(s);
      for (; p < P; p++) total += load<f32>(d + (<usize>p << 2));
      store<f32>(bias, load<f32>(bias) + total);
    }
  }
}
