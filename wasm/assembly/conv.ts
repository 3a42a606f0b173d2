/**
 * AssemblyScript: the convolutional network's kernels (lib/kernels/compute/conv_abi.ts has the
 * formulas and layouts; lib/kernels/compute/typescript_conv.ts is the same ABI in TypeScript,
 * lib/cnn/ the readable reference both are tested against). Each per-sample kernel works on the
 * samples [from, to); every output element is always summed in the same order.
 */

import { RELU } from "./sparse";

@inline function activate4(s: v128, activation: i32): v128 {
  return activation == RELU ? f32x4.pmax(f32x4.splat(0), s) : s;
}

@inline function activate(s: f32, activation: i32): f32 {
  return activation == RELU && !(s > 0) ? 0 : s;
}

/** The four lanes of s added in a fixed order. */
@inline function lanes(s: v128): f32 {
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) +
    f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

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

/**
 * size×size max pooling of A[j] into P[j], with each maximum's offset in A[j]. 2×2 tiles (the
 * network's) take four outputs at a time: the tiles' four corners as vectors, compared in
 * reading order with ">" so that ties keep the first, as the scalar loop does.
 */
export function maxPool(
  from: i32, to: i32, C: i32, H: i32, W: i32, size: i32, A: usize, P: usize, argmax: usize,
): void {
  const Ho = H / size, Wo = W / size;
  for (let j = from; j < to; j++) {
    const a = A + <usize>j * <usize>(C * H * W) * 4;
    const first = j * C * Ho * Wo;
    for (let c: i32 = 0; c < C; c++) {
      for (let y: i32 = 0; y < Ho; y++) {
        let x: i32 = 0;
        if (size == 2) {
          for (; x + 4 <= Wo; x += 4) {
            const topLeft = (c * H + 2 * y) * W + 2 * x;
            const top = a + <usize>topLeft * 4, bottom = top + <usize>W * 4;
            const t0 = v128.load(top), t1 = v128.load(top + 16);
            const b0 = v128.load(bottom), b1 = v128.load(bottom + 16);
            const evens = i32x4(0, 2, 4, 6);
            let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
            let at = i32x4.add(i32x4.splat(topLeft), evens);
            // The other corners in reading order: top right, bottom left, bottom right.
            let corner = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
            let better = f32x4.gt(corner, best);
            best = v128.bitselect(corner, best, better);
            at = v128.bitselect(i32x4.add(i32x4.splat(topLeft + 1), evens), at, better);
            corner = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
            better = f32x4.gt(corner, best);
            best = v128.bitselect(corner, best, better);
            at = v128.bitselect(i32x4.add(i32x4.splat(topLeft + W), evens), at, better);
            corner = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
            better = f32x4.gt(corner, best);
            best = v128.bitselect(corner, best, better);
            at = v128.bitselect(i32x4.add(i32x4.splat(topLeft + W + 1), evens), at, better);
            const q = <usize>(first + (c * Ho + y) * Wo + x) * 4;
            v128.store(P + q, best);
            v128.store(argmax + q, at);
          }
        }
        for (; x < Wo; x++) poolAt(a, c, H, W, size, y, x, P, argmax, first + (c * Ho + y) * Wo + x);
      }
    }
  }
}

/** One tile of maxPool. */
@inline function poolAt(
  a: usize, c: i32, H: i32, W: i32, size: i32, y: i32, x: i32, P: usize, argmax: usize, out: i32,
): void {
  let best = (c * H + y * size) * W + x * size;
  let value = load<f32>(a + <usize>best * 4);
  for (let i: i32 = 0; i < size; i++) {
    for (let jj: i32 = 0; jj < size; jj++) {
      const at = (c * H + y * size + i) * W + x * size + jj;
      const candidate = load<f32>(a + <usize>at * 4);
      if (candidate > value) {
        value = candidate;
        best = at;
      }
    }
  }
  store<f32>(P + <usize>out * 4, value);
  store<i32>(argmax + <usize>out * 4, best);
}

/** dZ[j] = 0 but at each argmax, which gets dP's element where A > 0 (ReLU′). */
export function maxPoolReluBackward(
  from: i32, to: i32, C: i32, H: i32, W: i32, size: i32, A: usize, argmax: usize, dP: usize,
  dZ: usize,
): void {
  const pooled = C * (H / size) * (W / size), maps = C * H * W;
  for (let j = from; j < to; j++) {
    const a = A + <usize>(j * maps) * 4, d = dZ + <usize>(j * maps) * 4;
    memory.fill(d, 0, <usize>maps * 4);
    for (let q = j * pooled; q < (j + 1) * pooled; q++) {
      const at = <usize>load<i32>(argmax + (<usize>q << 2)) << 2;
      if (load<f32>(a + at) > 0) store<f32>(d + at, load<f32>(dP + (<usize>q << 2)));
    }
  }
}

