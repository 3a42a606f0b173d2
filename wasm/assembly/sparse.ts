/**
 * AssemblyScript (compiled to WebAssembly SIMD by `deno task build:wasm`): the first layer's
 * products with the zero pixels skipped. Pointers are byte offsets into the shared memory;
 * lib/kernels/compute/typescript.ts is the same ABI in plain TypeScript, and lib/sparse.ts the
 * readable reference both are tested against.
 *
 * Layouts: matrices are row-major f32, one sample per ROW (the transpose of the course's X, Z1,
 * A1), so that everything one sample needs is contiguous. A sparse matrix is "compressed rows":
 * row r holds the entries `indices[k], values[k]` for k in `starts[r] .. starts[r+1]`.
 */

/** Activation codes shared with lib/kernels/compute/abi.ts. */
export const NONE: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;

/** σ(z) in f64 without overflow, as lib/activations.ts computes it. */
export function sigmoidOf(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** ReLU on four lanes when `activation` says so. */
@inline export function activate4(s: v128, activation: i32): v128 {
  // pmax(0, s) is `0 < s ? s : 0`: exactly ReLU, NaN included.
  return activation == RELU ? f32x4.pmax(f32x4.splat(0), s) : s;
}

/** ReLU on one value when `activation` says so (NaN becomes 0, as the vector form's pmax). */
@inline export function activate(s: f32, activation: i32): f32 {
  return activation == RELU && !(s > 0) ? 0 : s;
}

/** The non-zero bytes among 16, one bit each (bit i for byte i). */
@inline function nonZeroMask(at: usize): i32 {
  return i8x16.bitmask(i8x16.ne(v128.load(at), i8x16.splat(0)));
}

/** counts[i] = the number of non-zero pixels of image i, for the images i in [from, to). */
export function countPixels(from: i32, to: i32, images: usize, n: i32, counts: usize): void {
  for (let i = from; i < to; i++) {
    const image = images + <usize>i * <usize>n;
    let count: i32 = 0, p: i32 = 0;
    for (; p + 16 <= n; p += 16) count += popcnt(nonZeroMask(image + <usize>p));
    for (; p < n; p++) count += <i32>(load<u8>(image + <usize>p) != 0);
    store<i32>(counts + (<usize>i << 2), count);
  }
}

/**
 * For each 8-bit mask m, 8 bytes: the positions (0-7) of m's set bits, lowest first, then
 * zeros. As a swizzle, it packs the bytes of 8 pixels that m selects to the front.
 */
const PACK: usize = memory.data(256 * 8);
for (let m: i32 = 0; m < 256; m++) {
  let k: usize = 0;
  for (let b: i32 = 0; b < 8; b++) if (m & (1 << b)) store<u8>(PACK + (<usize>m << 3) + k++, <u8>b);
}

/**
 * For the batch rows j in [from, to): compresses image order[j] (`n` bytes at
 * images + order[j]·n) into entries starts[j] .. starts[j+1] of (pixel index, pixel value),
 * zero pixels left out; `scale` is a table of 256 f32 (byte → value), which must be p / 255
 * (the workspace's table). `starts` must already hold the prefix sums of the images' counts
 * ({@link countPixels}).
 */
export function compressImages(
  from: i32, to: i32, images: usize, order: usize, n: i32, scale: usize,
  starts: usize, indices: usize, values: usize,
): void {
  const lanes = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0);
  for (let j = from; j < to; j++) {
    const image = images + <usize>load<i32>(order + (<usize>j << 2)) * <usize>n;
    let k = load<i32>(starts + (<usize>j << 2));
    const end = load<i32>(starts + (<usize>(j + 1) << 2));
    let p: i32 = 0;
    // 8 pixels at a time without a branch per pixel: the non-zero ones' bytes and positions
    // packed to the front by one swizzle (PACK), and 8 entries stored, of which the first
    // popcnt(mask) are kept (the next pixels' overwrite the rest). While fewer than 8 entries
    // are left, such stores would reach the next image's, which another thread may be writing.
    for (; p + 8 <= n && k + 8 <= end; p += 8) {
      const bytes = v128.load64_zero(image + <usize>p);
      const mask = i8x16.bitmask(i8x16.ne(bytes, i8x16.splat(0)));
      if (mask == 0) continue;
      const pack = v128.load64_zero(PACK + (<usize>mask << 3));
      const at = <usize>k << 2;
      const positions = i16x8.extend_low_i8x16_u(i8x16.swizzle(lanes, pack));
      const first = i32x4.splat(p);
      v128.store(indices + at, i32x4.add(first, i32x4.extend_low_i16x8_u(positions)));
      v128.store(indices + at + 16, i32x4.add(first, i32x4.extend_high_i16x8_u(positions)));
      // The bytes as floats divided by 255 in f32: exactly scale's p / 255 (gatherImages).
      const packed = i16x8.extend_low_i8x16_u(i8x16.swizzle(bytes, pack));
      const low = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(packed));
      const high = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(packed));
      v128.store(values + at, f32x4.div(low, f32x4.splat(255)));
      v128.store(values + at + 16, f32x4.div(high, f32x4.splat(255)));
      k += popcnt(mask);
    }
    // The rest of the image, 16 pixels at a time: one bit per non-zero pixel, then only the
    // set bits are visited, lowest first.
    for (; p + 16 <= n; p += 16) {
      let mask = nonZeroMask(image + <usize>p);
      while (mask != 0) {
        keep(image, p + <i32>ctz(mask), scale, indices, values, k++);
        mask &= mask - 1;
      }
    }
    for (; p < n; p++) {
      if (load<u8>(image + <usize>p) != 0) keep(image, p, scale, indices, values, k++);
    }
  }
}

