import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, cliTest, kaggleCsv, trainTinyModel } from "./cli_helpers.ts";

cliTest("train --help lists every flag and exits 0", async () => {
  const { code, stdout } = await cli("train.ts", "--help");
  assert.equal(code, 0);
  for (
    const flag of [
      "--data",
      "--epochs",
      "--batch-size",
      "--lr",
      "--hidden",
      "--activation",
      "--optimizer",
      "--full-batch",
      "--validation",
      "--seed",
      "--out",
      "--report",
      "--json",
    ]
  ) {
    assert.match(stdout, new RegExp(`^  ${flag}\\b`, "m"), flag);
  }
});

for (
  const [args, message] of [
    [["--epochs", "ten"], "train: error: --epochs: expected an integer of at least 1, got 'ten'"],
    [["--lr", "-1"], "train: error: --lr: expected a number greater than 0, got '-1'"],
    [
      ["--activation", "tanh"],
      "train: error: --activation: expected one of relu, sigmoid, got 'tanh'",
    ],
    [["--bogus"], "train: error: unknown flag --bogus (see --help)"],
    [["--epochs"], "train: error: --epochs needs a value (N)"],
    [
      ["--full-batch", "--batch-size", "64"],
      "train: error: --batch-size: full-batch gradient descent uses the whole training set as one batch",
    ],
  ] as const
) {
  cliTest(`train ${args.join(" ")} exits 2 with one line`, async () => {
    const { code, stdout, stderr } = await cli("train.ts", ...args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr, message + "\n");
  });
}

cliTest("train on a CSV, then predict a submission, end to end", async (dir) => {
  await Deno.writeTextFile(join(dir, "train.csv"), kaggleCsv(400, 1, true));
  await Deno.writeTextFile(join(dir, "test.csv"), kaggleCsv(30, 2, false));
  const model = join(dir, "model.safetensors");
  const trained = await cli(
    "train.ts",
    "--data",
    join(dir, "train.csv"),
    "--epochs",
    "3",
    "--validation",
    "100",
    "--hidden",
    "32",
    "--out",
    model,
    "--json",
  );
  assert.equal(trained.code, 0, trained.stderr);
  const metrics = JSON.parse(trained.stdout);
  assert.equal(metrics.test_accuracy, null); // a CSV has no official test set
  assert.ok(metrics.validation_accuracy > 0.9, `validation ${metrics.validation_accuracy}`);
  assert.equal(metrics.epochs, 3);
  assert.ok(metrics.seconds > 0);
  assert.match(
    trained.stderr,
    /^epoch 1\/3 {2}loss \d\.\d{4} {2}train \d+\.\d\d % {2}validation \d+\.\d\d %/m,
  );

  const submission = join(dir, "submission.csv");
  const predicted = await cli(
    "predict.ts",
    "--model",
    model,
    "--data",
    join(dir, "test.csv"),
    "--out",
    submission,
  );
  assert.equal(predicted.code, 0, predicted.stderr);
  const lines = (await Deno.readTextFile(submission)).trimEnd().split("\n");
  assert.equal(lines[0], "ImageId,Label");
  assert.equal(lines.length, 31);
  // The synthetic test digits cycle 0..9, and the model should read most of them right.
  const correct = lines.slice(1).filter((line, n) => line === `${n + 1},${n % 10}`).length;
  assert.ok(correct >= 27, `${correct}/30 correct`);
});

cliTest("a failed run leaves an existing model untouched", async (dir) => {
  const model = await trainTinyModel(dir);
  const before = await Deno.readFile(model);
  // A corrupt CSV (a pixel of 256 on line 3) fails before anything is written…
  const corrupt = kaggleCsv(5, 1, true).split("\n");
  corrupt[2] = corrupt[2].replace(/,0,/, ",256,");
  await Deno.writeTextFile(join(dir, "bad.csv"), corrupt.join("\n"));
  const bad = await cli("train.ts", "--data", join(dir, "bad.csv"), "--out", model);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /bad\.csv:3: /);
  // …and so does a diverging one, whose NaN weights must never replace the good model.
  const diverged = await cli(
    "train.ts",
    "--data",
    join(dir, "train.csv"),
    "--epochs",
    "3",
    "--validation",
    "50",
    "--lr",
    "1e6",
    "--out",
    model,
  );
  assert.equal(diverged.code, 1);
  assert.match(
    diverged.stderr,
    /^train: error: (the loss became (NaN|Infinity)|the weights exploded: .*) at epoch \d+(, batch \d+)?: training diverged; try a lower learning rate/,
  );
  assert.deepEqual(await Deno.readFile(model), before);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
    "bad.csv",
    "model.safetensors",
    "train.csv",
  ]);
});

