/**
 * Kaggle's "Digit Recognizer" CSV files. `train.csv` has a header `label,pixel0,...,pixel783`
 * and one labelled image per line; `test.csv` the same without the label column; a submission
 * is `ImageId,Label` with one prediction per line. The files are read as a stream, row by row,
 * straight into bytes: train.csv is 76 MB of text, and as a JavaScript array of 33 million
 * strings it would need several gigabytes.
 *
 * @module
 */

import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
// @ts-types="@types/papaparse"
import Papa from "papaparse";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { DataError, describeError } from "../errors.ts";
import { type Dataset, PIXELS } from "./dataset.ts";

const PIXEL_COLUMNS = Array.from({ length: PIXELS }, (_, p) => `pixel${p}`);
const LABELLED_COLUMNS = ["label", ...PIXEL_COLUMNS];
const EXPECTED_HEADERS = `"label,pixel0,...,pixel783" (like Kaggle's train.csv) or ` +
  `"pixel0,...,pixel783" (like test.csv)`;

/**
 * Reads a Kaggle Digit Recognizer CSV: labelled if its header starts with `label` (train.csv),
 * unlabelled otherwise (test.csv). Accepts a UTF-8 byte order mark, CRLF line ends and a final
 * newline; anything else unexpected is a {@linkcode DataError} naming the file, the line and
 * what was expected there. Needs read permission.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const pixels = Array.from({ length: 784 }, (_, p) => `pixel${p}`).join(",");
 * await Deno.writeTextFile(path, `label,${pixels}\r\n3,${new Array(784).fill(0).join(",")}\r\n`);
 * const train = await readKaggleCsv(path);
 * assert.deepEqual([train.count, train.labels![0]], [1, 3]);
 * await Deno.remove(path);
 * ```
 */
export async function readKaggleCsv(path: string): Promise<Dataset> {
  await checkReadableFile(path);
  const builder = new DatasetBuilder(path);
  const input = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  const guarded = input.pipe(lineLengthGuard(path));
  return await new Promise((resolve, reject) => {
    let failure: unknown;
    // The file stream must be closed before we answer, or its file handle would outlive the call.
    const settle = () =>
      closeStream(input, () => {
        try {
          if (failure !== undefined) throw failure;
          resolve(builder.finish());
        } catch (error) {
          reject(error);
        }
      });
    input.on("error", (error) => guarded.destroy(error));
    Papa.parse<string[]>(guarded, {
      delimiter: ",", // rather than letting Papa guess it from the first lines
      // Papa auto-detects "\n" or "\r\n" from the first chunk; it never drops blank lines unless
      // told to (skipEmptyLines), so each step is exactly one line and the line count stays true.
      step({ data }, parser) {
        try {
          builder.addLine(data);
        } catch (error) {
          failure = error;
          parser.abort(); // calls complete
        }
      },
      complete: settle,
      error(error: Error) {
        failure ??= error instanceof DataError
          ? error
          : new DataError(path, `cannot read the file: ${describeError(error)}`);
        settle();
      },
    });
  });
}

/** Throws a {@linkcode DataError} unless `path` is a regular file we may read. */
async function checkReadableFile(path: string): Promise<void> {
  const info = await Deno.stat(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) throw new DataError(path, "file not found");
    throw new DataError(path, `cannot read the file: ${describeError(error)}`);
  });
  if (info.isDirectory) throw new DataError(path, "is a folder, expected a Kaggle CSV file");
  if (!info.isFile) throw new DataError(path, "is not a regular file, expected a Kaggle CSV file");
}

/**
 * The longest line a valid file can have, in characters: the labelled header (a byte order mark,
 * `label,pixel0,...,pixel783` and `\r\n`), which is longer than any row (785 values of at most 3
 * digits, 784 commas, `\r\n`: 3,141).
 */
export const MAX_LINE_CHARACTERS = 1 + LABELLED_COLUMNS.join(",").length + 2;

/**
 * A stream stage that passes text through unchanged but fails with a {@linkcode DataError} as
 * soon as a line grows past {@linkcode MAX_LINE_CHARACTERS}, so that a file with a megabyte-long
 * line is refused after reading about one more line, in constant memory, instead of being
 * collected into one enormous string first.
 */
function lineLengthGuard(path: string): Transform {
  let lineLength = 0;
  let line = 1;
  return new Transform({
    decodeStrings: false,
    encoding: "utf8",
    transform(chunk: string, _encoding, done) {
      for (let start = 0; start < chunk.length;) {
        const newline = chunk.indexOf("\n", start);
        const end = newline === -1 ? chunk.length : newline;
        lineLength += end - start;
        if (lineLength > MAX_LINE_CHARACTERS) {
          return done(
            new DataError(
              path,
              `line is longer than any valid line can be (more than ${MAX_LINE_CHARACTERS} ` +
                "characters): is this a Kaggle CSV file?",
              line,
            ),
          );
        }
        if (newline === -1) break;
        lineLength = 0;
        line++;
        start = newline + 1;
      }
      done(null, chunk);
    },
  });
}

