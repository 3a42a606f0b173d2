import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../lib/io/model_io.ts";
import { cli, cliTest, kaggleCsv } from "./cli_helpers.ts";

for (
  const [args, message] of [
    [
      ["--dropout", "0.95"],
      "train: error: --dropout: expected a number of at least 0 and at most 0.9, got '0.95'",
    ],
    [
      ["--augment", "blur"],
      "train: error: --augment: expected one of none, shift, affine, elastic, got 'blur'",
    ],
    [
      ["--early-stopping", "0"],
      "train: error: --early-stopping: expected an integer of at least 1, got '0'",
    ],
    [["--recipe", "worst"], "train: error: --recipe: expected one of best, got 'worst'"],
  ] as const
) {
  cliTest(`train ${args.join(" ")} exits 2 with one line`, async () => {
    const { code, stdout, stderr } = await cli("train.ts", ...args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr, message + "\n");
  });
}

cliTest(
  "train with every regularisation: says where it runs, reports and records the settings",
  async (dir) => {
    await Deno.writeTextFile(join(dir, "train.csv"), kaggleCsv(200, 1, true));
    const model = join(dir, "model.safetensors");
    const { code, stdout, stderr } = await cli(
      "train.ts",
      ...["--data", join(dir, "train.csv"), "--epochs", "3", "--validation", "50"],
      ...["--hidden", "8", "--out", model, "--json", "--dropout", "0.2", "--augment", "elastic"],
      ...["--weight-decay", "0.001", "--early-stopping", "1"],
    );
    assert.equal(code, 0, stderr);
    const first = stderr.split("\n")[0];
    assert.match(first, /weight decay 0\.001, dropout 0\.2, elastic augmentation, early stopping/);
    assert.match(first, /\(dropout: on the reference kernels, the fast ones have none\)$/);
    const report = JSON.parse(stdout);
    assert.equal(report.settings.weightDecay, 0.001);
    assert.equal(report.settings.dropout, 0.2);
    assert.equal(report.settings.augmentation, "elastic");
    assert.equal(report.settings.patience, 1);
    assert.equal(report.settings.kernels, "reference");
    assert.ok(report.best_epoch >= 1 && report.best_epoch <= report.epochs);
    const { metadata } = await loadModel(model);
    assert.equal(metadata.augmentation, "elastic");
    assert.equal(metadata.weightDecay, "0.001");
  },
);

cliTest("a default run records none of the regularisation settings", async (dir) => {
  await Deno.writeTextFile(join(dir, "train.csv"), kaggleCsv(200, 1, true));
  const model = join(dir, "model.safetensors");
  const { code, stderr } = await cli(
    "train.ts",
    ...["--data", join(dir, "train.csv"), "--epochs", "1", "--validation", "50"],
    ...["--hidden", "8", "--out", model],
  );
  assert.equal(code, 0, stderr);
  const { metadata } = await loadModel(model);
  for (const key of ["weightDecay", "dropout", "augmentation", "patience"]) {
    assert.equal(metadata[key], undefined, key);
  }
  assert.equal(metadata.optimizer, "momentum");
});
