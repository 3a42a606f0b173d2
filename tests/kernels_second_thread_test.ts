/**
 * lib/kernels/threads/second_thread.ts's promise to the trainer's loadImages: a batch a worker
 * was preparing from the old training images is never taken once they are replaced.
 */

import assert from "node:assert/strict";
import { loadImages } from "../lib/kernels/memory/dataset.ts";
import { createWorkspace } from "../lib/kernels/memory/workspace.ts";
import { createSecondThread } from "../lib/kernels/threads/second_thread.ts";
import { granted } from "./assert.ts";
import { KERNEL_KINDS } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

const images = syntheticDigits(64, 3);
/** Workers load their module from a file: Deno asks for read permission. */
const workersAllowed = granted({ name: "read" });

async function nextBatchThread(kind: typeof KERNEL_KINDS[number]) {
  const workspace = createWorkspace({
    inputs: 784,
    hidden: 8,
    classes: 10,
    images: images.count,
    batch: 16,
    entries: 16 * 784,
    training: true,
    stored: images.images.filter((pixel) => pixel !== 0).length,
    spare: true,
  }, kind);
  loadImages(workspace, images.images);
  return await createSecondThread("next-batch", workspace, 2, images.labels!);
}

for (const kind of KERNEL_KINDS) {
  Deno.test({
    name: `${kind}: a batch being prepared is dropped by discard, and taken without it`,
    ignore: !workersAllowed,
    async fn() {
      const first = Int32Array.from({ length: 16 }, (_, j) => j), second = first.map((j) => j + 16);
      const secondThread = await nextBatchThread(kind);
      try {
        // Without discard, the batch announced is taken once the worker is done.
        secondThread.begin(first, second);
        let taken = false;
        for (let tries = 0; tries < 100 && !taken; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          taken = secondThread.begin(second, undefined).loaded;
        }
        assert.equal(taken, true);
        // With discard (the images changed), it is never taken, even long after the worker is
        // done with it.
        secondThread.begin(first, second);
        secondThread.discard();
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(secondThread.begin(second, undefined).loaded, false);
      } finally {
        secondThread.close();
      }
    },
  });
}
