import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveTarget, writeFileAtomic, writeFilesAtomic } from "../lib/io/atomic_write.ts";
import { fileTest as tempDirTest } from "./temp_dir.ts";

const fileTest = (name: string, fn: (dir: string) => Promise<void>) =>
  tempDirTest("atomic-write-", name, fn);

const names = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((entry) => entry.name).sort();

fileTest("a write replaces the file whole and leaves no temporary file", async (dir) => {
  const path = join(dir, "model.safetensors");
  await Deno.writeTextFile(path, "old");
  await writeFileAtomic(path, "new content");
  assert.equal(await Deno.readTextFile(path), "new content");
  assert.deepEqual(await names(dir), ["model.safetensors"]);
});

fileTest("a stream is written as it comes", async (dir) => {
  const path = join(dir, "rows.csv");
  const chunks = ["a,b\n", "1,2\n"].map((text) => new TextEncoder().encode(text));
  await writeFileAtomic(path, ReadableStream.from(chunks));
  assert.equal(await Deno.readTextFile(path), "a,b\n1,2\n");
});

fileTest("replacing a file keeps its permission bits", async (dir) => {
  const path = join(dir, "shared.csv");
  await Deno.writeTextFile(path, "old");
  await Deno.chmod(path, 0o640);
  await writeFileAtomic(path, "new");
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o640);
});

fileTest("a symbolic link is followed: its target is replaced, the link stays", async (dir) => {
  const target = join(dir, "run-7.safetensors");
  const link = join(dir, "latest.safetensors");
  await Deno.writeTextFile(target, "old");
  await Deno.symlink(target, link);
  assert.equal(await resolveTarget(link), target);
  await writeFileAtomic(link, "new");
  assert.ok((await Deno.lstat(link)).isSymlink, "still a link");
  assert.equal(await Deno.readTextFile(target), "new");
});

fileTest("a symbolic link to nowhere is refused, naming it", async (dir) => {
  const link = join(dir, "dangling");
  await Deno.symlink(join(dir, "gone"), link);
  await assert.rejects(writeFileAtomic(link, "x"), {
    name: "DataError",
    message: `${link}: is a symbolic link to a file that does not exist`,
  });
});

fileTest("the longest file name the system allows can be written", async (dir) => {
  const path = join(dir, "n".repeat(255));
  await writeFileAtomic(path, "fits");
  assert.equal(await Deno.readTextFile(path), "fits");
});

fileTest(
  "a temporary file from a killed run is removed once it is old, not while fresh",
  async (dir) => {
    const stale = join(dir, ".mnist-0badc0de.tmp");
    const fresh = join(dir, ".mnist-12345678.tmp");
    const unrelated = join(dir, ".mnist-notes.tmp");
    for (const path of [stale, fresh, unrelated]) await Deno.writeTextFile(path, "half");
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await Deno.utime(stale, anHourAgo, anHourAgo);
    await Deno.utime(unrelated, anHourAgo, anHourAgo);
    await writeFileAtomic(join(dir, "model.safetensors"), "new");
    assert.deepEqual(await names(dir), [
      ".mnist-12345678.tmp",
      ".mnist-notes.tmp",
      "model.safetensors",
    ]);
  },
);

fileTest(
  "a failure is one DataError naming the file, and the old file keeps its bytes",
  async (dir) => {
    const path = join(dir, "model.safetensors");
    await Deno.writeTextFile(path, "old");
    const failing = () => Promise.reject(new Error("No space left on device (os error 28)"));
    await assert.rejects(writeFilesAtomic([{ path, content: "new" }], { rename: failing }), {
      name: "DataError",
      message: `${path}: cannot write the file: no space left on device`,
    });
    assert.equal(await Deno.readTextFile(path), "old");
    assert.deepEqual(await names(dir), ["model.safetensors"]);
  },
);

fileTest(
  "a pair is written as one: a failed second rename restores the first file",
  async (dir) => {
    const train = join(dir, "train.csv");
    const test = join(dir, "test.csv");
    await Deno.writeTextFile(train, "old train");
    await Deno.writeTextFile(test, "old test");
    let renames = 0;
    const secondFails = async (from: string, to: string) => {
      if (++renames === 2) throw new Error("simulated failure between the two renames");
      await Deno.rename(from, to);
    };
    await assert.rejects(
      writeFilesAtomic([
        { path: train, content: "new train" },
        { path: test, content: "new test" },
      ], { rename: secondFails }),
      { name: "DataError", message: new RegExp(`^${test}: cannot write the file: simulated`) },
    );
    assert.equal(renames, 2, "the first rename happened before the failure");
    assert.equal(await Deno.readTextFile(train), "old train");
    assert.equal(await Deno.readTextFile(test), "old test");
    assert.deepEqual(await names(dir), ["test.csv", "train.csv"]);
  },
);

fileTest("a pair that did not exist before leaves neither file when it fails", async (dir) => {
  const [train, test] = [join(dir, "train.csv"), join(dir, "test.csv")];
  let renames = 0;
  const secondFails = async (from: string, to: string) => {
    if (++renames === 2) throw new Error("simulated");
    await Deno.rename(from, to);
  };
  await assert.rejects(
    writeFilesAtomic([{ path: train, content: "a" }, { path: test, content: "b" }], {
      rename: secondFails,
    }),
  );
  assert.deepEqual(await names(dir), []);
});

fileTest("a pair that succeeds has both new files and nothing else", async (dir) => {
  const [train, test] = [join(dir, "train.csv"), join(dir, "test.csv")];
  await Deno.writeTextFile(train, "old");
  await writeFilesAtomic([{ path: train, content: "A" }, { path: test, content: "B" }]);
  assert.equal(await Deno.readTextFile(train), "A");
  assert.equal(await Deno.readTextFile(test), "B");
  assert.deepEqual(await names(dir), ["test.csv", "train.csv"]);
});