/** How many batch rows ahead gatherImages asks for an image's entries. */
const AHEAD: i32 = 3;

/**
 * Reads one byte of every 64-byte cache line of [at, at + bytes). WebAssembly has no prefetch
 * instruction, but a load whose value is dropped still brings its line in while the code after
 * it goes on (a load can trap, so neither binaryen nor the engine removes it).
 */
@inline function touch(at: usize, bytes: usize): void {
  for (let offset: usize = 0; offset < bytes; offset += 64) load<u8>(at + offset);
}

/**
 * For the batch rows j in [from, to): image order[j]'s entries, copied from the training set
 * compressed once (`stored`: its images' starts, then u16 pixel indices and u8 pixel bytes),
 * into entries starts[j] .. starts[j+1], each byte p turned into its value scale[p], which must
 * be p / 255 (the workspace's table). The same entries as {@link compressImages}, without
 * reading the zero pixels again.
 */
export function gatherImages(
  from: i32, to: i32, order: usize, storedStarts: usize, storedPixels: usize, storedBytes: usize,
  scale: usize, starts: usize, indices: usize, values: usize,
): void {
  for (let j = from; j < to; j++) {
    // The images are scattered over the stored set, which is far bigger than the cache: ask
    // for the entries of the image AHEAD rows on while this one is copied.
    if (j + AHEAD < to) {
      const ahead = <usize>load<i32>(order + (<usize>(j + AHEAD) << 2));
      const start = <usize>load<i32>(storedStarts + (ahead << 2));
      const entries = <usize>load<i32>(storedStarts + ((ahead + 1) << 2)) - start;
      touch(storedPixels + (start << 1), entries << 1);
      touch(storedBytes + start, entries);
    }
    const image = <usize>load<i32>(order + (<usize>j << 2));
    const first = load<i32>(storedStarts + (image << 2));
    const count = load<i32>(storedStarts + ((image + 1) << 2)) - first;
    const k = <usize>load<i32>(starts + (<usize>j << 2));
    let e: i32 = 0;
    // Eight entries at a time: the pixel indices widened to i32, the bytes turned into floats
    // and divided by 255 in f32, which gives exactly scale's p / 255 (an f64 quotient of two
    // floats rounded to f32 is the correctly rounded f32 quotient). Only this image's entries
    // are read and written: another thread may be gathering the next image.
    for (; e + 8 <= count; e += 8) {
      const from = <usize>(first + e), to = k + <usize>e;
      const pixels = v128.load(storedPixels + (from << 1));
      v128.store(indices + (to << 2), i32x4.extend_low_i16x8_u(pixels));
      v128.store(indices + (to << 2) + 16, i32x4.extend_high_i16x8_u(pixels));
      const bytes = i16x8.extend_low_i8x16_u(v128.load64_zero(storedBytes + from));
      const low = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(bytes));
      const high = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(bytes));
      v128.store(values + (to << 2), f32x4.div(low, f32x4.splat(255)));
      v128.store(values + (to << 2) + 16, f32x4.div(high, f32x4.splat(255)));
    }
    for (; e < count; e++) {
      const from = <usize>(first + e);
      store<i32>(indices + ((k + <usize>e) << 2), <i32>load<u16>(storedPixels + (from << 1)));
      const pixel = <usize>load<u8>(storedBytes + from);
      store<f32>(values + ((k + <usize>e) << 2), load<f32>(scale + (pixel << 2)));
    }
  }
}

