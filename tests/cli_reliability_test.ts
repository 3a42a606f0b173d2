/**
 * The CLI never loses what the user already had, refuses impossible inputs before the work,
 * and reports every user-caused error as one line without calling it a bug.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeSafetensors } from "../lib/io/safetensors.ts";
import { canRun, cli, cliTest, kaggleCsv, root, trainTinyModel } from "./cli_helpers.ts";

/** Asserts a run failed with exactly `line` on stderr (and so no "looks like a bug" line). */
function assertOneLine(result: { code: number; stderr: string }, code: number, line: string) {
  assert.equal(result.stderr, line + "\n");
  assert.equal(result.code, code);
}

cliTest(
  "predict --out naming the model, through any spelling or link, is refused and the model survives",
  async (dir) => {
    const model = await trainTinyModel(dir);
    const before = await Deno.readFile(model);
    await Deno.symlink(model, join(dir, "link.safetensors"));
    await Deno.link(model, join(dir, "hard.safetensors"));
    await Deno.writeTextFile(join(dir, "test.csv"), kaggleCsv(5, 2, false));
    for (
      const out of [
        model,
        join(dir, ".", "model.safetensors"),
        join(dir, "link.safetensors"),
        join(dir, "hard.safetensors"),
      ]
    ) {
      const result = await cli(
        "predict.ts",
        "--model",
        model,
        "--data",
        join(dir, "test.csv"),
        "--out",
        out,
      );
      assertOneLine(
        result,
        2,
        `predict: error: --out: ${out} is the --model file; an output must never replace an input`,
      );
    }
    assert.deepEqual(await Deno.readFile(model), before);
  },
);

cliTest("predict --out naming the --data file is refused and the data survives", async (dir) => {
  const model = await trainTinyModel(dir);
  const data = join(dir, "test.csv");
  await Deno.writeTextFile(data, kaggleCsv(5, 2, false));
  const before = await Deno.readTextFile(data);
  const result = await cli("predict.ts", "--model", model, "--data", data, "--out", data);
  assertOneLine(
    result,
    2,
    `predict: error: --out: ${data} is the --data file; an output must never replace an input`,
  );
  assert.equal(await Deno.readTextFile(data), before);
});

cliTest(
  "train --out or --report naming the --data file is refused before training",
  async (dir) => {
    const data = join(dir, "train.csv");
    await Deno.writeTextFile(data, kaggleCsv(60, 1, true));
    const before = await Deno.readTextFile(data);
    for (const flag of ["--out", "--report"]) {
      const result = await cli(
        "train.ts",
        "--data",
        data,
        flag,
        data,
        "--epochs",
        "1",
        "--validation",
        "10",
      );
      assertOneLine(
        result,
        2,
        `train: error: ${flag}: ${data} is the --data file; an output must never replace an input`,
      );
      assert.equal(result.stdout, "", "nothing was trained");
    }
    assert.equal(await Deno.readTextFile(data), before);
  },
);

cliTest(
  "a run whose weights explode without a NaN exits 1 and keeps the old model",
  async (dir) => {
    const model = await trainTinyModel(dir);
    const before = await Deno.readFile(model);
    const result = await cli(
      "train.ts",
      "--data",
      join(dir, "train.csv"),
      "--epochs",
      "3",
      "--validation",
      "50",
      "--hidden",
      "8",
      "--lr",
      "1000",
      "--out",
      model,
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^train: error: the weights exploded: \|\w+\[\d+, \d+\]\| is [\d.e+]+ \(a healthy network stays below 10000\) at epoch 1: training diverged; try a lower learning rate than 1000 \(e\.g\. 100\)\n$/,
    );
    assert.deepEqual(await Deno.readFile(model), before, "the old model is untouched");
  },
);

