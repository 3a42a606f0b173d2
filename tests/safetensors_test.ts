import assert from "node:assert/strict";
import { DataError } from "../lib/errors.ts";
import { decodeSafetensors, encodeSafetensors, type Tensor } from "../lib/io/safetensors.ts";

const FILE = "bad.safetensors";

/** A file with a hand-written header: `header` is JSON-encoded unless it is already bytes. */
function rawFile(
  header: unknown,
  dataBytes: number,
  declaredLength?: bigint,
): Uint8Array {
  const json = header instanceof Uint8Array
    ? header
    : new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

/** Asserts decoding fails with a one-line DataError naming the file and matching `expected`. */
function assertRejected(bytes: Uint8Array, expected: RegExp): void {
  assert.throws(() => decodeSafetensors(bytes, FILE), (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.ok(error.message.startsWith(`${FILE}: `), error.message);
    assert.ok(!error.message.includes("\n"), "the message should be one line");
    assert.match(error.message, expected);
    return true;
  });
}

/** The raw bits of each float: equal bits means bit-identical, -0 and NaN payloads included. */
const bits = (data: Float32Array) => Array.from(new Uint32Array(data.slice().buffer));

Deno.test("round trip keeps every bit of the values, the shapes and the metadata", () => {
  const tensors: Record<string, Tensor> = {
    W: { shape: [2, 3], data: new Float32Array([0.1, -0, 3.4028234663852886e38, 1e-45, -7, 1]) },
    b: { shape: [2, 1], data: new Float32Array([Math.PI, -Math.E]) },
    empty: { shape: [0, 5], data: new Float32Array(0) },
    scalar: { shape: [], data: new Float32Array([42]) },
  };
  const metadata = { note: "ünïcødé ✓", epochs: "10", "": "" };
  const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata), "round.safetensors");
  assert.deepEqual(decoded.metadata, metadata);
  assert.deepEqual(Object.keys(decoded.tensors), Object.keys(tensors));
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    assert.deepEqual(decoded.tensors[name].shape, shape, name);
    assert.deepEqual(bits(decoded.tensors[name].data), bits(data), name);
  }
});

Deno.test("the bytes of a one-tensor file match the specification exactly", () => {
  const bytes = encodeSafetensors({ x: { shape: [2], data: new Float32Array([1, -2]) } }, {
    k: "v",
  });
  const json = `{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}`;
  assert.equal(json.length, 79);
  // Header length 80 (79 bytes of JSON and one space of padding) as a little-endian u64.
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [80, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(new TextDecoder().decode(bytes.subarray(8, 88)), json + " ");
  assert.equal(88 % 8, 0, "the data section starts at a multiple of 8");
  // 1.0 is 0x3f800000 and -2.0 is 0xc0000000, least significant byte first.
  assert.deepEqual(Array.from(bytes.subarray(88)), [
    0x00,
    0x00,
    0x80,
    0x3f,
    0x00,
    0x00,
    0x00,
    0xc0,
  ]);
});

Deno.test("the data section is 8-aligned whatever the header length", () => {
  for (let nameLength = 1; nameLength <= 16; nameLength++) {
    const bytes = encodeSafetensors({
      ["n".repeat(nameLength)]: { shape: [1], data: new Float32Array(1) },
    }, {});
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + headerLength) % 8, 0, `name length ${nameLength}`);
    assert.equal(bytes.length, 8 + headerLength + 4);
  }
});

Deno.test("decodes from an unaligned view into a larger buffer", () => {
  const file = encodeSafetensors({ v: { shape: [3], data: new Float32Array([1.5, 2.5, -3]) } }, {});
  const padded = new Uint8Array(file.length + 3);
  padded.set(file, 1);
  const { tensors } = decodeSafetensors(padded.subarray(1, 1 + file.length), "view.safetensors");
  assert.deepEqual(Array.from(tensors.v.data), [1.5, 2.5, -3]);
});

Deno.test("decodes tensors whose JSON order differs from their data order", () => {
  const header = {
    second: { dtype: "F32", shape: [1], data_offsets: [4, 8] },
    first: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
  };
  const bytes = rawFile(header, 8);
  const view = new DataView(bytes.buffer, bytes.length - 8);
  view.setFloat32(0, 1, true);
  view.setFloat32(4, 2, true);
  const { tensors, metadata } = decodeSafetensors(bytes, "order.safetensors");
  assert.deepEqual([tensors.first.data[0], tensors.second.data[0]], [1, 2]);
  assert.deepEqual(metadata, {});
});

Deno.test("encoding rejects a shape that does not match the data", () => {
  assert.throws(
    () => encodeSafetensors({ x: { shape: [2, 2], data: new Float32Array(3) } }, {}),
    /shape \[2,2\] but 3 values/,
  );
});

Deno.test("rejects a file too short to hold the header length", () => {
  assertRejected(new Uint8Array(5), /5 bytes long, too short/);
  assertRejected(new Uint8Array(0), /0 bytes long/);
});