/**
 * For the images i in [from, to): image i's non-zero pixels (`n` bytes at images + i·n) as
 * entries storedStarts[i] .. storedStarts[i+1] of storedPixels (u16 pixel index) and storedBytes
 * (u8 pixel byte): the training set compressed once, for {@link gatherImages}. `storedStarts`
 * must already hold the prefix sums of the images' counts ({@link countPixels}).
 */
export function storeImages(
  from: i32, to: i32, images: usize, n: i32, storedStarts: usize, storedPixels: usize,
  storedBytes: usize,
): void {
  for (let i = from; i < to; i++) {
    const image = images + <usize>i * <usize>n;
    let k = <usize>load<i32>(storedStarts + (<usize>i << 2));
    let p: i32 = 0;
    for (; p + 16 <= n; p += 16) {
      let mask = nonZeroMask(image + <usize>p);
      while (mask != 0) {
        const q = p + <i32>ctz(mask);
        store<u16>(storedPixels + (k << 1), <u16>q);
        store<u8>(storedBytes + k++, load<u8>(image + <usize>q));
        mask &= mask - 1;
      }
    }
    for (; p < n; p++) {
      const pixel = load<u8>(image + <usize>p);
      if (pixel == 0) continue;
      store<u16>(storedPixels + (k << 1), <u16>p);
      store<u8>(storedBytes + k++, pixel);
    }
  }
}

@inline function keep(image: usize, q: i32, scale: usize, indices: usize, values: usize, k: i32): void {
  const pixel = <usize>load<u8>(image + <usize>q);
  store<i32>(indices + (<usize>k << 2), q);
  store<f32>(values + (<usize>k << 2), load<f32>(scale + (pixel << 2)));
}

/**
 * The compressed rows of the transpose of rows [from, to) of a compressed matrix with `cols`
 * columns: entry (r, c) becomes entry (c, r − from), so the transpose's rows are numbered from
 * 0 and its entries start at indicesT, valuesT. Within each new row the entries keep increasing
 * r. `cursor` is scratch (cols i32). The backward pass's X (pixels × images) for one block of
 * images.
 */
