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
import { writeKaggleCsv } from "../lib/data/kaggle_csv.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { Random } from "../lib/random.ts";
import { type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { runCommand } from "./main.ts";

const FLAGS = {
  "out-dir": {
    kind: "string",
    valueName: "DIR",
    help: "where to write train.csv and test.csv",
    defaultText: "data",
  },
  seed: { kind: "integer", valueName: "N", help: "seed of the shuffle", defaultText: "1" },
  debug: { kind: "boolean", help: "print stack traces of errors" },
  help: { kind: "boolean", help: "show this help" },
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
  const all = concatenate(await loadMnist("train"), await loadMnist("test"));
  const order = new Random(flags.seed ?? 1).shuffle(
    Int32Array.from({ length: all.count }, (_, i) => i),
  );
  const train = subset(all, order.subarray(0, KAGGLE_TRAIN_ROWS));
  const test = subset(all, order.subarray(KAGGLE_TRAIN_ROWS, KAGGLE_TRAIN_ROWS + KAGGLE_TEST_ROWS));
  await writeKaggleCsv(join(outDir, "train.csv"), train, { labelled: true });
  console.log(`wrote ${join(outDir, "train.csv")}: ${train.count} labelled rows`);
  await writeKaggleCsv(join(outDir, "test.csv"), test, { labelled: false });
  console.log(`wrote ${join(outDir, "test.csv")}: ${test.count} unlabelled rows`);
}

if (import.meta.main) await runCommand("data", makeDataCommand);
