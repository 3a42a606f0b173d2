/**
 * The safetensors file format (https://github.com/huggingface/safetensors), for Float32 tensors:
 * the format PyTorch, NumPy and the Hugging Face hub read, so a model trained here can be opened
 * there. A file is three parts:
 *
 *   8 bytes   N, the header length, an unsigned little-endian 64-bit integer
 *   N bytes   UTF-8 JSON: {"W1": {"dtype": "F32", "shape": [128, 784], "data_offsets": [0, 401408]},
 *             ..., "__metadata__": {"key": "string value"}}, padded with spaces
 *   the rest  the raw little-endian tensor data, back to back; offsets count from its first byte
 *
 * No Deno APIs here: the same code runs in a web page.
 *
 * @module
 */

import { DataError } from "../errors.ts";

/** A tensor: its shape (row-major, as NumPy) and its values. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** What a safetensors file holds: named tensors and string metadata. */
export interface Safetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** A header longer than this is a corrupt length field or not a safetensors file at all. */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";
const BYTES_PER_F32 = 4;
// The data section starts 8-aligned, so a reader can map the file and view the floats in place.
const ALIGNMENT = 8;

/**
 * Encodes tensors and metadata as a safetensors file. The tensors are stored in the order of
 * `tensors`' keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeSafetensors({ b: { shape: [2, 1], data: new Float32Array([1, 2]) } }, {});
 * const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
 * const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
 * assert.deepEqual(header.b, { dtype: "F32", shape: [2, 1], data_offsets: [0, 8] });
 * assert.equal(bytes.length, 8 + headerLength + 2 * 4); // then the two floats, 4 bytes each
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  let dataBytes = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    if (name === METADATA_KEY) throw new RangeError(`"${METADATA_KEY}" is not a tensor name`);
    if (product(shape) !== data.length) {
      throw new RangeError(`tensor '${name}' has shape [${shape}] but ${data.length} values`);
    }
    const begin = dataBytes;
    dataBytes += data.length * BYTES_PER_F32;
    header[name] = { dtype: "F32", shape, data_offsets: [begin, dataBytes] };
  }
  header[METADATA_KEY] = metadata;

  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces (still valid JSON) so that the data section starts at a multiple of 8.
  const headerLength = Math.ceil(json.length / ALIGNMENT) * ALIGNMENT;
  const bytes = new Uint8Array(8 + headerLength + dataBytes);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let offset = 8 + headerLength;
  for (const { data } of Object.values(tensors)) {
    // setFloat32 with `true` writes little-endian whatever the machine's own byte order is.
    for (const value of data) {
      view.setFloat32(offset, value, true);
      offset += BYTES_PER_F32;
    }
  }
  return bytes;
}

/**
 * Decodes a safetensors file of F32 tensors, checking every field. Any problem throws a
 * {@linkcode DataError} naming `file` and what was expected. The tensor data is copied out, so
 * the result does not keep `bytes` alive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const W1 = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
 * const bytes = encodeSafetensors({ W1 }, { epochs: "3" });
 * const { tensors, metadata } = decodeSafetensors(bytes, "model.safetensors");
 * assert.deepEqual([tensors.W1, metadata], [W1, { epochs: "3" }]);
 * assert.throws(() => decodeSafetensors(bytes.subarray(0, 20), "model.safetensors"), {
 *   name: "DataError",
 *   message: /^model\.safetensors: /,
 * });
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (problem: string): never => {
    throw new DataError(file, problem);
  };
  const { header, dataStart, view } = readHeader(bytes, fail);
  const metadata = parseMetadata(header[METADATA_KEY], fail);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, entry]) => parseEntry(name, entry, fail));

  // Tensors must tile the data section exactly. JSON key order means nothing (JavaScript even
  // moves integer-like keys such as "0" first), so walk the tensors in the order of their offsets.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const { name, begin, end } of entries) {
    if (begin !== expectedBegin) {
      fail(
        `tensor '${name}' data starts at byte ${begin}, expected ${expectedBegin}: tensors must ` +
          `be stored back to back, without overlaps or holes`,
      );
    }
    expectedBegin = end;
  }
  const actualDataBytes = bytes.length - dataStart;
  if (actualDataBytes !== expectedBegin) {
    fail(
      actualDataBytes < expectedBegin
        ? `file is truncated: the header describes ${expectedBegin} bytes of tensor data, ` +
          `but only ${actualDataBytes} bytes follow it`
        : `the header describes ${expectedBegin} bytes of tensor data, but ${actualDataBytes} ` +
          `bytes follow it`,
    );
  }

  const tensors = Object.fromEntries(
    entries.map(({ name, shape, begin, end }): [string, Tensor] => {
      const data = new Float32Array((end - begin) / BYTES_PER_F32);
      for (let i = 0; i < data.length; i++) {
        // Read one float at a time, little-endian: the bytes need not be 4-aligned in memory,
        // and a big-endian machine must still see the same numbers.
        data[i] = view.getFloat32(dataStart + begin + i * BYTES_PER_F32, true);
      }
      return [name, { shape, data }];
    }),
  );
  return { tensors, metadata };
}

/**
 * The metadata of a safetensors file, without decoding its tensors: enough to tell which kind
 * of model a file holds before loading it. Problems with the header throw a
 * {@linkcode DataError} naming `file`, as {@linkcode decodeSafetensors} does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeSafetensors({}, { kind: "cnn" });
 * assert.equal(decodeSafetensorsMetadata(bytes, "model.safetensors").kind, "cnn");
 * ```
 */
