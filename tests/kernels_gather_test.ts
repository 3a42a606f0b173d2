/**
 * The training set compressed once (lib/kernels/memory/dataset.ts `loadImages`, a workspace made
 * with `stored`): the
 * kernel `gatherImages` must give a batch exactly the entries `compressImages` makes from the
 * image bytes, for images in any order, repeated ones, all-zero ones, widths that are not
 * multiples of the 16-byte scan and every byte value.
 */

import assert from "node:assert/strict";
import { runCall } from "../lib/kernels/compute/abi.ts";
import { compressImages, gatherImages } from "../lib/kernels/memory/arguments.ts";
import { countNonZero, loadBatch, loadImages } from "../lib/kernels/memory/dataset.ts";
import { createWorkspace } from "../lib/kernels/memory/workspace.ts";
import { entryCapacity } from "../lib/kernels/trainer.ts";
import { Random } from "../lib/random.ts";
import { KERNEL_KINDS, randomImages } from "./kernel_arena.ts";

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: gatherImages gives the entries compressImages makes`, () => {
    const random = new Random(17);
    // The last case: two images holding every byte value once (255 entries each, 31 groups of
    // eight and 7 more), which the WebAssembly kernel divides by 255 instead of looking up.
    const everyByte = Uint8Array.from({ length: 2 * 256 }, (_, p) => p % 256);
    for (const [count, n, m] of [[40, 784, 25], [9, 37, 9], [6, 16, 12], [2, 256, 3]]) {
      const images = n === 256 ? everyByte : randomImages(count, n, random);
      const stored = images.reduce((sum, pixel) => sum + (pixel !== 0 ? 1 : 0), 0);
      const shape = { inputs: n, hidden: 4, classes: 3, images: count, batch: m, training: false };
      const workspace = createWorkspace({ ...shape, entries: m * n, stored }, kind);
      loadImages(workspace, images);
      const L = workspace.layout, i32 = workspace.i32, f32 = workspace.f32;
      // Repeats allowed: a batch order need not be a permutation here.
      const order = Array.from({ length: m }, () => random.integer(count));
      const entries = loadBatch(workspace, undefined, order);
      const batch = () => [
        i32.slice(L.indices >> 2, (L.indices >> 2) + entries),
        f32.slice(L.values >> 2, (L.values >> 2) + entries),
      ];
      runCall(workspace.kernels, compressImages(workspace), 0, m);
      const expected = batch();
      i32.fill(-1, L.indices >> 2, (L.indices >> 2) + entries);
      f32.fill(-1, L.values >> 2, (L.values >> 2) + entries);
      // In two calls, as two threads would split the rows.
      const gather = gatherImages(workspace);
      runCall(workspace.kernels, gather, 0, m >> 1);
      runCall(workspace.kernels, gather, m >> 1, m);
      assert.deepEqual(batch(), expected, `${count} images of ${n} bytes`);
      assert.ok(entries > 0 && expected[1].every((value) => value > 0 && value <= 1));
    }
  });
}

Deno.test("countNonZero counts every byte of long runs of non-zero words", () => {
  // Over 255 words of four non-zero bytes each: the counts of a block of words must not
  // overflow into each other. Every kind of byte: low bits only, the top bit only, both.
  for (const pixel of [1, 0x7f, 0x80, 0xff]) {
    for (const length of [255 * 4, 256 * 4, 1021 * 4 + 3]) {
      assert.equal(
        countNonZero(new Uint8Array(length).fill(pixel)),
        length,
        `${length} × ${pixel}`,
      );
    }
  }
  // One non-zero byte in each word, at each of the four places in turn.
  const sparse = Uint8Array.from({ length: 4000 }, (_, p) => (p % 4 === (p >> 2) % 4 ? 9 : 0));
  assert.equal(countNonZero(sparse), 1000);
});

Deno.test("countNonZero counts the non-zero bytes at any offset and length", () => {
  const images = randomImages(5, 37, new Random(3));
  for (let start = 0; start < 4; start++) {
    for (const end of [images.length, images.length - 1, images.length - 6, start + 3]) {
      const bytes = images.subarray(start, end);
      const expected = bytes.reduce((sum, pixel) => sum + (pixel !== 0 ? 1 : 0), 0);
      assert.equal(countNonZero(bytes), expected, `bytes ${start} .. ${end}`);
    }
  }
});

Deno.test("entryCapacity of a big batch is the sum of its largest images' pixel counts", () => {
  // Over 4 Mi pixels a batch gets room for its largest images only. Width 785 (not a multiple
  // of 4) puts every other image at an odd byte offset.
  for (const n of [784, 785]) {
    const images = randomImages(5500, n, new Random(n));
    const batch = 5400;
    const counts: number[] = [];
    for (let i = 0; i < 5500; i++) {
      counts.push(images.subarray(i * n, (i + 1) * n).filter((pixel) => pixel !== 0).length);
    }
    counts.sort((a, b) => b - a);
    const expected = counts.slice(0, batch).reduce((sum, count) => sum + count, 0);
    assert.ok(batch * n > 1 << 22 && expected < batch * n);
    assert.equal(entryCapacity(images, n, batch), expected, `width ${n}`);
  }
  assert.equal(entryCapacity(new Uint8Array(784 * 10), 784, 10), 7840); // small: every pixel
});
