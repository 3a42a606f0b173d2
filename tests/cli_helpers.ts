/** Running the CLI commands as `deno task` does, in temporary folders, for the CLI tests. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PIXELS } from "../lib/data/dataset.ts";
import { granted } from "./assert.ts";
import { withTempDir } from "./temp_dir.ts";
import { syntheticDigits } from "./synthetic.ts";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const canRun = granted({ name: "run" }) && granted({ name: "read" }) &&
  granted({ name: "write" });

/** Runs `deno run -P=train cli/<script> ...args` from the project root, like `deno task` does. */
export async function cli(script: string, ...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-P=train", "--quiet", join(root, "cli", script), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Kaggle's train.csv text for synthetic digits, written by hand (not by our CSV writer). */
export function kaggleCsv(count: number, seed: number, labelled: boolean): string {
  const { images, labels } = syntheticDigits(count, seed);
  const header = [
    ...(labelled ? ["label"] : []),
    ...Array.from({ length: PIXELS }, (_, p) => `pixel${p}`),
  ];
  const rows = Array.from({ length: count }, (_, n) => {
    const pixels = Array.from(images.subarray(n * PIXELS, (n + 1) * PIXELS));
    return (labelled ? [labels![n], ...pixels] : pixels).join(",");
  });
  return [header.join(","), ...rows].join("\n") + "\n";
}

/** Trains a small model on 200 synthetic digits in `dir` (with `extra` flags); returns its path. */
export async function trainTinyModel(dir: string, ...extra: string[]): Promise<string> {
  const model = join(dir, "model.safetensors");
  await Deno.writeTextFile(join(dir, "train.csv"), kaggleCsv(200, 1, true));
  const { code, stderr } = await cli(
    "train.ts",
    ...[
      ["--data", join(dir, "train.csv")],
      ["--epochs", "1", "--validation", "50", "--hidden", "8", "--out", model],
      extra,
    ].flat(),
  );
  assert.equal(code, 0, stderr);
  return model;
}

export function cliTest(name: string, fn: (dir: string) => Promise<void>) {
  Deno.test({ name, ignore: !canRun, fn: withTempDir("mnist-cli-", fn) });
}
