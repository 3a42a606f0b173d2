/**
 * AssemblyScript: the output layer and the small dense products of backpropagation, one sample
 * per row as in wasm/sparse.ts. The per-sample kernels take a row range [from, to) so that
 * threads can share a batch; each element is always computed in the same order.
 */

import { dot } from "./lanes";
import { RELU } from "./sparse";

/** Probabilities this small count as this when the loss takes their logarithm (lib/loss.ts). */
const LOG_EPSILON: f64 = 1e-12;

/**
 * For the samples j in [from, to): A2ᵀ[j, :] = softmax(W2·A1ᵀ[j, :] + b2), with W2 (classes×h).
 * With labels (`labels` ≠ 0, one byte each), also loss[j] = −log(max(A2ᵀ[j, y], 1e-12)) as f64,
 * and always predicted[j] = the most probable class (the first one on ties).
 */
export function outputLayer(
  from: i32, to: i32, h: i32, classes: i32, A1: usize, W2: usize, b2: usize, A2: usize,
  labels: usize, loss: usize, predicted: usize,
): void {
  for (let j = from; j < to; j++) {
    const a = A1 + <usize>j * (<usize>h << 2);
    const p = A2 + <usize>j * (<usize>classes << 2);
    let max: f32 = -Infinity;
    let best: i32 = 0;
    for (let c: i32 = 0; c < classes; c++) {
      const z = load<f32>(b2 + (<usize>c << 2)) + dot(W2 + <usize>c * (<usize>h << 2), a, h);
      store<f32>(p + (<usize>c << 2), z);
      if (z > max) {
        max = z;
        best = c;
      }
    }
    // Subtracting the largest logit keeps exp from overflowing (lib/softmax.ts).
    let sum: f64 = 0;
    for (let c: i32 = 0; c < classes; c++) {
      const e = Math.exp(<f64>load<f32>(p + (<usize>c << 2)) - <f64>max);
      store<f32>(p + (<usize>c << 2), <f32>e);
      sum += e;
    }
    for (let c: i32 = 0; c < classes; c++) {
      store<f32>(p + (<usize>c << 2), <f32>(<f64>load<f32>(p + (<usize>c << 2)) / sum));
    }
    store<u8>(predicted + <usize>j, <u8>best);
    if (labels != 0) {
      const y = <usize>load<u8>(labels + <usize>j);
      store<f64>(loss + (<usize>j << 3), -Math.log(Math.max(<f64>load<f32>(p + (y << 2)), LOG_EPSILON)));
    }
  }
}

/**
 * For the samples j in [from, to): dZ2ᵀ[j, :] = (A2ᵀ[j, :] − onehot(y))·invM and
 * dZ1ᵀ[j, :] = (W2ᵀ·dZ2ᵀ[j, :]) ∘ g′, where g′ comes from A1 itself: 1 where A1 > 0 for ReLU,
 * A1·(1 − A1) for sigmoid. invM = 1/m folds the batch mean into every gradient.
 */
export function hiddenGradient(
  from: i32, to: i32, h: i32, classes: i32, A1: usize, W2: usize, A2: usize, labels: usize,
  invM: f32, activation: i32, dZ2: usize, dZ1: usize,
): void {
  const rowBytes = <usize>h << 2;
  for (let j = from; j < to; j++) {
    const y = <i32>load<u8>(labels + <usize>j);
    const p = A2 + <usize>j * (<usize>classes << 2), d = dZ2 + <usize>j * (<usize>classes << 2);
    for (let c: i32 = 0; c < classes; c++) {
      const target: f32 = c == y ? 1 : 0;
      store<f32>(d + (<usize>c << 2), (load<f32>(p + (<usize>c << 2)) - target) * invM);
    }
    const a = A1 + <usize>j * rowBytes, out = dZ1 + <usize>j * rowBytes;
    let u: i32 = 0;
    for (; u + 4 <= h; u += 4) {
      const column = <usize>u << 2;
      let s = f32x4.splat(0);
      for (let c: i32 = 0; c < classes; c++) {
        const w = v128.load(W2 + <usize>c * rowBytes + column);
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(d + (<usize>c << 2))), w));
      }
      const x = v128.load(a + column);
      const gradient = activation == RELU
        ? v128.and(s, f32x4.gt(x, f32x4.splat(0)))
        : f32x4.mul(s, f32x4.mul(x, f32x4.sub(f32x4.splat(1), x)));
      v128.store(out + column, gradient);
    }
    for (; u < h; u++) {
      const column = <usize>u << 2;
      let s: f32 = 0;
      for (let c: i32 = 0; c < classes; c++) {
        s += load<f32>(d + (<usize>c << 2)) * load<f32>(W2 + <usize>c * rowBytes + column);
      }
      const x = load<f32>(a + column);
      store<f32>(out + column, activation == RELU ? (x > 0 ? s : 0) : s * (x * (1 - x)));
    }
  }
}