cliTest("predict without a model says how to train one", async (dir) => {
  const { code, stderr } = await cli("predict.ts", "--model", join(dir, "missing.safetensors"));
  assert.equal(code, 1);
  assert.equal(stderr.trim().split("\n").length, 1);
  assert.match(stderr, /missing\.safetensors.*deno task train/);
});

cliTest("predict --data mnist prints accuracy and the confusion matrix", async (dir) => {
  const model = await trainTinyModel(dir);
  const { code, stdout } = await cli("predict.ts", "--model", model, "--data", "mnist");
  assert.equal(code, 0);
  assert.match(stdout, /^accuracy \d+\.\d\d % \(10000 images\)$/m);
  assert.match(stdout, /^true\\pred +0 +1 +2 +3 +4 +5 +6 +7 +8 +9$/m);
  // The confusion matrix's ten rows add up to the 10,000 test images.
  const rows = stdout.split("\n").filter((line) => /^\d +\d/.test(line)).map((line) =>
    line.trim().split(/ +/).slice(1).map(Number)
  );
  assert.equal(rows.length, 10);
  assert.equal(rows.flat().reduce((a, b) => a + b), 10000);
});

cliTest("a corrupt model file or a missing CSV is one line naming the file", async (dir) => {
  const model = join(dir, "corrupt.safetensors");
  await Deno.writeFile(model, new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]));
  const corrupt = await cli("predict.ts", "--model", model);
  assert.equal(corrupt.code, 1);
  assert.equal(corrupt.stderr.trim().split("\n").length, 1, corrupt.stderr);
  assert.match(corrupt.stderr, /^predict: error: .*corrupt\.safetensors: /);
  const missing = await cli("train.ts", "--data", join(dir, "nowhere.csv"));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
  assert.match(missing.stderr, /^train: error: .*nowhere\.csv: file not found$/m);
});

cliTest("train --report writes a self-contained HTML report with every section", async (dir) => {
  await Deno.mkdir(join(dir, "reports"));
  const model = await trainTinyModel(dir, "--report", join(dir, "reports", "run.html"));
  const html = await Deno.readTextFile(join(dir, "reports", "run.html"));
  const headings = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
  assert.deepEqual(headings, [
    "Training history",
    "Confusion matrix",
    "Misclassified examples",
    "First-layer weights",
  ]);
  // A CSV has no test set: the confusion matrix is on the 50 validation images.
  assert.match(html, /<th scope="row">validation accuracy<\/th><td>\d+\.\d\d % of 50 validation/);
  assert.ok(html.includes(`<th scope="row">out</th><td>${model}</td>`), "the settings");
  assert.ok(html.includes(`<th scope="row">hidden</th><td>8</td>`), "the settings");
  assert.ok(html.includes("* plotly.js v"), "plotly.js inlined");
  assert.equal(
    /<(script|link|img)[^>]+(src|href)=/.test(html),
    false,
    "nothing loaded from outside",
  );
});

cliTest(
  "a bad --report path fails in one line before training, and the model stays",
  async (dir) => {
    const model = await trainTinyModel(dir);
    const before = await Deno.readFile(model);
    await Deno.writeTextFile(join(dir, "file"), "");
    const csv = join(dir, "train.csv");
    for (
      const [report, problem] of [
        [dir, `${dir} is a folder; expected a file name`],
        [model, `${model} is also the --out file; give each output its own`],
        [csv, `${csv} is the --data file; an output must never replace an input`],
        [join(dir, "file", "r.html"), `cannot write ${join(dir, "file", "r.html")}: `],
      ]
    ) {
      const { code, stdout, stderr } = await cli(
        "train.ts",
        ...["--data", csv, "--validation", "50", "--out", model, "--report", report],
      );
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "", "no training started");
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.ok(stderr.startsWith(`train: error: --report: ${problem}`), stderr);
    }
    assert.deepEqual(await Deno.readFile(model), before);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
      "file",
      "model.safetensors",
      "train.csv",
    ]);
  },
);