cliTest("bad outputs are refused before any work, naming the flag", async (dir) => {
  await Deno.writeTextFile(join(dir, "file"), "");
  const data = join(dir, "train.csv");
  await Deno.writeTextFile(data, kaggleCsv(60, 1, true));
  const cases: [string[], string][] = [
    [["--out", dir], `train: error: --out: ${dir} is a folder; expected a file name`],
    [
      ["--out", join(dir, "nowhere", "m.safetensors")],
      `train: error: --out: cannot write ${join(dir, "nowhere", "m.safetensors")}: the folder ${
        join(dir, "nowhere")
      } does not exist`,
    ],
    [
      ["--out", join(dir, "file", "m.safetensors")],
      `train: error: --out: cannot write ${
        join(dir, "file", "m.safetensors")
      }: a part of the path before the file name is a file`,
    ],
    [["--report", ""], "train: error: --report: expected FILE, got ''"],
    [
      ["--report", join(dir, "file", "r.html")],
      `train: error: --report: cannot write ${
        join(dir, "file", "r.html")
      }: a part of the path before the file name is a file`,
    ],
    [
      ["--out", join(dir, "same"), "--report", join(dir, "same")],
      `train: error: --report: ${
        join(dir, "same")
      } is also the --out file; give each output its own`,
    ],
  ];
  for (const [args, line] of cases) {
    const result = await cli(
      "train.ts",
      "--data",
      data,
      "--epochs",
      "1",
      "--validation",
      "10",
      ...args,
    );
    assertOneLine(result, 2, line);
    assert.equal(result.stdout, "", `${args}: nothing was trained`);
  }
});

cliTest(
  "deno task data refuses an --out-dir whose test.csv is a folder and leaves train.csv alone",
  async (dir) => {
    await Deno.writeTextFile(join(dir, "train.csv"), "old train");
    await Deno.mkdir(join(dir, "test.csv"));
    const result = await cli("make_data.ts", "--out-dir", dir);
    assertOneLine(
      result,
      2,
      `data: error: --out-dir: ${join(dir, "test.csv")} is a folder; expected a file name`,
    );
    assert.equal(await Deno.readTextFile(join(dir, "train.csv")), "old train");
  },
);

cliTest("impossible model files are refused with one line naming the file", async (dir) => {
  const shaped = (w1Cols: number, outputs: number) => {
    const tensor = (rows: number, cols: number) => ({
      shape: [rows, cols],
      data: new Float32Array(rows * cols),
    });
    return encodeSafetensors(
      { W1: tensor(4, w1Cols), b1: tensor(4, 1), W2: tensor(outputs, 4), b2: tensor(outputs, 1) },
      { activation: "relu" },
    );
  };
  await Deno.writeFile(join(dir, "800.safetensors"), shaped(800, 10));
  await Deno.writeFile(join(dir, "5.safetensors"), shaped(784, 5));
  const huge = join(dir, "huge.safetensors");
  await Deno.writeFile(huge, new Uint8Array());
  await Deno.truncate(huge, 200_000_000); // sparse: no disk used, but a 200 MB file to stat
  const cases: [string, string][] = [
    ["/dev/zero", "/dev/zero: is not a regular file, expected a .safetensors model file"],
    [dir, `${dir}: is a folder, expected a .safetensors model file`],
    [
      join(dir, "800.safetensors"),
      `${
        join(dir, "800.safetensors")
      }: tensor W1 has shape [4, 800], expected [4, 784] (a 784-4-10 network: 784 pixels in, 4 hidden units as W1 has, 10 digits out)`,
    ],
    [
      join(dir, "5.safetensors"),
      `${
        join(dir, "5.safetensors")
      }: tensor W2 has shape [5, 4], expected [10, 4] (a 784-4-10 network: 784 pixels in, 4 hidden units as W1 has, 10 digits out)`,
    ],
  ];
  for (const [model, message] of cases) {
    assertOneLine(await cli("predict.ts", "--model", model), 1, `predict: error: ${message}`);
  }
});

cliTest(
  "serve refuses a model of the wrong shape, and a --host it may not use, in one line",
  async (dir) => {
    const tensor = (rows: number, cols: number) => ({
      shape: [rows, cols],
      data: new Float32Array(rows * cols),
    });
    const model = join(dir, "5.safetensors");
    await Deno.writeFile(
      model,
      encodeSafetensors({
        W1: tensor(4, 784),
        b1: tensor(4, 1),
        W2: tensor(5, 4),
        b2: tensor(5, 1),
      }, { activation: "relu" }),
    );
    const run = async (...args: string[]) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-P=serve", "--quiet", join(root, "cli", "serve.ts"), ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
    };
    assertOneLine(
      await run("--model", model),
      1,
      `serve: error: ${model}: tensor W2 has shape [5, 4], expected [10, 4] (a 784-4-10 network: 784 pixels in, 4 hidden units as W1 has, 10 digits out)`,
    );
    const good = await trainTinyModel(dir);
    assertOneLine(
      await run("--model", good, "--host", "10.1.2.3"),
      2,
      "serve: error: --host 10.1.2.3: not allowed; the serve task listens on loopback only (for other addresses: deno run --allow-read --allow-net cli/serve.ts --host 10.1.2.3)",
    );
  },
);

