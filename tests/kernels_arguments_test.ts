/**
 * lib/kernels/memory/arguments.ts types each call with its kernel's own parameter tuple: a wrong
 * argument list does not type-check (the `@ts-expect-error` lines fail `deno check` the day they
 * compile), and the builders put the workspace's buffers where the kernel reads them.
 */

import assert from "node:assert/strict";
import type { Call } from "../lib/kernels/compute/abi.ts";
import { hiddenGradient, outputLayer } from "../lib/kernels/memory/arguments.ts";
import { createWorkspace } from "../lib/kernels/memory/workspace.ts";

Deno.test("a call's arguments are its kernel's own tuple: a wrong list does not compile", () => {
  // @ts-expect-error: columnSums takes (m, A, width, out, accumulate) after (from, to), not three
  // numbers.
  const short: Call = { kernel: "columnSums", args: [2, 0, 3] };
  // @ts-expect-error: the arguments of transposedProduct (7) are not columnSums's (5).
  const swapped: Call<"columnSums"> = { kernel: "columnSums", args: [2, 0, 3, 64, 0, 8, 64] };
  const right: Call = { kernel: "columnSums", args: [2, 0, 3, 64, 0] };
  assert.deepEqual([short.args.length, swapped.args.length, right.args.length], [3, 7, 5]);
});

Deno.test("outputLayer and hiddenGradient read the batch's labels, and 1/m", () => {
  const workspace = createWorkspace({
    inputs: 4,
    hidden: 2,
    classes: 3,
    images: 2,
    batch: 2,
    entries: 8,
    training: true,
  }, "typescript");
  const L = workspace.layout;
  assert.deepEqual(outputLayer(workspace, true).args, [
    2,
    3,
    L.A1T,
    L.W2,
    L.b2,
    L.A2T,
    L.labels,
    L.loss,
    L.predicted,
  ]);
  assert.equal(outputLayer(workspace, false).args[6], 0);
  assert.deepEqual(hiddenGradient(workspace, 4, "sigmoid").args.slice(6, 8), [0.25, 2]);
});