/**
 * A field as a message may quote it: at most 20 characters, anything outside printable ASCII
 * (a byte order mark, NUL, control characters) written as `\u{...}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(excerpt("12\u0000"), '"12\\u{0}"');
 * assert.equal(excerpt("7".repeat(100)), '"77777777777777777777..." (100 characters)');
 * ```
 */
export function excerpt(field: string): string {
  const escape = (text: string) =>
    text.replace(/[^\x20-\x7e]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
  return field.length <= 20
    ? `"${escape(field)}"`
    : `"${escape(field.slice(0, 20))}..." (${field.length} characters)`;
}

/** Collects validated lines into a growing byte array, counting lines for error messages. */
class DatasetBuilder {
  #line = 0;
  #labelled = false;
  #count = 0;
  // Doubling the capacity when full copies each byte about once more in total, instead of once
  // per row as growing by one row would.
  #images = new Uint8Array(1024 * PIXELS);
  #labels = new Uint8Array(1024);

  constructor(readonly path: string) {}

  addLine(fields: string[]): void {
    this.#line++;
    if (this.#line === 1) return this.#readHeader(fields);
    const columns = this.#labelled ? PIXELS + 1 : PIXELS;
    const contents = this.#labelled ? "a label and 784 pixels" : "784 pixels";
    if (fields.length === 1 && fields[0] === "") {
      throw this.#error(`empty line: expected ${columns} comma-separated values (${contents})`);
    }
    if (fields.length !== columns) {
      throw this.#error(`expected ${columns} values (${contents}), found ${fields.length}`);
    }
    if (this.#count * PIXELS === this.#images.length) this.#grow();
    let first = 0;
    if (this.#labelled) {
      const label = parseByte(fields[0]);
      if (label < 0 || label > 9) {
        throw this.#error(
          `column label: expected a digit 0..9, found ${excerpt(fields[0])}`,
        );
      }
      this.#labels[this.#count] = label;
      first = 1;
    }
    const offset = this.#count * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const value = parseByte(fields[first + p]);
      if (value < 0) {
        const found = excerpt(fields[first + p]);
        throw this.#error(`column pixel${p}: expected an integer 0..255, found ${found}`);
      }
      this.#images[offset + p] = value;
    }
    this.#count++;
  }

  finish(): Dataset {
    if (this.#line === 0) {
      throw new DataError(
        this.path,
        `file is empty: expected a header line ${EXPECTED_HEADERS}`,
        1,
      );
    }
    if (this.#count === 0) {
      throw new DataError(this.path, "expected a line of data after the header, found none", 2);
    }
    return {
      images: this.#images.slice(0, this.#count * PIXELS),
      labels: this.#labelled ? this.#labels.slice(0, this.#count) : undefined,
      count: this.#count,
      source: this.path,
    };
  }

  #readHeader(fields: string[]): void {
    // A byte order mark is how some Windows editors say "UTF-8"; it is not part of the name.
    if (fields[0].startsWith("\ufeff")) fields[0] = fields[0].slice(1);
    this.#labelled = fields[0] === "label";
    const expected = this.#labelled ? LABELLED_COLUMNS : PIXEL_COLUMNS;
    if (fields.length === 1 && fields[0] === "") {
      throw this.#error(`empty line: expected a header line ${EXPECTED_HEADERS}`);
    }
    const mismatch = fields.findIndex((name, i) => name !== expected[i]);
    if (mismatch >= 0 && mismatch < expected.length) {
      throw this.#error(
        `unknown header: expected ${EXPECTED_HEADERS}, found ${excerpt(fields[mismatch])} ` +
          `as column ${mismatch + 1} where ${JSON.stringify(expected[mismatch])} belongs`,
      );
    }
    if (fields.length !== expected.length) {
      throw this.#error(
        `unknown header: expected ${EXPECTED_HEADERS}, found ${fields.length} columns ` +
          `instead of ${expected.length}`,
      );
    }
  }

  #grow(): void {
    const images = new Uint8Array(this.#images.length * 2);
    images.set(this.#images);
    this.#images = images;
    const labels = new Uint8Array(this.#labels.length * 2);
    labels.set(this.#labels);
    this.#labels = labels;
  }

  #error(problem: string): DataError {
    return new DataError(this.path, problem, this.#line);
  }
}

/**
 * The value of a decimal integer 0..255 written with 1 to 3 digits, or -1 for anything else.
 * Hand-written because it runs 33 million times for train.csv, and `Number()` accepts far too
 * much (" 7", "1e2", "0x10", "").
 */
function parseByte(text: string): number {
  if (text.length === 0 || text.length > 3) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48; // "0" is 48
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= 255 ? value : -1;
}

function closeStream(stream: ReturnType<typeof createReadStream>, then: () => void): void {
  if (stream.closed) return then();
  stream.once("close", then);
  stream.destroy();
}

const ROWS_PER_CHUNK = 1024;
const MAX_ROW_BYTES = 2 + PIXELS * 4; // "9," then "255," for every pixel (the last with "\n")
const [ZERO, COMMA, NEWLINE] = [48, 44, 10];

/**
 * `dataset` in Kaggle's format, byte for byte, as a stream of text: the header, then one image
 * per line as integers separated by commas, `\n` line ends. With `labelled` the label comes
 * first (like train.csv), otherwise there is no label column (like test.csv). The text is made
 * a chunk of rows at a time, as it is read, so the 76 MB of train.csv never exist all at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const one = { images: new Uint8Array(784), labels: new Uint8Array([7]), count: 1, source: "one" };
 * const text = await new Response(kaggleCsvContent(one, { labelled: true })).text();
 * assert.equal(text.split("\n")[1].slice(0, 8), "7,0,0,0,");
 * ```
 */
export function kaggleCsvContent(
  dataset: Dataset,
  { labelled }: { labelled: boolean },
): ReadableStream<Uint8Array> {
  const labels = dataset.labels;
  if (labelled && !labels) throw new TypeError(`${dataset.source} has no labels to write`);
  if (
    dataset.images.length !== dataset.count * PIXELS || (labels && labels.length < dataset.count)
  ) {
    throw new RangeError(`${dataset.source}: images or labels do not match count ${dataset.count}`);
  }
  if (labels?.some((label) => label > 9)) {
    throw new RangeError(`${dataset.source} has a label outside 0..9`);
  }
  const header = (labelled ? LABELLED_COLUMNS : PIXEL_COLUMNS).join(",") + "\n";
  let next = 0;
  return new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode(header)),
    pull(controller) {
      if (next === dataset.count) return controller.close();
      const end = Math.min(dataset.count, next + ROWS_PER_CHUNK);
      const chunk = new Uint8Array((end - next) * MAX_ROW_BYTES);
      let at = 0;
      for (; next < end; next++) {
        if (labelled) {
          chunk[at++] = ZERO + labels![next];
          chunk[at++] = COMMA;
        }
        for (let p = 0; p < PIXELS; p++) {
          const value = dataset.images[next * PIXELS + p];
          if (value >= 100) chunk[at++] = ZERO + Math.floor(value / 100);
          if (value >= 10) chunk[at++] = ZERO + Math.floor(value / 10) % 10;
          chunk[at++] = ZERO + value % 10;
          chunk[at++] = p === PIXELS - 1 ? NEWLINE : COMMA;
        }
      }
      controller.enqueue(chunk.subarray(0, at));
    },
  });
}

