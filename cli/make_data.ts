/**
 * `deno task data`: writes Kaggle-format CSV files from the embedded MNIST, so the CSV path of
 * the course works without a Kaggle account.
 *
 * Kaggle's Digit Recognizer is the 70,000 MNIST images re-split into 42,000 labelled training
 * rows and 28,000 unlabelled test rows; we do the same, with a seeded shuffle.
 *
 * @module
 */

import { join } from "node:path";
import { type Dataset, PIXELS, subset } from "../lib/data/dataset.ts";
import { writeFilesAtomic } from "../lib/io/atomic_write.ts";
import { kaggleCsvContent } from "../lib/data/kaggle_csv.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { Random } from "../lib/random.ts";
import { COMMON_FLAGS, type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { runCommand } from "./main.ts";
import { checkOutputFile, checkOutputFolder } from "./paths.ts";

const FLAGS = {
  "out-dir": {
    kind: "string",
    valueName: "DIR",
    help: "where to write train.csv and test.csv",
    defaultText: "data",
  },
  seed: {
    kind: "integer",
    min: 0,
    max: 2 ** 32 - 1,
    valueName: "N",
    help: "seed of the shuffle",
    defaultText: "1",
  },
  ...COMMON_FLAGS,
} as const satisfies Record<string, FlagSpec>;

/** Kaggle's split of the 70,000 images. */
export const KAGGLE_TRAIN_ROWS = 42_000;
export const KAGGLE_TEST_ROWS = 28_000;

function concatenate(first: Dataset, second: Dataset): Dataset {
  const images = new Uint8Array((first.count + second.count) * PIXELS);
  images.set(first.images);
  images.set(second.images, first.images.length);
  const labels = new Uint8Array(first.count + second.count);
  labels.set(first.labels!);
  labels.set(second.labels!, first.count);
  return { images, labels, count: first.count + second.count, source: "MNIST (all 70,000)" };
}

/** Parses the flags and writes the two files; see `deno task data --help`. */
export async function makeDataCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(
      formatHelp(
        "deno task data [flags]",
        "Writes Kaggle-format train.csv and test.csv from the embedded MNIST.",
        FLAGS,
      ),
    );
    return;
  }
  const outDir = flags["out-dir"] ?? "data";
  const [trainPath, testPath] = [join(outDir, "train.csv"), join(outDir, "test.csv")];
  await checkOutputFolder("--out-dir", outDir);
  for (const path of [trainPath, testPath]) await checkOutputFile("--out-dir", path);
  const all = concatenate(await loadMnist("train"), await loadMnist("test"));
  const order = new Random(flags.seed ?? 1).shuffle(
    Int32Array.from({ length: all.count }, (_, i) => i),
  );
  const train = subset(all, order.subarray(0, KAGGLE_TRAIN_ROWS));
  const test = subset(all, order.subarray(KAGGLE_TRAIN_ROWS, KAGGLE_TRAIN_ROWS + KAGGLE_TEST_ROWS));
  // Both files or neither: a new train.csv beside an old test.csv would share images with it.
  await writeFilesAtomic([
    { path: trainPath, content: kaggleCsvContent(train, { labelled: true }) },
    { path: testPath, content: kaggleCsvContent(test, { labelled: false }) },
  ]);
  console.log(`wrote ${trainPath}: ${train.count} labelled rows`);
  console.log(`wrote ${testPath}: ${test.count} unlabelled rows`);
}

if (import.meta.main) await runCommand("data", makeDataCommand);
