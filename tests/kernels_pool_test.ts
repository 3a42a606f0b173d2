/**
 * The thread pool's claims (lib/kernels/threads/jobs.ts, threads/pool.ts): a chunk is run once,
 * by whoever claims it, and only by a thread serving the job it was published for; and a job
 * started for the workers is finished by the caller if no worker takes it.
 */

import assert from "node:assert/strict";
import {
  CALL_SLOTS,
  claimWord,
  CONTROL,
  POOL_KERNELS,
  runChunks,
} from "../lib/kernels/threads/jobs.ts";
import { ThreadPool } from "../lib/kernels/threads/pool.ts";
import { createWorkspace } from "../lib/kernels/memory/workspace.ts";
import { Arena, KERNEL_KINDS } from "./kernel_arena.ts";

/** A workspace for 4 images of 4 pixels, 3 hidden units, 2 classes. */
function tinyWorkspace(kind: typeof KERNEL_KINDS[number]) {
  return createWorkspace(
    { inputs: 4, hidden: 3, classes: 2, images: 1, batch: 4, entries: 16, training: false },
    kind,
  );
}

Deno.test("claimWord puts the job's generation above 8 bits of claimed chunks", () => {
  assert.equal(claimWord(3, 0), 3 * 256);
  assert.equal(claimWord(3, 5), 3 * 256 + 5);
  // Generations wrap at 23 bits, so the word stays a positive int32.
  assert.equal(claimWord(2 ** 23 + 1, 2), 256 + 2);
});

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: runChunks runs each chunk of its own job once, and none of another`, () => {
    const arena = new Arena(kind);
    // A job of 3 chunks: the column sums of a 2×6 matrix, columns [0, 2), [2, 5), [5, 6).
    const A = arena.putF32([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
    const out = arena.alloc(6 * 4);
    const control = new Int32Array(new SharedArrayBuffer((CONTROL.bounds + 4) * 4));
    const args = new Float64Array(new SharedArrayBuffer(CALL_SLOTS * 8));
    args.set([POOL_KERNELS.indexOf("columnSums"), 2, A, 6, out, 0]);
    control[CONTROL.calls] = 1;
    control[CONTROL.chunks] = claimWord(7, 3);
    control.set([0, 2, 5, 6], CONTROL.bounds);
    control[CONTROL.claim] = claimWord(7, 0);
    const sums = () => Array.from(arena.f32.subarray(out >> 2, (out >> 2) + 6));

    // A thread still serving job 6 (paused since) must not touch job 7.
    runChunks(arena.kernels, control, args, 6);
    assert.equal(control[CONTROL.completed], 0);
    assert.deepEqual(sums(), [0, 0, 0, 0, 0, 0]);

    runChunks(arena.kernels, control, args, 7);
    assert.equal(control[CONTROL.completed], 3);
    assert.equal(control[CONTROL.claim], claimWord(7, 3));
    assert.deepEqual(sums(), [11, 22, 33, 44, 55, 66]);

    // Nothing is left to claim: a second thread arriving late runs nothing again.
    arena.f32.fill(0, out >> 2, (out >> 2) + 6);
    runChunks(arena.kernels, control, args, 7);
    assert.equal(control[CONTROL.completed], 3);
    assert.deepEqual(sums(), [0, 0, 0, 0, 0, 0]);
  });

  Deno.test(`${kind}: a thread late from the job before runs nothing of a job being published`, () => {
    const arena = new Arena(kind);
    // Job 6 had one chunk, claimed and done. Job 7 (the column sums of a 2×6 matrix in 3
    // chunks) is half published: its count, bounds and arguments are written, its claim word
    // not yet.
    const A = arena.putF32([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
    const out = arena.alloc(6 * 4);
    const control = new Int32Array(new SharedArrayBuffer((CONTROL.bounds + 4) * 4));
    const args = new Float64Array(new SharedArrayBuffer(CALL_SLOTS * 8));
    args.set([POOL_KERNELS.indexOf("columnSums"), 2, A, 6, out, 0]);
    control[CONTROL.calls] = 1;
    control[CONTROL.chunks] = claimWord(7, 3);
    control.set([0, 2, 5, 6], CONTROL.bounds);
    control[CONTROL.claim] = claimWord(6, 1);

    // A thread woken for job 6, paused until now: job 6's claim word says "all claimed", and
    // the count it is compared with must be job 6's, not job 7's.
    runChunks(arena.kernels, control, args, 6);
    assert.equal(control[CONTROL.claim], claimWord(6, 1));
    assert.equal(control[CONTROL.completed], 0);
    assert.deepEqual(Array.from(arena.f32.subarray(out >> 2, (out >> 2) + 6)), [0, 0, 0, 0, 0, 0]);
  });

  // Without read permission the pool has no worker, and the caller does it all.
  Deno.test({
    name: `${kind}: a started job is finished by the caller or a worker, whichever comes first`,
    async fn() {
      const workspace = tinyWorkspace(kind);
      const { layout: L, f32 } = workspace;
      f32.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], L.A1T >> 2);
      const pool = await ThreadPool.create(workspace, 2);
      try {
        for (const chunks of [1, 3]) {
          f32.fill(0, L.b1 >> 2, (L.b1 >> 2) + 3);
          pool.start(
            0,
            3,
            (r) => r,
            [{ kernel: "columnSums", args: [4, L.A1T, 3, L.b1, 0] }],
            chunks,
          );
          // tryFinish never waits: it runs what is unclaimed and says whether all is done.
          if (chunks === 1) { while (!pool.tryFinish()); }
          else pool.finish();
          assert.deepEqual(Array.from(f32.subarray(L.b1 >> 2, (L.b1 >> 2) + 3)), [22, 26, 30]);
        }
      } finally {
        pool.close();
      }
    },
  });

  // With workers or without (no read permission), `meanwhile` runs once on this thread.
  Deno.test(`${kind}: run does this thread's other work meanwhile, once, and the job`, async () => {
    const workspace = tinyWorkspace(kind);
    const { layout: L, f32 } = workspace;
    f32.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], L.A1T >> 2); // A1ᵀ (4×3)
    const pool = await ThreadPool.create(workspace, 2);
    try {
      for (let repeat = 0; repeat < 20; repeat++) {
        let calls = 0;
        // The job: b1 = A1ᵀ's column sums; meanwhile: b2[0] = the sum of A1ᵀ's first column.
        pool.run(0, 3, (r) => r, [{ kernel: "columnSums", args: [4, L.A1T, 3, L.b1, 0] }], () => {
          calls++;
          workspace.kernels.columnSums(0, 1, 4, L.A1T, 3, L.b2, 0);
        });
        assert.equal(calls, 1);
        assert.deepEqual(Array.from(f32.subarray(L.b1 >> 2, (L.b1 >> 2) + 3)), [22, 26, 30]);
        assert.ok(L.b2 > 0);
        assert.equal(f32[L.b2 >> 2], 22);
        f32.fill(0, L.b1 >> 2, (L.b1 >> 2) + 3);
        f32[L.b2 >> 2] = 0;
      }
    } finally {
      pool.close();
    }
  });

  Deno.test(`${kind}: run gives every chunk to exactly one thread, job after job`, async () => {
    const workspace = tinyWorkspace(kind);
    const { layout: L, f32, i32 } = workspace;
    // X (3 images × 4 pixels) in compressed rows: (0: 1, 2: 2), (1: 1), (3: 3); W1ᵀ 4×3.
    i32.set([0, 2, 3, 4], L.starts >> 2);
    i32.set([0, 2, 1, 3], L.indices >> 2);
    f32.set([1, 2, 1, 3], L.values >> 2);
    f32.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], L.W1T >> 2);
    const pool = await ThreadPool.create(workspace, 2);
    try {
      for (let repeat = 0; repeat < 50; repeat++) {
        f32.fill(0, L.A1T >> 2, (L.A1T >> 2) + 9);
        // Adding to what A1ᵀ holds (accumulate 1): a row run twice would come out doubled.
        pool.run(0, 3, (r) => r, [{
          kernel: "sparseTimesDense",
          args: [L.starts, L.indices, L.values, L.W1T, 3, 0, L.A1T, 0, 1],
        }]);
        assert.deepEqual(
          Array.from(f32.subarray(L.A1T >> 2, (L.A1T >> 2) + 9)),
          [15, 18, 21, 4, 5, 6, 30, 33, 36],
        );
      }
    } finally {
      pool.close();
    }
  });
}