export function decodeSafetensorsMetadata(bytes: Uint8Array, file: string): Record<string, string> {
  const fail = (problem: string): never => {
    throw new DataError(file, problem);
  };
  return parseMetadata(readHeader(bytes, fail).header[METADATA_KEY], fail);
}

type Fail = (problem: string) => never;

/** The header's JSON object, where the data section starts, and a view of `bytes`. */
function readHeader(
  bytes: Uint8Array,
  fail: Fail,
): { header: Record<string, unknown>; dataStart: number; view: DataView } {
  if (bytes.length < 8) {
    fail(`file is ${bytes.length} bytes long, too short for a safetensors header length (8 bytes)`);
  }
  // `bytes` may be a view into a larger buffer: every DataView offset is relative to its start.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(
      `header length ${headerLength} bytes is absurd (more than ${MAX_HEADER_BYTES / 1e6} MB): ` +
        `is this a safetensors file?`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.length) {
    fail(
      `header length ${headerLength} bytes is larger than the file (${bytes.length} bytes): ` +
        `the file is truncated or not a safetensors file`,
    );
  }
  return { header: parseHeader(bytes.subarray(8, dataStart), fail), dataStart, view };
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(json: Uint8Array, fail: Fail): Record<string, unknown> {
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    fail("header is not valid UTF-8 text");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(`header is not valid JSON (${(error as SyntaxError).message})`);
  }
  if (!isObject(header)) fail(`header must be a JSON object, found ${describe(header)}`);
  return header as Record<string, unknown>;
}

function parseMetadata(metadata: unknown, fail: Fail): Record<string, string> {
  if (metadata === undefined) return {};
  if (!isObject(metadata)) {
    fail(`"${METADATA_KEY}" must be a JSON object, found ${describe(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata as object)) {
    if (typeof value !== "string") {
      fail(`metadata value of '${key}' is ${describe(value)}, expected a string`);
    }
  }
  return metadata as Record<string, string>;
}

function parseEntry(name: string, entry: unknown, fail: Fail): Entry {
  if (!isObject(entry)) fail(`tensor '${name}' must be a JSON object, found ${describe(entry)}`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  for (const [field, value] of [["dtype", dtype], ["shape", shape], ["data_offsets", offsets]]) {
    if (value === undefined) fail(`tensor '${name}' has no "${field}"`);
  }
  if (dtype !== "F32") {
    fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}, expected "F32" (32-bit floats)`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`tensor '${name}' shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(
      `tensor '${name}' data_offsets ${JSON.stringify(offsets)} must be two non-negative ` +
        `integers [begin, end]`,
    );
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`tensor '${name}' data_offsets [${begin}, ${end}] end before they begin`);
  const expectedBytes = product(shape as number[]) * BYTES_PER_F32;
  if (end - begin !== expectedBytes) {
    fail(
      `tensor '${name}' has shape [${shape}], which needs ${expectedBytes} bytes, ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, shape: shape as number[], begin, end };
}

function product(shape: readonly number[]): number {
  return shape.reduce((size, dimension) => size * dimension, 1);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "an array", "null", "a number": what a JSON value is, for error messages. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
