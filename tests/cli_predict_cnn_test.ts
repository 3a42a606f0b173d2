/**
 * `deno task predict` runs either kind of model file: a CNN's predictions are those of
 * lib/cnn's readable forward pass, computed here independently of the command.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { convForward, imageBatch, initConvNet } from "../lib/cnn/network.ts";
import { saveAnyModel } from "../lib/io/model_io.ts";
import { cli, cliTest, kaggleCsv } from "./cli_helpers.ts";
import { syntheticDigits } from "./synthetic.ts";

cliTest(
  "predict runs a CNN file: its accuracy and submission are the reference forward pass's",
  async (dir) => {
    // A small random CNN: its predictions are arbitrary but fixed by the seed.
    const network = initConvNet({ channels1: 2, channels2: 3, hidden: 6, seed: 4 });
    const model = join(dir, "cnn.safetensors");
    await saveAnyModel(model, { kind: "cnn", network }, { epochs: 0 });
    const digits = syntheticDigits(30, 9);
    const probabilities = convForward(network, imageBatch(digits, [...Array(30).keys()]))
      .probabilities;
    const expected = Array.from({ length: 30 }, (_, j) => {
      let best = 0;
      for (let k = 1; k < 10; k++) {
        if (probabilities.get(k, j) > probabilities.get(best, j)) best = k;
      }
      return best;
    });
    const correct = expected.filter((label, j) => label === digits.labels![j]).length;

    await Deno.writeTextFile(join(dir, "digits.csv"), kaggleCsv(30, 9, true));
    const labelled = await cli("predict.ts", "--model", model, "--data", join(dir, "digits.csv"));
    assert.equal(labelled.code, 0, labelled.stderr);
    assert.match(labelled.stdout, /cnn\.safetensors: conv5x5x2-pool2-conv5x5x3-pool2-75-6-10 CNN/);
    assert.match(
      labelled.stdout,
      new RegExp(`^accuracy ${(100 * correct / 30).toFixed(2)} %`, "m"),
    );

    await Deno.writeTextFile(join(dir, "test.csv"), kaggleCsv(30, 9, false));
    const submission = join(dir, "submission.csv");
    const unlabelled = await cli(
      "predict.ts",
      ...["--model", model, "--data", join(dir, "test.csv"), "--out", submission],
    );
    assert.equal(unlabelled.code, 0, unlabelled.stderr);
    const rows = (await Deno.readTextFile(submission)).trim().split("\n");
    assert.deepEqual(rows, ["ImageId,Label", ...expected.map((label, j) => `${j + 1},${label}`)]);
  },
);
