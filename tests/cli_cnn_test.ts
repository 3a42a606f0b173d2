import assert from "node:assert/strict";
import { join } from "node:path";
import { loadAnyModel } from "../lib/io/model_io.ts";
import { cli, cliTest, kaggleCsv } from "./cli_helpers.ts";

cliTest(
  "train --arch cnn trains the CNN, saves it with its kind, --json and --report",
  async (dir) => {
    await Deno.writeTextFile(join(dir, "train.csv"), kaggleCsv(200, 1, true));
    const model = join(dir, "cnn.safetensors"), report = join(dir, "report.html");
    const { code, stdout, stderr } = await cli(
      "train.ts",
      ...["--arch", "cnn", "--data", join(dir, "train.csv"), "--epochs", "2", "--hidden", "16"],
      // The synthetic digits are bars told apart by their row: shifted copies would mix classes.
      ...["--batch-size", "10", "--augment", "none"],
      ...["--validation", "50", "--out", model, "--report", report, "--json"],
    );
    assert.equal(code, 0, stderr);
    assert.match(
      stderr,
      /^training the CNN conv5x5x8-pool2-conv5x5x16-pool2-400-16-10 on 150 images/m,
    );
    const result = JSON.parse(stdout);
    assert.equal(result.settings.arch, "cnn");
    assert.deepEqual(
      [result.settings.optimizer, result.settings.batchSize, result.epochs],
      ["momentum", 10, 2],
    );
    // A CSV has no test part: the validation set is what the run was measured on.
    assert.equal(result.test_accuracy, null);
    assert.ok(result.validation_accuracy >= 0.5, `${result.validation_accuracy}`); // chance: 0.1
    const saved = await loadAnyModel(model);
    assert.equal(saved.model.kind, "cnn");
    assert.equal(saved.metadata.arch, "cnn");
    assert.equal(Number(saved.metadata.validationAccuracy), result.validation_accuracy);
    const html = await Deno.readTextFile(report);
    assert.match(html, /Training report: CNN conv5x5x8-pool2-conv5x5x16-pool2-400-16-10/);
    assert.match(html, /First-layer kernels/);
  },
);

for (
  const [args, message] of [
    [
      ["--arch", "cnn", "--dropout", "0.2"],
      "train: error: --dropout: not with --arch cnn (the CNN has no dropout)",
    ],
    [
      ["--arch", "cnn", "--full-batch"],
      "train: error: --full-batch: not with --arch cnn (the CNN trains on mini-batches)",
    ],
    [["--arch", "rnn"], "train: error: --arch: expected one of mlp, cnn, got 'rnn'"],
  ] as const
) {
  cliTest(`train ${args.join(" ")} exits 2 with one line`, async () => {
    const { code, stdout, stderr } = await cli("train.ts", ...args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr, message + "\n");
  });
}
