/**
 * AssemblyScript: the CNN's 2×2 max pooling and its backward pass through ReLU. Same conventions
 * as conv.ts: lib/kernels/compute/conv_abi.ts has the formulas and layouts,
 * lib/kernels/compute/typescript_conv.ts the same ABI in TypeScript, lib/cnn/ the readable
 * reference; every output element is always summed in the same order.
 */

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
