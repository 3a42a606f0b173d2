/**
 * The IDX format of the original MNIST files (Yann LeCun's site): a big-endian header of 32-bit
 * unsigned integers (a magic number, then the size of each dimension), then the values as raw
 * bytes. It is so simple that reading it is a dozen lines; the rest is checking, because a
 * truncated download or a swapped file otherwise shows up much later as a network that
 * mysteriously never learns.
 *
 * @module
 */

import { DataError } from "../errors.ts";
import { IMAGE_SIDE } from "./dataset.ts";

/**
 * Magic number of an IDX file of unsigned bytes (0x08) with 3 dimensions: count, rows, cols.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 0]); // the first bytes of an images file
 * assert.equal(new DataView(bytes.buffer).getUint32(0), IDX_IMAGES_MAGIC);
 * ```
 */
export const IDX_IMAGES_MAGIC = 0x00000803;
/**
 * Magic number of an IDX file of unsigned bytes (0x08) with 1 dimension: count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]); // the first bytes of a labels file
 * assert.equal(new DataView(bytes.buffer).getUint32(0), IDX_LABELS_MAGIC);
 * ```
 */
export const IDX_LABELS_MAGIC = 0x00000801;

const IMAGES_HEADER_BYTES = 16; // magic, count, rows, cols: four uint32s
const LABELS_HEADER_BYTES = 8; // magic, count: two uint32s

/**
 * Reads an IDX images file (`train-images-idx3-ubyte`): 28 × 28 images of bytes, one after the
 * other, row by row. `images` is a view into `bytes`, not a copy: the MNIST training images are
 * 47 MB. Throws a {@linkcode DataError} naming `file` if the bytes are not exactly that.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // A file of one 28×28 image: the magic number, the count, rows and columns, then the pixels.
 * const bytes = new Uint8Array(16 + 784);
 * new DataView(bytes.buffer).setUint32(0, IDX_IMAGES_MAGIC);
 * new DataView(bytes.buffer).setUint32(4, 1);
 * new DataView(bytes.buffer).setUint32(8, 28);
 * new DataView(bytes.buffer).setUint32(12, 28);
 * bytes[16 + 3] = 255;
 * const { images, count } = parseIdxImages(bytes, "one-image.idx");
 * assert.deepEqual([count, images.length, images[3]], [1, 784, 255]);
 * ```
 */
export function parseIdxImages(
  bytes: Uint8Array,
  file: string,
): { images: Uint8Array; count: number; rows: number; cols: number } {
  const header = readHeader(bytes, file, IMAGES_HEADER_BYTES, IDX_IMAGES_MAGIC, "images");
  const count = header.getUint32(4);
  const rows = header.getUint32(8);
  const cols = header.getUint32(12);
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new DataError(
      file,
      `expected ${IMAGE_SIDE}×${IMAGE_SIDE} images, found ${rows}×${cols} (rows × columns)`,
    );
  }
  checkDataSize(
    bytes,
    file,
    IMAGES_HEADER_BYTES,
    count * rows * cols,
    `${count} images × ${rows} × ${cols}`,
  );
  return { images: bytes.subarray(IMAGES_HEADER_BYTES), count, rows, cols };
}

/**
 * Reads an IDX labels file (`train-labels-idx1-ubyte`): one byte per image, the digit 0–9 it
 * shows. Returns a view into `bytes`. Throws a {@linkcode DataError} naming `file` if the bytes
 * are not exactly that.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 0]); // magic, count 2, labels 5 and 0
 * assert.deepEqual([...parseIdxLabels(bytes, "labels.idx")], [5, 0]);
 * ```
 */
export function parseIdxLabels(bytes: Uint8Array, file: string): Uint8Array {
  const header = readHeader(bytes, file, LABELS_HEADER_BYTES, IDX_LABELS_MAGIC, "labels");
  const count = header.getUint32(4);
  checkDataSize(bytes, file, LABELS_HEADER_BYTES, count, `${count} labels × 1 byte`);
  const labels = bytes.subarray(LABELS_HEADER_BYTES);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new DataError(
      file,
      `label ${bad} (byte ${LABELS_HEADER_BYTES + bad}) is ${labels[bad]}: expected a digit 0..9`,
    );
  }
  return labels;
}

/** Checks the header is all there with the right magic number; returns it for reading. */
function readHeader(
  bytes: Uint8Array,
  file: string,
  headerBytes: number,
  magic: number,
  contents: "images" | "labels",
): DataView {
  const fields = contents === "images"
    ? "magic number, count, rows, columns"
    : "magic number, count";
  if (bytes.length < headerBytes) {
    throw new DataError(
      file,
      `file is ${bytes.length} bytes, shorter than the ${headerBytes}-byte IDX ${contents} ` +
        `header (${fields})`,
    );
  }
  // DataView reads big-endian by default, which is what IDX uses; typed arrays would use the
  // machine's (little-endian) byte order and get every number wrong.
  const header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const found = header.getUint32(0);
  if (found !== magic) {
    throw new DataError(
      file,
      `expected magic number ${hex(magic)} (IDX unsigned-byte ${contents}), found ${hex(found)}`,
    );
  }
  return header;
}

/** Checks that exactly `expected` bytes follow the header: no truncation, nothing extra. */
function checkDataSize(
  bytes: Uint8Array,
  file: string,
  headerBytes: number,
  expected: number,
  shape: string,
): void {
  const found = bytes.length - headerBytes;
  if (found !== expected) {
    const diagnosis = found < expected ? "the file is truncated" : "the file has trailing bytes";
    throw new DataError(
      file,
      `expected ${expected} bytes after the header (${shape}), found ${found}: ${diagnosis}`,
    );
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}