/**
 * For the rows r in [from, to): out[r, :] = Σⱼ A[j, r]·B[j, :] over the m samples, that is
 * out = Aᵀ·B with A (m×widthA), B (m×widthB), out (widthA×widthB). dW2 = (dZ2ᵀ)ᵀ·A1ᵀ.
 * With `accumulate` 1 the sums go on from out's values: a batch's samples taken block by block
 * give the same float32 additions, in the same order, as one call over them all.
 */
export function transposedProduct(
  from: i32, to: i32, m: i32, A: usize, widthA: i32, B: usize, widthB: i32, out: usize,
  accumulate: i32,
): void {
  const rowBytes = <usize>widthB << 2, stepA = <usize>widthA << 2;
  for (let r = from; r < to; r++) {
    const o = out + <usize>r * rowBytes, a = A + (<usize>r << 2);
    let u: i32 = 0;
    // 32 columns of the output row at a time, their sums in 8 registers while the samples go
    // by: each sum is stored once, not once per sample (a store per sample and column made
    // this kernel wait on the stores).
    for (; u + 32 <= widthB; u += 32) {
      const column = <usize>u << 2, oc = o + column;
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
      if (accumulate) {
        s0 = v128.load(oc, 0); s1 = v128.load(oc, 16); s2 = v128.load(oc, 32); s3 = v128.load(oc, 48);
        s4 = v128.load(oc, 64); s5 = v128.load(oc, 80); s6 = v128.load(oc, 96); s7 = v128.load(oc, 112);
      }
      for (let j: i32 = 0; j < m; j++) {
        const x = f32x4.splat(load<f32>(a + <usize>j * stepA));
        const b = B + <usize>j * rowBytes + column;
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b, 0)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b, 16)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b, 32)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b, 48)));
        s4 = f32x4.add(s4, f32x4.mul(x, v128.load(b, 64)));
        s5 = f32x4.add(s5, f32x4.mul(x, v128.load(b, 80)));
        s6 = f32x4.add(s6, f32x4.mul(x, v128.load(b, 96)));
        s7 = f32x4.add(s7, f32x4.mul(x, v128.load(b, 112)));
      }
      v128.store(oc, s0, 0); v128.store(oc, s1, 16); v128.store(oc, s2, 32); v128.store(oc, s3, 48);
      v128.store(oc, s4, 64); v128.store(oc, s5, 80); v128.store(oc, s6, 96); v128.store(oc, s7, 112);
    }
    for (; u + 4 <= widthB; u += 4) {
      const column = <usize>u << 2;
      let s = accumulate ? v128.load(o + column) : f32x4.splat(0);
      for (let j: i32 = 0; j < m; j++) {
        const x = f32x4.splat(load<f32>(a + <usize>j * stepA));
        s = f32x4.add(s, f32x4.mul(x, v128.load(B + <usize>j * rowBytes + column)));
      }
      v128.store(o + column, s);
    }
    for (; u < widthB; u++) {
      const column = <usize>u << 2;
      let s: f32 = accumulate ? load<f32>(o + column) : 0;
      for (let j: i32 = 0; j < m; j++) {
        s += load<f32>(a + <usize>j * stepA) * load<f32>(B + <usize>j * rowBytes + column);
      }
      store<f32>(o + column, s);
    }
  }
}

/**
 * For the columns u in [from, to): out[u] = Σⱼ A[j, u] over the m rows of A (m×width). The bias
 * gradients: db1 from dZ1ᵀ, db2 from dZ2ᵀ. With `accumulate` 1 the sums go on from out's
 * values, as in {@link transposedProduct}.
 */
export function columnSums(
  from: i32, to: i32, m: i32, A: usize, width: i32, out: usize, accumulate: i32,
): void {
  const rowBytes = <usize>width << 2;
  let u = from;
  for (; u + 4 <= to; u += 4) {
    const column = <usize>u << 2;
    let s = accumulate ? v128.load(out + column) : f32x4.splat(0);
    for (let j: i32 = 0; j < m; j++) s = f32x4.add(s, v128.load(A + <usize>j * rowBytes + column));
    v128.store(out + column, s);
  }
  for (; u < to; u++) {
    const column = <usize>u << 2;
    let s: f32 = accumulate ? load<f32>(out + column) : 0;
    for (let j: i32 = 0; j < m; j++) s += load<f32>(A + <usize>j * rowBytes + column);
    store<f32>(out + column, s);
  }
}