Deno.test("rejects a header length larger than the file or absurd", () => {
  assertRejected(
    rawFile("{}", 0, 1000n),
    /header length 1000 bytes is larger than the file \(10 bytes\)/,
  );
  assertRejected(rawFile("{}", 0, 2n ** 63n), /header length \d+ bytes is absurd/);
  assertRejected(new TextEncoder().encode("label,pixel0,pixel1\n"), /absurd.*safetensors file\?/);
});

Deno.test("rejects a header that is not UTF-8 JSON describing an object", () => {
  assertRejected(rawFile(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 0), /not valid UTF-8/);
  assertRejected(rawFile("{nope", 0), /header is not valid JSON/);
  assertRejected(rawFile("[1, 2]", 0), /header must be a JSON object, found an array/);
  assertRejected(rawFile("null", 0), /header must be a JSON object, found null/);
  assertRejected(rawFile({ x: 3 }, 0), /tensor 'x' must be a JSON object, found a number/);
});

Deno.test("rejects a tensor entry missing dtype, shape or data_offsets", () => {
  const complete = { dtype: "F32", shape: [1], data_offsets: [0, 4] };
  for (const field of ["dtype", "shape", "data_offsets"]) {
    const entry: Record<string, unknown> = { ...complete };
    delete entry[field];
    assertRejected(rawFile({ W1: entry }, 4), new RegExp(`tensor 'W1' has no "${field}"`));
  }
});

Deno.test("rejects a dtype other than F32, naming the one found", () => {
  const header = { W1: { dtype: "F64", shape: [1], data_offsets: [0, 8] } };
  assertRejected(rawFile(header, 8), /tensor 'W1' has dtype "F64", expected "F32"/);
});

Deno.test("rejects shapes that are not lists of non-negative integers", () => {
  for (const shape of [[-1, 2], [1.5], "2", [null], 7]) {
    const header = { x: { dtype: "F32", shape, data_offsets: [0, 4] } };
    assertRejected(
      rawFile(header, 4),
      /tensor 'x' shape .* must be a list of non-negative integers/,
    );
  }
});

Deno.test("rejects data_offsets that do not match the shape", () => {
  const entry = (data_offsets: unknown) => ({ x: { dtype: "F32", shape: [2], data_offsets } });
  assertRejected(
    rawFile(entry([0, 4]), 4),
    /shape \[2\], which needs 8 bytes, but data_offsets \[0, 4\] span 4/,
  );
  assertRejected(rawFile(entry([8, 0]), 8), /data_offsets \[8, 0\] end before they begin/);
  assertRejected(rawFile(entry([0]), 8), /must be two non-negative integers/);
  assertRejected(rawFile(entry([-8, 0]), 8), /must be two non-negative integers/);
});

Deno.test("rejects tensors that overlap, leave holes or do not start at 0", () => {
  const file = (a: number[], b: number[], dataBytes: number) =>
    rawFile({
      a: { dtype: "F32", shape: [2], data_offsets: a },
      b: { dtype: "F32", shape: [2], data_offsets: b },
    }, dataBytes);
  const rule = "tensors must be stored back to back, without overlaps or holes";
  assertRejected(
    file([0, 8], [4, 12], 12),
    new RegExp(`'b' data starts at byte 4, expected 8: ${rule}`),
  );
  assertRejected(file([0, 8], [12, 20], 20), /'b' data starts at byte 12, expected 8/);
  assertRejected(file([4, 12], [12, 20], 20), /'a' data starts at byte 4, expected 0/);
  assertRejected(file([0, 8], [0, 8], 8), /'b' data starts at byte 0, expected 8/);
});

Deno.test("rejects a data section whose size differs from the header's", () => {
  const header = { x: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  assertRejected(
    rawFile(header, 12),
    /header describes 8 bytes of tensor data, but 12 bytes follow it/,
  );
});

Deno.test("rejects metadata that is not an object of strings", () => {
  assertRejected(
    rawFile({ __metadata__: { epochs: 10 } }, 0),
    /metadata value of 'epochs' is a number, expected a string/,
  );
  assertRejected(
    rawFile({ __metadata__: ["a"] }, 0),
    /"__metadata__" must be a JSON object, found an array/,
  );
});

Deno.test("a truncated file is rejected with a clear message at every cut", () => {
  const file = encodeSafetensors({
    W: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    b: { shape: [2, 1], data: new Float32Array([5, 6]) },
  }, { note: "cut me" });
  const dataStart = file.length - 24;
  assertRejected(
    file.subarray(0, file.length - 4),
    /file is truncated: the header describes 24 bytes of tensor data, but only 20 bytes follow it/,
  );
  assertRejected(file.subarray(0, dataStart), /truncated: .* 24 bytes .* only 0 bytes/);
  assertRejected(
    file.subarray(0, dataStart - 1),
    /header length \d+ bytes is larger than the file/,
  );
  assertRejected(file.subarray(0, 7), /7 bytes long, too short/);
  for (let length = 0; length < file.length; length++) {
    assertRejected(file.subarray(0, length), /./);
  }
});
