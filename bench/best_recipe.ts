/**
 * `deno task bench` (last part): the time per epoch of `deno task train --recipe best` (the
 * default recipe with a fresh affine-warped copy of the training images every epoch,
 * cli/train_settings.ts's BEST_RECIPE) beside the default recipe's, in one process, so that the
 * ratio survives a busy machine; and what warping the images alone costs (lib/augment.ts).
 *
 *   deno run -A bench/best_recipe.ts [--epochs N]
 *
 * Both runs use the CLI's settings (momentum, lr 0.1, batch 128, cosine schedule over the
 * recipe's 100 epochs, seed 1) on bench_data.ts's 55,000 images, with validation after every
 * epoch as the CLI does; only the first N epochs (default 3) are timed.
 *
 * @module
 */

import { trainSettings } from "../cli/train_settings.ts";
import { augmentDataset } from "../lib/augment.ts";
import { initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { train } from "../lib/train.ts";
import { benchData } from "./bench_data.ts";

const epochsFlag = Deno.args.indexOf("--epochs");
const EPOCHS = epochsFlag >= 0 ? Number(Deno.args[epochsFlag + 1]) : 3;

const { trainSet, validation } = await benchData("sgd");
const best = trainSettings({ recipe: "best" }, navigator.hardwareConcurrency);

/** Seconds of each of the first EPOCHS epochs of a run with `augmentation`. */
async function epochSeconds(augmentation: typeof best.augmentation): Promise<number[]> {
  const network = initNetwork({ seed: best.seed });
  const seconds: number[] = [];
  /** Stops the run after EPOCHS epochs while the schedule still spans the recipe's 100. */
  class Enough extends Error {}
  await train(network, trainSet, {
    epochs: best.epochs,
    batchSize: best.batchSize,
    optimizer: createOptimizer(best.optimizer, { learningRate: best.learningRate }),
    schedule: best.schedule,
    seed: best.seed,
    validation,
    augmentation,
    onEpoch(record) {
      seconds.push(record.seconds);
      if (seconds.length === EPOCHS) throw new Enough();
    },
  }).catch((error) => {
    if (!(error instanceof Enough)) throw error;
  });
  return seconds;
}

/** Seconds of EPOCHS calls of augmentDataset on the training images. */
function warpSeconds(): number[] {
  const random = new Random(best.seed);
  return Array.from({ length: EPOCHS }, () => {
    const started = performance.now();
    augmentDataset(trainSet, best.augmentation, random);
    return (performance.now() - started) / 1000;
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const rows: [string, number[]][] = [
  ["default recipe (`deno task train`)", await epochSeconds("none")],
  [`--recipe best (${best.augmentation} augmentation)`, await epochSeconds(best.augmentation)],
  [`of which: warping ${trainSet.count.toLocaleString("en")} images`, warpSeconds()],
];
const baseline = median(rows[0][1]);
console.log(
  `\nThe best recipe's epoch (first ${EPOCHS} of ${best.epochs}, validation included), ` +
    `beside the default's, in one process:\n`,
);
console.log("| run | s / epoch (median) | range | ÷ default |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, seconds] of rows) {
  const range = `${Math.min(...seconds).toFixed(3)}–${Math.max(...seconds).toFixed(3)}`;
  const ratio = (median(seconds) / baseline).toFixed(2);
  console.log(`| ${name} | ${median(seconds).toFixed(3)} | ${range} | ${ratio} |`);
}
