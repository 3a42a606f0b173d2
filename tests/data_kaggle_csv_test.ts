import assert from "node:assert/strict";
import { join } from "node:path";
import { type Dataset, PIXELS } from "../lib/data/dataset.ts";
import { readKaggleCsv, writeKaggleCsv, writeSubmission } from "../lib/data/kaggle_csv.ts";
import { granted } from "./assert.ts";

const canReadWrite = granted({ name: "read" }) && granted({ name: "write" });

/** Runs `fn` with a fresh temporary directory, removed afterwards whatever happens. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kaggle_csv_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A test that needs the file system, skipped by a plain `deno test`. */
function fileTest(name: string, fn: (dir: string) => Promise<void>): void {
  Deno.test({ name, ignore: !canReadWrite, fn: () => inTempDir(fn) });
}

const PIXEL_NAMES = Array.from({ length: PIXELS }, (_, p) => `pixel${p}`);
const TRAIN_HEADER = ["label", ...PIXEL_NAMES].join(",");
const TEST_HEADER = PIXEL_NAMES.join(",");
const ZEROS: string[] = new Array(PIXELS).fill("0");
const GOOD_ROW = ["3", ...ZEROS].join(",");
const EXPECTED_HEADERS = `"label,pixel0,...,pixel783" (like Kaggle's train.csv) or ` +
  `"pixel0,...,pixel783" (like test.csv)`;

/** Three images whose pixels hold every digit count (0, 9, 10, 99, 100, 255) somewhere. */
function smallDataset(): Dataset {
  const images = new Uint8Array(3 * PIXELS);
  images.set([0, 9, 10, 99, 100, 255], 0);
  images.set([255, 1], PIXELS + 782);
  for (let p = 0; p < PIXELS; p++) images[2 * PIXELS + p] = p % 256;
  return { images, labels: new Uint8Array([7, 0, 9]), count: 3, source: "small" };
}

/** Writes `text` as `name` in `dir`, returns its path. */
async function fixture(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, text);
  return path;
}

/** Asserts that reading `text` fails with exactly `path:line: problem`. */
async function assertRejected(dir: string, text: string, line: number, problem: string) {
  const path = await fixture(dir, "bad.csv", text);
  await assert.rejects(readKaggleCsv(path), {
    name: "DataError",
    message: `${path}:${line}: ${problem}`,
  });
}

fileTest(
  "writeKaggleCsv writes Kaggle's exact format and readKaggleCsv reads it back",
  async (dir) => {
    const original = smallDataset();
    const path = join(dir, "train.csv");
    await writeKaggleCsv(path, original, { labelled: true });
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.equal(lines.length, 5); // header, three rows, and "" after the final newline
    assert.equal(lines[0], TRAIN_HEADER);
    assert.equal(lines[1], ["7", "0", "9", "10", "99", "100", "255", ...ZEROS.slice(6)].join(","));
    assert.ok(lines[2].endsWith(",255,1"));
    assert.equal(lines[4], "");

    const back = await readKaggleCsv(path);
    assert.equal(back.count, 3);
    assert.equal(back.source, path);
    assert.deepEqual(back.images, original.images);
    assert.deepEqual(back.labels, original.labels);

    const again = join(dir, "again.csv");
    await writeKaggleCsv(again, back, { labelled: true });
    assert.deepEqual(await Deno.readFile(again), await Deno.readFile(path));
  },
);

fileTest("an unlabelled file (like test.csv) round-trips without labels", async (dir) => {
  const path = join(dir, "test.csv");
  await writeKaggleCsv(path, smallDataset(), { labelled: false });
  assert.ok((await Deno.readTextFile(path)).startsWith(TEST_HEADER + "\n0,9,10,99,100,255,0,"));
  const back = await readKaggleCsv(path);
  assert.equal(back.count, 3);
  assert.equal(back.labels, undefined);
  assert.deepEqual(back.images, smallDataset().images);
});

fileTest("a byte order mark, CRLF line ends and no final newline are all accepted", async (dir) => {
  const lines = [TRAIN_HEADER, GOOD_ROW, ["8", "255", ...ZEROS.slice(1)].join(",")];
  for (const text of ["\ufeff" + lines.join("\r\n") + "\r\n", lines.join("\n")]) {
    const dataset = await readKaggleCsv(await fixture(dir, "windows.csv", text));
    assert.equal(dataset.count, 2);
    assert.deepEqual(Array.from(dataset.labels!), [3, 8]);
    assert.equal(dataset.images[PIXELS], 255);
    assert.equal(dataset.images.reduce((a, b) => a + b), 255);
  }
});

fileTest("a BOM + CRLF file larger than one read chunk gives the same images", async (dir) => {
  // 1,500 rows are about 2 MB: several chunks, so rows and "\r\n" pairs get split between them.
  const count = 1500;
  const images = new Uint8Array(count * PIXELS).map((_, i) => (i * 7919) % 256);
  const labels = new Uint8Array(count).map((_, i) => i % 10);
  const unix = join(dir, "unix.csv");
  await writeKaggleCsv(unix, { images, labels, count, source: "generated" }, { labelled: true });
  const windowsText = "\ufeff" + (await Deno.readTextFile(unix)).replaceAll("\n", "\r\n");
  const dataset = await readKaggleCsv(await fixture(dir, "windows.csv", windowsText));
  assert.equal(dataset.count, count);
  assert.deepEqual(dataset.images, images);
  assert.deepEqual(dataset.labels, labels);
});

