/**
 * AssemblyScript: the CNN's dense layers, one sample per row: Z = W·F + b and the gradient back to
 * F. Same conventions as conv.ts: lib/kernels/compute/conv_abi.ts has the formulas and layouts,
 * lib/kernels/compute/typescript_conv.ts the same ABI in TypeScript, lib/cnn/ the readable
 * reference; every output element is always summed in the same order.
 */

import { dot, lanes } from "./lanes";
import { activate, activate4 } from "./sparse";

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
