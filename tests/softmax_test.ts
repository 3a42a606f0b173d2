import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import { softmax } from "../lib/softmax.ts";
import { assertAllClose, assertClose } from "./assert.ts";

Deno.test("softmax of (1, 2, 3) is e^z / Σe^z", () => {
  const total = Math.E + Math.E ** 2 + Math.E ** 3;
  assertAllClose(
    softmax(Matrix.from([[1], [2], [3]], "f64")).data,
    [Math.E / total, Math.E ** 2 / total, Math.E ** 3 / total],
    { absolute: 1e-15 },
  );
});

Deno.test("softmax works column by column: each sample is its own distribution", () => {
  const A = softmax(Matrix.from([[0, 5], [0, 5]]));
  assert.deepEqual(A.toArray(), [[0.5, 0.5], [0.5, 0.5]]);
});

Deno.test("softmax stays finite and sums to 1 for logits of 1e4 and -1e4", () => {
  const Z = Matrix.from([[1e4, -1e4, 0], [1e4 - 1, -1e4, 1e-3], [-1e4, -1e4 + 2, 0]]);
  const A = softmax(Z);
  assert.ok(A.data.every(Number.isFinite));
  for (let j = 0; j < 3; j++) {
    assertClose(A.get(0, j) + A.get(1, j) + A.get(2, j), 1, { absolute: 1e-6 });
  }
  // Column 0: logits (1e4, 1e4 − 1, −1e4) behave like (1, 0, −2e4): e/(e+1) and 1/(e+1).
  assertClose(A.get(0, 0), Math.E / (Math.E + 1), { absolute: 1e-6 });
  assertClose(A.get(2, 1), 1 / (1 + 2 * Math.exp(-2)), { absolute: 1e-6 });
});
