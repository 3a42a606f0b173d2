import assert from "node:assert/strict";
import { join } from "node:path";
import { checkDistinctFiles, checkOutputFile, checkOutputFolder } from "../cli/paths.ts";
import { fileTest as tempDirTest } from "./temp_dir.ts";

const fileTest = (name: string, fn: (dir: string) => Promise<void>) =>
  tempDirTest("cli-paths-", name, fn);

const usage = (message: string) => ({ name: "UsageError", message });

fileTest(
  "checkOutputFile refuses every path that cannot become the file, naming the flag",
  async (dir) => {
    await Deno.writeTextFile(join(dir, "a-file"), "");
    await Deno.symlink(join(dir, "gone"), join(dir, "dangling"));
    const cases: [string, string][] = [
      ["", "--out: expected a file name, got ''"],
      [dir, `--out: ${dir} is a folder; expected a file name`],
      [
        join(dir, "a-file", "model.safetensors"),
        `--out: cannot write ${
          join(dir, "a-file", "model.safetensors")
        }: a part of the path before the file name is a file`,
      ],
      [
        join(dir, "missing", "model.safetensors"),
        `--out: cannot write ${join(dir, "missing", "model.safetensors")}: the folder ${
          join(dir, "missing")
        } does not exist`,
      ],
      [
        join(dir, "dangling"),
        `--out: ${join(dir, "dangling")} is a symbolic link to a file that does not exist`,
      ],
      ["/dev/null", "--out: /dev/null is not a regular file"],
    ];
    for (const [path, message] of cases) {
      await assert.rejects(checkOutputFile("--out", path), usage(message), path);
    }
    const tooLong = join(dir, "x".repeat(256));
    await assert.rejects(checkOutputFile("--report", tooLong), {
      name: "UsageError",
      message: /^--report: the file name is longer than 255 bytes: /,
    });
    assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      "a-file",
      "dangling",
    ], "no probe left behind");
  },
);

fileTest(
  "checkOutputFile accepts a new or existing file and makes a default folder",
  async (dir) => {
    await checkOutputFile("--out", join(dir, "new.safetensors"));
    await Deno.writeTextFile(join(dir, "old.safetensors"), "keep");
    await checkOutputFile("--out", join(dir, "old.safetensors"));
    assert.equal(await Deno.readTextFile(join(dir, "old.safetensors")), "keep", "not touched");
    await checkOutputFile("--out", join(dir, "models", "m.safetensors"), { makeFolder: true });
    assert.ok((await Deno.stat(join(dir, "models"))).isDirectory);
    assert.ok(!(await Deno.stat(join(dir, "new.safetensors")).catch(() => false)), "no file made");
  },
);

fileTest(
  "checkOutputFolder makes a missing folder whose parent exists, and refuses files",
  async (dir) => {
    await checkOutputFolder("--out-dir", join(dir, "csv"));
    assert.ok((await Deno.stat(join(dir, "csv"))).isDirectory);
    await Deno.writeTextFile(join(dir, "f"), "");
    await assert.rejects(
      checkOutputFolder("--out-dir", join(dir, "f")),
      usage(`--out-dir: ${join(dir, "f")} is a file; expected a folder`),
    );
    await assert.rejects(
      checkOutputFolder("--out-dir", join(dir, "no", "csv")),
      usage(
        `--out-dir: cannot create ${join(dir, "no", "csv")}: the folder ${
          join(dir, "no")
        } does not exist`,
      ),
    );
    await assert.rejects(
      checkOutputFolder("--out-dir", ""),
      usage("--out-dir: expected a folder name, got ''"),
    );
  },
);

fileTest(
  "checkDistinctFiles finds an input behind any spelling, link or hard link",
  async (dir) => {
    const data = join(dir, "train.csv");
    await Deno.writeTextFile(data, "label,pixel0\n");
    await Deno.symlink(data, join(dir, "link.csv"));
    await Deno.link(data, join(dir, "hard.csv"));
    await Deno.mkdir(join(dir, "sub"));
    for (
      const spelling of [
        data,
        join(dir, ".", "train.csv"),
        join(dir, "sub", "..", "train.csv"),
        join(dir, "link.csv"),
        join(dir, "hard.csv"),
      ]
    ) {
      await assert.rejects(
        checkDistinctFiles({ "--data": data }, { "--out": spelling }),
        usage(`--out: ${spelling} is the --data file; an output must never replace an input`),
        spelling,
      );
    }
    await assert.rejects(
      checkDistinctFiles({}, {
        "--out": join(dir, "new.bin"),
        "--report": join(dir, "sub", "..", "new.bin"),
      }),
      usage(
        `--report: ${
          join(dir, "sub", "..", "new.bin")
        } is also the --out file; give each output its own`,
      ),
      "two outputs that do not exist yet",
    );
    await checkDistinctFiles({ "--data": data, "--model": undefined }, {
      "--out": join(dir, "model.safetensors"),
      "--report": undefined,
    });
  },
);