cliTest("bad --data paths are one line, not a bug", async (dir) => {
  assertOneLine(
    await cli("train.ts", "--data", dir),
    1,
    `train: error: ${dir}: is a folder, expected a Kaggle CSV file`,
  );
  assertOneLine(
    await cli("train.ts", "--data", ""),
    2,
    "train: error: --data: expected mnist|FILE, got ''",
  );
  assertOneLine(
    await cli("train.ts", "--data", "/dev/zero"),
    1,
    "train: error: /dev/zero: is not a regular file, expected a Kaggle CSV file",
  );
});

cliTest(
  "a CSV line longer than any valid row is refused at once, with no megabyte in the message",
  async (dir) => {
    const data = join(dir, "train.csv");
    const header = kaggleCsv(1, 1, true).split("\n")[0];
    await Deno.writeTextFile(data, `${header}\n${"7".repeat(20_000_000)}\n`);
    const result = await cli("train.ts", "--data", data);
    assertOneLine(
      result,
      1,
      `train: error: ${data}:2: line is longer than any valid line can be (more than 6954 characters): is this a Kaggle CSV file?`,
    );
  },
);

cliTest("absurd settings are refused up front", async () => {
  assertOneLine(
    await cli("train.ts", "--hidden", "1000000"),
    2,
    "train: error: --hidden: expected at most 16384 units, got 1000000 (training it would need about 13 GB for its weights, gradients and momentum alone)",
  );
  assertOneLine(
    await cli("train.ts", "--epochs", "0x3"),
    2,
    "train: error: --epochs: expected an integer of at least 1, got '0x3'",
  );
  assertOneLine(
    await cli("train.ts", "--seed", "4294967296"),
    2,
    "train: error: --seed: expected an integer of at least 0 and at most 4294967295, got '4294967296'",
  );
  const cores = navigator.hardwareConcurrency;
  assertOneLine(
    await cli("train.ts", "--threads", String(cores + 1)),
    2,
    `train: error: --threads: this machine has ${cores} core${cores === 1 ? "" : "s"}, got ${
      cores + 1
    }`,
  );
});

cliTest(
  "a model records the kernels it was trained with, and predict describes it",
  async (dir) => {
    const model = await trainTinyModel(dir, "--kernels", "typescript");
    const result = await cli("predict.ts", "--model", model, "--data", join(dir, "train.csv"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^.*model\.safetensors: 784-8-10 relu network, 1 epochs, trained with the typescript kernels\n/,
    );
  },
);

/** Mounts a 256 KB tmpfs at a new folder (root only), or returns undefined where that fails. */
async function tinyDisk(): Promise<string | undefined> {
  const folder = await Deno.makeTempDir({ prefix: "mnist-full-disk-" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=256k", "tmpfs", folder],
    stdout: "null",
    stderr: "null",
  }).output().then((result) => result.success, () => false);
  if (mounted) return folder;
  await Deno.remove(folder);
  return undefined;
}

// Probed once, before the tests are declared, so a machine that cannot mount reports the test
// as ignored rather than passing it without checking anything.
const disk = canRun ? await tinyDisk() : undefined;

Deno.test({
  name: "a full disk is one line naming the model file, and the old model survives" +
    (disk ? "" : " (ignored: mounting a tmpfs needs root)"),
  ignore: disk === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "mnist-cli-" });
    try {
      const small = await trainTinyModel(dir); // 784-8-10: 25 KB, fits
      const model = join(disk!, "model.safetensors");
      await Deno.copyFile(small, model);
      const before = await Deno.readFile(model);
      const result = await cli(
        "train.ts",
        "--data",
        join(dir, "train.csv"),
        "--epochs",
        "1",
        "--validation",
        "50",
        "--hidden",
        "256",
        "--out",
        model, // 800 KB: does not fit
      );
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        `train: error: ${model}: cannot write the file: no space left on device\n`,
      );
      assert.deepEqual(await Deno.readFile(model), before);
      assert.deepEqual([...Deno.readDirSync(disk!)].map((entry) => entry.name), [
        "model.safetensors",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await new Deno.Command("umount", { args: [disk!] }).output();
      await Deno.remove(disk!, { recursive: true });
    }
  },
});