export function transposeSparse(
  from: i32, to: i32, cols: i32, starts: usize, indices: usize, values: usize,
  startsT: usize, indicesT: usize, valuesT: usize, cursor: usize,
): void {
  memory.fill(startsT, 0, <usize>(cols + 1) << 2);
  const first = load<i32>(starts + (<usize>from << 2));
  const total = load<i32>(starts + (<usize>to << 2));
  for (let k = first; k < total; k++) {
    const at = startsT + (<usize>(load<i32>(indices + (<usize>k << 2)) + 1) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let c: i32 = 0; c < cols; c++) {
    const at = startsT + (<usize>(c + 1) << 2);
    store<i32>(at, load<i32>(at) + load<i32>(at - 4));
  }
  memory.copy(cursor, startsT, <usize>cols << 2);
  for (let r = from; r < to; r++) {
    const end = load<i32>(starts + (<usize>(r + 1) << 2));
    for (let k = load<i32>(starts + (<usize>r << 2)); k < end; k++) {
      const at = cursor + (<usize>load<i32>(indices + (<usize>k << 2)) << 2);
      const position = load<i32>(at);
      store<i32>(at, position + 1);
      store<i32>(indicesT + (<usize>position << 2), r - from);
      store<f32>(valuesT + (<usize>position << 2), load<f32>(values + (<usize>k << 2)));
    }
  }
}

/**
 * For the rows r in [from, to): out[r, :] = g(start + Σₖ values[k]·D[indices[k], :]), where D
 * has `width` columns, g is the activation code, and the sums start from `bias` (width f32), or
 * from 0 when bias is 0, or from out[r, :] itself when `accumulate` is 1.
 * Forward: Z1ᵀ = Xᵀ·W1ᵀ + b1 (rows = images, D = W1ᵀ). Backward: dW1ᵀ = X·dZ1ᵀ (rows = pixels,
 * D = dZ1ᵀ). Each output element is summed by one thread in a fixed order: the result does not
 * depend on how rows are split between threads.
 */
export function sparseTimesDense(
  from: i32, to: i32, starts: usize, indices: usize, values: usize,
  D: usize, width: i32, bias: usize, out: usize, activation: i32, accumulate: i32,
): void {
  const rowBytes = <usize>width << 2;
  for (let r = from; r < to; r++) {
    const begin = load<i32>(starts + (<usize>r << 2));
    const end = load<i32>(starts + (<usize>(r + 1) << 2));
    const outRow = out + <usize>r * rowBytes;
    const first = accumulate ? outRow : bias;
    let u: i32 = 0;
    // 48 columns at a time in 12 registers: each entry's index and value are loaded once for
    // 12 vector multiply-adds, and the 12 sums never leave the registers. x64 has 16 vector
    // registers: 16 sums would spill to memory, and passes of 32 read every entry 4 times for
    // 128 columns instead of 3 (docs/performance.md). 128 = 48 + 48 + 32.
    for (; u + 48 <= width; u += 48) {
      const column = <usize>u << 2;
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
      let s8 = s0, s9 = s0, s10 = s0, s11 = s0;
      if (first != 0) {
        const b = first + column;
        s0 = v128.load(b, 0); s1 = v128.load(b, 16); s2 = v128.load(b, 32); s3 = v128.load(b, 48);
        s4 = v128.load(b, 64); s5 = v128.load(b, 80); s6 = v128.load(b, 96); s7 = v128.load(b, 112);
        s8 = v128.load(b, 128); s9 = v128.load(b, 144); s10 = v128.load(b, 160); s11 = v128.load(b, 176);
      }
      for (let k = begin; k < end; k++) {
        const row = D + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + column;
        const v = f32x4.splat(load<f32>(values + (<usize>k << 2)));
        s0 = f32x4.add(s0, f32x4.mul(v, v128.load(row, 0)));
        s1 = f32x4.add(s1, f32x4.mul(v, v128.load(row, 16)));
        s2 = f32x4.add(s2, f32x4.mul(v, v128.load(row, 32)));
        s3 = f32x4.add(s3, f32x4.mul(v, v128.load(row, 48)));
        s4 = f32x4.add(s4, f32x4.mul(v, v128.load(row, 64)));
        s5 = f32x4.add(s5, f32x4.mul(v, v128.load(row, 80)));
        s6 = f32x4.add(s6, f32x4.mul(v, v128.load(row, 96)));
        s7 = f32x4.add(s7, f32x4.mul(v, v128.load(row, 112)));
        s8 = f32x4.add(s8, f32x4.mul(v, v128.load(row, 128)));
        s9 = f32x4.add(s9, f32x4.mul(v, v128.load(row, 144)));
        s10 = f32x4.add(s10, f32x4.mul(v, v128.load(row, 160)));
        s11 = f32x4.add(s11, f32x4.mul(v, v128.load(row, 176)));
      }
      const o = outRow + column;
      v128.store(o, activate4(s0, activation), 0); v128.store(o, activate4(s1, activation), 16);
      v128.store(o, activate4(s2, activation), 32); v128.store(o, activate4(s3, activation), 48);
      v128.store(o, activate4(s4, activation), 64); v128.store(o, activate4(s5, activation), 80);
      v128.store(o, activate4(s6, activation), 96); v128.store(o, activate4(s7, activation), 112);
      v128.store(o, activate4(s8, activation), 128); v128.store(o, activate4(s9, activation), 144);
      v128.store(o, activate4(s10, activation), 160); v128.store(o, activate4(s11, activation), 176);
    }
    // Then 32 columns at a time in 8 registers, the same way.
    for (; u + 32 <= width; u += 32) {
      const column = <usize>u << 2;
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
      if (first != 0) {
        const b = first + column;
        s0 = v128.load(b, 0); s1 = v128.load(b, 16); s2 = v128.load(b, 32); s3 = v128.load(b, 48);
        s4 = v128.load(b, 64); s5 = v128.load(b, 80); s6 = v128.load(b, 96); s7 = v128.load(b, 112);
      }
      for (let k = begin; k < end; k++) {
        const row = D + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + column;
        const v = f32x4.splat(load<f32>(values + (<usize>k << 2)));
        s0 = f32x4.add(s0, f32x4.mul(v, v128.load(row, 0)));
        s1 = f32x4.add(s1, f32x4.mul(v, v128.load(row, 16)));
        s2 = f32x4.add(s2, f32x4.mul(v, v128.load(row, 32)));
        s3 = f32x4.add(s3, f32x4.mul(v, v128.load(row, 48)));
        s4 = f32x4.add(s4, f32x4.mul(v, v128.load(row, 64)));
        s5 = f32x4.add(s5, f32x4.mul(v, v128.load(row, 80)));
        s6 = f32x4.add(s6, f32x4.mul(v, v128.load(row, 96)));
        s7 = f32x4.add(s7, f32x4.mul(v, v128.load(row, 112)));
      }
      const o = outRow + column;
      v128.store(o, activate4(s0, activation), 0); v128.store(o, activate4(s1, activation), 16);
      v128.store(o, activate4(s2, activation), 32); v128.store(o, activate4(s3, activation), 48);
      v128.store(o, activate4(s4, activation), 64); v128.store(o, activate4(s5, activation), 80);
      v128.store(o, activate4(s6, activation), 96); v128.store(o, activate4(s7, activation), 112);
    }
    for (; u + 4 <= width; u += 4) {
      const column = <usize>u << 2;
      let s = first != 0 ? v128.load(first + column) : f32x4.splat(0);
      for (let k = begin; k < end; k++) {
        const row = D + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + column;
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(values + (<usize>k << 2))), v128.load(row)));
      }
      v128.store(outRow + column, activate4(s, activation));
    }
    for (; u < width; u++) {
      const column = <usize>u << 2;
      let s: f32 = first != 0 ? load<f32>(first + column) : 0;
      for (let k = begin; k < end; k++) {
        const row = D + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + column;
        s += load<f32>(values + (<usize>k << 2)) * load<f32>(row);
      }
      store<f32>(outRow + column, activation == RELU ? (s > 0 ? s : 0) : s);
    }
    if (activation == SIGMOID) {
      for (let c: i32 = 0; c < width; c++) {
        const at = outRow + (<usize>c << 2);
        store<f32>(at, <f32>sigmoidOf(<f64>load<f32>(at)));
      }
    }
  }
}