/**
 * Writes `dataset` as a Kaggle CSV file ({@linkcode kaggleCsvContent}), atomically: a crash
 * leaves either the old file or the complete new one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const images = new Uint8Array(784).fill(9);
 * const one = { images, labels: new Uint8Array([4]), count: 1, source: "one image" };
 * await writeKaggleCsv(path, one, { labelled: true });
 * const read = await readKaggleCsv(path);
 * assert.deepEqual([read.count, read.labels![0], read.images[783]], [1, 4, 9]);
 * await Deno.remove(path);
 * ```
 */
export async function writeKaggleCsv(
  path: string,
  dataset: Dataset,
  options: { labelled: boolean },
): Promise<void> {
  await writeFileAtomic(path, kaggleCsvContent(dataset, options));
}

/**
 * Writes predictions as a Kaggle submission: the header `ImageId,Label`, then `1,7`, `2,2`, ...
 * (image ids count from 1, in the order of test.csv), `\n` line ends. Written atomically.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await writeSubmission(path, new Uint8Array([7, 2, 1]));
 * assert.equal(await Deno.readTextFile(path), "ImageId,Label\n1,7\n2,2\n3,1\n");
 * await Deno.remove(path);
 * ```
 */
export async function writeSubmission(path: string, predictions: Uint8Array): Promise<void> {
  const lines = ["ImageId,Label"];
  for (let i = 0; i < predictions.length; i++) {
    if (predictions[i] > 9) {
      throw new RangeError(`prediction ${i} is ${predictions[i]}, not a digit`);
    }
    lines.push(`${i + 1},${predictions[i]}`);
  }
  await writeFileAtomic(path, lines.join("\n") + "\n");
}