/** x·y over n f32, four lanes at a time, the lanes added in a fixed order at the end. */
@inline function dot(x: usize, y: usize, n: i32): f32 {
  let s = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    s = f32x4.add(s, f32x4.mul(v128.load(x + (<usize>i << 2)), v128.load(y + (<usize>i << 2))));
  }
  let total = lanes(s);
  for (; i < n; i++) total += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return total;
}

/**
 * out[j, u] = g(b[u] + W[u, :]·X[j, :]), four outputs at a time: four independent sums (the
 * adds of one sum wait for each other, four interleave) over one load of X's lanes.
 */
export function denseLayer(
  from: i32, to: i32, inputs: i32, width: i32, X: usize, W: usize, b: usize, out: usize,
  activation: i32,
): void {
  const rowBytes = <usize>inputs << 2;
  for (let j = from; j < to; j++) {
    const x = X + <usize>j * rowBytes, o = out + <usize>(j * width) * 4;
    let u: i32 = 0;
    for (; u + 4 <= width; u += 4) {
      const w0 = W + <usize>u * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes;
      const w3 = w2 + rowBytes;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let i: i32 = 0;
      for (; i + 4 <= inputs; i += 4) {
        const at = <usize>i << 2, v = v128.load(x + at);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(w0 + at), v));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(w1 + at), v));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(w2 + at), v));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(w3 + at), v));
      }
      let t0 = lanes(s0), t1 = lanes(s1), t2 = lanes(s2), t3 = lanes(s3);
      for (; i < inputs; i++) {
        const at = <usize>i << 2, v = load<f32>(x + at);
        t0 += load<f32>(w0 + at) * v;
        t1 += load<f32>(w1 + at) * v;
        t2 += load<f32>(w2 + at) * v;
        t3 += load<f32>(w3 + at) * v;
      }
      const bias = b + (<usize>u << 2), target = o + (<usize>u << 2);
      store<f32>(target, activate(t0 + load<f32>(bias), activation));
      store<f32>(target + 4, activate(t1 + load<f32>(bias + 4), activation));
      store<f32>(target + 8, activate(t2 + load<f32>(bias + 8), activation));
      store<f32>(target + 12, activate(t3 + load<f32>(bias + 12), activation));
    }
    for (; u < width; u++) {
      const z = dot(W + <usize>u * rowBytes, x, inputs) + load<f32>(b + (<usize>u << 2));
      store<f32>(o + (<usize>u << 2), activate(z, activation));
    }
  }
}

/** out[j, :] = Σᵤ dZ[j, u]·W[u, :], sixteen columns (four independent sums) at a time. */
export function denseInputGradient(
  from: i32, to: i32, rows: i32, width: i32, dZ: usize, W: usize, out: usize,
): void {
  const rowBytes = <usize>width << 2;
  for (let j = from; j < to; j++) {
    const d = dZ + <usize>(j * rows) * 4, o = out + <usize>j * rowBytes;
    let i: i32 = 0;
    for (; i + 16 <= width; i += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let w = W + (<usize>i << 2);
      for (let u: i32 = 0; u < rows; u++) {
        const g = v128.load32_splat(d + (<usize>u << 2));
        s0 = f32x4.add(s0, f32x4.mul(g, v128.load(w)));
        s1 = f32x4.add(s1, f32x4.mul(g, v128.load(w + 16)));
        s2 = f32x4.add(s2, f32x4.mul(g, v128.load(w + 32)));
        s3 = f32x4.add(s3, f32x4.mul(g, v128.load(w + 48)));
        w += rowBytes;
      }
      const target = o + (<usize>i << 2);
      v128.store(target, s0);
      v128.store(target + 16, s1);
      v128.store(target + 32, s2);
      v128.store(target + 48, s3);
    }
    for (; i + 4 <= width; i += 4) {
      let s = f32x4.splat(0);
      for (let u: i32 = 0; u < rows; u++) {
        const w = v128.load(W + <usize>u * rowBytes + (<usize>i << 2));
        s = f32x4.add(s, f32x4.mul(v128.load32_splat(d + (<usize>u << 2)), w));
      }
      v128.store(o + (<usize>i << 2), s);
    }
    for (; i < width; i++) {
      let s: f32 = 0;
      for (let u: i32 = 0; u < rows; u++) {
        s += load<f32>(d + (<usize>u << 2)) * load<f32>(W + <usize>u * rowBytes + (<usize>i << 2));
      }
      store<f32>(o + (<usize>i << 2), s);
    }
  }
}

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
