/**
 * `deno task predict`: runs a saved model (an MLP or a CNN) on images; writes a Kaggle submission, and for
 * labelled images prints the accuracy and the confusion matrix.
 *
 * @module
 */

import { writeSubmission } from "../lib/data/kaggle_csv.ts";
import { confusionMatrix, formatConfusionMatrix } from "../lib/metrics.ts";
import { evaluateModel } from "../lib/evaluate_model.ts";
import { loadAnyModel } from "../lib/io/model_io.ts";
import { describeAnyModel } from "../lib/io/model_kinds.ts";
import { COMMON_FLAGS, type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { DATA_HELP, loadPredictionData } from "./load_data.ts";
import { runCommand } from "./main.ts";
import { checkDistinctFiles, checkOutputFile } from "./paths.ts";

const FLAGS = {
  model: {
    kind: "string",
    valueName: "FILE",
    help: "the model to run: an MLP or a CNN file of deno task train",
    defaultText: "models/mnist-mlp.safetensors",
  },
  data: {
    kind: "string",
    valueName: "mnist|FILE",
    help: `${DATA_HELP}; mnist means its 10,000 test images`,
    defaultText: "mnist",
  },
  out: {
    kind: "string",
    valueName: "FILE",
    help: "write a Kaggle submission (ImageId,Label) here",
    defaultText: "submission.csv for unlabelled data, none otherwise",
  },
  json: { kind: "boolean", help: "print the metrics as one JSON object on stdout" },
  ...COMMON_FLAGS,
} as const satisfies Record<string, FlagSpec>;

/** Where a submission goes unless `--out` says otherwise. */
const DEFAULT_SUBMISSION = "submission.csv";

/** Parses the flags, predicts, reports; see `deno task predict --help`. */
export async function predictCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(formatHelp("deno task predict [flags]", "Runs a trained model on images.", FLAGS));
    return;
  }
  const modelPath = flags.model ?? "models/mnist-mlp.safetensors";
  const data = flags.data ?? "mnist";
  const inputs = { "--model": modelPath, "--data": data === "mnist" ? undefined : data };
  const checkOut = async (path: string) => {
    await checkOutputFile("--out", path);
    await checkDistinctFiles(inputs, { "--out": path });
  };
  if (flags.out !== undefined) await checkOut(flags.out);
  const { model, metadata } = await loadAnyModel(modelPath);
  const images = await loadPredictionData(data);
  const out = flags.out ?? (images.labels ? undefined : DEFAULT_SUBMISSION);
  if (flags.out === undefined && out !== undefined) await checkOut(out); // the default's turn
  const started = performance.now();
  const result = evaluateModel(model, images);
  const milliseconds = performance.now() - started;
  const log = flags.json ? console.error : console.log;
  log(`${modelPath}: ${describeAnyModel(model, metadata)}`);
  log(`predicted ${images.count} images of ${images.source} in ${milliseconds.toFixed(0)} ms`);
  if (out) {
    await writeSubmission(out, result.predicted);
    log(`wrote ${out} (${images.count} rows, ImageId,Label)`);
  }
  if (images.labels) {
    log(`accuracy ${(100 * result.accuracy!).toFixed(2)} % (${images.count} images)`);
    log(formatConfusionMatrix(confusionMatrix(result.predicted, images.labels)));
  }
  if (flags.json) {
    console.log(JSON.stringify({
      images: images.count,
      accuracy: result.accuracy ?? null,
      loss: result.loss ?? null,
      submission: out ?? null,
      milliseconds: Number(milliseconds.toFixed(1)),
    }));
  }
}

if (import.meta.main) await runCommand("predict", predictCommand);