fileTest("an empty file is rejected: a header was expected on line 1", async (dir) => {
  await assertRejected(dir, "", 1, `file is empty: expected a header line ${EXPECTED_HEADERS}`);
  await assertRejected(dir, "\n", 1, `empty line: expected a header line ${EXPECTED_HEADERS}`);
});

fileTest("a header without data rows is rejected", async (dir) => {
  const problem = "expected a line of data after the header, found none";
  await assertRejected(dir, TRAIN_HEADER + "\n", 2, problem);
  await assertRejected(dir, TEST_HEADER, 2, problem);
});

fileTest("an unknown header is rejected, naming the first wrong column", async (dir) => {
  await assertRejected(
    dir,
    `ImageId,Label\n1,7\n`,
    1,
    `unknown header: expected ${EXPECTED_HEADERS}, found "ImageId" as column 1 where "pixel0" belongs`,
  );
  const shifted = ["label", ...PIXEL_NAMES.map((_, p) => `pixel${p + 1}`)].join(",");
  await assertRejected(
    dir,
    `${shifted}\n${GOOD_ROW}\n`,
    1,
    `unknown header: expected ${EXPECTED_HEADERS}, found "pixel1" as column 2 where "pixel0" belongs`,
  );
  const short = ["label", ...PIXEL_NAMES.slice(0, 783)].join(",");
  await assertRejected(
    dir,
    `${short}\n${GOOD_ROW}\n`,
    1,
    `unknown header: expected ${EXPECTED_HEADERS}, found 784 columns instead of 785`,
  );
});

fileTest("a row with the wrong number of values is rejected with its line", async (dir) => {
  await assertRejected(
    dir,
    [TRAIN_HEADER, GOOD_ROW, GOOD_ROW, ZEROS.join(",")].join("\n"),
    4,
    "expected 785 values (a label and 784 pixels), found 784",
  );
  await assertRejected(
    dir,
    [TEST_HEADER, ZEROS.join(","), GOOD_ROW].join("\n"),
    3,
    "expected 784 values (784 pixels), found 785",
  );
});

fileTest("a pixel that is not an integer 0..255 is rejected with its column", async (dir) => {
  const withPixel = (p: number, value: string) => ["1", ...ZEROS.with(p, value)].join(",");
  const cases: [number, string][] = [[17, "256"], [0, "-1"], [783, "1.5"], [5, ""], [6, " 7"]];
  for (const [p, value] of cases) {
    await assertRejected(
      dir,
      [TRAIN_HEADER, GOOD_ROW, withPixel(p, value)].join("\n"),
      3,
      `column pixel${p}: expected an integer 0..255, found ${JSON.stringify(value)}`,
    );
  }
});

fileTest("a label that is not a digit 0..9 is rejected", async (dir) => {
  for (const label of ["10", "x", "", "-1"]) {
    await assertRejected(
      dir,
      [TRAIN_HEADER, [label, ...ZEROS].join(",")].join("\n"),
      2,
      `column label: expected a digit 0..9, found ${JSON.stringify(label)}`,
    );
  }
});

fileTest("an empty line is rejected where it is, not skipped", async (dir) => {
  const problem = "empty line: expected 785 comma-separated values (a label and 784 pixels)";
  await assertRejected(dir, [TRAIN_HEADER, GOOD_ROW, "", GOOD_ROW].join("\n"), 3, problem);
  await assertRejected(dir, [TRAIN_HEADER, GOOD_ROW, "", GOOD_ROW].join("\r\n"), 3, problem);
  // One final newline ends the last line; a second one is an empty line of its own.
  await assertRejected(dir, [TRAIN_HEADER, GOOD_ROW, "", ""].join("\n"), 3, problem);
});

fileTest("a missing file is a DataError, not a stack trace", async (dir) => {
  const path = join(dir, "nowhere.csv");
  await assert.rejects(readKaggleCsv(path), {
    name: "DataError",
    message: `${path}: file not found`,
  });
});

Deno.test("writeKaggleCsv refuses labels a dataset does not have, before touching files", async () => {
  const { images, count } = smallDataset();
  await assert.rejects(
    writeKaggleCsv("never.csv", { images, count, source: "unlabelled" }, { labelled: true }),
    { name: "TypeError", message: "unlabelled has no labels to write" },
  );
  await assert.rejects(
    writeKaggleCsv("never.csv", { images, count: 4, source: "short" }, { labelled: false }),
    { name: "RangeError", message: "short: images or labels do not match count 4" },
  );
});

fileTest("writeSubmission writes ImageId,Label with ids from 1", async (dir) => {
  const path = join(dir, "out", "submission.csv");
  await writeSubmission(path, new Uint8Array([7, 2, 1, 0]));
  assert.equal(await Deno.readTextFile(path), "ImageId,Label\n1,7\n2,2\n3,1\n4,0\n");
  assert.deepEqual(Array.from(Deno.readDirSync(join(dir, "out"))).map((e) => e.name), [
    "submission.csv",
  ]);
});
