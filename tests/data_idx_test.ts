import assert from "node:assert/strict";
import { DataError } from "../lib/errors.ts";
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdxImages,
  parseIdxLabels,
} from "../lib/data/idx.ts";

/** An IDX images file: big-endian header, then pixel i of the file holding i mod 256. */
function imagesFile(
  { count = 2, rows = 28, cols = 28, magic = IDX_IMAGES_MAGIC, extraBytes = 0 } = {},
): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols + extraBytes);
  const header = new DataView(bytes.buffer);
  [magic, count, rows, cols].forEach((value, i) => header.setUint32(4 * i, value));
  for (let i = 16; i < bytes.length; i++) bytes[i] = (i - 16) % 256;
  return bytes;
}

function labelsFile(labels: number[], { magic = IDX_LABELS_MAGIC, count = labels.length } = {}) {
  const bytes = new Uint8Array(8 + labels.length);
  const header = new DataView(bytes.buffer);
  header.setUint32(0, magic);
  header.setUint32(4, count);
  bytes.set(labels, 8);
  return bytes;
}

Deno.test("parseIdxImages reads the big-endian header and the pixels after it", () => {
  const { images, count, rows, cols } = parseIdxImages(imagesFile({ count: 3 }), "images");
  assert.deepEqual([count, rows, cols], [3, 28, 28]);
  assert.equal(images.length, 3 * 784);
  assert.deepEqual(Array.from(images.subarray(0, 3)), [0, 1, 2]);
  assert.equal(images[784], 784 % 256); // the second image starts right after the first
});

Deno.test("parseIdxImages reads a header at any offset of a larger buffer", () => {
  // Deno.readFile may hand back a view into a bigger buffer: the header must be read relative
  // to the view, not to the buffer.
  const file = imagesFile({ count: 1 });
  const padded = new Uint8Array(file.length + 5);
  padded.set(file, 5);
  const { images, count } = parseIdxImages(padded.subarray(5), "images");
  assert.equal(count, 1);
  assert.deepEqual(Array.from(images.subarray(0, 3)), [0, 1, 2]);
});

Deno.test("parseIdxLabels reads one byte per label", () => {
  assert.deepEqual(Array.from(parseIdxLabels(labelsFile([5, 0, 4, 1, 9]), "labels")), [
    5,
    0,
    4,
    1,
    9,
  ]);
});

Deno.test("a file shorter than its header is rejected, naming the header's size", () => {
  assert.throws(() => parseIdxImages(new Uint8Array(10), "a/images"), {
    name: "DataError",
    message: "a/images: file is 10 bytes, shorter than the 16-byte IDX images header " +
      "(magic number, count, rows, columns)",
  });
  assert.throws(() => parseIdxLabels(new Uint8Array(0), "a/labels"), {
    message: "a/labels: file is 0 bytes, shorter than the 8-byte IDX labels header " +
      "(magic number, count)",
  });
});

Deno.test("a wrong magic number is rejected, saying which was expected", () => {
  // The classic mix-up: the labels file given where the images belong, and the other way round.
  assert.throws(() => parseIdxImages(imagesFile({ magic: IDX_LABELS_MAGIC }), "images"), {
    message: "images: expected magic number 0x00000803 (IDX unsigned-byte images), " +
      "found 0x00000801",
  });
  assert.throws(() => parseIdxLabels(labelsFile([1], { magic: IDX_IMAGES_MAGIC }), "labels"), {
    message: "labels: expected magic number 0x00000801 (IDX unsigned-byte labels), " +
      "found 0x00000803",
  });
  // A gzipped file (not unpacked) starts with the bytes 1f 8b.
  const gzipped = imagesFile({ magic: 0x1f8b0808 });
  assert.throws(() => parseIdxImages(gzipped, "images.gz"), {
    message: "images.gz: expected magic number 0x00000803 (IDX unsigned-byte images), " +
      "found 0x1f8b0808",
  });
});

Deno.test("images that are not 28×28 are rejected", () => {
  assert.throws(() => parseIdxImages(imagesFile({ rows: 32, cols: 32 }), "cifar"), {
    message: "cifar: expected 28×28 images, found 32×32 (rows × columns)",
  });
  assert.throws(() => parseIdxImages(imagesFile({ rows: 28, cols: 27 }), "images"), {
    message: "images: expected 28×28 images, found 28×27 (rows × columns)",
  });
});

Deno.test("a truncated images file is rejected with both sizes", () => {
  const truncated = imagesFile({ count: 2 }).subarray(0, 16 + 784 + 100);
  assert.throws(() => parseIdxImages(truncated, "images"), {
    message: "images: expected 1568 bytes after the header (2 images × 28 × 28), found 884: " +
      "the file is truncated",
  });
});

Deno.test("trailing bytes after the images are rejected with both sizes", () => {
  assert.throws(() => parseIdxImages(imagesFile({ count: 2, extraBytes: 3 }), "images"), {
    message: "images: expected 1568 bytes after the header (2 images × 28 × 28), found 1571: " +
      "the file has trailing bytes",
  });
});

Deno.test("a labels file whose size does not match its count is rejected", () => {
  assert.throws(() => parseIdxLabels(labelsFile([1, 2, 3], { count: 4 }), "labels"), {
    message: "labels: expected 4 bytes after the header (4 labels × 1 byte), found 3: " +
      "the file is truncated",
  });
  assert.throws(() => parseIdxLabels(labelsFile([1, 2, 3], { count: 2 }), "labels"), {
    message: "labels: expected 2 bytes after the header (2 labels × 1 byte), found 3: " +
      "the file has trailing bytes",
  });
});

Deno.test("a label above 9 is rejected with its index and byte offset", () => {
  assert.throws(() => parseIdxLabels(labelsFile([3, 1, 10, 200]), "labels"), (error) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.file, "labels");
    assert.equal(error.message, "labels: label 2 (byte 10) is 10: expected a digit 0..9");
    return true;
  });
});
